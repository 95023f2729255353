"""Assign and transfer in bulk: managers within their teams, admins across teams, reps never."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory
from tests.pool.conftest import at
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company
from tradewind.customers.pool.services import (
    MAX_BULK,
    companies_assign,
    companies_release,
    companies_transfer,
)

NOW = at(2026, 3, 10, 10, 0)
BULK = reverse("pool:bulk")


@pytest.fixture
def pool(rep, policy):
    return [CompanyFactory(owner=None, actor=rep, name=f"Pool Buyer {n}") for n in range(3)]


def ids(companies) -> list[int]:
    return [company.pk for company in companies]


def test_a_manager_assigns_pool_customers_to_a_rep_of_the_team(manager, rep, pool):
    result = companies_assign(actor=manager, company_ids=ids(pool), owner=rep, now=NOW)
    assert result.changed == 3
    assert set(Company.objects.filter(owner=rep).values_list("pk", flat=True)) == set(ids(pool))
    events = AuditEvent.objects.filter(action="assign")
    assert events.count() == 3
    assert all(e.actor == manager and e.changes == {"owner": [None, str(rep)]} for e in events)
    assert Company.objects.get(pk=pool[0].pk).owner_since == NOW


def test_assigning_another_reps_customer_is_a_transfer(manager, rep, teammate, company):
    companies_assign(actor=manager, company_ids=[company.pk], owner=teammate, now=NOW)
    event = AuditEvent.objects.get(action="transfer")
    assert event.changes == {"owner": [str(rep), str(teammate)]}
    company.refresh_from_db()
    assert (company.owner, company.previous_owner) == (teammate, rep)


def test_assigning_to_the_current_owner_changes_nothing(manager, rep, company):
    result = companies_assign(actor=manager, company_ids=[company.pk], owner=rep, now=NOW)
    assert (result.changed, result.unchanged) == (0, 1)
    assert not AuditEvent.objects.filter(action__in=["assign", "transfer"]).exists()


def test_a_rep_cannot_assign(rep, teammate, pool):
    with pytest.raises(PermissionDenied):
        companies_assign(actor=rep, company_ids=ids(pool), owner=teammate, now=NOW)
    with pytest.raises(PermissionDenied):
        companies_transfer(actor=rep, from_owner=rep, to_owner=teammate, now=NOW)
    assert not Company.objects.filter(owner=teammate).exists()


def test_a_manager_cannot_give_customers_to_another_team(manager, other_rep, pool):
    with pytest.raises(PermissionDenied):
        companies_assign(actor=manager, company_ids=ids(pool), owner=other_rep, now=NOW)


def test_another_teams_customer_is_not_found_for_a_manager_and_nothing_moves(
    manager, rep, other_rep, pool
):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        companies_assign(actor=manager, company_ids=[*ids(pool), theirs.pk], owner=rep, now=NOW)
    assert not Company.objects.filter(owner=rep).exists()  # all or nothing
    assert Company.objects.get(pk=theirs.pk).owner == other_rep


def test_an_admin_assigns_across_teams(admin_user, other_rep, pool):
    companies_assign(actor=admin_user, company_ids=ids(pool), owner=other_rep, now=NOW)
    assert Company.objects.filter(owner=other_rep).count() == 3


def test_assignments_respect_the_holding_limit(manager, rep, pool, policy):
    policy.max_holdings = 2
    policy.save()
    with pytest.raises(DomainError, match="3 more would pass the limit of 2") as caught:
        companies_assign(actor=manager, company_ids=ids(pool), owner=rep, now=NOW)
    assert caught.value.field == "owner"
    assert not Company.objects.filter(owner=rep).exists()


def test_an_empty_or_oversized_selection_is_refused(manager, rep):
    with pytest.raises(DomainError, match="at least one"):
        companies_assign(actor=manager, company_ids=[], owner=rep, now=NOW)
    with pytest.raises(DomainError, match="at most"):
        companies_assign(actor=manager, company_ids=range(1, MAX_BULK + 2), owner=rep, now=NOW)


def test_a_manager_transfers_all_customers_of_a_rep(manager, rep, teammate, policy):
    mine = [CompanyFactory(owner=rep) for _ in range(4)]
    CompanyFactory(owner=teammate)
    result = companies_transfer(actor=manager, from_owner=rep, to_owner=teammate, now=NOW)
    assert result.changed == 4
    assert not Company.objects.filter(owner=rep).exists()
    assert Company.objects.filter(owner=teammate).count() == 5
    events = AuditEvent.objects.filter(action="transfer")
    assert sorted(e.company_id for e in events) == ids(mine)
    assert all(e.changes == {"owner": [str(rep), str(teammate)]} for e in events)


def test_a_transfer_includes_protected_customers_and_people_who_left(
    manager, rep, teammate, policy
):
    key = CompanyFactory(owner=rep, stage="ordered")
    rep.is_active = False
    rep.save()
    companies_transfer(actor=manager, from_owner=rep, to_owner=teammate, now=NOW)
    assert Company.objects.get(pk=key.pk).owner == teammate


def test_a_transfer_of_selected_customers_checks_they_belong_to_the_rep(
    manager, rep, teammate, policy
):
    own = CompanyFactory(owner=rep)
    not_theirs = CompanyFactory(owner=teammate)
    with pytest.raises(DomainError, match="do not belong"):
        companies_transfer(
            actor=manager,
            from_owner=rep,
            to_owner=teammate,
            company_ids=[own.pk, not_theirs.pk],
            now=NOW,
        )
    assert Company.objects.get(pk=own.pk).owner == rep


def test_a_manager_cannot_transfer_from_another_team(manager, rep, other_rep):
    CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        companies_transfer(actor=manager, from_owner=other_rep, to_owner=rep, now=NOW)


def test_a_transfer_to_the_same_rep_is_refused(manager, rep):
    with pytest.raises(DomainError, match="different salesperson"):
        companies_transfer(actor=manager, from_owner=rep, to_owner=rep, now=NOW)


def test_a_manager_releases_team_customers_in_bulk(manager, rep, teammate, policy):
    companies = [CompanyFactory(owner=rep), CompanyFactory(owner=teammate)]
    result = companies_release(actor=manager, company_ids=ids(companies), now=NOW)
    assert result.changed == 2
    assert AuditEvent.objects.filter(action="release", actor=manager).count() == 2


# --- the bulk bar of the customer list ---------------------------------------------------------


def test_the_bulk_bar_assigns_the_ticked_rows(client_of, manager, rep, pool):
    response = client_of(manager).post(
        BULK,
        {
            "action": "assign",
            "owner": rep.pk,
            "company": ids(pool),
            "next": "/customers/?owner=pool",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/customers/?owner=pool"
    assert Company.objects.filter(owner=rep).count() == 3


def test_the_bulk_bar_releases_the_ticked_rows(client_of, manager, rep, policy):
    companies = [CompanyFactory(owner=rep) for _ in range(2)]
    client_of(manager).post(BULK, {"action": "release", "company": ids(companies)})
    assert not Company.objects.filter(owner=rep).exists()


def test_the_bulk_bar_is_forbidden_to_reps(client_of, rep, teammate, pool):
    response = client_of(rep).post(
        BULK, {"action": "assign", "owner": teammate.pk, "company": ids(pool)}
    )
    assert response.status_code == 403
    assert not Company.objects.filter(owner=teammate).exists()


def test_the_bulk_bar_answers_404_for_another_teams_customer(client_of, manager, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    response = client_of(manager).post(
        BULK, {"action": "assign", "owner": rep.pk, "company": [theirs.pk]}
    )
    assert response.status_code == 404
    assert Company.objects.get(pk=theirs.pk).owner == other_rep


@pytest.mark.parametrize(
    "data",
    [
        {"action": "assign", "company": ["1"]},  # nobody to give them to
        {"action": "assign", "owner": "1", "company": []},
        {"action": "assign", "owner": "1", "company": ["x'; DROP TABLE customers_company;--"]},
        {"action": "assign", "owner": "1", "company": ["-5"]},
        {"action": "explode", "owner": "1", "company": ["1"]},
        {"action": "assign", "owner": "<script>", "company": ["1"]},
    ],
)
def test_the_bulk_bar_turns_bad_input_into_a_message(client_of, manager, rep, pool, data):
    response = client_of(manager).post(BULK, data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Company.objects.filter(owner__isnull=False).exclude(owner=rep).exists()
    assert not Company.objects.filter(owner=rep).exists()


def test_the_bulk_bar_refuses_a_redirect_to_another_site(client_of, manager, rep, pool):
    response = client_of(manager).post(
        BULK,
        {
            "action": "assign",
            "owner": rep.pk,
            "company": ids(pool),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/customers/"


def test_the_bulk_bar_explains_the_holding_limit(client_of, manager, rep, pool, policy):
    policy.max_holdings = 1
    policy.save()
    response = client_of(manager).post(
        BULK, {"action": "assign", "owner": rep.pk, "company": ids(pool)}, follow=True
    )
    [message] = list(response.context["messages"])
    assert "would pass the limit of 1" in str(message)
