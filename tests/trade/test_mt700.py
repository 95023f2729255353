"""Reading a pasted MT700 / MT707: every term, and a clear problem for every bad field."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.trade.lc_samples import mt700
from tradewind.trade.mt700 import (
    MAX_TEXT_CHARS,
    Mt700Error,
    expiry_country_of,
    parse_swift_amount,
    presentation_days_of,
    read_mt700,
    read_mt707,
)

TODAY = dt.date(2026, 3, 2)


def problems(reading, severity="error"):
    return {(p.tag, p.field) for p in reading.problems if p.severity == severity}


def test_a_realistic_credit_is_read_field_by_field():
    reading = read_mt700(mt700(TODAY))
    values = reading.values
    assert reading.errors == ()
    assert values["number"] == "HH26LC0417"
    assert values["issue_date"] == dt.date(2026, 2, 28)
    assert values["expiry_date"] == dt.date(2026, 5, 16)
    assert values["expiry_place"] == "CHINA"
    assert values["expiry_country"] == "CN"
    assert (values["currency"], values["amount"]) == ("USD", D("48600.00"))
    assert (values["tolerance_plus_percent"], values["tolerance_minus_percent"]) == (D(5), D(5))
    assert values["available_with"] == "ANY BANK IN CHINA"
    assert values["available_by"] == "negotiation"
    assert values["drafts_at"] == "AT SIGHT"
    assert values["partial_shipments"] == "not_allowed"
    assert values["transhipment"] == "allowed"
    assert values["port_of_loading"] == "NINGBO, CHINA"
    assert values["port_of_discharge"] == "HAMBURG, GERMANY"
    assert values["latest_shipment_date"] == dt.date(2026, 5, 1)
    assert values["goods_description"].startswith("+3,600 PCS LED PANEL LIGHT")
    assert "INSURANCE POLICY OR CERTIFICATE" in values["documents_required"]
    assert "DISCREPANCY FEE" in values["additional_conditions"]
    assert values["charges"].startswith("ALL BANKING CHARGES OUTSIDE GERMANY")
    assert values["presentation_period_days"] == 15
    assert values["confirmation"] == "without"
    assert values["applicant"].startswith("NORDLICHT LEUCHTEN GMBH")
    assert "78" in reading.tags and "27" in reading.tags


def test_narratives_keep_their_line_breaks_and_short_fields_are_one_line():
    values = read_mt700(mt700(TODAY)).values
    assert values["documents_required"].count("\n+") == 4
    assert "\n" not in values["applicant"]


@pytest.mark.parametrize(
    ("text", "currency", "amount", "warned"),
    [
        ("48600,00", "USD", D("48600.00"), False),
        ("48600,", "USD", D("48600"), False),
        ("48600", "USD", D("48600"), False),
        ("48,600", "USD", D("48600"), True),  # 3 decimals cannot be USD: a thousands comma
        ("1,048,600", "USD", D("1048600"), True),
        ("48,600.50", "USD", D("48600.50"), True),
        ("5000000,", "JPY", D("5000000"), False),
        ("12,345", "KWD", D("12.345"), False),  # KWD has 3 decimals
    ],
)
def test_swift_amounts_use_a_decimal_comma(text, currency, amount, warned):
    value, warning = parse_swift_amount(text, currency)
    assert value == amount
    assert (warning is not None) is warned


@pytest.mark.parametrize("text", ["0,00", "-5,00", "12,3456", "abc", "1e9", "99999999999999,00"])
def test_impossible_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_swift_amount(text, "USD")


@pytest.mark.parametrize(
    ("place", "country"),
    [
        ("CHINA", "CN"),
        ("AT THE COUNTERS OF THE NEGOTIATING BANK IN SHANGHAI", "CN"),
        ("IN THE BENEFICIARY'S COUNTRY", "CN"),
        ("HAMBURG GERMANY", "DE"),
        ("NEW YORK, USA", "US"),
        ("HONG KONG", "HK"),
        ("AT OUR COUNTERS", None),
    ],
)
def test_the_place_of_expiry_gives_its_country(place, country):
    assert expiry_country_of(place) == country


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("21/", 21),
        ("15/DAYS AFTER THE DATE OF SHIPMENT", 15),
        ("DOCUMENTS TO BE PRESENTED WITHIN 10 DAYS AFTER SHIPMENT BUT WITHIN VALIDITY", 10),
        ("WITHIN THE VALIDITY OF THE CREDIT", None),
    ],
)
def test_presentation_period_is_read_from_both_formats(text, days):
    assert presentation_days_of(text) == days


def test_bad_fields_are_reported_by_tag_and_the_rest_is_still_read():
    text = (
        ":20:LC1\n:31C:261399\n:31D:260515 SOMEWHERE\n:32B:XYZ100,00\n:39A:5 PERCENT\n"
        ":43P:MAYBE\n:48:WITHIN VALIDITY\n:49:PERHAPS\n:44C:260501\n"
    )
    reading = read_mt700(text)
    assert problems(reading) == {
        ("31C", "issue_date"),
        ("32B", "currency"),
        ("39A", "tolerance_plus_percent"),
        ("43P", "partial_shipments"),
        ("48", "presentation_period_days"),
        ("49", "confirmation"),
    }
    assert ("31D", "expiry_country") in problems(reading, "warning")
    assert reading.values["latest_shipment_date"] == dt.date(2026, 5, 1)
    assert reading.values["number"] == "LC1"
    assert "issue_date" not in reading.values
    message = next(p.message for p in reading.problems if p.tag == "31C")
    assert "YYMMDD" in message


def test_missing_essential_fields_and_duplicates_are_errors():
    reading = read_mt700(":45A:LED PANELS\n:45A:AGAIN\n:71D:ALL CHARGES FOR APPLICANT\n")
    assert problems(reading) == {
        ("45A", "goods_description"),
        ("20", "number"),
        ("31D", "expiry_date"),
        ("32B", "amount"),
    }
    assert reading.values["goods_description"] == "LED PANELS"  # the first one is kept


def test_option_letters_count_as_one_field():
    reading = read_mt700(":20:X\n:41A:BKCHCNBJ\nBY PAYMENT\n:41D:ANY BANK\nBY NEGOTIATION\n")
    assert ("41A", "available_with") in problems(reading)
    assert reading.values["available_by"] == "payment"


def test_unknown_tags_and_text_before_the_first_field_are_warnings():
    reading = read_mt700("Dear customer, please find below\n:20:LC1\n:99Z:WHAT\n")
    warnings = [p.message for p in reading.warnings]
    assert any("line 1 comes before the first field" in m for m in warnings)
    assert any(m.startswith("99Z: not an MT700 field") for m in warnings)


def test_a_multi_part_credit_asks_for_its_continuation():
    reading = read_mt700(":27:1/2\n:20:LC1\n")
    assert any("MT701" in p.message for p in reading.warnings)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no MT700 fields found"),
        ("Please pay us. Thanks.", "no MT700 fields found"),
        ("x" * (MAX_TEXT_CHARS + 1), "characters long"),
        (":20:LC1\x00\n", "control characters"),
        (":20:LC1\x1b[31m\n", "control characters"),
    ],
)
def test_unreadable_text_is_refused_whole(text, fragment):
    with pytest.raises(Mt700Error) as caught:
        read_mt700(text)
    assert fragment in caught.value.message
    assert caught.value.field == "mt700"


def test_hostile_markup_is_kept_as_plain_text_with_a_warning():
    reading = read_mt700(':20:<script>alert("x")</script>\n:45A:<img src=x onerror=alert(1)>\n')
    assert reading.values["number"] == '<script>alert("x")</script>'
    assert any("characters SWIFT does not carry" in p.message for p in reading.warnings)


def test_an_oversized_field_is_refused_alone():
    reading = read_mt700(":20:LC1\n:50:" + "A" * 500 + "\n:45A:LED\n")
    assert ("50", "applicant") in problems(reading)
    assert reading.values["goods_description"] == "LED"


def test_windows_line_endings_and_indentation_are_accepted():
    reading = read_mt700("  :20:LC1\r\n  :32B:USD100,\r\n  :31D:260501CHINA\r\n")
    assert reading.errors == ()
    assert reading.values["amount"] == D(100)


def test_type_errors_are_programming_errors():
    with pytest.raises(TypeError):
        read_mt700(None)


CURRENT = {
    "amount": D("45000"),
    "currency": "USD",
    "expiry_date": dt.date(2026, 5, 1),
    "documents_required": "+INVOICE\n+PACKING LIST",
    "additional_conditions": "+INSPECTION CERTIFICATE SIGNED BY APPLICANT",
    "port_of_discharge": "ROTTERDAM",
}


def test_an_mt707_gives_the_terms_it_changes():
    reading = read_mt707(
        ":20:HH26LC0417\n:26E:1\n:30:260310\n:31E:260615\n:32B:USD3600,00\n"
        ":44F:HAMBURG, GERMANY\n:46B:/ADD/+INSURANCE POLICY FOR 110 PCT OF INVOICE VALUE\n"
        ":47B:/DELETE/+INSPECTION CERTIFICATE SIGNED BY APPLICANT\n",
        CURRENT,
    )
    assert reading.number == 1
    assert reading.date == dt.date(2026, 3, 10)
    assert reading.lc_number == "HH26LC0417"
    assert reading.values == {
        "expiry_date": dt.date(2026, 6, 15),
        "amount": D("48600.00"),
        "port_of_discharge": "HAMBURG, GERMANY",
        "documents_required": "+INVOICE\n+PACKING LIST\n+INSURANCE POLICY FOR 110 PCT OF "
        "INVOICE VALUE",
        "additional_conditions": "",
    }
    assert reading.problems == ()


def test_mt707_decrease_new_amount_and_replace_all():
    reading = read_mt707(":33B:USD1000,\n:45B:/REPALL/+2,000 PCS LED TUBES\n", CURRENT)
    assert reading.values["amount"] == D("44000")
    assert reading.values["goods_description"] == "+2,000 PCS LED TUBES"
    assert read_mt707(":34B:USD50000,\n", CURRENT).values["amount"] == D("50000")


def test_mt707_in_another_currency_is_refused():
    reading = read_mt707(":32B:EUR100,\n", CURRENT)
    assert "amount" not in reading.values
    assert any(p.tag == "32B" and "EUR" in p.message for p in reading.problems)
