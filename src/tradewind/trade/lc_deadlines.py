"""The dates to watch on an open letter of credit, and which reminders fall due on a day.

:func:`credit_deadlines` gives the latest shipment date, the last day for presentation and the
expiry date, all from the UCP 600 rules of :func:`tradewind.trade.lc.presentation_dates`: before
shipment the last day for presentation assumes shipment on the latest shipment date (the worst
case); once the goods are on board it counts from the on-board date. The latest shipment date
never moves (art. 29(c)); the last day for presentation is moved to the next banking day of the
bank's calendar (art. 29(a)). The expiry reminder is for the stated expiry date: a bank holiday
may give one more day, but nobody should plan on it.

:func:`reminders_due` says which reminders a day owes: with reminders 7 and 2 days ahead, a
deadline 5 days away owes its 7-day reminder (sent late rather than never), 2 days away or fewer
its 2-day reminder. Each is identified by (kind, deadline date, days ahead), so a caller that
records the ones sent never sends one twice, and a date moved by an amendment gets its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tradewind.trade.calendars import BusinessCalendar
from tradewind.trade.errors import LetterOfCreditError
from tradewind.trade.lc import LetterOfCredit, PresentationDates, presentation_dates

DEFAULT_REMINDER_DAYS: tuple[int, ...] = (7, 2)


class DeadlineKind(StrEnum):
    LATEST_SHIPMENT = "latest_shipment"
    LAST_PRESENTATION = "last_presentation"
    EXPIRY = "expiry"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    date: dt.date
    note: str


@dataclass(frozen=True)
class CreditDeadlines:
    deadlines: tuple[Deadline, ...]
    dates: PresentationDates  # the working: period, moved days, closed days, notes
    assumes_shipment_on: dt.date  # the on-board date the presentation period counts from
    shipped: bool  # True when that is the actual on-board date


def credit_deadlines(
    credit: LetterOfCredit, calendar: BusinessCalendar, *, on_board_date: dt.date | None = None
) -> CreditDeadlines:
    """The latest shipment date (until shipped), last day for presentation, and expiry."""
    basis = on_board_date or credit.latest_shipment_date or credit.expiry_date
    basis = min(basis, credit.expiry_date) if on_board_date is None else basis
    dates = presentation_dates(credit, basis, calendar)
    found: list[Deadline] = []
    if credit.latest_shipment_date is not None and on_board_date is None:
        found.append(
            Deadline(
                DeadlineKind.LATEST_SHIPMENT,
                credit.latest_shipment_date,
                "on board by this date; it never moves to the next banking day (art. 29(c))",
            )
        )
    found.append(
        Deadline(DeadlineKind.LAST_PRESENTATION, dates.last_presentation_day, dates.notes[-1])
    )
    expiry_note = (
        f"the bank is closed that day, so documents are still taken on {dates.expiry_effective} "
        "(art. 29(a)) — do not count on it"
        if dates.expiry_effective != credit.expiry_date
        else "documents must reach the place of expiry by this date"
    )
    found.append(Deadline(DeadlineKind.EXPIRY, credit.expiry_date, expiry_note))
    return CreditDeadlines(tuple(found), dates, basis, on_board_date is not None)


@dataclass(frozen=True)
class DueReminder:
    kind: DeadlineKind
    deadline: dt.date
    days_before: int  # which reminder (7 or 2 …)
    days_left: int  # days from today to the deadline


def check_reminder_days(days: Iterable[int]) -> tuple[int, ...]:
    """The reminder offsets, largest first; each a whole number of days 1–90, no repeats."""
    result = tuple(days)
    if not result:
        raise LetterOfCreditError("reminder days: give at least one", field="reminder_days")
    for value in result:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
            raise LetterOfCreditError(
                f"reminder days: {value!r} is not a whole number of days from 1 to 90",
                field="reminder_days",
            )
    if len(set(result)) != len(result):
        raise LetterOfCreditError("reminder days: a day is given twice", field="reminder_days")
    return tuple(sorted(result, reverse=True))


def reminders_due(
    deadlines: Iterable[Deadline],
    today: dt.date,
    days_before: Iterable[int] = DEFAULT_REMINDER_DAYS,
) -> tuple[DueReminder, ...]:
    """The reminder each deadline owes on ``today`` (at most one per deadline)."""
    offsets = check_reminder_days(days_before)
    due = []
    for deadline in deadlines:
        left = (deadline.date - today).days
        if left < 0 or left > offsets[0]:
            continue
        which = min(offset for offset in offsets if offset >= left)
        due.append(DueReminder(deadline.kind, deadline.date, which, left))
    return tuple(due)


__all__ = [
    "DEFAULT_REMINDER_DAYS",
    "CreditDeadlines",
    "Deadline",
    "DeadlineKind",
    "DueReminder",
    "check_reminder_days",
    "credit_deadlines",
    "reminders_due",
]
