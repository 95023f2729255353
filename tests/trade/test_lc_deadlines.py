"""The dates to watch on an open L/C, and which reminder a day owes."""

import datetime as dt

import pytest

from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import LetterOfCreditError
from tradewind.trade.lc import LetterOfCredit
from tradewind.trade.lc_deadlines import (
    Deadline,
    DeadlineKind,
    check_reminder_days,
    credit_deadlines,
    reminders_due,
)

d = dt.date
WEEKENDS = BusinessCalendar()


def by_kind(result):
    return {deadline.kind: deadline.date for deadline in result.deadlines}


def test_before_shipment_the_presentation_day_assumes_the_latest_shipment_date():
    credit = LetterOfCredit(
        expiry_date=d(2026, 5, 16), latest_shipment_date=d(2026, 5, 1), presentation_period_days=15
    )
    result = credit_deadlines(credit, country_calendar("CN"))
    assert by_kind(result) == {
        DeadlineKind.LATEST_SHIPMENT: d(2026, 5, 1),
        # 1 May + 15 = Sat 16 May; expiry Sat 16 May → next banking day Mon 18 May
        DeadlineKind.LAST_PRESENTATION: d(2026, 5, 18),
        DeadlineKind.EXPIRY: d(2026, 5, 16),
    }
    assert not result.shipped
    expiry = next(x for x in result.deadlines if x.kind == DeadlineKind.EXPIRY)
    assert "2026-05-18" in expiry.note


def test_once_shipped_the_period_counts_from_the_on_board_date_and_shipment_drops_out():
    credit = LetterOfCredit(expiry_date=d(2026, 5, 29), latest_shipment_date=d(2026, 5, 1))
    result = credit_deadlines(credit, WEEKENDS, on_board_date=d(2026, 4, 20))
    assert by_kind(result) == {
        DeadlineKind.LAST_PRESENTATION: d(2026, 5, 11),  # 20 Apr + 21 = Mon 11 May
        DeadlineKind.EXPIRY: d(2026, 5, 29),
    }
    assert result.shipped and result.assumes_shipment_on == d(2026, 4, 20)


def test_national_day_moves_the_last_presentation_day_but_never_the_latest_shipment():
    credit = LetterOfCredit(expiry_date=d(2026, 10, 3), latest_shipment_date=d(2026, 9, 30))
    result = credit_deadlines(credit, country_calendar("CN"))
    assert by_kind(result)[DeadlineKind.LATEST_SHIPMENT] == d(2026, 9, 30)
    assert by_kind(result)[DeadlineKind.LAST_PRESENTATION] == d(2026, 10, 8)
    assert (d(2026, 10, 3), "National Day") in result.dates.closed_days


def test_without_a_latest_shipment_date_expiry_sets_the_pace():
    result = credit_deadlines(LetterOfCredit(expiry_date=d(2026, 6, 30)), WEEKENDS)
    assert [x.kind for x in result.deadlines] == [
        DeadlineKind.LAST_PRESENTATION,
        DeadlineKind.EXPIRY,
    ]


DEADLINE = Deadline(DeadlineKind.EXPIRY, d(2026, 5, 16), "")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (d(2026, 5, 8), None),  # 8 days ahead: nothing yet
        (d(2026, 5, 9), (7, 7)),
        (d(2026, 5, 11), (7, 5)),  # missed the 7th day: sent late rather than never
        (d(2026, 5, 14), (2, 2)),
        (d(2026, 5, 16), (2, 0)),
        (d(2026, 5, 17), None),  # past
    ],
)
def test_each_deadline_owes_the_nearest_reminder_once_its_window_opens(today, expected):
    due = reminders_due([DEADLINE], today)
    if expected is None:
        assert due == ()
    else:
        assert [(r.days_before, r.days_left) for r in due] == [expected]
        assert due[0].deadline == d(2026, 5, 16)


def test_reminder_days_are_configurable():
    assert [r.days_before for r in reminders_due([DEADLINE], d(2026, 5, 2), (14, 3))] == [14]


@pytest.mark.parametrize("days", [(), (0,), (7, 7), (91,), ("7",), (True,)])
def test_bad_reminder_days_are_refused(days):
    with pytest.raises(LetterOfCreditError) as caught:
        check_reminder_days(days)
    assert caught.value.field == "reminder_days"
