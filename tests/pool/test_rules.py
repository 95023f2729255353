"""The pool rules as pure functions of a policy and a given moment."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.factories import CompanyFactory
from tests.pool.conftest import at, backdate
from tradewind.customers.models import Company
from tradewind.customers.pool import rules


def policy(**overrides):
    values = {
        "release_after_idle_days": 30,
        "release_after_no_deal_days": 0,
        "release_reminder_days": 3,
        "reclaim_cooldown_days": 7,
    }
    return SimpleNamespace(**(values | overrides))


def company(**overrides):
    values = {
        "owner_id": 1,
        "stage": "contacted",
        "is_protected": False,
        "owner_since": at(2026, 3, 1, 9, 0),
        "created_at": at(2026, 1, 1, 9, 0),
        "last_activity_at": None,
        "previous_owner_id": None,
        "released_at": None,
    }
    return SimpleNamespace(**(values | overrides))


def test_idle_release_counts_from_when_the_owner_got_the_customer():
    due = rules.forecast(company(), policy())
    assert due.due_at == at(2026, 3, 31, 9, 0)
    assert due.reason == "idle"


def test_a_later_activity_moves_the_idle_release_forward():
    due = rules.forecast(company(last_activity_at=at(2026, 3, 20, 15, 0)), policy())
    assert due.due_at == at(2026, 4, 19, 15, 0)


def test_an_old_owners_activity_does_not_count_for_the_new_owner():
    due = rules.forecast(company(last_activity_at=at(2026, 2, 1, 9, 0)), policy())
    assert due.due_at == at(2026, 3, 31, 9, 0)


def test_rows_without_ownership_history_count_from_their_creation():
    due = rules.forecast(company(owner_since=None), policy())
    assert due.due_at == at(2026, 1, 31, 9, 0)


def test_no_deal_release_wins_when_it_comes_first():
    due = rules.forecast(
        company(last_activity_at=at(2026, 3, 25, 9, 0)),
        policy(release_after_no_deal_days=20),
    )
    assert due.due_at == at(2026, 3, 21, 9, 0)
    assert due.reason == "no_deal"


def test_zero_turns_both_release_rules_off():
    assert rules.forecast(company(), policy(release_after_idle_days=0)) is None


@pytest.mark.parametrize("stage", ["quoted", "sample", "negotiation", "ordered", "repeat"])
def test_customers_with_a_deal_in_progress_or_an_order_are_never_released(stage):
    assert rules.forecast(company(stage=stage), policy(release_after_no_deal_days=5)) is None


def test_a_protected_key_account_is_never_released():
    assert rules.forecast(company(is_protected=True), policy()) is None


def test_pool_customers_have_no_release_date():
    assert rules.forecast(company(owner_id=None), policy()) is None


def test_the_release_date_is_the_nightly_run_at_or_after_the_deadline():
    assert rules.release_date_for(at(2026, 3, 31, 1, 59)) == date(2026, 3, 31)
    assert rules.release_date_for(at(2026, 3, 31, 2, 0)) == date(2026, 3, 31)
    assert rules.release_date_for(at(2026, 3, 31, 2, 1)) == date(2026, 4, 1)
    # A deadline given in UTC is placed in the workspace zone first.
    utc = datetime(2026, 3, 30, 18, 30, tzinfo=UTC)  # 02:30 on the 31st in Shanghai
    assert rules.release_date_for(utc) == date(2026, 4, 1)


def test_the_nightly_run_may_go_ahead_only_from_two_in_the_morning_workspace_time():
    assert rules.run_date_at(at(2026, 3, 31, 1, 59)) is None
    assert rules.run_date_at(at(2026, 3, 31, 2, 0)) == date(2026, 3, 31)
    assert rules.run_date_at(at(2026, 3, 31, 23, 59)) == date(2026, 3, 31)


def test_the_cooldown_binds_only_the_previous_owner():
    released = company(owner_id=None, previous_owner_id=7, released_at=at(2026, 3, 1, 2, 0))
    me, colleague = SimpleNamespace(pk=7), SimpleNamespace(pk=8)
    assert rules.cooldown_ends_at(released, me, policy()) == at(2026, 3, 8, 2, 0)
    assert rules.cooldown_ends_at(released, colleague, policy()) is None
    assert rules.cooldown_ends_at(released, me, policy(reclaim_cooldown_days=0)) is None


def test_local_day_bounds_follow_the_zone_given():
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    start, end = rules.local_day_bounds(at(2026, 3, 10, 6, 0), berlin)  # 23:00 on the 9th there
    assert start.astimezone(berlin).day == 9 and end - start == timedelta(days=1)


def test_a_limit_of_zero_means_no_limit():
    assert not rules.over_limit(10_000, 0)
    assert rules.over_limit(11, 10)
    assert not rules.over_limit(10, 10)


def test_the_reminder_window_is_the_x_days_after_the_run():
    after, until = rules.reminder_window(policy(), date(2026, 3, 10))
    assert after == at(2026, 3, 10, 2, 0) and until == at(2026, 3, 13, 2, 0)
    assert rules.reminder_window(policy(release_reminder_days=0), date(2026, 3, 10)) is None


@pytest.mark.django_db
def test_the_database_condition_agrees_with_the_forecast(rep):
    """``due_q`` (SQL) and ``forecast`` (Python) must release exactly the same customers."""
    cases = [
        {"owned": at(2026, 1, 1, 9, 0)},
        {"owned": at(2026, 2, 20, 9, 0)},
        {"owned": at(2026, 1, 1, 9, 0), "active": at(2026, 3, 1, 9, 0)},
        {"owned": at(2026, 1, 1, 9, 0), "active": at(2026, 1, 15, 9, 0)},
        {"owned": at(2026, 2, 1, 9, 0), "active": at(2026, 1, 15, 9, 0)},
        {"owned": at(2026, 2, 8, 2, 0)},  # exactly on the cutoff
    ]
    companies = [backdate(CompanyFactory(owner=rep), **case) for case in cases]
    protected = backdate(CompanyFactory(owner=rep, stage="quoted"), owned=at(2025, 1, 1, 9, 0))
    cutoff = at(2026, 3, 10, 2, 0)
    for settings in (
        policy(),
        policy(release_after_no_deal_days=25),
        policy(release_after_idle_days=0, release_after_no_deal_days=40),
    ):
        in_db = set(
            Company.objects.filter(rules.due_q(settings, cutoff)).values_list("pk", flat=True)
        )
        in_python = {
            c.pk
            for c in Company.objects.filter(pk__in=[c.pk for c in [*companies, protected]])
            if (due := rules.forecast(c, settings)) is not None and due.due_at <= cutoff
        }
        assert in_db == in_python
        assert protected.pk not in in_db
