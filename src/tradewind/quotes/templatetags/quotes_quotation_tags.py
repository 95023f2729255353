"""Quotation display helpers and the company page's quotation card.

The company page includes ``quotes/_company_quotations.html``, which calls
``{% company_quotations %}``: the card fetches its own rows from the page's ``company`` and the
request's user (the visibility rule), so the customers views need no change.
"""

from decimal import Decimal, InvalidOperation

from django import template

from tradewind.quotes import quotation_selectors as selectors
from tradewind.trade.errors import MoneyError
from tradewind.trade.money import minor_unit_places

register = template.Library()

STATUS_CLASSES = {
    "draft": "stage-lead",
    "sent": "stage-quoted",
    "accepted": "stage-ordered",
    "rejected": "stage-lost",
    "cancelled": "stage-dormant",
    "superseded": "stage-dormant",
}
APPROVAL_CLASSES = {
    "required": "stage-sample",
    "pending": "stage-negotiation",
    "approved": "stage-ordered",
    "rejected": "stage-lost",
}


@register.inclusion_tag("quotes/quotations/_company_card.html", takes_context=True)
def company_quotations(context):
    request, company = context["request"], context["company"]
    rows, count = selectors.company_quotations(request.user, company)
    return {"rows": rows, "count": count, "company": company, "request": request}


@register.filter
def status_class(value) -> str:
    return STATUS_CLASSES.get(str(value), "stage-lead")


@register.filter
def approval_class(value) -> str:
    return APPROVAL_CLASSES.get(str(value), "")


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def amount(value, currency: str = "") -> str:
    """``16.7`` → ``16.70``, ``167200`` → ``167,200.00`` (the currency's minor unit)."""
    number = _decimal(value)
    if number is None:
        return "—"
    try:
        places = minor_unit_places(currency) if currency else 2
    except (MoneyError, TypeError):
        places = 2
    return f"{number:,.{places}f}"


@register.filter
def figure(value, places: int = 2) -> str:
    """A plain number with ``places`` decimals (working values, percentages)."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number:,.{int(places)}f}"


@register.filter
def plain(value) -> str:
    """A Decimal without trailing zeros: ``10.000`` → ``10``."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number.normalize():f}"


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def signed(value, places: int = 2) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number:+,.{int(places)}f}"


@register.filter
def approval_label(value) -> str:
    from tradewind.quotes.choices import ApprovalStatus

    try:
        return str(ApprovalStatus(value).label)
    except ValueError:
        return ""


@register.filter
def revision_status_label(value) -> str:
    from tradewind.quotes.choices import RevisionStatus

    try:
        return str(RevisionStatus(value).label)
    except ValueError:
        return ""
