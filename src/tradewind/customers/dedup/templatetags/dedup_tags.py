"""``{% duplicates_panel %}``: the possible duplicates of the company on the company page, fetched
here so the company view needs no change (two queries; nothing is shown when there are none)."""

from django import template

from tradewind.customers.dedup import selectors, services

register = template.Library()


@register.inclusion_tag("dedup/_panel.html", takes_context=True)
def duplicates_panel(context):
    request = context.get("request")
    company = context.get("company")
    user = getattr(request, "user", None)
    if company is None or user is None or not user.is_authenticated:
        return {"matches": []}
    return {
        "company": company,
        "matches": selectors.company_duplicates(user, company),
        "may_merge": services.may_merge(user),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
