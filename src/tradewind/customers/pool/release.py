"""The nightly pool jobs: release due customers, and remind owners before a release.

Exactly once, in two layers:
1. The day's ``PoolRun(job, run_date)`` row is inserted before any work; a second worker (or a
   second scheduler tick, or a retry) finds it and does nothing. A run that died unfinished is
   taken over after ``LEASE``.
2. Each customer is released under a row lock with the due condition checked again, so even
   two runs overlapping after a lease release a customer once; a reminder is keyed by
   ``(company, release date)`` so it is created once however often the job runs.

Reminders are a follow-up task on the owner's My day ("Follow up or lose it to the pool on
DATE") and one email per owner per run listing that run's new reminders. The email is sent
after the rows are committed; it is claimed with a lease and marked sent, so a failed send is
retried by the next run while the release is still ahead, and never sent twice by two workers.
"""

import logging
import smtplib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tradewind.accounts.models import User
from tradewind.core.audit import audit_record, snapshot
from tradewind.customers.models import Company, Task, WorkspacePolicy
from tradewind.customers.pool import rules
from tradewind.customers.pool.models import PoolReminder, PoolRun
from tradewind.customers.services import TASK_FIELDS, set_owner

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=30)
CHUNK = 200
TASK_LOCAL_TIME = time(10, 0)  # the reminder task is due at the owner's next 10:00


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _start_run(job: str, run_date: date, now: datetime) -> PoolRun | None:
    """Take the day's key for ``job``; None when it ran or another worker holds a fresh run."""
    try:
        with transaction.atomic():
            return PoolRun.objects.create(job=job, run_date=run_date, started_at=now)
    except IntegrityError:
        pass
    taken_over = PoolRun.objects.filter(
        job=job, run_date=run_date, finished_at__isnull=True, started_at__lt=now - LEASE
    ).update(started_at=now)
    return PoolRun.objects.get(job=job, run_date=run_date) if taken_over else None


def _finish_run(run: PoolRun, processed: int) -> None:
    PoolRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), processed=processed)


# --- release -----------------------------------------------------------------------------------


@transaction.atomic
def _release_chunk(ids, policy, cutoff: datetime, now: datetime) -> int:
    companies = list(
        Company.objects.select_for_update(of=("self",))
        .filter(rules.due_q(policy, cutoff), pk__in=ids)
        .order_by("pk")
    )
    owners = User.objects.in_bulk({c.owner_id for c in companies})
    reasons = {}
    for company in companies:
        due = rules.forecast(company, policy)
        reasons[company.pk] = due.reason if due else rules.ReleaseReason.IDLE.value
        set_owner(company, None, now=now)
        company.updated_at = now
    Company.objects.bulk_update(
        companies, ["owner", "owner_since", "previous_owner", "released_at", "updated_at"]
    )
    for company in companies:
        old = owners.get(company.previous_owner_id)
        audit_record(
            actor=None,
            action="release",
            instance=company,
            changes={"owner": [str(old) if old else None, None], "reason": reasons[company.pk]},
            company_id=company.pk,
        )
    return len(companies)


def release_due(*, now: datetime | None = None) -> int:
    """The nightly batch: return every due customer to the pool, once per workspace day.
    Returns how many were released by this call (0 when the day's run was already done)."""
    now = now or timezone.now()
    run_date = rules.run_date_at(now)
    if run_date is None:
        return 0
    run = _start_run("release", run_date, now)
    if run is None:
        return 0
    policy = WorkspacePolicy.current()
    cutoff = rules.run_moment(run_date)
    due = Company.objects.filter(rules.due_q(policy, cutoff)).order_by("pk")
    ids = list(due.values_list("pk", flat=True))
    released = sum(_release_chunk(chunk, policy, cutoff, now) for chunk in _chunks(ids))
    _finish_run(run, released)
    logger.info("pool release %s: %d customers returned to the pool", run_date, released)
    return released


# --- reminders ---------------------------------------------------------------------------------


def _task_due(owner: User, now: datetime, release_at: datetime) -> datetime:
    """The owner's next 10:00 local (so the task sits on their My day), before the release."""
    local = now.astimezone(owner.zone)
    due = datetime.combine(local.date(), TASK_LOCAL_TIME, tzinfo=owner.zone)
    if due <= now:
        due += timedelta(days=1)
    return min(due, release_at)


def _reminder_task(company: Company, owner: User, release_on: date, release_at, now) -> Task:
    with translation.override(owner.language):
        title = _("Follow up or lose it to the pool on %(date)s") % {"date": release_on.isoformat()}
    task = Task.objects.create(
        company=company, title=title, due_at=_task_due(owner, now, release_at), assignee=owner
    )
    audit_record(
        actor=None,
        action="create",
        instance=task,
        changes=snapshot(task, TASK_FIELDS),
        company_id=company.pk,
    )
    return task


@transaction.atomic
def _remind_chunk(ids, policy, window: tuple[datetime, datetime], now: datetime) -> int:
    after, until = window
    companies = list(Company.objects.filter(pk__in=ids).select_related("owner").order_by("pk"))
    made = 0
    for company in companies:
        due = rules.forecast(company, policy)
        if due is None or not (after < due.due_at <= until):
            continue
        reminder, created = PoolReminder.objects.get_or_create(
            company=company,
            release_on=due.release_on,
            defaults={
                "owner": company.owner,
                "release_at": due.due_at,
                "reason": due.reason,
                "created_at": now,
            },
        )
        if not created:
            continue
        reminder.task = _reminder_task(company, company.owner, due.release_on, due.due_at, now)
        reminder.save(update_fields=["task"])
        made += 1
    return made


def send_release_reminders(*, now: datetime | None = None) -> int:
    """Warn owners X days before the rules release their customers, once per company per
    release date; returns how many new reminders this call made."""
    now = now or timezone.now()
    run_date = rules.run_date_at(now)
    if run_date is None:
        return 0
    run = _start_run("remind", run_date, now)
    if run is None:
        return 0
    policy = WorkspacePolicy.current()
    window = rules.reminder_window(policy, run_date)
    made = 0
    if window is not None:
        after, until = window
        candidates = Company.objects.filter(rules.due_q(policy, until)).exclude(
            rules.due_q(policy, after)
        )
        ids = list(candidates.order_by("pk").values_list("pk", flat=True))
        made = sum(_remind_chunk(chunk, policy, window, now) for chunk in _chunks(ids))
    emailed = send_reminder_emails(now=now)
    _finish_run(run, made)
    logger.info("pool reminders %s: %d new, %d emails", run_date, made, emailed)
    return made


# --- reminder emails ---------------------------------------------------------------------------


def _claim_unsent(owner_id: int, now: datetime) -> list[PoolReminder]:
    pending = Q(
        emailed_at__isnull=True, owner_id=owner_id, release_at__gt=now, company__owner_id=owner_id
    ) & (Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - LEASE))
    ids = list(PoolReminder.objects.filter(pending).values_list("pk", flat=True))
    # The conditional UPDATE is the claim: a second worker's UPDATE matches no row.
    claimed = PoolReminder.objects.filter(pending, pk__in=ids).update(email_claimed_at=now)
    if not claimed:
        return []
    return list(
        PoolReminder.objects.filter(pk__in=ids, email_claimed_at=now)
        .select_related("company")
        .order_by("release_on", "company__name")
    )


def _reminder_email(owner: User, reminders: list[PoolReminder]) -> EmailMessage:
    with translation.override(owner.language):
        subject = "Tradewind: " + ngettext(
            "%(count)d customer returns to the public pool soon",
            "%(count)d customers return to the public pool soon",
            len(reminders),
        ) % {"count": len(reminders)}
        body = render_to_string(
            "pool/email/release_reminder.txt",
            {
                "owner": owner,
                "reminders": reminders,
                "base_url": settings.TRADEWIND_BASE_URL.rstrip("/"),
            },
        )
    return EmailMessage(subject, body, to=[owner.email])


def send_reminder_emails(*, now: datetime | None = None) -> int:
    """Email each owner the reminders not yet emailed; returns how many emails went out."""
    now = now or timezone.now()
    owner_ids = set(
        PoolReminder.objects.filter(emailed_at__isnull=True, release_at__gt=now)
        .exclude(owner__email="")
        .values_list("owner_id", flat=True)
    )
    sent = 0
    for owner in User.objects.filter(pk__in=owner_ids, is_active=True).order_by("pk"):
        reminders = _claim_unsent(owner.pk, now)
        if not reminders:
            continue
        try:
            _reminder_email(owner, reminders).send()
        except (OSError, smtplib.SMTPException):
            # Left claimed but unsent: the next run after the lease tries again.
            logger.exception("pool reminder email to %s failed", owner.username)
            continue
        PoolReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent
