"""POST /api/companies under the duplicate policy: 409 with the matches, or 201 with them."""

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.accounts.services import token_create
from tradewind.customers.dedup.engine import CERTAIN_SCORE, FUZZY_MIN_SCORE, name_similarity
from tradewind.customers.models import Company, WorkspacePolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, rep):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}

    def call(payload):
        return client.post(
            "/api/companies", payload, content_type="application/json", headers=headers
        )

    return call


@pytest.fixture
def toms_buyer(other_rep):
    buyer = CompanyFactory(owner=other_rep, name="Geheimhandel Lichttechnik GmbH", website="")
    ContactFactory(company=buyer, name="Greta Geheim", email="greta@geheim.de")
    return buyer


def set_policy(policy: str) -> None:
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": policy})


def test_block_answers_409_with_the_matches_and_creates_nothing(post, toms_buyer):
    set_policy("block")
    response = post({"name": "GEHEIMHANDEL LICHTTECHNIK", "country": "DE"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate" and body["field"] == "name"
    (match,) = body["duplicates"]
    assert match["company_id"] == toms_buyer.pk
    assert match["owner_name"] == str(toms_buyer.owner)
    assert match["score"] == 100 and match["exact"] is True
    assert match["reasons"] == ["Same company name"]
    assert "greta" not in response.content.decode().lower()
    assert Company.objects.count() == 1


def test_warn_creates_and_returns_the_possible_duplicates(post, toms_buyer):
    set_policy("warn")
    response = post({"name": "Geheimhandel Lichtechnik", "country": "DE"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Geheimhandel Lichtechnik"
    assert [d["company_id"] for d in body["duplicates"]] == [toms_buyer.pk]
    assert body["duplicates"][0]["reasons"][0].startswith("Similar name")


def test_a_new_buyer_has_an_empty_duplicates_list(post, toms_buyer):
    set_policy("block")
    response = post({"name": "Kranich Licht", "country": "DE", "website": "kranich.de"})
    assert response.status_code == 201
    assert response.json()["duplicates"] == []


def test_block_still_lets_a_weak_match_through_with_the_match(post, toms_buyer):
    set_policy("block")
    similarity = name_similarity("geheimhandel lichttechnik", "geheimhandel lichttechnic")
    assert FUZZY_MIN_SCORE <= similarity < CERTAIN_SCORE
    response = post({"name": "Geheimhandel Lichttechnic", "country": "DE"})
    assert response.status_code == 201
    assert [d["score"] for d in response.json()["duplicates"]] == [similarity]


def test_the_operation_documents_both_answers(client):
    from tradewind.api.router import api

    operation = api.get_openapi_schema()["paths"]["/api/companies"]["post"]
    assert {"201", "409"} <= {str(code) for code in operation["responses"]}
    assert "block" in operation["description"] and "warn" in operation["description"]
