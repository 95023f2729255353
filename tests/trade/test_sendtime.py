"""The next moment to send to a buyer: their morning, their working day."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.trade.errors import SendTimeError
from tradewind.trade.sendtime import next_send_time, zone_for_country

UTC = dt.UTC


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_before_the_window_sends_at_the_window_opening():
    slot = next_send_time(now=at(2026, 3, 16, 5, 0), time_zone="Europe/Berlin")  # Monday
    assert slot.send_at_utc == at(2026, 3, 16, 8, 0)  # 09:00 CET
    assert slot.send_at_utc.tzinfo is UTC


def test_inside_the_window_sends_now():
    now = at(2026, 3, 16, 8, 30)
    assert next_send_time(now=now, time_zone="Europe/Berlin").send_at_utc == now


def test_after_the_window_sends_next_working_morning():
    slot = next_send_time(now=at(2026, 3, 13, 12, 0), time_zone="Europe/Berlin")  # Friday
    assert slot.send_at_utc == at(2026, 3, 16, 8, 0)
    assert [reason for _, reason in slot.skipped_days] == [
        "window already over",
        "Saturday",
        "Sunday",
    ]


def test_saudi_buyers_work_sunday_and_rest_friday_saturday():
    slot = next_send_time(now=at(2026, 4, 2, 12, 0), country="SA")  # Thursday afternoon
    assert slot.send_at_local.date() == dt.date(2026, 4, 5)  # Sunday
    assert slot.send_at_utc == at(2026, 4, 5, 6, 0)  # 09:00 Riyadh


def test_emirati_buyers_rest_saturday_sunday_since_2022():
    slot = next_send_time(now=at(2026, 4, 3, 12, 0), country="AE")  # Friday afternoon
    assert slot.send_at_local.date() == dt.date(2026, 4, 6)


def test_iranian_buyers_rest_friday_only():
    slot = next_send_time(now=at(2026, 5, 7, 12, 0), country="IR")  # Thursday afternoon
    assert slot.send_at_local.date() == dt.date(2026, 5, 9)  # Saturday


def test_public_holidays_are_skipped():
    slot = next_send_time(now=at(2026, 12, 24, 12, 0), country="DE")
    assert slot.send_at_local.date() == dt.date(2026, 12, 28)
    assert (dt.date(2026, 12, 25), "Christmas Day") in slot.skipped_days


def test_time_zone_wins_over_the_country_zone_but_country_keeps_holidays():
    slot = next_send_time(now=at(2026, 12, 25, 12, 0), country="US", time_zone="America/Chicago")
    assert slot.time_zone == "America/Chicago"
    assert slot.send_at_utc == at(2026, 12, 28, 15, 0)


def test_countries_with_several_zones_say_which_zone_was_used():
    zone, note = zone_for_country("US")
    assert zone == "America/New_York" and "set the buyer's zone" in note
    assert zone_for_country("DE") == ("Europe/Berlin", None)


def test_daylight_saving_is_respected():
    winter = next_send_time(now=at(2026, 1, 5, 0, 0), time_zone="America/New_York")
    summer = next_send_time(now=at(2026, 7, 6, 0, 0), time_zone="America/New_York")
    assert winter.send_at_utc.hour == 14 and summer.send_at_utc.hour == 13


def test_custom_window():
    slot = next_send_time(
        now=at(2026, 3, 16, 0, 0),
        time_zone="Asia/Tokyo",
        window_start=dt.time(14, 0),
        window_end=dt.time(15, 0),
    )
    assert slot.send_at_utc == at(2026, 3, 16, 5, 0)


def test_spread_gives_500_letters_500_different_seconds_inside_the_window():
    now = at(2026, 3, 16, 5, 0)
    slots = [
        next_send_time(now=now, time_zone="Europe/Berlin", spread_index=i, spread_count=500)
        for i in range(500)
    ]
    times = [slot.send_at_utc for slot in slots]
    assert len(set(times)) == 500
    assert min(times) == at(2026, 3, 16, 8, 0)
    assert max(times) < at(2026, 3, 16, 9, 30)
    again = next_send_time(now=now, time_zone="Europe/Berlin", spread_index=7, spread_count=500)
    assert again.send_at_utc == times[7]


@given(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    st.sampled_from(["SA", "DE", "US", "CN", "IR", "AE", "BR", "JP"]),
)
def test_send_time_is_never_before_now_and_inside_a_local_working_window(naive, country):
    now = naive.replace(tzinfo=UTC)
    slot = next_send_time(now=now, country=country)
    assert slot.send_at_utc >= now
    local = slot.send_at_local
    assert dt.time(9, 0) <= local.time() < dt.time(10, 30)


def test_naive_now_is_refused():
    with pytest.raises(SendTimeError) as error:
        next_send_time(now=dt.datetime(2026, 3, 16, 5, 0), time_zone="Europe/Berlin")
    assert error.value.field == "now"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "country"),
        ({"country": "XX"}, "country"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        (
            {"time_zone": "Europe/Berlin", "window_start": dt.time(11), "window_end": dt.time(9)},
            "window_end",
        ),
        ({"time_zone": "Europe/Berlin", "spread_index": 3}, "spread_count"),
        ({"time_zone": "Europe/Berlin", "spread_index": 5, "spread_count": 5}, "spread_index"),
        ({"time_zone": "Europe/Berlin", "weekend_days": {9}}, "weekend_days"),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(SendTimeError) as error:
        next_send_time(now=at(2026, 3, 16, 5, 0), **kwargs)
    assert error.value.field == field


def test_now_must_be_a_datetime():
    with pytest.raises(TypeError):
        next_send_time(now="2026-03-16T05:00Z", time_zone="Europe/Berlin")
