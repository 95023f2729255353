from datetime import UTC, datetime

import pytest
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from tradewind.core import scheduler
from tradewind.core.models import ScheduledRun

DIGEST = next(job for job in scheduler.JOBS if job.name == "followup-digest")


@pytest.mark.django_db(transaction=True)
def test_each_job_is_enqueued_once_per_slot_however_many_workers_tick():
    now = datetime(2026, 3, 10, 0, 7, tzinfo=UTC)
    assert scheduler.tick(now, [DIGEST]) == ["followup-digest"]
    assert scheduler.tick(now, [DIGEST]) == []  # a second worker in the same slot
    assert scheduler.tick(datetime(2026, 3, 10, 0, 14, 59, tzinfo=UTC), [DIGEST]) == []
    assert scheduler.tick(datetime(2026, 3, 10, 0, 15, tzinfo=UTC), [DIGEST]) == ["followup-digest"]
    assert ScheduledRun.objects.count() == 2
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_every_registered_job_is_enqueued_once_in_a_fresh_slot():
    now = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    names = [job.name for job in scheduler.JOBS]
    assert len(names) == len(set(names)), "job names must be unique"
    assert scheduler.tick(now) == names
    assert scheduler.tick(now) == []
    assert DBTaskResult.objects.count() == len(names)


@pytest.mark.parametrize("job", scheduler.JOBS, ids=lambda job: job.name)
def test_every_job_points_at_a_real_task(job):
    assert callable(import_string(job.task_path).enqueue)


def test_slot_boundaries():
    job = scheduler.PeriodicJob("x", "tradewind.customers.tasks.send_followup_digests", 15)
    start = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    assert job.slot(start) == job.slot(datetime(2026, 3, 10, 0, 14, 59, tzinfo=UTC))
    assert job.slot(start) != job.slot(datetime(2026, 3, 10, 0, 15, tzinfo=UTC))
