"""Reminders of L/C dates: N days (default 7 and 2) before the latest shipment date, the last day
for presentation and the expiry, emailed to the handler through the workspace mail path.

Exactly once, in two layers (like the pool reminders):
1. A reminder is a row keyed (L/C, kind, date, days ahead): however many workers run the job,
   the unique constraint lets one of them create it. A date moved by an amendment is a new key.
2. Its email is claimed by a conditional UPDATE (a second worker's UPDATE matches no row) and
   marked sent after the mail server took it. A failed send stays claimed and is retried by a
   run after ``LEASE``; a crash after sending and before marking could send it twice after the
   lease (a duplicate, never a loss).

The job runs hourly (core/scheduler.py) and works for each handler once their local morning
has come (``settings.DIGEST_LOCAL_TIME``), with "today" in their time zone.
"""

import logging
import smtplib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from tradewind.accounts.models import User
from tradewind.contracts.lc.models import LcReminder, LetterOfCredit
from tradewind.contracts.lc.review import deadlines_of, reminder_days
from tradewind.trade.lc_deadlines import reminders_due

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=30)


def _send_time() -> time:
    hours, minutes = settings.DIGEST_LOCAL_TIME.split(":")
    return time(int(hours), int(minutes))


def _create(lc: LetterOfCredit, due, now: datetime) -> bool:
    try:
        with transaction.atomic():
            LcReminder.objects.create(
                lc=lc,
                kind=due.kind.value,
                deadline=due.deadline,
                days_before=due.days_before,
                handler=lc.handler,
                created_at=now,
            )
    except IntegrityError:
        return False
    return True


def make_due_reminders(*, now: datetime | None = None) -> int:
    """Create the reminders open credits owe now; returns how many this call created."""
    now = now or timezone.now()
    offsets = reminder_days()
    horizon = now.date() + timedelta(days=max(offsets) + 2)
    candidates = (
        LetterOfCredit.objects.open()
        .filter(handler__is_active=True, expiry_date__gte=now.date() - timedelta(days=12))
        .filter(
            Q(latest_shipment_date__lte=horizon)
            | Q(expiry_date__lte=horizon)
            | Q(on_board_date__lte=horizon)
        )
        .select_related("handler")
        .order_by("pk")
    )
    made = 0
    for lc in candidates:
        local = now.astimezone(lc.handler.zone)
        if local.time() < _send_time():
            continue
        deadlines = deadlines_of(lc).deadlines
        for due in reminders_due(deadlines, local.date(), offsets):
            made += _create(lc, due, now)
    return made


def _claim_unsent(handler_id: int, now: datetime) -> list[LcReminder]:
    pending = Q(
        emailed_at__isnull=True,
        handler_id=handler_id,
        deadline__gte=now.date() - timedelta(days=1),
        lc__status="open",
    ) & (Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - LEASE))
    # The rows locked here are this worker's alone (SKIP LOCKED on PostgreSQL; SQLite's
    # IMMEDIATE transaction lets one writer in at a time). Two workers may run with the same
    # ``now`` (the scheduler's slot), so the claim time cannot tell their claims apart: the ids
    # do.
    with transaction.atomic():
        ids = list(
            LcReminder.objects.select_for_update(skip_locked=True)
            .filter(pending)
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        LcReminder.objects.filter(pk__in=ids).update(email_claimed_at=now)
    return list(
        LcReminder.objects.filter(pk__in=ids)
        .select_related("lc", "lc__contract", "lc__contract__company")
        .order_by("deadline", "lc__number", "kind")
    )


def _email(handler: User, reminders: list[LcReminder], now: datetime) -> EmailMessage:
    with translation.override(handler.language), timezone.override(handler.zone):
        today = now.astimezone(handler.zone).date()
        for reminder in reminders:
            reminder.days_left = (reminder.deadline - today).days
        subject = "Tradewind: " + ngettext(
            "%(count)d letter of credit date is coming up",
            "%(count)d letter of credit dates are coming up",
            len(reminders),
        ) % {"count": len(reminders)}
        body = render_to_string(
            "lcdesk/email/reminders.txt",
            {
                "handler": handler,
                "reminders": reminders,
                "base_url": settings.TRADEWIND_BASE_URL.rstrip("/"),
            },
        )
    return EmailMessage(subject, body, to=[handler.email])


def send_reminder_emails(*, now: datetime | None = None) -> int:
    """Email each handler the reminders not emailed yet; returns how many emails went out."""
    now = now or timezone.now()
    handler_ids = set(
        LcReminder.objects.filter(emailed_at__isnull=True)
        .exclude(handler__email="")
        .values_list("handler_id", flat=True)
    )
    sent = 0
    for handler in User.objects.filter(pk__in=handler_ids, is_active=True).order_by("pk"):
        reminders = _claim_unsent(handler.pk, now)
        if not reminders:
            continue
        try:
            _email(handler, reminders, now).send()
        except (OSError, smtplib.SMTPException):
            logger.exception("L/C reminder email to %s failed", handler.username)
            continue
        LcReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


def lc_send_reminders(*, now: datetime | None = None) -> int:
    """The scheduled job: create due reminders, then email them. Returns the emails sent."""
    now = now or timezone.now()
    made = make_due_reminders(now=now)
    sent = send_reminder_emails(now=now)
    if made or sent:
        logger.info("L/C reminders: %d new, %d emails", made, sent)
    return sent
