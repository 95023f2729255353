"""The inquiry API: list, create with lines, read with the checklist, change, close, waive —
the same services and visibility rule as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.quotes.inquiry_data import FULL_LINE, make_inquiry
from tradewind.accounts.services import token_create
from tradewind.quotes.models import Inquiry


@pytest.fixture
def api(client, rep):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}

    class Api:
        def __getattr__(self, method):
            def call(path, data=None):
                fn = getattr(client, method)
                if method in ("post", "patch") and data is not None:
                    return fn(path, data, content_type="application/json", headers=headers)
                return fn(path, data, headers=headers)

            return call

    return Api()


def test_create_an_inquiry_with_lines_and_read_its_checklist(api, rep, company):
    contact = ContactFactory(company=company)
    response = api.post(
        "/api/inquiries",
        {
            "company_id": company.pk,
            "contact_id": contact.pk,
            "subject": "2,000 LED panels",
            "incoterm": "FOB",
            "named_place": "Ningbo",
            "lines": [
                {"description": "LED panel", "quantity": 2000, "target_price": "7.80"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["assignee_id"] == rep.pk
    assert data["lines"][0]["quantity"] == 2000
    assert data["ready_to_quote"] is False
    states = {row["item"]: row["state"] for row in data["checklist"]}
    assert states["incoterm"] == "filled"
    assert states["quantity"] == "filled"
    assert states["packing"] == "missing"
    company.refresh_from_db()
    assert company.stage == "inquiry"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"subject": ""}, 422, None),
        ({"subject": "x" * 301}, 422, None),
        ({"lines": [{"description": "Panel", "quantity": 0}]}, 422, None),
        ({"lines": [{"description": "", "quantity": 5}]}, 422, "description"),
        ({"lines": [{"description": "Panel", "product_id": 99999}]}, 422, "product_id"),
        ({"incoterm": "XYZ"}, 422, "incoterm"),
        ({"received_at": "2999-01-01T00:00:00Z"}, 422, "received_at"),
        ({"contact_id": 99999}, 422, "contact_id"),
        ({"assignee_id": 99999}, 422, "assignee_id"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(api, company, payload, status, field):
    response = api.post("/api/inquiries", {"company_id": company.pk, "subject": "Panels"} | payload)
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field
    assert not Inquiry.objects.exists()


def test_another_reps_customer_is_a_404(api, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    response = api.post("/api/inquiries", {"company_id": theirs.pk, "subject": "Panels"})
    assert response.status_code == 404
    assert not Inquiry.objects.exists()


def test_list_filters_and_pages(api, rep, company, other_rep):
    make_inquiry(rep, company, subject="Fresh")
    late = make_inquiry(rep, company, subject="Late")
    Inquiry.objects.filter(pk=late.pk).update(
        first_response_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    make_inquiry(other_rep, CompanyFactory(owner=other_rep), subject="Theirs")
    everything = api.get("/api/inquiries").json()
    assert {i["subject"] for i in everything["items"]} == {"Fresh", "Late"}
    overdue = api.get("/api/inquiries", {"overdue": "true"}).json()
    assert [i["subject"] for i in overdue["items"]] == ["Late"]
    assert api.get("/api/inquiries", {"q": "fresh"}).json()["items"][0]["subject"] == "Fresh"
    assert api.get("/api/inquiries", {"scope": "everyone"}).status_code == 422


def test_patch_changes_details_records_the_reply_and_closes(api, rep, company):
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=3))
    url = f"/api/inquiries/{inquiry.pk}"
    replied = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    data = api.patch(url, {"packing": "Cartons", "first_responded_at": replied}).json()
    assert data["packing"] == "Cartons"
    assert data["first_responded_at"] is not None
    refused = api.patch(url, {"status": "lost"})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    closed = api.patch(url, {"status": "lost", "closed_reason": "Price too high"}).json()
    assert (closed["status"], closed["closed_reason"]) == ("lost", "Price too high")
    assert api.patch(url, {"packing": "Pallets"}).status_code == 422  # closed: read-only
    reopened = api.patch(url, {"status": "open", "packing": "Pallets"}).json()
    assert (reopened["status"], reopened["packing"]) == ("open", "Pallets")


def test_a_patch_that_fails_halfway_changes_nothing(api, rep, company):
    inquiry = make_inquiry(rep, company)
    response = api.patch(f"/api/inquiries/{inquiry.pk}", {"packing": "Cartons", "status": "won"})
    assert response.status_code == 422
    inquiry.refresh_from_db()
    assert inquiry.packing == ""


def test_waive_and_take_back_by_api(api, rep, company):
    inquiry = make_inquiry(rep, company, lines=[FULL_LINE])
    url = f"/api/inquiries/{inquiry.pk}/waivers"
    missing = api.post(url, {"item": "certificates"})
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    oversized = api.post(url, {"item": "certificates", "reason": "x" * 301})
    assert oversized.status_code == 422
    unknown = api.post(url, {"item": "colour", "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "item"
    data = api.post(url, {"item": "certificates", "reason": "None needed"}).json()
    row = next(r for r in data["checklist"] if r["item"] == "certificates")
    assert (row["state"], row["waiver_reason"]) == ("waived", "None needed")
    data = api.post(url, {"item": "certificates", "waived": False}).json()
    assert data["waivers"] == {}


def test_another_reps_inquiry_is_a_404_on_every_operation(api, other_rep):
    theirs = make_inquiry(other_rep, CompanyFactory(owner=other_rep))
    assert api.get(f"/api/inquiries/{theirs.pk}").status_code == 404
    assert api.patch(f"/api/inquiries/{theirs.pk}", {"packing": "x"}).status_code == 404
    waived = api.post(f"/api/inquiries/{theirs.pk}/waivers", {"item": "packing", "reason": "x"})
    assert waived.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.packing, theirs.waivers) == ("", {})


def test_without_a_token_the_api_is_closed(client, db):
    assert client.get("/api/inquiries").status_code == 401
