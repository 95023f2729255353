"""Quotation pages: list, create (blank and from an inquiry), the cost sheet with its working and
alternatives, terms and line forms, compare, approvals; bad input keeps what was typed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.quotes.inquiry_data import make_inquiry, ready_inquiry
from tests.quotes.quotation_helpers import (
    WORKED_LINE,
    current,
    fx_rate,
    make_product,
    make_quotation,
)
from tradewind.quotes import approvals, quotations
from tradewind.quotes.models import MarginApproval, Quotation, QuotationRevision

pytestmark = pytest.mark.django_db


def detail(revision):
    return reverse("quotations:revision-detail", args=[revision.pk])


def test_the_cost_sheet_shows_prices_working_and_alternatives(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    response = client_of(rep).get(detail(revision))
    assert response.status_code == 200
    body = response.content.decode()
    assert "16.72" in body and "167,200.00" in body
    assert "Swap cost" in body and "6.3897" in body
    assert "Export VAT rebate" in body and "Net cost (C)" in body
    for key in ("EXW", "FOB", "CFR", "CIF", "CIP"):
        assert f">{key}<" in body
    assert "10000" in body  # units per 40HQ
    assert "1×40HQ" in body


def test_the_cost_sheet_names_what_is_missing_when_it_cannot_price(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    quotations.line_add(
        actor=rep, revision_id=revision.pk, description="Sample kit", quantity=5,
        unit_cost_rmb=Decimal(30),
    )  # fmt: skip
    body = client_of(rep).get(detail(revision)).content.decode()
    assert "Not priced yet" in body
    assert "Line 2 (Sample kit)" in body and "packing" in body


def test_a_frozen_revision_shows_no_edit_buttons(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    QuotationRevision.objects.filter(pk=revision.pk).update(status="sent", sent_at=timezone.now())
    client = client_of(rep)
    body = client.get(detail(revision)).content.decode()
    assert "frozen" in body
    assert reverse("quotations:revision-edit", args=[revision.pk]) not in body
    response = client.post(
        reverse("quotations:revision-edit", args=[revision.pk]), {"payment_terms": "x"}
    )
    assert response.status_code == 302
    assert QuotationRevision.objects.get(pk=revision.pk).payment_terms != "x"


def test_the_list_shows_current_figures_and_flags_expired(
    client_of, rep, company, django_assert_max_num_queries
):
    expired = make_quotation(rep, company)
    QuotationRevision.objects.filter(quotation=expired).update(
        valid_until=timezone.localdate() - timedelta(days=2)
    )
    for _ in range(5):
        make_quotation(rep, company)
    client = client_of(rep)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("quotations:quotation-list"))
    body = response.content.decode()
    assert expired.number in body and "Expired" in body
    assert "167,200.00" in body
    filtered = client.get(reverse("quotations:quotation-list"), {"expired": "yes"})
    assert [q.number for q in filtered.context["page"].items] == [expired.number]


def test_the_list_query_count_does_not_grow_with_rows(client_of, rep, company):
    make_quotation(rep, company)
    client = client_of(rep)
    client.get(reverse("quotations:quotation-list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("quotations:quotation-list"))
    for _ in range(6):
        make_quotation(rep, company)
    with CaptureQueriesContext(connection) as seven:
        client.get(reverse("quotations:quotation-list"))
    assert len(seven.captured_queries) == len(one.captured_queries)


def test_create_a_blank_quotation_for_a_customer(client_of, rep, company):
    fx_rate("USD", "7.10")
    client = client_of(rep)
    url = reverse("quotations:create", args=[company.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "currency": "usd",
            "incoterm": "FOB",
            "named_place": "Ningbo",
            "payment_terms": "30% deposit",
            "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "margin_percent": "12",
        },
    )
    quotation = Quotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quotations:line-add", args=[current(quotation).pk])
    assert current(quotation).fx_rmb_per_unit == Decimal("7.10")


def test_bad_create_input_keeps_what_was_typed(client_of, rep, company):
    client = client_of(rep)
    response = client.post(
        reverse("quotations:create", args=[company.pk]),
        {
            "currency": "EUR",  # no EUR rate in the table
            "incoterm": "FOB",
            "named_place": "Shenzhen <b>port</b>",
            "payment_terms": "L/C at sight",
            "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "margin_percent": "12",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is no EUR exchange rate" in body
    assert "Shenzhen &lt;b&gt;port&lt;/b&gt;" in body
    assert not Quotation.objects.exists()


def test_an_absurd_margin_is_refused_on_the_form(client_of, rep, company):
    fx_rate("USD", "7.10")
    response = client_of(rep).post(
        reverse("quotations:create", args=[company.pk]),
        {
            "currency": "USD",
            "incoterm": "FOB",
            "named_place": "Ningbo",
            "payment_terms": "T/T",
            "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "margin_percent": "100",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["margin_percent"]
    assert not Quotation.objects.exists()


def test_create_from_inquiry_shows_what_is_missing_and_then_creates(client_of, rep, company):
    fx_rate("USD", "7.10")
    client = client_of(rep)
    incomplete = make_inquiry(rep, company, lines=[{"description": "LED panel"}])
    page = client.get(reverse("quotations:create-from-inquiry", args=[incomplete.pk]))
    assert "Confirm these details" in page.content.decode()
    ready = ready_inquiry(rep, company)
    url = reverse("quotations:create-from-inquiry", args=[ready.pk])
    response = client.post(
        url,
        {
            "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "margin_percent": "15",
        },
    )
    quotation = Quotation.objects.get()
    assert response.status_code == 302 and quotation.inquiry == ready
    assert current(quotation).lines.get().quantity == 2000


def test_editing_terms_and_charges_reprices(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    client = client_of(rep)
    url = reverse("quotations:revision-edit", args=[revision.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(
        {
            "incoterm": "FOB",
            "valid_until": revision.valid_until.isoformat(),
            "fx_rmb_per_unit": "7.100000",
            "refresh_fx": "",
            "charges-TOTAL_FORMS": "3",
            "charges-INITIAL_FORMS": "1",
            "charges-0-label": "Trucking",
            "charges-0-amount_rmb": "6000",
            "charges-0-basis": "per_shipment",
            "charges-0-block": "inland_to_port",
            "charges-1-label": "Bank charges",
            "charges-1-amount_rmb": "0.05",
            "charges-1-basis": "per_unit",
            "charges-1-block": "goods",
            "charges-2-label": "",
            "charges-2-amount_rmb": "",
            "charges-2-basis": "per_shipment",
            "charges-2-block": "inland_to_port",
        }
    )
    data["domestic_charges"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    revision.refresh_from_db()
    assert revision.incoterm == "FOB"
    assert [c["label"] for c in revision.domestic_charges] == ["Trucking", "Bank charges"]
    assert revision.lines.get().unit_price == Decimal("16.38")  # 0.05 RMB more per unit


def test_a_bad_charge_row_is_shown_and_nothing_is_saved(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    client = client_of(rep)
    url = reverse("quotations:revision-edit", args=[revision.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in
            ((name, form.initial.get(name)) for name in form.fields)}  # fmt: skip
    data.update(
        {
            "valid_until": revision.valid_until.isoformat(),
            "fx_rmb_per_unit": "7.100000",
            "charges-TOTAL_FORMS": "1",
            "charges-INITIAL_FORMS": "0",
            "charges-0-label": "",
            "charges-0-amount_rmb": "500",
            "charges-0-basis": "per_shipment",
            "charges-0-block": "inland_to_port",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Domestic charge 1" in response.content.decode()
    revision.refresh_from_db()
    assert revision.domestic_charges[0]["label"] == "Trucking, THC and customs broker"


def test_add_a_line_from_a_product_and_edit_it(client_of, rep, company):
    product = make_product()
    revision = current(make_quotation(rep, company, lines=[], incoterm="FOB"))
    client = client_of(rep)
    url = reverse("quotations:line-add", args=[revision.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"product": product.pk, "quantity": "600"})
    assert response.status_code == 302
    line = revision.lines.get()
    assert (line.model, line.quantity, line.pcs_per_carton) == ("TW-P6060", 600, 4)
    assert line.unit_price is not None
    edit = reverse("quotations:line-edit", args=[line.pk])
    form = client.get(edit).context["form"]
    data = {k: ("" if v is None else v) for k, v in
            ((name, form.initial.get(name)) for name in form.fields)}  # fmt: skip
    data.update({"quantity": "1200", "margin_percent": "20", "product": product.pk})
    response = client.post(edit, data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.quantity, line.margin_percent) == (1200, Decimal(20))


def test_a_line_without_product_needs_description_and_cost(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    response = client_of(rep).post(
        reverse("quotations:line-add", args=[revision.pk]), {"quantity": "-3"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"quantity", "description", "unit_cost_rmb"} <= set(errors)
    assert revision.lines.count() == 1


def test_delete_a_line(client_of, rep, company):
    revision = current(make_quotation(rep, company, lines=[dict(WORKED_LINE), dict(WORKED_LINE)]))
    line = revision.lines.last()
    response = client_of(rep).post(reverse("quotations:line-delete", args=[line.pk]))
    assert response.status_code == 302
    assert revision.lines.count() == 1


def test_new_revision_and_compare_pages(client_of, rep, company):
    quotation = make_quotation(rep, company)
    rev_a = current(quotation)
    client = client_of(rep)
    response = client.post(reverse("quotations:revision-new", args=[quotation.pk]))
    assert response.status_code == 302 and quotation.revisions.count() == 1  # refused: a draft
    client.post(reverse("quotations:revision-new", args=[quotation.pk]), {"force": "1"})
    rev_b = current(quotation)
    assert rev_b.letter == "B"
    quotations.revision_update(actor=rep, revision_id=rev_b.pk, margin_percent=Decimal(12))
    page = client.get(reverse("quotations:revision-compare", args=[rev_b.pk]))
    assert page.status_code == 200
    comparison = page.context["comparison"]
    assert comparison.old == rev_a and comparison.new == rev_b
    body = page.content.decode()
    assert "tw-qt-changed" in body and "Rev. A" in body and "Rev. B" in body
    assert "Rev. A · Superseded" in client.get(detail(rev_b)).content.decode()


def test_cancel_from_the_page(client_of, rep, company):
    quotation = make_quotation(rep, company)
    client = client_of(rep)
    client.post(reverse("quotations:quotation-cancel", args=[quotation.pk]), {"reason": ""})
    assert Quotation.objects.get().status == "draft"
    client.post(reverse("quotations:quotation-cancel", args=[quotation.pk]), {"reason": "Lost"})
    assert Quotation.objects.get().status == "cancelled"


def test_approval_request_and_decision_through_the_pages(client_of, rep, manager, company):
    revision = current(make_quotation(rep, company, margin_percent=Decimal(6)))
    client = client_of(rep)
    body = client.get(detail(revision)).content.decode()
    assert "Ask for approval" in body
    url = reverse("quotations:approval-request", args=[revision.pk])
    assert client.post(url, {"comment": ""}).status_code == 422
    assert client.post(url, {"comment": "Trial order"}).status_code == 302
    approval = MarginApproval.objects.get()
    decide = reverse("quotations:approval-decide", args=[approval.pk])
    client.post(decide, {"decision": "approve"})  # the rep: refused
    assert QuotationRevision.objects.get(pk=revision.pk).approval_status == "pending"
    boss = client_of(manager)
    waiting = boss.get(reverse("quotations:approval-list"))
    assert approval in waiting.context["waiting"]
    assert boss.post(decide, {"decision": "reject", "comment": ""}).status_code == 422
    response = boss.post(decide, {"decision": "approve", "next": "approvals"})
    assert response["Location"] == reverse("quotations:approval-list")
    assert QuotationRevision.objects.get(pk=revision.pk).approval_status == "approved"


def test_my_day_shows_waiting_approvals_to_the_manager_and_answers_to_the_rep(
    client_of, rep, manager, company
):
    revision = current(make_quotation(rep, company, margin_percent=Decimal(6)))
    approval = approvals.approval_request(actor=rep, revision_id=revision.pk, comment="Trial")
    body = client_of(manager).get(reverse("web:my-day")).content.decode()
    assert "Margin approvals" in body and revision.quotation.number in body
    approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    body = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "Margin approvals" in body and "Approved" in body


def test_the_company_page_card_lists_its_quotations(client_of, rep, company):
    quotation = make_quotation(rep, company)
    other = make_quotation(rep, CompanyFactory(owner=rep, name="Another Buyer"))
    body = client_of(rep).get(reverse("customers:company-detail", args=[company.pk]))
    text = body.content.decode()
    assert quotation.number in text and other.number not in text
    assert reverse("quotations:create", args=[company.pk]) in text


def test_navigation_links_quotations_and_approvals_for_managers(client_of, rep, manager):
    list_url = reverse("quotations:quotation-list")
    approvals_url = reverse("quotations:approval-list")
    rep_page = client_of(rep).get(list_url).content.decode()
    assert f'href="{list_url}"' in rep_page and f'href="{approvals_url}"' not in rep_page
    boss_page = client_of(manager).get(list_url).content.decode()
    assert f'href="{approvals_url}"' in boss_page


def test_pages_render_in_chinese(client_of, rep, company):
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    revision = current(make_quotation(rep, company))
    client = client_of(rep)
    for url in (
        detail(revision),
        reverse("quotations:quotation-list"),
        reverse("quotations:revision-edit", args=[revision.pk]),
        reverse("quotations:line-add", args=[revision.pk]),
        reverse("quotations:revision-compare", args=[revision.pk]),
        reverse("quotations:create", args=[company.pk]),
    ):
        response = client.get(url, headers={"Accept-Language": "zh-hans"})
        assert response.status_code == 200, url


def test_the_company_card_counts_every_quotation_in_one_query(
    rep, company, django_assert_num_queries
):
    from tradewind.quotes import quotation_selectors

    for _ in range(7):
        make_quotation(rep, company)
    with django_assert_num_queries(1):
        rows, count = quotation_selectors.company_quotations(rep, company)
    assert (len(rows), count) == (5, 7)
