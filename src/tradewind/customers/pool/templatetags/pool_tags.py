"""Template tags that fetch the pool panels' data, so the customer pages need no view change.

``{% pool_company_actions company %}`` — the buttons in the company page header (claim,
release, assign) and the "returns to the pool on …" notice.
``{% pool_bulk_bar %}`` — the customer list's bulk bar for managers (assign / release).
"""

from django import template
from django.utils import timezone

from tradewind.customers.pool import selectors
from tradewind.customers.pool.services import is_pool_manager

register = template.Library()


@register.inclusion_tag("pool/_company_actions.html", takes_context=True)
def pool_company_actions(context, company):
    user = context["user"]
    request = context.get("request")
    return {
        "company": company,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
        "state": selectors.company_pool_state(company, user, now=timezone.now()),
    }


@register.inclusion_tag("pool/_bulk_bar.html", takes_context=True)
def pool_bulk_bar(context):
    user = context["user"]
    request = context.get("request")
    manager = is_pool_manager(user)
    return {
        "show": manager,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
        "assignees": selectors.assignable_users(user) if manager else [],
    }


@register.filter
def can_bulk(user) -> bool:
    return is_pool_manager(user)
