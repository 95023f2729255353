"""``tradewind lc``: last day for presentation under UCP 600 and every discrepancy."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from tradewind.trade.calendars import country_calendar
from tradewind.trade.cli_support import Parser, count, date_arg, emit_json, number, run
from tradewind.trade.errors import TradeError
from tradewind.trade.lc import LetterOfCredit, Presentation, examine_presentation

LC_OPTIONS = {
    "on_board_date": "--shipment-date",
    "expiry_date": "--expiry",
    "presentation_period_days": "--presentation-days",
    "country": "--bank-country",
    "expiry_country": "--expiry-country",
    "latest_shipment_date": "--latest-shipment",
    "issue_date": "--issue-date",
    "presentation_date": "--presented-on",
    "amount": "--amount",
    "amount_tolerance_percent": "--amount-tolerance",
    "invoice_amount": "--invoice-amount",
    "quantity_tolerance_percent": "--quantity-tolerance",
    "shipments": "--shipments",
    "insurance_amount": "--insurance-amount",
    "insurance_date": "--insurance-date",
    "cif_value": "--cif-value",
    "insurance_cover_percent": "--insurance-cover",
}


def _lc_parser() -> Parser:
    p = Parser(prog="tradewind lc", description="L/C presentation dates and discrepancies.")
    add = p.add_argument
    add("--shipment-date", type=date_arg, required=True, help="on-board date (YYYY-MM-DD)")
    add("--expiry", type=date_arg, required=True, help="expiry date (31D)")
    add("--presentation-days", type=count, help="field 48; default 21 days")
    add("--bank-country", help="bank closed on this country's public holidays too")
    add("--expiry-country", default="CN", help="country of the place of expiry")
    add("--latest-shipment", type=date_arg, help="latest shipment date (44C)")
    add("--issue-date", type=date_arg, help="issue date (31C)")
    add("--presented-on", type=date_arg, help="date the documents were presented")
    add("--amount", type=number, help="credit amount (32B)")
    add("--amount-tolerance", type=number, help="± %% (39A); 'about' = 10")
    add("--invoice-amount", type=number, help="amount drawn")
    add("--lc-quantity", type=number, help="quantity in the credit (45A)")
    add("--quantity-tolerance", type=number, help="± %% on quantity")
    add("--bulk", action="store_true", help="quantity not in units: art. 30(b) ±5 %%")
    add("--shipped-quantity", type=number, help="quantity shipped")
    add("--shipments", type=count, default=1, help="number of shipments presented")
    add("--no-partial-shipments", action="store_true", help="43P: prohibited")
    add("--no-transhipment", action="store_true", help="43T: prohibited")
    add("--transhipped", action="store_true", help="the goods were transhipped")
    add("--not-containerised", action="store_true", help="cargo not in containers")
    add("--insurance-required", action="store_true", help="46A calls for insurance")
    add("--insurance-cover", type=number, default=Decimal(110), help="minimum cover %%")
    add("--insurance-amount", type=number, help="amount insured")
    add("--insurance-date", type=date_arg, help="date of the insurance document")
    add("--cif-value", type=number, help="CIF / CIP value (default: invoice amount)")
    add("--json", action="store_true", help="print JSON")
    return p


def _lc(args: argparse.Namespace) -> int:
    calendar = country_calendar(args.bank_country)
    credit_quantity = args.lc_quantity
    try:
        credit = LetterOfCredit(
            expiry_date=args.expiry,
            expiry_country=args.expiry_country,
            issue_date=args.issue_date,
            latest_shipment_date=args.latest_shipment,
            presentation_period_days=args.presentation_days,
            partial_shipments_allowed=not args.no_partial_shipments,
            transhipment_allowed=not args.no_transhipment,
            amount=args.amount,
            amount_tolerance_percent=args.amount_tolerance,
            quantity=credit_quantity,
            quantity_tolerance_percent=args.quantity_tolerance,
            quantity_in_units=not args.bulk,
            insurance_required=args.insurance_required,
            insurance_cover_percent=args.insurance_cover,
        )
    except TradeError as error:
        if error.field == "quantity":
            error.field = "lc_quantity"
        raise
    try:
        presentation = Presentation(
            on_board_date=args.shipment_date,
            presentation_date=args.presented_on,
            invoice_amount=args.invoice_amount,
            quantity=args.shipped_quantity,
            shipments=args.shipments,
            transhipped=args.transhipped,
            containerised=not args.not_containerised,
            insurance_amount=args.insurance_amount,
            insurance_date=args.insurance_date,
            cif_value=args.cif_value,
        )
    except TradeError as error:
        if error.field == "quantity":
            error.field = "shipped_quantity"
        raise
    result = examine_presentation(credit, presentation, calendar)
    dates = result.dates
    payload = {
        "last_presentation_day": dates.last_presentation_day.isoformat(),
        "presentation_period_days": dates.presentation_period_days,
        "period_ends_on": dates.period_ends_on.isoformat(),
        "period_last_day": dates.period_last_day.isoformat(),
        "expiry_date": dates.expiry_date.isoformat(),
        "expiry_effective": dates.expiry_effective.isoformat(),
        "latest_shipment_date": _iso(dates.latest_shipment_date),
        "bank_calendar": calendar.name,
        "closed_days": [{"date": d.isoformat(), "reason": r} for d, r in dates.closed_days],
        "notes": list(dates.notes),
        "complying": result.complying,
        "discrepancies": [
            {"code": d.code.value, "field": d.field, "article": d.article, "message": d.message}
            for d in result.discrepancies
        ],
        "warnings": list(result.warnings),
    }
    if args.json:
        emit_json(payload)
        return 0
    last = dates.last_presentation_day
    print(f"Last day for presentation: {last} ({last:%A}) — bank calendar {calendar.name}")
    for note in dates.notes:
        print(f"  {note}")
    if not result.discrepancies:
        print("Discrepancies: none found")
    for item in result.discrepancies:
        print(f"Discrepancy [{item.code.value}, UCP 600 art. {item.article}]: {item.message}")
    for warning in result.warnings:
        print(f"Warning: {warning}")
    return 0


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def lc_command(argv: Sequence[str]) -> int:
    """``tradewind lc …``: last day for presentation and every discrepancy."""
    options = {
        **LC_OPTIONS,
        "lc_quantity": "--lc-quantity",
        "shipped_quantity": "--shipped-quantity",
    }
    return run(_lc_parser(), argv, _lc, options)
