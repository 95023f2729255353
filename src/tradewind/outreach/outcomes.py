"""What happens to a claimed outbox message after the SMTP conversation (see ``outbox``).

Every function here changes the row only while the calling worker still holds it
(``status = sending AND lease_owner = worker``): a worker whose lease was taken over cannot
overwrite what the new holder does. Each returns whether it applied.

- Sent: one UPDATE to ``sent``, nothing else; the email goes on the customer's timeline right
  after, exactly once, in ``outreach.timeline``.
- Temporary failure (4xx, connection lost): back to ``scheduled`` with exponential backoff
  (1, 2, 4 … minutes, at most an hour); ``failed`` once ``MAX_ATTEMPTS`` claims are used up.
- Bounce (5xx to RCPT): ``failed``; the address goes on the suppression list (which stops its
  sequences and cancels its waiting mail), and a note on the timeline of each customer whose
  contact has that address says so. Nothing is deleted: the contact keeps the address.
- Rejected (5xx to MAIL or DATA: sender or content refused): ``failed``, address untouched.
- Cancelled: the address is suppressed; never sent.
- Released: handed back unsent (lease about to run out, worker stopping); the claim is not
  counted as an attempt.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.customers import services as customer_services
from tradewind.customers.choices import ActivityKind, Direction
from tradewind.customers.models import Contact
from tradewind.outreach.choices import MessageStatus, SuppressionReason
from tradewind.outreach.models import OutboundMessage
from tradewind.outreach.outbox import MAX_ATTEMPTS, RETRY_BASE_SECONDS, RETRY_MAX_SECONDS
from tradewind.outreach.suppression import suppression_add

logger = logging.getLogger(__name__)


def _held(message: OutboundMessage, worker_id: str):
    return OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, lease_owner=worker_id
    )


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th try: 1, 2, 4, 8 … minutes, at most an hour."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def record_sent(message: OutboundMessage, *, worker_id: str, now: datetime) -> bool:
    """The server said 250: mark the row sent — one UPDATE, committed at once. Filing it on the
    customer's timeline follows separately, exactly once (``outreach.timeline``)."""
    updated = _held(message, worker_id).update(
        status=MessageStatus.SENT,
        sent_at=now,
        lease_owner="",
        lease_expires_at=None,
        next_attempt_at=None,
        last_error="",
        updated_at=now,
    )
    if not updated:
        logger.error(
            "outbox message %s was sent but its lease had been taken over; it may be sent twice",
            message.pk,
        )
        return False
    message.status, message.sent_at = MessageStatus.SENT, now
    return True


def record_retry(message: OutboundMessage, *, worker_id: str, now: datetime, error: str) -> bool:
    """A temporary failure: try again later, or give up after ``MAX_ATTEMPTS``."""
    if message.attempts >= MAX_ATTEMPTS:
        return record_failed(
            message,
            worker_id=worker_id,
            now=now,
            error=_("Gave up after %(count)d attempts. Last error: %(error)s")
            % {"count": message.attempts, "error": error},
        )
    return bool(
        _held(message, worker_id).update(
            status=MessageStatus.SCHEDULED,
            next_attempt_at=now + retry_delay(message.attempts),
            lease_owner="",
            lease_expires_at=None,
            last_error=error[:2000],
            updated_at=now,
        )
    )


def record_failed(message: OutboundMessage, *, worker_id: str, now: datetime, error: str) -> bool:
    return bool(
        _held(message, worker_id).update(
            status=MessageStatus.FAILED,
            lease_owner="",
            lease_expires_at=None,
            last_error=error[:2000],
            updated_at=now,
        )
    )


def record_cancelled(
    message: OutboundMessage, *, worker_id: str, now: datetime, reason: str
) -> bool:
    return bool(
        _held(message, worker_id).update(
            status=MessageStatus.CANCELLED,
            lease_owner="",
            lease_expires_at=None,
            last_error=reason[:2000],
            updated_at=now,
        )
    )


def release(messages, *, worker_id: str, now: datetime) -> int:
    """Hand claimed messages back unsent; their claim does not count as an attempt."""
    return OutboundMessage.objects.filter(
        pk__in=[message.pk for message in messages],
        status=MessageStatus.SENDING,
        lease_owner=worker_id,
    ).update(
        status=MessageStatus.SCHEDULED,
        lease_owner="",
        lease_expires_at=None,
        attempts=F("attempts") - 1,
        updated_at=now,
    )


def _note_bounce_on_timelines(message: OutboundMessage, answer: str, now: datetime) -> None:
    contacts = Contact.objects.filter(email__iexact=message.to_email).select_related(
        "company", "company__owner"
    )
    for contact in contacts:
        actor = message.created_by if contact.company_id == message.company_id else None
        actor = actor or contact.company.owner
        if actor is None:
            continue
        try:
            with translation.override(actor.language or "en"):
                customer_services.activity_log(
                    actor=actor,
                    company_id=contact.company_id,
                    kind=ActivityKind.NOTE,
                    direction=Direction.INTERNAL,
                    summary=_(
                        "The address %(address)s of %(name)s bounced (%(answer)s). It is on the "
                        "suppression list now: no more email goes to it, and its sequences stop."
                    )
                    % {"address": message.to_email, "name": contact.name, "answer": answer},
                    occurred_at=now,
                    contact=contact,
                )
        except DomainError as exc:
            logger.warning("bounce of %s not noted for contact %s: %s", message.pk, contact.pk, exc)


def record_bounce(message: OutboundMessage, *, worker_id: str, now: datetime, answer: str) -> bool:
    """A permanent refusal of the recipient: fail, list the address, tell the reps."""
    with transaction.atomic():
        failed = _held(message, worker_id).update(
            status=MessageStatus.FAILED,
            lease_owner="",
            lease_expires_at=None,
            last_error=_("The address was refused: %(answer)s") % {"answer": answer},
            updated_at=now,
        )
        if not failed:
            return False
        suppression_add(
            actor=None,
            email=message.to_email,
            reason=SuppressionReason.BOUNCED,
            detail=answer,
            company_id=message.company_id,
        )
        _note_bounce_on_timelines(message, answer, now)
    return True
