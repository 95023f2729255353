"""Letters of credit under UCP 600: presentation dates and every discrepancy (DOMAIN.md §5).

:func:`presentation_dates` gives the last day for presentation; :func:`examine_presentation`
checks a presentation against the credit and lists **every** discrepancy, not only the first;
:func:`review_credit_terms` warns about terms that make compliance hard before anything ships.

Rules encoded:

* Art. 14(c): present within the period of field 48, or 21 calendar days after the on-board
  date when it is silent, and never after expiry (art. 6(d)).
* Art. 29(a): the expiry date and the last day of the presentation period move to the next
  banking day of the bank's :class:`~tradewind.trade.calendars.BusinessCalendar` when the bank
  is closed; art. 29(c): the latest shipment date never moves. The last day for presentation is
  the earlier of the two moved dates.
* Art. 30(a): "about" = ±10 % (:data:`ABOUT_TOLERANCE_PERCENT`); art. 30(b): ±5 % on quantity
  when it is not counted in packing units or items; art. 30(c): with partial shipments
  prohibited, up to 5 % less in amount when the full quantity is shipped.
* Art. 31(a): partial shipments allowed unless prohibited; art. 20(c): transhipment in
  containers under one B/L is acceptable even when prohibited.
* Art. 28: insurance at least 110 % of the CIF / CIP value (else of the invoice value), dated no
  later than shipment.

Judgement calls: an amount or quantity *below* its tolerance is a discrepancy only when partial
shipments are prohibited (otherwise it is a partial drawing). Without a latest shipment date,
shipment after the stated expiry date counts as late shipment. Presenting after expiry gives
"expired" and, when also past the presentation period, "late presentation" — both are listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.calendars import BusinessCalendar, normalise_country
from tradewind.trade.checks import require_int, require_range, to_decimal, to_optional_decimal
from tradewind.trade.errors import CalendarError, LetterOfCreditError
from tradewind.trade.money import HUNDRED, percent_to_fraction

DEFAULT_PRESENTATION_DAYS = 21
ABOUT_TOLERANCE_PERCENT = Decimal(10)
BULK_QUANTITY_TOLERANCE_PERCENT = Decimal(5)
ART_30C_AMOUNT_SHORTFALL_PERCENT = Decimal(5)


def _date(value: object, name: str, *, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name}: expected a datetime.date, got {type(value).__name__}")
    return value


def _amount(value: object, name: str) -> Decimal | None:
    number = to_optional_decimal(value, field=name, error=LetterOfCreditError)
    if number is not None:
        require_range(number, field=name, error=LetterOfCreditError, minimum=0,
                      minimum_inclusive=False)  # fmt: skip
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
        _date(self.expiry_date, "expiry_date")
        issue = _date(self.issue_date, "issue_date", optional=True)
        latest = _date(self.latest_shipment_date, "latest_shipment_date", optional=True)
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
            require_int(self.presentation_period_days, field="presentation_period_days",
                        error=LetterOfCreditError, minimum=1, maximum=365)  # fmt: skip
        try:
            object.__setattr__(self, "expiry_country", normalise_country(self.expiry_country))
        except CalendarError as error:
            raise LetterOfCreditError(error.message, field="expiry_country") from None
        for name in ("amount", "quantity"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
        for name in ("amount_tolerance_percent", "quantity_tolerance_percent"):
            object.__setattr__(self, name, _tolerance(getattr(self, name), name))
        cover = to_decimal(self.insurance_cover_percent, field="insurance_cover_percent",
                           error=LetterOfCreditError)  # fmt: skip
        require_range(cover, field="insurance_cover_percent", error=LetterOfCreditError,
                      minimum=100, maximum=200)  # fmt: skip
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
        _date(self.on_board_date, "on_board_date")
        presented = _date(self.presentation_date, "presentation_date", optional=True)
        _date(self.insurance_date, "insurance_date", optional=True)
        if presented is not None and presented < self.on_board_date:
            raise LetterOfCreditError(
                f"documents cannot be presented ({presented}) before the goods are on board "
                f"({self.on_board_date})",
                field="presentation_date",
            )
        require_int(self.shipments, field="shipments", error=LetterOfCreditError, minimum=1,
                    maximum=1000)  # fmt: skip
        for name in ("invoice_amount", "quantity", "insurance_amount", "cif_value"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))


class DiscrepancyCode(StrEnum):
    LATE_SHIPMENT = "late_shipment"
    LATE_PRESENTATION = "late_presentation"
    EXPIRED = "expired"
    AMOUNT_OVER_TOLERANCE = "amount_over_tolerance"
    AMOUNT_UNDER_TOLERANCE = "amount_under_tolerance"
    QUANTITY_OVER_TOLERANCE = "quantity_over_tolerance"
    QUANTITY_UNDER_TOLERANCE = "quantity_under_tolerance"
    PARTIAL_SHIPMENT = "partial_shipment_prohibited"
    TRANSHIPMENT = "transhipment_prohibited"
    INSURANCE_MISSING = "insurance_missing"
    INSURANCE_UNDER_COVER = "insurance_under_cover"
    INSURANCE_AFTER_SHIPMENT = "insurance_dated_after_shipment"


@dataclass(frozen=True)
class Discrepancy:
    code: DiscrepancyCode
    field: str
    article: str
    message: str


@dataclass(frozen=True)
class PresentationDates:
    on_board_date: dt.date
    presentation_period_days: int
    period_ends_on: dt.date  # on-board date + period, before art. 29(a)
    period_last_day: dt.date  # moved to a banking day
    expiry_date: dt.date  # as stated
    expiry_effective: dt.date  # moved to a banking day
    last_presentation_day: dt.date
    latest_shipment_date: dt.date | None  # never moved (art. 29(c))
    closed_days: tuple[tuple[dt.date, str], ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Examination:
    dates: PresentationDates
    discrepancies: tuple[Discrepancy, ...]
    warnings: tuple[str, ...]

    @property
    def complying(self) -> bool:
        return not self.discrepancies


def presentation_dates(
    credit: LetterOfCredit, on_board_date: dt.date, calendar: BusinessCalendar
) -> PresentationDates:
    """The last day for presentation under UCP 600 art. 14(c), 6(d) and 29(a)."""
    _date(on_board_date, "on_board_date")
    days = credit.period_days
    period_end = on_board_date + dt.timedelta(days=days)
    period_last, skipped_period = calendar.next_open_day(period_end)
    expiry, skipped_expiry = calendar.next_open_day(credit.expiry_date)
    last = min(period_last, expiry)
    source = "field 48" if credit.presentation_period_days else "art. 14(c) default"
    notes = [f"{days} days after shipment on {on_board_date} ({source}) is {period_end}"]
    for stated, moved, skipped in ((period_end, period_last, skipped_period),
                                   (credit.expiry_date, expiry, skipped_expiry)):  # fmt: skip
        if moved != stated:
            why = ", ".join(f"{day} {reason}" for day, reason in skipped)
            notes.append(f"{stated} is not a banking day ({why}): moved to {moved} (art. 29(a))")
    which = "the presentation period" if period_last <= expiry else "expiry"
    notes.append(f"last day for presentation is {last}, set by {which}")
    closed = tuple(dict.fromkeys(skipped_period + skipped_expiry))
    return PresentationDates(
        on_board_date=on_board_date,
        presentation_period_days=days,
        period_ends_on=period_end,
        period_last_day=period_last,
        expiry_date=credit.expiry_date,
        expiry_effective=expiry,
        last_presentation_day=last,
        latest_shipment_date=credit.latest_shipment_date,
        closed_days=closed,
        notes=tuple(dict.fromkeys(notes)),
    )


def examine_presentation(
    credit: LetterOfCredit, presentation: Presentation, calendar: BusinessCalendar
) -> Examination:
    """Every discrepancy between ``presentation`` and ``credit``, with the dates."""
    dates = presentation_dates(credit, presentation.on_board_date, calendar)
    found: list[Discrepancy] = []
    warnings: list[str] = list(review_credit_terms(credit))
    _check_dates(credit, presentation, dates, found)
    _check_amounts(credit, presentation, found, warnings)
    _check_shipment(credit, presentation, found)
    _check_insurance(credit, presentation, found, warnings)
    return Examination(dates, tuple(found), tuple(warnings))


def _check_dates(credit, presentation, dates: PresentationDates, found) -> None:
    shipped = presentation.on_board_date
    latest = credit.latest_shipment_date
    if latest is not None and shipped > latest:
        found.append(Discrepancy(
            DiscrepancyCode.LATE_SHIPMENT, "on_board_date", "29(c)",
            f"shipped on {shipped}, after the latest shipment date {latest} (which never moves "
            "to the next banking day) — ask the applicant for an amendment or a waiver",
        ))  # fmt: skip
    elif latest is None and shipped > credit.expiry_date:
        found.append(Discrepancy(
            DiscrepancyCode.LATE_SHIPMENT, "on_board_date", "6(d)",
            f"shipped on {shipped}, after the expiry date {credit.expiry_date}",
        ))  # fmt: skip
    presented = presentation.presentation_date
    if presented is None:
        return
    if presented > dates.period_last_day:
        found.append(Discrepancy(
            DiscrepancyCode.LATE_PRESENTATION, "presentation_date", "14(c)",
            f"presented on {presented}, more than {dates.presentation_period_days} days after "
            f"shipment (last day {dates.period_last_day})",
        ))  # fmt: skip
    if presented > dates.expiry_effective:
        found.append(Discrepancy(
            DiscrepancyCode.EXPIRED, "presentation_date", "6(d)",
            f"presented on {presented}, after the credit expired ({dates.expiry_effective})",
        ))  # fmt: skip


def _bounds(base: Decimal, tolerance: Decimal | None) -> tuple[Decimal, Decimal]:
    share = percent_to_fraction(tolerance or Decimal(0))
    return base * (1 - share), base * (1 + share)


def _check_amounts(credit, presentation, found, warnings) -> None:
    partial_banned = not credit.partial_shipments_allowed
    amount, drawn = credit.amount, presentation.invoice_amount
    if amount is not None and drawn is not None:
        low, high = _bounds(amount, credit.amount_tolerance_percent)
        if credit.amount_tolerance_percent is None and partial_banned:
            low = amount * (1 - percent_to_fraction(ART_30C_AMOUNT_SHORTFALL_PERCENT))
        if drawn > high:
            found.append(Discrepancy(
                DiscrepancyCode.AMOUNT_OVER_TOLERANCE, "invoice_amount", "30",
                f"invoice {drawn} is over the credit amount {amount} with its tolerance "
                f"(at most {high})",
            ))  # fmt: skip
        elif partial_banned and drawn < low:
            found.append(Discrepancy(
                DiscrepancyCode.AMOUNT_UNDER_TOLERANCE, "invoice_amount", "30",
                f"invoice {drawn} is under {low}, the least allowed when partial shipments are "
                "prohibited",
            ))  # fmt: skip
    ordered, shipped = credit.quantity, presentation.quantity
    if ordered is None or shipped is None:
        return
    tolerance = credit.quantity_tolerance_percent
    if tolerance is None and not credit.quantity_in_units:
        tolerance = BULK_QUANTITY_TOLERANCE_PERCENT
    low, high = _bounds(ordered, tolerance)
    if shipped > high:
        found.append(Discrepancy(
            DiscrepancyCode.QUANTITY_OVER_TOLERANCE, "quantity", "30",
            f"quantity {shipped} is over the credit quantity {ordered} with its tolerance "
            f"(at most {high})",
        ))  # fmt: skip
    elif partial_banned and shipped < low:
        found.append(Discrepancy(
            DiscrepancyCode.QUANTITY_UNDER_TOLERANCE, "quantity", "30",
            f"quantity {shipped} is short of {low}, the least allowed when partial shipments "
            "are prohibited",
        ))  # fmt: skip


def _check_shipment(credit, presentation, found) -> None:
    if presentation.shipments > 1 and not credit.partial_shipments_allowed:
        found.append(Discrepancy(
            DiscrepancyCode.PARTIAL_SHIPMENT, "shipments", "31(a)",
            f"{presentation.shipments} shipments, but the credit prohibits partial shipments",
        ))  # fmt: skip
    if presentation.transhipped and not credit.transhipment_allowed:
        if presentation.containerised:
            return  # art. 20(c)(ii): acceptable in containers under one B/L
        found.append(Discrepancy(
            DiscrepancyCode.TRANSHIPMENT, "transhipped", "20(c)",
            "the goods were transhipped out of containers, and the credit prohibits transhipment",
        ))  # fmt: skip


def _check_insurance(credit, presentation, found, warnings) -> None:
    insured = presentation.insurance_amount
    if insured is None:
        if credit.insurance_required:
            found.append(Discrepancy(
                DiscrepancyCode.INSURANCE_MISSING, "insurance_amount", "28",
                "the credit calls for an insurance document and none is presented",
            ))  # fmt: skip
        return
    base = presentation.cif_value or presentation.invoice_amount
    if base is None:
        warnings.append("insurance cover not checked: give the CIF value or the invoice amount")
    else:
        minimum = base * credit.insurance_cover_percent / HUNDRED
        if insured < minimum:
            found.append(Discrepancy(
                DiscrepancyCode.INSURANCE_UNDER_COVER, "insurance_amount", "28(f)",
                f"insured for {insured}, less than {credit.insurance_cover_percent} % of "
                f"{base} = {minimum}",
            ))  # fmt: skip
    insured_on = presentation.insurance_date
    if insured_on is not None and insured_on > presentation.on_board_date:
        found.append(Discrepancy(
            DiscrepancyCode.INSURANCE_AFTER_SHIPMENT, "insurance_date", "28(e)",
            f"insurance dated {insured_on}, after shipment on {presentation.on_board_date}",
        ))  # fmt: skip


def review_credit_terms(credit: LetterOfCredit) -> tuple[str, ...]:
    """Warnings about terms that make a complying presentation hard (check on receipt)."""
    warnings: list[str] = []
    if credit.expiry_country != "CN":
        warnings.append(
            f"the credit expires in {credit.expiry_country}: documents must reach that place by "
            "the expiry date — ask for expiry in China"
        )
    latest = credit.latest_shipment_date
    if latest is not None:
        if latest > credit.expiry_date:
            warnings.append(
                f"latest shipment date {latest} is after expiry {credit.expiry_date}: shipment "
                "must in practice be earlier"
            )
        else:
            window = (credit.expiry_date - latest).days
            if window < credit.period_days:
                warnings.append(
                    f"shipping on the latest shipment date leaves only {window} days to present "
                    f"before expiry (the period is {credit.period_days} days)"
                )
    return tuple(warnings)
