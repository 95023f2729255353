"""Periodic jobs, enqueued exactly once per time slot however many workers are running.

Each worker ticks every ``TICK_SECONDS``. For each job a tick inserts the row
``ScheduledRun(name, slot)``; the unique constraint lets only one worker win a slot, and only the
winner enqueues the task (after its transaction commits).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tradewind.core.models import ScheduledRun

logger = logging.getLogger(__name__)
TICK_SECONDS = 30


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str  # dotted path of a django_tasks task
    every_minutes: int

    def slot(self, now: datetime) -> str:
        minutes = int(now.timestamp() // 60)
        return str(minutes - minutes % self.every_minutes)


JOBS: list[PeriodicJob] = [
    # Runs every 15 minutes; each rep gets the digest once their local morning has come.
    PeriodicJob("followup-digest", "tradewind.customers.tasks.send_followup_digests", 15),
    # Due sequence steps: emails into the outbox in the buyer's window, tasks for the rep.
    PeriodicJob("sequence-advance", "tradewind.outreach.sequence_runner.advance_sequences", 5),
    PeriodicJob("inbound-mail", "tradewind.outreach.inbound.polling.poll_mailboxes", 5),
    # Hourly; each does its work once a day at or after 02:00 workspace time (PoolRun key).
    PeriodicJob("pool-release", "tradewind.customers.pool.tasks.release_to_pool", 60),
    PeriodicJob("pool-reminders", "tradewind.customers.pool.tasks.send_pool_reminders", 60),
    # Hourly; each handler gets L/C date reminders once their local morning has come.
    PeriodicJob("lc-reminders", "tradewind.contracts.lc.tasks.send_lc_reminders", 60),
]


def tick(now: datetime | None = None, jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Enqueue every job whose current slot no worker has claimed yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs if jobs is not None else JOBS:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, slot=job.slot(now))
                task = import_string(job.task_path)
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue
        enqueued.append(job.name)
        logger.info("scheduled %s for slot %s", job.name, job.slot(now))
    return enqueued
