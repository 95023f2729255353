"""The quotations API: the same services, rules and visibility as the pages."""

from decimal import Decimal

import pytest

from tests.quotes.inquiry_data import ready_inquiry
from tests.quotes.quotation_helpers import (
    WORKED_LINE,
    current,
    fx_rate,
    make_product,
    make_quotation,
)
from tradewind.accounts.services import token_create
from tradewind.quotes.models import MarginApproval, Quotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, path, body=None, **query):
        headers = {"Authorization": f"Bearer {token_create(actor=user, user=user)}"}
        if method == "get":
            return client.get(f"/api{path}", query, headers=headers)
        return client.post(
            f"/api{path}", body or {}, content_type="application/json", headers=headers
        )

    return call


def test_create_add_a_line_price_and_read_the_working(api, rep, company):
    fx_rate("USD", "7.10")
    product = make_product()
    created = api(
        rep,
        "post",
        "/quotations",
        {"company_id": company.pk, "incoterm": "FOB", "named_place": "Ningbo",
         "payment_terms": "T/T", "margin_percent": "10"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"].startswith("QT-") and body["current"]["letter"] == "A"
    quotation_id, revision_id = body["id"], body["current"]["id"]
    base = f"/quotations/{quotation_id}/revisions/{revision_id}"
    added = api(rep, "post", f"{base}/lines", {"product_id": product.pk, "quantity": 400})
    assert added.status_code == 201, added.json()
    assert added.json()["pricing_problem"] is None
    assert added.json()["line"]["model"] == "TW-P6060"
    priced = api(rep, "post", f"{base}/price")
    assert priced.status_code == 200
    revision = priced.json()
    assert revision["is_priced"] is True
    (line,) = revision["lines"]
    assert line["chosen"] == "FOB"
    assert Decimal(line["unit_price"]) == Decimal(revision["total_amount"]) / 400
    assert {p["key"] for p in line["alternatives"]} >= {"EXW", "FCA", "FOB"}
    assert any(step["label"] == "Export VAT rebate" for step in line["working"])
    listed = api(rep, "get", "/quotations", expired="no")
    assert [row["number"] for row in listed.json()["items"]] == [body["number"]]


def test_create_from_an_inquiry(api, rep, company):
    fx_rate("USD", "7.10")
    inquiry = ready_inquiry(rep, company)
    response = api(rep, "post", "/quotations", {"inquiry_id": inquiry.pk})
    assert response.status_code == 201
    assert Quotation.objects.get().inquiry == inquiry


def test_create_needs_a_customer_or_an_inquiry(api, rep):
    response = api(rep, "post", "/quotations", {"incoterm": "FOB"})
    assert response.status_code == 422


def test_pricing_problems_are_422_naming_the_field(api, rep, company):
    revision = current(make_quotation(rep, company))
    base = f"/quotations/{revision.quotation_id}/revisions/{revision.pk}"
    added = api(rep, "post", f"{base}/lines", {"description": "Kit", "quantity": 3,
                                               "unit_cost_rmb": "12"})  # fmt: skip
    assert added.status_code == 201
    assert "packing" in added.json()["pricing_problem"]
    response = api(rep, "post", f"{base}/price")
    assert response.status_code == 422
    assert response.json()["field"] == "pcs_per_carton"


def test_bad_line_input_is_422(api, rep, company):
    revision = current(make_quotation(rep, company))
    base = f"/quotations/{revision.quotation_id}/revisions/{revision.pk}"
    response = api(rep, "post", f"{base}/lines", dict(WORKED_LINE, quantity=-4,
                                                      unit_cost_rmb="113"))  # fmt: skip
    assert response.status_code == 422
    assert response.json()["field"] == "quantity"


def test_a_revision_of_another_quotation_is_404(api, rep, company):
    one, two = make_quotation(rep, company), make_quotation(rep, company)
    response = api(rep, "get", f"/quotations/{one.pk}/revisions/{current(two).pk}")
    assert response.status_code == 404


def test_approval_request_and_decision_permissions(api, rep, manager, company):
    revision = current(make_quotation(rep, company, margin_percent=Decimal(6)))
    base = f"/quotations/{revision.quotation_id}/revisions/{revision.pk}"
    assert api(rep, "post", f"{base}/approval", {"comment": ""}).status_code == 422
    requested = api(rep, "post", f"{base}/approval", {"comment": "Trial order"})
    assert requested.status_code == 201
    approval_id = requested.json()["id"]
    by_rep = api(rep, "post", f"/approvals/{approval_id}/decide", {"decision": "approve"})
    assert by_rep.status_code == 403
    no_choice = api(manager, "post", f"/approvals/{approval_id}/decide", {})
    assert no_choice.status_code == 422
    decided = api(manager, "post", f"/approvals/{approval_id}/decide", {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["decision"] == "approved"
    assert MarginApproval.objects.get().decided_by == manager


def test_another_rep_sees_nothing(api, rep, other_rep, company):
    quotation = make_quotation(rep, company)
    assert api(other_rep, "get", f"/quotations/{quotation.pk}").status_code == 404
    assert api(other_rep, "get", "/quotations", q=quotation.number).json()["items"] == []
