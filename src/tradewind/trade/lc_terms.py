"""The terms of a letter of credit and what is presented under it (MT700 fields in comments).

Plain validated records; the UCP 600 rules that use them are in :mod:`tradewind.trade.lc`.
Dates must be ``datetime.date`` (not datetime, not str); amounts Decimal, int or str, never float.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tradewind.trade.calendars import normalise_country
from tradewind.trade.checks import require_int, require_range, to_decimal, to_optional_decimal
from tradewind.trade.errors import CalendarError, LetterOfCreditError

DEFAULT_PRESENTATION_DAYS = 21
ABOUT_TOLERANCE_PERCENT = Decimal(10)
BULK_QUANTITY_TOLERANCE_PERCENT = Decimal(5)
ART_30C_AMOUNT_SHORTFALL_PERCENT = Decimal(5)


def require_date(value: object, name: str, *, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name}: expected a datetime.date, got {type(value).__name__}")
    return value


def _amount(value: object, name: str) -> Decimal | None:
    number = to_optional_decimal(value, field=name, error=LetterOfCreditError)
    if number is not None:
        require_range(
            number, field=name, error=LetterOfCreditError, minimum=0, minimum_inclusive=False
        )
    return number


def _tolerance(value: object, name: str) -> Decimal | None:
    number = to_optional_decimal(value, field=name, error=LetterOfCreditError)
    if number is not None:
        require_range(number, field=name, error=LetterOfCreditError, minimum=0, maximum=50)
    return number


@dataclass(frozen=True, kw_only=True)
class LetterOfCredit:
    """The terms of a documentary credit (MT700 fields in comments)."""

    expiry_date: dt.date  # 31D
    expiry_country: str = "CN"  # 31D place, as a country
    issue_date: dt.date | None = None  # 31C
    latest_shipment_date: dt.date | None = None  # 44C
    presentation_period_days: int | None = None  # 48; None → 21 days (art. 14(c))
    partial_shipments_allowed: bool = True  # 43P
    transhipment_allowed: bool = True  # 43T
    amount: Decimal | None = None  # 32B
    amount_tolerance_percent: Decimal | None = None  # 39A (± the same both ways)
    quantity: Decimal | None = None  # 45A
    quantity_tolerance_percent: Decimal | None = None
    quantity_in_units: bool = True  # counted in packing units / items: no art. 30(b) 5 %
    insurance_required: bool = False  # 46A calls for an insurance document (CIF / CIP)
    insurance_cover_percent: Decimal = Decimal(110)

    def __post_init__(self) -> None:
        require_date(self.expiry_date, "expiry_date")
        issue = require_date(self.issue_date, "issue_date", optional=True)
        latest = require_date(self.latest_shipment_date, "latest_shipment_date", optional=True)
        if issue is not None and self.expiry_date < issue:
            raise LetterOfCreditError(
                f"expiry date {self.expiry_date} is before the issue date {issue}",
                field="expiry_date",
            )
        if issue is not None and latest is not None and latest < issue:
            raise LetterOfCreditError(
                f"latest shipment date {latest} is before the issue date {issue}",
                field="latest_shipment_date",
            )
        if self.presentation_period_days is not None:
            require_int(
                self.presentation_period_days,
                field="presentation_period_days",
                error=LetterOfCreditError,
                minimum=1,
                maximum=365,
            )
        try:
            object.__setattr__(self, "expiry_country", normalise_country(self.expiry_country))
        except CalendarError as error:
            raise LetterOfCreditError(error.message, field="expiry_country") from None
        for name in ("amount", "quantity"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
        for name in ("amount_tolerance_percent", "quantity_tolerance_percent"):
            object.__setattr__(self, name, _tolerance(getattr(self, name), name))
        cover = to_decimal(
            self.insurance_cover_percent, field="insurance_cover_percent", error=LetterOfCreditError
        )
        require_range(
            cover,
            field="insurance_cover_percent",
            error=LetterOfCreditError,
            minimum=100,
            maximum=200,
        )
        object.__setattr__(self, "insurance_cover_percent", cover)

    @property
    def period_days(self) -> int:
        return self.presentation_period_days or DEFAULT_PRESENTATION_DAYS


@dataclass(frozen=True, kw_only=True)
class Presentation:
    """What the beneficiary ships and presents under the credit."""

    on_board_date: dt.date
    presentation_date: dt.date | None = None
    invoice_amount: Decimal | None = None
    quantity: Decimal | None = None
    shipments: int = 1
    transhipped: bool = False
    containerised: bool = True
    insurance_amount: Decimal | None = None
    insurance_date: dt.date | None = None
    cif_value: Decimal | None = None  # base for the 110 %; default: the invoice amount

    def __post_init__(self) -> None:
        require_date(self.on_board_date, "on_board_date")
        presented = require_date(self.presentation_date, "presentation_date", optional=True)
        require_date(self.insurance_date, "insurance_date", optional=True)
        if presented is not None and presented < self.on_board_date:
            raise LetterOfCreditError(
                f"documents cannot be presented ({presented}) before the goods are on board "
                f"({self.on_board_date})",
                field="presentation_date",
            )
        require_int(
            self.shipments, field="shipments", error=LetterOfCreditError, minimum=1, maximum=1000
        )
        for name in ("invoice_amount", "quantity", "insurance_amount", "cif_value"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
