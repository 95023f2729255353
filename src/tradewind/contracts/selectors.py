"""Reads for contracts, each through the visibility rule with its joins already made."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tradewind.contracts.choices import ApprovalDecision, ContractStatus
from tradewind.contracts.models import (
    Clause,
    Contract,
    ContractVersion,
    Deposit,
    PaymentTermApproval,
)
from tradewind.customers.selectors import Page

PAGE_SIZE = 20


@dataclass(frozen=True)
class ContractFilters:
    q: str = ""
    status: str = ""
    kind: str = ""


def contract_queryset(user, filters: ContractFilters) -> QuerySet[Contract]:
    qs = Contract.objects.visible_to(user).select_related("company", "owner")
    if filters.q:
        term = filters.q.strip()[:100]
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(company__name__icontains=term)
            | Q(buyer_reference__icontains=term)
            | Q(quotation__number__icontains=term)
        )
    if filters.status in ContractStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.kind in ("PI", "SC"):
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("-created_at", "-id")


def contract_list(user, filters: ContractFilters, *, page: int = 1, size: int = PAGE_SIZE) -> Page:
    start = (page - 1) * size
    rows = list(contract_queryset(user, filters)[start : start + size + 1])
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def contract_get(user, pk) -> Contract:
    contract = (
        Contract.objects.visible_to(user)
        .select_related("company", "owner", "quotation", "quotation_revision", "contact")
        .prefetch_related(
            "lines",
            Prefetch("clauses", queryset=Clause.objects.order_by("position", "id")),
            Prefetch("versions", queryset=ContractVersion.objects.order_by("number")),
            Prefetch("deposits", queryset=Deposit.objects.order_by("instalment_number")),
            Prefetch(
                "term_approvals",
                queryset=PaymentTermApproval.objects.select_related(
                    "requested_by", "decided_by", "approver"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def company_contracts(user, company, *, limit: int = 10) -> list[Contract]:
    return list(
        Contract.objects.visible_to(user)
        .filter(company=company)
        .order_by("-created_at", "-id")[:limit]
    )


def deposits_due(user, *, limit: int = 10) -> list[Deposit]:
    """Deposits not yet credited on signed contracts the user owns (managers: their team's)."""
    qs = (
        Deposit.objects.visible_to(user)
        .filter(credited_at__isnull=True, contract__status=ContractStatus.SIGNED)
        .select_related("contract", "contract__company")
        .order_by("due_date", "id")
    )
    if not (user.is_manager or user.is_workspace_admin):
        qs = qs.filter(contract__owner=user)
    return list(qs[:limit])


def approvals_waiting(user, *, limit: int = 10) -> list[PaymentTermApproval]:
    """Payment-term approvals this user may decide (managers, admins)."""
    if not (user.is_manager or user.is_workspace_admin):
        return []
    return list(
        PaymentTermApproval.objects.visible_to(user)
        .filter(decision=ApprovalDecision.PENDING)
        .exclude(requested_by=user)
        .select_related("contract", "contract__company", "requested_by")
        .order_by("requested_at")[:limit]
    )


def my_pending_approvals(user, *, limit: int = 5) -> list[PaymentTermApproval]:
    since = timezone.now() - timezone.timedelta(days=7)
    return list(
        PaymentTermApproval.objects.visible_to(user)
        .filter(requested_by=user)
        .filter(Q(decision=ApprovalDecision.PENDING) | Q(decided_at__gte=since))
        .select_related("contract", "contract__company", "decided_by")
        .order_by("-requested_at")[:limit]
    )


def version_get(user, pk) -> ContractVersion:
    version = (
        ContractVersion.objects.visible_to(user).select_related("contract").filter(pk=pk).first()
    )
    if version is None:
        raise Http404
    return version


def quotations_awaiting_contract(user, company, *, limit: int = 5) -> list:
    """The customer's accepted quotations that have no PI or contract yet."""
    from tradewind.quotes.models import Quotation

    made = Contract.objects.exclude(status=ContractStatus.CANCELLED).values("quotation_id")
    return list(
        Quotation.objects.visible_to(user)
        .filter(company=company, status="accepted", accepted_revision__isnull=False)
        .exclude(pk__in=made)
        .order_by("-decided_at", "-id")[:limit]
    )
