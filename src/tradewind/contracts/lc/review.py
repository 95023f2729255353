"""The bridge to the trade core: a contract and an L/C as the plain terms the UCP 600 rules
(:mod:`tradewind.trade.lc_review`, :mod:`tradewind.trade.lc_deadlines`) take.

Settings (optional, in ``config/settings.py`` or the environment):

* ``LC_REMINDER_DAYS`` / ``TRADEWIND_LC_REMINDER_DAYS`` — days ahead of each L/C date that a
  reminder goes out, default ``7,2``;
* ``LC_TRANSIT_BUFFER_DAYS`` / ``TRADEWIND_LC_TRANSIT_BUFFER_DAYS`` — days from the end of
  production to on board, added to the lead time when the latest shipment date is checked,
  default 7.
"""

import os
from decimal import Decimal
from functools import lru_cache

from django.conf import settings

from tradewind.contracts.lc.models import TERM_FIELDS, LetterOfCredit
from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import TradeError
from tradewind.trade.lc_deadlines import (
    DEFAULT_REMINDER_DAYS,
    CreditDeadlines,
    check_reminder_days,
    credit_deadlines,
)
from tradewind.trade.lc_review import (
    DEFAULT_TRANSIT_BUFFER_DAYS,
    ContractLine,
    ContractTerms,
    CreditTerms,
)

LC_INSTRUMENTS = ("L/C at sight", "usance L/C")


def _setting(name: str, env: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(env, default)
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def reminder_days() -> tuple[int, ...]:
    text = _setting("LC_REMINDER_DAYS", "TRADEWIND_LC_REMINDER_DAYS", "")
    if not text.strip():
        return DEFAULT_REMINDER_DAYS
    try:
        return check_reminder_days(int(part) for part in text.split(",") if part.strip())
    except (ValueError, TradeError):
        return DEFAULT_REMINDER_DAYS


def transit_buffer_days() -> int:
    text = _setting("LC_TRANSIT_BUFFER_DAYS", "TRADEWIND_LC_TRANSIT_BUFFER_DAYS", "")
    try:
        return max(0, min(60, int(text))) if text.strip() else DEFAULT_TRANSIT_BUFFER_DAYS
    except ValueError:
        return DEFAULT_TRANSIT_BUFFER_DAYS


@lru_cache(maxsize=64)
def bank_calendar(country: str) -> BusinessCalendar:
    """The bank calendar at the place of expiry: its weekend and public holidays."""
    try:
        return country_calendar(country or None)
    except TradeError:
        return country_calendar(None)


def plain_percent(value: Decimal | None) -> Decimal:
    """``Decimal('5.000')`` → ``Decimal('5')`` (as printed), never in exponent form."""
    if value is None:
        return Decimal(0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def credit_terms_of(lc: LetterOfCredit) -> CreditTerms:
    values = {name: getattr(lc, name) for name in TERM_FIELDS}
    values["tolerance_plus_percent"] = plain_percent(lc.tolerance_plus_percent)
    values["tolerance_minus_percent"] = plain_percent(lc.tolerance_minus_percent)
    return CreditTerms.from_values(values)


def _lc_instalments(contract) -> list[dict]:
    return [
        part
        for part in contract.payment_terms or []
        if isinstance(part, dict) and part.get("instrument") in LC_INSTRUMENTS
    ]


def _lc_amount(contract) -> Decimal | None:
    """The credit's share of the contract: the schedule's L/C payments, else the L/C shares of
    the terms; ``None`` when the terms do not say (the credit then covers the whole total)."""
    paid_by_lc = [
        Decimal(str(row["amount"]))
        for row in contract.payment_schedule or []
        if isinstance(row, dict) and row.get("instrument") in LC_INSTRUMENTS and row.get("amount")
    ]
    if paid_by_lc:
        share = sum(paid_by_lc, Decimal(0))
        return None if share >= contract.total_amount else share
    parts = _lc_instalments(contract)
    if not parts or not contract.total_amount:
        return None
    share = sum((Decimal(str(part.get("share_percent") or 0)) for part in parts), Decimal(0))
    if share >= 100:
        return None
    return (contract.total_amount * share / 100).quantize(Decimal("0.01"))


def _tenor_days(contract) -> int | None:
    days = [
        0 if part.get("instrument") == "L/C at sight" else int(part.get("days") or 0)
        for part in _lc_instalments(contract)
    ]
    return max(days) if days else None


def _confirmation_required(contract) -> bool:
    if any(part.get("confirmed") for part in _lc_instalments(contract)):
        return True
    text = (contract.payment_terms_text or "").lower()
    return "confirmed" in text and ("l/c" in text or "credit" in text)


def contract_terms_of(contract, lines=None) -> ContractTerms:
    lines = list(contract.lines.all()) if lines is None else lines
    insured = {"seller": True, "buyer": False}.get(contract.insured_by)
    return ContractTerms(
        currency=contract.currency,
        total_amount=contract.total_amount,
        lc_amount=_lc_amount(contract),
        quantity_tolerance_percent=plain_percent(contract.quantity_tolerance_percent),
        incoterm=contract.incoterm,
        named_place=contract.named_place,
        port_of_loading=contract.port_of_loading,
        destination_port=contract.destination_port,
        latest_shipment_date=contract.latest_shipment_date,
        production_lead_time_days=contract.production_lead_time_days,
        partial_shipment_allowed=contract.partial_shipment == "allowed",
        transhipment_allowed=contract.transhipment == "allowed",
        seller_insures=insured,
        insurance_percent=plain_percent(contract.insurance_percent),
        lines=tuple(
            ContractLine(
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                model=line.model,
            )
            for line in lines
        ),
        lc_tenor_days=_tenor_days(contract),
        confirmation_required=_confirmation_required(contract),
    )


def deadlines_of(lc: LetterOfCredit) -> CreditDeadlines:
    """The dates to watch, from the UCP 600 rules and the bank calendar of the expiry place."""
    credit = credit_terms_of(lc).core()
    return credit_deadlines(
        credit, bank_calendar(lc.expiry_country), on_board_date=lc.on_board_date
    )
