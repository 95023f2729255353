"""Reads of inquiries, each through the visibility rule with its joins already applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tradewind.core.errors import DomainError
from tradewind.customers.models import Company, WorkspacePolicy
from tradewind.customers.selectors import Page
from tradewind.quotes import workhours
from tradewind.quotes.choices import InquiryStatus
from tradewind.quotes.models import Inquiry, InquiryLine

PAGE_SIZE = 25
# "Due soon" on My day: the first reply falls due within this many working hours.
DUE_SOON_WORKING_HOURS = 2
MY_DAY_LIMIT = 20
WAITING_STATUSES = (InquiryStatus.OPEN,)


@dataclass(frozen=True)
class InquiryFilters:
    scope: str = "mine"  # "mine" (I handle it or own the customer) or "team" (all I can see)
    status: str = "open"  # a status, or "" for any
    overdue: bool = False
    q: str = ""


def waiting_q() -> Q:
    """Open inquiries whose first reply is not recorded yet."""
    return Q(status__in=WAITING_STATUSES, first_responded_at__isnull=True)


def overdue_q(now: dt.datetime) -> Q:
    return waiting_q() & Q(first_response_due_at__lt=now)


def can_see_team(user) -> bool:
    return bool(getattr(user, "is_manager", False) or getattr(user, "is_workspace_admin", False))


def inquiry_queryset(user, filters: InquiryFilters, *, now=None) -> QuerySet[Inquiry]:
    now = now or timezone.now()
    qs = Inquiry.objects.visible_to(user)
    if filters.scope != "team" or not can_see_team(user):
        qs = qs.filter(Q(assignee=user) | Q(company__owner=user))
    if filters.status in InquiryStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(overdue_q(now))
    term = (filters.q or "").strip()
    if term:
        qs = qs.filter(
            Q(subject__icontains=term)
            | Q(company__name__icontains=term)
            | Q(contact__name__icontains=term)
            | Q(contact__email__iexact=term)
            | Q(lines__description__icontains=term)
        ).distinct()
    return qs


def inquiry_list(user, filters: InquiryFilters, *, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of inquiries, newest first, with customer, contact and handler, counting lines
    in the same query (no count of the whole table)."""
    page = max(1, page)
    offset = (page - 1) * size
    rows = list(
        inquiry_queryset(user, filters)
        .select_related("company", "contact", "assignee")
        .annotate(line_count=Count("lines", distinct=True))
        .order_by("-received_at", "-id")[offset : offset + size + 1]
    )
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def inquiry_get(user, inquiry_id: int) -> Inquiry:
    """One inquiry with its lines (and their products), or 404."""
    inquiry = (
        Inquiry.objects.visible_to(user)
        .select_related("company", "company__owner", "contact", "assignee", "inbound_message")
        .prefetch_related(Prefetch("lines", queryset=InquiryLine.objects.select_related("product")))
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None:
        raise Http404
    return inquiry


def line_get(user, line_id: int) -> InquiryLine:
    line = (
        InquiryLine.objects.visible_to(user)
        .select_related("inquiry", "inquiry__company", "product")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def company_inquiries(user, company: Company, *, limit: int = 10) -> list[Inquiry]:
    """The customer's latest inquiries for its page (nothing when the user cannot see it)."""
    return list(
        Inquiry.objects.visible_to(user)
        .filter(company=company)
        .select_related("assignee", "contact")
        .annotate(line_count=Count("lines"))
        .order_by("-received_at", "-id")[:limit]
    )


def visible_companies(user, term: str, *, limit: int = 12) -> list[Company]:
    """Customers the user may pick for a new inquiry, matching ``term`` (name or website)."""
    term = (term or "").strip()
    qs = Company.objects.visible_to(user).select_related("owner")
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(website_domain__icontains=term.lower()))
        return list(qs.order_by("name", "id")[:limit])
    # No search yet: my recently active customers, the likeliest to be asking.
    qs = qs.filter(owner=user).order_by(F("last_activity_at").desc(nulls_last=True), "-id")
    return list(qs[:limit])


def due_soon_until(user, now: dt.datetime) -> dt.datetime:
    """The end of the next few working hours of ``user`` (My day's "due soon" horizon)."""
    policy = WorkspacePolicy.current()
    zone = user.time_zone or "Asia/Shanghai"
    try:
        return workhours.response_due(
            now,
            DUE_SOON_WORKING_HOURS,
            zone=zone,
            start_hour=policy.working_day_start,
            end_hour=policy.working_day_end,
            country=workhours.country_of_zone(zone),
        )
    except DomainError:  # a broken policy must not take My day down; fall back to real hours
        return now + dt.timedelta(hours=DUE_SOON_WORKING_HOURS)


def my_day_inquiries(user, *, now=None, team: bool = False) -> tuple[list[Inquiry], list[Inquiry]]:
    """(overdue, due soon): open inquiries without a first reply, the user's own (a manager's:
    the team's), soonest deadline first."""
    now = now or timezone.now()
    qs = Inquiry.objects.visible_to(user).filter(waiting_q())
    if not (team and can_see_team(user)):
        qs = qs.filter(assignee=user)
    qs = qs.select_related("company", "contact", "assignee").order_by("first_response_due_at")
    overdue = list(qs.filter(first_response_due_at__lt=now)[:MY_DAY_LIMIT])
    until = due_soon_until(user, now)
    soon = qs.filter(first_response_due_at__gte=now, first_response_due_at__lte=until)
    soon = list(soon[:MY_DAY_LIMIT])
    return overdue, soon
