"""The L/C desk API: list, record from a pasted MT700 or fields, read, check."""

import pytest
from django.utils import timezone

from tests.trade.lc_samples import mt700, planted_mt700
from tradewind.accounts.services import token_create
from tradewind.contracts.lc.models import LetterOfCredit


@pytest.fixture
def api(client, rep):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}

    class Api:
        def get(self, path, params=None):
            return client.get(path, params or {}, headers=headers)

        def post(self, path, payload=None):
            return client.post(
                path, payload or {}, content_type="application/json", headers=headers
            )

    return Api()


def test_record_from_the_mt700_read_and_check(api, contract):
    created = api.post(
        "/api/letters-of-credit",
        {"contract_id": contract.pk, "mt700": planted_mt700(timezone.localdate())},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == "HH26LC0417"
    assert body["amount"] == "45000.0000" or float(body["amount"]) == 45000
    assert body["check_state"] == "not_checked"
    assert [d["kind"] for d in body["deadlines"]] == [
        "latest_shipment",
        "last_presentation",
        "expiry",
    ]
    check = api.post(f"/api/letters-of-credit/{body['id']}/check")
    assert check.status_code == 200
    assert check.json()["blocking_count"] == 6
    assert {d["tag"] for d in check.json()["discrepancies"]} == {"32B", "45A", "44F", "46A", "44C"}
    read = api.get(f"/api/letters-of-credit/{body['id']}").json()
    assert read["check_state"] == "blocked"
    assert read["latest_check"]["discrepancies"][0]["ask_for"]
    listed = api.get("/api/letters-of-credit", {"show": "to_check"}).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_fields_given_override_the_text(api, contract):
    created = api.post(
        "/api/letters-of-credit",
        {
            "contract_id": contract.pk,
            "mt700": mt700(timezone.localdate()),
            "number": "OVERRIDE-1",
            "port_of_discharge": "BREMEN",
        },
    )
    assert created.status_code == 201
    assert (created.json()["number"], created.json()["port_of_discharge"]) == (
        "OVERRIDE-1",
        "BREMEN",
    )


def test_record_from_fields_alone(api, contract):
    created = api.post(
        "/api/letters-of-credit",
        {
            "contract_id": contract.pk,
            "number": "LC-FIELDS",
            "expiry_date": "2099-01-31",
            "currency": "usd",
            "amount": "48600.00",
            "partial_shipments": "not_allowed",
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["currency"] == "USD"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"mt700": "hello there"}, "mt700"),
        ({"mt700": ":20:LC1\n:31D:269999CHINA\n:32B:USD1,"}, "mt700"),
        ({"number": "LC1", "currency": "USD", "amount": "100"}, "expiry_date"),
        ({"number": "LC1", "expiry_date": "2099-01-01", "currency": "EURO", "amount": "1"}, None),
        (
            {"number": "LC1", "expiry_date": "2099-01-01", "currency": "XYZ", "amount": "1"},
            "currency",
        ),
        ({"number": "LC1", "expiry_date": "2099-01-01", "currency": "USD", "amount": "-1"}, None),
        ({"mt700": "x" * 40_001}, None),
    ],
)
def test_bad_input_is_refused_with_the_field_named(api, contract, payload, field):
    response = api.post("/api/letters-of-credit", {"contract_id": contract.pk} | payload)
    assert response.status_code == 422, response.json()
    if field:
        assert response.json()["field"] == field
    assert not LetterOfCredit.objects.exists()


def test_a_duplicate_number_is_refused(api, contract):
    payload = {"contract_id": contract.pk, "mt700": mt700(timezone.localdate())}
    assert api.post("/api/letters-of-credit", payload).status_code == 201
    again = api.post("/api/letters-of-credit", payload)
    assert again.status_code == 422
    assert again.json()["code"] == "duplicate" and again.json()["field"] == "number"


def test_the_list_pages_and_filters(api, rep, contract):
    for index in range(3):
        api.post(
            "/api/letters-of-credit",
            {"contract_id": contract.pk, "mt700": mt700(timezone.localdate()),
             "number": f"LC-{index}"},
        )  # fmt: skip
    page = api.get("/api/letters-of-credit", {"q": "LC-1"}).json()
    assert [item["number"] for item in page["items"]] == ["LC-1"]
    assert api.get("/api/letters-of-credit", {"show": "nonsense"}).status_code == 422
