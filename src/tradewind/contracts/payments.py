"""Payment terms chosen by the buyer's credit, the manager's approval for D/A or O/A beyond the
credit-insurance limit, deposits (due → bank slip → credited) and the production gate.

A bank slip (水单) is the buyer's word that money was sent; only money credited to our account
counts. Production starts when every deposit is credited and, when the terms include an L/C, the
L/C has been checked against the contract (DOMAIN.md §1 A).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.contracts import credit, schedule
from tradewind.contracts.choices import ApprovalDecision, ContractStatus
from tradewind.contracts.models import Contract, Deposit, PaymentTermApproval
from tradewind.contracts.services import (
    _audit,
    _expected,
    _require_editable,
    save_guarded,
    visible_contract,
)
from tradewind.core.errors import DomainError, NotFound, PermissionDenied

MAX_COMMENT = 2000


def lc_checked(contract: Contract) -> bool:
    """Whether the L/C desk has checked the contract's L/C (False until that desk exists)."""
    import importlib

    try:
        module = importlib.import_module("tradewind.contracts.lc.status")
    except ModuleNotFoundError as exc:
        if exc.name in ("tradewind.contracts.lc", "tradewind.contracts.lc.status"):
            return False
        raise
    return bool(module.lc_checked(contract))


# Terms ------------------------------------------------------------------------------------------


@transaction.atomic
def contract_set_payment_terms(
    *, actor, contract_id: int, lock_version, code: str, instalments=None
) -> credit.Recommendation:
    """Choose the payment terms (a template or custom instalments) and build the schedule; the
    credit assessment of the choice is kept with it."""
    contract = visible_contract(actor, contract_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    before = contract.payment_terms_text
    terms = schedule.rebuild_schedule(contract, code=code, rows=instalments)
    recommendation = credit.recommend(contract, terms=terms)
    verdict, assessment = recommendation.verdict, recommendation.assessment
    contract.payment_assessment = {
        "status": verdict.status,
        "reasons": list(verdict.reasons),
        "category": str(terms.category),
        "rank": terms.category.rank,
        "assessed_at": timezone.now().isoformat(),
        "all_reasons": list(assessment.reasons),
    }
    save_guarded(
        contract,
        expected,
        [
            "payment_terms_code",
            "payment_terms",
            "payment_terms_text",
            "payment_schedule",
            "deposit_amount",
            "deposit_due_date",
            "payment_assessment",
        ],
    )
    _audit(
        actor,
        "update",
        contract,
        {"payment_terms_text": [before, contract.payment_terms_text]},
        contract=contract,
    )
    return recommendation


# Approvals --------------------------------------------------------------------------------------


def _approver_for(actor):
    from tradewind.accounts.models import Team

    team = Team.objects.select_related("manager").filter(pk=actor.team_id).first()
    return team.manager if team is not None else None


def may_decide(user, approval: PaymentTermApproval) -> bool:
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and approval.requested_by_id != user.pk


@transaction.atomic
def approval_request(*, actor, contract_id: int, comment: str = "") -> PaymentTermApproval:
    """Ask a manager to approve D/A or O/A beyond the credit-insurance limit."""
    contract = visible_contract(actor, contract_id, lock=True)
    _require_editable(contract)
    recommendation = credit.recommend(contract)
    verdict = recommendation.verdict
    if verdict is None:
        raise DomainError(_("Choose the payment terms first."), field="payment_terms")
    if verdict.status != "needs_approval":
        raise DomainError(
            _("These payment terms do not need a manager's approval.")
            if verdict.status in ("allowed", "approved")
            else _(
                "These payment terms are refused for this buyer; a manager cannot approve them."
            ),
            field="payment_terms",
        )
    if contract.term_approvals.filter(
        decision=ApprovalDecision.PENDING, version=contract.version
    ).exists():
        raise DomainError(_("An approval request is already waiting for a manager."))
    facts = recommendation.facts
    approval = PaymentTermApproval.objects.create(
        contract=contract,
        version=contract.version,
        terms_code=contract.payment_terms_code,
        terms_text=recommendation.chosen.text,
        amount=contract.total_amount,
        currency=contract.currency,
        limit_amount=facts.limit.limit_amount if facts.limit else None,
        exposure=facts.exposure,
        reasons=list(verdict.reasons),
        requested_by=actor,
        request_comment=(comment or "").strip()[:MAX_COMMENT],
        approver=_approver_for(actor),
    )
    _audit(actor, "request_approval", approval, {"terms_text": approval.terms_text},
           contract=contract)  # fmt: skip
    return approval


@transaction.atomic
def approval_decide(
    *, actor, approval_id: int, approve: bool, comment: str = ""
) -> PaymentTermApproval:
    approval = (
        PaymentTermApproval.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("contract")
        .filter(pk=approval_id)
        .first()
    )
    if approval is None:
        raise NotFound(_("No such approval request."))
    if not may_decide(actor, approval):
        raise PermissionDenied(
            _("Only a manager other than the requester can decide on payment terms.")
        )
    if approval.decision != ApprovalDecision.PENDING:
        raise DomainError(_("This request has already been decided."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError(_("Say why the terms are rejected."), field="comment")
    approval.decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.REJECTED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.decision_comment = comment[:MAX_COMMENT]
    approval.save()
    _audit(actor, "approve" if approve else "reject", approval,
           {"decision_comment": approval.decision_comment}, contract=approval.contract)  # fmt: skip
    return approval


# Deposits ---------------------------------------------------------------------------------------


def _visible_deposit(actor, deposit_id) -> Deposit:
    deposit = (
        Deposit.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("contract")
        .filter(pk=deposit_id)
        .first()
    )
    if deposit is None:
        raise NotFound(_("No such deposit."))
    if deposit.contract.status == ContractStatus.CANCELLED:
        raise DomainError(_("The contract is cancelled."))
    return deposit


def _text(value, name: str, limit: int = 80) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=name)
    return value


@transaction.atomic
def deposit_record_slip(
    *, actor, deposit_id: int, reference: str = "", received_at=None
) -> Deposit:
    """The buyer sent a bank slip. Recorded — but it is not money: production still waits."""
    deposit = _visible_deposit(actor, deposit_id)
    if deposit.credited_at is not None:
        raise DomainError(_("This deposit is already credited."))
    deposit.slip_reference = _text(reference, "reference")
    deposit.slip_received_at = received_at or timezone.now()
    deposit.save(update_fields=["slip_reference", "slip_received_at"])
    _audit(actor, "slip", deposit, {"slip_reference": deposit.slip_reference},
           contract=deposit.contract)  # fmt: skip
    return deposit


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Give the amount as a number, e.g. 3690.00."), field="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError(_("The amount credited must be above zero."), field="amount")
    if amount > Decimal("999999999999"):
        raise DomainError(_("That amount is too large."), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Give the amount with at most 2 decimals."), field="amount")
    return amount


@transaction.atomic
def deposit_credit(
    *, actor, deposit_id: int, amount, value_date: dt.date, bank_reference: str = ""
) -> Deposit:
    """The money is on our account: record the amount and the value date."""
    deposit = _visible_deposit(actor, deposit_id)
    if deposit.credited_at is not None:
        raise DomainError(_("This deposit is already credited."))
    credited = _amount(amount)
    if not isinstance(value_date, dt.date):
        raise DomainError(_("Give the value date of the credit."), field="value_date")
    if value_date > timezone.localdate():
        raise DomainError(_("The value date cannot be in the future."), field="value_date")
    deposit.amount_credited = credited
    deposit.credited_on = value_date
    deposit.credited_at = timezone.now()
    deposit.bank_reference = _text(bank_reference, "bank_reference")
    deposit.save()
    changes = {"amount_credited": str(credited), "credited_on": value_date.isoformat()}
    _audit(actor, "credit", deposit, changes, contract=deposit.contract)
    return deposit


# Production gate ---------------------------------------------------------------------------------


def production_blockers(contract: Contract) -> list[str]:
    """Why production cannot start yet (empty: it can)."""
    if contract.production_started_at:
        return [_("Production has already started.")]
    if contract.status != ContractStatus.SIGNED:
        return [_("The contract is not signed.")]
    blockers = []
    if schedule.needs_deposit(contract) and not schedule.deposits_credited(contract):
        slips = [d for d in contract.deposits.all() if d.slip_received_at and not d.credited_at]
        if slips:
            blockers.append(
                _("A bank slip is not money: the deposit must be credited to our account.")
            )
        else:
            blockers.append(_("The deposit has not been credited yet."))
    if schedule.needs_lc(contract) and not lc_checked(contract):
        blockers.append(_("The L/C has not been checked against the contract yet."))
    return blockers


@transaction.atomic
def production_start(*, actor, contract_id: int) -> Contract:
    contract = visible_contract(actor, contract_id, lock=True)
    blockers = production_blockers(contract)
    if blockers:
        raise DomainError(" ".join(blockers), code="blocked")
    contract.production_started_at = timezone.now()
    save_guarded(contract, contract.lock_version, ["production_started_at"])
    _audit(actor, "start_production", contract, contract=contract)
    return contract
