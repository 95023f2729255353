"""The samples API: the same services, rules and visibility as the pages."""

import pytest

from tests.factories import CompanyFactory
from tests.quotes.test_samples_services import UPS, delivered, make_sample, shipped
from tradewind.accounts.services import token_create
from tradewind.quotes.models import Sample


@pytest.fixture
def api(client, rep):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}

    class Api:
        def get(self, path, query=None):
            return client.get(f"/api{path}", query or {}, headers=headers)

        def post(self, path, body):
            return client.post(
                f"/api{path}", body, content_type="application/json", headers=headers
            )

    return Api()


def test_a_sample_is_requested_and_read_back(api, company):
    response = api.post(
        "/samples",
        {
            "company_id": company.pk,
            "items": [
                {"description": "LED panel 600×600", "quantity": 2},
                {"description": "Driver", "quantity": 1, "charge": "charged", "unit_price": "4.5"},
            ],
            "courier_payer": "buyer",
            "collect_account": "961234567",
            "sample_cost_rmb": "120.50",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("SMP-")
    assert body["status"] == "requested"
    assert [item["unit_price"] for item in body["items"]] == [None, "4.50"]
    assert body["tracking_url"] is None
    again = api.get(f"/samples/{body['id']}").json()
    assert again["company"] == company.name


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"description": "x", "quantity": 0}]}, "items-0-quantity"),
        (
            {"items": [{"description": "x", "quantity": 1, "charge": "charged"}]},
            "items-0-unit_price",
        ),
        ({"courier_payer": "buyer"}, "collect_account"),
        ({"feedback_after_days": 0}, "feedback_after_days"),
    ],
)
def test_bad_requests_are_422_naming_the_field(api, company, payload, field):
    body = {"company_id": company.pk, "items": [{"description": "x", "quantity": 1}]} | payload
    response = api.post("/samples", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Sample.objects.exists()


def test_a_missing_customer_is_422(api):
    response = api.post("/samples", {"items": [{"description": "x", "quantity": 1}]})
    assert response.status_code == 422
    assert response.json()["field"] == "company_id"


def test_another_reps_customer_is_404(api, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    response = api.post(
        "/samples", {"company_id": theirs.pk, "items": [{"description": "x", "quantity": 1}]}
    )
    assert response.status_code == 404
    assert not Sample.objects.exists()


def test_ship_deliver_feedback_and_decide(api, rep, company):
    sample = make_sample(rep, company)
    bad = api.post(f"/samples/{sample.pk}/ship", {"courier": "ups", "awb_number": "1Z123"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "awb_number" and "UPS" in bad.json()["detail"]
    shipped_body = api.post(
        f"/samples/{sample.pk}/ship", {"courier": "ups", "awb_number": "1z 2203 4803 4249 5730"}
    ).json()
    assert shipped_body["awb_number"] == UPS
    assert shipped_body["tracking_url"].endswith(UPS)
    done = api.post(f"/samples/{sample.pk}/deliver", {}).json()
    assert done["status"] == "delivered" and done["feedback_task_id"]
    feedback = api.post(
        f"/samples/{sample.pk}/feedback",
        {"quality_rating": 5, "price_acceptable": True, "feedback_notes": "Perfect"},
    ).json()
    assert (feedback["status"], feedback["quality_rating"]) == ("feedback", 5)
    refused = api.post(f"/samples/{sample.pk}/decide", {"decision": "rejected"})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    approved = api.post(f"/samples/{sample.pk}/decide", {"decision": "approved"}).json()
    assert approved["status"] == "approved"


def test_a_wrong_jump_is_422_saying_what_is_allowed(api, rep, company):
    sample = make_sample(rep, company)
    response = api.post(f"/samples/{sample.pk}/feedback", {"quality_rating": 4})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_transition"
    assert "In production" in response.json()["detail"]


def test_feedback_without_quality_is_422(api, rep, company):
    sample = delivered(rep, company)
    response = api.post(f"/samples/{sample.pk}/feedback", {"feedback_notes": "ok"})
    assert response.status_code == 422
    assert response.json()["field"] == "quality_rating"


def test_the_list_filters_and_hides_other_reps_samples(api, rep, other_rep, company):
    waiting = delivered(rep, company)
    fresh = make_sample(rep, company)
    make_sample(other_rep, CompanyFactory(owner=other_rep))
    numbers = {item["number"] for item in api.get("/samples").json()["items"]}
    assert numbers == {waiting.number, fresh.number}
    team = {item["number"] for item in api.get("/samples", {"scope": "team"}).json()["items"]}
    assert team == {waiting.number, fresh.number}
    awaiting = api.get("/samples", {"awaiting_feedback": "true"}).json()["items"]
    assert [item["number"] for item in awaiting] == [waiting.number]
    assert api.get("/samples", {"status": "nonsense"}).status_code == 422
    by_awb = api.get("/samples", {"q": UPS}).json()["items"]
    assert [item["number"] for item in by_awb] == [waiting.number]


def test_another_reps_sample_is_404_everywhere(api, other_rep):
    theirs = shipped(other_rep, CompanyFactory(owner=other_rep))
    assert api.get(f"/samples/{theirs.pk}").status_code == 404
    for action, body in (
        ("ship", {"courier": "dhl", "awb_number": "1234567890"}),
        ("deliver", {}),
        ("feedback", {"quality_rating": 5}),
        ("decide", {"decision": "approved"}),
    ):
        assert api.post(f"/samples/{theirs.pk}/{action}", body).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "shipped"
