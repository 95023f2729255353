"""``{% load quotes_inquiry_tags %}``: the company page's inquiries card.

The company page includes ``quotes/_company_inquiries.html``, which calls
``{% company_inquiries_card %}``: the card reads the page's ``company`` (already visible to the
user) and fetches its latest inquiries itself, in one query.
"""

from django import template
from django.utils import timezone

from tradewind.quotes.inquiry_selectors import company_inquiries

register = template.Library()


@register.inclusion_tag("quotes/inquiries/_company_card.html", takes_context=True)
def company_inquiries_card(context):
    company = context["company"]
    user = context["request"].user
    return {
        "company": company,
        "company_inquiries": company_inquiries(user, company),
        "now": timezone.now(),
        "user": user,
        "request": context["request"],
    }
