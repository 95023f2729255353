"""Export price build-up (出口报价核算), DOMAIN.md §3: every term, both conventions, the working.

:func:`build_price` takes :class:`PriceInputs` and prices every applicable term — EXW, FCA, FOB,
CFR, CIF, CPT, CIP, and DAP / DPU / DDP when destination costs are given — under both
conventions, plus the commission-inclusive price of each (``CIFC5``) when a commission is given.
The reverse mode lives in :mod:`tradewind.trade.pricing_reverse`.

Formulas (per unit; G = goods cost in the quote currency = (C + D) / X for the cost blocks the
seller carries under the term; A = freight + destination charges + unloading as the term
requires; s = insurance markup × insurance rate when the term insures; m = margin):

* add-on convention (freight and insurance at cost): price = (G·f(m) + A) / (1 − s), with
  f(m) = 1 / (1 − m) (margin on price) or 1 + m (margin on cost). So CFR = FOB + F and
  CIF = CFR / (1 − 1.1·i), as DOMAIN.md states.
* textbook convention (margin earned on freight and insurance): price = (G + A) / (1 − m − s)
  (margin on price) or (G + A)·(1 + m) / (1 − s) (margin on cost).
* EXW, FCA and FOB have no add-ons, so both conventions give the same figure.
* commission-inclusive price = price / (1 − k); commission = that price × k.

Judgement calls:

* **Manufacturers** (``cost_basis=factory_cost``) give a VAT-exclusive factory cost; under
  exempt-credit-refund (免抵退) the VAT that is not refunded, factory cost × (VAT − rebate), is a
  cost. Official 免抵退 uses the FOB value as base; a quotation uses the cost, which gives the
  same net cost as a trading company buying the same goods (100 + 4 = 113 − 9 = 104).
* **Domestic charges** are booked to an Incoterms cost block (default: inland transport to the
  port), so EXW excludes them, FCA excludes origin terminal charges, FOB includes all.
* **D-rules** are insured at the CIP rate (ICC (A)) because the seller carries the risk to
  destination; without an insurance rate they are priced uninsured. Import duty is charged on
  the CIP value of the same build-up (customs value, as most countries value imports CIF),
  import tax on value + duty; duty, tax and clearance are passed on at cost in both conventions,
  grossed up only for insurance (the margin is a share of the price before import charges).
* **CPT / CIP** use the same freight as CFR / CIF (the figure given); CIP uses
  ``cip_insurance_rate_percent`` when given (ICC (A) costs more than ICC (C)).
* **FAS** is not priced: it differs from FOB only by the loading cost, which the inputs do not
  separate.
* **Rounding**: everything is computed at full Decimal precision; each unit price is rounded
  half-up to the currency's minor unit at the end and total = rounded unit price × quantity.
  Working lines show values at 6 places for reading; the exact values are on :class:`TermPrice`.
* **Swap cost** (换汇成本) = RMB cost to FOB ÷ rounded FOB (FCA when the mode is not by sea),
  4 places; **profit rate** = (rounded FOB × X − RMB cost) ÷ RMB cost, in per cent, 2 places.
  X is the rate used for pricing (bank buying rate less any FX buffer).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tradewind.trade.errors import PricingError
from tradewind.trade.incoterms import Incoterm
from tradewind.trade.money import (
    HUNDRED,
    format_decimal_places,
    minor_unit,
    percent_to_fraction,
    quantize,
    round_money,
)
from tradewind.trade.pricing_engine import (
    ONE,
    PricingContext,
    TermCalculation,
    WorkingLine,
)
from tradewind.trade.pricing_inputs import (
    ChargeBasis,
    Convention,
    CostBasis,
    DestinationCosts,
    DomesticCharge,
    Freight,
    FreightLCL,
    FreightPerContainer,
    FreightPerUnit,
    MarginBasis,
    PriceInputs,
    plain_number,
)

PRICED_TERMS = (
    Incoterm.EXW,
    Incoterm.FCA,
    Incoterm.FOB,
    Incoterm.CFR,
    Incoterm.CIF,
    Incoterm.CPT,
    Incoterm.CIP,
    Incoterm.DAP,
    Incoterm.DPU,
    Incoterm.DDP,
)
_SAME_IN_BOTH = frozenset({Incoterm.EXW, Incoterm.FCA, Incoterm.FOB})


@dataclass(frozen=True)
class TermPrice:
    key: str  # "CIF" or "CIFC5"
    incoterm: Incoterm
    convention: Convention
    commission_percent: Decimal | None
    unit_price_exact: Decimal
    unit_price: Decimal  # rounded half-up to the currency's minor unit
    total: Decimal  # unit_price × quantity
    insurance_premium_exact: Decimal  # per unit, 0 when the term does not insure
    commission_exact: Decimal  # per unit, 0 without commission


@dataclass(frozen=True)
class PriceBuildUp:
    currency: str
    quantity: int
    convention: Convention  # the one the salesperson chose; both are in ``prices``
    margin_basis: MarginBasis
    net_cost_rmb: Decimal  # C per unit
    cost_to_fob_rmb: Decimal  # C + D per unit (to FCA when not by sea)
    prices: tuple[TermPrice, ...]
    swap_cost: Decimal
    profit_rate_percent: Decimal
    lines: tuple[WorkingLine, ...]
    skipped: tuple[tuple[str, str], ...]  # (term, why it was not priced)
    warnings: tuple[str, ...]

    def price(self, key: str, convention: Convention | str | None = None) -> TermPrice:
        wanted = Convention(convention) if convention is not None else self.convention
        for price in self.prices:
            if price.key == key.strip().upper() and price.convention is wanted:
                return price
        reasons = dict(self.skipped)
        reason = reasons.get(key.strip().upper(), "it is not an Incoterms rule priced here")
        raise PricingError(f"term: no {key} price — {reason}", field="term")

    def unit_prices(self, convention: Convention | str | None = None) -> dict[str, Decimal]:
        wanted = Convention(convention) if convention is not None else self.convention
        return {p.key: p.unit_price for p in self.prices if p.convention is wanted}


def _t(value: Decimal, places: int = 6) -> str:
    return format_decimal_places(value, places)


def _pct(fraction: Decimal) -> str:
    return plain_number(fraction * HUNDRED) + "%"


def build_price(inputs: PriceInputs, *, convention: Convention | str = Convention.ADDON):
    """The full build-up: every applicable term under both conventions, with the working."""
    primary = Convention(convention)
    ctx = PricingContext(inputs)
    net_cost = ctx.net_cost(inputs.purchase_price_rmb)
    lines = _cost_lines(ctx, net_cost)
    skipped: list[tuple[str, str]] = []
    prices: list[TermPrice] = []
    for conv in (primary, *(c for c in Convention if c is not primary)):
        for term in PRICED_TERMS:
            reason = ctx.unavailable(term)
            if reason is not None:
                if conv is primary:
                    skipped.append((term.value, reason))
                continue
            calc = ctx.calculate(term, conv, net_cost=net_cost)
            if conv is primary or term not in _SAME_IN_BOTH:
                lines.extend(_term_lines(ctx, calc, show_convention=term not in _SAME_IN_BOTH))
            prices.extend(_term_prices(ctx, calc, lines if conv is primary else None))
    fob_term = Incoterm.FOB if ctx.unavailable(Incoterm.FOB) is None else Incoterm.FCA
    fob = next(p for p in prices if p.key == fob_term.value)
    if fob.unit_price <= 0:
        raise PricingError(
            f"the {fob_term} price rounds to {fob.unit_price} {inputs.currency} per "
            f"{inputs.unit_name}; quote per 100 or 1,000 units instead",
            field="purchase_price_rmb",
        )
    cost_to_fob = net_cost + ctx.domestic_for(fob_term)
    swap_cost, profit_rate = _kpis(ctx, cost_to_fob, fob.unit_price, fob_term, lines)
    warnings = []
    if swap_cost >= ctx.fx:
        warnings.append(
            f"swap cost {swap_cost} is not below the exchange rate {_t(ctx.fx, 4)}: "
            f"the {fob_term} price does not earn money"
        )
    return PriceBuildUp(
        currency=inputs.currency,
        quantity=inputs.quantity,
        convention=primary,
        margin_basis=inputs.margin_basis,
        net_cost_rmb=net_cost,
        cost_to_fob_rmb=cost_to_fob,
        prices=tuple(prices),
        swap_cost=swap_cost,
        profit_rate_percent=profit_rate,
        lines=tuple(lines),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


def _cost_lines(ctx: PricingContext, net_cost: Decimal) -> list[WorkingLine]:
    inputs, rmb = ctx.inputs, ctx.rmb_unit
    price = inputs.purchase_price_rmb
    vat, rebate = _pct(ctx.vat), _pct(ctx.rebate)
    if inputs.cost_basis is CostBasis.PURCHASE_INCL_VAT:
        ex_vat = price / (ONE + ctx.vat)
        lines = [
            WorkingLine("Purchase price incl. VAT (P)", "given", price, rmb),
            WorkingLine("Purchase price excl. VAT", f"{price} / (1 + {vat})", ex_vat, rmb),
            WorkingLine("Export VAT rebate", f"{_t(ex_vat)} × {rebate}", ex_vat * ctx.rebate, rmb),
            WorkingLine("Net cost (C)", f"{price} − {_t(price - net_cost)}", net_cost, rmb),
        ]
    else:
        gap = price * (ctx.vat - ctx.rebate)
        lines = [
            WorkingLine("Factory cost excl. VAT", "given", price, rmb),
            WorkingLine("VAT not refunded (征退税差)", f"{price} × ({vat} − {rebate})", gap, rmb),
            WorkingLine("Net cost (C)", f"{price} + {_t(gap)}", net_cost, rmb),
        ]
    lines.extend(ctx.domestic_lines)
    fx_text = f"{inputs.fx_rmb_per_unit} bank buying rate"
    if inputs.fx_buffer_percent:
        fx_text = f"{inputs.fx_rmb_per_unit} × (1 − {plain_number(inputs.fx_buffer_percent)}%)"
    lines.append(WorkingLine("Exchange rate (X)", fx_text, ctx.fx, f"RMB/{inputs.currency}"))
    if ctx.freight is not None:
        lines.append(WorkingLine("Freight per unit (F)", ctx.freight_text, ctx.freight, ctx.unit))
    groups: dict[Decimal, list[str]] = {}
    for term in (Incoterm.EXW, Incoterm.FCA, Incoterm.FOB):
        if ctx.unavailable(term) is None:
            groups.setdefault(ctx.domestic_for(term), []).append(term.value)
    for domestic, terms in groups.items():
        name, cost = "/".join(terms), net_cost + domestic
        lines.append(
            WorkingLine(f"Cost to {name}, RMB", f"{_t(net_cost)} + {_t(domestic)}", cost, rmb)
        )
        lines.append(
            WorkingLine(
                f"Cost to {name} (G)", f"{_t(cost)} / {_t(ctx.fx, 4)}", cost / ctx.fx, ctx.unit
            )
        )
    return lines


def _term_lines(ctx: PricingContext, calc: TermCalculation, *, show_convention: bool):
    m = _pct(ctx.margin)
    share = calc.insurance_share
    ins = _insurance_text(ctx, calc.term) if share else ""
    goods = _t(calc.goods)
    extra = " + ".join(_t(value) for _, value in calc.addons)
    cost_basis = ctx.inputs.margin_basis is MarginBasis.COST
    if calc.convention is Convention.ADDON:
        formula = f"{goods} × (1 + {m})" if cost_basis else f"{goods} / (1 − {m})"
        formula = f"{formula} + {extra}" if extra else formula
        formula = f"({formula}) / (1 − {ins})" if share else formula
    else:
        base = f"({goods} + {extra})" if extra else goods
        if cost_basis:
            formula = f"{base} × (1 + {m})" + (f" / (1 − {ins})" if share else "")
        else:
            formula = f"{base} / (1 − {m}" + (f" − {ins})" if share else ")")
    lines = []
    if calc.term is Incoterm.DDP:
        dest = ctx.inputs.destination
        lines.append(
            WorkingLine(
                "DDP import duty, tax and clearance",
                f"{dest.import_clearance_per_unit} + {_t(calc.customs_value)} customs value × "
                f"(duty {plain_number(dest.import_duty_percent)}% + tax "
                f"{plain_number(dest.import_tax_percent)}% on value + duty)",
                calc.import_charges,
                ctx.unit,
            )
        )
        formula += f" + {_t(calc.import_charges)}" + (f" / (1 − {ins})" if share else "")
    label = f"{calc.term} ({calc.convention})" if show_convention else calc.term.value
    lines.append(WorkingLine(label, formula, calc.price, ctx.unit))
    if share:
        premium = calc.price * share
        lines.append(
            WorkingLine(
                f"{label} insurance premium", f"{_t(calc.price)} × {ins}", premium, ctx.unit
            )
        )
    return lines


def _insurance_text(ctx: PricingContext, term: Incoterm) -> str:
    rate = ctx.insurance_rate_text[Incoterm.CIF if term is Incoterm.CIF else Incoterm.CIP]
    return f"{plain_number(ctx.inputs.insurance_markup_percent)}% × {plain_number(rate)}%"


def _term_prices(ctx: PricingContext, calc: TermCalculation, lines: list | None):
    inputs = ctx.inputs
    variants: list[tuple[str, Decimal | None, Decimal, Decimal]] = [
        (calc.term.value, None, calc.price, Decimal(0))
    ]
    if inputs.commission_percent is not None:
        k = percent_to_fraction(inputs.commission_percent)
        with_commission = calc.price / (ONE - k)
        key = calc.term.value + (inputs.commission_key_suffix or "")
        variants.append((key, inputs.commission_percent, with_commission, with_commission * k))
        if lines is not None:
            lines.append(
                WorkingLine(key, f"{_t(calc.price)} / (1 − {_pct(k)})", with_commission, ctx.unit)
            )
            lines.append(
                WorkingLine(
                    f"{key} commission",
                    f"{_t(with_commission)} × {_pct(k)}",
                    with_commission * k,
                    ctx.unit,
                )
            )
    result = []
    for key, commission, exact, commission_amount in variants:
        rounded = round_money(exact, inputs.currency)
        total = rounded * inputs.quantity
        if lines is not None:
            step = minor_unit(inputs.currency)
            lines.append(
                WorkingLine(
                    f"{key} unit price", f"{_t(exact)} half-up to {step}", rounded, ctx.unit
                )
            )
            lines.append(
                WorkingLine(
                    f"{key} total",
                    f"{rounded} × {inputs.quantity} {inputs.unit_name}",
                    total,
                    inputs.currency,
                )
            )
        result.append(
            TermPrice(
                key=key,
                incoterm=calc.term,
                convention=calc.convention,
                commission_percent=commission,
                unit_price_exact=exact,
                unit_price=rounded,
                total=total,
                insurance_premium_exact=calc.price * calc.insurance_share,
                commission_exact=commission_amount,
            )
        )
    return result


def _kpis(ctx, cost_to_fob: Decimal, fob: Decimal, term: Incoterm, lines: list):
    swap_cost = quantize(cost_to_fob / fob, 4)
    profit_rate = quantize((fob * ctx.fx - cost_to_fob) / cost_to_fob * HUNDRED, 2)
    lines.append(
        WorkingLine(
            "Swap cost (换汇成本)",
            f"{_t(cost_to_fob)} / {fob} {term}",
            swap_cost,
            f"RMB/{ctx.inputs.currency}",
        )
    )
    lines.append(
        WorkingLine(
            "Profit rate",
            f"({fob} × {_t(ctx.fx, 4)} − {_t(cost_to_fob)}) / {_t(cost_to_fob)}",
            profit_rate,
            "%",
        )
    )
    return swap_cost, profit_rate


__all__ = [
    "PRICED_TERMS",
    "ChargeBasis",
    "Convention",
    "CostBasis",
    "DestinationCosts",
    "DomesticCharge",
    "Freight",
    "FreightLCL",
    "FreightPerContainer",
    "FreightPerUnit",
    "MarginBasis",
    "PriceBuildUp",
    "PriceInputs",
    "TermPrice",
    "WorkingLine",
    "build_price",
]
