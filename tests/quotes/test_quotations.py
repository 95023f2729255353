"""Quotation services: create (blank and from a ready inquiry), FX from the rate table, lines with
the product snapshot, revisions and their letters, frozen revisions, compare, validity, cancel —
atomic, audited, and only on customers the actor can see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.quotes.inquiry_data import ready_inquiry
from tests.quotes.quotation_helpers import (
    WORKED_LINE,
    current,
    fx_rate,
    make_product,
    make_quotation,
)
from tradewind.catalog.models import ProductPhoto
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.quotes import quotation_selectors, quotations
from tradewind.quotes.models import Quotation, QuotationLine, QuotationRevision

pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


# --- Create ---------------------------------------------------------------------------------


def test_a_new_quotation_gets_the_next_number_and_a_draft_rev_a(rep, company):
    first = make_quotation(rep, company)
    second = make_quotation(rep, company)
    assert first.number == f"QT-{year()}-0001"
    assert second.number == f"QT-{year()}-0002"
    revision = current(first)
    assert (revision.letter, revision.status) == ("A", "draft")
    assert revision.valid_until == timezone.localdate() + timedelta(days=30)
    assert first.owner == rep
    event = AuditEvent.objects.get(object_type="quotes.quotation", object_id=first.pk)
    assert event.action == "create" and event.company_id == company.pk


def test_the_exchange_rate_comes_from_the_table_latest_on_or_before_today(rep, company):
    today = timezone.localdate()
    fx_rate("USD", "7.05", today - timedelta(days=3))
    latest = fx_rate("USD", "7.12", today - timedelta(days=1))
    fx_rate("USD", "7.30", today + timedelta(days=1))  # a future rate is not used
    terms = {"fx_rmb_per_unit": None}
    revision = current(make_quotation(rep, company, **terms))
    assert revision.fx_rate == latest
    assert revision.fx_rmb_per_unit == Decimal("7.12")


def test_missing_fx_names_the_currency_and_what_to_do(rep, company):
    with pytest.raises(DomainError) as error:
        make_quotation(rep, company, currency="EUR", fx_rmb_per_unit=None)
    assert error.value.field == "fx_rmb_per_unit"
    assert "EUR" in error.value.message
    assert not Quotation.objects.exists()


def test_a_failed_create_gives_its_number_back(rep, company):
    with pytest.raises(DomainError):
        make_quotation(rep, company, currency="ZZZ")
    assert make_quotation(rep, company).number == f"QT-{year()}-0001"


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"named_place": "  "}, "named_place"),
        ({"margin_percent": Decimal(100)}, "margin_percent"),
        ({"margin_percent": Decimal(-1)}, "margin_percent"),
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until"),
        ({"commission_percent": Decimal(80)}, "commission_percent"),
        ({"fx_rmb_per_unit": Decimal(-7)}, "fx_rmb_per_unit"),
        ({"domestic_charges": [{"label": "", "amount_rmb": "5"}]}, "domestic_charges"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(rep, company, terms, field):
    with pytest.raises(DomainError) as error:
        make_quotation(rep, company, **terms)
    assert error.value.field == field


def test_another_reps_customer_cannot_be_quoted(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        make_quotation(rep, theirs)


def test_a_contact_of_another_company_is_refused(rep, company):
    stranger = ContactFactory(company=CompanyFactory(owner=rep))
    with pytest.raises(DomainError) as error:
        make_quotation(rep, company, contact=stranger)
    assert error.value.field == "contact"


def test_a_manager_quotes_a_reps_customer_for_the_rep(manager, rep, company):
    quotation = make_quotation(manager, company)
    assert quotation.owner == rep


def test_from_a_ready_inquiry_terms_and_lines_are_copied_and_products_matched(rep, company):
    fx_rate("USD", "7.10")
    product = make_product(model="TW-P6060", name_en="LED panel 600x600 40W")
    inquiry = ready_inquiry(rep, company)
    quotation = quotations.quotation_create_from_inquiry(actor=rep, inquiry_id=inquiry.pk)
    revision = current(quotation)
    assert quotation.inquiry == inquiry
    assert (revision.incoterm, revision.named_place) == ("FOB", "Ningbo")
    assert revision.payment_terms == "30% T/T deposit, 70% against B/L copy"
    assert revision.destination_port == "Hamburg"
    assert revision.lead_time_days == 30
    line = revision.lines.get()
    assert line.product == product
    assert line.quantity == 2000
    assert line.unit_cost_rmb == product.unit_cost_rmb
    assert line.rebate_percent == Decimal(13)  # from the product's HS code
    assert revision.priced_at is not None  # FOB with packing prices at once


def test_an_inquiry_with_missing_details_cannot_be_quoted(rep, company):
    from tests.quotes.inquiry_data import make_inquiry

    fx_rate("USD", "7.10")
    inquiry = make_inquiry(rep, company, lines=[{"description": "LED panel"}])
    with pytest.raises(DomainError) as error:
        quotations.quotation_create_from_inquiry(actor=rep, inquiry_id=inquiry.pk)
    assert error.value.code == "checklist_incomplete"
    assert not Quotation.objects.exists()


def test_an_unmatched_inquiry_line_is_copied_and_named_for_pricing(rep, company):
    fx_rate("USD", "7.10")
    inquiry = ready_inquiry(rep, company)
    quotation = quotations.quotation_create_from_inquiry(actor=rep, inquiry_id=inquiry.pk)
    revision = current(quotation)
    line = revision.lines.get()
    assert line.product is None and line.description == "LED panel 600x600 40W"
    assert revision.priced_at is None
    sheet = quotation_selectors.revision_lines(revision)
    assert sheet[0].unit_cost_rmb == 0


# --- Lines ----------------------------------------------------------------------------------


def test_a_product_prefills_the_line_and_typed_fields_override(rep, company):
    product = make_product()
    ProductPhoto.objects.create(product=product, image="catalog/photos/panel.jpg")
    revision = current(make_quotation(rep, company, incoterm="FOB"))
    line, problem = quotations.line_add(
        actor=rep, revision_id=revision.pk, product=product.pk, quantity=800,
        unit_cost_rmb=Decimal("40.00"),
    )  # fmt: skip
    assert problem is None
    assert (line.model, line.hs_code, line.pcs_per_carton) == ("TW-P6060", "9405420000", 4)
    assert line.unit_cost_rmb == Decimal("40.00")
    assert line.rebate_percent == Decimal(13)
    assert line.photo == "catalog/photos/panel.jpg"
    line.refresh_from_db()
    assert line.unit_price is not None  # the revision was priced again


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity": -5}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"unit_cost_rmb": Decimal(-1)}, "unit_cost_rmb"),
        ({"margin_percent": Decimal(150)}, "margin_percent"),
        ({"rebate_percent": Decimal(20)}, "rebate_percent"),
        ({"hs_code": "94054"}, "hs_code"),
        ({"carton_net_weight_kg": Decimal(30)}, "carton_net_weight_kg"),
        ({"description": ""}, "description"),
    ],
)
def test_bad_line_input_is_refused_naming_the_field(rep, company, fields, field):
    revision = current(make_quotation(rep, company))
    data = dict(WORKED_LINE) | fields
    with pytest.raises(DomainError) as error:
        quotations.line_add(actor=rep, revision_id=revision.pk, **data)
    assert error.value.field == field
    assert revision.lines.count() == 1


def test_a_line_that_breaks_pricing_is_kept_and_the_problem_returned(rep, company):
    revision = current(make_quotation(rep, company))
    line, problem = quotations.line_add(
        actor=rep, revision_id=revision.pk, description="Sample kit", quantity=10,
        unit_cost_rmb=Decimal(50),
    )  # fmt: skip
    assert line.pk
    assert "Line 2 (Sample kit)" in problem.message and problem.field == "pcs_per_carton"
    revision.refresh_from_db()
    assert revision.priced_at is None and revision.total_amount is None
    assert not QuotationLine.objects.filter(revision=revision, unit_price__isnull=False).exists()


def test_changing_the_product_of_a_line_takes_the_new_snapshot(rep, company):
    first, second = make_product(model="A-1"), make_product(model="B-2", unit_cost_rmb=9)
    revision = current(make_quotation(rep, company, lines=[], incoterm="FOB"))
    line, _ = quotations.line_add(actor=rep, revision_id=revision.pk, product=first, quantity=40)
    line, _ = quotations.line_update(actor=rep, line_id=line.pk, product=second, quantity=80)
    assert (line.model, line.unit_cost_rmb, line.quantity) == ("B-2", Decimal(9), 80)


def test_removing_a_line_renumbers_the_rest(rep, company):
    second = dict(WORKED_LINE, description="Second")
    third = dict(WORKED_LINE, description="Third")
    revision = current(make_quotation(rep, company, lines=[dict(WORKED_LINE), second, third]))
    middle = revision.lines.get(description="Second")
    quotations.line_remove(actor=rep, line_id=middle.pk)
    assert list(revision.lines.values_list("position", "description")) == [
        (1, "LED panel 600x600 40W"),
        (2, "Third"),
    ]


# --- Terms ----------------------------------------------------------------------------------


def test_editing_terms_reprices_and_audits_the_change(rep, company):
    revision = current(make_quotation(rep, company))
    revision, problem = quotations.revision_update(
        actor=rep, revision_id=revision.pk, incoterm="FOB", payment_terms="100% T/T in advance"
    )
    assert problem is None
    assert revision.lines.get().unit_price == Decimal("16.37")
    event = AuditEvent.objects.filter(object_type="quotes.quotationrevision", action="update")
    assert event.get().changes["incoterm"] == ["CIF", "FOB"]


def test_a_new_currency_takes_its_table_rate_and_a_typed_rate_overrides(rep, company):
    fx_rate("EUR", "7.80")
    revision = current(make_quotation(rep, company))
    revision, _ = quotations.revision_update(actor=rep, revision_id=revision.pk, currency="eur")
    assert (revision.currency, revision.fx_rmb_per_unit) == ("EUR", Decimal("7.80"))
    assert revision.fx_rate is not None
    revision, _ = quotations.revision_update(
        actor=rep, revision_id=revision.pk, fx_rmb_per_unit=Decimal("7.75")
    )
    assert revision.fx_rmb_per_unit == Decimal("7.75") and revision.fx_rate is None


# --- Revisions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "following"),
    [("A", "B"), ("Y", "Z"), ("Z", "AA"), ("AA", "AB"), ("AZ", "BA"), ("ZY", "ZZ")],
)
def test_revision_letters_run_a_to_z_then_aa(letter, following):
    assert quotations.next_letter(letter) == following


def test_after_zz_no_more_revisions():
    with pytest.raises(DomainError):
        quotations.next_letter("ZZ")


def mark_sent(revision):
    QuotationRevision.objects.filter(pk=revision.pk).update(status="sent", sent_at=timezone.now())
    Quotation.objects.filter(pk=revision.quotation_id).update(status="sent")


def test_a_sent_revision_is_frozen_against_every_change(rep, company):
    quotation = make_quotation(rep, company)
    revision = current(quotation)
    mark_sent(revision)
    line = revision.lines.get()
    attempts = [
        lambda: quotations.revision_update(actor=rep, revision_id=revision.pk, remarks="x"),
        lambda: quotations.line_add(actor=rep, revision_id=revision.pk, **WORKED_LINE),
        lambda: quotations.line_update(actor=rep, line_id=line.pk, quantity=5),
        lambda: quotations.line_remove(actor=rep, line_id=line.pk),
        lambda: quotations.revision_price(actor=rep, revision_id=revision.pk),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "frozen"
        assert "new revision" in error.value.message
    line.refresh_from_db()
    assert line.quantity == 10_000


def test_a_new_revision_copies_the_sent_one_with_the_next_letter(rep, company):
    quotation = make_quotation(rep, company)
    rev_a = current(quotation)
    mark_sent(rev_a)
    rev_b = quotations.revision_new(actor=rep, quotation_id=quotation.pk)
    assert (rev_b.letter, rev_b.status) == ("B", "draft")
    assert rev_b.lines.get().unit_price == Decimal("16.72")
    rev_a.refresh_from_db()
    assert rev_a.status == "sent"  # superseded when Rev. B is sent, not before


def test_two_drafts_never_coexist(rep, company):
    quotation = make_quotation(rep, company)
    with pytest.raises(DomainError) as error:
        quotations.revision_new(actor=rep, quotation_id=quotation.pk)
    assert error.value.code == "draft_exists"
    rev_b = quotations.revision_new(actor=rep, quotation_id=quotation.pk, force=True)
    rev_a = quotation.revisions.get(letter="A")
    assert rev_a.status == "superseded" and rev_a.is_frozen
    assert quotation.revisions.filter(status="draft").get() == rev_b


def test_compare_lists_changed_terms_and_line_price_differences(rep, company):
    quotation = make_quotation(rep, company)
    rev_a = current(quotation)
    mark_sent(rev_a)
    rev_b = quotations.revision_new(actor=rep, quotation_id=quotation.pk)
    quotations.revision_update(
        actor=rep, revision_id=rev_b.pk, margin_percent=Decimal(8), payment_terms="L/C at sight"
    )
    quotations.line_add(actor=rep, revision_id=rev_b.pk, **dict(WORKED_LINE, model="NEW-1"))
    rev_b.refresh_from_db()
    comparison = quotations.revision_compare(rev_b, rev_a)  # order does not matter
    assert (comparison.old, comparison.new) == (rev_a, rev_b)
    changed = {row.label: (row.old, row.new) for row in comparison.changed_terms}
    assert changed["payment terms"] == ("30% T/T deposit, 70% against B/L copy", "L/C at sight")
    assert changed["margin %"] == (Decimal(10), Decimal(8))
    states = [row.state for row in comparison.lines]
    assert states == ["changed", "added"]
    assert comparison.lines[0].unit_price_change < 0
    assert comparison.total_change > 0


def test_revisions_of_two_quotations_cannot_be_compared(rep, company):
    one, two = current(make_quotation(rep, company)), current(make_quotation(rep, company))
    with pytest.raises(DomainError):
        quotations.revision_compare(one, two)


# --- Validity and cancel --------------------------------------------------------------------


def test_expired_quotations_are_flagged_in_the_list(rep, company):
    old = make_quotation(rep, company)
    fresh = make_quotation(rep, company)
    QuotationRevision.objects.filter(quotation=old).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    page = quotation_selectors.quotation_list(rep, quotation_selectors.QuotationFilters())
    flags = {row.number: row.is_expired for row in page.items}
    assert flags == {old.number: True, fresh.number: False}
    expired = quotation_selectors.quotation_list(
        rep, quotation_selectors.QuotationFilters(expired="yes")
    )
    assert [row.number for row in expired.items] == [old.number]
    assert current(old).is_expired


def test_cancel_needs_a_reason_and_closes_the_quotation(rep, company):
    quotation = make_quotation(rep, company)
    with pytest.raises(DomainError) as error:
        quotations.quotation_cancel(actor=rep, quotation_id=quotation.pk, reason=" ")
    assert error.value.field == "reason"
    quotations.quotation_cancel(actor=rep, quotation_id=quotation.pk, reason="Bought elsewhere")
    quotation.refresh_from_db()
    assert quotation.status == "cancelled"
    with pytest.raises(DomainError):
        quotations.revision_update(actor=rep, revision_id=current(quotation).pk, remarks="x")
    with pytest.raises(DomainError):
        quotations.revision_new(actor=rep, quotation_id=quotation.pk, force=True)


def test_another_rep_can_neither_see_nor_change_a_quotation(rep, other_rep, company):
    quotation = make_quotation(rep, company)
    revision = current(quotation)
    with pytest.raises(NotFound):
        quotations.revision_update(actor=other_rep, revision_id=revision.pk, remarks="x")
    with pytest.raises(NotFound):
        quotations.quotation_cancel(actor=other_rep, quotation_id=quotation.pk, reason="x")
    with pytest.raises(NotFound):
        quotations.line_remove(actor=other_rep, line_id=revision.lines.get().pk)
    page = quotation_selectors.quotation_list(other_rep, quotation_selectors.QuotationFilters())
    assert page.items == []


def test_search_finds_by_number_customer_and_product(rep, company):
    quotation = make_quotation(rep, company)
    make_quotation(rep, CompanyFactory(owner=rep, name="Other Buyer"), lines=[
        dict(WORKED_LINE, description="Garden chair")
    ])  # fmt: skip
    for term in (quotation.number, "Nordlicht", "panel 600"):
        page = quotation_selectors.quotation_list(rep, quotation_selectors.QuotationFilters(q=term))
        assert [row.number for row in page.items] == [quotation.number], term
