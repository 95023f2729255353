"""API: profiles readable by everyone and writable by managers; screening on a company."""

import pytest

from tests.factories import CompanyFactory
from tradewind.accounts.services import token_create
from tradewind.customers.icp.models import IdealCustomerProfile


@pytest.fixture
def api_as(client):
    def make(user):
        headers = {"Authorization": f"Bearer {token_create(actor=user, user=user)}"}

        class Api:
            def get(self, path):
                return client.get(path, headers=headers)

            def post(self, path, data):
                return client.post(path, data, content_type="application/json", headers=headers)

            def patch(self, path, data):
                return client.patch(path, data, content_type="application/json", headers=headers)

        return Api()

    return make


def test_profiles_need_a_token(client, db):
    assert client.get("/api/profiles").status_code == 401


def test_a_rep_lists_and_reads_profiles_but_cannot_write_them(api_as, rep, make_profile):
    profile = make_profile(name="EU", regions=["eu"], weight_market=30)
    api = api_as(rep)
    listing = api.get("/api/profiles").json()
    assert [(p["name"], p["regions"], p["weight_market"]) for p in listing] == [("EU", ["eu"], 30)]
    assert api.get(f"/api/profiles/{profile.pk}").json()["id"] == profile.pk
    assert api.get("/api/profiles/99999").status_code == 404
    denied = api.post("/api/profiles", {"name": "Mine", "countries": ["US"]})
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    assert api.patch(f"/api/profiles/{profile.pk}", {"is_active": False}).status_code == 403
    assert IdealCustomerProfile.objects.get().is_active


def test_a_manager_creates_and_changes_a_profile(api_as, manager, rep):
    company = CompanyFactory(owner=rep, country="US")
    api = api_as(manager)
    created = api.post(
        "/api/profiles",
        {"name": "US importers", "countries": ["us"], "customer_types": ["importer"]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["countries"] == ["US"] and body["weight_market"] == 25
    company.refresh_from_db()
    assert company.icp_score == 71  # 25 of 35: type not recorded
    patched = api.patch(f"/api/profiles/{body['id']}", {"is_active": False})
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    company.refresh_from_db()
    assert company.icp_score is None


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "x", "regions": ["atlantis"]},
        {"name": "x", "countries": ["XX"]},
        {"name": "", "countries": ["DE"]},
        {"name": "x" * 101, "countries": ["DE"]},
        {"name": "x", "countries": ["DE"], "weight_market": 1000},
        {"name": "x", "keywords": ["k"] * 51},
        {"name": "x"},
        {"name": "x", "countries": "DE"},
    ],
)
def test_wrong_profiles_are_422_and_create_nothing(api_as, manager, payload):
    response = api_as(manager).post("/api/profiles", payload)
    assert response.status_code == 422, response.content
    assert not IdealCustomerProfile.objects.exists()


def test_a_duplicate_profile_name_is_422_naming_the_field(api_as, manager, make_profile):
    make_profile(name="EU", countries=["DE"])
    response = api_as(manager).post("/api/profiles", {"name": "EU", "countries": ["FR"]})
    assert response.status_code == 422 and response.json()["field"] == "name"


def test_screening_through_the_api(api_as, rep, company):
    api = api_as(rep)
    url = f"/api/companies/{company.pk}/screening"
    refused = api.post(url, {"status": "verified", "checked_address": True})
    assert refused.status_code == 422 and refused.json()["code"] == "checklist_incomplete"
    done = api.post(url, {"status": "verified", "checked_address": True, "checked_website": True})
    assert done.status_code == 200
    assert done.json()["screening_status"] == "verified" and done.json()["checked_website"]
    skipped = api.post(url, {"status": "unverified"})
    assert skipped.status_code == 200
    jump = api.post(url, {"status": "qualified"})
    assert jump.status_code == 422 and jump.json()["code"] == "invalid_transition"
    assert api.post(url, {"status": "sold"}).status_code == 422
    assert api.post(url, {"status": "disqualified", "reason": "x" * 201}).status_code == 422


def test_screening_another_reps_customer_is_404(api_as, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    response = api_as(rep).post(f"/api/companies/{theirs.pk}/screening", {"checked_website": True})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.checked_website
