"""The contract pages: each renders for its owner, keeps typed input on errors, and the list
stays at a fixed number of queries."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.contracts.factories import accepted_quotation, make_contract, tiny_pdf
from tests.factories import CompanyFactory
from tradewind.contracts import payments, services, workspace
from tradewind.contracts.models import BuyerCredit, ClauseTemplate, Contract, CountryRisk


def url(name, *args):
    return reverse(f"contracts:{name}", args=args)


def test_the_list_shows_my_contracts_and_filters(client_of, rep, contract):
    client = client_of(rep)
    html = client.get(url("contract-list")).content.decode()
    assert contract.number in html and "Contracts &amp; PIs" in html
    assert contract.number in client.get(url("contract-list"), {"q": "Nordlicht"}).content.decode()
    assert (
        contract.number
        not in client.get(url("contract-list"), {"status": "signed"}).content.decode()
    )
    hostile = client.get(
        url("contract-list"), {"q": "<script>alert(1)</script>" * 20, "status": "x"}
    )
    assert hostile.status_code == 200 and b"<script>alert" not in hostile.content


def test_the_list_query_count_does_not_grow_with_rows(
    client_of, rep, company, profile, django_assert_max_num_queries
):
    for _ in range(5):
        make_contract(company)
    client = client_of(rep)
    with django_assert_max_num_queries(8):
        assert client.get(url("contract-list")).status_code == 200


def test_making_a_pi_from_the_quotation_page(client_of, rep, company, profile):
    quotation = accepted_quotation(company)
    client = client_of(rep)
    assert client.get(url("contract-create", quotation.pk)).status_code == 200
    response = client.post(url("contract-create", quotation.pk), {"kind": "SC"})
    contract = Contract.objects.get()
    assert response.status_code == 302 and response.url == url("contract-detail", contract.pk)
    assert contract.kind == "SC"
    again = client.post(url("contract-create", quotation.pk), {"kind": "SC"})
    assert again.status_code == 200 and contract.number.encode() in again.content
    assert Contract.objects.count() == 1


def test_a_quotation_not_yet_accepted_is_explained(client_of, rep, company, profile):
    quotation = accepted_quotation(company)
    quotation.status = "sent"
    quotation.save()
    response = client_of(rep).post(url("contract-create", quotation.pk), {"kind": "PI"})
    assert response.status_code == 200 and b"not accepted yet" in response.content


def test_the_detail_page_shows_the_checklist_clauses_and_amount_in_words(client_of, rep, contract):
    Contract.objects.filter(pk=contract.pk).update(bank_swift="")
    html = client_of(rep).get(url("contract-detail", contract.pk)).content.decode()
    assert "Before signing" in html and "The bank&#x27;s SWIFT code is missing." in html
    assert "SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED AND FIFTY ONLY" in html
    assert "Latest date of shipment:" in html  # the clause with its values filled in
    assert "{latest_shipment_date}" not in html


def test_ready_to_sign_refused_lists_every_problem(client_of, rep, contract):
    Contract.objects.filter(pk=contract.pk).update(
        incoterm="CIF", named_place="Hamburg", insured_by="", total_amount=Decimal("1.00")
    )
    response = client_of(rep).post(url("contract-ready", contract.pk), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("CIF needs an insurance clause" in m for m in messages)
    assert any("does not match the lines" in m for m in messages)
    assert Contract.objects.get(pk=contract.pk).status == "draft"


def test_the_terms_form_keeps_typed_input_on_errors(client_of, rep, contract):
    from tests.contracts.test_locking import _terms_form

    data = _terms_form(contract, latest_shipment_date="31/02/2026", packing="Wooden cases")
    response = client_of(rep).post(url("contract-edit", contract.pk), data)
    assert response.status_code == 200
    assert b"Wooden cases" in response.content and b"31/02/2026" in response.content
    assert Contract.objects.get(pk=contract.pk).packing == "10 pcs per export carton"


def test_the_payment_page_ranks_every_term_and_sets_the_choice(client_of, rep, contract):
    client = client_of(rep)
    html = client.get(url("contract-payment", contract.pk)).content.decode()
    assert html.count('class="tw-ct-rank-no"') == 10
    assert "Recommended" in html and "100% T/T in advance" in html
    response = client.post(
        url("contract-payment", contract.pk),
        {"code": "LC_SIGHT", "lock_version": contract.lock_version},
    )
    assert response.status_code == 302
    assert Contract.objects.get(pk=contract.pk).payment_terms_code == "LC_SIGHT"


def test_custom_instalments_that_do_not_add_up_are_explained(client_of, rep, contract):
    data = {
        "code": "custom",
        "lock_version": contract.lock_version,
        "share_1": "30",
        "instrument_1": "T/T",
        "due_1": "order",
        "share_2": "60",
        "instrument_2": "T/T",
        "due_2": "shipment",
        "days_2": "-7",
    }
    response = client_of(rep).post(url("contract-payment", contract.pk), data)
    assert response.status_code == 200 and b"add up to 90" in response.content


def test_the_manager_approves_from_the_payment_page(client_of, rep, manager, contract):
    workspace.country_risk_set(actor=manager, country="DE", risk_class=0)
    workspace.buyer_credit_set(actor=manager, company_id=contract.company_id, limit_amount="100")
    payments.contract_set_payment_terms(
        actor=rep, contract_id=contract.pk, lock_version=contract.lock_version, code="OA_30"
    )
    rep_client = client_of(rep)
    rep_client.post(url("approval-request", contract.pk), {"comment": "Ten years of orders"})
    approval = contract.term_approvals.get()
    manager_client = client_of(manager)
    html = manager_client.get(reverse("web:my-day")).content.decode()
    assert "Payment terms to approve" in html and contract.number in html
    manager_client.post(url("approval-decide", approval.pk), {"decision": "approve"})
    approval.refresh_from_db()
    assert approval.decision == "approved"


def test_signing_page_refuses_a_file_that_is_not_a_pdf(client_of, rep, contract):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    services.contract_send(actor=rep, contract_id=contract.pk)
    client = client_of(rep)
    assert client.get(url("contract-sign", contract.pk)).status_code == 200
    fake = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url("contract-sign", contract.pk), {"file": fake})
    assert response.status_code == 200 and b"not a PDF" in response.content
    good = SimpleUploadedFile("signed.pdf", tiny_pdf(), "application/pdf")
    assert client.post(url("contract-sign", contract.pk), {"file": good}).status_code == 302
    contract.refresh_from_db()
    version = contract.versions.get()
    download = client.get(url("version-file", version.pk))
    assert download["Content-Type"] == "application/pdf"


def test_the_amend_page_needs_a_reason(client_of, rep, contract):
    Contract.objects.filter(pk=contract.pk).update(status="signed")
    client = client_of(rep)
    response = client.post(url("contract-amend", contract.pk), {"reason": ""})
    assert response.status_code == 200 and Contract.objects.get(pk=contract.pk).version == 1
    response = client.post(url("contract-amend", contract.pk), {"reason": "200 more"})
    assert response.status_code == 302 and Contract.objects.get(pk=contract.pk).version == 2


def test_deposit_pages_and_the_my_day_panel(client_of, rep, contract):
    Contract.objects.filter(pk=contract.pk).update(status="signed")
    from tradewind.contracts.schedule import sync_deposits

    sync_deposits(Contract.objects.get(pk=contract.pk), actor=rep)
    deposit = contract.deposits.get()
    client = client_of(rep)
    assert "Deposits not credited yet" in client.get(reverse("web:my-day")).content.decode()
    client.post(url("deposit-slip", deposit.pk), {"reference": "SLIP-1"})
    html = client.get(url("contract-detail", contract.pk)).content.decode()
    assert "Bank slip only" in html and "A bank slip is not money" in html
    bad = client.post(
        url("deposit-credit", deposit.pk), {"amount": "-3", "value_date": "2026-01-01"}
    )
    assert bad.status_code == 200 and b"-3" in bad.content
    ok = client.post(
        url("deposit-credit", deposit.pk), {"amount": "3705.00", "value_date": "2026-01-01"}
    )
    assert ok.status_code == 302
    deposit.refresh_from_db()
    assert deposit.is_credited


def test_pdf_and_preview(client_of, rep, contract):
    client = client_of(rep)
    response = client.get(url("contract-pdf", contract.pk))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    preview = client.get(url("contract-preview", contract.pk)).content.decode()
    assert "PROFORMA INVOICE" in preview and contract.number in preview


def test_credit_settings_read_only_for_reps_and_editable_for_managers(
    client_of, rep, manager, company
):
    rep_client = client_of(rep)
    assert rep_client.get(url("credit-settings")).status_code == 200
    assert (
        rep_client.post(url("credit-settings"), {"country": "DE", "risk_class": 1}).status_code
        == 403
    )
    assert rep_client.get(url("buyer-credit-edit", company.pk)).status_code == 403
    manager_client = client_of(manager)
    assert (
        manager_client.post(
            url("credit-settings"), {"country": "DE", "risk_class": "1"}
        ).status_code
        == 302
    )
    assert CountryRisk.objects.get(country="DE").risk_class == 1
    bad = manager_client.post(url("credit-settings"), {"country": "ZZ", "risk_class": "9"})
    assert bad.status_code == 200 and not CountryRisk.objects.filter(country="ZZ").exists()
    data = {"insurer": "Sinosure", "currency": "USD", "limit_amount": "80000"}
    assert manager_client.post(url("buyer-credit-edit", company.pk), data).status_code == 302
    assert BuyerCredit.objects.get(company=company).limit_amount == Decimal("80000.00")
    form = manager_client.get(url("buyer-credit-edit", company.pk)).context["form"]
    again = {name: form[name].value() or "" for name in form.fields} | {"limit_amount": "90000"}
    assert manager_client.post(url("buyer-credit-edit", company.pk), again).status_code == 302
    page = manager_client.get(
        reverse("customers:company-detail", args=[company.pk])
    ).content.decode()
    assert "Sinosure limit USD 90,000.00" in page
    assert "Credit &amp; country risk" in page


def test_clause_templates_are_edited_by_admins_only(client_of, rep, admin_user):
    services.ensure_clause_templates()
    template = ClauseTemplate.objects.get(key="claims")
    assert client_of(rep).get(url("template-list")).status_code == 200
    assert client_of(rep).get(url("template-edit", template.pk)).status_code == 403
    client = client_of(admin_user)
    data = {
        "title": "Claims",
        "body": "Within {claims_period_days} days.",
        "is_active": "on",
        "default_claims_period_days": "abc",
    }
    response = client.post(url("template-edit", template.pk), data)
    assert response.status_code == 200 and b"abc" in response.content
    data["default_claims_period_days"] = "90"
    assert client.post(url("template-edit", template.pk), data).status_code == 302
    template.refresh_from_db()
    assert template.defaults == {"claims_period_days": 90}


def test_the_company_page_lists_the_contracts(client_of, rep, contract):
    waiting = accepted_quotation(contract.company)
    html = client_of(rep).get(reverse("customers:company-detail", args=[contract.company_id]))
    assert contract.number.encode() in html.content
    assert url("contract-create", waiting.pk).encode() in html.content
    assert url("contract-create", contract.quotation_id).encode() not in html.content


def test_clause_and_line_pages(client_of, rep, contract):
    client = client_of(rep)
    clause = contract.clauses.get(key="shipment")
    page = client.get(url("clause-edit", clause.pk)).content.decode()
    assert "{latest_shipment_date}" in page and "As printed now" in page
    bad = client.post(
        url("clause-edit", clause.pk),
        {"title": "Shipment", "body": "By {when}", "lock_version": contract.lock_version},
    )
    assert (
        bad.status_code == 200
        and b"By {when}" in bad.content
        and b"not a contract field" in bad.content
    )
    line = contract.lines.get()
    form = client.get(url("line-edit", line.pk)).context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data["quantity"] = "1200"
    assert client.post(url("line-edit", line.pk), data).status_code == 302
    assert Contract.objects.get(pk=contract.pk).total_amount == Decimal("14820.00")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_in_both_languages(client_of, rep, contract, language):
    rep.language = language
    rep.save()
    client = client_of(rep)
    for name in ("contract-detail", "contract-payment", "contract-edit"):
        assert client.get(url(name, contract.pk)).status_code == 200
    assert client.get(url("contract-list")).status_code == 200


def test_another_teams_buyer_is_not_shown_in_the_credit_list(client_of, rep, other_rep, manager):
    theirs = CompanyFactory(owner=other_rep, name="Other Team Imports")
    BuyerCredit.objects.create(company=theirs, limit_amount=1)
    html = client_of(manager).get(url("credit-settings")).content.decode()
    assert "Other Team Imports" not in html
