"""The nightly release: due customers return to the pool once, protected ones never."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.pool.conftest import at, backdate
from tradewind.core import scheduler
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company
from tradewind.customers.pool import release
from tradewind.customers.pool.models import PoolRun
from tradewind.customers.pool.release import release_due

NIGHT = at(2026, 2, 1, 2, 5)  # the run of 1 February, a few minutes after 02:00 Shanghai


@pytest.fixture
def idle(rep, policy):
    """Lily's customer, hers since 1 January 09:00 and never followed up: due 31 January."""
    company = CompanyFactory(owner=rep, name="Stille Wasser GmbH")
    return backdate(company, owned=at(2026, 1, 1, 9, 0))


def releases(company) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(company_id=company.pk, action="release"))


def test_a_customer_without_follow_up_for_n_days_returns_to_the_pool(idle, rep):
    assert release_due(now=NIGHT) == 1
    idle.refresh_from_db()
    assert idle.owner is None
    assert idle.previous_owner == rep
    assert idle.released_at == NIGHT
    assert idle.owner_since is None
    [event] = releases(idle)
    assert event.actor is None
    assert event.changes == {"owner": [str(rep), None], "reason": "idle"}


def test_the_run_before_the_deadline_leaves_it_with_its_owner(idle, rep):
    assert release_due(now=at(2026, 1, 31, 2, 5)) == 0  # due at 09:00 that day
    idle.refresh_from_db()
    assert idle.owner == rep


def test_a_follow_up_restarts_the_clock(idle, rep):
    backdate(idle, active=at(2026, 1, 20, 9, 0))
    assert release_due(now=NIGHT) == 0
    assert Company.objects.get(pk=idle.pk).owner == rep


def test_days_owned_without_a_deal_release_even_an_active_customer(idle, policy):
    policy.release_after_no_deal_days = 20
    policy.save()
    backdate(idle, active=at(2026, 1, 25, 9, 0))
    assert release_due(now=at(2026, 1, 22, 2, 5)) == 1
    assert releases(idle)[0].changes["reason"] == "no_deal"


def test_zero_days_turns_the_release_off(idle, policy):
    policy.release_after_idle_days = 0
    policy.save()
    assert release_due(now=NIGHT + timedelta(days=300)) == 0


@pytest.mark.parametrize("stage", ["quoted", "sample", "negotiation", "ordered", "repeat"])
def test_a_deal_in_progress_or_an_order_protects_the_customer(rep, policy, stage):
    company = CompanyFactory(owner=rep, stage=stage)
    backdate(company, owned=at(2025, 1, 1, 9, 0))
    assert release_due(now=NIGHT) == 0
    assert Company.objects.get(pk=company.pk).owner == rep


def test_a_protected_key_account_is_never_released(idle, rep):
    Company.objects.filter(pk=idle.pk).update(is_protected=True)
    assert release_due(now=NIGHT) == 0
    assert Company.objects.get(pk=idle.pk).owner == rep


def test_lost_and_dormant_customers_are_released_like_leads(rep, policy):
    lost = CompanyFactory(owner=rep, stage="lost", lost_reason="Went with a Vietnamese supplier")
    backdate(lost, owned=at(2025, 12, 1, 9, 0))
    assert release_due(now=NIGHT) == 1


def test_the_release_runs_once_per_day_however_often_it_is_called(idle, rep):
    other = backdate(CompanyFactory(owner=rep), owned=at(2026, 1, 1, 9, 0))
    assert release_due(now=NIGHT) == 2
    assert release_due(now=NIGHT + timedelta(minutes=1)) == 0
    assert release_due(now=NIGHT + timedelta(hours=20)) == 0
    assert len(releases(idle)) == len(releases(other)) == 1
    run = PoolRun.objects.get(job="release")
    assert run.finished_at is not None and run.processed == 2


def test_nothing_runs_before_two_in_the_morning(idle):
    assert release_due(now=at(2026, 2, 1, 1, 59)) == 0
    assert not PoolRun.objects.exists()
    assert release_due(now=at(2026, 2, 1, 2, 0)) == 1


def test_the_next_day_runs_again(idle, rep):
    assert release_due(now=NIGHT) == 1
    later = backdate(CompanyFactory(owner=rep), owned=at(2026, 1, 2, 9, 0))
    assert release_due(now=NIGHT + timedelta(days=1)) == 1
    assert Company.objects.get(pk=later.pk).owner is None


def test_a_run_left_unfinished_by_a_dead_worker_is_taken_over_after_the_lease(idle):
    PoolRun.objects.create(job="release", run_date=NIGHT.date(), started_at=NIGHT)
    assert release_due(now=NIGHT + timedelta(minutes=5)) == 0
    assert release_due(now=NIGHT + release.LEASE + timedelta(minutes=1)) == 1


def test_two_overlapping_runs_release_a_customer_once(idle, policy):
    """Even past the day's key (a lease taken over while the first run still works), the due
    condition is checked again under the row lock."""
    cutoff = at(2026, 2, 1, 2, 0)
    assert release._release_chunk([idle.pk], policy, cutoff, NIGHT) == 1
    assert release._release_chunk([idle.pk], policy, cutoff, NIGHT) == 0
    assert len(releases(idle)) == 1


def test_the_deadline_is_compared_with_the_scheduled_moment_not_the_pick_up_time(rep, policy):
    """Due at 03:00: a worker that picks the job up at 05:00 still leaves it for tomorrow,
    as the company page promised."""
    company = backdate(CompanyFactory(owner=rep), owned=at(2026, 1, 2, 3, 0))
    assert release_due(now=at(2026, 2, 1, 5, 0)) == 0
    assert release_due(now=at(2026, 2, 2, 2, 1)) == 1
    assert Company.objects.get(pk=company.pk).released_at == at(2026, 2, 2, 2, 1)


def test_release_of_many_customers_goes_in_chunks(rep, policy, monkeypatch):
    monkeypatch.setattr(release, "CHUNK", 3)
    companies = [CompanyFactory(owner=rep) for _ in range(7)]
    for company in companies:
        backdate(company, owned=at(2026, 1, 1, 9, 0))
    assert release_due(now=NIGHT) == 7
    assert not Company.objects.filter(owner=rep).exists()


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_ticks_the_same_hour_release_once(rep, settings):
    from tests.pool.conftest import backdate as set_clock
    from tradewind.customers.models import WorkspacePolicy

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    WorkspacePolicy.current()
    company = set_clock(CompanyFactory(owner=rep), owned=at(2026, 1, 1, 9, 0))
    with mock.patch.object(release.timezone, "now", return_value=NIGHT):
        assert "pool-release" in scheduler.tick(NIGHT)
        assert "pool-release" not in scheduler.tick(NIGHT + timedelta(minutes=20))
        assert release_due() == 0  # a worker running the job by hand the same day
    assert Company.objects.get(pk=company.pk).owner is None
    assert AuditEvent.objects.filter(company_id=company.pk, action="release").count() == 1
    assert PoolRun.objects.filter(job="release").count() == 1
    assert timezone.now() > NIGHT  # the patch did not leak
