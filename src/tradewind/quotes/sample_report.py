"""Sample cost against conversion, by customer and by country, for the samples a user can see.

Cost is what a sample cost us: sample cost + courier cost, in RMB (cancelled samples aside).
A customer **converts** when, at or after its first sample, it accepted a quotation or reached
the "ordered" or "repeat customer" stage (read from the customer's audit trail). Cost per
converted customer = all the sample cost of the group ÷ its converted customers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Sum

from tradewind.core.models import AuditEvent
from tradewind.customers.choices import Stage
from tradewind.customers.geo import country_name
from tradewind.quotes.choices import QuotationStatus, SampleStatus
from tradewind.quotes.models import Quotation, Sample

CONVERTED_STAGES = (Stage.ORDERED, Stage.REPEAT)
CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass
class CustomerRow:
    company_id: int
    name: str
    country: str
    stage: str
    samples: int
    sample_cost: Decimal
    courier_cost: Decimal
    first_sample_at: dt.datetime
    converted_by: str = ""  # "quotation", "stage" or "" (not converted)

    @property
    def total_cost(self) -> Decimal:
        return self.sample_cost + self.courier_cost

    @property
    def converted(self) -> bool:
        return bool(self.converted_by)


@dataclass
class GroupRow:
    """One country, or the totals."""

    key: str
    label: str
    customers: int = 0
    converted: int = 0
    samples: int = 0
    sample_cost: Decimal = ZERO
    courier_cost: Decimal = ZERO

    @property
    def total_cost(self) -> Decimal:
        return self.sample_cost + self.courier_cost

    @property
    def conversion_percent(self) -> Decimal | None:
        if not self.customers:
            return None
        return (Decimal(self.converted * 100) / self.customers).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def cost_per_converted(self) -> Decimal | None:
        if not self.converted:
            return None
        return (self.total_cost / self.converted).quantize(CENT, rounding=ROUND_HALF_UP)

    def add(self, row: CustomerRow) -> None:
        self.customers += 1
        self.converted += int(row.converted)
        self.samples += row.samples
        self.sample_cost += row.sample_cost
        self.courier_cost += row.courier_cost


@dataclass
class SampleReport:
    customers: list[CustomerRow]
    countries: list[GroupRow]
    totals: GroupRow
    since: dt.date | None = None
    until: dt.date | None = None
    chart: dict = field(default_factory=dict)


def _samples(user, since, until):
    qs = Sample.objects.visible_to(user).exclude(status=SampleStatus.CANCELLED)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return (
        qs.values("company_id", "company__name", "company__country", "company__stage")
        .annotate(
            samples=Count("id"),
            sample_cost=Sum("sample_cost_rmb"),
            courier_cost=Sum("courier_cost_rmb"),
            first_at=Min("created_at"),
        )
        .order_by()
    )


def _accepted_quotations(user, first: dict[int, dt.datetime]) -> set[int]:
    rows = (
        Quotation.objects.visible_to(user)
        .filter(company_id__in=list(first), status=QuotationStatus.ACCEPTED)
        .values_list("company_id", "decided_at", "updated_at")
    )
    return {
        company_id
        for company_id, decided_at, updated_at in rows
        if (decided_at or updated_at) >= first[company_id]
    }


def _new_stage(changes) -> str:
    value = (changes or {}).get("stage")
    if isinstance(value, list) and len(value) == 2:
        return str(value[1])
    return str(value) if isinstance(value, str) else ""


def _reached_order_stage(first: dict[int, dt.datetime]) -> set[int]:
    """Customers whose stage became ordered or repeat at or after their first sample."""
    events = AuditEvent.objects.filter(
        object_type="customers.company",
        object_id__in=list(first),
        created_at__gte=min(first.values()),
        changes__has_key="stage",
    ).values_list("object_id", "created_at", "changes")
    return {
        company_id
        for company_id, created_at, changes in events
        if created_at >= first[company_id] and _new_stage(changes) in CONVERTED_STAGES
    }


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def sample_report(
    user, *, since: dt.date | None = None, until: dt.date | None = None, language: str = "en"
) -> SampleReport:
    """The report over the samples ``user`` can see, requested between ``since`` and ``until``
    (dates in the user's zone, both included)."""
    rows = [
        CustomerRow(
            company_id=row["company_id"],
            name=row["company__name"],
            country=row["company__country"] or "",
            stage=row["company__stage"],
            samples=row["samples"],
            sample_cost=_money(row["sample_cost"]),
            courier_cost=_money(row["courier_cost"]),
            first_sample_at=row["first_at"],
        )
        for row in _samples(user, since, until)
    ]
    first = {row.company_id: row.first_sample_at for row in rows}
    if first:
        by_quotation = _accepted_quotations(user, first)
        by_stage = _reached_order_stage(first)
        for row in rows:
            if row.company_id in by_quotation:
                row.converted_by = "quotation"
            elif row.company_id in by_stage:
                row.converted_by = "stage"
    groups: dict[str, GroupRow] = defaultdict(lambda: GroupRow(key="", label=""))
    totals = GroupRow(key="", label="")
    for row in rows:
        group = groups[row.country]
        group.key = row.country
        group.label = country_name(row.country, language) if row.country else "—"
        group.add(row)
        totals.add(row)
    rows.sort(key=lambda r: (-r.total_cost, r.name.lower()))
    countries = sorted(groups.values(), key=lambda g: (-g.total_cost, g.label))
    return SampleReport(
        customers=rows,
        countries=countries,
        totals=totals,
        since=since,
        until=until,
        chart=_chart(countries),
    )


def _chart(countries: list[GroupRow], *, limit: int = 15) -> dict:
    """The data of the bar chart: cost and converted customers of the costliest countries."""
    shown = countries[:limit]
    return {
        "labels": [group.label for group in shown],
        "cost": [str(group.total_cost) for group in shown],
        "customers": [group.customers for group in shown],
        "converted": [group.converted for group in shown],
    }
