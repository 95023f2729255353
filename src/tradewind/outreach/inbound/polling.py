"""Polling a mailbox by IMAP (imapclient): fetch what arrived since the last poll and file it.

Rules and judgement calls:
- The folder is opened read-only (EXAMINE) and bodies are fetched with ``BODY.PEEK[]``: the rep's
  mail client still shows the messages as unread.
- Progress is ``Mailbox.imap_uidvalidity`` + ``imap_last_uid``, advanced after each filed message
  (so a crash resumes where it stopped) and only ever forwards (a slower concurrent poller cannot
  move it back). Exactly-once does not rest on it: ``file_message`` keys every message on
  (mailbox, UIDVALIDITY, UID) and skips Message-IDs the mailbox already stored.
- First poll: only the last ``FIRST_POLL_LOOKBACK`` of mail, not the rep's whole history (which
  would bury the new-inquiries inbox). A UIDVALIDITY change (the server renumbered the folder)
  starts over from ``RESYNC_OVERLAP`` before the last poll; Message-IDs keep what is already
  stored from being filed twice.
- At most ``MAX_MESSAGES_PER_POLL`` messages per poll, oldest first; the rest come next time.
- Messages over ``MAX_MESSAGE_BYTES`` (a catalogue attached) are fetched as their header and the
  first ``TRUNCATED_BODY_BYTES`` of the body, which holds the text part in practice.
- A message whose filing raises is logged and skipped, so one bad message cannot stall the
  mailbox forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from tradewind.core.errors import DomainError
from tradewind.outreach.choices import Security
from tradewind.outreach.inbound.filing import file_message
from tradewind.outreach.inbound.parsing import MAX_MESSAGE_BYTES, parse_message
from tradewind.outreach.models import Mailbox

logger = logging.getLogger(__name__)

IMAP_TIMEOUT_SECONDS = 30
MAX_MESSAGES_PER_POLL = 200
FETCH_BATCH = 20
TRUNCATED_BODY_BYTES = 256_000
FIRST_POLL_LOOKBACK = dt.timedelta(days=14)
RESYNC_OVERLAP = dt.timedelta(days=2)


class MailboxPollError(DomainError):
    """The mailbox could not be read (server, TLS, password, folder)."""

    code = "mailbox_poll_failed"


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    uidvalidity_changed: bool = False


def _password(mailbox: Mailbox) -> str:
    from tradewind.outreach.secrets import decrypt_password

    return decrypt_password(mailbox.imap_password_encrypted)


@contextmanager
def imap_connection(mailbox: Mailbox):
    """A logged-in IMAP client for the mailbox, logged out afterwards."""
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            mailbox.imap_host,
            port=mailbox.imap_port,
            ssl=mailbox.imap_security == Security.SSL,
            ssl_context=context,
            timeout=IMAP_TIMEOUT_SECONDS,
        )
        if mailbox.imap_security == Security.STARTTLS:
            client.starttls(context)
        client.login(mailbox.imap_username or mailbox.from_email, _password(mailbox))
    except (OSError, IMAPClientError) as exc:
        raise MailboxPollError(
            _("Could not read the mailbox %(address)s: %(reason)s")
            % {"address": mailbox.from_email, "reason": exc}
        ) from exc
    client.normalise_times = False
    try:
        yield client
    finally:
        with suppress(OSError, IMAPClientError):
            client.logout()


def _resume_point(mailbox: Mailbox, uidvalidity: int, now) -> tuple[int, dt.date | None]:
    """(last UID already handled, SINCE date for a fresh start or None)."""
    if mailbox.imap_uidvalidity == uidvalidity:
        return mailbox.imap_last_uid, None
    if mailbox.imap_uidvalidity is None or mailbox.last_polled_at is None:
        since = now - FIRST_POLL_LOOKBACK
    else:
        since = mailbox.last_polled_at - RESYNC_OVERLAP
        logger.warning(
            "mailbox %s: UIDVALIDITY %s → %s, resynchronising since %s",
            mailbox.pk,
            mailbox.imap_uidvalidity,
            uidvalidity,
            since.date(),
        )
    Mailbox.objects.filter(pk=mailbox.pk).exclude(imap_uidvalidity=uidvalidity).update(
        imap_uidvalidity=uidvalidity, imap_last_uid=0
    )
    mailbox.imap_uidvalidity, mailbox.imap_last_uid = uidvalidity, 0
    return 0, since.date()


def _new_uids(client: IMAPClient, last_uid: int, since: dt.date | None) -> list[int]:
    if since is not None:
        return sorted(client.search(["SINCE", since]))
    # "UID n:*" also answers the newest message when n is past the end: filter it out.
    return sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)


def _fetch(client: IMAPClient, uids: list[int]):
    """(uid, raw bytes, truncated?, arrival time) for each uid, in uid order."""
    meta = client.fetch(uids, ["RFC822.SIZE", "INTERNALDATE"])
    present = [uid for uid in uids if uid in meta]  # a message may be expunged meanwhile
    small = [uid for uid in present if meta[uid].get(b"RFC822.SIZE", 0) <= MAX_MESSAGE_BYTES]
    large = [uid for uid in present if uid not in small]
    bodies = client.fetch(small, ["BODY.PEEK[]"]) if small else {}
    parts = (
        client.fetch(large, ["BODY.PEEK[HEADER]", f"BODY.PEEK[TEXT]<0.{TRUNCATED_BODY_BYTES}>"])
        if large
        else {}
    )
    for uid in uids:
        if uid in bodies:
            raw, truncated = bodies[uid].get(b"BODY[]") or b"", False
        elif uid in parts:
            header = parts[uid].get(b"BODY[HEADER]") or b""
            raw, truncated = header + (parts[uid].get(b"BODY[TEXT]<0>") or b""), True
        else:
            continue  # expunged between the two fetches
        arrived = meta[uid].get(b"INTERNALDATE")
        yield uid, raw, truncated, arrived if isinstance(arrived, dt.datetime) else None


def _advance(mailbox: Mailbox, uidvalidity: int, uid: int) -> None:
    Mailbox.objects.filter(
        pk=mailbox.pk, imap_uidvalidity=uidvalidity, imap_last_uid__lt=uid
    ).update(imap_last_uid=uid)


def _file_one(mailbox, uidvalidity, uid, raw, truncated, arrived, now, result) -> None:
    result.fetched += 1
    try:
        parsed = parse_message(raw, was_truncated=truncated)
        inbound = file_message(
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            parsed=parsed,
            internal_date=arrived,
            now=now,
        )
    except Exception:  # one bad message must not stall the mailbox
        logger.exception("mailbox %s: could not file uid %s/%s", mailbox.pk, uidvalidity, uid)
        result.failed += 1
        return
    if inbound is None:
        result.skipped += 1
    else:
        result.stored += 1


def poll_mailbox(mailbox: Mailbox, *, now: dt.datetime | None = None) -> PollResult:
    """Fetch and file the messages that arrived in the mailbox's folder since the last poll."""
    now = now or timezone.now()
    result = PollResult()
    if mailbox.pk:  # progress as stored now, not as this object remembers it
        mailbox.refresh_from_db(fields=["imap_uidvalidity", "imap_last_uid", "last_polled_at"])
    with imap_connection(mailbox) as client:
        try:
            folder = client.select_folder(mailbox.imap_folder, readonly=True)
        except IMAPClientError as exc:
            raise MailboxPollError(
                _("The folder “%(folder)s” cannot be opened: %(reason)s")
                % {"folder": mailbox.imap_folder, "reason": exc}
            ) from exc
        uidvalidity = int(folder[b"UIDVALIDITY"])
        result.uidvalidity_changed = mailbox.imap_uidvalidity not in (None, uidvalidity)
        last_uid, since = _resume_point(mailbox, uidvalidity, now)
        uids = _new_uids(client, last_uid, since)
        todo = uids[:MAX_MESSAGES_PER_POLL]
        for start in range(0, len(todo), FETCH_BATCH):
            for uid, raw, truncated, arrived in _fetch(client, todo[start : start + FETCH_BATCH]):
                _file_one(mailbox, uidvalidity, uid, raw, truncated, arrived, now, result)
                _advance(mailbox, uidvalidity, uid)
        if len(uids) <= MAX_MESSAGES_PER_POLL and folder.get(b"UIDNEXT"):
            _advance(mailbox, uidvalidity, int(folder[b"UIDNEXT"]) - 1)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=now)
    mailbox.last_polled_at = now
    return result


def pollable_mailboxes():
    return Mailbox.objects.filter(is_active=True).exclude(imap_host="").order_by("pk")


@task()
def poll_mailboxes() -> int:
    """The periodic job: poll every active mailbox with IMAP settings; returns messages stored.
    A mailbox that cannot be read is logged and left for the next round."""
    stored = 0
    for mailbox in pollable_mailboxes():
        try:
            stored += poll_mailbox(mailbox).stored
        except (DomainError, OSError, IMAPClientError) as exc:
            logger.warning("mailbox %s not polled: %s", mailbox.pk, exc)
    return stored
