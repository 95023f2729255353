""" "Good time to call now?" at the buyer's local time, weekend and holidays (a given now)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from tradewind.outreach.callhint import (
    AFTER_HOURS,
    EARLY,
    GOOD,
    HOLIDAY,
    LUNCH,
    WEEKEND,
    call_hint,
)

BERLIN = ZoneInfo("Europe/Berlin")


def at_berlin(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_weekday_morning_in_berlin_is_a_good_time_to_call():
    hint = call_hint(now=at_berlin(2026, 3, 3, 9, 40), time_zone="Europe/Berlin", country="DE")
    assert hint.verdict == GOOD and hint.is_good
    assert hint.message == "09:40 in Berlin — a good time to call"
    assert hint.next_call is None


def test_late_evening_is_after_hours_and_points_to_tomorrow_morning():
    hint = call_hint(now=at_berlin(2026, 3, 3, 22, 10), time_zone="Europe/Berlin", country="DE")
    assert hint.verdict == AFTER_HOURS
    assert hint.message == "22:10 in Berlin — after hours; call tomorrow from 09:00"
    assert hint.next_call == dt.datetime(2026, 3, 4, 9, 0, tzinfo=BERLIN)


def test_friday_evening_points_to_monday():
    hint = call_hint(now=at_berlin(2026, 3, 6, 18, 0), time_zone="Europe/Berlin", country="DE")
    assert hint.advice == "after hours; call Monday from 09:00"


def test_saturday_is_the_weekend():
    hint = call_hint(now=at_berlin(2026, 3, 7, 11, 0), time_zone="Europe/Berlin", country="DE")
    assert hint.verdict == WEEKEND
    assert hint.message == "Saturday in Berlin — weekend; call Monday from 09:00"


def test_early_morning_and_lunch_say_when_to_call():
    early = call_hint(now=at_berlin(2026, 3, 3, 7, 45), time_zone="Europe/Berlin", country="DE")
    lunch = call_hint(now=at_berlin(2026, 3, 3, 12, 30), time_zone="Europe/Berlin", country="DE")
    assert (early.verdict, early.advice) == (EARLY, "too early; call from 09:00")
    assert (lunch.verdict, lunch.advice) == (LUNCH, "lunch time; call from 13:30")


def test_a_public_holiday_is_named_and_skipped():
    # Good Friday and Easter Monday 2026 are holidays in Germany.
    hint = call_hint(now=at_berlin(2026, 4, 3, 10, 0), time_zone="Europe/Berlin", country="DE")
    assert hint.verdict == HOLIDAY
    assert hint.holiday == "Good Friday"
    assert hint.advice == "public holiday (Good Friday); call Tuesday from 09:00"
    assert hint.next_call.date() == dt.date(2026, 4, 7)


def test_the_working_week_of_the_buyers_country_counts():
    riyadh = ZoneInfo("Asia/Riyadh")
    friday = dt.datetime(2026, 3, 6, 10, 0, tzinfo=riyadh)
    sunday = dt.datetime(2026, 3, 8, 10, 0, tzinfo=riyadh)
    assert call_hint(now=friday, time_zone="Asia/Riyadh", country="SA").verdict == WEEKEND
    assert call_hint(now=sunday, time_zone="Asia/Riyadh", country="SA").verdict == GOOD


def test_the_same_moment_differs_by_the_buyers_zone():
    now = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, 21:00 in New York
    assert call_hint(now=now, time_zone="Asia/Shanghai", country="CN").is_good
    assert call_hint(now=now, time_zone="America/New_York", country="US").verdict == AFTER_HOURS


def test_a_long_closure_names_the_date_and_make_up_working_days_count():
    shanghai = ZoneInfo("Asia/Shanghai")
    # Spring Festival 2026 in China: closed Feb 15–23; Saturday Feb 14 is a make-up working day.
    festival = call_hint(
        now=dt.datetime(2026, 2, 16, 10, 0, tzinfo=shanghai),
        time_zone="Asia/Shanghai",
        country="CN",
    )
    assert festival.verdict == HOLIDAY
    assert festival.advice.endswith("call on February 24 from 09:00")
    friday_evening = call_hint(
        now=dt.datetime(2026, 2, 13, 19, 0, tzinfo=shanghai),
        time_zone="Asia/Shanghai",
        country="CN",
    )
    assert friday_evening.advice == "after hours; call tomorrow from 09:00"


def test_an_unknown_zone_gives_no_hint_and_a_zone_without_country_uses_a_plain_week():
    assert call_hint(now=at_berlin(2026, 3, 3, 10), time_zone="Mars/Olympus") is None
    assert call_hint(now=at_berlin(2026, 3, 3, 10), time_zone="") is None
    saturday = call_hint(now=at_berlin(2026, 3, 7, 10), time_zone="Europe/Berlin")
    assert saturday.verdict == WEEKEND
    christmas = call_hint(now=at_berlin(2026, 12, 25, 10), time_zone="Europe/Berlin", country="XX")
    assert christmas.verdict == GOOD  # an unknown country: no holidays, not an error


def test_the_hint_speaks_chinese_city_names_when_the_user_does():
    with translation.override("zh-hans"):
        hint = call_hint(now=at_berlin(2026, 3, 3, 9, 40), time_zone="Europe/Berlin", country="DE")
    assert hint.city == "柏林"


def test_the_template_tag_shows_the_local_time_and_the_hint(rf):
    class Buyer:
        country = "DE"

    html = Template("{% load outreach_hints %}{% buyer_clock company zone %}").render(
        Context({"company": Buyer(), "zone": "Europe/Berlin"})
    )
    assert "Local time" in html and "(Europe/Berlin)" in html
    assert 'data-verdict="' in html
    empty = Template("{% load outreach_hints %}{% buyer_clock company zone %}").render(
        Context({"company": Buyer(), "zone": "Nowhere/Land"})
    )
    assert empty.strip() == ""
