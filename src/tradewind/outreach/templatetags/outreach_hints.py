"""``{% buyer_clock company buyer_zone %}``: the buyer's local time on the company page, with the
"good time to call now?" hint (``outreach.callhint``)."""

from django import template
from django.utils import timezone

from tradewind.outreach.callhint import call_hint

register = template.Library()


@register.inclusion_tag("outreach/_buyer_clock.html")
def buyer_clock(company, buyer_zone: str):
    hint = call_hint(now=timezone.now(), time_zone=buyer_zone, country=company.country or None)
    return {"hint": hint}
