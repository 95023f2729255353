from datetime import UTC, datetime

import pytest
from django_tasks_db.models import DBTaskResult

from tradewind.core import scheduler
from tradewind.core.models import ScheduledRun


@pytest.mark.django_db(transaction=True)
def test_each_job_is_enqueued_once_per_slot_however_many_workers_tick():
    now = datetime(2026, 3, 10, 0, 7, tzinfo=UTC)
    assert scheduler.tick(now) == ["followup-digest"]
    assert scheduler.tick(now) == []  # a second worker in the same slot
    assert scheduler.tick(datetime(2026, 3, 10, 0, 14, 59, tzinfo=UTC)) == []
    assert scheduler.tick(datetime(2026, 3, 10, 0, 15, tzinfo=UTC)) == ["followup-digest"]
    assert ScheduledRun.objects.count() == 2
    assert DBTaskResult.objects.count() == 2


def test_slot_boundaries():
    job = scheduler.PeriodicJob("x", "tradewind.customers.tasks.send_followup_digests", 15)
    start = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    assert job.slot(start) == job.slot(datetime(2026, 3, 10, 0, 14, 59, tzinfo=UTC))
    assert job.slot(start) != job.slot(datetime(2026, 3, 10, 0, 15, tzinfo=UTC))
