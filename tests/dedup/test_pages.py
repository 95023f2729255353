"""The possible-duplicates page, the company page's notice, and the console report."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import CompanyFactory, UserFactory
from tradewind.customers.dedup.models import DedupKey, DuplicatePair
from tradewind.customers.dedup.selectors import duplicate_pairs
from tradewind.customers.models import Company

pytestmark = pytest.mark.django_db
PAIRS = reverse("dedup:pair-list")


def twin(owner, name, **extra):
    return CompanyFactory(owner=owner, name=name, website="", confirm_duplicate=True, **extra)


@pytest.fixture
def world(rep, teammate, other_rep):
    """Pairs in Europe (rep + teammate), in Asia (other_rep only), and across the two teams."""
    europe = (twin(rep, "Nordlicht Leuchten GmbH"), twin(teammate, "Nordlicht Leuchten AG"))
    asia = (twin(other_rep, "Sakura Lighting Co"), twin(other_rep, "Sakura Lightings"))
    across = (twin(rep, "Adler Import"), twin(other_rep, "Adler Import KG"))
    return {"europe": europe, "asia": asia, "across": across}


def shown(response) -> set[frozenset]:
    return {
        frozenset((row.first.pk, row.second.pk))
        for group in response.context["page"].items
        for row in group.rows
    }


def ids(pair) -> frozenset:
    return frozenset(company.pk for company in pair)


def test_a_manager_sees_the_teams_pairs_with_merge_buttons(client_of, manager, world):
    response = client_of(manager).get(PAIRS)
    assert shown(response) == {ids(world["europe"])}
    body = response.content.decode()
    assert "Merge…" in body and "Not a duplicate" in body
    assert "Sakura" not in body and "Adler" not in body


def test_an_admin_sees_every_pair(client_of, admin_user, world):
    assert shown(client_of(admin_user).get(PAIRS)) == {ids(pair) for pair in world.values()}


def test_a_rep_sees_only_pairs_of_their_own_and_pool_customers_without_merge(
    client_of, rep, teammate, world
):
    pooled = world["europe"][1]
    Company.objects.filter(pk=pooled.pk).update(owner=None)
    response = client_of(rep).get(PAIRS)
    assert shown(response) == {ids(world["europe"])}
    assert "Merge…" not in response.content.decode()
    other = client_of(UserFactory(username="jo", team_name="Europe")).get(PAIRS)
    assert shown(other) == set()


def test_a_dismissed_pair_leaves_the_page(client_of, manager, world):
    survivor, duplicate = world["europe"]
    client = client_of(manager)
    url = reverse("dedup:dismiss", args=[survivor.pk])
    client.post(url, {"other": duplicate.pk})
    assert shown(client.get(PAIRS)) == set()


def test_the_page_is_paginated_without_a_count_in_a_fixed_number_of_queries(
    admin_user, rep, django_assert_max_num_queries
):
    for n in range(30):
        twin(rep, f"Zwilling Leuchten {n}")
        twin(rep, f"Zwilling Leuchten {n} GmbH")
    with django_assert_max_num_queries(1):
        first = duplicate_pairs(admin_user, page=1, size=25)
    assert first.has_next and sum(len(g.rows) for g in first.items) == 25
    second = duplicate_pairs(admin_user, page=2, size=25)
    assert not second.has_next and sum(len(g.rows) for g in second.items) == 5


def test_the_page_counts_its_queries(client_of, admin_user, rep, django_assert_max_num_queries):
    for n in range(10):
        twin(rep, f"Zwilling Leuchten {n}")
        twin(rep, f"Zwilling Leuchten {n} GmbH")
    client = client_of(admin_user)
    client.get(PAIRS)
    with django_assert_max_num_queries(8):
        response = client.get(PAIRS)
    assert len(shown(response)) == 10


def test_pairs_sharing_a_company_are_one_group(admin_user, rep):
    first = twin(rep, "Falkenberg Lampen")
    second = twin(rep, "Falkenberg Lampen GmbH")
    third = twin(rep, "Falkenberg-Lampen Ltd")
    page = duplicate_pairs(admin_user)
    (group,) = page.items
    assert {c.pk for c in group.companies} == {first.pk, second.pk, third.pk}
    assert len(group.rows) == 3


def test_the_certain_filter_leaves_weak_pairs_out(client_of, admin_user, rep):
    twin(rep, "Geheimhandel Lichttechnik")
    twin(rep, "Geheimhandel Lichttechnic")  # 94: possible, not certain
    assert len(shown(client_of(admin_user).get(PAIRS))) == 1
    assert shown(client_of(admin_user).get(PAIRS, {"certain": "1"})) == set()


def test_hostile_page_numbers_are_harmless(client_of, admin_user, world):
    for page in ("-1", "abc", "99999999999999999999", "0"):
        assert client_of(admin_user).get(PAIRS, {"page": page}).status_code == 200


# --- The company page ------------------------------------------------------------------------


def test_the_company_page_warns_of_a_colleagues_duplicate_without_a_link(client_of, rep, world):
    ours, theirs = world["across"]
    body = client_of(rep).get(reverse("customers:company-detail", args=[ours.pk])).content.decode()
    assert "This customer may already exist" in body
    assert "Adler Import KG" in body and str(theirs.owner) in body
    assert reverse("customers:company-detail", args=[theirs.pk]) not in body
    assert "ask your manager" in body.lower() and "Merge…" not in body


def test_the_company_page_offers_the_manager_a_merge(client_of, manager, world):
    survivor, duplicate = world["europe"]
    url = reverse("customers:company-detail", args=[survivor.pk])
    body = client_of(manager).get(url).content.decode()
    assert reverse("dedup:merge", args=[survivor.pk]) + f"?with={duplicate.pk}" in body


def test_a_company_without_duplicates_shows_no_notice(client_of, rep, company):
    url = reverse("customers:company-detail", args=[company.pk])
    assert "may already exist" not in client_of(rep).get(url).content.decode()


# --- tradewind dedup-report ------------------------------------------------------------------


def test_the_report_prints_groups_as_json(world, capsys):
    call_command("dedup_report", "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["group_count"] == 3 and document["pair_count"] == 3
    names = {c["name"] for group in document["groups"] for c in group["companies"]}
    assert "Sakura Lighting Co" in names
    pair = document["groups"][0]["pairs"][0]
    assert set(pair) == {"ids", "score", "reasons", "codes"}
    assert all(isinstance(code, list) and len(code) == 2 for code in pair["codes"])


def test_the_report_in_text_names_owners_and_reasons(world, capsys):
    call_command("dedup_report", "--min-score", "95")
    out = capsys.readouterr().out
    assert "group(s) of likely duplicates" in out
    assert "Same company name" in out and "lily" in out


def test_the_report_reindexes_rows_written_behind_the_services_back(rep, capsys):
    Company.objects.bulk_create(
        [Company(name="Roh Import", name_normalized="roh import", owner=rep),
         Company(name="Roh Import GmbH", name_normalized="roh import", owner=rep)]
    )  # fmt: skip
    call_command("dedup_report", "--json")
    assert json.loads(capsys.readouterr().out)["pair_count"] == 0
    call_command("dedup_report", "--json", "--reindex")
    assert json.loads(capsys.readouterr().out)["pair_count"] == 1
    assert DedupKey.objects.filter(kind="name", value="roh import").count() == 2


def test_the_report_refuses_a_bad_min_score(db):
    with pytest.raises(CommandError):
        call_command("dedup_report", "--min-score", "101")


def test_an_empty_workspace_reports_nothing(db, capsys):
    call_command("dedup_report")
    assert "No likely duplicates" in capsys.readouterr().out
    assert not DuplicatePair.objects.exists()
