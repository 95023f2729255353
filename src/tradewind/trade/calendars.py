"""Working weeks and business calendars (bank days for L/C dates, office days for sending).

A :class:`BusinessCalendar` is closed on its weekend days and on its holidays, and open on
declared make-up working days. It is pluggable: build one from a country with
:func:`country_calendar` (public holidays from the ``holidays`` package), or construct it with
your own holiday mapping — nothing is fetched at run time.

Judgement calls:

* **Weekends** come from :data:`WEEKEND_DAYS_BY_COUNTRY` (current practice, overridable data):
  Friday–Saturday in SA, QA, KW, OM, BH, EG, IL, JO, IQ, DZ, LY, YE, SY, BD, MV; Friday only in
  IR; Saturday–Sunday in AE (since 2022). Other countries use the ``holidays`` package's weekend
  for the country when it has one, else Saturday–Sunday.
* **Make-up working days** (China's 调休 weekends, listed by ``holidays`` as
  ``weekend_workdays``) count as business days: banks and offices work on them.
* Weekday numbers follow Python: Monday = 0 … Sunday = 6.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import holidays as holidays_package
import pycountry

from tradewind.trade.errors import CalendarError

SAT_SUN = frozenset({5, 6})
FRI_SAT = frozenset({4, 5})
FRIDAY = frozenset({4})
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CLOSED_RUN_DAYS = 60

#: Current working-week practice where it is not Monday–Friday. Edit to taste.
WEEKEND_DAYS_BY_COUNTRY: dict[str, frozenset[int]] = {
    **dict.fromkeys(
        ("SA", "QA", "KW", "OM", "BH", "EG", "IL", "JO", "IQ", "DZ", "LY", "YE", "SY", "BD", "MV"),
        FRI_SAT,
    ),
    "IR": FRIDAY,
    "AE": SAT_SUN,  # moved from Friday–Saturday in 2022
}


def normalise_country(code: str, *, field: str = "country") -> str:
    """ISO 3166-1 alpha-2 code in upper case, or :class:`CalendarError` naming ``field``."""
    if not isinstance(code, str):
        raise TypeError(f"{field}: expected an ISO country code string, got {type(code).__name__}")
    key = code.strip().upper()
    if len(key) != 2 or pycountry.countries.get(alpha_2=key) is None:
        raise CalendarError(
            f"{field}: {code!r} is not an ISO 3166 two-letter country code (e.g. CN, US, SA)",
            field=field,
        )
    return key


def weekend_days(country: str | None) -> frozenset[int]:
    """The weekend of ``country`` (``None`` → Saturday–Sunday)."""
    if country is None:
        return SAT_SUN
    code = normalise_country(country)
    if code in WEEKEND_DAYS_BY_COUNTRY:
        return WEEKEND_DAYS_BY_COUNTRY[code]
    entity = getattr(holidays_package, code, None)
    weekend = getattr(entity, "weekend", None)
    if isinstance(weekend, Collection) and weekend:
        return frozenset(int(day) for day in weekend)
    return SAT_SUN


def _check_weekend(days: Iterable[int], *, field: str = "weekend_days") -> frozenset[int]:
    result = frozenset(days)
    if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in result):
        raise CalendarError(
            f"{field}: weekend days are numbers 0 (Monday) to 6 (Sunday)", field=field
        )
    if len(result) == 7:
        raise CalendarError(f"{field}: a week needs at least one working day", field=field)
    return result


@dataclass(frozen=True)
class BusinessCalendar:
    """Closed on ``weekend_days`` and ``holidays``; open on ``extra_working_days``.

    ``holidays`` maps a date to its name; a ``holidays.HolidayBase`` works (it fills years as
    they are asked for, and its ``weekend_workdays`` are honoured as make-up working days).
    """

    name: str = "Saturday–Sunday weekend"
    weekend_days: frozenset[int] = SAT_SUN
    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    extra_working_days: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekend_days", _check_weekend(self.weekend_days))

    def closure_reason(self, day: dt.date) -> str | None:
        """Why the calendar is closed on ``day`` (holiday name or weekday), or ``None``."""
        if not isinstance(day, dt.date):
            raise TypeError(f"day: expected a date, got {type(day).__name__}")
        holiday = self.holidays.get(day)  # also makes a HolidayBase load the year
        if holiday:
            return str(holiday)
        if day.weekday() in self.weekend_days:
            make_up: Any = getattr(self.holidays, "weekend_workdays", ())
            if day in self.extra_working_days or day in make_up:
                return None
            return DAY_NAMES[day.weekday()]
        return None

    def is_open(self, day: dt.date) -> bool:
        return self.closure_reason(day) is None

    def next_open_day(self, day: dt.date) -> tuple[dt.date, tuple[tuple[dt.date, str], ...]]:
        """``day`` if open, else the first open day after it; also the closed days skipped."""
        skipped: list[tuple[dt.date, str]] = []
        current = day
        for _ in range(MAX_CLOSED_RUN_DAYS):
            reason = self.closure_reason(current)
            if reason is None:
                return current, tuple(skipped)
            skipped.append((current, reason))
            current += dt.timedelta(days=1)
        raise CalendarError(
            f"calendar {self.name!r} is closed for {MAX_CLOSED_RUN_DAYS} days from {day}; "
            "check its holidays",
            field="calendar",
        )


def country_calendar(
    country: str | None = None,
    *,
    weekend: Iterable[int] | None = None,
    extra_holidays: Mapping[dt.date, str] | None = None,
    field_name: str = "country",
) -> BusinessCalendar:
    """Calendar of ``country``: its weekend and public holidays (``holidays`` package).

    ``country=None`` gives a plain Saturday–Sunday calendar (plus ``extra_holidays``).
    """
    if country is None:
        days = SAT_SUN if weekend is None else _check_weekend(weekend)
        return BusinessCalendar(holidays=dict(extra_holidays or {}), weekend_days=days)
    code = normalise_country(country, field=field_name)
    days = weekend_days(code) if weekend is None else _check_weekend(weekend)
    if code in holidays_package.list_supported_countries():
        public: Mapping[dt.date, str] = holidays_package.country_holidays(code)
        if extra_holidays:
            public = _Merged(public, dict(extra_holidays))
    else:
        public = dict(extra_holidays or {})
    name = f"{code} ({', '.join(DAY_NAMES[d][:3] for d in sorted(days))} weekend)"
    return BusinessCalendar(name=name, weekend_days=days, holidays=public)


class _Merged(Mapping[dt.date, str]):
    """A package holiday calendar plus the caller's own closures (own names win)."""

    def __init__(self, base: Any, extra: dict[dt.date, str]) -> None:
        self._base, self._extra = base, extra

    @property
    def weekend_workdays(self) -> Collection[dt.date]:
        return getattr(self._base, "weekend_workdays", frozenset())

    def __getitem__(self, day: dt.date) -> str:
        if day in self._extra:
            return self._extra[day]
        name = self._base.get(day)
        if name is None:
            raise KeyError(day)
        return name

    def __iter__(self):
        return iter(self._extra)

    def __len__(self) -> int:
        return len(self._extra)
