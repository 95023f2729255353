"""Margin approval: a revision priced below the handling rep's team minimum needs the manager's
yes before it can be sent.

The rule, applied every time a revision is priced (:func:`apply_margin_rule`):

* lowest line margin ≥ the team's ``min_margin_percent`` (or the rep has no team) →
  ``NOT_REQUIRED``;
* below it → ``REQUIRED``, unless the offer is exactly the one already approved (or waiting for
  an answer): an approval covers one offer, so any change of terms or lines while the margin is
  still below resets it to ``REQUIRED`` and withdraws a request still waiting.

A request (:func:`approval_request`) goes to the rep's team manager; the manager or an admin
approves or rejects it with a comment (:func:`approval_decide`). Mail goes out after commit: to
the approver on a request, to the rep on a decision. :func:`ensure_sendable` is the gate the
sending code calls.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.accounts.models import User
from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.quotes.choices import ApprovalStatus
from tradewind.quotes.models import MarginApproval, QuotationRevision

logger = logging.getLogger(__name__)
WITHDRAWN_COMMENT = "withdrawn: the revision changed after the request"
OPEN_STATUSES = (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)


def team_of(revision: QuotationRevision):
    owner = revision.quotation.owner
    return owner.team if owner is not None else None


def team_minimum(revision: QuotationRevision) -> Decimal | None:
    """The handling rep's team minimum margin (%), or None when the rep has no team."""
    team = team_of(revision)
    return None if team is None else team.min_margin_percent


def approver_for(revision: QuotationRevision):
    """The rep's team manager, or None (then any admin decides)."""
    team = team_of(revision)
    return None if team is None else team.manager


def is_below_minimum(revision: QuotationRevision) -> bool:
    minimum = team_minimum(revision)
    lowest = revision.lowest_margin_percent
    return minimum is not None and lowest is not None and lowest < minimum


def _withdraw_pending(revision: QuotationRevision, actor) -> None:
    for approval in revision.approvals.filter(decision=ApprovalStatus.PENDING):
        approval.decision = ApprovalStatus.REQUIRED
        approval.decided_at = timezone.now()
        approval.decision_comment = WITHDRAWN_COMMENT
        approval.save(update_fields=["decision", "decided_at", "decision_comment"])
        audit_record(
            actor=actor,
            action="withdraw",
            instance=approval,
            changes={"reason": WITHDRAWN_COMMENT},
            company_id=revision.quotation.company_id,
        )


def apply_margin_rule(revision: QuotationRevision, *, digest: str, actor=None) -> None:
    """Set ``revision.approval_status`` after pricing (the caller saves the revision)."""
    working = revision.working or {}
    same_offer = working.get("approval_fingerprint") == digest
    if not is_below_minimum(revision):
        if revision.approval_status == ApprovalStatus.PENDING:
            _withdraw_pending(revision, actor)
        if revision.approval_status != ApprovalStatus.APPROVED or not same_offer:
            revision.approval_status = ApprovalStatus.NOT_REQUIRED
        return
    if revision.approval_status in OPEN_STATUSES and same_offer:
        return
    if revision.approval_status == ApprovalStatus.REJECTED and same_offer:
        return
    if revision.approval_status == ApprovalStatus.PENDING:
        _withdraw_pending(revision, actor)
    revision.approval_status = ApprovalStatus.REQUIRED
    working.pop("approval_fingerprint", None)
    revision.working = working


def reset_after_change(revision: QuotationRevision, *, actor=None) -> None:
    """The offer changed and could not be priced: no approval stands for it any more."""
    if revision.approval_status == ApprovalStatus.PENDING:
        _withdraw_pending(revision, actor)
    revision.approval_status = ApprovalStatus.NOT_REQUIRED
    (revision.working or {}).pop("approval_fingerprint", None)


# --- Who may decide -------------------------------------------------------------------------


def can_decide(user, approval: MarginApproval) -> bool:
    """An admin, the approver named on the request, or the rep's current team manager."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role != Role.MANAGER:
        return False
    if approval.approver_id == user.pk:
        return True
    current = approver_for(approval.revision)
    return current is not None and current.pk == user.pk


def _visible_revision(actor, revision_id: int) -> QuotationRevision:
    revision = (
        QuotationRevision.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("quotation", "quotation__company", "quotation__owner__team__manager")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        raise NotFound(_("No such quotation."))
    return revision


def _visible_approval(actor, approval_id: int) -> MarginApproval:
    approval = (
        MarginApproval.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related(
            "revision",
            "revision__quotation",
            "revision__quotation__company",
            "revision__quotation__owner__team__manager",
            "requested_by",
            "approver",
        )
        .filter(pk=approval_id)
        .first()
    )
    if approval is None:
        raise NotFound(_("No such approval request."))
    return approval


# --- Request and decision -------------------------------------------------------------------


@transaction.atomic
def approval_request(*, actor, revision_id: int, comment: str = "") -> MarginApproval:
    """Ask the rep's team manager to approve a margin below the team minimum."""
    from tradewind.quotes.pricing import is_current

    revision = _visible_revision(actor, revision_id)
    if revision.is_frozen:
        raise DomainError(_("This revision is frozen: it was sent."), code="frozen")
    if not is_current(revision):
        raise DomainError(_("Price the revision first, then ask for approval."), field="price")
    if revision.approval_status == ApprovalStatus.PENDING:
        raise DomainError(_("An approval request is already waiting for an answer."))
    if revision.approval_status not in (ApprovalStatus.REQUIRED, ApprovalStatus.REJECTED):
        raise DomainError(_("This revision does not need an approval."))
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Say why the margin is below the minimum (e.g. a competing offer, a first order)."),
            field="comment",
        )
    if len(comment) > 2000:
        raise DomainError(_("Keep the reason under 2,000 characters."), field="comment")
    approval = MarginApproval.objects.create(
        revision=revision,
        requested_by=actor,
        request_comment=comment,
        margin_percent=revision.lowest_margin_percent,
        minimum_percent=team_minimum(revision),
        approver=approver_for(revision),
    )
    revision.approval_status = ApprovalStatus.PENDING
    working = revision.working or {}
    working["approval_fingerprint"] = working.get("fingerprint")
    revision.working = working
    revision.save(update_fields=["approval_status", "working", "updated_at"])
    audit_record(
        actor=actor,
        action="request",
        instance=approval,
        changes={
            "margin_percent": str(approval.margin_percent),
            "minimum_percent": str(approval.minimum_percent),
            "request_comment": comment,
            "approver": str(approval.approver or ""),
        },
        company_id=revision.quotation.company_id,
    )
    approval_id = approval.pk
    transaction.on_commit(lambda: notify_request(approval_id))
    return approval


@transaction.atomic
def approval_decide(
    *, actor, approval_id: int, approve: bool | None, comment: str = ""
) -> MarginApproval:
    """Approve or reject a waiting request: the rep's team manager or an admin only."""
    approval = _visible_approval(actor, approval_id)
    if not can_decide(actor, approval):
        raise PermissionDenied(
            _("Only the rep's team manager or an admin can decide on a margin approval.")
        )
    if approve is None:
        raise DomainError(_("Choose approve or reject."), field="decision")
    if approval.decision != ApprovalStatus.PENDING:
        raise DomainError(_("This request was already answered or withdrawn."))
    revision = QuotationRevision.objects.select_for_update(of=("self",)).get(
        pk=approval.revision_id
    )
    if revision.is_frozen:
        raise DomainError(_("This revision is frozen: it was sent."), code="frozen")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise DomainError(
            _("Say why you reject it, so the rep knows what to change."), field="comment"
        )
    if len(comment) > 2000:
        raise DomainError(_("Keep the comment under 2,000 characters."), field="comment")
    decision = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decision = decision
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.decision_comment = comment
    approval.save(update_fields=["decision", "decided_by", "decided_at", "decision_comment"])
    revision.approval_status = decision
    revision.save(update_fields=["approval_status", "updated_at"])
    audit_record(
        actor=actor,
        action="approve" if approve else "reject",
        instance=approval,
        changes={"decision_comment": comment},
        company_id=approval.revision.quotation.company_id,
    )
    approval_pk = approval.pk
    transaction.on_commit(lambda: notify_decision(approval_pk))
    return approval


def ensure_sendable(revision: QuotationRevision) -> None:
    """Raise DomainError unless ``revision`` may go to the buyer: a draft, priced from its
    current terms and lines, approved when its margin needs it, and still valid."""
    from tradewind.quotes.pricing import is_current

    if revision.is_frozen:
        raise DomainError(
            _("Rev. %(letter)s was already sent; make a new revision to send a changed offer.")
            % {"letter": revision.letter},
            code="frozen",
        )
    if not is_current(revision):
        raise DomainError(
            _("Price the revision before sending it (its terms or lines changed)."),
            field="price",
            code="not_priced",
        )
    status = revision.approval_status
    if status == ApprovalStatus.REQUIRED:
        raise DomainError(
            _("The margin is below your team's minimum: ask your manager for approval first."),
            code="approval_required",
        )
    if status == ApprovalStatus.PENDING:
        raise DomainError(
            _("The margin approval is still waiting for your manager's answer."),
            code="approval_pending",
        )
    if status == ApprovalStatus.REJECTED:
        raise DomainError(
            _("Your manager rejected this margin: change the price and price it again."),
            code="approval_rejected",
        )
    if revision.is_expired:
        raise DomainError(
            _("The validity date has passed: move “valid until” forward before sending."),
            field="valid_until",
            code="expired",
        )


# --- Mail -----------------------------------------------------------------------------------


def _link(name: str, pk: int) -> str:
    return settings.TRADEWIND_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _mail(user, subject_template: str, body_template: str, context: dict) -> None:
    if not user or not user.email or not user.is_active:
        return
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(user.zone):
        context = context | {"recipient": user}
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except Exception:  # a mail server down must not undo a committed decision
        logger.exception("margin approval mail to %s failed", user.email)


def _mail_context(approval: MarginApproval) -> dict:
    revision = approval.revision
    return {
        "approval": approval,
        "revision": revision,
        "quotation": revision.quotation,
        "company": revision.quotation.company,
        "revision_url": _link("quotations:revision-detail", revision.pk),
    }


def _load(approval_id: int) -> MarginApproval | None:
    return (
        MarginApproval.objects.select_related(
            "revision__quotation__company",
            "revision__quotation__owner",
            "requested_by",
            "approver",
            "decided_by",
        )
        .filter(pk=approval_id)
        .first()
    )


def notify_request(approval_id: int) -> None:
    """Mail the approver (or every admin, when the team has no manager)."""
    approval = _load(approval_id)
    if approval is None:
        return
    if approval.approver is not None:
        recipients = [approval.approver]
    else:
        recipients = list(User.objects.filter(is_active=True, role=Role.ADMIN).exclude(email=""))
    context = _mail_context(approval)
    for user in recipients:
        _mail(
            user,
            "quotes/quotations/email/approval_requested_subject.txt",
            "quotes/quotations/email/approval_requested.txt",
            context,
        )


def notify_decision(approval_id: int) -> None:
    """Mail the rep who asked (and the quotation's owner, when someone else asked)."""
    approval = _load(approval_id)
    if approval is None:
        return
    recipients = {approval.requested_by}
    owner = approval.revision.quotation.owner
    if owner is not None:
        recipients.add(owner)
    context = _mail_context(approval)
    for user in recipients:
        _mail(
            user,
            "quotes/quotations/email/approval_decided_subject.txt",
            "quotes/quotations/email/approval_decided.txt",
            context,
        )
