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

Per message the loop does only what must be per message: build the letter (``mime``) and write
its bytes (``payload_bytes``) — the next letter's while the server reads the current one —, the
SMTP transaction, and the prepared "sent" UPDATE committed right after the 250
(``record_sent``), before the next message goes. Everything else is per batch: the claim, the
suppression check, the attachments, and filing the batch's sent messages on the timelines.
benchmarks/outbox.py measures this loop against a plain smtplib loop.
"""

import base64
import logging
import re
import smtplib
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.header import Header

from django.db import close_old_connections
from django.db import connection as db_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.outreach import outcomes
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.mime import SMTP_POLICY, AttachmentCache, build_mime, letter_language
from tradewind.outreach.models import Mailbox, OutboundMessage
from tradewind.outreach.outbox import (
    CLAIM_BATCH,
    claim_due,
    has_pending,
    new_worker_id,
    writer_turn,
)
from tradewind.outreach.secrets import SecretUnreadable
from tradewind.outreach.suppression import suppressed_among
from tradewind.outreach.timeline import file_sent_messages
from tradewind.outreach.transport import smtp_open, smtp_settings

logger = logging.getLogger(__name__)

LEASE_MARGIN = timedelta(seconds=1)
NEWLINE = re.compile(r"\r\n|\r|\n")
LEADING_DOT = re.compile(rb"(?m)^\.")  # dot-stuffing, as smtplib does
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")
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


def _angle(address: str) -> str:
    """``smtplib.quoteaddr``: a plain address (all the outbox stores: checked when queued or
    saved) goes in angle brackets as it is, without the parser smtplib runs on it."""
    if PLAIN_ADDRESS.match(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def transmit(
    connection: smtplib.SMTP, sender: str, recipient: str, payload: bytes, while_waiting=None
) -> None:
    """One SMTP transaction; raises ``Refused`` or ``Broken``, returns on the server's 250.
    MAIL, RCPT and DATA are what ``smtplib.SMTP.mail``, ``rcpt`` and ``data`` send.
    ``while_waiting`` (which must not raise) runs once the whole message is sent, before the
    server's answer is read: the worker's own work fills the time the server takes."""
    handed_over = False
    try:
        connection.ehlo_or_helo_if_needed()
        size = ""
        if connection.does_esmtp and connection.has_extn("size"):
            size = f" SIZE={len(payload)}"
        connection.putcmd("mail", f"FROM:{_angle(sender)}{size}")
        code, text = connection.getreply()
        if code != 250:
            raise Refused("mail", code, text)
        connection.putcmd("rcpt", f"TO:{_angle(recipient)}")
        code, text = connection.getreply()
        if code not in (250, 251):
            raise Refused("rcpt", code, text)
        handed_over = True
        connection.putcmd("data")
        code, text = connection.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, text)
        data = LEADING_DOT.sub(b"..", payload)
        connection.send(data + (b".\r\n" if data.endswith(b"\r\n") else b"\r\n.\r\n"))
        if while_waiting is not None:
            while_waiting()
        code, text = connection.getreply()
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


def _send(message, pool: SmtpPool, payload: bytes, while_waiting=None) -> None:
    """Send on the pooled connection; one fresh connection if the old one broke early."""
    mailbox = message.mailbox
    for attempt in (1, 2):
        connection = pool.get(mailbox)
        try:
            transmit(connection, mailbox.from_email, message.to_email, payload, while_waiting)
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


MAX_HEADER_LINE = 78
# RFC 2047 "Q" in a header: letters, digits and -!*+/ as they are, a space as "_", the rest =XX
# (the table of ``email.quoprimime``).
Q_SAFE = frozenset(b"-!*+/" + string.ascii_letters.encode() + string.digits.encode())
Q_BYTE = [chr(b) if b in Q_SAFE else "_" if b == 0x20 else f"={b:02X}" for b in range(256)]


def encoded_words(name: str, text: str) -> bytes | None:
    """The header line ``name: text`` for a text that is not plain ASCII: RFC 2047 encoded
    words in UTF-8, "Q" or base64 whichever is shorter (as ``email.charset`` chooses), each a
    whole number of characters, folded so that no line is longer than 78 characters. None when
    the name leaves too little room on its line.

    ``email.header.Header`` does the same by trying split points one at a time — a millisecond
    and more for a subject with a few accents, the costliest part of writing such a letter."""
    first = MAX_HEADER_LINE - len(name) - 2 - len("=?utf-8?q??=")
    if first < 8:
        return None
    rest = MAX_HEADER_LINE - 1 - len("=?utf-8?q??=")
    encoded = [char.encode("utf-8") for char in text]
    size = sum(map(len, encoded))
    quoted = ["".join(Q_BYTE[b] for b in chunk) for chunk in encoded]
    if 4 * -(-size // 3) < sum(map(len, quoted)):  # base64 is shorter
        words, chunk, room = [], b"", first // 4 * 3
        for piece in encoded:
            if chunk and len(chunk) + len(piece) > room:
                words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode()}?=")
                chunk, room = b"", rest // 4 * 3
            chunk += piece
        words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode()}?=")
    else:
        words, word, room = [], "", first
        for piece in quoted:
            if word and len(word) + len(piece) > room:
                words.append(f"=?utf-8?q?{word}?=")
                word, room = "", rest
            word += piece
        words.append(f"=?utf-8?q?{word}?=")
    folded = "\r\n ".join(words)
    return f"{name}: {folded}\r\n".encode("ascii")


def payload_bytes(mime) -> bytes:
    """``mime.as_bytes(policy=SMTP_POLICY)``, written directly for a single-part text letter.

    The generator folds every header through ``email.header.Header`` (about half the cost of
    building a letter). A header whose line is printable ASCII within 78 characters folds to
    itself, so it is written as it is; a header that is not ASCII (``Header``: a subject with
    accents) is encoded by ``encoded_words``; every other header goes through the policy as
    before. Multipart letters (attachments) go through the generator whole. Apart from the
    encoded words (which decode to the same text), the bytes are the generator's
    (tests/outreach/test_outbox_bulk.py checks)."""
    payload = mime.get_payload()
    if mime.is_multipart() or not isinstance(payload, str) or not payload.isascii():
        return mime.as_bytes(policy=SMTP_POLICY)
    if mime.get_content_maintype() != "text":
        return mime.as_bytes(policy=SMTP_POLICY)
    lines = []
    for name, value in mime.raw_items():
        line = None
        if isinstance(value, str):
            if value.isascii() and value.isprintable() and len(name) + len(value) <= 76:
                line = f"{name}: {value}\r\n".encode("ascii")
        elif isinstance(value, Header):
            line = encoded_words(name, str(value))
        lines.append(line or SMTP_POLICY.fold_binary(name, value))
    lines.append(b"\r\n")
    lines.append(NEWLINE.sub("\r\n", payload).encode("ascii"))
    return b"".join(lines)


class _SentMarker:
    """``outcomes.record_sent`` as one prepared statement: the same UPDATE under the same
    condition (the row still ``sending`` and held by this worker), without building an ORM
    query for each message — it runs once per message, right after the server's 250, and is
    committed at once (autocommit), so a sent message is recorded before the next one goes."""

    def __init__(self):
        self._sql = None

    def _statement(self) -> str:
        if self._sql is None:
            meta, quote = OutboundMessage._meta, db_connection.ops.quote_name

            def column(name: str) -> str:
                return quote(meta.get_field(name).column)

            # Names from the model, values as parameters.
            self._sql = (
                f"UPDATE {quote(meta.db_table)} SET {column('status')} = %s, "  # noqa: S608
                f"{column('sent_at')} = %s, {column('lease_owner')} = '', "
                f"{column('lease_expires_at')} = NULL, {column('next_attempt_at')} = NULL, "
                f"{column('last_error')} = '', {column('updated_at')} = %s "
                f"WHERE {column('id')} = %s AND {column('status')} = %s "
                f"AND {column('lease_owner')} = %s"
            )
        return self._sql

    def __call__(self, message: OutboundMessage, *, worker_id: str, now) -> bool:
        stamp = db_connection.ops.adapt_datetimefield_value(now)
        with writer_turn(), db_connection.cursor() as cursor:
            cursor.execute(
                self._statement(),
                [MessageStatus.SENT, stamp, stamp, message.pk, MessageStatus.SENDING, worker_id],
            )
            updated = cursor.rowcount
        if updated != 1:
            logger.error(
                "outbox message %s was sent but its lease had been taken over; "
                "it may be sent twice",
                message.pk,
            )
            return False
        message.status, message.sent_at = MessageStatus.SENT, now
        message.lease_owner, message.lease_expires_at = "", None
        return True


record_sent = _SentMarker()


class Letters:
    """The bytes of each message of a batch, built once (``build_mime``, ``payload_bytes``),
    with the template's and the message's own attachments. ``build`` keeps what went wrong
    instead of raising, so it can run while the server reads the message before
    (``transmit``'s ``while_waiting``); ``take`` raises it."""

    def __init__(self, messages=()):
        self.attachments = AttachmentCache(messages)
        self._built: dict[int, bytes | Exception] = {}

    def build(self, message: OutboundMessage) -> None:
        if message.pk in self._built:
            return
        try:
            mime = build_mime(
                message,
                now=timezone.now(),
                attachments=self.attachments.for_message(message),
                language=letter_language(message),
            )
            self._built[message.pk] = payload_bytes(mime)
        except Exception as exc:  # raised by ``take``, outside the SMTP conversation
            self._built[message.pk] = exc

    def take(self, message: OutboundMessage) -> bytes:
        self.build(message)
        built = self._built.pop(message.pk)
        if isinstance(built, Exception):
            raise built
        return built


def send_one(message, *, worker_id: str, pool: SmtpPool, letters: Letters, following=None) -> str:
    """Send one claimed message and record what happened; returns the outcome's name. The
    ``following`` message's bytes are built while the server reads this one."""
    now = timezone.now()
    try:
        payload = letters.take(message)
    except (ValueError, OSError) as exc:
        error = _("The letter could not be built: %(error)s") % {"error": exc}
        outcomes.record_failed(message, worker_id=worker_id, now=now, error=error)
        return "failed"
    while_waiting = None if following is None else (lambda: letters.build(following))
    try:
        _send(message, pool, payload, while_waiting)
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
    record_sent(message, worker_id=worker_id, now=timezone.now())
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
    to_send = [m for m in messages if not suppressed.get(m.to_email.lower())]
    following = {m.pk: after for m, after in zip(to_send, [*to_send[1:], None], strict=False)}
    letters = Letters(messages)
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
        outcome = send_one(
            message,
            worker_id=worker_id,
            pool=pool,
            letters=letters,
            following=following[message.pk],
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
    sent = [message.pk for message in messages if message.status == MessageStatus.SENT]
    if sent:
        file_sent_messages(ids=sent, limit=len(sent))
    return result


def run_dispatcher(
    stop: threading.Event,
    *,
    worker_id: str | None = None,
    batch_size: int = CLAIM_BATCH,
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
