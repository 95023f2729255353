"""First-reply deadlines in working hours: pure arithmetic, no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tradewind.core.errors import DomainError
from tradewind.quotes.workhours import country_of_zone, response_due
from tradewind.trade.calendars import BusinessCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def local(zone, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


def due(received, hours=8, zone="Asia/Shanghai", country="CN", start=9, end=18):
    return response_due(received, hours, zone=zone, start_hour=start, end_hour=end, country=country)


def test_hours_inside_one_working_day_are_added_directly():
    assert due(local(SHANGHAI, 2025, 3, 4, 9, 30), 4) == local(SHANGHAI, 2025, 3, 4, 13, 30)


def test_the_result_is_utc():
    result = due(local(SHANGHAI, 2025, 3, 4, 9, 0), 1)
    assert result.utcoffset() == dt.timedelta(0)
    assert result == dt.datetime(2025, 3, 4, 2, 0, tzinfo=dt.UTC)


def test_what_does_not_fit_today_continues_next_working_morning():
    # Tuesday 15:00 + 8 h: 3 h today, 5 h from 09:00 on Wednesday.
    assert due(local(SHANGHAI, 2025, 3, 4, 15, 0)) == local(SHANGHAI, 2025, 3, 5, 14, 0)


def test_friday_evening_waits_for_monday():
    # Friday 17:00: 1 h on Friday, then the weekend, then 7 h on Monday.
    assert due(local(SHANGHAI, 2025, 3, 7, 17, 0)) == local(SHANGHAI, 2025, 3, 10, 16, 0)


def test_received_in_the_evening_starts_the_next_morning():
    assert due(local(SHANGHAI, 2025, 3, 4, 21, 45)) == local(SHANGHAI, 2025, 3, 5, 17, 0)


def test_received_before_the_day_starts_counts_from_the_start():
    assert due(local(SHANGHAI, 2025, 3, 4, 6, 0), 2) == local(SHANGHAI, 2025, 3, 4, 11, 0)


def test_received_on_a_sunday_starts_on_monday():
    assert due(local(SHANGHAI, 2025, 3, 9, 11, 0), 3) == local(SHANGHAI, 2025, 3, 10, 12, 0)


def test_a_deadline_exactly_at_closing_time_stays_on_that_day():
    assert due(local(SHANGHAI, 2025, 3, 4, 10, 0)) == local(SHANGHAI, 2025, 3, 4, 18, 0)


def test_chinese_public_holidays_are_skipped():
    # National Day 2025: 1–8 October are off; 30 September 17:00 + 8 h → 9 October 16:00.
    assert due(local(SHANGHAI, 2025, 9, 30, 17, 0)) == local(SHANGHAI, 2025, 10, 9, 16, 0)


def test_chinese_make_up_working_days_count():
    # Saturday 11 October 2025 is a make-up working day (调休) in China.
    assert due(local(SHANGHAI, 2025, 10, 10, 17, 0)) == local(SHANGHAI, 2025, 10, 11, 16, 0)


def test_the_handlers_country_decides_the_holidays():
    # 3 October is German Unity Day (a Friday in 2025); in the US it is an ordinary Friday.
    received = local(BERLIN, 2025, 10, 2, 17, 0)
    german = due(received, zone="Europe/Berlin", country="DE")
    american = due(received, zone="Europe/Berlin", country="US")
    assert german == local(BERLIN, 2025, 10, 6, 16, 0)
    assert american == local(BERLIN, 2025, 10, 3, 16, 0)


def test_a_dst_change_over_the_weekend_keeps_wall_clock_hours():
    # Berlin moves to summer time on Sunday 30 March 2025: Monday 16:00 is CEST (UTC+2).
    result = due(local(BERLIN, 2025, 3, 28, 17, 0), zone="Europe/Berlin", country="DE")
    assert result == local(BERLIN, 2025, 3, 31, 16, 0)
    assert result == dt.datetime(2025, 3, 31, 14, 0, tzinfo=dt.UTC)


def test_a_window_spanning_the_dst_change_counts_real_hours():
    # Israel works on Sundays; winter time starts on Sunday 26 October 2025, a 25-hour day.
    received = local(ZoneInfo("Asia/Jerusalem"), 2025, 10, 26, 0, 0)
    result = due(received, 24, zone="Asia/Jerusalem", country="IL", start=0, end=24)
    assert result.astimezone(ZoneInfo("Asia/Jerusalem")) == local(
        ZoneInfo("Asia/Jerusalem"), 2025, 10, 26, 23, 0
    )


def test_zero_hours_is_the_next_working_moment():
    inside = local(SHANGHAI, 2025, 3, 4, 10, 0)
    assert due(inside, 0) == inside
    assert due(local(SHANGHAI, 2025, 3, 7, 19, 0), 0) == local(SHANGHAI, 2025, 3, 10, 9, 0)


def test_the_received_time_in_another_zone_is_converted_first():
    # 01:00 UTC on Tuesday is 09:00 in Shanghai.
    received = dt.datetime(2025, 3, 4, 1, 0, tzinfo=dt.UTC)
    assert due(received, 2) == local(SHANGHAI, 2025, 3, 4, 11, 0)


def test_a_custom_calendar_can_replace_the_country():
    closed = BusinessCalendar(holidays={dt.date(2025, 3, 5): "Stocktaking"})
    result = response_due(local(SHANGHAI, 2025, 3, 4, 17, 0), 2, zone=SHANGHAI, calendar=closed)
    assert result == local(SHANGHAI, 2025, 3, 6, 10, 0)


def test_a_long_deadline_spans_several_days():
    # 40 h of 9 h days from Monday 09:00: four full days (36 h), 4 h on Friday.
    assert due(local(SHANGHAI, 2025, 3, 3, 9, 0), 40) == local(SHANGHAI, 2025, 3, 7, 13, 0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"received": dt.datetime(2025, 3, 4, 9, 0)}, "received_at"),
        ({"hours": -1}, "hours"),
        ({"start": 18, "end": 9}, "working_day_start"),
        ({"start": 9, "end": 25}, "working_day_start"),
        ({"zone": "Mars/Olympus"}, "time_zone"),
        ({"country": "XX"}, "country"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(kwargs, field):
    arguments = {"received": local(SHANGHAI, 2025, 3, 4, 9, 0)} | kwargs
    with pytest.raises(DomainError) as caught:
        due(arguments.pop("received"), **arguments)
    assert caught.value.field == field


def test_the_handlers_country_comes_from_their_zone():
    assert country_of_zone("Asia/Shanghai") == "CN"
    assert country_of_zone("Europe/Berlin") == "DE"
    assert country_of_zone("Asia/Chongqing") == "CN"  # an alias
    assert country_of_zone("UTC") == "CN"
    assert country_of_zone("") == "CN"
