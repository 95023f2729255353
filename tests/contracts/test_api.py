"""The contracts API: list, detail, create from a quotation, edit with lock_version (409 when
someone saved first), payment terms, credit advice, ready to sign (422 with every problem) and
signing with the countersigned PDF."""

import pytest

from tests.contracts.factories import accepted_quotation, tiny_pdf
from tradewind.accounts.services import token_create
from tradewind.contracts.models import Contract


@pytest.fixture
def api(client, rep):
    token = token_create(actor=rep, user=rep)

    def call(method, path, data=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"}
        if data is not None and "content_type" not in kwargs and method != "post_multipart":
            kwargs["content_type"] = "application/json"
        if method == "post_multipart":
            return client.post(f"/api{path}", data, headers=headers)
        return getattr(client, method)(f"/api{path}", data, headers=headers, **kwargs)

    return call


def test_create_list_and_read(api, company, profile):
    quotation = accepted_quotation(company)
    created = api("post", f"/quotations/{quotation.pk}/contract", {"kind": "SC"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("SC-") and body["total_amount"] in ("12350.00", "12350.0000")
    assert len(body["lines"]) == 1 and len(body["clauses"]) == 13
    listed = api("get", "/contracts").json()
    assert [item["number"] for item in listed["items"]] == [body["number"]]
    assert api("get", f"/contracts/{body['id']}").json()["number"] == body["number"]


def test_a_wrong_kind_or_unaccepted_quotation_is_422(api, company, profile):
    quotation = accepted_quotation(company)
    assert api("post", f"/quotations/{quotation.pk}/contract", {"kind": "XX"}).status_code == 422
    quotation.status = "draft"
    quotation.save()
    response = api("post", f"/quotations/{quotation.pk}/contract", {"kind": "PI"})
    assert response.status_code == 422 and "not accepted" in response.json()["detail"]


def test_patch_with_a_stale_version_is_409(api, contract):
    first = api(
        "patch",
        f"/contracts/{contract.pk}",
        {"lock_version": contract.lock_version, "packing": "Pallets"},
    )
    assert first.status_code == 200 and first.json()["lock_version"] == contract.lock_version + 1
    second = api(
        "patch",
        f"/contracts/{contract.pk}",
        {"lock_version": contract.lock_version, "packing": "Wooden cases"},
    )
    assert second.status_code == 409
    assert second.json()["current_lock_version"] == contract.lock_version + 1
    assert Contract.objects.get(pk=contract.pk).packing == "Pallets"


def test_patch_without_a_version_is_422(api, contract):
    response = api("patch", f"/contracts/{contract.pk}", {"packing": "Pallets"})
    assert response.status_code == 422 and response.json()["field"] == "lock_version"


def test_ready_refused_lists_every_problem(api, contract):
    Contract.objects.filter(pk=contract.pk).update(bank_swift="", packing="")
    response = api("post", f"/contracts/{contract.pk}/ready")
    assert response.status_code == 422
    codes = {problem["code"] for problem in response.json()["problems"]}
    assert codes == {"bank_missing", "packing_missing"}


def test_terms_credit_ready_send_and_sign(api, contract, client):
    terms = api(
        "put",
        f"/contracts/{contract.pk}/payment-terms",
        {"lock_version": contract.lock_version, "code": "TT_100_ADVANCE"},
    )
    assert terms.status_code == 200 and terms.json()["payment_terms_code"] == "TT_100_ADVANCE"
    advice = api("get", f"/contracts/{contract.pk}/credit").json()
    assert advice["verdict"] == "allowed" and len(advice["ranking"]) == 10
    assert api("post", f"/contracts/{contract.pk}/ready").status_code == 200
    assert api("post", f"/contracts/{contract.pk}/send").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    missing = api("post_multipart", f"/contracts/{contract.pk}/sign", {})
    assert missing.status_code == 422 and missing.json()["field"] == "file"
    upload = SimpleUploadedFile("signed.pdf", tiny_pdf(), "application/pdf")
    signed = api("post_multipart", f"/contracts/{contract.pk}/sign", {"file": upload})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    amended = api("post", f"/contracts/{contract.pk}/amend", {"reason": "Later date"})
    assert amended.json()["version"] == 2


def test_the_pdf_operation(api, contract):
    response = api("get", f"/contracts/{contract.pk}/pdf")
    assert response["Content-Type"] == "application/pdf"
