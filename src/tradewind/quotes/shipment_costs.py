"""The shipment side of a quotation's cost: the checks that name the line and the field to fill,
and the allocation of per-shipment charges and freight (FCL plan or LCL freight tons) to each
line, by volume or by value. :mod:`tradewind.quotes.pricing` turns the result into prices."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.quotes.choices import ChargeAllocation, FreightBasis
from tradewind.quotes.models import QuotationLine, QuotationRevision
from tradewind.trade.containers import Carton, cartons_per_container, lcl_freight_tons
from tradewind.trade.errors import MoneyError, TradeError
from tradewind.trade.incoterms import RULES, CostBlock, Incoterm
from tradewind.trade.loadplan import PlanItem, plan_shipment
from tradewind.trade.money import format_decimal_places, normalise_currency, quantize
from tradewind.trade.pricing import (
    ChargeBasis,
    DomesticCharge,
    FreightLCL,
    FreightPerContainer,
    FreightPerUnit,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
DEFAULT_CONTAINER = "40HQ"
CHARGE_BLOCKS = (
    CostBlock.GOODS,
    CostBlock.EXPORT_CLEARANCE,
    CostBlock.INLAND_TO_PORT,
    CostBlock.ORIGIN_TERMINAL,
)
# Trade-core argument → the form field of a line or a revision that holds it.
FIELD_OF = {
    "purchase_price_rmb": "unit_cost_rmb",
    "quantity": "quantity",
    "vat_percent": "vat_percent",
    "rebate_percent": "rebate_percent",
    "margin_percent": "margin_percent",
    "fx_rmb_per_unit": "fx_rmb_per_unit",
    "fx_buffer_percent": "fx_buffer_percent",
    "insurance_rate_percent": "insurance_rate_percent",
    "insurance_markup_percent": "insurance_markup_percent",
    "commission_percent": "commission_percent",
    "freight": "freight_rate",
    "domestic_charges": "domestic_charges",
    "currency": "currency",
}


def figure(value: Decimal, places: int = 6) -> str:
    return format_decimal_places(value, places)


def plain_number(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- Checks that name the line and the field to fill -----------------------------------------


def line_name(line: QuotationLine, number: int) -> str:
    label = line.model or line.description
    return _("Line %(number)s (%(name)s)") % {"number": number, "name": label[:60]}


def line_error(line, number, message, field=None) -> DomainError:
    return DomainError(f"{line_name(line, number)}: {message}", field=field)


def has_packing(line: QuotationLine) -> bool:
    return all(
        value
        for value in (
            line.pcs_per_carton,
            line.carton_length_cm,
            line.carton_width_cm,
            line.carton_height_cm,
            line.carton_gross_weight_kg,
        )
    )


def _carton(line: QuotationLine, number: int) -> Carton:
    try:
        return Carton(
            line.carton_length_cm,
            line.carton_width_cm,
            line.carton_height_cm,
            line.carton_gross_weight_kg,
        )
    except TradeError as exc:
        raise line_error(line, number, exc.message, "carton_length_cm") from None


def cartons_of(line: QuotationLine) -> int:
    return int(quantize(Decimal(line.quantity) / line.pcs_per_carton, 0, rounding=ROUND_CEILING))


def _require_packing(lines, why: str) -> None:
    for number, line in enumerate(lines, start=1):
        if not has_packing(line):
            raise line_error(
                line,
                number,
                _(
                    "fill the packing (pieces per carton, carton size and gross weight) — "
                    "%(why)s needs it."
                )
                % {"why": why},
                "pcs_per_carton",
            )


def check_revision(revision: QuotationRevision, lines: list[QuotationLine]) -> str:
    """The normalised currency, or a DomainError saying what to fill."""
    if not lines:
        raise DomainError(_("Add at least one line before pricing."), field="lines")
    try:
        currency = normalise_currency(revision.currency or "")
    except (MoneyError, TypeError):
        raise DomainError(
            _("“%(code)s” is not a known currency code — use e.g. USD, EUR or GBP.")
            % {"code": revision.currency},
            field="currency",
        ) from None
    if not revision.fx_rmb_per_unit or revision.fx_rmb_per_unit <= 0:
        raise DomainError(
            _("There is no exchange rate for %(currency)s on this revision — enter one.")
            % {"currency": currency},
            field="fx_rmb_per_unit",
        )
    for number, line in enumerate(lines, start=1):
        if not line.quantity or line.quantity < 1:
            raise line_error(line, number, _("the quantity must be at least 1."), "quantity")
        if line.unit_cost_rmb is None or line.unit_cost_rmb <= 0:
            raise line_error(
                line, number, _("enter the purchase price or factory cost (RMB)."), "unit_cost_rmb"
            )
        margin = line.margin_percent if line.margin_percent is not None else revision.margin_percent
        if margin is None or margin < 0 or (revision.margin_basis == "price" and margin >= 100):
            raise line_error(
                line,
                number,
                _("a margin on price must be at least 0 % and below 100 %."),
                "margin_percent",
            )
    _check_term(revision)
    return currency


def _check_term(revision: QuotationRevision) -> None:
    term = Incoterm(revision.incoterm)
    rule = RULES[term]
    if rule.group == "D":
        raise DomainError(
            _(
                "%(term)s needs destination costs (charges, duty), which quotations do not take "
                "yet — quote CIF, CIP or CPT to the named place instead."
            )
            % {"term": term},
            field="incoterm",
        )
    if rule.seller_pays(CostBlock.MAIN_CARRIAGE) and revision.freight_basis == FreightBasis.NONE:
        raise DomainError(
            _(
                "%(term)s includes the freight: choose how freight is charged (full "
                "container, LCL or per unit) and give the rate."
            )
            % {"term": term},
            field="freight_basis",
        )
    if revision.freight_basis != FreightBasis.NONE and revision.freight_rate is None:
        raise DomainError(_("Enter the freight rate."), field="freight_rate")
    if revision.freight_basis == FreightBasis.CONTAINER and not revision.container_type:
        raise DomainError(_("Choose the container type for FCL freight."), field="container_type")
    if term in (Incoterm.CIF, Incoterm.CIP) and revision.insurance_rate_percent is None:
        raise DomainError(
            _("%(term)s includes insurance: enter the insurance rate.") % {"term": term},
            field="insurance_rate_percent",
        )


# --- Allocation -----------------------------------------------------------------------------


def _volume_cbm(line: QuotationLine, number: int) -> Decimal:
    return _carton(line, number).volume_cbm * cartons_of(line)


def _gross_weight_kg(line: QuotationLine) -> Decimal:
    return line.carton_gross_weight_kg * cartons_of(line)


def split(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` in proportion to ``weights``; the last share takes the remainder (exact sum)."""
    total = sum(weights, ZERO)
    if total <= 0:
        raise DomainError(_("Nothing to split a shipment charge by (all weights are zero)."))
    shares = [amount * weight / total for weight in weights[:-1]]
    shares.append(amount - sum(shares, ZERO))
    return shares


def _weights(revision, lines, basis: str, why: str) -> list[Decimal]:
    if len(lines) == 1:
        return [Decimal(1)]
    if basis == ChargeAllocation.VALUE:
        return [line.unit_cost_rmb * line.quantity for line in lines]
    _require_packing(lines, why)
    return [_volume_cbm(line, number) for number, line in enumerate(lines, start=1)]


def parse_charges(raw) -> list[dict]:
    """The revision's charge list checked and normalised; DomainError names the bad row."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise DomainError(_("Domestic charges must be a list."), field="domestic_charges")
    charges = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise DomainError(
                _("Domestic charge %(n)s is not readable.") % {"n": number},
                field="domestic_charges",
            )
        label = str(item.get("label") or "").strip()[:80]
        try:
            amount = Decimal(str(item.get("amount_rmb", "")).strip().replace(",", ""))
        except ArithmeticError:
            amount = None
        basis = item.get("basis") or ChargeBasis.PER_SHIPMENT.value
        block = item.get("block") or CostBlock.INLAND_TO_PORT.value
        problem = None
        if not label:
            problem = _("give it a name (e.g. trucking, customs broker)")
        elif amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e9"):
            problem = _("the amount must be a number of RMB, 0 or more")
        elif basis not in {b.value for b in ChargeBasis}:
            problem = _("charge it per unit or per shipment")
        elif block not in {b.value for b in CHARGE_BLOCKS}:
            problem = _("book it to goods, export clearance, inland transport or port charges")
        if problem:
            raise DomainError(
                _("Domestic charge %(n)s: %(problem)s.") % {"n": number, "problem": problem},
                field="domestic_charges",
            )
        charges.append({"label": label, "amount_rmb": str(amount), "basis": basis, "block": block})
    return charges


def charges_per_line(revision, lines) -> tuple[list[list[DomesticCharge]], list[list[dict]]]:
    per_line: list[list[DomesticCharge]] = [[] for _line in lines]
    notes: list[list[dict]] = [[] for _line in lines]
    why = _("splitting shipment charges by volume")
    for charge in parse_charges(revision.domestic_charges):
        amount = Decimal(charge["amount_rmb"])
        if charge["basis"] == ChargeBasis.PER_UNIT:
            for index in range(len(lines)):
                per_line[index].append(
                    DomesticCharge(charge["label"], amount, ChargeBasis.PER_UNIT, charge["block"])
                )
            continue
        weights = _weights(revision, lines, revision.charge_allocation, why)
        shares = split(amount, weights)
        total_weight = sum(weights, ZERO)
        for index, share in enumerate(shares):
            per_line[index].append(
                DomesticCharge(charge["label"], share, ChargeBasis.PER_SHIPMENT, charge["block"])
            )
            if len(lines) > 1:
                notes[index].append(
                    {
                        "label": _("%(charge)s, this line's share") % {"charge": charge["label"]},
                        "formula": f"{amount} × {figure(weights[index])} / {figure(total_weight)} "
                        f"({revision.get_charge_allocation_display()})",
                        "value": figure(share),
                        "unit": "RMB",
                    }
                )
    return per_line, notes


def container_code(revision: QuotationRevision) -> str:
    return revision.container_type or DEFAULT_CONTAINER


def units_per_container(line: QuotationLine, container: str) -> int | None:
    """Units of this line alone in one container (the quotation's 装柜量), or None."""
    if not has_packing(line):
        return None
    try:
        carton = Carton(
            line.carton_length_cm,
            line.carton_width_cm,
            line.carton_height_cm,
            line.carton_gross_weight_kg,
        )
        load = cartons_per_container(carton, container)
    except TradeError:
        return None
    return load.cartons * line.pcs_per_carton or None


def freight_per_line(revision, lines) -> tuple[list, list[list[dict]], dict]:
    """One freight input per line, the allocation notes, and the shipment summary."""
    basis = revision.freight_basis
    count = len(lines)
    notes: list[list[dict]] = [[] for _line in lines]
    shipment: dict = {"freight_basis": basis}
    if basis == FreightBasis.NONE:
        return [None] * count, notes, shipment
    rate = revision.freight_rate
    if basis == FreightBasis.PER_UNIT:
        return [FreightPerUnit(rate)] * count, notes, shipment
    if basis == FreightBasis.CONTAINER:
        _require_packing(lines, _("full-container freight"))
        return _fcl(revision, lines, rate, notes, shipment)
    _require_packing(lines, _("LCL freight"))
    return _lcl(revision, lines, rate, notes, shipment)


def _fcl(revision, lines, rate, notes, shipment):
    container = revision.container_type
    shipment["container_type"] = container
    items = [
        PlanItem(str(number), _carton(line, number), cartons_of(line))
        for number, line in enumerate(lines, start=1)
    ]
    try:
        plan = plan_shipment(items, container_types=(container,), freight_rates={container: rate})
    except TradeError as exc:
        raise DomainError(exc.message, field="container_type") from None
    shipment["containers"] = len(plan.containers)
    shipment["plan"] = " + ".join(f"{n}×{code}" for code, n in plan.count_by_type)
    shipment["freight_total"] = str(plan.freight_cost)
    if len(lines) == 1:
        line = lines[0]
        units = units_per_container(line, container)
        if not units:
            raise line_error(
                line,
                1,
                _("the carton does not fit in a %(c)s.") % {"c": container},
                "pcs_per_carton",
            )
        return [FreightPerContainer(rate, units, container)], notes, shipment
    volumes = [_volume_cbm(line, number) for number, line in enumerate(lines, start=1)]
    shares = split(plan.freight_cost, volumes)
    total_volume = sum(volumes, ZERO)
    freights = []
    for index, (line, share) in enumerate(zip(lines, shares, strict=True)):
        notes[index].append(
            {
                "label": _("Freight, this line's share"),
                "formula": f"{shipment['plan']} × {rate} = {plan.freight_cost} × "
                f"{figure(volumes[index])} / {figure(total_volume)} CBM",
                "value": figure(share),
                "unit": revision.currency,
            }
        )
        freights.append(FreightPerUnit(share / line.quantity))
    return freights, notes, shipment


def _lcl(revision, lines, rate, notes, shipment):
    volumes = [_volume_cbm(line, number) for number, line in enumerate(lines, start=1)]
    weights = [_gross_weight_kg(line) for line in lines]
    total_volume, total_weight = sum(volumes, ZERO), sum(weights, ZERO)
    tons = lcl_freight_tons(total_volume, total_weight)
    freight_total = rate * tons.freight_tons
    shipment.update(
        volume_cbm=figure(total_volume, 3),
        gross_weight_kg=figure(total_weight, 1),
        freight_tons=figure(tons.freight_tons, 3),
        freight_tons_basis=tons.basis,
        freight_total=figure(freight_total, 2),
    )
    if len(lines) == 1:
        return [FreightLCL(rate, total_volume, total_weight)], notes, shipment
    shares = split(freight_total, volumes)
    freights = []
    for index, (line, share) in enumerate(zip(lines, shares, strict=True)):
        notes[index].append(
            {
                "label": _("Freight, this line's share"),
                "formula": f"{rate} × {figure(tons.freight_tons, 3)} W/M = {figure(freight_total)}"
                f" × {figure(volumes[index])} / {figure(total_volume)} CBM",
                "value": figure(share),
                "unit": revision.currency,
            }
        )
        freights.append(FreightPerUnit(share / line.quantity))
    return freights, notes, shipment
