"""The outbox: every outgoing message is a row, sent exactly once.

How a message goes out:

1. ``enqueue_message`` (one letter) or ``enqueue_messages`` (a sequence's or a mass letter's
   many, in a fixed number of statements) writes the row under an ``idempotency_key``, with
   one audit event per row naming who queued it. The key is unique: enqueueing the same key
   again (a retry, a double click, a second worker) returns the first row and makes no second
   one, whatever else differs.
2. A worker claims due rows in one short transaction (``claim_due``, ``CLAIM_BATCH`` at a
   time): on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` (workers never wait for each other
   nor take the same row); on SQLite an IMMEDIATE transaction (the settings make every
   transaction one, so only one claimer at a time holds the write lock), the candidates read
   just before it. One conditional UPDATE per mailbox (only rows still due) makes the rows
   ``sending`` with ``lease_owner`` and ``lease_expires_at``, counts an attempt, and writes the
   Message-ID the letter will carry (``<claim stamp.row id@domain>``, unless the row has one
   from an earlier claim) — *in that same transaction, before anything is sent*.
3. The worker sends by SMTP (``dispatch``) on one connection kept open and, right after the
   server's 250, marks that row sent with one conditional UPDATE, committed at once, before
   the next message goes. When the batch is done, its sent messages go on the customers'
   timelines, exactly once, in one transaction that any worker can also finish later
   (``timeline``).

A worker that dies (power cut, SIGKILL) leaves its rows ``sending``. When the lease runs out
(``TRADEWIND_OUTBOX_LEASE_SECONDS``) another worker claims them again, keeping their
Message-ID. Rows the dead worker had not yet sent go out once; the row it was sending when it
died goes out once too, because the server had not accepted it.

The remaining window: if the worker dies after the server answered 250 (it has the message) and
before the "sent" UPDATE commits, the row is still ``sending``; after the lease it is sent
again — a duplicate, never a loss, carrying the same Message-ID, which many receiving systems use
to drop the copy. The window is one message wide and lasts one single-row UPDATE (well under a
millisecond on SQLite, about one network round trip on PostgreSQL): the "sent" marks are
deliberately not gathered into one UPDATE per batch, which would widen it to every message of
the batch sent so far. How late the copy goes is bounded by the lease. It cannot be closed from
our side: SMTP has no way to ask a server "did you already take this message?", so closing it
needs the server's cooperation. A message that keeps killing its worker is given up after
``MAX_ATTEMPTS`` claims.

On SQLite the outbox's writers also take turns through a file lock (``writer_turn``), and each
write transaction holds the one write lock only for writing: what can be read or prepared
before it is.

Throttling happens at claim time, where claimers are serialised per mailbox: at most
``daily_cap`` messages per mailbox per local day of its owner (UTC for the workspace mailbox),
and with ``min_interval_seconds`` > 0 one message at a time, that long after the previous one.
A message over the limit is deferred (``next_attempt_at``), never failed.
"""

import fcntl
import logging
import os
import secrets
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, F, Max, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import EmailTemplate, Mailbox, OutboundMessage
from tradewind.outreach.suppression import normalize_email, suppressed_among

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
INACTIVE_MAILBOX_DEFER = timedelta(minutes=15)
KEY_MAX_LENGTH = 120
SUBJECT_MAX_LENGTH = 300
INSERT_BATCH = 500  # rows per INSERT / per key look-up when enqueueing many
CLAIM_BATCH = 100  # messages a worker claims at once (``run_dispatcher``'s default)


# --- Taking turns to write on SQLite ----------------------------------------------------------

_turns = threading.local()


def _turn_file() -> int | None:
    """This thread's handle on the lock file beside the database (opened once per thread and
    process: a lock belongs to an open file, which threads and forked children would share)."""
    if getattr(_turns, "pid", None) != os.getpid():
        _turns.pid, _turns.files = os.getpid(), {}
    path = f"{connection.settings_dict['NAME']}-outbox.lock"
    if path not in _turns.files:
        try:
            _turns.files[path] = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:
            logger.warning("cannot open %s: outbox writers wait by SQLite's timeout", path)
            _turns.files[path] = None
    return _turns.files[path]


@contextmanager
def writer_turn():
    """On SQLite, the outbox's writers (claims, "sent" marks, filing, enqueueing) take turns
    through a file lock beside the database before each write transaction.

    SQLite has one writer at a time, and its own wait for the write lock sleeps in steps (1, 2,
    5, 10 … 100 ms), so it wakes late: with two workers, each blocked while the other writes a
    batch, that oversleeping cost about 7 % of the outbox's rate (benchmarks/outbox.py). A
    blocked file lock wakes as soon as it is released. The file lock only orders the outbox's
    writers among themselves; web requests keep SQLite's own waiting, which stays correct.
    Not taken inside an open transaction (it may already hold SQLite's lock: waiting for the
    file then could deadlock with a writer holding the file and waiting for SQLite), nor on
    PostgreSQL, whose row locks let workers write at the same time."""
    shared_file = connection.vendor == "sqlite" and not connection.is_in_memory_db()
    handle = _turn_file() if shared_file and not connection.in_atomic_block else None
    if handle is None:
        yield
        return
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)


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


@dataclass(frozen=True)
class Letter:
    """One letter for ``enqueue_messages``: who it goes to, what it says, when, and what it
    belongs to (the customer, contact, sequence enrollment and template it came from)."""

    idempotency_key: str
    to_email: str
    subject: str
    body_text: str
    scheduled_at: datetime
    company: object = None
    contact: object = None
    enrollment: object = None
    template: object = None
    is_bulk: bool = False


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
    letter = Letter(
        idempotency_key=idempotency_key,
        to_email=to_email,
        subject=subject,
        body_text=body_text,
        scheduled_at=scheduled_at,
        company=company,
        contact=contact,
        enrollment=enrollment,
        template=template,
        is_bulk=is_bulk,
    )
    [pk] = enqueue_messages([letter], mailbox=mailbox, created_by=created_by)
    return OutboundMessage.objects.get(pk=pk)


# The columns a new row is written with; the others keep their defaults.
ROW_COLUMNS = (
    "created_at",
    "updated_at",
    "idempotency_key",
    "mailbox",
    "company",
    "contact",
    "enrollment",
    "template",
    "to_email",
    "subject",
    "body_text",
    "is_bulk",
    "scheduled_at",
    "status",
    "attempts",
    "lease_owner",
    "message_id",
    "last_error",
    "created_by",
)
AUDIT_COLUMNS = (
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "company",
    "changes",
)


@dataclass
class _NewRow:
    """A letter checked and ready to insert."""

    key: str
    address: str
    subject: str
    letter: Letter
    status: str = MessageStatus.SCHEDULED
    last_error: str = ""


def _pk(value) -> int | None:
    return getattr(value, "pk", None)


def _checked(letter: Letter, key: str) -> _NewRow:
    """A letter that fits together (``_check_letter`` has passed), ready to insert."""
    address = _clean_address(letter.to_email)
    company, contact = letter.company, letter.contact
    if contact is not None and company is not None and contact.company_id != company.pk:
        raise DomainError(_("That contact works for another company."), field="contact")
    return _NewRow(key=key, address=address, subject=letter.subject.strip(), letter=letter)


def _insert_sql(model, columns) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


@dataclass
class _Insert:
    """The new rows and their audit events (as ``audit_record`` writes them: the actor, the
    row, its customer, what it says) as the database takes them, prepared before the write
    transaction; only the audit events' row ids are filled in inside it."""

    keys: list[str]
    rows: list[tuple]
    events: list[list]  # object_id (index 4) filled in once the rows are written


def _prepare(rows: list[_NewRow], mailbox: Mailbox, created_by) -> _Insert:
    as_db = {
        name: partial(field.get_db_prep_save, connection=connection)
        for name, field in (
            ("time", OutboundMessage._meta.get_field("created_at")),
            ("changes", AuditEvent._meta.get_field("changes")),
        )
    }
    now = as_db["time"](timezone.now())
    scheduled = {}
    actor_id, label = _pk(created_by), OutboundMessage._meta.label_lower
    values, events = [], []
    for row in rows:
        letter = row.letter
        if letter.scheduled_at not in scheduled:
            scheduled[letter.scheduled_at] = as_db["time"](letter.scheduled_at)
        values.append(
            (
                now,
                now,
                row.key,
                mailbox.pk,
                _pk(letter.company),
                _pk(letter.contact),
                _pk(letter.enrollment),
                _pk(letter.template),
                row.address,
                row.subject,
                letter.body_text,
                letter.is_bulk,
                scheduled[letter.scheduled_at],
                row.status,
                0,
                "",
                "",
                row.last_error,
                actor_id,
            )
        )
        changes = {
            "to_email": row.address,
            "subject": row.subject,
            "scheduled_at": letter.scheduled_at.isoformat(),
            "status": row.status,
        }
        events.append(
            [
                now,
                actor_id,
                "create",
                label,
                None,
                f"{row.address}: {row.subject}"[:200],  # str(OutboundMessage)
                _pk(letter.company),
                as_db["changes"](changes),
            ]
        )
    return _Insert(keys=[row.key for row in rows], rows=values, events=events)


def _ids_of(keys) -> dict[str, int]:
    ids: dict[str, int] = {}
    keys = list(keys)
    for start in range(0, len(keys), INSERT_BATCH):
        ids.update(
            OutboundMessage.objects.filter(
                idempotency_key__in=keys[start : start + INSERT_BATCH]
            ).values_list("idempotency_key", "pk")
        )
    return ids


def _write(batch: _Insert) -> dict[str, int]:
    """Insert the rows, then their audit events; returns the rows' ids by key."""
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(OutboundMessage, ROW_COLUMNS), batch.rows)
    ids = _ids_of(batch.keys)
    for key, event in zip(batch.keys, batch.events, strict=True):
        event[4] = ids[key]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(AuditEvent, AUDIT_COLUMNS), batch.events)
    return ids


def _write_one_by_one(batch: _Insert) -> dict[str, int]:
    """After a clash on a key (another process enqueued it since our look-up): each row in its
    own savepoint; a clashing key keeps the row that is there."""
    ids = {}
    for key, row, event in zip(batch.keys, batch.rows, batch.events, strict=True):
        try:
            with transaction.atomic():
                ids.update(_write(_Insert(keys=[key], rows=[row], events=[event])))
        except IntegrityError:
            ids[key] = OutboundMessage.objects.get(idempotency_key=key).pk
    return ids


def enqueue_messages(letters: list[Letter], *, mailbox: Mailbox, created_by=None) -> list[int]:
    """Put many letters in the outbox at once (a sequence, a mass letter) — what
    ``enqueue_message`` does for each, in a fixed number of queries: one row per key, a listed
    address gives a cancelled row, and one audit event per new row naming ``created_by``.
    Returns the id of each letter's row, in order: the row already stored under its key (also
    for a key given twice), else the new one. If any letter does not fit, ``DomainError`` is
    raised and nothing is written.

    Everything but the writing happens before the write transaction (on SQLite it holds the
    one write lock, which the workers sending need too): the checks, the look-ups of the keys
    and of the suppression list, the rows as the database takes them. A key that another
    process enqueues in between is caught by its unique index; that row is kept."""
    keys = [letter.idempotency_key.strip() for letter in letters]
    checked: dict[str, _NewRow | DomainError] = {}
    for key, letter in zip(keys, letters, strict=True):
        _check_letter(key, letter.subject, letter.body_text, letter.scheduled_at)
        if key not in checked:
            try:
                checked[key] = _checked(letter, key)
            except DomainError as exc:  # raised only if the key is new (below)
                checked[key] = exc
    ids = _ids_of(checked)
    new: list[_NewRow] = []
    for key, row in checked.items():
        if key not in ids:
            if not mailbox.is_active:
                raise DomainError(_("This mailbox is switched off."), field="mailbox")
            if isinstance(row, DomainError):
                raise row
            new.append(row)
    suppressed = suppressed_among(row.address for row in new)
    for row in new:
        reason = suppressed.get(row.address)
        if reason:
            row.status = MessageStatus.CANCELLED
            row.last_error = _("Not sent: the address is on the suppression list (%(reason)s).") % {
                "reason": reason
            }
    if new:
        batch = _prepare(new, mailbox, created_by)
        with writer_turn(), transaction.atomic():
            try:
                with transaction.atomic():
                    ids.update(_write(batch))
            except IntegrityError:
                ids.update(_write_one_by_one(batch))
    return [ids[key] for key in keys]


# --- Claim -----------------------------------------------------------------------------------


def _waiting_q(now: datetime) -> Q:
    return Q(status=MessageStatus.SCHEDULED, scheduled_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _abandoned_q(now: datetime) -> Q:
    return Q(status=MessageStatus.SENDING, lease_expires_at__lt=now)


def _due_q(now: datetime) -> Q:
    return _waiting_q(now) | _abandoned_q(now)


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
    # Separate counts, each a short range of the (mailbox, status, sent_at) index.
    of_mailbox = OutboundMessage.objects.filter(mailbox=mailbox)
    sent_today = of_mailbox.filter(status=MessageStatus.SENT, sent_at__gte=day_start).count()
    in_flight = of_mailbox.filter(status=MessageStatus.SENDING, lease_expires_at__gte=now).count()
    left_today = mailbox.daily_cap - sent_today - in_flight
    next_day = day_start + timedelta(days=1)
    if left_today <= 0:
        return Allowance(0, next_day)
    if mailbox.min_interval_seconds <= 0:
        return Allowance(left_today, next_day)  # what the cap leaves over goes tomorrow
    interval = timedelta(seconds=mailbox.min_interval_seconds)
    if in_flight:
        return Allowance(0, now + interval)
    last = of_mailbox.filter(status=MessageStatus.SENT).aggregate(last=Max("sent_at"))["last"]
    if last is not None and last + interval > now:
        return Allowance(0, last + interval)
    return Allowance(1, now + interval)


def _candidates(now: datetime, limit: int) -> list[OutboundMessage]:
    """The ``limit`` due rows scheduled first: the waiting and the abandoned (lease run out)
    are read apart, each in the order of its index, so neither read sorts the whole queue.
    Their mailboxes (with owners) and templates are read once each, not joined to every row."""
    rows = OutboundMessage.objects.all()
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    found = []
    for due in (_waiting_q(now), _abandoned_q(now)):
        found += rows.filter(due).order_by("scheduled_at", "id")[:limit]
    found.sort(key=lambda row: (row.scheduled_at, row.pk))
    found = found[:limit]
    mailboxes = Mailbox.objects.select_related("owner").in_bulk({r.mailbox_id for r in found})
    templates = EmailTemplate.objects.in_bulk({r.template_id for r in found if r.template_id})
    for row in found:
        row.mailbox = mailboxes[row.mailbox_id]
        if row.template_id:
            row.template = templates.get(row.template_id)
    return found


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


class _MessageIds:
    """The Message-IDs of one claim: ``<claim stamp.row id@mailbox domain>``, unique because
    the stamp is (time and 64 random bits) and the id is the row's. Written by the claim's
    UPDATE itself, only where the row has none yet, so a row claimed again keeps its own."""

    def __init__(self, now: datetime):
        self.prefix = f"<{now:%Y%m%d%H%M%S}.{secrets.token_hex(8)}."

    @staticmethod
    def domain(mailbox: Mailbox) -> str:
        return mailbox.from_email.rpartition("@")[2] or "localhost"

    def expression(self, mailbox: Mailbox):
        fresh = Concat(
            Value(self.prefix),
            Cast("id", output_field=CharField()),
            Value(f"@{self.domain(mailbox)}>"),
            output_field=CharField(),
        )
        return Case(When(message_id="", then=fresh), default=F("message_id"))


def _take(claim: list[OutboundMessage], worker_id: str, now: datetime) -> list[OutboundMessage]:
    """Lease the rows to ``worker_id`` and give each its Message-ID: one UPDATE per mailbox
    (only rows still due: on SQLite the candidates were read before the transaction), then one
    read of what the rows now hold; returns the rows taken, brought up to date."""
    lease_until = now + lease_duration()
    message_ids = _MessageIds(now)
    by_mailbox: dict[int, list[OutboundMessage]] = {}
    for row in claim:
        by_mailbox.setdefault(row.mailbox_id, []).append(row)
    for rows in by_mailbox.values():
        OutboundMessage.objects.filter(pk__in=[row.pk for row in rows]).filter(_due_q(now)).update(
            status=MessageStatus.SENDING,
            lease_owner=worker_id,
            lease_expires_at=lease_until,
            attempts=F("attempts") + 1,
            message_id=message_ids.expression(rows[0].mailbox),
            updated_at=now,
        )
    held = {
        pk: (message_id, attempts)
        for pk, message_id, attempts in OutboundMessage.objects.filter(
            pk__in=[row.pk for row in claim],
            status=MessageStatus.SENDING,
            lease_owner=worker_id,
            lease_expires_at=lease_until,
        ).values_list("pk", "message_id", "attempts")
    }
    taken = [row for row in claim if row.pk in held]
    for row in taken:
        row.message_id, row.attempts = held[row.pk]
        row.status, row.lease_owner = MessageStatus.SENDING, worker_id
        row.lease_expires_at, row.updated_at = lease_until, now
    return taken


def claim_due(worker_id: str, *, now: datetime | None = None, limit: int = CLAIM_BATCH):
    """Claim up to ``limit`` due messages for ``worker_id``; returns them, ready to send, each
    with its Message-ID stored — in one transaction of a fixed number of statements.

    On PostgreSQL the candidates are read and locked inside the transaction (``SKIP LOCKED``).
    On SQLite, with one writer at a time, they are read just before it (a read takes no lock in
    WAL mode), so that the write lock is held only to decide and UPDATE: a row another worker
    claimed in between no longer matches the UPDATE's condition and is left out; and when
    nothing is due no write transaction is begun at all."""
    now = now or timezone.now()
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            return _claim(worker_id, now, _candidates(now, limit))
    candidates = _candidates(now, limit)
    if not candidates:
        return []
    with writer_turn(), transaction.atomic():
        return _claim(worker_id, now, candidates)


def _claim(worker_id: str, now: datetime, candidates: list[OutboundMessage]):
    claim, defer, give_up = _split(candidates, now)
    deferred: dict[datetime, list[int]] = {}
    for row, until in defer:
        deferred.setdefault(until, []).append(row.pk)
    for until, ids in deferred.items():
        OutboundMessage.objects.filter(pk__in=ids).filter(_due_q(now)).update(
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
    return _take(claim, worker_id, now)


def has_pending(now: datetime | None = None) -> bool:
    """Whether any message is due now or held by a worker (for ``--exit-when-idle``)."""
    now = now or timezone.now()
    return OutboundMessage.objects.filter(_due_q(now) | Q(status=MessageStatus.SENDING)).exists()
