"""A PI or sales contract made from an accepted quotation revision: number, pre-filled terms,
lines and clauses from the company-wide templates."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.contracts.factories import accepted_quotation, bank_profile, make_contract
from tests.factories import CompanyFactory
from tradewind.contracts import services, workspace
from tradewind.contracts.choices import REQUIRED_CLAUSES
from tradewind.contracts.models import ClauseTemplate, Contract, ContractVersion
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent


def test_a_pi_is_numbered_pi_year_sequence_and_prefilled(company, profile):
    contract = make_contract(company)
    year = timezone.localdate().year
    assert contract.number == f"PI-{year}-0001"
    assert contract.status == "draft" and contract.version == 1
    assert (contract.incoterm, contract.named_place) == ("FOB", "Ningbo")
    assert (contract.port_of_loading, contract.destination_port) == ("Ningbo", "Hamburg")
    assert contract.production_lead_time_days == 30
    assert contract.latest_shipment_date == contract.contract_date + timezone.timedelta(days=37)
    assert contract.total_amount == Decimal("12350.00")
    assert contract.bank_swift == "BKCHCNBJ92A"
    assert contract.insured_by == "buyer"
    assert contract.shipping_marks.splitlines() == ["NLG", contract.number, "HAMBURG", "C/NO. 1-UP"]
    line = contract.lines.get()
    assert (line.model, line.quantity, line.unit_price, line.total) == (
        "NL-001",
        1000,
        Decimal("12.35"),
        Decimal("12350.00"),
    )
    assert ContractVersion.objects.filter(contract=contract, number=1).exists()
    assert AuditEvent.objects.filter(object_type="contracts.contract", action="create").exists()


def test_sales_contracts_have_their_own_sequence(company, profile):
    make_contract(company)
    contract = make_contract(company, kind="SC")
    assert contract.number.startswith("SC-") and contract.number.endswith("-0001")


def test_the_quotations_payment_terms_become_a_schedule(company, profile):
    contract = make_contract(company)
    assert contract.payment_terms_code == "TT_30_70_BL_COPY"
    assert [row["amount"] for row in contract.payment_schedule] == ["3705.00", "8645.00"]
    assert contract.deposit_amount == Decimal("3705.00")
    assert contract.deposit_due_date == contract.contract_date


def test_unrecognised_payment_terms_are_left_to_choose(company, profile):
    contract = make_contract(company, payment_terms="as agreed with Mr. Weber")
    assert (
        contract.payment_terms == [] and contract.payment_terms_text == "as agreed with Mr. Weber"
    )


def test_cif_is_insured_by_the_seller_at_110_percent_against_icc_c(company, profile):
    contract = make_contract(company, incoterm="CIF", named_place="Hamburg")
    assert contract.insured_by == "seller"
    assert contract.insurance_cover == "Institute Cargo Clauses (C)"
    assert contract.insurance_percent == Decimal(110)


def test_every_required_clause_comes_from_the_company_templates(company, profile):
    contract = make_contract(company)
    assert sorted(contract.clauses.values_list("key", flat=True)) == sorted(REQUIRED_CLAUSES)
    assert contract.arbitration_institution.endswith("(CIETAC)")
    assert contract.claims_period_days == 60
    assert ClauseTemplate.objects.count() == len(REQUIRED_CLAUSES)


def test_a_changed_company_template_is_used_by_new_contracts_only(company, profile, admin_user):
    first = make_contract(company)
    template = ClauseTemplate.objects.get(key="disputes")
    workspace.clause_template_update(
        actor=admin_user,
        template_id=template.pk,
        title="Arbitration",
        body="Disputes go to {arbitration_institution} in {arbitration_seat}; {governing_law}.",
        defaults={"arbitration_institution": "HKIAC", "arbitration_seat": "Hong Kong"},
    )
    second = make_contract(company, kind="SC")
    assert second.arbitration_institution == "HKIAC"
    assert second.clauses.get(key="disputes").title == "Arbitration"
    assert first.clauses.get(key="disputes").title == "Arbitration and governing law"


def test_only_admins_change_the_company_templates(company, profile, manager):
    from tradewind.core.errors import PermissionDenied

    services.ensure_clause_templates()
    template = ClauseTemplate.objects.first()
    with pytest.raises(PermissionDenied):
        workspace.clause_template_update(
            actor=manager, template_id=template.pk, title="x", body="y"
        )


def test_a_template_naming_an_unknown_field_is_refused(admin_user):
    services.ensure_clause_templates()
    template = ClauseTemplate.objects.first()
    with pytest.raises(DomainError, match="not a contract field"):
        workspace.clause_template_update(
            actor=admin_user, template_id=template.pk, title="Goods", body="{__class__} {buyer}"
        )


def test_a_quotation_that_is_not_accepted_is_refused(company, profile, rep):
    quotation = accepted_quotation(company)
    quotation.status = "sent"
    quotation.save()
    with pytest.raises(DomainError, match="not accepted"):
        services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)


def test_a_second_pi_from_the_same_quotation_is_refused(company, profile, rep):
    quotation = accepted_quotation(company)
    first = services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)
    with pytest.raises(DomainError, match=first.number):
        services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)


def test_a_cancelled_pi_can_be_made_again_with_a_new_number(company, profile, rep):
    quotation = accepted_quotation(company)
    first = services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)
    services.contract_cancel(actor=rep, contract_id=first.pk)
    second = services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)
    assert second.number != first.number


def test_another_reps_quotation_does_not_exist(company, profile, other_rep):
    quotation = accepted_quotation(company)
    with pytest.raises(NotFound):
        services.contract_create_from_quotation(actor=other_rep, quotation_id=quotation.pk)


@pytest.mark.parametrize("kind", ["XX", "", "<b>PI</b>"])
def test_an_unknown_document_kind_is_refused(company, profile, rep, kind):
    quotation = accepted_quotation(company)
    with pytest.raises(DomainError):
        services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk, kind=kind)
    assert not Contract.objects.exists()


def test_an_unpriced_revision_is_refused_and_no_number_is_used(company, profile, rep):
    quotation = accepted_quotation(company)
    quotation.accepted_revision.lines.update(unit_price=None)
    with pytest.raises(DomainError, match="no price"):
        services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)
    good = accepted_quotation(company)
    contract = services.contract_create_from_quotation(actor=rep, quotation_id=good.pk)
    assert contract.number.endswith("-0001")  # the failed attempt gave its number back


def test_unit_prices_are_rounded_half_up_and_totals_follow(company, profile, rep):
    quotation = accepted_quotation(company, lines=(("Panel", 3, "16.3693"),))
    contract = services.contract_create_from_quotation(actor=rep, quotation_id=quotation.pk)
    line = contract.lines.get()
    assert (line.unit_price, line.total) == (Decimal("16.37"), Decimal("49.11"))
    assert contract.total_amount == Decimal("49.11")


def test_the_buyer_is_the_customer_and_its_manager_sees_it(company, profile, manager):
    contract = make_contract(company)
    assert contract.buyer_name == company.name
    assert Contract.objects.visible_to(manager).filter(pk=contract.pk).exists()
    outsider = CompanyFactory(owner=None, actor=company.owner)
    assert outsider.pk != contract.company_id
    assert bank_profile().bank_swift == contract.bank_swift
