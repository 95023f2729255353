"""The payment schedule of a contract, built by the trade core
(:func:`tradewind.trade.payment_terms.build_schedule`), and the deposits it makes due.

The order date is the contract date and the shipment date the latest shipment date, so a deposit
"with order" is due on the contract date and a balance "7 days before shipment" a week before the
latest shipment date; instalments that wait for the B/L or arrival get their date later.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tradewind.contracts.credit import resolve_terms, terms_to_json
from tradewind.contracts.models import Contract, Deposit
from tradewind.core.errors import DomainError
from tradewind.trade.errors import PaymentTermsError
from tradewind.trade.payment_terms import (
    Instrument,
    Milestone,
    MilestoneDates,
    PaymentTerms,
    build_schedule,
)

CENT = Decimal("0.01")


def is_deposit(part) -> bool:
    """A T/T paid with the order: the deposit that production waits for."""
    return part.instrument is Instrument.TT and part.due is Milestone.ORDER


def schedule_rows(contract: Contract, terms: PaymentTerms) -> list[dict]:
    try:
        dates = MilestoneDates(
            order_date=contract.contract_date, shipment_date=contract.latest_shipment_date
        )
        total = contract.total_amount.quantize(CENT, rounding=ROUND_HALF_UP)
        schedule = build_schedule(terms, total=total, currency=contract.currency, dates=dates)
    except PaymentTermsError as exc:
        raise DomainError(exc.message, field="payment_terms") from None
    return [
        {
            "number": payment.number,
            "share_percent": f"{payment.instalment.share_percent.normalize():f}",
            "instrument": str(payment.instalment.instrument),
            "amount": str(payment.amount),
            "due_date": payment.due_date.isoformat() if payment.due_date else None,
            "due_text": payment.due_text,
            "deposit": is_deposit(payment.instalment),
        }
        for payment in schedule.payments
    ]


def rebuild_schedule(contract: Contract, *, code: str, rows=None) -> PaymentTerms:
    """Set the contract's terms (a template code or custom rows) and rebuild its schedule.
    Saves nothing."""
    try:
        terms = resolve_terms(code, rows if rows is not None else contract.payment_terms)
    except PaymentTermsError as exc:
        raise DomainError(exc.message, field="payment_terms") from None
    if contract.total_amount is None or contract.total_amount <= 0:
        raise DomainError(
            _("The contract total must be above zero before a payment schedule can be built."),
            field="payment_terms",
        )
    contract.payment_terms_code = code if code else "custom"
    contract.payment_terms = terms_to_json(terms)
    contract.payment_terms_text = terms.text[:300]
    contract.payment_schedule = schedule_rows(contract, terms)
    deposits = [row for row in contract.payment_schedule if row["deposit"]]
    contract.deposit_amount = (
        sum((Decimal(row["amount"]) for row in deposits), Decimal(0)) if deposits else None
    )
    contract.deposit_due_date = contract.contract_date if deposits else None
    return terms


# Payment-terms wording as quotations write it → the trade core's template.
_GUESSES = (
    (r"\bo/?a\b|open account", "OA_30"),
    (r"\bd/?a\b", "DA_60_BL"),
    (r"\bd/?p\b.*\d+\s*days", "DP_60"),
    (r"\bd/?p\b", "DP_SIGHT"),
    (r"usance|l/?c\s*\d+\s*days", "LC_USANCE_90"),
    (r"30\s*%.*t/?t.*70\s*%.*l/?c", "TT_30_LC_SIGHT_70"),
    (r"confirmed.*l/?c|l/?c.*confirmed", "LC_SIGHT_CONFIRMED"),
    (r"l/?c", "LC_SIGHT"),
    (r"30\s*%.*70\s*%.*(b/?l|bill of lading)", "TT_30_70_BL_COPY"),
    (r"30\s*%.*70\s*%.*before\s+(shipment|loading|delivery)", "TT_30_70_BEFORE_SHIPMENT"),
    (r"100\s*%.*(t/?t|advance)|in advance", "TT_100_ADVANCE"),
)


def guess_terms_code(text: str) -> str:
    """The template the quotation's payment-terms text most likely means ("" if unsure)."""
    lowered = (text or "").lower()
    for pattern, code in _GUESSES:
        if re.search(pattern, lowered):
            return code
    return ""


def sync_deposits(contract: Contract, *, actor) -> list[Deposit]:
    """One deposit record per deposit instalment of the signed schedule. An amendment changes the
    amount due of a deposit not yet credited; a credited one keeps what was received."""
    rows = [row for row in contract.payment_schedule or [] if row.get("deposit")]
    kept = []
    for row in rows:
        deposit, created = Deposit.objects.get_or_create(
            contract=contract,
            instalment_number=row["number"],
            defaults={
                "currency": contract.currency,
                "amount_due": Decimal(row["amount"]),
                "due_date": row["due_date"] or contract.contract_date,
                "recorded_by": actor,
            },
        )
        if not created and deposit.credited_at is None:
            deposit.amount_due = Decimal(row["amount"])
            deposit.currency = contract.currency
            deposit.save(update_fields=["amount_due", "currency"])
        kept.append(deposit)
    contract.deposits.filter(credited_at__isnull=True, slip_received_at__isnull=True).exclude(
        pk__in=[d.pk for d in kept]
    ).delete()
    return kept


def deposits_credited(contract: Contract) -> bool:
    deposits = list(contract.deposits.all())
    return bool(deposits) and all(
        d.credited_at is not None and (d.amount_credited or 0) >= d.amount_due for d in deposits
    )


def needs_deposit(contract: Contract) -> bool:
    return any(row.get("deposit") for row in contract.payment_schedule or [])


def needs_lc(contract: Contract) -> bool:
    return any("L/C" in (row.get("instrument") or "") for row in contract.payment_schedule or [])
