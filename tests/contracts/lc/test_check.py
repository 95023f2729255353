"""The L/C check through the service: a realistic credit with planted mismatches gives exactly
those discrepancies, a clean one none; production waits for a clean or accepted check."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.contracts.lc.conftest import record
from tests.trade.lc_samples import mt700
from tradewind.contracts import payments
from tradewind.contracts.lc import services
from tradewind.contracts.lc.choices import CheckState
from tradewind.contracts.lc.models import LcDiscrepancy
from tradewind.contracts.lc.status import check_state, current_lc, latest_check, lc_checked
from tradewind.contracts.models import Contract
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent

PLANTED = {
    ("32B", "amount_short"),
    ("45A", "incoterm"),
    ("44F", "port_of_discharge"),
    ("46A", "insurance_missing"),
    ("44C", "shipment_too_soon"),
    ("46A", "soft_clause"),
}


def found(check):
    return {(d.tag, d.code) for d in check.discrepancies.all()}


def test_the_planted_credit_shows_exactly_its_six_mismatches(rep, planted_lc):
    check = services.lc_check(actor=rep, lc_id=planted_lc.pk)
    assert found(check) == PLANTED
    assert (check.blocking_count, check.warning_count) == (6, 0)
    assert check.terms_version == 1 and check.checked_by == rep
    amount = check.discrepancies.get(code="amount_short")
    assert amount.lc_says == "USD 45,000.00 ±5/5 %"
    assert amount.contract_says == "USD 48,600.00"
    assert amount.ask_for == "increase 32B to USD 48,600.00"
    soft = check.discrepancies.get(code="soft_clause")
    assert "SIGNED BY APPLICANT'S AUTHORIZED REPRESENTATIVE" in soft.lc_says
    event = AuditEvent.objects.get(action="check", object_id=planted_lc.pk)
    assert event.changes == {"blocking": 6, "warnings": 0}
    assert event.company_id == planted_lc.contract.company_id


def test_a_clean_credit_has_no_discrepancies_and_lets_production_start(rep, contract, clean_lc):
    assert not lc_checked(contract)
    check = services.lc_check(actor=rep, lc_id=clean_lc.pk)
    assert found(check) == set()
    assert lc_checked(contract)
    Contract.objects.filter(pk=contract.pk).update(status="signed")
    contract.refresh_from_db()
    assert payments.production_blockers(contract) == []


def test_production_waits_until_the_blocking_discrepancies_are_accepted_with_a_reason(
    rep, contract, planted_lc
):
    Contract.objects.filter(pk=contract.pk).update(status="signed")
    contract.refresh_from_db()
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    assert not lc_checked(contract)
    assert "The L/C has not been checked" in " ".join(payments.production_blockers(contract))
    with pytest.raises(DomainError) as caught:
        services.discrepancies_accept(actor=rep, lc_id=planted_lc.pk, reason="ok")
    assert caught.value.field == "reason"
    first = planted_lc.checks.get().discrepancies.get(code="soft_clause")
    assert (
        services.discrepancies_accept(
            actor=rep,
            lc_id=planted_lc.pk,
            reason="SGS will inspect instead",
            discrepancy_ids=[first.pk],
        )
        == 1
    )
    assert not lc_checked(contract)  # five still open
    count = services.discrepancies_accept(
        actor=rep, lc_id=planted_lc.pk, reason="Buyer's amendment confirmed by email, 12 March"
    )
    assert count == 5
    assert lc_checked(contract)
    assert (
        check_state(planted_lc, latest_check(planted_lc), contract.version) == CheckState.ACCEPTED
    )
    accepted = LcDiscrepancy.objects.get(pk=first.pk)
    assert accepted.accepted_by == rep and accepted.acceptance_reason == "SGS will inspect instead"
    assert payments.production_blockers(contract) == []


def test_nothing_to_accept_and_foreign_ids_are_refused(rep, other_rep, clean_lc, planted_lc):
    services.lc_check(actor=rep, lc_id=clean_lc.pk)
    with pytest.raises(DomainError, match="Nothing left"):
        services.discrepancies_accept(actor=rep, lc_id=clean_lc.pk, reason="all good here")
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    other = planted_lc.checks.get().discrepancies.first()
    with pytest.raises(DomainError, match="not open in the latest check"):
        services.discrepancies_accept(
            actor=rep, lc_id=clean_lc.pk, reason="sneaky reason", discrepancy_ids=[other.pk]
        )


def test_accepting_before_any_check_is_refused(rep, planted_lc):
    with pytest.raises(DomainError, match="Check the letter of credit first"):
        services.discrepancies_accept(actor=rep, lc_id=planted_lc.pk, reason="no check yet")


def test_a_recheck_keeps_acceptances_of_unchanged_discrepancies(rep, planted_lc):
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    services.discrepancies_accept(actor=rep, lc_id=planted_lc.pk, reason="Agreed with the boss")
    again = services.lc_check(actor=rep, lc_id=planted_lc.pk)
    assert again.discrepancies.filter(accepted_at__isnull=True).count() == 0
    assert set(again.discrepancies.values_list("acceptance_reason", flat=True)) == {
        "Agreed with the boss"
    }


def test_a_correction_of_the_terms_makes_the_check_outdated(rep, contract, clean_lc):
    services.lc_check(actor=rep, lc_id=clean_lc.pk)
    assert lc_checked(contract)
    services.lc_update(actor=rep, lc_id=clean_lc.pk, port_of_discharge="ROTTERDAM")
    clean_lc.refresh_from_db()
    assert clean_lc.terms_version == 2
    assert check_state(clean_lc, latest_check(clean_lc), contract.version) == CheckState.OUTDATED
    assert not lc_checked(contract)
    with pytest.raises(DomainError, match="check it again first"):
        services.discrepancies_accept(actor=rep, lc_id=clean_lc.pk, reason="whatever it is")
    check = services.lc_check(actor=rep, lc_id=clean_lc.pk)
    assert found(check) == {("44F", "port_of_discharge")}


def test_an_edit_that_changes_no_term_keeps_the_check(rep, contract, clean_lc):
    services.lc_check(actor=rep, lc_id=clean_lc.pk)
    services.lc_update(actor=rep, lc_id=clean_lc.pk, on_board_date=timezone.localdate())
    clean_lc.refresh_from_db()
    assert clean_lc.terms_version == 1
    assert lc_checked(contract)


def test_a_contract_amendment_makes_the_check_outdated(rep, contract, clean_lc):
    services.lc_check(actor=rep, lc_id=clean_lc.pk)
    Contract.objects.filter(pk=contract.pk).update(version=2)
    contract.refresh_from_db()
    assert not lc_checked(contract)


def test_the_current_lc_is_the_latest_open_one(rep, contract, clean_lc):
    today = timezone.localdate()
    newer = record(
        rep, contract, mt700(today), number="HH26LC0500", received_on=today + dt.timedelta(days=1)
    )
    assert current_lc(contract) == newer
    services.lc_close(actor=rep, lc_id=newer.pk, reason="Replaced by the buyer's second bank")
    assert current_lc(contract) == clean_lc


def test_a_contract_without_an_lc_is_not_checked(contract):
    assert current_lc(contract) is None
    assert not lc_checked(contract)


def test_a_closed_credit_cannot_be_checked(rep, clean_lc):
    services.lc_close(actor=rep, lc_id=clean_lc.pk, reason="Paid on 2 June")
    with pytest.raises(services.LcClosed):
        services.lc_check(actor=rep, lc_id=clean_lc.pk)
    services.lc_reopen(actor=rep, lc_id=clean_lc.pk)
    assert services.lc_check(actor=rep, lc_id=clean_lc.pk).blocking_count == 0


def test_a_deposit_plus_lc_contract_expects_only_the_lc_share(rep, company):
    from tests.contracts.lc.conftest import lc_contract

    contract = lc_contract(company)
    Contract.objects.filter(pk=contract.pk).update(
        total_amount="69428.57",
        payment_terms=[
            {"share_percent": "30", "instrument": "T/T", "due": "order", "days": 0},
            {"share_percent": "70", "instrument": "L/C at sight", "due": "bl", "days": 0},
        ],
        payment_schedule=[
            {"number": 1, "amount": "20828.57", "instrument": "T/T"},
            {"number": 2, "amount": "48600.00", "instrument": "L/C at sight"},
        ],
    )
    lc = record(rep, contract, mt700(timezone.localdate()), number="HH26LC0777")
    assert services.lc_check(actor=rep, lc_id=lc.pk).blocking_count == 0


def test_every_finding_is_worded_for_the_pages_in_the_readers_language(rep, planted_lc):
    from tradewind.contracts.lc.wording import MESSAGES, SHIPMENT_STATE, SOFT_CLAUSES
    from tradewind.trade.lc_review import FindingCode
    from tradewind.trade.lc_soft_clauses import PATTERNS

    special = {FindingCode.SOFT_CLAUSE, FindingCode.PARTIAL_SHIPMENT, FindingCode.TRANSHIPMENT}
    assert set(FindingCode) - special == set(MESSAGES)
    assert {code for code, _state in SHIPMENT_STATE} == special - {FindingCode.SOFT_CLAUSE}
    assert {pattern.key for pattern in PATTERNS} == set(SOFT_CLAUSES)
    check = services.lc_check(actor=rep, lc_id=planted_lc.pk)
    amount = check.discrepancies.get(code="amount_short")
    assert amount.display_message == (
        "The credit allows drawing at most USD 47,250.00, USD 1,350.00 short of the contract."
    )
    soft = check.discrepancies.get(code="soft_clause")
    assert soft.display_message.startswith("Soft clause: an inspection certificate")
    unknown = LcDiscrepancy(code="amount_short", params={}, message="kept as stored")
    assert unknown.display_message == "kept as stored"
