"""The base of every domain error: a message a salesperson can act on, and the field at fault."""


class DomainError(Exception):
    """A rule was broken; ``field`` names the input at fault for forms and the API."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    """The record does not exist or the actor may not see it (both look the same on purpose)."""

    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


def add_error_to_form(form, exc: Exception) -> None:
    """Put a service's error on the form field it names (or on the form as a whole)."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, DomainError):
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        raise exc
