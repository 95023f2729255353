"""Performing due sequence steps: the periodic job ``sequence-advance`` (every 5 minutes).

:func:`advance` takes one enrollment whose step is due, under a row lock, and in one
transaction: checks the stop conditions, performs the step, and moves the enrollment to the next
step (or completes it). Running it twice, or in two workers at once, performs each step once:

* the second run finds the enrollment locked or already moved on (``next_due_at`` in the
  future, or ``next_position`` past the step);
* an email step's outbox row is keyed ``seq:<enrollment>:<position>``; enqueueing it again
  returns the same row (a row cancelled by a pause is put back in the queue instead);
* a task step creates its customers Task inside the same transaction that moves the position
  on, so it exists exactly when the position has moved past it.

Before each step: the customer at the inquiry stage or later → stop (reason "inquiry"); the
address on the suppression list → stop (bounced / unsubscribed). Problems the rep can fix — an
empty merge field, no email address, a switched-off mailbox — **pause** the enrollment and give
the rep a follow-up task saying what to fix; they resume it from the customer's page.

Emails are put in the outbox only when due (not days ahead), so a stage change or a reply in
between is always seen. The send moment is the planned slot when it is still inside the buyer's
window, else the buyer's next window, spread by the enrollment id (``outreach.buyer_time``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tradewind.core.errors import DomainError
from tradewind.customers import services as customer_services
from tradewind.outreach import buyer_time, templating
from tradewind.outreach.choices import EnrollmentStatus, MessageStatus, StepKind, StopReason
from tradewind.outreach.models import Enrollment, OutboundMessage
from tradewind.outreach.sequences import (
    SUPPRESSION_TO_STOP,
    audit_status,
    due_after,
    past_first_contact,
    step_key,
    stop_rows,
)
from tradewind.outreach.suppression import suppression_reason

logger = logging.getLogger(__name__)
BATCH_SIZE = 500


def _lock_due(enrollment_id: int, now: dt.datetime) -> Enrollment | None:
    qs = Enrollment.objects.select_for_update(of=("self",))
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        qs = Enrollment.objects.select_for_update(of=("self",), skip_locked=True)
    return (
        qs.select_related(
            "sequence", "company", "company__owner", "contact", "mailbox", "enrolled_by"
        )
        .filter(
            pk=enrollment_id,
            status=EnrollmentStatus.ACTIVE,
            next_due_at__lte=now,
            sequence__is_active=True,
        )
        .first()
    )


def _stop_reason(enrollment: Enrollment) -> str | None:
    if past_first_contact(enrollment.company.stage):
        return StopReason.INQUIRY
    suppressed = suppression_reason(enrollment.contact.email) if enrollment.contact.email else None
    if suppressed is not None:
        return SUPPRESSION_TO_STOP.get(suppressed, StopReason.UNSUBSCRIBED)
    return None


def _task_for_rep(enrollment: Enrollment, title: str, due_at: dt.datetime, contact=True):
    """A follow-up for the customer's owner (else the enroller), made as the enroller."""
    company = enrollment.company
    assignee = company.owner or enrollment.enrolled_by
    try:
        return customer_services.task_create(
            actor=enrollment.enrolled_by,
            company_id=company.pk,
            title=title[:200],
            due_at=due_at,
            assignee=assignee,
            contact=enrollment.contact if contact else None,
        )
    except DomainError as exc:  # the enroller no longer sees the customer, or may not assign
        logger.warning("sequence task for enrollment %s not created: %s", enrollment.pk, exc)
        return None


def _pause_for(enrollment: Enrollment, problem: str, now: dt.datetime) -> str:
    enrollment.status = EnrollmentStatus.PAUSED
    enrollment.save(update_fields=["status", "updated_at"])
    title = _("Sequence “%(name)s” paused: %(problem)s; then resume it") % {
        "name": enrollment.sequence.name,
        "problem": problem,
    }
    _task_for_rep(enrollment, title, now)
    audit_status(None, enrollment, EnrollmentStatus.ACTIVE)
    return "paused"


def _send_moment(enrollment: Enrollment, clock, now: dt.datetime) -> dt.datetime:
    planned = enrollment.next_due_at
    start = max(now, planned)
    slot = buyer_time.send_slot(clock, now=start)
    if slot.send_at_utc == start:  # still inside the buyer's window
        return planned if now - planned < dt.timedelta(minutes=30) else now
    return buyer_time.send_slot(clock, now=now, spread_key=enrollment.pk).send_at_utc


def _enqueue(enrollment, step, rendered, scheduled_at) -> OutboundMessage:
    """The step's outbox row: new, or the one already queued under its key. A row that a
    pause cancelled (cancelled, no error) is put back in the queue with the fresh letter."""
    from tradewind.outreach.outbox import enqueue_message

    message = enqueue_message(
        idempotency_key=step_key(enrollment.pk, step.position),
        mailbox=enrollment.mailbox,
        to_email=enrollment.contact.email,
        subject=rendered.subject,
        body_text=rendered.body,
        scheduled_at=scheduled_at,
        company=enrollment.company,
        contact=enrollment.contact,
        enrollment=enrollment,
        template=step.template,
        is_bulk=True,
        created_by=enrollment.enrolled_by,
    )
    if message.status == MessageStatus.CANCELLED and not message.last_error:
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.CANCELLED).update(
            status=MessageStatus.SCHEDULED,
            subject=rendered.subject,
            body_text=rendered.body,
            scheduled_at=scheduled_at,
            updated_at=timezone.now(),
        )
    return message


def _email_step(enrollment, step, clock, now) -> dt.datetime | str:
    """The send moment of the queued email, or "paused" when the rep must fix something."""
    contact = enrollment.contact
    if not contact.email:
        return _pause_for(
            enrollment, _("%(name)s has no email address") % {"name": contact.name}, now
        )
    if not enrollment.mailbox.is_active:
        return _pause_for(
            enrollment,
            _("the mailbox %(box)s is switched off") % {"box": enrollment.mailbox.from_email},
            now,
        )
    context = templating.merge_context(
        contact=contact,
        company=enrollment.company,
        me=enrollment.enrolled_by,
        language=step.template.language,
    )
    try:
        rendered = templating.render_template(step.template, context)
    except templating.MissingMergeValue as exc:
        return _pause_for(enrollment, exc.message, now)
    scheduled_at = _send_moment(enrollment, clock, now)
    _enqueue(enrollment, step, rendered, scheduled_at)
    return scheduled_at


def _task_step(enrollment, step, now) -> dt.datetime:
    title = f"{StepKind(step.kind).label}: {step.task_title}"
    due_at = max(now, enrollment.next_due_at)
    _task_for_rep(enrollment, title, due_at)
    return due_at


def _move_on(enrollment, steps, done_position: int, done_at: dt.datetime, clock) -> None:
    following = [s for s in steps if s.position > done_position]
    if not following:
        enrollment.status, enrollment.next_due_at = EnrollmentStatus.COMPLETED, None
        enrollment.next_position = done_position + 1
    else:
        step = following[0]
        enrollment.next_position = step.position
        enrollment.next_due_at = due_after(clock, done_at, step.delay_working_days, enrollment.pk)
    enrollment.save(update_fields=["status", "next_position", "next_due_at", "updated_at"])


@transaction.atomic
def advance(enrollment, now: dt.datetime | None = None) -> str:
    """Perform the enrollment's due step; returns what happened ("sent", "task", "stopped",
    "paused", "completed" or "not due"). Tasks are written in the rep's language."""
    now = now or timezone.now()
    enrollment = _lock_due(getattr(enrollment, "pk", enrollment), now)
    if enrollment is None:
        return "not due"
    rep = enrollment.company.owner or enrollment.enrolled_by
    with translation.override(rep.language):
        return _perform(enrollment, now)


def _perform(enrollment: Enrollment, now: dt.datetime) -> str:
    reason = _stop_reason(enrollment)
    if reason is not None:
        stop_rows([enrollment], reason)
        return "stopped"
    steps = list(enrollment.sequence.steps.select_related("template"))
    step = next((s for s in steps if s.position >= enrollment.next_position), None)
    if step is None:
        enrollment.status, enrollment.next_due_at = EnrollmentStatus.COMPLETED, None
        enrollment.save(update_fields=["status", "next_due_at", "updated_at"])
        return "completed"
    try:
        clock = buyer_time.buyer_clock(enrollment.company)
    except DomainError as exc:
        return _pause_for(enrollment, exc.message, now)
    if step.kind == StepKind.EMAIL:
        done_at = _email_step(enrollment, step, clock, now)
        if done_at == "paused":
            return "paused"
        outcome = "sent"
    else:
        done_at, outcome = _task_step(enrollment, step, now), "task"
    _move_on(enrollment, steps, step.position, done_at, clock)
    return outcome


def advance_due(now: dt.datetime | None = None, *, limit: int = 10_000) -> dict[str, int]:
    """Advance every enrollment that is due, each in its own transaction; counts by outcome."""
    now = now or timezone.now()
    ids = list(
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE, next_due_at__lte=now, sequence__is_active=True
        )
        .order_by("next_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for enrollment_id in ids:
        try:
            outcome = advance(enrollment_id, now)
        except Exception:  # one broken enrollment must not hold up the others
            logger.exception("sequence step of enrollment %s failed", enrollment_id)
            outcome = "error"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@task()
def advance_sequences() -> dict[str, int]:
    """The periodic job (core.scheduler JOBS, every 5 minutes)."""
    return advance_due()
