"""``{% load quotes_sample_tags %}``: the company page's samples card and sample status badges.

The company page includes ``quotes/_company_samples.html``, which calls
``{% company_samples_card %}``: the card reads the page's ``company`` (already visible to the
user) and fetches its latest samples itself (one or two queries).
"""

from django import template

from tradewind.quotes import couriers
from tradewind.quotes.choices import SampleStatus
from tradewind.quotes.sample_selectors import company_samples

register = template.Library()

# Badge colours reuse the customer-stage palette (web/static/tradewind/app.css).
STATUS_CLASS = {
    SampleStatus.REQUESTED: "stage-lead",
    SampleStatus.IN_PRODUCTION: "stage-contacted",
    SampleStatus.SHIPPED: "stage-quoted",
    SampleStatus.DELIVERED: "stage-sample",
    SampleStatus.FEEDBACK: "stage-negotiation",
    SampleStatus.APPROVED: "stage-ordered",
    SampleStatus.REJECTED: "stage-lost",
    SampleStatus.CANCELLED: "stage-dormant",
}


@register.filter
def sample_status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "stage-lead")


@register.filter
def sample_tracking_url(sample) -> str:
    return couriers.tracking_url(sample.courier, sample.awb_number) or ""


@register.filter
def courier_name(courier: str) -> str:
    return couriers.carrier_name(courier) if courier else ""


@register.inclusion_tag("quotes/samples/_company_card.html", takes_context=True)
def company_samples_card(context):
    company = context["company"]
    rows, total = company_samples(company)
    return {"company": company, "samples": rows, "total": total, "request": context["request"]}
