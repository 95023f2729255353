"""Working weeks and business calendars."""

import datetime as dt

import pytest

from tradewind.trade.calendars import (
    FRI_SAT,
    SAT_SUN,
    BusinessCalendar,
    country_calendar,
    weekend_days,
)
from tradewind.trade.errors import CalendarError


@pytest.mark.parametrize(
    ("country", "weekend"),
    [
        ("SA", FRI_SAT),
        ("QA", FRI_SAT),
        ("IL", FRI_SAT),
        ("EG", FRI_SAT),
        ("IR", frozenset({4})),
        ("AE", SAT_SUN),
        ("DE", SAT_SUN),
        (None, SAT_SUN),
    ],
)
def test_each_country_has_its_working_week(country, weekend):
    assert weekend_days(country) == weekend


def test_plain_calendar_is_closed_on_saturday_and_sunday_only():
    calendar = BusinessCalendar()
    assert calendar.closure_reason(dt.date(2026, 3, 14)) == "Saturday"
    assert calendar.is_open(dt.date(2026, 3, 16))


def test_next_open_day_skips_the_weekend_and_says_why():
    day, skipped = BusinessCalendar().next_open_day(dt.date(2026, 3, 14))
    assert day == dt.date(2026, 3, 16)
    assert [reason for _, reason in skipped] == ["Saturday", "Sunday"]


def test_chinese_calendar_closes_on_national_day_and_opens_on_make_up_saturdays():
    calendar = country_calendar("CN")
    assert calendar.closure_reason(dt.date(2026, 10, 1)) == "National Day"
    assert calendar.is_open(dt.date(2026, 2, 14))  # 调休: Saturday working day


def test_own_holidays_can_be_added():
    calendar = country_calendar("CN", extra_holidays={dt.date(2026, 3, 16): "Bank closed"})
    assert calendar.closure_reason(dt.date(2026, 3, 16)) == "Bank closed"
    assert calendar.closure_reason(dt.date(2026, 10, 1)) == "National Day"


def test_weekend_can_be_overridden():
    calendar = country_calendar("SA", weekend={6})
    assert calendar.is_open(dt.date(2026, 4, 10))  # a Friday


@pytest.mark.parametrize("code", ["XX", "CHN", ""])
def test_unknown_country_is_refused(code):
    with pytest.raises(CalendarError) as error:
        country_calendar(code)
    assert error.value.field == "country"


@pytest.mark.parametrize("weekend", [{7}, set(range(7)), {True}])
def test_impossible_weekends_are_refused(weekend):
    with pytest.raises(CalendarError):
        BusinessCalendar(weekend_days=frozenset(weekend))


def test_a_calendar_closed_for_months_is_refused():
    closed = {dt.date(2026, 1, 1) + dt.timedelta(days=n): "closed" for n in range(90)}
    with pytest.raises(CalendarError):
        BusinessCalendar(holidays=closed).next_open_day(dt.date(2026, 1, 1))


def test_datetime_is_not_a_day():
    with pytest.raises(TypeError):
        BusinessCalendar().closure_reason("2026-03-14")
