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

from tradewind.trade.calendars import BusinessCalendar
from tradewind.trade.lc_terms import (
    ABOUT_TOLERANCE_PERCENT,
    ART_30C_AMOUNT_SHORTFALL_PERCENT,
    BULK_QUANTITY_TOLERANCE_PERCENT,
    DEFAULT_PRESENTATION_DAYS,
    LetterOfCredit,
    Presentation,
    require_date,
)
from tradewind.trade.money import HUNDRED, percent_to_fraction


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
    require_date(on_board_date, "on_board_date")
    days = credit.period_days
    period_end = on_board_date + dt.timedelta(days=days)
    period_last, skipped_period = calendar.next_open_day(period_end)
    expiry, skipped_expiry = calendar.next_open_day(credit.expiry_date)
    last = min(period_last, expiry)
    source = "field 48" if credit.presentation_period_days else "art. 14(c) default"
    notes = [f"{days} days after shipment on {on_board_date} ({source}) is {period_end}"]
    for stated, moved, skipped in (
        (period_end, period_last, skipped_period),
        (credit.expiry_date, expiry, skipped_expiry),
    ):
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
        found.append(
            Discrepancy(
                DiscrepancyCode.LATE_SHIPMENT,
                "on_board_date",
                "29(c)",
                f"shipped on {shipped}, after the latest shipment date {latest} (which never moves "
                "to the next banking day) — ask the applicant for an amendment or a waiver",
            )
        )
    elif latest is None and shipped > credit.expiry_date:
        found.append(
            Discrepancy(
                DiscrepancyCode.LATE_SHIPMENT,
                "on_board_date",
                "6(d)",
                f"shipped on {shipped}, after the expiry date {credit.expiry_date}",
            )
        )
    presented = presentation.presentation_date
    if presented is None:
        return
    if presented > dates.period_last_day:
        found.append(
            Discrepancy(
                DiscrepancyCode.LATE_PRESENTATION,
                "presentation_date",
                "14(c)",
                f"presented on {presented}, more than {dates.presentation_period_days} days after "
                f"shipment (last day {dates.period_last_day})",
            )
        )
    if presented > dates.expiry_effective:
        found.append(
            Discrepancy(
                DiscrepancyCode.EXPIRED,
                "presentation_date",
                "6(d)",
                f"presented on {presented}, after the credit expired ({dates.expiry_effective})",
            )
        )


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
            found.append(
                Discrepancy(
                    DiscrepancyCode.AMOUNT_OVER_TOLERANCE,
                    "invoice_amount",
                    "30",
                    f"invoice {drawn} is over the credit amount {amount} with its tolerance "
                    f"(at most {high})",
                )
            )
        elif partial_banned and drawn < low:
            found.append(
                Discrepancy(
                    DiscrepancyCode.AMOUNT_UNDER_TOLERANCE,
                    "invoice_amount",
                    "30",
                    f"invoice {drawn} is under {low}, the least allowed when partial shipments are "
                    "prohibited",
                )
            )
    ordered, shipped = credit.quantity, presentation.quantity
    if ordered is None or shipped is None:
        return
    tolerance = credit.quantity_tolerance_percent
    if tolerance is None and not credit.quantity_in_units:
        tolerance = BULK_QUANTITY_TOLERANCE_PERCENT
    low, high = _bounds(ordered, tolerance)
    if shipped > high:
        found.append(
            Discrepancy(
                DiscrepancyCode.QUANTITY_OVER_TOLERANCE,
                "quantity",
                "30",
                f"quantity {shipped} is over the credit quantity {ordered} with its tolerance "
                f"(at most {high})",
            )
        )
    elif partial_banned and shipped < low:
        found.append(
            Discrepancy(
                DiscrepancyCode.QUANTITY_UNDER_TOLERANCE,
                "quantity",
                "30",
                f"quantity {shipped} is short of {low}, the least allowed when partial shipments "
                "are prohibited",
            )
        )


def _check_shipment(credit, presentation, found) -> None:
    if presentation.shipments > 1 and not credit.partial_shipments_allowed:
        found.append(
            Discrepancy(
                DiscrepancyCode.PARTIAL_SHIPMENT,
                "shipments",
                "31(a)",
                f"{presentation.shipments} shipments, but the credit prohibits partial shipments",
            )
        )
    if presentation.transhipped and not credit.transhipment_allowed:
        if presentation.containerised:
            return  # art. 20(c)(ii): acceptable in containers under one B/L
        found.append(
            Discrepancy(
                DiscrepancyCode.TRANSHIPMENT,
                "transhipped",
                "20(c)",
                "the goods were transhipped out of containers; the credit prohibits transhipment",
            )
        )


def _check_insurance(credit, presentation, found, warnings) -> None:
    insured = presentation.insurance_amount
    if insured is None:
        if credit.insurance_required:
            found.append(
                Discrepancy(
                    DiscrepancyCode.INSURANCE_MISSING,
                    "insurance_amount",
                    "28",
                    "the credit calls for an insurance document and none is presented",
                )
            )
        return
    base = presentation.cif_value or presentation.invoice_amount
    if base is None:
        warnings.append("insurance cover not checked: give the CIF value or the invoice amount")
    else:
        minimum = base * credit.insurance_cover_percent / HUNDRED
        if insured < minimum:
            found.append(
                Discrepancy(
                    DiscrepancyCode.INSURANCE_UNDER_COVER,
                    "insurance_amount",
                    "28(f)",
                    f"insured for {insured}, less than {credit.insurance_cover_percent} % of "
                    f"{base} = {minimum}",
                )
            )
    insured_on = presentation.insurance_date
    if insured_on is not None and insured_on > presentation.on_board_date:
        found.append(
            Discrepancy(
                DiscrepancyCode.INSURANCE_AFTER_SHIPMENT,
                "insurance_date",
                "28(e)",
                f"insurance dated {insured_on}, after shipment on {presentation.on_board_date}",
            )
        )


class TermIssueCode(StrEnum):
    EXPIRY_ABROAD = "expiry_abroad"
    SHIPMENT_AFTER_EXPIRY = "shipment_after_expiry"
    SHORT_PRESENTATION_WINDOW = "short_presentation_window"


@dataclass(frozen=True)
class TermIssue:
    """A term that makes a complying presentation hard; ``field`` is the MT700 tag at fault."""

    code: TermIssueCode
    field: str
    message: str


def credit_term_issues(credit: LetterOfCredit) -> tuple[TermIssue, ...]:
    """The terms to query on receipt of the credit, each with its code and MT700 tag."""
    issues: list[TermIssue] = []
    if credit.expiry_country != "CN":
        issues.append(
            TermIssue(
                TermIssueCode.EXPIRY_ABROAD,
                "31D",
                f"the credit expires in {credit.expiry_country}: documents must reach that place "
                "by the expiry date — ask for expiry in China",
            )
        )
    latest = credit.latest_shipment_date
    if latest is not None:
        if latest > credit.expiry_date:
            issues.append(
                TermIssue(
                    TermIssueCode.SHIPMENT_AFTER_EXPIRY,
                    "44C",
                    f"latest shipment date {latest} is after expiry {credit.expiry_date}: "
                    "shipment must in practice be earlier",
                )
            )
        else:
            window = (credit.expiry_date - latest).days
            if window < credit.period_days:
                issues.append(
                    TermIssue(
                        TermIssueCode.SHORT_PRESENTATION_WINDOW,
                        "31D",
                        f"shipping on the latest shipment date leaves only {window} days to "
                        f"present before expiry (the period is {credit.period_days} days)",
                    )
                )
    return tuple(issues)


def review_credit_terms(credit: LetterOfCredit) -> tuple[str, ...]:
    """Warnings about terms that make a complying presentation hard (check on receipt)."""
    return tuple(issue.message for issue in credit_term_issues(credit))


__all__ = [
    "ABOUT_TOLERANCE_PERCENT",
    "BULK_QUANTITY_TOLERANCE_PERCENT",
    "DEFAULT_PRESENTATION_DAYS",
    "Discrepancy",
    "DiscrepancyCode",
    "Examination",
    "LetterOfCredit",
    "Presentation",
    "PresentationDates",
    "TermIssue",
    "TermIssueCode",
    "credit_term_issues",
    "examine_presentation",
    "presentation_dates",
    "review_credit_terms",
]
