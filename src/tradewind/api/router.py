"""The API object: one NinjaAPI that mounts each app's router, with errors mapped in one place."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI

from tradewind.api.auth import TokenAuth
from tradewind.core.errors import DomainError, NotFound, PermissionDenied

api = NinjaAPI(
    title="Tradewind API",
    version="1",
    description="Customers, contacts, activities and follow-up tasks of an export sales team. "
    "Authenticate with `Authorization: Bearer <token>` (create one with `tradewind token NAME`).",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 422
    return api.create_response(
        request, {"code": exc.code, "field": exc.field, "detail": exc.message}, status=status
    )


@api.exception_handler(ValidationError)
def model_validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    field, messages = next(iter(errors.items()))
    return api.create_response(
        request,
        {
            "code": "invalid",
            "field": None if field == "__all__" else field,
            "detail": messages[0],
            "errors": errors,
        },
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "detail": "Not found."}, status=404)


api.add_router("/", "tradewind.customers.api.router")
api.add_router("/", "tradewind.customers.icp.api.router")
api.add_router("/", "tradewind.core.api.router")
api.add_router("/", "tradewind.catalog.api.router")
api.add_router("/", "tradewind.quotes.api_inquiries.router")
api.add_router("/", "tradewind.quotes.api_quotations.router")
api.add_router("/", "tradewind.quotes.api_samples.router")
api.add_router("/", "tradewind.contracts.api.router")
api.add_router("/", "tradewind.contracts.lc.api.router")
