"""The workspace policy: managers change it, every change is audited, nonsense is refused."""

import pytest
from django.core.exceptions import ValidationError

from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool.policy import policy_update


def test_a_manager_changes_the_policy_and_it_is_audited(manager, policy):
    policy_update(actor=manager, release_after_idle_days=45, daily_claim_limit=5)
    current = WorkspacePolicy.current()
    assert (current.release_after_idle_days, current.daily_claim_limit) == (45, 5)
    event = AuditEvent.objects.get(object_type="customers.workspacepolicy")
    assert event.actor == manager
    assert event.changes == {"release_after_idle_days": [30, 45], "daily_claim_limit": [10, 5]}


def test_saving_without_changes_records_nothing(manager, policy):
    policy_update(actor=manager, release_after_idle_days=30)
    assert not AuditEvent.objects.filter(object_type="customers.workspacepolicy").exists()


def test_a_rep_cannot_change_the_policy(rep, policy):
    with pytest.raises(PermissionDenied):
        policy_update(actor=rep, release_after_idle_days=1000)
    assert WorkspacePolicy.current().release_after_idle_days == 30


def test_the_reminder_must_come_before_the_release(manager, policy):
    with pytest.raises(DomainError, match="fewer than 5 days") as caught:
        policy_update(actor=manager, release_after_idle_days=5, release_reminder_days=5)
    assert caught.value.field == "release_reminder_days"
    assert WorkspacePolicy.current().release_after_idle_days == 30  # nothing saved


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("auto_assign", "lottery"),
        ("duplicate_policy", "shrug"),
        ("release_after_idle_days", -1),
    ],
)
def test_values_outside_the_rules_are_refused(manager, policy, field, value):
    with pytest.raises(ValidationError) as caught:
        policy_update(actor=manager, **{field: value})
    assert list(caught.value.message_dict) == [field]


def test_more_than_ten_years_is_refused(manager, policy):
    with pytest.raises(DomainError, match="At most 3650 days") as caught:
        policy_update(actor=manager, reclaim_cooldown_days=4000)
    assert caught.value.field == "reclaim_cooldown_days"


def test_unknown_fields_are_refused(manager, policy):
    with pytest.raises(DomainError, match="Unknown policy fields: is_superuser"):
        policy_update(actor=manager, is_superuser=True)
