"""Reverse pricing: the highest purchase price, or the margin, that a target price allows.

* :func:`solve_purchase_price` — from a target unit price for a term (``"FOB"``, ``"CIFC5"``),
  the highest purchase price (or factory cost) that still earns the margin in the inputs.
* :func:`solve_margin` — the margin that a given unit price yields at the purchase price in the
  inputs.

Both are exact in Decimal, with no search: every term's price is affine in the net cost and in
the margin factor (1/(1 − m), 1 + m, or 1/(1 − m − s) for the textbook convention with margin on
price), so two evaluations of the forward arithmetic give the line and one division inverts it.
The commission suffix of the term key (``C5``) is removed first: net = target × (1 − k).

Judgement calls:

* The purchase price is returned exact and **rounded down** to the fen (``value``): rounding up
  would lose part of the margin, so "highest that keeps the margin" means floor.
* The margin is returned exact and rounded half-up to 2 places of a per cent. A price below
  cost gives a negative margin with a warning; a price that does not even cover freight,
  insurance and destination costs has no margin and raises :class:`PricingError`.
* Round trip: reverse(forward(x)) returns x within one minor unit of the quote currency (the
  forward price is rounded to it); reverse of the *exact* forward price returns x to ~1e-20.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from tradewind.trade.checks import require_range, to_decimal
from tradewind.trade.errors import PricingError
from tradewind.trade.incoterms import Incoterm
from tradewind.trade.money import HUNDRED, format_decimal_places, percent_to_fraction, quantize
from tradewind.trade.pricing_engine import ONE, PricingContext, WorkingLine
from tradewind.trade.pricing_inputs import Convention, CostBasis, MarginBasis, PriceInputs

_TERM_KEY = re.compile(
    r"^(?P<term>" + "|".join(code.value for code in Incoterm) + r")(?:C(?P<k>\d+(?:\.\d+)?))?$"
)
RMB_PLACES = 2


def parse_term_key(key: str, *, field: str = "term") -> tuple[Incoterm, Decimal | None]:
    """``"CIF"`` → (CIF, None); ``"CIFC5"`` → (CIF, 5); ``"FOBC2.5"`` → (FOB, 2.5)."""
    if not isinstance(key, str):
        raise TypeError(f"{field}: expected a term such as 'FOB' or 'CIFC5'")
    match = _TERM_KEY.match(key.strip().upper())
    if match is None:
        known = ", ".join(code.value for code in Incoterm)
        raise PricingError(
            f"{field}: {key!r} is not a term; use one of {known}, optionally with a commission "
            "suffix such as CIFC5",
            field=field,
        )
    commission = match.group("k")
    if commission is not None:
        value = Decimal(commission)
        require_range(
            value,
            field=field,
            error=PricingError,
            minimum=0,
            minimum_inclusive=False,
            maximum=50,
            what="commission in the term key (%)",
        )
        return Incoterm(match.group("term")), value
    return Incoterm(match.group("term")), None


@dataclass(frozen=True)
class ReverseResult:
    solved_for: str  # "purchase_price_rmb" or "margin_percent"
    term: str
    convention: Convention
    target_unit_price: Decimal
    exact: Decimal
    value: Decimal  # purchase price floored to the fen, or margin % rounded to 2 places
    unit: str
    lines: tuple[WorkingLine, ...]
    warnings: tuple[str, ...] = ()


def _t(value: Decimal) -> str:
    return format_decimal_places(value, 6)


def _prepare(inputs: PriceInputs, term: str, target: object, field: str):
    ctx = PricingContext(inputs)
    incoterm, commission = parse_term_key(term)
    reason = ctx.unavailable(incoterm)
    if reason is not None:
        raise PricingError(f"term: {incoterm} cannot be priced — {reason}", field="term")
    price = to_decimal(target, field=field, error=PricingError)
    require_range(
        price,
        field=field,
        error=PricingError,
        minimum=0,
        minimum_inclusive=False,
        what="target unit price",
    )
    lines = [WorkingLine(f"Target {term.strip().upper()} price", "given", price, ctx.unit)]
    net = price
    if commission is not None:
        k = percent_to_fraction(commission)
        net = price * (ONE - k)
        text = f"{price} × (1 − {commission}%)"
        lines.append(WorkingLine(f"{incoterm} price net of commission", text, net, ctx.unit))
    return ctx, incoterm, price, net, lines


def solve_purchase_price(
    inputs: PriceInputs,
    *,
    term: str,
    target_unit_price: object,
    convention: Convention | str = Convention.ADDON,
) -> ReverseResult:
    """Highest purchase price (RMB) that reaches ``target_unit_price`` at the input margin.

    ``inputs.purchase_price_rmb`` is ignored (any valid value will do).
    """
    conv = Convention(convention)
    field = "target_unit_price"
    ctx, incoterm, target, net, lines = _prepare(inputs, term, target_unit_price, field)
    at_zero = ctx.calculate(incoterm, conv, net_cost=Decimal(0)).price
    slope = ctx.calculate(incoterm, conv, net_cost=ONE).price - at_zero
    net_cost = (net - at_zero) / slope
    if net_cost <= 0:
        raise PricingError(
            f"target unit price {target} does not cover the charges, freight and insurance of "
            f"{incoterm} ({_t(at_zero)}) at this margin — raise the price or lower the margin",
            field=field,
        )
    purchase = ctx.purchase_price_for(net_cost)
    floored = quantize(purchase, RMB_PLACES, rounding=ROUND_FLOOR)
    rmb = ctx.rmb_unit
    vat, rebate = inputs.vat_percent, inputs.rebate_percent
    if inputs.cost_basis is CostBasis.PURCHASE_INCL_VAT:
        label, formula = "Highest purchase price incl. VAT", f"× (1 + {vat}%) / (1 + {vat}% − "
        formula += f"{rebate}%)"
    else:
        label, formula = "Highest factory cost excl. VAT", f"/ (1 + {vat}% − {rebate}%)"
    check = ctx.calculate(incoterm, conv, net_cost=ctx.net_cost(floored)).price
    lines += [
        WorkingLine(
            f"{incoterm} price at zero net cost", "charges, freight, insurance", at_zero, ctx.unit
        ),
        WorkingLine(
            f"{incoterm} price per RMB 1 of net cost", "slope of the build-up", slope, ctx.unit
        ),
        WorkingLine(
            "Net cost that meets the target (C)",
            f"({_t(net)} − {_t(at_zero)}) / {_t(slope)}",
            net_cost,
            rmb,
        ),
        WorkingLine(label, f"{_t(net_cost)} {formula}", purchase, rmb),
        WorkingLine(f"{label}, rounded down", f"{_t(purchase)} down to 0.01", floored, rmb),
        WorkingLine(f"Check: {incoterm} at {floored}", "forward build-up", check, ctx.unit),
    ]
    return ReverseResult(
        solved_for="purchase_price_rmb",
        term=term.strip().upper(),
        convention=conv,
        target_unit_price=target,
        exact=purchase,
        value=floored,
        unit=rmb,
        lines=tuple(lines),
    )


def solve_margin(
    inputs: PriceInputs,
    *,
    term: str,
    unit_price: object,
    convention: Convention | str = Convention.ADDON,
) -> ReverseResult:
    """The margin (in per cent, on the inputs' ``margin_basis``) that ``unit_price`` yields.

    ``inputs.margin_percent`` is ignored (any valid value will do).
    """
    conv = Convention(convention)
    ctx, incoterm, target, net, lines = _prepare(inputs, term, unit_price, "unit_price")
    net_cost = ctx.net_cost(inputs.purchase_price_rmb)
    at_zero = ctx.calculate(incoterm, conv, net_cost=net_cost, margin_factor=Decimal(0)).price
    slope = ctx.calculate(incoterm, conv, net_cost=net_cost, margin_factor=ONE).price - at_zero
    factor = (net - at_zero) / slope
    margin = ctx.margin_from_factor(incoterm, conv, factor)
    if margin is None:
        raise PricingError(
            f"unit price {target} is below what freight, insurance and destination costs alone "
            f"come to under {incoterm}; no margin can reach it",
            field="unit_price",
        )
    percent = margin * HUNDRED
    basis = inputs.margin_basis
    if basis is MarginBasis.COST:
        formula = f"{_t(factor)} − 1"
    elif conv is Convention.ADDON:
        formula = f"1 − 1 / {_t(factor)}"
    else:
        share = ctx.insurance_share(incoterm) or Decimal(0)
        formula = f"1 − {_t(share)} insurance − 1 / {_t(factor)}"
    lines += [
        WorkingLine(f"{incoterm} price at margin factor 0", "cost-free part", at_zero, ctx.unit),
        WorkingLine(f"{incoterm} price per unit of margin factor", "slope", slope, ctx.unit),
        WorkingLine("Margin factor", f"({_t(net)} − {_t(at_zero)}) / {_t(slope)}", factor, ""),
        WorkingLine(f"Margin on {basis}", formula, percent, "%"),
    ]
    warnings = ()
    if margin < 0:
        warnings = (f"{target} {incoterm} is below cost: it loses {quantize(-percent, 2)} %",)
    return ReverseResult(
        solved_for="margin_percent",
        term=term.strip().upper(),
        convention=conv,
        target_unit_price=target,
        exact=percent,
        value=quantize(percent, 2),
        unit="%",
        lines=tuple(lines),
        warnings=warnings,
    )
