"""Sent mail on the customer's timeline, exactly once.

The worker marks a message sent with one UPDATE right after the server's 250 (``dispatch``) —
nothing else happens between the 250 and that commit, which keeps the one window the outbox
cannot close (see ``outbox``) as short as a single statement. Filing on the timeline follows,
a batch at a time: the worker files what its batch sent (by id), and an idle pass of any worker
files whatever is left (a worker died between sending and filing). The messages are read and
their activities prepared outside any transaction; then one transaction takes those still
unfiled (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's IMMEDIATE transaction serialises),
writes an email activity for each, and marks each ``filed_at``. So every sent message is filed
exactly once, even if a worker dies in between.

The activities are written in bulk by ``customers.services.activity_log_many`` — the same rows
and audit events as ``activity_log`` — because calling ``activity_log`` once per message costs
about 4 ms of CPU and made filing most of the outbox's work (benchmarks/outbox.py). Here the
author is checked to still see each customer, as ``activity_log`` would check.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tradewind.accounts.models import User
from tradewind.customers.choices import ActivityKind, Direction
from tradewind.customers.models import Activity, Company
from tradewind.customers.services import activity_log_many
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import OutboundMessage
from tradewind.outreach.outbox import writer_turn

logger = logging.getLogger(__name__)
FILE_BATCH = 200


@dataclass(frozen=True)
class _Sent:
    """What filing needs of a sent message (read as plain values, not model instances)."""

    pk: int
    company_id: int | None
    contact_id: int | None
    contact_company_id: int | None
    author_id: int | None  # who queued it, else the customer's owner
    subject: str
    to_email: str
    sent_at: object


def _unfiled(limit: int, ids) -> list[_Sent]:
    """Sent messages not yet filed, oldest first (a plain read: no lock is taken)."""
    rows = OutboundMessage.objects.filter(status=MessageStatus.SENT, filed_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    found = rows.order_by("sent_at", "id").values_list(
        "pk",
        "company_id",
        "contact_id",
        "contact__company_id",
        "created_by_id",
        "company__owner_id",
        "subject",
        "to_email",
        "sent_at",
    )[:limit]
    return [
        _Sent(pk, company, contact, contact_company, creator or owner, subject, to, sent_at)
        for pk, company, contact, contact_company, creator, owner, subject, to, sent_at in found
    ]


def _take_unfiled(ids: list[int]) -> set[int]:
    """Of ``ids``, those still unfiled, now held by this transaction: on PostgreSQL locked
    (``FOR UPDATE SKIP LOCKED``: rows another worker is filing are left to it); on SQLite the
    IMMEDIATE transaction holds the write lock, so no one else can file them meanwhile."""
    rows = OutboundMessage.objects.filter(pk__in=ids, filed_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return set(rows.values_list("pk", flat=True))


def _visible_companies(messages: list[_Sent], authors: dict) -> dict[int, set[int]]:
    """For each author, which of the messages' customers they may still see (one query each)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for message in messages:
        if message.author_id in authors and message.company_id:
            wanted[message.author_id].add(message.company_id)
    return {
        pk: set(
            Company.objects.visible_to(authors[pk]).filter(pk__in=ids).values_list("pk", flat=True)
        )
        for pk, ids in wanted.items()
    }


def _activities(messages: list[_Sent], authors: dict) -> dict[int, Activity]:
    """The email activity of each message (by its id), the summary in its author's
    language."""
    by_language: dict[str, list[_Sent]] = defaultdict(list)
    for message in messages:
        author = authors[message.author_id]
        by_language[getattr(author, "language", None) or "en"].append(message)
    activities = {}
    for language, group in by_language.items():
        with translation.override(language):
            for message in group:
                summary = _("Email “%(subject)s” to %(address)s") % {
                    "subject": message.subject,
                    "address": message.to_email,
                }
                contact_id = message.contact_id
                if contact_id and message.contact_company_id != message.company_id:
                    contact_id = None
                activities[message.pk] = Activity(
                    company_id=message.company_id,
                    contact_id=contact_id,
                    kind=ActivityKind.EMAIL,
                    direction=Direction.OUTBOUND,
                    summary=summary.strip(),
                    occurred_at=message.sent_at,
                    user=authors[message.author_id],
                )
    return activities


def file_sent_messages(*, limit: int = FILE_BATCH, ids=None, now=None) -> int:
    """File up to ``limit`` sent messages on their customers' timelines (only those of ``ids``
    when given: a worker files what it just sent without searching); returns how many
    activities were written.

    The messages are read and their activities prepared first, outside any transaction (on
    SQLite a transaction holds the one write lock, which the other workers wait for to record
    each message they send); the transaction then takes those still unfiled and writes."""
    messages = _unfiled(limit, ids)
    if not messages:
        return 0
    authors = User.objects.in_bulk({m.author_id for m in messages if m.author_id})
    visible = _visible_companies(messages, authors)
    filed, refused = [], []
    for message in messages:
        if not message.company_id:
            continue
        if message.company_id not in visible.get(message.author_id, ()):
            refused.append(message)
        else:
            filed.append(message)
    activities = _activities(filed, authors)
    with writer_turn(), transaction.atomic():
        taken = _take_unfiled([m.pk for m in messages])
        if not taken:
            return 0
        written = activity_log_many([activities[m.pk] for m in filed if m.pk in taken])
        OutboundMessage.objects.filter(pk__in=taken).update(filed_at=now or timezone.now())
        refused_ids = [m.pk for m in refused if m.pk in taken]
        if refused_ids:
            note = _(
                "Sent, but not filed on the customer's timeline: its author no longer sees it."
            )
            OutboundMessage.objects.filter(pk__in=refused_ids).update(last_error=note)
            logger.warning(
                "%d sent messages not filed: their authors lost the customer", len(refused_ids)
            )
    return len(written)
