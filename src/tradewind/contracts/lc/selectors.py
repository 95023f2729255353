"""Reads of the L/C desk, each through the visibility rule with its joins already applied.

The check state of many credits comes from annotations (the latest check's versions and whether
it has blocking discrepancies open), so a list costs the same few queries however long it is.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tradewind.contracts.lc.choices import CheckState, LcStatus, ReminderKind, Severity
from tradewind.contracts.lc.models import LcCheck, LcDiscrepancy, LetterOfCredit
from tradewind.contracts.lc.review import deadlines_of
from tradewind.customers.selectors import Page

EXPIRING_DAYS = 30  # "expiring soon": expiry or latest shipment within this many days
PAGE_SIZE = 25


def with_check_state(qs: QuerySet[LetterOfCredit]) -> QuerySet[LetterOfCredit]:
    latest = LcCheck.objects.filter(lc=OuterRef("pk")).order_by("-checked_at", "-id")
    blocking = LcDiscrepancy.objects.filter(
        lc_check_id=OuterRef("last_check_id"), severity=Severity.BLOCKING
    )
    return qs.annotate(
        last_check_id=Subquery(latest.values("pk")[:1]),
        last_check_terms=Subquery(latest.values("terms_version")[:1]),
        last_check_contract=Subquery(latest.values("contract_version")[:1]),
        last_check_at=Subquery(latest.values("checked_at")[:1]),
        has_open_blocking=Exists(blocking.filter(accepted_at__isnull=True)),
        has_blocking=Exists(blocking),
    )


def state_of(lc: LetterOfCredit) -> CheckState:
    """The check state from :func:`with_check_state`'s annotations."""
    if lc.last_check_id is None:
        return CheckState.NOT_CHECKED
    if lc.last_check_terms != lc.terms_version or lc.last_check_contract != lc.contract.version:
        return CheckState.OUTDATED
    if lc.has_open_blocking:
        return CheckState.BLOCKED
    return CheckState.ACCEPTED if lc.has_blocking else CheckState.CLEAR


def needs_check_q() -> Q:
    return (
        Q(last_check_id__isnull=True)
        | ~Q(last_check_terms=F("terms_version"))
        | ~Q(last_check_contract=F("contract__version"))
        | Q(has_open_blocking=True)
    )


def _base(user) -> QuerySet[LetterOfCredit]:
    return with_check_state(
        LetterOfCredit.objects.visible_to(user).select_related(
            "contract", "contract__company", "handler"
        )
    )


SHOW_CHOICES = ("open", "expiring", "to_check", "closed", "all")


def lc_list(user, *, scope: str = "mine", show: str = "open", q: str = "", page: int = 1) -> Page:
    qs = _base(user)
    if scope == "mine":
        qs = qs.filter(handler=user)
    if show == "closed":
        qs = qs.filter(status=LcStatus.CLOSED)
    elif show != "all":
        qs = qs.filter(status=LcStatus.OPEN)
    if show == "expiring":
        soon = timezone.localdate() + dt.timedelta(days=EXPIRING_DAYS)
        qs = qs.filter(Q(expiry_date__lte=soon) | Q(latest_shipment_date__lte=soon))
    elif show == "to_check":
        qs = qs.filter(needs_check_q())
    term = q.strip()[:100]
    if term:
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(contract__number__icontains=term)
            | Q(contract__company__name__icontains=term)
        )
    order = (
        ("expiry_date", "id")
        if show in ("open", "expiring", "to_check")
        else ("-received_on", "-id")
    )
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by(*order)[start : start + PAGE_SIZE + 1])
    for lc in rows:
        lc.check_state = state_of(lc)
    return Page(items=rows[:PAGE_SIZE], number=page, size=PAGE_SIZE, has_next=len(rows) > PAGE_SIZE)


def lc_get(user, pk: int) -> LetterOfCredit:
    lc = _base(user).filter(pk=pk).first()
    if lc is None:
        raise Http404
    lc.check_state = state_of(lc)
    return lc


def latest_check_with_discrepancies(lc: LetterOfCredit) -> LcCheck | None:
    check = lc.checks.select_related("checked_by").order_by("-checked_at", "-id").first()
    if check is not None:
        check.rows = list(check.discrepancies.select_related("accepted_by").order_by("position"))
    return check


def contract_lcs(user, contract) -> list[LetterOfCredit]:
    """The credits of one contract, newest first (the contract page's card)."""
    rows = list(_base(user).filter(contract=contract).order_by("-received_on", "-id"))
    for lc in rows:
        lc.check_state = state_of(lc)
    return rows


@dataclass(frozen=True)
class UpcomingDate:
    lc: LetterOfCredit
    kind: str
    label: str
    date: dt.date
    days_left: int


def upcoming_dates(user, *, horizon_days: int = 14, mine_only: bool = True) -> list[UpcomingDate]:
    """The coming latest shipment, presentation and expiry dates of open credits, soonest first."""
    today = timezone.localdate()
    until = today + dt.timedelta(days=horizon_days)
    qs = (
        LetterOfCredit.objects.visible_to(user)
        .open()
        .filter(expiry_date__gte=today - dt.timedelta(days=10))
        .filter(
            Q(latest_shipment_date__lte=until)
            | Q(expiry_date__lte=until)
            | Q(on_board_date__lte=until)
        )
        .select_related("contract", "contract__company")
    )
    if mine_only:
        qs = qs.filter(handler=user)
    labels = dict(ReminderKind.choices)
    found = []
    for lc in qs[:200]:
        for deadline in deadlines_of(lc).deadlines:
            left = (deadline.date - today).days
            if 0 <= left <= horizon_days:
                kind = deadline.kind.value
                found.append(UpcomingDate(lc, kind, str(labels[kind]), deadline.date, left))
    return sorted(found, key=lambda item: (item.date, item.lc.number, item.kind))
