"""Races with real connections: two claims at once, two release runs at once.

Each thread has its own database connection. On PostgreSQL the loser waits on the row lock
(SELECT … FOR UPDATE) and then sees the winner's claim. On SQLite the IMMEDIATE transactions
serialise writers (BEGIN IMMEDIATE takes the write lock, the other waits up to the busy
timeout); the test database there is a shared-cache in-memory database, whose table locks
fail at once instead of waiting, so on SQLite the calls run one after the other — the order
IMMEDIATE gives them in production.
"""

import threading
import time

import pytest
from django.db import connection

from tests.factories import CompanyFactory, UserFactory
from tests.pool.conftest import at, backdate
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company, WorkspacePolicy
from tradewind.customers.pool import services
from tradewind.customers.pool.models import PoolClaim
from tradewind.customers.pool.release import release_due

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start the calls at the same moment in threads; each result or error, in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    if connection.vendor == "sqlite":
        for index, call in enumerate(calls):
            try:
                results[index] = ("ok", call())
            except DomainError as exc:
                results[index] = ("refused", exc)
        return results

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except DomainError as exc:
            results[index] = ("refused", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_claims(monkeypatch):
    """Hold each claim's transaction open a little after it locked the customer, so the second
    claim really arrives while the first is in flight."""
    original = services._lock_user

    def lock_and_linger(user):
        original(user)
        time.sleep(0.2)

    monkeypatch.setattr(services, "_lock_user", lock_and_linger)


def test_two_reps_claiming_the_same_customer_at_once_exactly_one_wins(slow_claims):
    WorkspacePolicy.current()
    lily = UserFactory(username="lily", first_name="Lily", team_name="Europe")
    tom = UserFactory(username="tom", first_name="Tom", team_name="Asia")
    company = CompanyFactory(owner=None, actor=lily)
    results = run_together(
        lambda: services.company_claim(actor=lily, company_id=company.pk),
        lambda: services.company_claim(actor=tom, company_id=company.pk),
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["ok", "refused"], results
    winner = Company.objects.get(pk=company.pk).owner
    loser_error = next(value for kind, value in results if kind == "refused")
    assert loser_error.message == f"{winner.first_name} claimed it a moment ago."
    assert PoolClaim.objects.count() == 1
    assert AuditEvent.objects.filter(action="claim").count() == 1


def test_one_rep_claiming_twice_at_once_cannot_pass_the_daily_limit(slow_claims):
    policy = WorkspacePolicy.current()
    policy.daily_claim_limit = 1
    policy.save()
    lily = UserFactory(username="lily", team_name="Europe")
    first, second = (CompanyFactory(owner=None, actor=lily) for _ in range(2))
    results = run_together(
        lambda: services.company_claim(actor=lily, company_id=first.pk),
        lambda: services.company_claim(actor=lily, company_id=second.pk),
    )
    assert sorted(kind for kind, _value in results) == ["ok", "refused"], results
    assert Company.objects.filter(owner=lily).count() == 1


def test_two_release_runs_at_once_release_each_customer_once():
    WorkspacePolicy.current()
    lily = UserFactory(username="lily", team_name="Europe")
    companies = [CompanyFactory(owner=lily) for _ in range(5)]
    for company in companies:
        backdate(company, owned=at(2026, 1, 1, 9, 0))
    night = at(2026, 2, 1, 2, 5)
    results = run_together(lambda: release_due(now=night), lambda: release_due(now=night))
    assert sorted(value for _kind, value in results) == [0, 5]
    assert AuditEvent.objects.filter(action="release").count() == 5
    assert not Company.objects.filter(owner=lily).exists()
