"""``{% load contracts_tags %}``: status colours, the company page's contracts card and the
payment-verdict badge."""

from django import template

from tradewind.contracts import selectors
from tradewind.contracts.choices import ContractStatus

register = template.Library()

STATUS_CLASSES = {
    ContractStatus.DRAFT: "stage-lead",
    ContractStatus.READY: "stage-inquiry",
    ContractStatus.SENT: "stage-quoted",
    ContractStatus.SIGNED: "stage-ordered",
    ContractStatus.AMENDING: "stage-sample",
    ContractStatus.CANCELLED: "stage-lost",
}
VERDICT_CLASSES = {
    "allowed": "stage-ordered",
    "recommended": "stage-repeat",
    "approved": "stage-ordered",
    "needs_approval": "stage-sample",
    "refused": "stage-lost",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "stage-lead")


@register.filter
def verdict_class(status: str) -> str:
    return VERDICT_CLASSES.get(str(status), "stage-lead")


@register.inclusion_tag("contracts/_company_card.html", takes_context=True)
def contracts_company_panel(context):
    request, company = context["request"], context["company"]
    from tradewind.contracts.workspace import is_manager

    credit = company.credit if hasattr(company, "credit") else None  # one query; None if unset
    return {
        "company": company,
        "contracts": selectors.company_contracts(request.user, company),
        "awaiting": selectors.quotations_awaiting_contract(request.user, company),
        "credit": credit,
        "can_edit_credit": is_manager(request.user),
        "request": request,
    }
