"""Working-hours arithmetic for the first reply to an inquiry (pure: no database, no clock).

``response_due`` adds N working hours to the moment an inquiry arrived, counting only the
working window (``start_hour`` to ``end_hour`` on the handler's wall clock) on the handler's
working days: their country's weekend and public holidays are skipped, China's make-up working
days (调休) count (``tradewind.trade.calendars``).

Judgement calls:

* Hours are real elapsed hours inside the window, so a window that spans a DST change (only
  possible with a window reaching midnight) is an hour longer or shorter that day.
* Received outside the window (evening, weekend, holiday): the clock starts at the next window.
* Zero hours: due at the next working moment (now, when inside the window).
* The handler's country is read from their time zone (Asia/Shanghai → CN); a zone that names no
  country (UTC) falls back to China, where the workspace is.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from babel.core import get_global

from tradewind.core.errors import DomainError
from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import TradeError

DEFAULT_COUNTRY = "CN"
MAX_DAYS = 400  # a year of closures and then some: beyond this the calendar is broken
UTC = dt.UTC


@functools.lru_cache(maxsize=64)
def calendar_for(country: str | None) -> BusinessCalendar:
    """The country's working calendar (weekend + public holidays), cached per country."""
    return country_calendar(country or None)


def country_of_zone(zone_name: str, default: str = DEFAULT_COUNTRY) -> str:
    """The ISO country of an IANA zone (Europe/Berlin → DE), else ``default``."""
    territories = get_global("zone_territories")
    name = zone_name or ""
    aliases = get_global("zone_aliases")
    code = territories.get(name) or territories.get(aliases.get(name, "")) or ""
    return code if len(code) == 2 and code != "ZZ" else default  # ZZ: "unknown region"


def _zone(zone) -> zoneinfo.ZoneInfo:
    if isinstance(zone, dt.tzinfo):
        return zone
    try:
        return zoneinfo.ZoneInfo(str(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(f"{zone!r} is not a time zone name.", field="time_zone") from exc


def _check(received_at: dt.datetime, hours, start_hour: int, end_hour: int) -> None:
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise DomainError("received_at must be an aware datetime.", field="received_at")
    if hours is None or hours < 0:
        raise DomainError("The reply time must be zero or more working hours.", field="hours")
    if not (0 <= start_hour < end_hour <= 24):
        raise DomainError(
            "The working day must start before it ends, between 0 and 24 h.",
            field="working_day_start",
        )


def _window(day: dt.date, zone, start_hour: int, end_hour: int) -> tuple[dt.datetime, dt.datetime]:
    """The day's working window as UTC instants (end hour 24 is the next midnight)."""
    start = dt.datetime.combine(day, dt.time(start_hour), tzinfo=zone)
    if end_hour == 24:
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    else:
        end = dt.datetime.combine(day, dt.time(end_hour), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def response_due(
    received_at: dt.datetime,
    hours,
    *,
    zone,
    start_hour: int = 9,
    end_hour: int = 18,
    country: str | None = DEFAULT_COUNTRY,
    calendar: BusinessCalendar | None = None,
) -> dt.datetime:
    """``received_at`` plus ``hours`` working hours, as an aware UTC datetime.

    ``zone`` is the handler's time zone (name or tzinfo), ``country`` their country for weekend
    and public holidays (``None``: Saturday–Sunday, no holidays); ``calendar`` overrides both.
    """
    _check(received_at, hours, start_hour, end_hour)
    tz = _zone(zone)
    try:
        cal = calendar or calendar_for(country)
    except TradeError as exc:
        raise DomainError(str(exc), field="country") from exc
    remaining = dt.timedelta(hours=hours)
    cursor = received_at.astimezone(UTC)
    day = cursor.astimezone(tz).date()
    for _ in range(MAX_DAYS):
        if cal.is_open(day):
            window_start, window_end = _window(day, tz, start_hour, end_hour)
            begin = max(cursor, window_start)
            if begin < window_end or (begin == window_end and not remaining):
                available = window_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += dt.timedelta(days=1)
    raise DomainError(
        f"No working time found within {MAX_DAYS} days; check the working calendar.",
        field="country",
    )
