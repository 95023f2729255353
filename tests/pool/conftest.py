"""Pool test helpers: a controlled clock in the workspace zone and ownership set to given times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CompanyFactory
from tradewind.customers.models import Company, WorkspacePolicy

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    """A moment in Shanghai, the workspace zone of the tests."""
    return datetime(*args, tzinfo=SHANGHAI)


def backdate(company, *, owned=None, active=None, created=None, released=None):
    """Put a company's ownership clock at given moments (test set-up, not a service)."""
    fields = {}
    if owned is not None:
        fields["owner_since"] = owned
    if active is not None:
        fields["last_activity_at"] = active
    if created is not None:
        fields["created_at"] = created
    if released is not None:
        fields["released_at"] = released
    Company.objects.filter(pk=company.pk).update(**fields)
    company.refresh_from_db()
    return company


@pytest.fixture
def policy(db):
    """The workspace policy with the defaults the tests assume; change fields and save."""
    policy = WorkspacePolicy.current()
    policy.release_after_idle_days = 30
    policy.release_after_no_deal_days = 0
    policy.release_reminder_days = 3
    policy.reclaim_cooldown_days = 7
    policy.daily_claim_limit = 10
    policy.max_holdings = 500
    policy.save()
    return policy


@pytest.fixture
def pool_company(rep, policy):
    """A customer sitting in the public pool (created by Lily straight into the pool)."""
    return CompanyFactory(owner=None, actor=rep, name="Poolside Imports BV", country="NL")
