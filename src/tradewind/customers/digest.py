"""The morning digest: each rep's due and overdue follow-ups, emailed once per rep per local day.

Exactly once: the row ``DigestDelivery(user, local_date)`` is claimed and committed before the
mail goes out, so a second worker or a retry finds it and sends nothing. A worker that dies after
claiming but before sending leaves the claim unsent; after ``LEASE`` another run takes it over.
The one window left is a crash after the mail server accepted the message and before ``sent_at``
was committed: that digest would go out again after the lease (a duplicate, never a loss).
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from tradewind.accounts.models import User
from tradewind.customers.models import DigestDelivery
from tradewind.customers.selectors import end_of_local_day, my_tasks

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)


def _send_time() -> time:
    hours, minutes = settings.DIGEST_LOCAL_TIME.split(":")
    return time(int(hours), int(minutes))


def _claim(user: User, local_date, now: datetime) -> DigestDelivery | None:
    """Take the (user, day) key; None when it is sent or another worker holds a fresh claim."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(user=user, local_date=local_date, claimed_at=now)
    except IntegrityError:
        pass
    taken_over = DigestDelivery.objects.filter(
        user=user, local_date=local_date, sent_at__isnull=True, claimed_at__lt=now - LEASE
    ).update(claimed_at=now)
    if taken_over:
        return DigestDelivery.objects.get(user=user, local_date=local_date)
    return None


def _message(user: User, tasks, now: datetime) -> EmailMultiAlternatives:
    overdue = [task for task in tasks if task.due_at < now]
    due_today = len(tasks) - len(overdue)
    with translation.override(user.language), timezone.override(user.zone):
        parts = []
        if due_today:
            parts.append(
                ngettext(
                    "%(count)d follow-up due today", "%(count)d follow-ups due today", due_today
                )
                % {"count": due_today}
            )
        if overdue:
            parts.append(
                ngettext(
                    "%(count)d overdue follow-up", "%(count)d overdue follow-ups", len(overdue)
                )
                % {"count": len(overdue)}
            )
        subject = "Tradewind: " + " · ".join(parts)
        context = {
            "user": user,
            "tasks": tasks,
            "overdue": overdue,
            "now": now,
            "base_url": settings.TRADEWIND_BASE_URL.rstrip("/"),
        }
        text = render_to_string("customers/email/digest.txt", context)
        html = render_to_string("customers/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def digest_send_due(*, now: datetime | None = None) -> int:
    """Send today's digest to every rep whose local digest time has come; returns how many."""
    now = now or timezone.now()
    sent = 0
    for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk"):
        local = now.astimezone(user.zone)
        if local.time() < _send_time():
            continue
        tasks = my_tasks(user, until=end_of_local_day(user, now))
        if not tasks:
            continue
        delivery = _claim(user, local.date(), now)
        if delivery is None:
            continue
        _message(user, tasks, now).send()
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            sent_at=timezone.now(), item_count=len(tasks)
        )
        sent += 1
        logger.info("digest sent to %s with %d follow-ups", user.username, len(tasks))
    return sent
