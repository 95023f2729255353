"""The buyer's clock for outreach: their zone, their working days, their morning send window.

Letters and sequence steps are scheduled with :func:`tradewind.trade.sendtime.next_send_time`
(09:00–10:30 in the buyer's local time, on a working day of the buyer's country: its own weekend,
e.g. Friday–Saturday in Saudi Arabia, and its public holidays). Delays between sequence steps
are counted in the same working days (:func:`add_working_days`).

Judgement calls:

* The buyer's zone is the company's time zone when set, else its country's main zone, else the
  zone of a contact's phone number (``customers.geo.buyer_time_zone``). The country, when
  known, always supplies the weekend and the holidays; a buyer known only by a zone gets a
  Saturday–Sunday week without holidays.
* A buyer with neither country nor zone cannot be scheduled "at their good time": the rep is
  asked to set one, or to send now / at a chosen time.
* Spread: a batch (a sequence step for 500 contacts) passes ``spread_key`` (a stable id); the
  slot moves by ``key mod 600`` six-hundredths of the rest of the window, so letters leave at
  different seconds, and the same letter always lands on the same slot (deterministic).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from babel.dates import get_timezone_location
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.customers import geo
from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import TradeError
from tradewind.trade.sendtime import (
    DEFAULT_WINDOW_START,
    SendSlot,
    next_send_time,
)

SPREAD_SLOTS = 600
MAX_DELAY_WORKING_DAYS = 60


@dataclass(frozen=True)
class BuyerClock:
    country: str | None
    zone_name: str

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)


def buyer_clock(company, contacts=None) -> BuyerClock:
    """The buyer's country and zone; DomainError when Tradewind cannot tell their morning."""
    if contacts is None:  # the phones are only asked when neither zone nor country is set
        contacts = () if company.time_zone or company.country else list(company.contacts.all())
    zone = geo.buyer_time_zone(company, contacts)
    if not _is_zone(zone):
        raise DomainError(
            _(
                "Tradewind does not know %(name)s's country or time zone — set one on the "
                "customer, or send now or at a time you choose."
            )
            % {"name": company.name},
            field="when",
            code="no_buyer_zone",
        )
    return BuyerClock(country=company.country or None, zone_name=zone)


def _is_zone(name: str) -> bool:
    try:
        return bool(name) and zoneinfo.ZoneInfo(name) is not None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False


def buyer_calendar(clock: BuyerClock) -> BusinessCalendar:
    return _calendar_of(clock.country)


@functools.lru_cache(maxsize=256)
def _calendar_of(country: str | None) -> BusinessCalendar:
    """One calendar per country and process (its holidays load year by year, once)."""
    try:
        return country_calendar(country)
    except TradeError:
        return country_calendar(None)


def send_slot(clock: BuyerClock, *, now: dt.datetime, spread_key: int | None = None) -> SendSlot:
    """The next moment in the buyer's morning window on one of their working days."""
    spread = {}
    if spread_key is not None:
        spread = {"spread_index": spread_key % SPREAD_SLOTS, "spread_count": SPREAD_SLOTS}
    try:
        return next_send_time(now=now, country=clock.country, time_zone=clock.zone_name, **spread)
    except TradeError as exc:
        raise DomainError(exc.message, field="when") from None


def add_working_days(clock: BuyerClock, start: dt.date, days: int) -> dt.date:
    """``days`` working days of the buyer after ``start`` (0: ``start`` or the next open day)."""
    if not 0 <= days <= MAX_DELAY_WORKING_DAYS:
        raise DomainError(
            _("A delay is 0 to %(max)s working days.") % {"max": MAX_DELAY_WORKING_DAYS},
            field="delay_working_days",
        )
    calendar = buyer_calendar(clock)
    day, _skipped = calendar.next_open_day(start)
    for _step in range(days):
        day, _skipped = calendar.next_open_day(day + dt.timedelta(days=1))
    return day


def window_opening(clock: BuyerClock, day: dt.date) -> dt.datetime:
    """The start of the send window on ``day`` in the buyer's zone, as an aware datetime."""
    return dt.datetime.combine(day, DEFAULT_WINDOW_START, tzinfo=clock.zone)


@dataclass(frozen=True)
class DualTime:
    """One moment in the buyer's zone and in the rep's, e.g. "Tue 09:12 in Berlin · 16:12"."""

    buyer: dt.datetime
    mine: dt.datetime
    city: str
    buyer_zone: str
    my_zone: str

    @property
    def same_day(self) -> bool:
        return self.buyer.date() == self.mine.date()

    @property
    def same_zone(self) -> bool:
        return self.buyer.utcoffset() == self.mine.utcoffset()


def city_of(zone_name: str, language: str = "en") -> str:
    locale = "zh_Hans" if (language or "en").lower().startswith("zh") else "en"
    try:
        return get_timezone_location(zone_name, locale=locale, return_city=True)
    except (LookupError, ValueError):
        return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def dual_time(moment: dt.datetime, buyer_zone: str, user, language: str = "en") -> DualTime | None:
    """``moment`` in the buyer's zone and the user's; None when the buyer's zone is unknown."""
    buyer_local = geo.local_now(buyer_zone, moment) if buyer_zone else None
    if buyer_local is None:
        return None
    return DualTime(
        buyer=buyer_local,
        mine=moment.astimezone(user.zone),
        city=city_of(buyer_zone, language),
        buyer_zone=buyer_zone,
        my_zone=user.time_zone,
    )
