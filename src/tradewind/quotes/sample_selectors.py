"""Reads of samples, each through the visibility rule with its joins already applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tradewind.core.audit_display import AuditRow, describe
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company
from tradewind.customers.normalize import normalize_company_name
from tradewind.customers.selectors import Page
from tradewind.quotes import couriers
from tradewind.quotes.choices import SampleStatus
from tradewind.quotes.models import Inquiry, Quotation, Sample, SampleItem

PAGE_SIZES = (20, 50, 100)
IN_TRANSIT_ALERT_DAYS = 10
OPEN_STATUSES = (
    SampleStatus.REQUESTED,
    SampleStatus.IN_PRODUCTION,
    SampleStatus.SHIPPED,
    SampleStatus.DELIVERED,
    SampleStatus.FEEDBACK,
)


@dataclass(frozen=True)
class SampleFilters:
    scope: str = "mine"  # "mine": I handle it or own the customer; "team": all I can see
    status: str = ""
    courier: str = ""
    awaiting_feedback: bool = False
    q: str = ""


def sample_queryset(user, filters: SampleFilters) -> QuerySet[Sample]:
    qs = Sample.objects.visible_to(user)
    if filters.scope != "team":
        qs = qs.filter(Q(requested_by=user) | Q(company__owner=user))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.courier:
        qs = qs.filter(courier=filters.courier)
    if filters.awaiting_feedback:
        qs = qs.filter(status=SampleStatus.DELIVERED)
    term = filters.q.strip()[:100]
    if term:
        match = Q(number__icontains=term) | Q(company__name__icontains=term)
        awb = couriers.normalise(term)
        if awb:
            match |= Q(awb_number__icontains=awb)
        normalized = normalize_company_name(term)
        if normalized:
            match |= Q(company__name_normalized__contains=normalized)
        qs = qs.filter(match)
    return qs.order_by("-created_at", "-id")


def sample_list(user, filters: SampleFilters, *, page: int = 1, size: int = 20) -> Page:
    """One page of samples with their customers and handlers, in a fixed number of queries."""
    page = max(1, page)
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    offset = (page - 1) * size
    rows = list(
        sample_queryset(user, filters).select_related("company", "requested_by", "contact")[
            offset : offset + size + 1
        ]
    )
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def sample_get(user, pk: int) -> Sample:
    sample = (
        Sample.objects.visible_to(user)
        .select_related(
            "company",
            "company__owner",
            "contact",
            "inquiry",
            "quotation",
            "requested_by",
            "feedback_task",
            "feedback_task__assignee",
        )
        .filter(pk=pk)
        .first()
    )
    if sample is None:
        raise Http404
    return sample


def item_get(user, pk: int) -> SampleItem:
    item = SampleItem.objects.visible_to(user).select_related("sample").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def sample_items(sample: Sample) -> list[SampleItem]:
    return list(sample.items.select_related("product"))


def sample_history(sample: Sample, *, limit: int = 30) -> list[AuditRow]:
    item_ids = list(sample.items.values_list("pk", flat=True))
    events = (
        AuditEvent.objects.filter(company_id=sample.company_id)
        .filter(
            Q(object_type="quotes.sample", object_id=sample.pk)
            | Q(object_type="quotes.sampleitem", object_id__in=item_ids)
        )
        .select_related("actor")[:limit]
    )
    return [describe(event) for event in events]


def company_samples(company: Company, *, limit: int = 5) -> tuple[list[Sample], int]:
    """The company's latest samples (the company is already visible) and how many in all."""
    qs = company.samples.select_related("requested_by").order_by("-created_at", "-id")
    rows = list(qs[: limit + 1])
    total = len(rows) if len(rows) <= limit else qs.count()
    return rows[:limit], total


def visible_company(user, pk) -> Company | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Company.objects.visible_to(user).filter(pk=pk).first()


def visible_inquiry(user, pk) -> Inquiry | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Inquiry.objects.visible_to(user).select_related("company").filter(pk=pk).first()


def visible_quotation(user, pk) -> Quotation | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Quotation.objects.visible_to(user).select_related("company").filter(pk=pk).first()


def company_search(user, term: str, *, limit: int = 20) -> list[Company]:
    """Visible customers matching ``term`` (mine first), for picking whom a sample is for."""
    term = term.strip()[:100]
    qs = Company.objects.visible_to(user).select_related("owner")
    if term:
        match = Q(name__icontains=term)
        normalized = normalize_company_name(term)
        if normalized:
            match |= Q(name_normalized__contains=normalized)
        qs = qs.filter(match)
    else:
        qs = qs.filter(owner=user)
    return list(qs.order_by("-last_activity_at", "-id")[:limit])


def awaiting_feedback(user, *, limit: int = 20) -> list[Sample]:
    """My delivered samples whose buyer has not given feedback yet, longest waiting first."""
    return list(
        Sample.objects.visible_to(user)
        .filter(requested_by=user, status=SampleStatus.DELIVERED)
        .select_related("company", "feedback_task")
        .order_by("delivered_at", "id")[:limit]
    )


def stuck_in_transit(
    user, *, days: int = IN_TRANSIT_ALERT_DAYS, now: dt.datetime | None = None, limit: int = 20
) -> list[Sample]:
    """My samples shipped more than ``days`` ago and still not delivered."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return list(
        Sample.objects.visible_to(user)
        .filter(requested_by=user, status=SampleStatus.SHIPPED, shipped_at__lt=cutoff)
        .select_related("company")
        .order_by("shipped_at", "id")[:limit]
    )
