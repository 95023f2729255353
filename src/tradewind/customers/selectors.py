"""Reads of customer records, each through the visibility rule with its joins already applied."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tradewind.core.audit_display import AuditRow, describe
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company, Contact, Tag, Task
from tradewind.customers.normalize import normalize_company_name

SORTS = {
    "recent": ("-last_activity_at", "-id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "newest": ("-created_at", "-id"),
    "country": ("country", "name", "id"),
    "stage": ("stage", "name", "id"),
    "score": (F("icp_score").desc(nulls_last=True), "-id"),
}
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    country: str = ""
    stage: str = ""
    grade: str = ""
    owner: str = ""  # a user id, "me", or "pool"
    source: str = ""
    tag: str = ""
    screening: str = ""
    min_score: int | None = None
    sort: str = "recent"


@dataclass
class Page:
    """A page fetched without counting the whole table: one extra row says if more follow."""

    items: list
    number: int
    size: int
    has_next: bool
    extra: dict = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0


def company_queryset(user, filters: CompanyFilters) -> QuerySet[Company]:
    qs = Company.objects.visible_to(user)
    if filters.q:
        term = filters.q.strip()
        match = Q(name__icontains=term) | Q(website_domain__icontains=term.lower())
        normalized = normalize_company_name(term)
        if normalized:
            match |= Q(name_normalized__contains=normalized)
        if "@" in term:
            match |= Exists(Contact.objects.filter(company=OuterRef("pk"), email=term.lower()))
        qs = qs.filter(match)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.owner == "me":
        qs = qs.filter(owner=user)
    elif filters.owner == "pool":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.screening:
        qs = qs.filter(screening_status=filters.screening)
    if filters.min_score is not None:
        qs = qs.filter(icp_score__gte=filters.min_score)
    if filters.tag:
        qs = qs.filter(
            Exists(
                Tag.companies.through.objects.filter(
                    company_id=OuterRef("pk"), tag__name=filters.tag
                )
            )
        )
    return qs.order_by(*SORTS.get(filters.sort, SORTS["recent"]))


def company_list(user, filters: CompanyFilters, *, page: int = 1, size: int = 20) -> Page:
    """One page of the customer list with owners and tags, in a fixed number of queries."""
    page = max(1, page)
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    offset = (page - 1) * size
    rows = list(
        company_queryset(user, filters)
        .select_related("owner")
        .prefetch_related("tags")[offset : offset + size + 1]
    )
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def company_get(user, company_id: int) -> Company:
    company = (
        Company.objects.visible_to(user)
        .select_related("owner", "owner__team")
        .prefetch_related("tags")
        .filter(pk=company_id)
        .first()
    )
    if company is None:
        raise Http404
    return company


def visible_or_404(model, user, pk: int, *related: str):
    row = model.objects.visible_to(user).select_related("company", *related).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def company_timeline(company: Company, *, limit: int = 50) -> list[Activity]:
    return list(company.activities.select_related("user", "contact")[:limit])


def company_tasks(company: Company) -> tuple[list[Task], list[Task]]:
    """(open follow-ups by due time, done ones most recent first)."""
    tasks = list(company.tasks.select_related("assignee", "contact").order_by("due_at", "id"))
    done = sorted(
        (task for task in tasks if task.done_at), key=lambda task: task.done_at, reverse=True
    )
    return [task for task in tasks if not task.done_at], done


def company_audit(company: Company, *, limit: int = 50) -> list[AuditRow]:
    """The history of the customer and everything on it, newest first, ready to display."""
    events = AuditEvent.objects.filter(company_id=company.pk).select_related("actor")[:limit]
    return [describe(event) for event in events]


def stage_counts(user) -> dict[str, int]:
    rows = (
        Company.objects.visible_to(user).filter(owner=user).values("stage").annotate(n=Count("id"))
    )
    return {row["stage"]: row["n"] for row in rows}


def my_tasks(user, *, until: datetime) -> list[Task]:
    """The user's open follow-ups due before ``until`` (overdue first), with their customers."""
    return list(
        Task.objects.visible_to(user)
        .open()
        .filter(assignee=user, due_at__lt=until)
        .select_related("company", "contact")
        .order_by("due_at")[:200]
    )


def end_of_local_day(user, now: datetime | None = None) -> datetime:
    local = (now or timezone.now()).astimezone(user.zone)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def recently_active(user, *, limit: int = 8) -> list[Company]:
    return list(
        Company.objects.visible_to(user)
        .filter(owner=user, last_activity_at__isnull=False)
        .order_by("-last_activity_at")[:limit]
    )


def task_list(user, *, show: str = "open", page: int = 1, size: int = 50) -> Page:
    qs = Task.objects.visible_to(user).filter(assignee=user).select_related("company", "contact")
    qs = qs.filter(done_at__isnull=False).order_by("-done_at") if show == "done" else qs.open()
    offset = (max(1, page) - 1) * size
    rows = list(qs[offset : offset + size + 1])
    return Page(items=rows[:size], number=max(1, page), size=size, has_next=len(rows) > size)
