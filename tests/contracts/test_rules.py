"""Every ready-to-sign rule, on plain facts (no database)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from tradewind.contracts.clauses import DEFAULT_TEMPLATES
from tradewind.contracts.rules import (
    ClauseFacts,
    ContractFacts,
    LineFacts,
    PaymentVerdict,
    check,
    checklist,
)

TODAY = dt.date(2026, 3, 2)


def good(**changes) -> ContractFacts:
    facts = ContractFacts(
        number="PI-2026-0001",
        contract_date=TODAY,
        buyer_name="Nordlicht Leuchten GmbH",
        currency="USD",
        total_amount=Decimal("12350.00"),
        incoterm="FOB",
        named_place="Ningbo",
        port_of_loading="Ningbo, China",
        destination_port="Hamburg",
        latest_shipment_date=TODAY + dt.timedelta(days=45),
        production_lead_time_days=30,
        partial_shipment="prohibited",
        transhipment="allowed",
        quantity_tolerance_percent=Decimal(5),
        quality_standard="As per the approved sample",
        packing="10 pcs per export carton",
        shipping_marks="NLG\nPI-2026-0001\nHAMBURG\nC/NO. 1-UP",
        insured_by="buyer",
        insurance_percent=Decimal(110),
        inspection_by="seller_qc",
        inspection_when="before shipment",
        inspection_certificate="Certificate of quality",
        claims_period_days=60,
        arbitration_institution="CIETAC",
        arbitration_seat="Shanghai",
        governing_law="the laws of the PRC",
        beneficiary_name="Ningbo Brightway Lighting Co., Ltd.",
        bank_name="Bank of China",
        bank_account="3581 2345 6789",
        bank_swift="BKCHCNBJ92A",
        payment_terms=({"share_percent": "30"}, {"share_percent": "70"}),
        payment_schedule=({"amount": "3705.00"}, {"amount": "8645.00"}),
        payment_verdict=PaymentVerdict("allowed"),
        lines=(
            LineFacts(1, "LED panel", "NL-001", "40W", 1000, Decimal("12.35"), Decimal("12350.00")),
        ),
        clauses=tuple(
            ClauseFacts(key, title, body) for key, title, body, _zh, _d in DEFAULT_TEMPLATES
        ),
        today=TODAY,
    )
    return replace(facts, **changes)


def codes(facts) -> list[str]:
    return [problem.code for problem in check(facts)]


def test_a_complete_contract_has_no_problems():
    assert check(good()) == []


def test_every_problem_is_listed_at_once():
    facts = good(
        bank_swift="",
        packing="",
        claims_period_days=None,
        incoterm="CIF",
        named_place="Hamburg",
        insured_by="",
    )
    assert {"bank_missing", "packing_missing", "claims_missing", "insurance_who_missing"} <= set(
        codes(facts)
    )


# Clauses -----------------------------------------------------------------------------------------


def test_a_missing_required_clause_is_named():
    facts = good(clauses=tuple(c for c in good().clauses if c.key != "force_majeure"))
    problems = check(facts)
    assert [p.code for p in problems] == ["clause_missing"]
    assert "Force majeure" in problems[0].message


def test_an_empty_clause_is_refused():
    clauses = tuple(replace(c, body="  ") if c.key == "breach" else c for c in good().clauses)
    assert codes(good(clauses=clauses)) == ["clause_empty"]


def test_a_clause_naming_an_unknown_field_is_refused():
    clauses = (*good().clauses, ClauseFacts("custom", "Extra", "Ship by {latest_ship_date}."))
    problems = check(good(clauses=clauses))
    assert [p.code for p in problems] == ["clause_unknown_placeholder"]
    assert "{latest_ship_date}" in problems[0].message


def test_broken_braces_in_a_clause_are_refused():
    clauses = (*good().clauses, ClauseFacts("custom", "Extra", "Price {currency"))
    assert codes(good(clauses=clauses)) == ["clause_unknown_placeholder"]


# Goods and price ---------------------------------------------------------------------------------


def test_a_contract_without_goods_is_refused():
    assert "no_lines" in codes(good(lines=()))


def test_a_line_needs_a_model_or_a_specification():
    line = replace(good().lines[0], model="", specification="")
    assert codes(good(lines=(line,))) == ["line_specification"]


def test_a_line_needs_a_description_quantity_and_price():
    line = LineFacts(1, "", "M1", "", 0, None, None)
    assert {"line_description", "line_quantity", "line_price"} <= set(codes(good(lines=(line,))))


def test_a_unit_price_with_more_than_two_decimals_is_refused():
    line = replace(good().lines[0], unit_price=Decimal("12.345"), total=Decimal("12345.00"))
    assert "line_price_precision" in codes(good(lines=(line,), total_amount=Decimal("12345.00")))


def test_a_line_amount_that_is_not_price_times_quantity_is_refused():
    line = replace(good().lines[0], total=Decimal("12000.00"))
    assert codes(good(lines=(line,))) == ["line_total_mismatch"]


def test_a_total_that_does_not_match_the_lines_is_refused():
    problems = check(good(total_amount=Decimal("12000.00"), payment_schedule=()))
    assert problems[0].code == "total_mismatch"
    assert "12000.00" in problems[0].message and "12350.00" in problems[0].message


def test_the_quantity_tolerance_stays_within_ten_percent():
    assert "tolerance_range" in codes(good(quantity_tolerance_percent=Decimal(15)))


# Quality, packing, marks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("quality_standard", "quality_missing"),
        ("packing", "packing_missing"),
        ("shipping_marks", "packing_missing"),
    ],
)
def test_quality_packing_and_marks_are_required(field, code):
    assert codes(good(**{field: ""})) == [code]


def test_shipping_marks_have_at_most_four_lines():
    assert codes(good(shipping_marks="A\nB\nC\nD\nE")) == ["marks_too_long"]


# Shipment ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "latest_shipment_date",
        "port_of_loading",
        "destination_port",
        "partial_shipment",
        "transhipment",
        "named_place",
    ],
)
def test_every_shipment_term_is_required(field):
    value = None if field == "latest_shipment_date" else ""
    assert "shipment_missing" in codes(good(**{field: value}))


def test_a_latest_shipment_date_in_the_past_is_refused():
    facts = good(
        latest_shipment_date=TODAY - dt.timedelta(days=1),
        contract_date=TODAY - dt.timedelta(days=60),
    )
    assert codes(facts) == ["shipment_date_past"]


def test_an_amendment_may_keep_a_past_shipment_date():
    facts = good(
        latest_shipment_date=TODAY - dt.timedelta(days=1),
        check_dates=False,
        contract_date=TODAY - dt.timedelta(days=60),
    )
    assert codes(facts) == []


def test_the_shipment_date_leaves_room_for_production():
    problems = check(good(latest_shipment_date=TODAY + dt.timedelta(days=20)))
    assert [p.code for p in problems] == ["shipment_before_production"]
    assert "2026-04-01" in problems[0].message


def test_fob_names_the_port_of_loading():
    assert codes(good(named_place="Shanghai")) == ["named_place_mismatch"]


def test_cfr_names_the_destination():
    assert codes(good(incoterm="CFR", named_place="Ningbo")) == ["named_place_mismatch"]
    assert codes(good(incoterm="CFR", named_place="Hamburg port")) == []


def test_exw_and_d_rules_do_not_compare_the_named_place():
    assert codes(good(incoterm="EXW", named_place="Yuyao factory")) == []
    assert (
        codes(
            good(
                incoterm="DAP",
                named_place="Munich warehouse",
                insured_by="seller",
                insurance_cover="ICC (A)",
            )
        )
        == []
    )


# Insurance ---------------------------------------------------------------------------------------


def cif(**changes):
    values = {
        "incoterm": "CIF",
        "named_place": "Hamburg",
        "insured_by": "seller",
        "insurance_cover": "Institute Cargo Clauses (C)",
    } | changes
    return good(**values)


def test_a_complete_cif_contract_passes():
    assert codes(cif()) == []


def test_a_cif_contract_without_an_insurance_clause_is_refused():
    problems = check(cif(insured_by=""))
    assert [p.code for p in problems] == ["insurance_who_missing"]
    assert "CIF needs an insurance clause" in problems[0].message


def test_under_cif_the_seller_insures():
    assert codes(cif(insured_by="buyer")) == ["insurance_seller_required"]


def test_the_seller_states_the_cover():
    assert codes(cif(insurance_cover="")) == ["insurance_cover_missing"]


def test_the_seller_insures_at_least_110_percent():
    assert codes(cif(insurance_percent=Decimal(100))) == ["insurance_amount_low"]


def test_cip_needs_institute_cargo_clauses_a():
    assert codes(cif(incoterm="CIP")) == ["insurance_cip_cover"]
    assert codes(cif(incoterm="CIP", insurance_cover="Institute Cargo Clauses (A)")) == []


def test_fob_says_who_insures():
    assert codes(good(insured_by="")) == ["insurance_who_missing"]


# Payment -----------------------------------------------------------------------------------------


def test_payment_terms_are_required():
    assert codes(good(payment_terms=(), payment_schedule=())) == ["payment_missing"]


def test_a_schedule_that_does_not_add_up_to_the_total_is_refused():
    assert codes(good(payment_schedule=({"amount": "3705.00"},))) == ["schedule_mismatch"]


def test_terms_the_credit_rules_refuse_block_signing():
    facts = good(payment_verdict=PaymentVerdict("refused", ("grade C allows at most T/T",)))
    problems = check(facts)
    assert [p.code for p in problems] == ["payment_refused"]
    assert "grade C allows at most T/T" in problems[0].message


def test_terms_waiting_for_approval_block_signing_and_approved_ones_do_not():
    assert codes(good(payment_verdict=PaymentVerdict("needs_approval", ("over",)))) == [
        "payment_needs_approval"
    ]
    assert codes(good(payment_verdict=PaymentVerdict("approved"))) == []


# Inspection, claims, disputes, bank --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("inspection_by", "inspection_missing"),
        ("inspection_when", "inspection_missing"),
        ("inspection_certificate", "inspection_missing"),
        ("claims_period_days", "claims_missing"),
        ("arbitration_institution", "disputes_missing"),
        ("arbitration_seat", "disputes_missing"),
        ("governing_law", "disputes_missing"),
        ("beneficiary_name", "bank_missing"),
        ("bank_name", "bank_missing"),
        ("bank_account", "bank_missing"),
        ("bank_swift", "bank_missing"),
        ("buyer_name", "bank_missing"),
    ],
)
def test_inspection_claims_disputes_and_bank_details_are_required(field, code):
    value = None if field == "claims_period_days" else ""
    assert codes(good(**{field: value})) == [code]


@pytest.mark.parametrize("swift", ["BKCHCN", "BKCH CNBJ", "12CHCNBJ", "BKCHCNBJ9", "<script>"])
def test_a_swift_code_has_eight_or_eleven_characters(swift):
    assert codes(good(bank_swift=swift)) == ["swift_invalid"]


def test_the_checklist_groups_problems_by_clause():
    rows = {row.key: row for row in checklist(check(cif(insured_by="", bank_swift="")))}
    assert not rows["insurance"].ok and not rows["bank"].ok
    assert rows["goods"].ok and rows["disputes"].ok
    assert len(rows) == 13
