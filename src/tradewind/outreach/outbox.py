"""The outbox: every outgoing message is a row, sent exactly once.

How a message goes out:

1. ``enqueue_message`` writes the row under an ``idempotency_key``. The key is unique: enqueueing
   the same key again (a retry, a double click, a second worker) returns the first row and makes
   no second one, whatever else differs.
2. A worker claims due rows in one short transaction (``claim_due``): on PostgreSQL
   ``SELECT … FOR UPDATE SKIP LOCKED`` (workers never wait for each other nor take the same
   row); on SQLite an IMMEDIATE transaction (the settings make every transaction one, so only
   one claimer at a time holds the write lock) with a conditional UPDATE. Claimed rows become
   ``sending`` with ``lease_owner`` and ``lease_expires_at``; each claim counts an attempt; and
   the Message-ID the letter will carry is generated (``make_msgid``) and stored *in that same
   transaction, before anything is sent*.
3. The worker sends by SMTP (``dispatch``) and, right after the server's 250, marks the row sent
   with one conditional UPDATE, committed at once. The email then goes on the customer's
   timeline, exactly once, in a separate step that any worker can finish (``timeline``).

A worker that dies (power cut, SIGKILL) leaves its rows ``sending``. When the lease runs out
(``TRADEWIND_OUTBOX_LEASE_SECONDS``) another worker claims them again, keeping their
Message-ID. Rows the dead worker had not yet sent go out once; the row it was sending when it
died goes out once too, because the server had not accepted it.

The remaining window: if the worker dies after the server answered 250 (it has the message) and
before the "sent" UPDATE commits, the row is still ``sending``; after the lease it is sent
again — a duplicate, never a loss, carrying the same Message-ID, which many receiving systems use
to drop the copy. The window is the time of one single-row UPDATE (well under a millisecond on
SQLite, about one network round trip on PostgreSQL), and how late the copy goes is bounded by
the lease. It cannot be closed from our side: SMTP has no way to ask a server "did you already take
this message?", so closing it needs the server's cooperation. A message that keeps killing its
worker is given up after ``MAX_ATTEMPTS`` claims.

Throttling happens at claim time, where claimers are serialised per mailbox: at most
``daily_cap`` messages per mailbox per local day of its owner (UTC for the workspace mailbox),
and with ``min_interval_seconds`` > 0 one message at a time, that long after the previous one.
A message over the limit is deferred (``next_attempt_at``), never failed.
"""

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import Mailbox, OutboundMessage
from tradewind.outreach.suppression import normalize_email, suppression_reason

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
INACTIVE_MAILBOX_DEFER = timedelta(minutes=15)
KEY_MAX_LENGTH = 120
SUBJECT_MAX_LENGTH = 300


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.TRADEWIND_OUTBOX_LEASE_SECONDS)


def new_worker_id() -> str:
    """Unique per process and start: host, process id and a random tail."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


# --- Enqueue ---------------------------------------------------------------------------------


def _clean_address(to_email: str) -> str:
    address = normalize_email(to_email)
    try:
        validate_email(address)
    except ValidationError as exc:
        raise DomainError(
            _("“%(address)s” is not a valid email address.") % {"address": to_email[:100]},
            field="to_email",
        ) from exc
    local, _at, domain = address.rpartition("@")
    if not local.isascii():
        raise DomainError(
            _("Addresses with non-Latin letters before the @ cannot be sent to yet."),
            field="to_email",
        )
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _check_letter(key: str, subject: str, body_text: str, scheduled_at: datetime) -> None:
    if not key or len(key) > KEY_MAX_LENGTH:
        raise DomainError(f"The idempotency key must be 1 to {KEY_MAX_LENGTH} characters.")
    if not subject.strip():
        raise DomainError(_("The subject is empty."), field="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise DomainError(
            _("The subject is longer than %(max)d characters.") % {"max": SUBJECT_MAX_LENGTH},
            field="subject",
        )
    if "\r" in subject or "\n" in subject:
        raise DomainError(_("The subject must be one line."), field="subject")
    if not body_text.strip():
        raise DomainError(_("The letter is empty."), field="body_text")
    if timezone.is_naive(scheduled_at):
        raise DomainError("scheduled_at must be an aware datetime.", field="scheduled_at")


def enqueue_message(
    *,
    idempotency_key: str,
    mailbox: Mailbox,
    to_email: str,
    subject: str,
    body_text: str,
    scheduled_at: datetime,
    company=None,
    contact=None,
    enrollment=None,
    template=None,
    is_bulk: bool = False,
    created_by=None,
) -> OutboundMessage:
    """Put a letter in the outbox, once per key; a listed address gives a cancelled row.

    The caller has already checked that ``created_by`` may write to ``company`` (the letters
    and sequences services do); this only checks that the parts fit together."""
    key = idempotency_key.strip()
    _check_letter(key, subject, body_text, scheduled_at)
    existing = OutboundMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    address = _clean_address(to_email)
    if not mailbox.is_active:
        raise DomainError(_("This mailbox is switched off."), field="mailbox")
    if contact is not None and company is not None and contact.company_id != company.pk:
        raise DomainError(_("That contact works for another company."), field="contact")
    message = OutboundMessage(
        idempotency_key=key,
        mailbox=mailbox,
        company=company,
        contact=contact,
        enrollment=enrollment,
        template=template,
        to_email=address,
        subject=subject.strip(),
        body_text=body_text,
        is_bulk=is_bulk,
        scheduled_at=scheduled_at,
        created_by=created_by,
    )
    reason = suppression_reason(address)
    if reason:
        message.status = MessageStatus.CANCELLED
        message.last_error = _("Not sent: the address is on the suppression list (%(reason)s).") % {
            "reason": reason
        }
    try:
        with transaction.atomic():
            message.save()
            audit_record(
                actor=created_by,
                action="create",
                instance=message,
                changes={
                    "to_email": address,
                    "subject": message.subject,
                    "scheduled_at": scheduled_at.isoformat(),
                    "status": message.status,
                },
                company_id=company.pk if company is not None else None,
            )
    except IntegrityError:
        # Another process enqueued the same key between our look-up and our insert.
        return OutboundMessage.objects.get(idempotency_key=key)
    return message


# --- Claim -----------------------------------------------------------------------------------


def _due_q(now: datetime) -> Q:
    waiting = Q(status=MessageStatus.SCHEDULED, scheduled_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=MessageStatus.SENDING, lease_expires_at__lt=now)
    return waiting | abandoned


def mailbox_zone(mailbox: Mailbox) -> ZoneInfo:
    owner = mailbox.owner
    return owner.zone if owner is not None else ZoneInfo("UTC")


@dataclass(frozen=True)
class Allowance:
    """How many of a mailbox's due messages may be claimed now, and when the rest may go."""

    count: int
    defer_until: datetime | None


def mailbox_allowance(mailbox: Mailbox, now: datetime) -> Allowance:
    """The daily cap and the throttle of one mailbox at ``now`` (messages in flight count)."""
    if not mailbox.is_active:
        return Allowance(0, now + INACTIVE_MAILBOX_DEFER)
    local_now = now.astimezone(mailbox_zone(mailbox))
    day_start = datetime.combine(local_now.date(), time.min, tzinfo=local_now.tzinfo)
    usage = OutboundMessage.objects.filter(mailbox=mailbox).aggregate(
        sent_today=Count("pk", filter=Q(status=MessageStatus.SENT, sent_at__gte=day_start)),
        in_flight=Count("pk", filter=Q(status=MessageStatus.SENDING, lease_expires_at__gte=now)),
        last_sent_at=Max("sent_at", filter=Q(status=MessageStatus.SENT)),
    )
    left_today = mailbox.daily_cap - usage["sent_today"] - usage["in_flight"]
    next_day = day_start + timedelta(days=1)
    if left_today <= 0:
        return Allowance(0, next_day)
    if mailbox.min_interval_seconds <= 0:
        return Allowance(left_today, next_day)  # what the cap leaves over goes tomorrow
    interval = timedelta(seconds=mailbox.min_interval_seconds)
    if usage["in_flight"]:
        return Allowance(0, now + interval)
    last = usage["last_sent_at"]
    if last is not None and last + interval > now:
        return Allowance(0, last + interval)
    return Allowance(1, now + interval)


def _candidates(now: datetime, limit: int) -> list[OutboundMessage]:
    rows = (
        OutboundMessage.objects.filter(_due_q(now))
        .select_related("mailbox", "mailbox__owner")
        .order_by("scheduled_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(rows[:limit])


def _lock_mailboxes(mailbox_ids) -> None:
    """Serialise claimers per mailbox on PostgreSQL, so two workers cannot both take the last
    messages under the cap. (SQLite's IMMEDIATE transaction already serialises all claimers.)"""
    if connection.features.has_select_for_update:
        list(Mailbox.objects.select_for_update().filter(pk__in=mailbox_ids).order_by("pk"))


def _split(rows: list[OutboundMessage], now: datetime):
    """Rows to claim, rows to defer (with until when) and rows to give up."""
    claim, defer, give_up = [], [], []
    by_mailbox: dict[int, list[OutboundMessage]] = {}
    for row in rows:
        if row.status == MessageStatus.SENDING and row.attempts >= MAX_ATTEMPTS:
            give_up.append(row)
        else:
            by_mailbox.setdefault(row.mailbox_id, []).append(row)
    _lock_mailboxes(sorted(by_mailbox))
    for mailbox_rows in by_mailbox.values():
        allowance = mailbox_allowance(mailbox_rows[0].mailbox, now)
        claim += mailbox_rows[: allowance.count]
        defer += [(row, allowance.defer_until) for row in mailbox_rows[allowance.count :]]
    return claim, defer, give_up


@transaction.atomic
def claim_due(worker_id: str, *, now: datetime | None = None, limit: int = 20):
    """Claim up to ``limit`` due messages for ``worker_id``; returns them, ready to send."""
    now = now or timezone.now()
    claim, defer, give_up = _split(_candidates(now, limit), now)
    for row, until in defer:
        OutboundMessage.objects.filter(pk=row.pk).filter(_due_q(now)).update(
            status=MessageStatus.SCHEDULED,
            next_attempt_at=until,
            lease_owner="",
            lease_expires_at=None,
            updated_at=now,
        )
    if give_up:
        OutboundMessage.objects.filter(pk__in=[row.pk for row in give_up]).filter(
            _due_q(now)
        ).update(
            status=MessageStatus.FAILED,
            lease_owner="",
            lease_expires_at=None,
            last_error=_("Given up: the sending worker stopped %(count)d times on this message.")
            % {"count": MAX_ATTEMPTS},
            updated_at=now,
        )
    if not claim:
        return []
    ids = [row.pk for row in claim]
    OutboundMessage.objects.filter(pk__in=ids).filter(_due_q(now)).update(
        status=MessageStatus.SENDING,
        lease_owner=worker_id,
        lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    claimed = list(
        OutboundMessage.objects.filter(
            pk__in=ids, status=MessageStatus.SENDING, lease_owner=worker_id
        )
        .select_related("mailbox", "mailbox__owner", "contact", "created_by", "template")
        .order_by("scheduled_at", "id")
    )
    _assign_message_ids(claimed)
    return claimed


def _assign_message_ids(rows: list[OutboundMessage]) -> None:
    """Give each claimed row its Message-ID before any byte is sent; a row claimed again keeps
    the one it had, so a re-sent copy is recognisably the same message."""
    fresh = [row for row in rows if not row.message_id]
    for row in fresh:
        domain = row.mailbox.from_email.rpartition("@")[2] or "localhost"
        row.message_id = make_msgid(domain=domain)
    if fresh:
        OutboundMessage.objects.bulk_update(fresh, ["message_id"])


def has_pending(now: datetime | None = None) -> bool:
    """Whether any message is due now or held by a worker (for ``--exit-when-idle``)."""
    now = now or timezone.now()
    return OutboundMessage.objects.filter(_due_q(now) | Q(status=MessageStatus.SENDING)).exists()
