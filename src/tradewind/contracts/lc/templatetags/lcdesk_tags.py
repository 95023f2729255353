"""Template tags of the L/C desk: ``{% lc_contract_panel contract %}`` (the L/C card of a contract
page), the check-state badge, and labels for terms and dates."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from tradewind.contracts.lc import selectors
from tradewind.contracts.lc.choices import ReminderKind
from tradewind.contracts.lc.models import LetterOfCredit

register = template.Library()


@register.inclusion_tag("lcdesk/_contract_card.html", takes_context=True)
def lc_contract_panel(context, contract):
    request = context.get("request")
    user = getattr(request, "user", None)
    lcs = selectors.contract_lcs(user, contract) if user is not None else []
    return {"contract": contract, "lcs": lcs, "request": request}


@register.inclusion_tag("lcdesk/_state_badge.html")
def lc_state_badge(state):
    return {"state": state}


@register.filter
def days_left_class(days: int) -> str:
    if days <= 2:
        return "stage-lost"
    if days <= 7:
        return "stage-sample"
    return "stage-contacted"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def term_label(name: str) -> str:
    """A term's field name as its label (``port_of_discharge`` → "Port of discharge")."""
    try:
        return capfirst(LetterOfCredit._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.filter
def reminder_label(kind) -> str:
    return str(dict(ReminderKind.choices).get(str(kind), kind))


@register.filter
def term_value(value, name: str):
    """A term's stored value as shown: choice labels instead of codes (``not_allowed``)."""
    try:
        field = LetterOfCredit._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if value not in (None, "") and getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    return value
