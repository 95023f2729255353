"""Reads for the mail pages: a mailbox's outbox figures and its recent problems."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q

from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import Mailbox, OutboundMessage
from tradewind.outreach.outbox import mailbox_zone

PROBLEM_STATUSES = (MessageStatus.FAILED, MessageStatus.SCHEDULED, MessageStatus.CANCELLED)


@dataclass(frozen=True)
class MailboxStats:
    sent_today: int
    daily_cap: int
    waiting: int
    failed_this_week: int


def mailbox_stats(mailbox: Mailbox, *, now: datetime) -> MailboxStats:
    """Today's sending against the cap (the owner's local day), what waits, what failed (one
    query)."""
    local_now = now.astimezone(mailbox_zone(mailbox))
    day_start = datetime.combine(local_now.date(), time.min, tzinfo=local_now.tzinfo)
    figures = OutboundMessage.objects.filter(mailbox=mailbox).aggregate(
        sent_today=Count("pk", filter=Q(status=MessageStatus.SENT, sent_at__gte=day_start)),
        waiting=Count("pk", filter=Q(status__in=[MessageStatus.SCHEDULED, MessageStatus.SENDING])),
        failed=Count(
            "pk", filter=Q(status=MessageStatus.FAILED, updated_at__gte=now - timedelta(days=7))
        ),
    )
    return MailboxStats(
        sent_today=figures["sent_today"],
        daily_cap=mailbox.daily_cap,
        waiting=figures["waiting"],
        failed_this_week=figures["failed"],
    )


def recent_problems(user, mailbox: Mailbox, *, limit: int = 5) -> list[OutboundMessage]:
    """The latest messages of the mailbox that failed or are waiting on an error, among the
    customers ``user`` may see."""
    return list(
        OutboundMessage.objects.visible_to(user)
        .filter(mailbox=mailbox, status__in=PROBLEM_STATUSES)
        .exclude(last_error="")
        .select_related("company")
        .order_by("-updated_at", "-id")[:limit]
    )
