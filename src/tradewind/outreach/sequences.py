"""Follow-up sequences: their steps, and what stops, pauses or resumes an enrollment.

A sequence is a list of steps — an email from a template, or a task for the rep (call, WhatsApp,
LinkedIn) — each a number of the **buyer's working days** after the previous one
(``outreach.buyer_time``). Contacts are enrolled by ``outreach.enrolment``; the runner
(``outreach.sequence_runner``) performs due steps.

Rules:

* Email steps use a template the owner may use and that has no ``{{ custom.* }}`` fields
  (nobody would fill them in); task steps need a title. 1 to 20 steps, delays 0–60 days.
* Editing a sequence replaces its steps; enrollments keep their position number, so one past
  the new last step completes at its next run.
* A sequence with enrollments is switched off, not deleted (their history stays).

Stops: a reply (the inbox calls :func:`stop_enrollments`), a bounce or unsubscribe (the outbox
calls :func:`stop_for_address`), the customer reaching the inquiry stage (checked by the runner
before each step), or the rep. Stopping or pausing cancels the enrollment's emails still waiting
in the outbox; a paused enrollment resumes from the first step not sent, rescheduled from now.
Judgement call: "inquiry or later" includes *lost*, not *dormant* — a reactivation sequence for
a dormant customer is legitimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers.choices import Stage
from tradewind.outreach import buyer_time, sharing, templating
from tradewind.outreach.choices import EnrollmentStatus, MessageStatus, StepKind, StopReason
from tradewind.outreach.models import (
    EmailTemplate,
    Enrollment,
    OutboundMessage,
    Sequence,
    SequenceStep,
)

MAX_STEPS = 20
OPEN_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
_STAGES = list(Stage.values)


def past_first_contact(stage: str) -> bool:
    """Inquiry or later (lost included); a dormant customer may be re-contacted."""
    if stage == Stage.DORMANT or stage not in _STAGES:
        return False
    return _STAGES.index(stage) >= _STAGES.index(Stage.INQUIRY)


def step_key(enrollment_id: int, position: int) -> str:
    """The outbox idempotency key of one email step of one enrollment."""
    return f"seq:{enrollment_id}:{position}"


@dataclass(frozen=True)
class StepSpec:
    kind: str
    delay_working_days: int = 0
    template_id: int | None = None
    task_title: str = ""


# --- Sequences -------------------------------------------------------------------------------


def _check_step(actor, number: int, spec: StepSpec) -> SequenceStep:
    prefix = _("Step %(n)s: ") % {"n": number}
    if spec.kind not in StepKind.values:
        raise DomainError(prefix + _("choose an email or a task."), field="steps")
    if not 0 <= int(spec.delay_working_days) <= buyer_time.MAX_DELAY_WORKING_DAYS:
        raise DomainError(prefix + _("the delay is 0 to 60 working days."), field="steps")
    step = SequenceStep(
        position=number, kind=spec.kind, delay_working_days=int(spec.delay_working_days)
    )
    if spec.kind == StepKind.EMAIL:
        if spec.template_id is None:
            raise DomainError(prefix + _("choose the template to send."), field="steps")
        try:
            step.template = sharing.usable_or_404(EmailTemplate, actor, spec.template_id)
        except NotFound:
            raise DomainError(
                prefix + _("that template is not yours to use."), field="steps"
            ) from None
        custom = templating.custom_fields_used(step.template.subject, step.template.body)
        if custom:
            raise DomainError(
                prefix
                + _("“%(name)s” uses custom fields (%(fields)s), which a sequence cannot fill.")
                % {"name": step.template.name, "fields": ", ".join(custom)},
                field="steps",
            )
    else:
        step.task_title = (spec.task_title or "").strip()
        if not step.task_title:
            raise DomainError(prefix + _("say what the task is."), field="steps")
        if len(step.task_title) > 200:
            raise DomainError(prefix + _("the task is at most 200 characters."), field="steps")
    return step


def _steps_summary(steps) -> list[str]:
    return [
        f"{s.position}. {s.kind} +{s.delay_working_days}d "
        + (s.template.name if s.template_id else s.task_title)
        for s in steps
    ]


@transaction.atomic
def sequence_save(
    *,
    actor,
    sequence_id: int | None = None,
    name: str,
    steps: list[StepSpec],
    is_shared: bool = False,
    is_active: bool = True,
) -> Sequence:
    """Create a sequence or replace its settings and steps (enrollments keep their position)."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_("Give the sequence a name (at most 120 characters)."), field="name")
    if not steps:
        raise DomainError(_("Add at least one step."), field="steps")
    if len(steps) > MAX_STEPS:
        raise DomainError(_("A sequence has at most 20 steps."), field="steps")
    new_steps = [_check_step(actor, n, spec) for n, spec in enumerate(steps, start=1)]
    if sequence_id is None:
        sequence, before = Sequence(owner=actor), None
    else:
        sequence = sharing.usable_or_404(Sequence, actor, sequence_id, for_change=True, lock=True)
        old = sequence.steps.select_related("template")
        before = {
            "name": sequence.name,
            "is_shared": sequence.is_shared,
            "is_active": sequence.is_active,
            "steps": _steps_summary(old),
        }
    sequence.name, sequence.is_shared, sequence.is_active = name, bool(is_shared), bool(is_active)
    sequence.save()
    sequence.steps.all().delete()
    for step in new_steps:
        step.sequence = sequence
    SequenceStep.objects.bulk_create(new_steps)
    after = {"name": name, "is_shared": sequence.is_shared, "is_active": sequence.is_active}
    after["steps"] = _steps_summary(new_steps)
    if before is None:
        audit_record(actor=actor, action="create", instance=sequence, changes=after)
    else:
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        if changes:
            audit_record(actor=actor, action="update", instance=sequence, changes=changes)
    return sequence


@transaction.atomic
def sequence_delete(*, actor, sequence_id: int) -> None:
    sequence = sharing.usable_or_404(Sequence, actor, sequence_id, for_change=True, lock=True)
    if sequence.enrollments.exists():
        raise DomainError(
            _(
                "Contacts have been enrolled in this sequence — switch it off instead, to keep "
                "their history."
            )
        )
    audit_record(actor=actor, action="delete", instance=sequence, changes={"name": sequence.name})
    sequence.delete()


def due_after(clock, moment: dt.datetime, delay_days: int, spread_key: int) -> dt.datetime:
    """The buyer's morning ``delay_days`` working days after ``moment`` (0: the next one)."""
    if delay_days == 0:
        start = moment
    else:
        day = buyer_time.add_working_days(clock, moment.astimezone(clock.zone).date(), delay_days)
        start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=clock.zone)
    return buyer_time.send_slot(clock, now=start, spread_key=spread_key).send_at_utc


# --- Pause, resume, stop ---------------------------------------------------------------------


def _cancel_waiting(enrollment_ids, note: str = "") -> dict[int, int]:
    """Cancel the enrollments' emails still waiting in the outbox; {enrollment: first position}.
    A pause leaves ``note`` empty: the runner puts such a row back in the queue on resume."""
    waiting = list(
        OutboundMessage.objects.filter(
            enrollment_id__in=enrollment_ids, status=MessageStatus.SCHEDULED
        ).values_list("pk", "enrollment_id", "idempotency_key")
    )
    cancelled = OutboundMessage.objects.filter(
        pk__in=[pk for pk, _e, _k in waiting], status=MessageStatus.SCHEDULED
    ).update(status=MessageStatus.CANCELLED, last_error=note, updated_at=timezone.now())
    first: dict[int, int] = {}
    if cancelled:
        for _pk, enrollment_id, key in waiting:
            position = int(key.rsplit(":", 1)[-1])
            first[enrollment_id] = min(position, first.get(enrollment_id, position))
    return first


def audit_status(actor, enrollment: Enrollment, old_status: str, **changes) -> None:
    """An "update" event with the status change, readable on the company page's history."""
    audit_record(
        actor=actor,
        action="update",
        instance=enrollment,
        changes={"status": [old_status, enrollment.status], **changes},
        company_id=enrollment.company_id,
    )


def _visible_enrollment(actor, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("sequence", "contact", "company")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None:
        raise NotFound(_("No such enrollment."))
    return enrollment


@transaction.atomic
def enrollment_pause(*, actor, enrollment_id: int) -> Enrollment:
    enrollment = _visible_enrollment(actor, enrollment_id)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise DomainError(_("Only an active enrollment can be paused."))
    rewind = _cancel_waiting([enrollment.pk]).get(enrollment.pk)
    if rewind is not None:
        enrollment.next_position = min(rewind, enrollment.next_position)
    enrollment.status = EnrollmentStatus.PAUSED
    enrollment.save(update_fields=["status", "next_position", "updated_at"])
    audit_status(actor, enrollment, EnrollmentStatus.ACTIVE)
    return enrollment


@transaction.atomic
def enrollment_resume(*, actor, enrollment_id: int, now=None) -> Enrollment:
    """Carry on from the first step not yet done, scheduled from now in the buyer's window."""
    now = now or timezone.now()
    enrollment = _visible_enrollment(actor, enrollment_id)
    if enrollment.status != EnrollmentStatus.PAUSED:
        raise DomainError(_("Only a paused enrollment can be resumed."))
    clock = buyer_time.buyer_clock(enrollment.company)
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.next_due_at = buyer_time.send_slot(
        clock, now=now, spread_key=enrollment.pk
    ).send_at_utc
    enrollment.save(update_fields=["status", "next_due_at", "updated_at"])
    audit_status(
        actor,
        enrollment,
        EnrollmentStatus.PAUSED,
        next_due_at=[None, enrollment.next_due_at.isoformat()],
    )
    return enrollment


@transaction.atomic
def enrollment_stop(*, actor, enrollment_id: int) -> Enrollment:
    enrollment = _visible_enrollment(actor, enrollment_id)
    if enrollment.status not in OPEN_STATUSES:
        raise DomainError(_("This enrollment has already ended."))
    stop_rows([enrollment], StopReason.MANUAL, actor=actor)
    return enrollment


def stop_rows(enrollments, reason: str, *, actor=None) -> int:
    note = _("Not sent: the sequence stopped (%(reason)s).") % {"reason": StopReason(reason).label}
    _cancel_waiting([e.pk for e in enrollments], note=note)
    for enrollment in enrollments:
        old_status = enrollment.status
        enrollment.status, enrollment.stop_reason = EnrollmentStatus.STOPPED, reason
        enrollment.next_due_at = None
        enrollment.save(update_fields=["status", "stop_reason", "next_due_at", "updated_at"])
        audit_status(actor, enrollment, old_status, stop_reason=["", str(reason)])
    return len(enrollments)


SUPPRESSION_TO_STOP = {
    "unsubscribed": StopReason.UNSUBSCRIBED,
    "complaint": StopReason.UNSUBSCRIBED,
    "bounced": StopReason.BOUNCED,
    "manual": StopReason.UNSUBSCRIBED,
}


def stop_reason_of(reason) -> str:
    """A StopReason from a StopReason or a SuppressionReason value."""
    value = str(getattr(reason, "value", reason))
    if value in StopReason.values:
        return value
    if value in SUPPRESSION_TO_STOP:
        return SUPPRESSION_TO_STOP[value]
    raise ValueError(f"unknown stop reason {reason!r}")


@transaction.atomic
def stop_enrollments(*, contact=None, company=None, email=None, reason, actor=None) -> int:
    """Stop every active or paused enrollment of the contact, the company or the address.

    For the inbox (a reply), the outbox (bounce, unsubscribe) and the customer pages; no
    visibility check, as the callers are the system. Returns how many were stopped.
    """
    reason = stop_reason_of(reason)
    match = Q()
    if contact is not None:
        match |= Q(contact=contact)
    if company is not None:
        match |= Q(company=company)
    if email:
        match |= Q(contact__email__iexact=email.strip())
    if not match:
        raise ValueError("stop_enrollments needs a contact, a company or an email")
    enrollments = list(
        Enrollment.objects.select_for_update(of=("self",))
        .filter(match, status__in=OPEN_STATUSES)
        .select_related("sequence")
        .order_by("pk")
    )
    return stop_rows(enrollments, reason, actor=actor)


def stop_for_address(email: str, reason) -> int:
    """Stop the sequences of whoever has this address (bounced, unsubscribed, complained)."""
    return stop_enrollments(email=email, reason=reason)
