"""Checking a received L/C against the contract: every mismatch, and none on a clean credit."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest

from tests.trade.lc_samples import contract_terms, mt700, planted_mt700
from tradewind.trade.lc_review import (
    CreditTerms,
    FindingCode,
    Severity,
    incoterms_in,
    insurance_document_required,
    review_credit,
    same_place,
    tenor_days,
)
from tradewind.trade.lc_soft_clauses import find_soft_clauses
from tradewind.trade.mt700 import read_mt700

TODAY = dt.date(2026, 3, 2)


def credit_of(text: str) -> CreditTerms:
    return CreditTerms.from_values(read_mt700(text).values)


def codes(findings):
    return sorted(f.code.value for f in findings)


def test_a_clean_credit_matching_the_contract_has_no_findings():
    assert review_credit(credit_of(mt700(TODAY)), contract_terms(TODAY), today=TODAY) == ()


def test_the_planted_credit_shows_exactly_its_six_mismatches():
    findings = review_credit(credit_of(planted_mt700(TODAY)), contract_terms(TODAY), today=TODAY)
    assert codes(findings) == sorted(
        [
            "amount_short",
            "incoterm",
            "port_of_discharge",
            "insurance_missing",
            "shipment_too_soon",
            "soft_clause",
        ]
    )
    assert all(f.severity is Severity.BLOCKING for f in findings)
    by_code = {f.code: f for f in findings}
    amount = by_code[FindingCode.AMOUNT_SHORT]
    assert amount.tag == "32B"
    assert amount.lc_says == "USD 45,000.00 ±5/5 %"
    assert amount.contract_says == "USD 48,600.00"
    assert amount.ask_for == "increase 32B to USD 48,600.00"
    assert "USD 1,350.00 short" in amount.message
    assert by_code[FindingCode.INCOTERM].lc_says == "FOB NINGBO"
    assert by_code[FindingCode.INCOTERM].ask_for == "amend 45A to “CIF Hamburg (Incoterms 2020)”"
    port = by_code[FindingCode.PORT_OF_DISCHARGE]
    assert (port.tag, port.lc_says, port.contract_says) == (
        "44F",
        "ROTTERDAM, NETHERLANDS",
        "Hamburg",
    )
    shipment = by_code[FindingCode.SHIPMENT_TOO_SOON]
    assert shipment.lc_says == "ship by 2026-03-12 (10 days from today)"
    assert "on board 2026-04-08 at the earliest" in shipment.contract_says
    assert shipment.ask_for == "extend 44C to 2026-04-08 or later and 31D to 2026-04-23 or later"
    soft = by_code[FindingCode.SOFT_CLAUSE]
    assert soft.tag == "46A"
    assert soft.lc_says.startswith("+INSPECTION CERTIFICATE ISSUED AND SIGNED BY APPLICANT")
    assert "SGS" in soft.ask_for
    assert by_code[FindingCode.INSURANCE_MISSING].ask_for.startswith("add to 46A: insurance")


def test_every_finding_says_what_to_ask_for():
    findings = review_credit(credit_of(planted_mt700(TODAY)), contract_terms(TODAY), today=TODAY)
    for finding in findings:
        assert finding.tag and finding.lc_says and finding.contract_says and finding.ask_for


@pytest.mark.parametrize(
    ("amount", "code", "severity"),
    [
        ("46300,00", None, None),  # +5 % = 48,615 covers 48,600
        ("46200,00", "amount_short", Severity.BLOCKING),
        ("51200,00", None, None),  # −5 % = 48,640 … just over → warning below
        ("52000,00", "amount_over", Severity.WARNING),
    ],
)
def test_amount_is_compared_within_the_39a_tolerance(amount, code, severity):
    credit = credit_of(mt700(TODAY, amount=amount))
    findings = [f for f in review_credit(credit, contract_terms(TODAY), today=TODAY)]
    if amount == "51200,00":
        assert codes(findings) == ["amount_over"]
        return
    assert codes(findings) == ([code] if code else [])
    if severity:
        assert findings[0].severity is severity


def test_the_credit_is_compared_with_its_share_of_the_contract():
    contract = contract_terms(TODAY, total_amount=D("69428.57"), lc_amount=D("48600.00"))
    findings = review_credit(credit_of(mt700(TODAY)), contract, today=TODAY)
    assert findings == ()


def test_a_quantity_tolerance_the_credit_cannot_cover_is_a_warning():
    contract = contract_terms(TODAY, quantity_tolerance_percent=D(10))
    findings = review_credit(credit_of(mt700(TODAY)), contract, today=TODAY)
    assert codes(findings) == ["amount_no_quantity_room"]
    assert findings[0].ask_for == "39A of at least 10/10"


def test_another_currency_is_blocking():
    credit = replace(credit_of(mt700(TODAY)), currency="EUR")
    assert codes(review_credit(credit, contract_terms(TODAY), today=TODAY)) == ["currency"]


def test_goods_missing_from_45a_and_a_different_quantity_are_warnings():
    contract = contract_terms(
        TODAY,
        lines=(
            *contract_terms(TODAY).lines,
            contract_terms(TODAY).lines[0].__class__("Emergency exit sign, 3 W", 200, "pcs"),
        ),
    )
    findings = review_credit(credit_of(mt700(TODAY)), contract, today=TODAY)
    assert codes(findings) == ["goods_line_missing"]
    assert "Emergency exit sign" in findings[0].message
    credit = replace(
        credit_of(mt700(TODAY)),
        goods_description="3,000 PCS LED PANEL LIGHT 600X600MM 40W CIF HAMBURG",
    )
    findings = review_credit(credit, contract_terms(TODAY), today=TODAY)
    assert codes(findings) == ["goods_quantity"]
    assert findings[0].lc_says == "quantities 3,000"


def test_goods_described_without_the_model_but_with_the_words_count():
    credit = replace(
        credit_of(mt700(TODAY)),
        goods_description="3600 PIECES OF 40W LED PANEL LIGHTS, 600 X 600 MM. CIF HAMBURG",
    )
    assert review_credit(credit, contract_terms(TODAY), today=TODAY) == ()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CIF HAMBURG INCOTERMS 2020", [("CIF", "HAMBURG")]),
        ("C.I.F. HAMBURG", [("CIF", "HAMBURG")]),
        ("PRICE TERM: C&F ROTTERDAM PORT", [("CFR", "ROTTERDAM")]),
        ("FREE ON BOARD NINGBO", [("FOB", "NINGBO")]),
        ("LED PANELS, INCOTERMS 2020", []),
    ],
)
def test_incoterms_are_found_in_free_text(text, found):
    assert incoterms_in(text) == found


def test_another_named_place_with_the_right_term_is_a_warning():
    credit = credit_of(mt700(TODAY, term="CIF BREMEN"))
    findings = review_credit(credit, contract_terms(TODAY), today=TODAY)
    assert codes(findings) == ["named_place"]
    assert findings[0].severity is Severity.WARNING


def test_no_incoterm_in_45a_is_a_warning():
    credit = credit_of(mt700(TODAY, term="DELIVERY"))
    assert codes(review_credit(credit, contract_terms(TODAY), today=TODAY)) == ["incoterm_missing"]


def test_freight_collect_under_cif_is_blocking():
    credit = credit_of(mt700(TODAY))
    credit = replace(
        credit,
        documents_required=credit.documents_required.replace("FREIGHT PREPAID", "FREIGHT COLLECT"),
    )
    assert codes(review_credit(credit, contract_terms(TODAY), today=TODAY)) == ["freight_notation"]


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        ("Hamburg", "HAMBURG, GERMANY", True),
        ("Ningbo", "NINGBO PORT, CHINA", True),
        ("Hamburg", "ROTTERDAM", False),
        ("Shanghai", "", True),
    ],
)
def test_port_names_are_compared_by_their_words(ours, theirs, same):
    assert same_place(ours, theirs) is same


def test_any_chinese_port_of_loading_is_fine():
    credit = replace(credit_of(mt700(TODAY)), port_of_loading="ANY PORT IN CHINA")
    assert review_credit(credit, contract_terms(TODAY), today=TODAY) == ()


def test_fob_contract_must_not_ask_us_to_insure():
    contract = contract_terms(TODAY, incoterm="FOB", named_place="Ningbo")
    credit = credit_of(mt700(TODAY, term="FOB NINGBO"))
    credit = replace(
        credit,
        documents_required=credit.documents_required.replace("FREIGHT PREPAID", "FREIGHT COLLECT"),
    )
    findings = review_credit(credit, contract, today=TODAY)
    assert codes(findings) == ["insurance_not_ours"]


def test_a_note_that_the_buyer_insures_is_not_an_insurance_document():
    text = "+INVOICE\n+INSURANCE TO BE COVERED BY THE APPLICANT; SHIPPING ADVICE TO APPLICANT"
    assert not insurance_document_required(text)
    assert insurance_document_required("+CERTIFICATE OF INSURANCE FOR 110 PCT OF CIF VALUE")


def test_a_different_insurance_cover_is_a_warning():
    credit = credit_of(mt700(TODAY))
    credit = replace(
        credit, documents_required=credit.documents_required.replace("110 PCT", "130 PCT")
    )
    findings = review_credit(credit, contract_terms(TODAY), today=TODAY)
    assert codes(findings) == ["insurance_cover"]


def test_a_shipment_date_earlier_than_the_contract_but_achievable_is_a_warning():
    contract = contract_terms(TODAY, latest_shipment_date=TODAY + dt.timedelta(days=70))
    findings = review_credit(credit_of(mt700(TODAY)), contract, today=TODAY)
    assert codes(findings) == ["shipment_earlier_than_contract"]


def test_the_transit_buffer_is_configurable():
    credit = credit_of(mt700(TODAY, latest_in_days=36))
    contract = contract_terms(TODAY, latest_shipment_date=None)
    assert codes(review_credit(credit, contract, today=TODAY)) == ["shipment_too_soon"]
    assert review_credit(credit, contract, today=TODAY, transit_buffer_days=5) == ()


def test_expiry_checks_come_from_the_ucp_rules_of_the_trade_core():
    credit = replace(
        credit_of(mt700(TODAY)),
        expiry_date=TODAY + dt.timedelta(days=65),
        expiry_place="GERMANY",
        expiry_country="DE",
    )
    findings = review_credit(credit, contract_terms(TODAY), today=TODAY)
    assert codes(findings) == ["expiry_abroad", "short_presentation_window"]
    window = next(f for f in findings if f.code == FindingCode.SHORT_PRESENTATION_WINDOW)
    assert "only 5 days" in window.message
    assert window.ask_for == "extend 31D to 2026-05-16"


def test_an_expired_credit_is_blocking():
    credit = credit_of(mt700(TODAY))
    later = TODAY + dt.timedelta(days=90)
    findings = review_credit(credit, contract_terms(later, latest_shipment_date=None), today=later)
    assert "expired" in codes(findings)


def test_prohibited_partial_shipment_and_transhipment_the_contract_allows_are_warnings():
    credit = replace(credit_of(mt700(TODAY)), transhipment="not_allowed")
    contract = contract_terms(TODAY, partial_shipment_allowed=True)
    findings = review_credit(credit, contract, today=TODAY)
    assert codes(findings) == ["partial_shipment", "transhipment"]
    assert "20(c)" in findings[1].message


def test_usance_instead_of_sight_and_missing_confirmation_are_blocking():
    credit = replace(credit_of(mt700(TODAY)), drafts_at="AT 90 DAYS AFTER B/L DATE")
    contract = contract_terms(TODAY, confirmation_required=True)
    findings = review_credit(credit, contract, today=TODAY)
    assert codes(findings) == ["confirmation", "tenor"]
    assert tenor_days(credit) == 90


def test_all_charges_on_us_is_a_warning():
    credit = replace(
        credit_of(mt700(TODAY)), charges="ALL BANKING CHARGES ARE FOR ACCOUNT OF BENEFICIARY"
    )
    assert codes(review_credit(credit, contract_terms(TODAY), today=TODAY)) == ["charges"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("+INSPECTION CERTIFICATE SIGNED BY APPLICANT", "inspection_by_applicant"),
        ("+QUALITY CERTIFICATE COUNTERSIGNED BY THE BUYER", "signed_by_applicant"),
        ("+CERTIFICATE BEARING APPLICANT'S AUTHORIZED SIGNATURE", "signed_by_applicant"),
        ("+SHIPMENT SUBJECT TO APPLICANT'S APPROVAL OF THE SAMPLE", "applicant_approval"),
        (
            "+SHIPPING ADVICE FROM THE BUYER NOMINATING THE VESSEL",
            "shipment_on_applicant_instructions",
        ),
        ("+VESSEL TO BE NOMINATED BY APPLICANT", "shipment_on_applicant_instructions"),
        ("+THIS CREDIT IS NOT OPERATIVE UNTIL WE ADVISE", "not_operative"),
        ("+SUBJECT TO ISSUANCE OF IMPORT LICENCE", "import_licence"),
        ("+PAYMENT WILL BE MADE AFTER ARRIVAL OF THE GOODS", "payment_after_goods"),
        ("+1/3 ORIGINAL B/L TO BE SENT DIRECTLY TO APPLICANT", "original_bl_to_applicant"),
    ],
)
def test_soft_clauses_are_recognised(text, key):
    found = find_soft_clauses("+COMMERCIAL INVOICE\n" + text, "47A")
    assert [clause.key for clause in found] == [key]
    assert found[0].excerpt == text


@pytest.mark.parametrize(
    "text",
    [
        "+SHIPPING ADVICE TO APPLICANT WITHIN 2 DAYS AFTER SHIPMENT",
        "+B/L MARKED NOTIFY APPLICANT",
        "+INVOICE MADE OUT TO THE APPLICANT",
        "+CERTIFICATE OF ORIGIN ISSUED BY CCPIT",
        "+INSPECTION CERTIFICATE ISSUED BY SGS",
        "+PAYMENT UPON RECEIPT OF COMPLYING DOCUMENTS",
    ],
)
def test_ordinary_clauses_are_not_soft(text):
    assert find_soft_clauses(text, "46A") == ()


def test_review_refuses_a_datetime_for_today():
    with pytest.raises(TypeError):
        review_credit(
            credit_of(mt700(TODAY)),
            contract_terms(TODAY),
            today=dt.datetime(2026, 3, 2),
        )
