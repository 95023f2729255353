"""Letters of credit under UCP 600: presentation dates and discrepancies."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import LetterOfCreditError
from tradewind.trade.lc import (
    DiscrepancyCode,
    LetterOfCredit,
    Presentation,
    examine_presentation,
    presentation_dates,
    review_credit_terms,
)

WEEKENDS = BusinessCalendar()
d = dt.date


def codes(examination):
    return [item.code for item in examination.discrepancies]


@pytest.mark.parametrize(
    ("shipped", "expiry", "days", "last_day"),
    [
        (d(2026, 3, 10), d(2026, 3, 25), None, d(2026, 3, 25)),  # expiry first
        (d(2026, 3, 2), d(2026, 4, 30), None, d(2026, 3, 23)),  # 21 days → Mon 23 Mar
        (d(2026, 3, 7), d(2026, 4, 30), None, d(2026, 3, 30)),  # Sat 28 Mar → Mon 30 Mar
        (d(2026, 3, 2), d(2026, 4, 30), 10, d(2026, 3, 12)),  # field 48: 10 days
        (d(2026, 3, 10), d(2026, 3, 28), None, d(2026, 3, 30)),  # expiry Sat → Mon
    ],
)
def test_last_day_for_presentation_follows_ucp_600(shipped, expiry, days, last_day):
    credit = LetterOfCredit(expiry_date=expiry, presentation_period_days=days)
    assert presentation_dates(credit, shipped, WEEKENDS).last_presentation_day == last_day


def test_default_presentation_period_is_21_days():
    dates = presentation_dates(LetterOfCredit(expiry_date=d(2026, 12, 31)), d(2026, 3, 2), WEEKENDS)
    assert dates.presentation_period_days == 21
    assert dates.period_ends_on == d(2026, 3, 23)


def test_chinese_national_day_moves_expiry_to_the_next_banking_day():
    credit = LetterOfCredit(expiry_date=d(2026, 10, 3))
    dates = presentation_dates(credit, d(2026, 9, 25), country_calendar("CN"))
    assert dates.expiry_effective == d(2026, 10, 8)
    assert dates.last_presentation_day == d(2026, 10, 8)
    assert dates.closed_days[0] == (d(2026, 10, 3), "National Day")
    assert any("art. 29(a)" in note for note in dates.notes)


def test_latest_shipment_date_never_moves_to_the_next_banking_day():
    credit = LetterOfCredit(expiry_date=d(2026, 10, 31), latest_shipment_date=d(2026, 10, 3))
    result = examine_presentation(
        credit, Presentation(on_board_date=d(2026, 10, 8)), country_calendar("CN")
    )
    assert codes(result) == [DiscrepancyCode.LATE_SHIPMENT]
    assert result.dates.latest_shipment_date == d(2026, 10, 3)


def test_every_discrepancy_is_found_not_only_the_first():
    credit = LetterOfCredit(
        expiry_date=d(2026, 4, 10),
        latest_shipment_date=d(2026, 3, 10),
        partial_shipments_allowed=False,
        transhipment_allowed=False,
        amount=D(100_000),
        amount_tolerance_percent=D(5),
        quantity=D(10_000),
        insurance_required=True,
    )
    presentation = Presentation(
        on_board_date=d(2026, 3, 12),
        presentation_date=d(2026, 4, 14),
        invoice_amount=D(106_000),
        quantity=D(9_000),
        shipments=2,
        transhipped=True,
        containerised=False,
        insurance_amount=D(110_000),
        insurance_date=d(2026, 3, 13),
    )
    result = examine_presentation(credit, presentation, WEEKENDS)
    assert codes(result) == [
        DiscrepancyCode.LATE_SHIPMENT,
        DiscrepancyCode.LATE_PRESENTATION,
        DiscrepancyCode.EXPIRED,
        DiscrepancyCode.AMOUNT_OVER_TOLERANCE,
        DiscrepancyCode.QUANTITY_UNDER_TOLERANCE,
        DiscrepancyCode.PARTIAL_SHIPMENT,
        DiscrepancyCode.TRANSHIPMENT,
        DiscrepancyCode.INSURANCE_UNDER_COVER,
        DiscrepancyCode.INSURANCE_AFTER_SHIPMENT,
    ]
    assert not result.complying
    assert all(item.message and item.article for item in result.discrepancies)


def test_a_clean_presentation_complies():
    credit = LetterOfCredit(
        expiry_date=d(2026, 4, 30),
        latest_shipment_date=d(2026, 4, 10),
        amount=D(100_000),
        insurance_required=True,
    )
    presentation = Presentation(
        on_board_date=d(2026, 4, 1),
        presentation_date=d(2026, 4, 8),
        invoice_amount=D(100_000),
        insurance_amount=D(110_000),
        insurance_date=d(2026, 4, 1),
    )
    assert examine_presentation(credit, presentation, WEEKENDS).complying


def test_about_means_ten_percent_either_way():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30), amount=D(100), amount_tolerance_percent=10)
    ok = Presentation(on_board_date=d(2026, 4, 1), invoice_amount=D(110))
    over = Presentation(on_board_date=d(2026, 4, 1), invoice_amount=D("110.01"))
    assert examine_presentation(credit, ok, WEEKENDS).complying
    assert codes(examine_presentation(credit, over, WEEKENDS)) == [
        DiscrepancyCode.AMOUNT_OVER_TOLERANCE
    ]


def test_bulk_quantity_gets_five_percent_tolerance():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30), quantity=D(1000), quantity_in_units=False)
    within = Presentation(on_board_date=d(2026, 4, 1), quantity=D(1050))
    assert examine_presentation(credit, within, WEEKENDS).complying
    counted = LetterOfCredit(expiry_date=d(2026, 4, 30), quantity=D(1000))
    assert codes(examine_presentation(counted, within, WEEKENDS)) == [
        DiscrepancyCode.QUANTITY_OVER_TOLERANCE
    ]


def test_short_drawing_is_fine_when_partial_shipments_are_allowed():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30), amount=D(100), quantity=D(10))
    partial = Presentation(on_board_date=d(2026, 4, 1), invoice_amount=D(50), quantity=D(5))
    assert examine_presentation(credit, partial, WEEKENDS).complying


def test_art_30c_allows_five_percent_less_amount_when_partial_shipments_are_prohibited():
    credit = LetterOfCredit(
        expiry_date=d(2026, 4, 30), amount=D(100), partial_shipments_allowed=False
    )
    ok = Presentation(on_board_date=d(2026, 4, 1), invoice_amount=D(95))
    short = Presentation(on_board_date=d(2026, 4, 1), invoice_amount=D(94))
    assert examine_presentation(credit, ok, WEEKENDS).complying
    assert codes(examine_presentation(credit, short, WEEKENDS)) == [
        DiscrepancyCode.AMOUNT_UNDER_TOLERANCE
    ]


def test_container_transhipment_is_acceptable_even_when_prohibited():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30), transhipment_allowed=False)
    boxed = Presentation(on_board_date=d(2026, 4, 1), transhipped=True, containerised=True)
    assert examine_presentation(credit, boxed, WEEKENDS).complying


def test_missing_insurance_document_is_a_discrepancy():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30), insurance_required=True)
    result = examine_presentation(credit, Presentation(on_board_date=d(2026, 4, 1)), WEEKENDS)
    assert codes(result) == [DiscrepancyCode.INSURANCE_MISSING]


def test_insurance_is_measured_against_the_cif_value_when_given():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30))
    presentation = Presentation(
        on_board_date=d(2026, 4, 1), invoice_amount=D(100), cif_value=D(90), insurance_amount=D(99)
    )
    assert examine_presentation(credit, presentation, WEEKENDS).complying


def test_shipment_after_expiry_without_latest_shipment_date_is_late():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 30))
    result = examine_presentation(credit, Presentation(on_board_date=d(2026, 5, 2)), WEEKENDS)
    assert DiscrepancyCode.LATE_SHIPMENT in codes(result)


def test_review_warns_about_expiry_abroad_and_a_short_window():
    credit = LetterOfCredit(
        expiry_date=d(2026, 4, 20), latest_shipment_date=d(2026, 4, 10), expiry_country="US"
    )
    warnings = review_credit_terms(credit)
    assert "ask for expiry in China" in warnings[0]
    assert "only 10 days" in warnings[1]


def test_latest_shipment_after_expiry_is_warned():
    credit = LetterOfCredit(expiry_date=d(2026, 4, 20), latest_shipment_date=d(2026, 4, 25))
    assert "after expiry" in review_credit_terms(credit)[0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"issue_date": d(2026, 5, 1)}, "expiry_date"),
        (
            {"issue_date": d(2026, 3, 1), "latest_shipment_date": d(2026, 2, 1)},
            "latest_shipment_date",
        ),
        ({"presentation_period_days": 0}, "presentation_period_days"),
        ({"presentation_period_days": 1000}, "presentation_period_days"),
        ({"amount": D(-5)}, "amount"),
        ({"amount": D(0)}, "amount"),
        ({"amount_tolerance_percent": D(80)}, "amount_tolerance_percent"),
        ({"expiry_country": "Narnia"}, "expiry_country"),
        ({"insurance_cover_percent": D(90)}, "insurance_cover_percent"),
    ],
)
def test_contradictory_credit_terms_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(LetterOfCreditError) as error:
        LetterOfCredit(expiry_date=d(2026, 4, 30), **kwargs)
    assert error.value.field == field


def test_presentation_before_shipment_is_impossible():
    with pytest.raises(LetterOfCreditError) as error:
        Presentation(on_board_date=d(2026, 4, 10), presentation_date=d(2026, 4, 1))
    assert error.value.field == "presentation_date"


@pytest.mark.parametrize("bad", ["2026-04-30", dt.datetime(2026, 4, 30), None])
def test_dates_must_be_dates(bad):
    with pytest.raises(TypeError):
        LetterOfCredit(expiry_date=bad)


def test_float_amounts_are_refused():
    with pytest.raises(TypeError):
        LetterOfCredit(expiry_date=d(2026, 4, 30), amount=100.0)


def test_zero_shipments_is_refused():
    with pytest.raises(LetterOfCreditError) as error:
        Presentation(on_board_date=d(2026, 4, 1), shipments=0)
    assert error.value.field == "shipments"
