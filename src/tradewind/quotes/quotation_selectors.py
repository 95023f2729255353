"""Reads of quotations, revisions and approvals, each through the visibility rule with its
joins applied. A quotation's *current* revision is its latest; the list shows its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window
from django.http import Http404
from django.utils import timezone

from tradewind.accounts.choices import Role
from tradewind.customers.selectors import Page
from tradewind.quotes.choices import ApprovalStatus, QuotationStatus
from tradewind.quotes.models import MarginApproval, Quotation, QuotationLine, QuotationRevision

PAGE_SIZES = (20, 50, 100)
OPEN_STATUSES = (QuotationStatus.DRAFT, QuotationStatus.SENT)
LATEST_FIELDS = (
    "id",
    "letter",
    "status",
    "approval_status",
    "currency",
    "incoterm",
    "named_place",
    "valid_until",
    "total_amount",
    "lowest_margin_percent",
)


@dataclass(frozen=True)
class QuotationFilters:
    q: str = ""
    status: str = ""
    expired: str = ""  # "yes", "no" or ""
    scope: str = ""  # "mine", "team" (managers) or "" (everything visible)
    company: int | None = None


def _latest(field: str):
    revisions = QuotationRevision.objects.filter(quotation=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return Subquery(revisions.values(field)[:1])


def with_latest(qs: QuerySet[Quotation]) -> QuerySet[Quotation]:
    """Annotate each quotation with its latest revision's figures (``latest_<field>``)."""
    return qs.annotate(**{f"latest_{name}": _latest(name) for name in LATEST_FIELDS})


def quotation_queryset(user, filters: QuotationFilters) -> QuerySet[Quotation]:
    qs = with_latest(Quotation.objects.visible_to(user))
    if filters.scope == "mine":
        qs = qs.filter(owner=user)
    elif filters.scope == "team" and user.role == Role.MANAGER:
        qs = qs.filter(Q(owner__team__manager=user) | Q(owner=user))
    if filters.company:
        qs = qs.filter(company_id=filters.company)
    if filters.status:
        qs = qs.filter(status=filters.status)
    today = timezone.localdate()
    if filters.expired == "yes":
        qs = qs.filter(status__in=OPEN_STATUSES, latest_valid_until__lt=today)
    elif filters.expired == "no":
        qs = qs.exclude(status__in=OPEN_STATUSES, latest_valid_until__lt=today)
    if filters.q:
        term = filters.q.strip()[:100]
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(company__name__icontains=term)
            | Q(
                pk__in=QuotationLine.objects.filter(
                    Q(description__icontains=term) | Q(model__icontains=term)
                ).values("revision__quotation_id")
            )
        )
    return qs.order_by("-created_at", "-id")


def quotation_list(user, filters: QuotationFilters, *, page: int = 1, size: int = 20) -> Page:
    """One page of quotations with customer, owner and current-revision figures."""
    page = max(1, page)
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    offset = (page - 1) * size
    rows = list(
        quotation_queryset(user, filters).select_related("company", "owner")[
            offset : offset + size + 1
        ]
    )
    today = timezone.localdate()
    for row in rows:
        row.is_expired = is_expired(row.status, row.latest_valid_until, today)
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def is_expired(status: str, valid_until, today=None) -> bool:
    """An open (draft or sent) quotation whose current revision's validity has passed."""
    today = today or timezone.localdate()
    return status in OPEN_STATUSES and valid_until is not None and valid_until < today


def quotation_get(user, pk: int) -> Quotation:
    quotation = (
        Quotation.objects.visible_to(user)
        .select_related("company", "contact", "owner", "owner__team", "inquiry")
        .filter(pk=pk)
        .first()
    )
    if quotation is None:
        raise Http404
    return quotation


def revision_get(user, pk: int) -> QuotationRevision:
    revision = (
        QuotationRevision.objects.visible_to(user)
        .select_related(
            "quotation",
            "quotation__company",
            "quotation__contact",
            "quotation__owner",
            "quotation__owner__team",
            "quotation__owner__team__manager",
            "quotation__inquiry",
            "fx_rate",
            "sent_by",
        )
        .filter(pk=pk)
        .first()
    )
    if revision is None:
        raise Http404
    return revision


def line_get(user, pk: int) -> QuotationLine:
    line = (
        QuotationLine.objects.visible_to(user)
        .select_related("revision", "revision__quotation", "revision__quotation__company")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404
    return line


def approval_get(user, pk: int) -> MarginApproval:
    approval = (
        MarginApproval.objects.visible_to(user)
        .select_related("revision", "revision__quotation", "revision__quotation__owner__team")
        .filter(pk=pk)
        .first()
    )
    if approval is None:
        raise Http404
    return approval


def revisions_of(quotation: Quotation) -> list[QuotationRevision]:
    return list(quotation.revisions.order_by("created_at", "id"))


def revision_lines(revision: QuotationRevision) -> list[QuotationLine]:
    """The lines in order, each with ``photo_id`` (the catalogue photo its snapshot names, or
    None when that photo is gone), in two queries."""
    from tradewind.catalog.models import ProductPhoto

    lines = list(revision.lines.select_related("product").order_by("position", "id"))
    names = {line.photo for line in lines if line.photo}
    photos = dict(
        ProductPhoto.objects.filter(image__in=names).values_list("image", "pk") if names else []
    )
    for line in lines:
        line.photo_id = photos.get(line.photo)
    return lines


def revision_approvals(revision: QuotationRevision) -> list[MarginApproval]:
    return list(revision.approvals.select_related("requested_by", "approver", "decided_by"))


def _approvals(user) -> QuerySet[MarginApproval]:
    return MarginApproval.objects.visible_to(user).select_related(
        "revision",
        "revision__quotation",
        "revision__quotation__company",
        "revision__quotation__owner",
        "requested_by",
        "approver",
        "decided_by",
    )


def approvals_waiting(user, *, limit: int | None = 50) -> list[MarginApproval]:
    """Requests waiting for ``user``'s answer: theirs as approver (managers) or every request
    an admin may decide (admins see all; requests without a manager first)."""
    qs = _approvals(user).filter(decision=ApprovalStatus.PENDING)
    if user.is_superuser or user.role == Role.ADMIN:
        pass
    elif user.role == Role.MANAGER:
        qs = qs.filter(Q(approver=user) | Q(revision__quotation__owner__team__manager=user))
    else:
        return []
    qs = qs.order_by("requested_at", "id")
    return list(qs[:limit] if limit else qs)


def approvals_decided(user, *, days: int = 7, limit: int = 20) -> list[MarginApproval]:
    """Answers to the user's own requests in the last ``days`` days, newest first."""
    since = timezone.now() - timedelta(days=days)
    return list(
        _approvals(user)
        .filter(
            Q(requested_by=user) | Q(revision__quotation__owner=user),
            decision__in=(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED),
            decided_at__gte=since,
        )
        .order_by("-decided_at", "-id")[:limit]
    )


def approvals_history(user, *, limit: int = 50) -> list[MarginApproval]:
    """Recent answered requests the user can see (the approvals page's second list)."""
    return list(
        _approvals(user)
        .exclude(decision=ApprovalStatus.PENDING)
        .order_by("-decided_at", "-id")[:limit]
    )


def company_quotations(user, company, *, limit: int = 5) -> tuple[list[Quotation], int]:
    """The customer's latest quotations (with current-revision figures) and how many in all."""
    qs = with_latest(Quotation.objects.visible_to(user).filter(company=company))
    qs = qs.annotate(total_count=Window(expression=Count("id")))  # the count in the same query
    rows = list(qs.select_related("owner").order_by("-created_at", "-id")[:limit])
    today = timezone.localdate()
    for row in rows:
        row.is_expired = is_expired(row.status, row.latest_valid_until, today)
    return rows, (rows[0].total_count if rows else 0)
