"""The next moment to send a letter to a buyer: their morning, their working day.

:func:`next_send_time` takes ``now`` (an aware datetime — the clock is never read here), the
buyer's country and/or IANA time zone, a local window (default 09:00–10:30) and returns an aware
UTC datetime inside the next window that falls on a working day of the buyer's country (its own
weekend — Friday–Saturday in much of the Middle East — and its public holidays from the
``holidays`` package; see :mod:`tradewind.trade.calendars`).

Judgement calls:

* A time zone, when given, wins over the country's; the country still supplies weekend and
  holidays. A buyer with only a time zone gets a Monday–Friday week without holidays (pass
  ``weekend_days`` / ``holidays`` to change that).
* Countries spanning several zones use :data:`PRIMARY_ZONE_BY_COUNTRY` (the business capital,
  e.g. US → America/New_York) with a note asking for the buyer's own zone; other countries use
  their only CLDR zone.
* Inside today's window the slot starts now; after it, at the next working day's opening.
* **Spread**: with ``spread_index`` / ``spread_count`` the slot moves to
  ``start + remaining_window × index / count`` (whole seconds), so a batch of 500 letters is
  spread evenly over the window, deterministically, and no two leave in the same second while
  the count does not exceed the window's seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

from tradewind.trade.calendars import (
    SAT_SUN,
    BusinessCalendar,
    country_calendar,
    normalise_country,
)
from tradewind.trade.checks import require_int
from tradewind.trade.errors import CalendarError, SendTimeError

DEFAULT_WINDOW_START = dt.time(9, 0)
DEFAULT_WINDOW_END = dt.time(10, 30)
MAX_DAYS_AHEAD = 60

#: Business-capital zone for countries with several zones. Edit to taste.
PRIMARY_ZONE_BY_COUNTRY: dict[str, str] = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


@dataclass(frozen=True)
class SendSlot:
    send_at_utc: dt.datetime
    send_at_local: dt.datetime
    time_zone: str
    country: str | None
    skipped_days: tuple[tuple[dt.date, str], ...]
    reasons: tuple[str, ...]


_OFFSET_PROBES = (
    dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC),
    dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC),
)


def _spans_several_offsets(zones: list[str]) -> bool:
    offsets = {
        tuple(probe.astimezone(ZoneInfo(z)).utcoffset() for probe in _OFFSET_PROBES) for z in zones
    }
    return len(offsets) > 1


def zone_for_country(country: str) -> tuple[str, str | None]:
    """The IANA zone to use for ``country``, and a note when its zones differ in UTC offset."""
    code = _country(country)
    zones = list(get_global("territory_zones").get(code, []))
    if not zones and code not in PRIMARY_ZONE_BY_COUNTRY:
        raise SendTimeError(
            f"country: no time zone is known for {code}; give the buyer's time zone",
            field="country",
        )
    zone = PRIMARY_ZONE_BY_COUNTRY.get(code, zones[0] if zones else "")
    if len(zones) > 1 and _spans_several_offsets(zones):
        return zone, f"{code} spans several time zones; using {zone} — set the buyer's zone"
    return zone, None


def _country(country: str) -> str:
    try:
        return normalise_country(country)
    except CalendarError as error:
        raise SendTimeError(error.message, field="country") from None


def _zone(name: str) -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise SendTimeError("time_zone: give an IANA zone such as Europe/Berlin", field="time_zone")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SendTimeError(
            f"time_zone: {name!r} is not an IANA time zone (e.g. Europe/Berlin, Asia/Riyadh)",
            field="time_zone",
        ) from None


def _calendar(country, weekend_days, holidays) -> BusinessCalendar:
    try:
        if country is not None:
            return country_calendar(country, weekend=weekend_days, extra_holidays=holidays)
        weekend = SAT_SUN if weekend_days is None else frozenset(weekend_days)
        return BusinessCalendar(weekend_days=weekend, holidays=dict(holidays or {}))
    except CalendarError as error:
        field = "weekend_days" if error.field == "weekend_days" else "country"
        raise SendTimeError(error.message, field=field) from None


def _check_now_and_window(now, window_start, window_end) -> None:
    if not isinstance(now, dt.datetime):
        raise TypeError(f"now: expected an aware datetime, got {type(now).__name__}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise SendTimeError(
            "now: give an aware datetime (with a time zone), e.g. in UTC", field="now"
        )
    for name, value in (("window_start", window_start), ("window_end", window_end)):
        if not isinstance(value, dt.time) or value.tzinfo is not None:
            raise TypeError(f"{name}: expected a naive datetime.time (buyer's local time)")
    if window_end <= window_start:
        raise SendTimeError(
            f"window_end {window_end} must be after window_start {window_start} (same day)",
            field="window_end",
        )


def next_send_time(
    *,
    now: dt.datetime,
    country: str | None = None,
    time_zone: str | None = None,
    window_start: dt.time = DEFAULT_WINDOW_START,
    window_end: dt.time = DEFAULT_WINDOW_END,
    weekend_days: Iterable[int] | None = None,
    holidays: Mapping[dt.date, str] | None = None,
    spread_index: int | None = None,
    spread_count: int | None = None,
) -> SendSlot:
    """The next send moment in the buyer's local window on a working day, as aware UTC."""
    _check_now_and_window(now, window_start, window_end)
    reasons: list[str] = []
    if time_zone is not None:
        zone_name = time_zone.strip()
    elif country is not None:
        zone_name, note = zone_for_country(country)
        if note:
            reasons.append(note)
    else:
        raise SendTimeError("country: give the buyer's country or time zone", field="country")
    zone = _zone(zone_name)
    code = _country(country) if country is not None else None
    calendar = _calendar(code, weekend_days, holidays)
    if code is None and holidays is None:
        reasons.append("no country: weekend only, no public holidays")
    index, count = _spread(spread_index, spread_count)
    local_now = now.astimezone(zone)
    day = local_now.date()
    skipped: list[tuple[dt.date, str]] = []
    for _ in range(MAX_DAYS_AHEAD):
        try:
            day, closed = calendar.next_open_day(day)
        except CalendarError as error:
            raise SendTimeError(error.message, field="holidays") from None
        skipped.extend(closed)
        start = dt.datetime.combine(day, window_start, tzinfo=zone)
        end = dt.datetime.combine(day, window_end, tzinfo=zone)
        if local_now < end:
            break
        skipped.append((day, "window already over"))
        day += dt.timedelta(days=1)
    else:  # pragma: no cover - a 60-day closure is refused by the calendar first
        raise SendTimeError("holidays: no working day in the next 60 days", field="holidays")
    effective = max(start, local_now)
    reasons.append(
        f"{zone_name}, window {window_start:%H:%M}–{window_end:%H:%M}, {calendar.name}"
        + (": inside the window now" if effective == local_now else "")
    )
    if count:
        remaining = int((end - effective).total_seconds())
        effective += dt.timedelta(seconds=remaining * index // count)
        reasons.append(f"spread: letter {index + 1} of {count} over {remaining} s")
    reasons.extend(f"{d} skipped: {why}" for d, why in skipped)
    return SendSlot(
        send_at_utc=effective.astimezone(dt.UTC),
        send_at_local=effective,
        time_zone=zone_name,
        country=code,
        skipped_days=tuple(skipped),
        reasons=tuple(reasons),
    )


def _spread(index: int | None, count: int | None) -> tuple[int, int]:
    if index is None and count is None:
        return 0, 0
    if index is None or count is None:
        raise SendTimeError(
            "spread_count: give both spread_index and spread_count, or neither",
            field="spread_count",
        )
    require_int(count, field="spread_count", error=SendTimeError, minimum=1, maximum=1_000_000)
    require_int(index, field="spread_index", error=SendTimeError, minimum=0, maximum=count - 1)
    return index, count
