"""Claiming from the public pool: limits, cooldown, holdings, audit."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CompanyFactory, UserFactory
from tests.pool.conftest import at
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company, WorkspacePolicy
from tradewind.customers.pool import rules
from tradewind.customers.pool.models import PoolClaim
from tradewind.customers.pool.services import CLAIM_RACE_WINDOW, company_claim, company_release

NOW = at(2026, 3, 10, 10, 0)


def pool_companies(creator, count: int) -> list[Company]:
    return [CompanyFactory(owner=None, actor=creator) for _ in range(count)]


def test_a_rep_claims_a_pool_customer(rep, pool_company):
    company = company_claim(actor=rep, company_id=pool_company.pk, now=NOW)
    assert company.owner == rep
    assert Company.objects.get(pk=pool_company.pk).owner_since == NOW
    assert PoolClaim.objects.get().claimed_at == NOW
    [event] = AuditEvent.objects.filter(action="claim")
    assert event.actor == rep and event.company_id == pool_company.pk
    assert event.changes == {"owner": [None, str(rep)]}


def test_claiming_restarts_the_release_clock(rep, pool_company):
    company = company_claim(actor=rep, company_id=pool_company.pk, now=NOW)
    due = rules.forecast(company, WorkspacePolicy.current())
    assert due.due_at == NOW + timedelta(days=30)


def test_claiming_your_own_customer_again_changes_nothing(rep, pool_company):
    company_claim(actor=rep, company_id=pool_company.pk, now=NOW)
    company_claim(actor=rep, company_id=pool_company.pk, now=NOW + timedelta(minutes=1))
    assert PoolClaim.objects.count() == 1
    assert AuditEvent.objects.filter(action="claim").count() == 1


def test_the_loser_of_a_claim_is_told_who_won(rep, pool_company):
    tom = UserFactory(username="tom", first_name="Tom", team_name="Asia")
    company_claim(actor=tom, company_id=pool_company.pk, now=NOW)
    with pytest.raises(DomainError, match="Tom claimed it a moment ago") as caught:
        company_claim(actor=rep, company_id=pool_company.pk, now=NOW + timedelta(seconds=2))
    assert caught.value.code == "already_claimed"
    assert Company.objects.get(pk=pool_company.pk).owner == tom


def test_long_after_the_claim_another_reps_customer_is_simply_not_found(rep, pool_company):
    tom = UserFactory(username="tom", first_name="Tom", team_name="Asia")
    company_claim(actor=tom, company_id=pool_company.pk, now=NOW)
    with pytest.raises(NotFound):
        company_claim(actor=rep, company_id=pool_company.pk, now=NOW + CLAIM_RACE_WINDOW * 2)


def test_a_customer_that_never_was_in_the_pool_is_not_found(rep, other_rep):
    secret = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        company_claim(actor=rep, company_id=secret.pk, now=NOW)
    with pytest.raises(NotFound):
        company_claim(actor=rep, company_id=999_999, now=NOW)


def test_a_manager_is_told_their_teams_customer_is_not_in_the_pool(manager, company):
    with pytest.raises(DomainError, match="owns this customer"):
        company_claim(actor=manager, company_id=company.pk, now=NOW)


def test_the_previous_owner_waits_out_the_cooldown(rep, teammate, company):
    company_release(actor=rep, company_id=company.pk, now=NOW)
    with pytest.raises(DomainError, match="you can claim it again from") as caught:
        company_claim(actor=rep, company_id=company.pk, now=NOW + timedelta(days=6, hours=23))
    assert caught.value.code == "cooldown"
    assert company_claim(actor=rep, company_id=company.pk, now=NOW + timedelta(days=7)).owner == rep


def test_a_colleague_may_claim_during_the_cooldown(rep, teammate, company):
    company_release(actor=rep, company_id=company.pk, now=NOW)
    assert company_claim(actor=teammate, company_id=company.pk, now=NOW).owner == teammate


def test_zero_cooldown_lets_the_previous_owner_claim_at_once(rep, company, policy):
    policy.reclaim_cooldown_days = 0
    policy.save()
    company_release(actor=rep, company_id=company.pk, now=NOW)
    assert company_claim(actor=rep, company_id=company.pk, now=NOW).owner == rep


def test_the_daily_claim_limit_counts_the_reps_own_local_day(policy, rep):
    policy.daily_claim_limit = 2
    policy.save()
    berlin = UserFactory(username="klaus", time_zone="Europe/Berlin")
    first, second, third = pool_companies(rep, 3)
    evening = at(2026, 3, 10, 23, 0).replace(tzinfo=ZoneInfo("Europe/Berlin"))
    company_claim(actor=berlin, company_id=first.pk, now=evening)
    company_claim(actor=berlin, company_id=second.pk, now=evening + timedelta(minutes=10))
    with pytest.raises(DomainError, match="daily limit") as caught:
        company_claim(actor=berlin, company_id=third.pk, now=evening + timedelta(minutes=50))
    assert caught.value.code == "daily_limit"
    # 00:10 in Berlin is a new day for Klaus (in Shanghai it is still the same morning).
    after_midnight = evening + timedelta(minutes=70)
    assert company_claim(actor=berlin, company_id=third.pk, now=after_midnight).owner == berlin


def test_a_claim_limit_of_zero_means_no_limit(policy, rep):
    policy.daily_claim_limit = 0
    policy.save()
    for company in pool_companies(rep, 12):
        company_claim(actor=rep, company_id=company.pk, now=NOW)
    assert Company.objects.filter(owner=rep).count() == 12


def test_a_rep_at_the_holding_limit_cannot_claim(policy, rep):
    policy.max_holdings = 2
    policy.save()
    CompanyFactory(owner=rep)
    CompanyFactory(owner=rep)
    [extra] = pool_companies(rep, 1)
    with pytest.raises(DomainError, match="limit of 2 per salesperson") as caught:
        company_claim(actor=rep, company_id=extra.pk, now=NOW)
    assert caught.value.code == "max_holdings"
    assert Company.objects.get(pk=extra.pk).owner is None


def test_refused_claims_leave_no_trace(policy, rep):
    policy.max_holdings = 1
    policy.save()
    CompanyFactory(owner=rep)
    [extra] = pool_companies(rep, 1)
    with pytest.raises(DomainError):
        company_claim(actor=rep, company_id=extra.pk, now=NOW)
    assert not PoolClaim.objects.exists()
    assert not AuditEvent.objects.filter(action="claim").exists()


def test_releasing_by_hand_is_audited_and_keeps_the_history(rep, company):
    company_release(actor=rep, company_id=company.pk, now=NOW)
    company.refresh_from_db()
    assert (company.owner, company.previous_owner, company.released_at) == (None, rep, NOW)
    event = AuditEvent.objects.get(action="release")
    assert event.actor == rep
    assert event.changes == {"owner": [str(rep), None], "reason": "manual"}


def test_releasing_a_pool_customer_again_is_refused(rep, pool_company):
    with pytest.raises(DomainError, match="already in the public pool"):
        company_release(actor=rep, company_id=pool_company.pk, now=NOW)


def test_a_rep_cannot_release_a_protected_key_account(rep, manager, company):
    Company.objects.filter(pk=company.pk).update(is_protected=True)
    with pytest.raises(DomainError, match="protected"):
        company_release(actor=rep, company_id=company.pk, now=NOW)
    company_release(actor=manager, company_id=company.pk, now=NOW)
    assert Company.objects.get(pk=company.pk).owner is None


def test_a_rep_cannot_release_another_reps_customer(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        company_release(actor=rep, company_id=theirs.pk, now=NOW)
