"""``{% load letters_panel %}``: the company page's letters-and-sequences panel, and times shown
in both the buyer's zone and the reader's.

The company page includes ``outreach/_company_panel.html``, which calls
``{% letters_company_panel %}``: the panel reads the page's ``company``, ``contacts`` and
``buyer_zone`` and fetches the rest itself (four queries), so the customers views need no change.
``{% dual_time moment zone %}`` renders "Tue 09:12 in Berlin · 16:12 your time".
"""

from django import template
from django.utils.translation import get_language

from tradewind.outreach import buyer_time
from tradewind.outreach import letter_selectors as selectors
from tradewind.outreach.choices import EnrollmentStatus

register = template.Library()


def _dual(moment, zone, user):
    if moment is None:
        return None
    return buyer_time.dual_time(moment, zone, user, get_language() or "en")


@register.inclusion_tag("outreach/letters/_panel.html", takes_context=True)
def letters_company_panel(context):
    request, company = context["request"], context["company"]
    contacts = context.get("contacts")
    if contacts is None:
        contacts = list(company.contacts.all())
    zone = context.get("buyer_zone") or selectors.buyer_zone_of(company, contacts)
    panel = selectors.company_panel(request.user, company, contacts, zone)
    waiting = [
        (message, _dual(message.scheduled_at, zone, request.user)) for message in panel.waiting
    ]
    enrollments = [
        (enrollment, _dual(enrollment.next_due_at, zone, request.user))
        for enrollment in panel.enrollments
    ]
    return {
        "company": company,
        "panel": panel,
        "waiting": waiting,
        "enrollments": enrollments,
        "open_statuses": (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("outreach/letters/_dual_time.html", takes_context=True)
def dual_time(context, moment, zone):
    """A moment in the buyer's zone and the reader's; only the reader's when the zone is unknown."""
    user = context["request"].user
    return {"when": _dual(moment, zone, user), "moment": moment, "user": user}
