"""Pool pages and buttons: the company page, the customer list, the rules and transfer pages."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone

from tests.factories import CompanyFactory
from tradewind.customers.models import Company, WorkspacePolicy
from tradewind.customers.pool import rules
from tradewind.customers.pool.models import AssignmentRule
from tradewind.customers.pool.services import company_release

LIST = reverse("customers:company-list")
RULES = reverse("pool:rules")
TRANSFER = reverse("pool:transfer")


def detail(company) -> str:
    return reverse("customers:company-detail", args=[company.pk])


def text(response) -> str:
    return response.content.decode()


# --- company page ------------------------------------------------------------------------------


def test_a_pool_customer_shows_a_claim_button(client_of, rep, pool_company):
    body = text(client_of(rep).get(detail(pool_company)))
    assert reverse("pool:claim", args=[pool_company.pk]) in body
    assert "Release to pool" not in body


def test_an_owned_customer_shows_its_release_date_and_a_release_button(client_of, rep, company):
    body = text(client_of(rep).get(detail(company)))
    due = rules.forecast(company, WorkspacePolicy.current())
    day = formats.date_format(due.release_on, "DATE_FORMAT")
    assert f"Returns to the pool on {day} unless followed up" in body
    assert reverse("pool:release", args=[company.pk]) in body
    assert "Assign…" not in body  # reps do not assign


def test_a_customer_with_a_deal_in_progress_shows_no_release_date(client_of, rep, policy):
    company = CompanyFactory(owner=rep, stage="negotiation")
    assert "Returns to the pool" not in text(client_of(rep).get(detail(company)))


def test_a_protected_account_says_so_and_offers_the_rep_no_release(client_of, rep, company):
    Company.objects.filter(pk=company.pk).update(is_protected=True)
    body = text(client_of(rep).get(detail(company)))
    assert "Protected from the pool" in body
    assert reverse("pool:release", args=[company.pk]) not in body


def test_the_previous_owner_sees_when_they_may_claim_again(client_of, rep, company):
    company_release(actor=rep, company_id=company.pk)
    body = text(client_of(rep).get(detail(company)))
    assert "You can claim it from" in body
    assert reverse("pool:claim", args=[company.pk]) not in body


def test_a_manager_can_assign_to_the_team_only(
    client_of, manager, rep, teammate, other_rep, company
):
    body = text(client_of(manager).get(detail(company)))
    assert "Assign…" in body
    assert str(teammate) in body and f'value="{other_rep.pk}"' not in body


def test_claiming_from_the_company_page(client_of, rep, pool_company):
    response = client_of(rep).post(reverse("pool:claim", args=[pool_company.pk]))
    assert response.status_code == 302 and response["Location"] == detail(pool_company)
    assert Company.objects.get(pk=pool_company.pk).owner == rep


def test_claiming_by_htmx_answers_with_the_list_cell(client_of, rep, pool_company):
    response = client_of(rep).post(
        reverse("pool:claim", args=[pool_company.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Yours now" in text(response)


def test_a_lost_claim_race_by_htmx_says_who_won(client_of, rep, teammate, pool_company):
    from tradewind.customers.pool.services import company_claim

    company_claim(actor=teammate, company_id=pool_company.pk)
    response = client_of(rep).post(
        reverse("pool:claim", args=[pool_company.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert f"{teammate} claimed it a moment ago." in text(response)


def test_a_refused_claim_without_htmx_comes_back_with_the_reason(client_of, rep, policy):
    policy.max_holdings = 1
    policy.save()
    CompanyFactory(owner=rep)
    extra = CompanyFactory(owner=None, actor=rep)
    response = client_of(rep).post(reverse("pool:claim", args=[extra.pk]), follow=True)
    assert "limit of 1 per salesperson" in text(response)
    assert Company.objects.get(pk=extra.pk).owner is None


def test_claim_and_release_only_take_posts(client_of, rep, pool_company):
    client = client_of(rep)
    assert client.get(reverse("pool:claim", args=[pool_company.pk])).status_code == 405
    assert client.get(reverse("pool:release", args=[pool_company.pk])).status_code == 405


def test_releasing_from_the_company_page(client_of, rep, company):
    response = client_of(rep).post(reverse("pool:release", args=[company.pk]), follow=True)
    assert "is back in the public pool" in text(response)
    assert Company.objects.get(pk=company.pk).owner is None


def test_assigning_from_the_company_page(client_of, manager, rep, teammate, company):
    client_of(manager).post(reverse("pool:assign", args=[company.pk]), {"owner": teammate.pk})
    assert Company.objects.get(pk=company.pk).owner == teammate


def test_a_rep_cannot_assign_from_the_company_page(client_of, rep, teammate, company):
    response = client_of(rep).post(
        reverse("pool:assign", args=[company.pk]), {"owner": teammate.pk}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Company.objects.get(pk=company.pk).owner == rep


def test_the_pool_buttons_cost_the_company_page_two_queries(
    manager, rep, company, policy, django_assert_max_num_queries
):
    template = Template("{% load pool_tags %}{% pool_company_actions company %}")
    company = Company.objects.get(pk=company.pk)
    with django_assert_max_num_queries(2):  # the policy and the team to assign to
        html = template.render(Context({"user": manager, "company": company}))
    assert "Assign…" in html


# --- customer list -----------------------------------------------------------------------------


@pytest.fixture
def listing(rep, teammate, policy):
    for n in range(25):
        CompanyFactory(owner=rep if n % 2 else None, actor=rep, name=f"Listed {n:02d} Ltd")
    CompanyFactory(owner=teammate, name="Teammate Listed Ltd")


def test_reps_get_claim_buttons_on_pool_rows_and_no_checkboxes(client_of, rep, listing):
    body = text(client_of(rep).get(LIST, {"owner": "pool"}))
    assert body.count('hx-post="/customers/pool/') == 13
    assert 'form="pool-bulk"' not in body and 'id="pool-bulk"' not in body


def test_managers_get_checkboxes_and_the_bulk_bar(client_of, manager, teammate, listing):
    body = text(client_of(manager).get(LIST))
    assert 'id="pool-bulk"' in body
    assert body.count('name="company"') == 20
    assert f'<option value="{teammate.pk}">' in body


def test_the_rows_fetched_by_htmx_keep_their_checkboxes(client_of, manager, listing):
    response = client_of(manager).get(LIST, {"page": 2}, headers={"HX-Request": "true"})
    assert text(response).count('name="company"') == 6


@pytest.mark.parametrize("size", [20, 50, 100])
def test_the_list_with_checkboxes_has_a_fixed_query_count(
    client_of, manager, listing, size, django_assert_max_num_queries
):
    client = client_of(manager)
    client.get(LIST)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"size": size, "sort": "name"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [20, 100])
def test_the_pool_list_with_claim_buttons_has_a_fixed_query_count(
    client_of, rep, listing, size, django_assert_max_num_queries
):
    client = client_of(rep)
    client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(LIST, {"size": size, "owner": "pool"})


def test_the_navigation_offers_pool_rules_to_managers_only(client_of, rep, manager, policy):
    assert RULES not in text(client_of(rep).get(LIST))
    assert RULES in text(client_of(manager).get(LIST))


# --- pool rules page ---------------------------------------------------------------------------


def policy_post(**overrides) -> dict:
    values = {
        "duplicate_policy": "warn",
        "release_after_idle_days": "30",
        "release_after_no_deal_days": "0",
        "release_reminder_days": "3",
        "reclaim_cooldown_days": "7",
        "daily_claim_limit": "10",
        "max_holdings": "500",
        "auto_assign": "off",
    } | overrides
    return {f"policy-{name}": value for name, value in values.items()}


@pytest.mark.parametrize("url", [RULES, TRANSFER])
def test_reps_may_not_open_the_managers_pages(client_of, rep, policy, url):
    assert client_of(rep).get(url).status_code == 403
    assert client_of(rep).post(url, policy_post()).status_code == 403


def test_a_manager_saves_the_pool_rules(client_of, manager, policy):
    response = client_of(manager).post(
        RULES, policy_post(release_after_idle_days="45", auto_assign="rotation")
    )
    assert response.status_code == 302
    current = WorkspacePolicy.current()
    assert (current.release_after_idle_days, current.auto_assign) == (45, "rotation")


def test_rule_errors_are_explained_on_their_fields_and_input_is_kept(client_of, manager, policy):
    response = client_of(manager).post(
        RULES, policy_post(release_after_idle_days="5", release_reminder_days="9")
    )
    assert response.status_code == 200
    form = response.context["policy_form"]
    assert "fewer than 5 days" in form.errors["release_reminder_days"][0]
    assert 'value="9"' in text(response)
    assert WorkspacePolicy.current().release_after_idle_days == 30


@pytest.mark.parametrize(
    "overrides",
    [
        {"daily_claim_limit": "abc"},
        {"max_holdings": "-3"},
        {"auto_assign": "<script>alert(1)</script>"},
        {"release_after_idle_days": ""},
        {"release_after_idle_days": "9" * 400},
    ],
)
def test_hostile_or_missing_input_is_refused_on_the_field(client_of, manager, policy, overrides):
    response = client_of(manager).post(RULES, policy_post(**overrides))
    assert response.status_code == 200
    [field] = overrides
    assert field in response.context["policy_form"].errors
    assert "<script>alert(1)</script>" not in text(response)


def test_a_manager_adds_an_assignment_rule_by_country_names(client_of, manager, rep, policy):
    response = client_of(manager).post(
        reverse("pool:rule-create"),
        {
            "rule-countries": "Germany, 法国; nl",
            "rule-regions": ["middle_east"],
            "rule-assignee": rep.pk,
            "rule-position": "5",
        },
    )
    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert (rule.countries, rule.regions, rule.assignee) == (
        ["DE", "FR", "NL"],
        ["middle_east"],
        rep,
    )
    page = text(client_of(manager).get(RULES))
    assert "Middle East" in page and ">DE<" in page


def test_an_unknown_country_is_explained_on_the_field(client_of, manager, rep, policy):
    response = client_of(manager).post(
        reverse("pool:rule-create"),
        {"rule-countries": "Germany, Narnia", "rule-assignee": rep.pk, "rule-position": "1"},
    )
    assert response.status_code == 200
    assert "Narnia" in response.context["rule_form"].errors["countries"][0]
    assert not AssignmentRule.objects.exists()


def test_a_rule_without_a_target_is_explained(client_of, manager, policy):
    response = client_of(manager).post(
        reverse("pool:rule-create"), {"rule-countries": "DE", "rule-position": "1"}
    )
    assert "assignee" in response.context["rule_form"].errors


def test_pausing_and_deleting_a_rule_from_the_page(client_of, manager, rep, policy):
    from tradewind.customers.pool.policy import assignment_rule_create

    rule = assignment_rule_create(actor=manager, countries=["DE"], assignee=rep)
    client = client_of(manager)
    client.post(reverse("pool:rule-toggle", args=[rule.pk]), {"active": "0"})
    assert not AssignmentRule.objects.get(pk=rule.pk).is_active
    client.post(reverse("pool:rule-delete", args=[rule.pk]))
    assert not AssignmentRule.objects.exists()
    assert client.post(reverse("pool:rule-delete", args=[rule.pk])).status_code == 404


def test_reps_cannot_touch_rules(client_of, manager, rep, policy):
    from tradewind.customers.pool.policy import assignment_rule_create

    rule = assignment_rule_create(actor=manager, countries=["DE"], assignee=rep)
    assert client_of(rep).post(reverse("pool:rule-delete", args=[rule.pk])).status_code == 403
    assert AssignmentRule.objects.filter(pk=rule.pk).exists()


# --- transfer page -----------------------------------------------------------------------------


def test_the_transfer_page_counts_the_managers_team_only(
    client_of, manager, rep, teammate, other_rep, policy
):
    for _ in range(3):
        CompanyFactory(owner=rep)
    CompanyFactory(owner=other_rep)
    response = client_of(manager).get(TRANSFER)
    held = {user.pk: user.held for user in response.context["holdings"]}
    assert held[rep.pk] == 3 and held[teammate.pk] == 0
    assert other_rep.pk not in held


def test_a_manager_transfers_everything_from_the_page(client_of, manager, rep, teammate, policy):
    for _ in range(3):
        CompanyFactory(owner=rep)
    response = client_of(manager).post(
        TRANSFER, {"from_owner": rep.pk, "to_owner": teammate.pk}, follow=True
    )
    assert "3 customers moved" in text(response)
    assert Company.objects.filter(owner=teammate).count() == 3


def test_the_transfer_form_explains_its_errors(client_of, manager, rep, other_rep, policy):
    client = client_of(manager)
    same = client.post(TRANSFER, {"from_owner": rep.pk, "to_owner": rep.pk})
    assert "different salesperson" in same.context["form"].errors["to_owner"][0]
    foreign = client.post(TRANSFER, {"from_owner": other_rep.pk, "to_owner": rep.pk})
    assert "from_owner" in foreign.context["form"].errors


def test_pages_show_times_after_a_release_on_the_day(client_of, rep, company):
    company_release(actor=rep, company_id=company.pk, now=timezone.now() - timedelta(days=30))
    body = text(client_of(rep).get(detail(company)))
    assert reverse("pool:claim", args=[company.pk]) in body  # the cooldown is over
