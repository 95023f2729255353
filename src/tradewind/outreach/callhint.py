""" "Good time to call now?" — the buyer's local time judged against their working day.

:func:`call_hint` takes ``now`` (aware; the clock is read by the caller), the buyer's IANA zone
and their country, and says e.g. "09:40 in Berlin — a good time to call", "22:10 in Berlin —
after hours; call tomorrow from 09:00", "Saturday in Berlin — weekend; call Monday from 09:00".

Judgement calls:
- Calling hours are 09:00–17:30 local, with a lunch break 12:00–13:30 when a cold call is
  unwelcome; the same for every country (office hours vary less than lunch habits, and the rep
  can still call).
- Closed days are the country's weekend (Friday–Saturday in much of the Middle East) and public
  holidays (``tradewind.trade.calendars``); a buyer known only by zone gets Saturday–Sunday.
- "Call tomorrow / Monday / on 2 Jan from 09:00" names the next working day of the buyer.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tradewind.outreach.buyer_time import city_of
from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import TradeError

CALLS_FROM = dt.time(9, 0)
LUNCH_FROM = dt.time(12, 0)
LUNCH_UNTIL = dt.time(13, 30)
CALLS_UNTIL = dt.time(17, 30)
WEEKDAY_NAMES_WITHIN_DAYS = 6

GOOD, EARLY, LUNCH, AFTER_HOURS, WEEKEND, HOLIDAY = (
    "good",
    "early",
    "lunch",
    "after_hours",
    "weekend",
    "holiday",
)


@dataclass(frozen=True)
class CallHint:
    local: dt.datetime  # now, in the buyer's zone
    zone: str
    city: str
    verdict: str  # GOOD, EARLY, LUNCH, AFTER_HOURS, WEEKEND or HOLIDAY
    holiday: str  # the holiday's name when verdict is HOLIDAY
    next_call: dt.datetime | None  # local; None when it is a good time now

    @property
    def is_good(self) -> bool:
        return self.verdict == GOOD

    @property
    def advice(self) -> str:
        """The verdict and what to do, e.g. "after hours; call tomorrow from 09:00"."""
        if self.verdict == GOOD:
            return _("a good time to call")
        when = {"day": self._day_words(), "time": f"{self.next_call:%H:%M}"}
        if self.verdict == EARLY:
            return _("too early; call from %(time)s") % when
        if self.verdict == LUNCH:
            return _("lunch time; call from %(time)s") % when
        if self.verdict == AFTER_HOURS:
            return _("after hours; call %(day)s from %(time)s") % when
        if self.verdict == WEEKEND:
            return _("weekend; call %(day)s from %(time)s") % when
        return _("public holiday (%(holiday)s); call %(day)s from %(time)s") % {
            **when,
            "holiday": self.holiday,
        }

    @property
    def message(self) -> str:
        """The whole sentence: "22:10 in Berlin — after hours; call tomorrow from 09:00"."""
        if self.verdict in (WEEKEND, HOLIDAY):
            moment = str(WEEKDAYS[self.local.weekday()])
        else:
            moment = f"{self.local:%H:%M}"
        return _("%(moment)s in %(city)s — %(advice)s") % {
            "moment": moment,
            "city": self.city,
            "advice": self.advice,
        }

    def _day_words(self) -> str:
        if self.next_call is None:
            return ""
        days_ahead = (self.next_call.date() - self.local.date()).days
        if days_ahead == 1:
            return _("tomorrow")
        if days_ahead <= WEEKDAY_NAMES_WITHIN_DAYS:
            return str(WEEKDAYS[self.next_call.weekday()])
        return _("on %(date)s") % {"date": formats.date_format(self.next_call, "MONTH_DAY_FORMAT")}


def _calendar(country: str | None) -> BusinessCalendar:
    try:
        return country_calendar(country or None)
    except TradeError:
        return country_calendar(None)


def _next_working_morning(calendar: BusinessCalendar, day: dt.date, zone) -> dt.datetime:
    open_day, _skipped = calendar.next_open_day(day)
    return dt.datetime.combine(open_day, CALLS_FROM, tzinfo=zone)


def call_hint(*, now: dt.datetime, time_zone: str, country: str | None = None) -> CallHint | None:
    """Whether ``now`` is a good moment to call a buyer in ``time_zone`` (and ``country``);
    None when the zone is unknown."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None
    local = now.astimezone(zone)
    calendar = _calendar(country)
    closed = calendar.closure_reason(local.date())
    today, clock = local.date(), local.time()
    holiday = ""
    if closed is not None:
        is_weekend = local.weekday() in calendar.weekend_days
        verdict, holiday = (WEEKEND, "") if is_weekend else (HOLIDAY, closed)
        next_call = _next_working_morning(calendar, today + dt.timedelta(days=1), zone)
    elif clock < CALLS_FROM:
        verdict, next_call = EARLY, dt.datetime.combine(today, CALLS_FROM, tzinfo=zone)
    elif LUNCH_FROM <= clock < LUNCH_UNTIL:
        verdict, next_call = LUNCH, dt.datetime.combine(today, LUNCH_UNTIL, tzinfo=zone)
    elif clock >= CALLS_UNTIL:
        verdict = AFTER_HOURS
        next_call = _next_working_morning(calendar, today + dt.timedelta(days=1), zone)
    else:
        verdict, next_call = GOOD, None
    return CallHint(
        local=local,
        zone=time_zone,
        city=city_of(time_zone, get_language() or "en"),
        verdict=verdict,
        holiday=holiday,
        next_call=next_call,
    )
