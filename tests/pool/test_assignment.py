"""Auto-assignment of new leads: by country or region, or in rotation."""

import pytest

from tests.factories import CompanyFactory, UserFactory
from tradewind.accounts.models import Team
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.pool.assignment import owner_for_new_lead, pick_owner
from tradewind.customers.pool.models import AssignmentRule
from tradewind.customers.pool.policy import (
    assignment_rule_create,
    assignment_rule_delete,
    assignment_rule_set_active,
)


@pytest.fixture
def region_mode(policy):
    policy.auto_assign = "region"
    policy.save()
    return policy


@pytest.fixture
def rotation_mode(policy):
    policy.auto_assign = "rotation"
    policy.save()
    return policy


@pytest.fixture
def europe(rep, teammate, manager):
    return Team.objects.get(name="Europe")


def test_auto_assign_off_leaves_new_leads_unassigned(policy, rep):
    assert pick_owner(country="DE") is None


def test_a_country_rule_sends_the_lead_to_its_rep(region_mode, manager, rep, teammate):
    assignment_rule_create(actor=manager, countries=["DE", "AT"], assignee=rep, position=1)
    assignment_rule_create(actor=manager, countries=["FR"], assignee=teammate, position=2)
    assert pick_owner(country="de") == rep
    assert pick_owner(country="FR") == teammate
    assert pick_owner(country="BR") is None  # no rule: the lead stays in the pool


def test_a_region_rule_covers_its_countries(region_mode, manager, teammate):
    assignment_rule_create(actor=manager, regions=["middle_east"], assignee=teammate)
    assert pick_owner(country="AE") == teammate
    assert pick_owner(country="SA") == teammate
    assert pick_owner(country="DE") is None


def test_rules_are_tried_in_order_and_a_catch_all_takes_the_rest(
    region_mode, manager, rep, teammate
):
    assignment_rule_create(actor=manager, countries=[], assignee=teammate, position=99)
    assignment_rule_create(actor=manager, countries=["DE"], assignee=rep, position=1)
    assert pick_owner(country="DE") == rep
    assert pick_owner(country="US") == teammate
    assert pick_owner(country="") == teammate


def test_a_team_rule_rotates_fairly_through_its_salespeople(region_mode, manager, europe):
    reps = [UserFactory(username=f"eu{n}", team_name="Europe") for n in range(3)]
    everyone = sorted(
        [*reps, *europe.members.filter(role="sales").exclude(pk__in=[r.pk for r in reps])],
        key=lambda user: user.pk,
    )
    assignment_rule_create(actor=manager, countries=["DE"], team=europe)
    picks = [pick_owner(country="DE") for _ in range(len(everyone) * 3)]
    assert picks == everyone * 3  # round-robin in a stable order
    assert manager not in picks  # managers are not in the rotation


def test_rotation_skips_reps_at_the_holding_limit(rotation_mode, europe, rep, teammate):
    rotation_mode.max_holdings = 1
    rotation_mode.save()
    CompanyFactory(owner=rep)
    assert {pick_owner(team=europe) for _ in range(4)} == {teammate}


def test_rotation_skips_reps_who_left(rotation_mode, europe, rep, teammate):
    teammate.is_active = False
    teammate.save()
    assert [pick_owner(team=europe) for _ in range(2)] == [rep, rep]


def test_workspace_rotation_without_a_team_covers_every_salesperson(
    rotation_mode, rep, teammate, other_rep
):
    picks = [pick_owner() for _ in range(6)]
    assert sorted({p.pk for p in picks}) == sorted([rep.pk, teammate.pk, other_rep.pk])
    assert all(picks.count(p) == 2 for p in picks)


def test_a_rule_whose_rep_is_full_falls_through_to_the_next(region_mode, manager, rep, teammate):
    region_mode.max_holdings = 1
    region_mode.save()
    CompanyFactory(owner=rep)
    assignment_rule_create(actor=manager, countries=["DE"], assignee=rep, position=1)
    assignment_rule_create(actor=manager, countries=[], assignee=teammate, position=2)
    assert pick_owner(country="DE") == teammate


def test_paused_rules_are_skipped(region_mode, manager, rep):
    rule = assignment_rule_create(actor=manager, countries=["DE"], assignee=rep)
    assignment_rule_set_active(actor=manager, rule_id=rule.pk, is_active=False)
    assert pick_owner(country="DE") is None


def test_leads_a_manager_creates_without_an_owner_are_assigned(region_mode, manager, rep):
    assignment_rule_create(actor=manager, countries=["DE"], assignee=rep)
    assert owner_for_new_lead(actor=manager, country="DE") == rep
    assert owner_for_new_lead(actor=None, country="DE") == rep  # an import or a job


def test_a_reps_own_pool_entry_is_not_auto_assigned(region_mode, manager, rep, teammate):
    assignment_rule_create(actor=manager, countries=["DE"], assignee=teammate)
    assert owner_for_new_lead(actor=rep, country="DE") is None


def test_a_managers_leads_only_go_to_their_own_team(region_mode, admin_user, manager, other_rep):
    assignment_rule_create(actor=admin_user, countries=["JP"], assignee=other_rep)
    assert owner_for_new_lead(actor=manager, country="JP") is None
    assert owner_for_new_lead(actor=admin_user, country="JP") == other_rep


# --- the rule services -------------------------------------------------------------------------


def test_rule_changes_are_audited(manager, rep, policy):
    rule = assignment_rule_create(actor=manager, countries=["de", " at "], assignee=rep)
    assert rule.countries == ["AT", "DE"]
    assignment_rule_set_active(actor=manager, rule_id=rule.pk, is_active=False)
    assignment_rule_delete(actor=manager, rule_id=rule.pk)
    actions = list(
        AuditEvent.objects.filter(object_type="pool.assignmentrule")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    assert not AssignmentRule.objects.exists()


def test_a_rep_cannot_write_rules(rep, policy):
    with pytest.raises(PermissionDenied):
        assignment_rule_create(actor=rep, countries=["DE"], assignee=rep)


def test_a_manager_cannot_point_rules_at_another_team(manager, other_rep, policy):
    asia = Team.objects.get(name="Asia")
    with pytest.raises(PermissionDenied):
        assignment_rule_create(actor=manager, countries=["JP"], assignee=other_rep)
    with pytest.raises(PermissionDenied):
        assignment_rule_create(actor=manager, countries=["JP"], team=asia)


def test_a_manager_cannot_delete_another_teams_rule(admin_user, manager, other_rep, policy):
    rule = assignment_rule_create(actor=admin_user, countries=["JP"], assignee=other_rep)
    with pytest.raises(PermissionDenied):
        assignment_rule_delete(actor=manager, rule_id=rule.pk)
    assert AssignmentRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"countries": ["XX"]}, "Unknown country: XX"),
        ({"countries": ["DE"], "regions": ["atlantis"]}, "Unknown region"),
    ],
)
def test_bad_places_are_refused(manager, rep, policy, kwargs, message):
    with pytest.raises(DomainError, match=message):
        assignment_rule_create(actor=manager, assignee=rep, **kwargs)


def test_a_rule_needs_exactly_one_target(manager, rep, europe, policy):
    with pytest.raises(DomainError, match="either one salesperson or a team"):
        assignment_rule_create(actor=manager, countries=["DE"])
    with pytest.raises(DomainError, match="either one salesperson or a team"):
        assignment_rule_create(actor=manager, countries=["DE"], assignee=rep, team=europe)
