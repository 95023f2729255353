"""Profile pages, the company page's fit and screening panel, and the list's fit filters."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, ContactFactory
from tradewind.customers.icp import selectors, services
from tradewind.customers.icp.models import IdealCustomerProfile
from tradewind.customers.models import Company

PROFILES = "/customers/profiles/"
LIST = "/customers/"


def test_a_rep_reads_profiles_but_cannot_change_them(client_of, rep, make_profile):
    profile = make_profile(name="EU LED importers", regions=["eu"], product_keywords=["LED"])
    client = client_of(rep)
    page = client.get(PROFILES)
    body = page.content.decode()
    assert page.status_code == 200
    assert "EU LED importers" in body and "European Union" in body
    assert reverse("icp:profile-create") not in body
    assert reverse("icp:profile-edit", args=[profile.pk]) not in body
    assert client.get(reverse("icp:profile-create")).status_code == 403
    assert client.post(reverse("icp:profile-create"), {"name": "x"}).status_code == 403
    edit = reverse("icp:profile-edit", args=[profile.pk])
    assert client.post(edit, {"name": "Hijacked", "countries": "US"}).status_code == 403
    deactivate = reverse("icp:profile-set-active", args=[profile.pk])
    assert client.post(deactivate, {"active": "0"}).status_code == 403
    profile.refresh_from_db()
    assert profile.name == "EU LED importers" and profile.is_active


def test_the_navigation_links_the_profiles_under_customer_development(client_of, rep):
    body = client_of(rep).get(LIST).content.decode()
    assert f'href="{PROFILES}"' in body and "Ideal customer profiles" in body


def test_a_manager_creates_a_profile_typing_countries_by_code_or_name(client_of, manager, rep):
    german = CompanyFactory(owner=rep, country="DE", products_of_interest="LED panels")
    response = client_of(manager).post(
        reverse("icp:profile-create"),
        {
            "name": "EU LED importers",
            "countries": "Germany, 法国；nl",
            "regions": ["southeast_asia"],
            "customer_types": ["importer", "wholesaler"],
            "product_keywords": "LED panel，downlight\nspotlight",
            "excluded_keywords": "",
            "check_website": "on",
        }
        | weights(),
    )
    assert response.status_code == 302
    profile = IdealCustomerProfile.objects.get()
    assert profile.countries == ["DE", "FR", "NL"]
    assert profile.regions == ["southeast_asia"]
    assert profile.product_keywords == ["LED panel", "downlight", "spotlight"]
    assert profile.check_website and not profile.check_decision_maker
    german.refresh_from_db()
    assert german.icp_score is not None and german.icp_score > 0
    listing = client_of(manager).get(PROFILES).content.decode()
    assert "up to date" in listing  # the success message


def weights() -> dict:
    return {
        f"weight_{n}": 10
        for n in (
            "market",
            "customer_type",
            "size",
            "products",
            "keywords",
            "website",
            "company_email",
            "decision_maker",
            "excluded_keyword",
        )
    }


def test_a_wrong_form_comes_back_with_its_errors_and_keeps_the_input(client_of, manager):
    response = client_of(manager).post(
        reverse("icp:profile-create"),
        {"name": "Narnia buyers", "countries": "DE, Narnia", "keywords": "wardrobe"} | weights(),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not a country we know: Narnia" in body
    assert 'value="Narnia buyers"' in body and "wardrobe" in body
    assert not IdealCustomerProfile.objects.exists()


def test_a_profile_without_criteria_or_with_a_taken_name_is_refused_on_the_form(
    client_of, manager, make_profile
):
    make_profile(name="EU", countries=["DE"])
    client = client_of(manager)
    empty = client.post(reverse("icp:profile-create"), {"name": "Nothing"} | weights())
    assert "at least one criterion" in empty.content.decode()
    taken = client.post(
        reverse("icp:profile-create"), {"name": "eu", "countries": "FR"} | weights()
    )
    assert "already exists" in taken.content.decode()
    assert IdealCustomerProfile.objects.count() == 1


def test_oversized_and_hostile_input_is_refused_or_escaped(client_of, manager):
    client = client_of(manager)
    huge = client.post(
        reverse("icp:profile-create"),
        {"name": "x" * 101, "countries": "DE", "keywords": ", ".join(["k"] * 51)} | weights(),
    )
    assert huge.status_code == 200 and not IdealCustomerProfile.objects.exists()
    client.post(
        reverse("icp:profile-create"),
        {"name": "<script>alert(1)</script>", "keywords": "<b>bold</b>"} | weights(),
    )
    body = client.get(PROFILES).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<b>bold</b>" not in body


def test_editing_shows_the_profile_and_saves_changes(client_of, manager, make_profile):
    profile = make_profile(name="EU", countries=["DE", "FR"], product_keywords=["LED"])
    client = client_of(manager)
    url = reverse("icp:profile-edit", args=[profile.pk])
    form = client.get(url).content.decode()
    assert 'value="DE, FR"' in form and "LED" in form
    response = client.post(url, {"name": "EU+", "countries": "DE", "sizes": ["large"]} | weights())
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.countries, profile.sizes) == ("EU+", ["DE"], ["large"])
    assert profile.product_keywords == []  # cleared on the form, cleared in the profile
    assert client.get(reverse("icp:profile-edit", args=[9999])).status_code == 404


def test_deactivating_and_reactivating_from_the_list(client_of, manager, make_profile):
    profile = make_profile(countries=["DE"])
    client = client_of(manager)
    url = reverse("icp:profile-set-active", args=[profile.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"active": "0"})
    profile.refresh_from_db()
    assert not profile.is_active
    assert "Inactive" in client.get(PROFILES).content.decode()
    client.post(url, {"active": "1"})
    profile.refresh_from_db()
    assert profile.is_active


def test_the_profile_page_says_when_scores_are_being_updated(client_of, rep, monkeypatch):
    client = client_of(rep)
    monkeypatch.setattr(selectors, "rescore_pending", lambda *args: True)
    page = client.get(PROFILES).content.decode()
    assert "being updated" in page and reverse("icp:rescore-status") in page
    monkeypatch.setattr(selectors, "rescore_pending", lambda *args: False)
    done = client.get(reverse("icp:rescore-status")).content.decode()
    assert "up to date" in done and "hx-trigger" not in done


def test_the_profile_list_query_count_does_not_grow_with_profiles(
    client_of, manager, make_profile, django_assert_max_num_queries
):
    for n in range(12):
        make_profile(name=f"P{n}", countries=["DE"], regions=["eu"], keywords=["x"])
    client = client_of(manager)
    client.get(PROFILES)
    with django_assert_max_num_queries(6):
        assert client.get(PROFILES).status_code == 200


def test_the_company_page_shows_the_fit_score_with_its_reasons(client_of, rep, make_profile):
    make_profile(name="EU LED importers", countries=["DE"], check_company_email=True)
    company = CompanyFactory(owner=rep, country="DE")
    ContactFactory(company=company, email="lily@gmail.com")
    body = client_of(rep).get(reverse("customers:company-detail", args=[company.pk])).content
    body = body.decode()
    assert 'id="fit"' in body
    assert "Fit score 43 of 100" in body  # (25 − 10) of 35 points
    assert "Best match: EU LED importers" in body
    assert "target country Germany" in body and "free-mail address only" in body
    assert "−10" in body and "+25" in body


def test_without_profiles_the_company_page_points_to_them(client_of, rep, company):
    body = client_of(rep).get(reverse("customers:company-detail", args=[company.pk])).content
    assert b"No fit score yet" in body and f'href="{PROFILES}"'.encode() in body


@pytest.mark.parametrize("with_profile", [True, False])
def test_the_panel_adds_no_query_to_the_company_page(
    rf, rep, company, make_profile, with_profile, django_assert_num_queries
):
    from django.template import Context, Template

    if with_profile:
        make_profile(countries=["DE"], check_decision_maker=True)
    company = Company.objects.get(pk=company.pk)
    request = rf.get("/")
    request.user = rep
    template = Template("{% load icp %}{% icp_company_panel %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"request": request, "company": company}))
    assert 'id="fit"' in html


def test_screening_by_htmx_returns_the_panel_and_the_history(client_of, rep, company):
    response = client_of(rep).post(
        reverse("icp:screening", args=[company.pk]),
        {
            "screening-checked_website": "on",
            "screening-checked_registry": "on",
            "screening-status": "verified",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="fit"' in body and "Saved" in body
    assert 'id="history"' in body and 'hx-swap-oob="true"' in body
    company.refresh_from_db()
    assert company.screening_status == "verified"
    # Now the form offers the next steps.
    assert 'value="qualified"' in body


def test_a_refused_screening_comes_back_as_422_with_the_reason(client_of, rep, company):
    response = client_of(rep).post(
        reverse("icp:screening", args=[company.pk]),
        {"screening-checked_address": "on", "screening-status": "verified"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "tick at least two checks" in body
    assert 'name="screening-checked_address" id="id_screening-checked_address" checked' in body
    company.refresh_from_db()
    assert company.screening_status == "unverified" and not company.checked_address


def test_disqualifying_without_htmx_redirects_with_a_message(client_of, rep, company):
    client = client_of(rep)
    url = reverse("icp:screening", args=[company.pk])
    missing = client.post(url, {"screening-status": "disqualified"}, follow=True)
    assert "Say why the lead is disqualified" in missing.content.decode()
    done = client.post(
        url, {"screening-status": "disqualified", "screening-reason": "Retail only"}, follow=True
    )
    assert "Screening saved" in done.content.decode()
    company.refresh_from_db()
    assert (company.screening_status, company.disqualified_reason) == (
        "disqualified",
        "Retail only",
    )


def test_screening_another_reps_customer_is_404(client_of, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    client = client_of(rep)
    url = reverse("icp:screening", args=[theirs.pk])
    assert (
        client.post(url, {"screening-status": "disqualified", "screening-reason": "x"}).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    assert Company.objects.get(pk=theirs.pk).screening_status == "unverified"


@pytest.fixture
def scored(rep, make_profile):
    make_profile(countries=["DE"], check_website=True)
    return {
        "both": CompanyFactory(owner=rep, name="Both", country="DE"),
        "country": CompanyFactory(owner=rep, name="Country only", country="DE", website=""),
        "none": CompanyFactory(owner=rep, name="Neither", country="BR", website=""),
    }


def test_the_list_sorts_best_fit_first(client_of, rep, scored):
    Company.objects.filter(pk=scored["none"].pk).update(icp_score=None, icp_reasons=[])
    page = client_of(rep).get(LIST, {"sort": "score"}).context["page"]
    assert [c.name for c in page.items] == ["Both", "Country only", "Neither"]
    assert [c.icp_score for c in page.items] == [100, 71, None]


def test_the_list_filters_by_minimum_fit_score_and_screening(client_of, rep, scored):
    client = client_of(rep)
    page = client.get(LIST, {"min_score": 70}).context["page"]
    assert {c.name for c in page.items} == {"Both", "Country only"}
    page = client.get(LIST, {"min_score": 100}).context["page"]
    assert [c.name for c in page.items] == ["Both"]
    Company.objects.filter(pk=scored["none"].pk).update(screening_status="disqualified")
    page = client.get(LIST, {"screening": "disqualified"}).context["page"]
    assert [c.name for c in page.items] == ["Neither"]
    # A wrong minimum is ignored rather than failing the page.
    assert client.get(LIST, {"min_score": "lots"}).status_code == 200


def test_the_sorted_and_filtered_list_keeps_its_query_count(
    client_of, rep, make_profile, django_assert_max_num_queries
):
    make_profile(countries=["DE"], check_website=True, product_keywords=["LED"])
    for n in range(25):
        CompanyFactory(owner=rep, country="DE" if n % 2 else "FR", tags=["LED"])
    client = client_of(rep)
    client.get(LIST)
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"sort": "score", "min_score": 60, "size": 100})
    # German ones score 55 of 55 points, French ones 30 of 55 (55).
    assert [c.icp_score for c in response.context["page"].items] == [100] * 12


def test_the_fit_score_tooltip_reads_the_reasons(rep, make_profile):
    from tradewind.customers.icp.templatetags.icp import icp_reasons_text

    make_profile(countries=["DE"], check_website=True)
    company = CompanyFactory(owner=rep, country="DE", website="")
    company.refresh_from_db()
    assert (
        icp_reasons_text(company.icp_reasons)
        == "+25 target country Germany; ±0 no website recorded"
    )
    assert icp_reasons_text(["old plain reason"]) == "old plain reason"
    assert icp_reasons_text(None) == ""
    assert services.can_edit_profiles(rep) is False
