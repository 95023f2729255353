"""Sent mail on the customer's timeline, exactly once.

The worker marks a message sent with one UPDATE right after the server's 250 (``outcomes``) —
nothing else happens between the 250 and that commit, which keeps the one window the outbox
cannot close (see ``outbox``) as short as a single statement. Filing on the timeline follows, a
batch at a time: in one transaction the sent-but-unfiled messages are taken (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; SQLite's IMMEDIATE transaction serialises), an email activity is written
for each, and each is marked ``filed_at``. So every sent message is filed exactly once, even if
a worker dies in between: the next pass of any worker files what is left.

The activities are written in bulk by ``customers.services.activity_log_many`` — the same rows
and audit events as ``activity_log`` — because calling ``activity_log`` once per message costs
about 4 ms of CPU and made filing most of the outbox's work (benchmarks/outbox.py). Here the
author is checked to still see each customer, as ``activity_log`` would check.
"""

import logging
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tradewind.customers.choices import ActivityKind, Direction
from tradewind.customers.models import Activity, Company
from tradewind.customers.services import activity_log_many
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import OutboundMessage

logger = logging.getLogger(__name__)
FILE_BATCH = 200


def _author(message: OutboundMessage):
    if message.created_by_id:
        return message.created_by
    return message.company.owner if message.company_id else None


def _visible_companies(messages) -> dict[int, set[int]]:
    """For each author, which of the messages' customers they may still see (one query each)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    authors = {}
    for message in messages:
        author = _author(message)
        if author is not None and message.company_id:
            wanted[author.pk].add(message.company_id)
            authors[author.pk] = author
    return {
        pk: set(
            Company.objects.visible_to(authors[pk]).filter(pk__in=ids).values_list("pk", flat=True)
        )
        for pk, ids in wanted.items()
    }


def _activity(message: OutboundMessage, author) -> Activity:
    contact_id = message.contact_id
    if contact_id and message.contact.company_id != message.company_id:
        contact_id = None
    with translation.override(getattr(author, "language", None) or "en"):
        summary = _("Email “%(subject)s” to %(address)s") % {
            "subject": message.subject,
            "address": message.to_email,
        }
    return Activity(
        company_id=message.company_id,
        contact_id=contact_id,
        kind=ActivityKind.EMAIL,
        direction=Direction.OUTBOUND,
        summary=summary.strip(),
        occurred_at=message.sent_at,
        user=author,
    )


def _unfiled(limit: int) -> list[OutboundMessage]:
    rows = (
        OutboundMessage.objects.filter(status=MessageStatus.SENT, filed_at__isnull=True)
        .select_related("created_by", "contact", "company__owner")
        .order_by("sent_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(rows[:limit])


@transaction.atomic
def file_sent_messages(*, limit: int = FILE_BATCH, now=None) -> int:
    """File up to ``limit`` sent messages on their customers' timelines; returns how many
    activities were written."""
    messages = _unfiled(limit)
    if not messages:
        return 0
    now = now or timezone.now()
    visible = _visible_companies(messages)
    activities, refused = [], []
    for message in messages:
        if not message.company_id:
            continue
        author = _author(message)
        if author is None or message.company_id not in visible.get(author.pk, ()):
            refused.append(message.pk)
            continue
        activities.append(_activity(message, author))
    activity_log_many(activities)
    OutboundMessage.objects.filter(pk__in=[m.pk for m in messages], filed_at__isnull=True).update(
        filed_at=now
    )
    if refused:
        note = _("Sent, but not filed on the customer's timeline: its author no longer sees it.")
        OutboundMessage.objects.filter(pk__in=refused).update(last_error=note)
        logger.warning("%d sent messages not filed: their authors lost the customer", len(refused))
    return len(activities)
