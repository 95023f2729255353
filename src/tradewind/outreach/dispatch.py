"""The outbox dispatcher: claims due messages and sends them by SMTP (rules in ``outbox``).

It runs as a thread of ``tradewind worker`` (``--no-outbox`` turns it off) or on its own as
``tradewind outbox``; any number may run against one database. Each loop claims a batch,
checks the suppression list for the whole batch in one query, and sends through one SMTP
connection per mailbox, kept open across messages and batches while there is work (closed when
idle; checked with NOOP before reuse after a pause).

The SMTP conversation is driven step by step (MAIL, RCPT, DATA) so that a lost connection is
known to have happened *before* the message was handed over — then it is re-sent at once on a
new connection — or *during* DATA, when the server may or may not have it: that one is retried
later with the same Message-ID (at least once, never lost).

Each message is sent only while its lease has at least ``LEASE_MARGIN`` left; otherwise the rest
of the batch is handed back, so a slow server can never make two workers hold one message.
"""

import logging
import smtplib
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import close_old_connections
from django.db import connection as db_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.outreach import outcomes
from tradewind.outreach.mime import SMTP_POLICY, AttachmentCache, build_mime, letter_language
from tradewind.outreach.models import Mailbox, OutboundMessage
from tradewind.outreach.outbox import claim_due, has_pending, new_worker_id
from tradewind.outreach.secrets import SecretUnreadable
from tradewind.outreach.suppression import suppressed_among
from tradewind.outreach.timeline import file_sent_messages
from tradewind.outreach.transport import smtp_open, smtp_settings

logger = logging.getLogger(__name__)

LEASE_MARGIN = timedelta(seconds=1)
NOOP_AFTER_IDLE_SECONDS = 10.0
SEND_TIMEOUT_SECONDS = 60.0


class Refused(Exception):
    """The server answered a step with an error code."""

    def __init__(self, step: str, code: int, text: bytes | str):
        self.step, self.code = step, code
        self.text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        super().__init__(self.answer)

    @property
    def answer(self) -> str:
        return f"{self.code} {self.text}".strip()

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


class Broken(Exception):
    """The connection failed; ``handed_over`` says whether DATA had begun."""

    def __init__(self, handed_over: bool, error: Exception):
        self.handed_over, self.error = handed_over, error
        super().__init__(str(error) or error.__class__.__name__)


class SmtpPool:
    """One open SMTP connection per mailbox for this worker."""

    def __init__(self):
        self._open: dict[int, tuple[smtplib.SMTP, float]] = {}

    def get(self, mailbox: Mailbox) -> smtplib.SMTP:
        entry = self._open.get(mailbox.pk)
        if entry is not None:
            connection, last_used = entry
            if time.monotonic() - last_used < NOOP_AFTER_IDLE_SECONDS or _alive(connection):
                return connection
            self.drop(mailbox.pk)
        connection = smtp_open(smtp_settings(mailbox, timeout_seconds=SEND_TIMEOUT_SECONDS))
        self._open[mailbox.pk] = (connection, time.monotonic())
        return connection

    def touch(self, mailbox_id: int) -> None:
        if mailbox_id in self._open:
            self._open[mailbox_id] = (self._open[mailbox_id][0], time.monotonic())

    def drop(self, mailbox_id: int) -> None:
        entry = self._open.pop(mailbox_id, None)
        if entry is not None:
            _quit(entry[0])

    def close_all(self) -> None:
        for mailbox_id in list(self._open):
            self.drop(mailbox_id)


def _alive(connection: smtplib.SMTP) -> bool:
    try:
        return connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def transmit(connection: smtplib.SMTP, sender: str, recipient: str, payload: bytes) -> None:
    """One SMTP transaction; raises ``Refused`` or ``Broken``, returns on the server's 250."""
    handed_over = False
    try:
        connection.ehlo_or_helo_if_needed()
        options = []
        if connection.does_esmtp and connection.has_extn("size"):
            options.append(f"SIZE={len(payload)}")
        code, text = connection.mail(sender, options)
        if code != 250:
            raise Refused("mail", code, text)
        code, text = connection.rcpt(recipient)
        if code not in (250, 251):
            raise Refused("rcpt", code, text)
        handed_over = True
        code, text = connection.data(payload)
        if code != 250:
            raise Refused("data", code, text)
    except Refused as refusal:
        if refusal.code == 421:
            connection.close()
        else:
            _reset(connection)
        raise
    except (smtplib.SMTPException, OSError) as exc:
        connection.close()
        raise Broken(handed_over, exc) from exc


def _reset(connection: smtplib.SMTP) -> None:
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        connection.close()


@dataclass
class BatchOutcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)


def _send(message, pool: SmtpPool, payload: bytes) -> None:
    """Send on the pooled connection; one fresh connection if the old one broke early."""
    mailbox = message.mailbox
    for attempt in (1, 2):
        connection = pool.get(mailbox)
        try:
            transmit(connection, mailbox.from_email, message.to_email, payload)
        except Broken as broken:
            pool.drop(mailbox.pk)
            if broken.handed_over or attempt == 2:
                raise
            continue
        except Refused as refusal:
            if refusal.code == 421:
                pool.drop(mailbox.pk)
            raise
        pool.touch(mailbox.pk)
        return


def send_one(message, *, worker_id: str, pool: SmtpPool, attachments: AttachmentCache) -> str:
    """Send one claimed message and record what happened; returns the outcome's name."""
    now = timezone.now()
    try:
        mime = build_mime(
            message,
            now=now,
            attachments=attachments.for_message(message),
            language=letter_language(message),
        )
        payload = mime.as_bytes(policy=SMTP_POLICY)
    except (ValueError, OSError) as exc:
        error = _("The letter could not be built: %(error)s") % {"error": exc}
        outcomes.record_failed(message, worker_id=worker_id, now=now, error=error)
        return "failed"
    try:
        _send(message, pool, payload)
    except Refused as refusal:
        return _refused(message, refusal, worker_id)
    except Broken as broken:
        outcomes.record_retry(
            message,
            worker_id=worker_id,
            now=timezone.now(),
            error=_("Connection lost: %(error)s") % {"error": broken},
        )
        return "retried"
    except SecretUnreadable as exc:
        outcomes.record_retry(message, worker_id=worker_id, now=timezone.now(), error=exc.message)
        return "retried"
    except (smtplib.SMTPException, OSError) as exc:  # connecting or logging in failed
        pool.drop(message.mailbox_id)
        error = _("Could not connect to the mail server: %(error)s") % {"error": _describe(exc)}
        outcomes.record_retry(message, worker_id=worker_id, now=timezone.now(), error=error)
        return "retried"
    outcomes.record_sent(message, worker_id=worker_id, now=timezone.now())
    return "sent"


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        return f"{exc.smtp_code} {text}"
    return str(exc) or exc.__class__.__name__


def _refused(message, refusal: Refused, worker_id: str) -> str:
    now = timezone.now()
    if not refusal.permanent:
        error = _("The server said “%(answer)s”; trying again later.") % {"answer": refusal.answer}
        outcomes.record_retry(message, worker_id=worker_id, now=now, error=error)
        return "retried"
    if refusal.step == "rcpt":
        outcomes.record_bounce(message, worker_id=worker_id, now=now, answer=refusal.answer)
        return "failed"
    error = _("The server refused the message: %(answer)s") % {"answer": refusal.answer}
    outcomes.record_failed(message, worker_id=worker_id, now=now, error=error)
    return "failed"


def send_batch(messages: list[OutboundMessage], *, worker_id: str, pool: SmtpPool) -> BatchOutcome:
    """Send a claimed batch in order; hand back what the lease no longer covers."""
    result = BatchOutcome()
    suppressed = suppressed_among(message.to_email for message in messages)
    attachments = AttachmentCache(messages)
    for index, message in enumerate(messages):
        now = timezone.now()
        if message.lease_expires_at is None or message.lease_expires_at - now < LEASE_MARGIN:
            result.released += outcomes.release(messages[index:], worker_id=worker_id, now=now)
            break
        reason = suppressed.get(message.to_email.lower())
        if reason:
            text = _("Not sent: the address is on the suppression list (%(reason)s).") % {
                "reason": reason
            }
            outcomes.record_cancelled(message, worker_id=worker_id, now=now, reason=text)
            result.cancelled += 1
            continue
        outcome = send_one(message, worker_id=worker_id, pool=pool, attachments=attachments)
        setattr(result, outcome, getattr(result, outcome) + 1)
    if result.sent:
        file_sent_messages()
    return result


def run_dispatcher(
    stop: threading.Event,
    *,
    worker_id: str | None = None,
    batch_size: int = 20,
    idle_seconds: float = 1.0,
    exit_when_idle: bool = False,
) -> int:
    """Claim and send until ``stop`` is set (or, with ``exit_when_idle``, nothing is left);
    returns how many messages this loop sent."""
    worker_id = worker_id or new_worker_id()
    pool = SmtpPool()
    sent = 0
    logger.info("outbox dispatcher %s started", worker_id)
    try:
        while not stop.is_set():
            claimed = _claim_quietly(worker_id, batch_size)
            if claimed:
                sent += _send_quietly(claimed, worker_id, pool)
                continue
            pool.close_all()
            if claimed is not None:
                _file_quietly()  # what a worker that died after sending left unfiled
            if exit_when_idle and claimed is not None and not has_pending():
                break
            stop.wait(idle_seconds)
    finally:
        pool.close_all()
        db_connection.close()
    logger.info("outbox dispatcher %s stopped after sending %d", worker_id, sent)
    return sent


def _claim_quietly(worker_id: str, batch_size: int) -> list | None:
    """A claim; None when the database failed (logged; the loop waits and tries again)."""
    try:
        close_old_connections()
        return claim_due(worker_id, now=timezone.now(), limit=batch_size)
    except Exception:  # a database hiccup must not end the dispatcher
        logger.exception("outbox claim failed")
        db_connection.close()
        return None


def _send_quietly(claimed: list, worker_id: str, pool: SmtpPool) -> int:
    """Send a batch; an unexpected fault is logged, and the rows it left ``sending`` are taken
    up again when their lease runs out."""
    try:
        return send_batch(claimed, worker_id=worker_id, pool=pool).sent
    except Exception:
        logger.exception("outbox batch failed")
        pool.close_all()
        db_connection.close()
        return 0


def _file_quietly() -> None:
    try:
        while file_sent_messages():
            pass
    except Exception:  # logged; the next idle pass tries again
        logger.exception("filing sent messages on the timeline failed")
        db_connection.close()
