"""The one bridge from a quotation revision to the trade core's price build-up.

A revision carries the pricing inputs (FX, margin, insurance, commission, freight, domestic
charges) and each line a snapshot of its product (cost, VAT and rebate, packing). This module
turns them into one :class:`~tradewind.trade.pricing.PriceInputs` per line and calls
:func:`~tradewind.trade.pricing.build_price`; nothing else in the app prices a quotation.

What the module decides before the trade core runs (the *shipment* view of a revision):

* **Domestic charges** (``revision.domestic_charges``): a ``per_unit`` charge goes to every line
  as it is; a ``per_shipment`` charge is split across the lines by volume (carton CBM × cartons)
  or by value (cost × quantity), as ``revision.charge_allocation`` says. The last line takes the
  remainder, so the shares sum back to the charge exactly. One line takes the whole charge.
* **Freight** (in the quote currency): FCL with one line is the DOMAIN.md §3 rule, container
  rate ÷ units per container; FCL with several lines plans the shipment
  (:func:`~tradewind.trade.loadplan.plan_shipment` in the revision's container type) and splits
  containers × rate by volume. LCL with one line is rate × freight tons of the line; with
  several, rate × freight tons of the whole shipment, split by volume. Per unit: as given.
* **Margin of a line** (compared with the team minimum) is the margin input expressed as a
  share of the price: m for margin on price, m ÷ (1 + m) for markup on cost. Rounding the
  unit price moves the realised figure by a hair either way; the input is what the rep chose
  and what the manager approves, so that is what the rule compares.

:func:`preview` prices without saving (the cost sheet); :func:`price_revision` saves the results
on the lines and the revision and applies the approval rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError
from tradewind.quotes.choices import ChargeAllocation, FreightBasis
from tradewind.quotes.models import QuotationLine, QuotationRevision
from tradewind.trade.containers import Carton, cartons_per_container, lcl_freight_tons
from tradewind.trade.errors import MoneyError, TradeError
from tradewind.trade.incoterms import RULES, CostBlock, Incoterm
from tradewind.trade.loadplan import PlanItem, plan_shipment
from tradewind.trade.money import format_decimal_places, normalise_currency, quantize
from tradewind.trade.pricing import (
    PRICED_TERMS,
    ChargeBasis,
    DomesticCharge,
    FreightLCL,
    FreightPerContainer,
    FreightPerUnit,
    PriceBuildUp,
    PriceInputs,
    TermPrice,
    build_price,
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


def _text(value: Decimal, places: int = 6) -> str:
    return format_decimal_places(value, places)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- Results --------------------------------------------------------------------------------


@dataclass
class LinePricing:
    """One line priced: its inputs, the trade core's build-up and the chosen price."""

    line: QuotationLine
    inputs: PriceInputs
    build: PriceBuildUp
    chosen: TermPrice
    margin_percent: Decimal
    units_per_container: int | None
    allocation: list[dict] = field(default_factory=list)

    @property
    def alternatives(self) -> dict[str, Decimal]:
        """Every term's unit price under the chosen convention, in the trade core's order."""
        return self.build.unit_prices()

    def working(self) -> dict:
        build = self.build
        return {
            "chosen": self.chosen.key,
            "convention": build.convention.value,
            "margin_basis": build.margin_basis.value,
            "currency": build.currency,
            "quantity": build.quantity,
            "net_cost_rmb": str(build.net_cost_rmb),
            "cost_to_fob_rmb": str(build.cost_to_fob_rmb),
            "swap_cost": str(build.swap_cost),
            "profit_rate_percent": str(build.profit_rate_percent),
            "margin_percent": str(self.margin_percent),
            "units_per_container": self.units_per_container,
            "allocation": self.allocation,
            "lines": [
                {"label": w.label, "formula": w.formula, "value": _text(w.value), "unit": w.unit}
                for w in build.lines
            ],
            "prices": [
                {
                    "key": p.key,
                    "incoterm": p.incoterm.value,
                    "convention": p.convention.value,
                    "commission_percent": None
                    if p.commission_percent is None
                    else str(p.commission_percent),
                    "unit_price": str(p.unit_price),
                    "unit_price_exact": str(p.unit_price_exact),
                    "total": str(p.total),
                }
                for p in build.prices
            ],
            "skipped": [list(pair) for pair in build.skipped],
            "warnings": list(build.warnings),
        }


@dataclass
class RevisionPricing:
    revision: QuotationRevision
    lines: list[LinePricing]
    chosen_key: str
    total: Decimal
    lowest_margin_percent: Decimal | None
    shipment: dict

    @property
    def term_keys(self) -> list[str]:
        """The priced keys of the chosen convention, in order (EXW … CIP, then C-variants)."""
        keys: list[str] = []
        for line in self.lines:
            for key in line.alternatives:
                if key not in keys:
                    keys.append(key)
        return keys

    def working(self) -> dict:
        return {
            "chosen": self.chosen_key,
            "currency": self.revision.currency,
            "total": str(self.total),
            "lowest_margin_percent": None
            if self.lowest_margin_percent is None
            else str(self.lowest_margin_percent),
            "terms": self.term_keys,
            "shipment": self.shipment,
        }


# --- Checks that name the line and the field to fill -----------------------------------------


def line_name(line: QuotationLine, number: int) -> str:
    label = line.model or line.description
    return _("Line %(number)s (%(name)s)") % {"number": number, "name": label[:60]}


def _line_error(line, number, message, field=None) -> DomainError:
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
        raise _line_error(line, number, exc.message, "carton_length_cm") from None


def cartons_of(line: QuotationLine) -> int:
    return int(quantize(Decimal(line.quantity) / line.pcs_per_carton, 0, rounding=ROUND_CEILING))


def _require_packing(lines, why: str) -> None:
    for number, line in enumerate(lines, start=1):
        if not has_packing(line):
            raise _line_error(
                line,
                number,
                _(
                    "fill the packing (pieces per carton, carton size and gross weight) — "
                    "%(why)s needs it."
                )
                % {"why": why},
                "pcs_per_carton",
            )


def _check_revision(revision: QuotationRevision, lines: list[QuotationLine]) -> str:
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
            raise _line_error(line, number, _("the quantity must be at least 1."), "quantity")
        if line.unit_cost_rmb is None or line.unit_cost_rmb <= 0:
            raise _line_error(
                line, number, _("enter the purchase price or factory cost (RMB)."), "unit_cost_rmb"
            )
        margin = line.margin_percent if line.margin_percent is not None else revision.margin_percent
        if margin is None or margin < 0 or (revision.margin_basis == "price" and margin >= 100):
            raise _line_error(
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


def _domestic_charges(revision, lines) -> tuple[list[list[DomesticCharge]], list[list[dict]]]:
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
                        "formula": f"{amount} × {_text(weights[index])} / {_text(total_weight)} "
                        f"({revision.get_charge_allocation_display()})",
                        "value": _text(share),
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


def _freight(revision, lines) -> tuple[list, list[list[dict]], dict]:
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
            raise _line_error(
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
                f"{_text(volumes[index])} / {_text(total_volume)} CBM",
                "value": _text(share),
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
        volume_cbm=_text(total_volume, 3),
        gross_weight_kg=_text(total_weight, 1),
        freight_tons=_text(tons.freight_tons, 3),
        freight_tons_basis=tons.basis,
        freight_total=_text(freight_total, 2),
    )
    if len(lines) == 1:
        return [FreightLCL(rate, total_volume, total_weight)], notes, shipment
    shares = split(freight_total, volumes)
    freights = []
    for index, (line, share) in enumerate(zip(lines, shares, strict=True)):
        notes[index].append(
            {
                "label": _("Freight, this line's share"),
                "formula": f"{rate} × {_text(tons.freight_tons, 3)} W/M = {_text(freight_total)}"
                f" × {_text(volumes[index])} / {_text(total_volume)} CBM",
                "value": _text(share),
                "unit": revision.currency,
            }
        )
        freights.append(FreightPerUnit(share / line.quantity))
    return freights, notes, shipment


# --- Inputs and prices ----------------------------------------------------------------------


def effective_margin_percent(margin: Decimal, basis: str) -> Decimal:
    """The margin as a share of the price: m on price, or m / (1 + m) for a markup on cost."""
    if basis == "cost":
        return quantize(margin / (HUNDRED + margin) * HUNDRED, 3)
    return quantize(Decimal(margin), 3)


def line_margin(revision: QuotationRevision, line: QuotationLine) -> Decimal:
    return line.margin_percent if line.margin_percent is not None else revision.margin_percent


def revision_inputs(
    revision: QuotationRevision, lines: list[QuotationLine] | None = None
) -> tuple[list[tuple[QuotationLine, PriceInputs, list[dict]]], dict]:
    """``[(line, PriceInputs, allocation notes)]`` and the shipment summary; no database write."""
    if lines is None:
        lines = list(revision.lines.all())
    currency = _check_revision(revision, lines)
    charges, charge_notes = _domestic_charges(revision, lines)
    freights, freight_notes, shipment = _freight(revision, lines)
    result = []
    for number, line in enumerate(lines, start=1):
        try:
            inputs = PriceInputs(
                quantity=line.quantity,
                purchase_price_rmb=line.unit_cost_rmb,
                cost_basis=line.cost_basis,
                vat_percent=line.vat_percent,
                rebate_percent=line.rebate_percent,
                domestic_charges=tuple(charges[number - 1]),
                fx_rmb_per_unit=revision.fx_rmb_per_unit,
                fx_buffer_percent=revision.fx_buffer_percent,
                margin_percent=line_margin(revision, line),
                margin_basis=revision.margin_basis,
                freight=freights[number - 1],
                insurance_rate_percent=revision.insurance_rate_percent,
                insurance_markup_percent=revision.insurance_markup_percent,
                commission_percent=revision.commission_percent or None,
                currency=currency,
                transport_mode=revision.transport_mode,
                unit_name=line.unit or "pc",
            )
        except TradeError as exc:
            raise _line_error(line, number, exc.message, FIELD_OF.get(exc.field)) from None
        result.append((line, inputs, charge_notes[number - 1] + freight_notes[number - 1]))
    return result, shipment


def chosen_key(revision: QuotationRevision) -> str:
    key = revision.incoterm
    if revision.commission_percent:
        key += "C" + _plain(Decimal(revision.commission_percent))
    return key


def _price_line(revision, number, line, inputs, notes, container) -> LinePricing:
    try:
        build = build_price(inputs, convention=revision.convention)
        chosen = build.price(chosen_key(revision))
    except TradeError as exc:
        raise _line_error(line, number, exc.message, FIELD_OF.get(exc.field)) from None
    return LinePricing(
        line=line,
        inputs=inputs,
        build=build,
        chosen=chosen,
        margin_percent=effective_margin_percent(line_margin(revision, line), revision.margin_basis),
        units_per_container=units_per_container(line, container),
        allocation=notes,
    )


def preview(revision: QuotationRevision, lines: list[QuotationLine] | None = None):
    """Price every line of ``revision`` without saving anything (the cost sheet page)."""
    if lines is None:
        lines = list(revision.lines.all())
    priced_inputs, shipment = revision_inputs(revision, lines)
    container = container_code(revision)
    shipment.setdefault("container_type", container)
    priced = [
        _price_line(revision, number, line, inputs, notes, container)
        for number, (line, inputs, notes) in enumerate(priced_inputs, start=1)
    ]
    total = sum((line.chosen.total for line in priced), ZERO)
    lowest = min(line.margin_percent for line in priced)
    return RevisionPricing(
        revision=revision,
        lines=priced,
        chosen_key=chosen_key(revision),
        total=total,
        lowest_margin_percent=lowest,
        shipment=shipment,
    )


# Fields whose change means the offer changed (the approval of an unchanged offer stands).
TERM_FIELDS = (
    "currency", "incoterm", "named_place", "port_of_loading", "destination_port",
    "payment_terms", "lead_time_days", "valid_until", "packing", "remarks", "transport_mode",
    "freight_basis", "container_type", "freight_rate", "insurance_rate_percent",
    "insurance_markup_percent", "commission_percent", "margin_percent", "margin_basis",
    "convention", "fx_rmb_per_unit", "fx_buffer_percent", "domestic_charges",
    "charge_allocation",
)  # fmt: skip
LINE_FIELDS = (
    "product_id", "model", "description", "description_zh", "specification", "hs_code",
    "quantity", "unit", "cost_basis", "unit_cost_rmb", "vat_percent", "rebate_percent",
    "margin_percent", "pcs_per_carton", "carton_length_cm", "carton_width_cm",
    "carton_height_cm", "carton_gross_weight_kg", "carton_net_weight_kg", "photo",
)  # fmt: skip


def _canon(value) -> str:
    if isinstance(value, Decimal):
        return _plain(value)
    return json.dumps(value, sort_keys=True, default=str)


def fingerprint(revision: QuotationRevision, lines: list[QuotationLine]) -> str:
    """A digest of the offer: every term and every line field. Equal digests, same offer."""
    parts = [f"{name}={_canon(getattr(revision, name))}" for name in TERM_FIELDS]
    for line in lines:
        parts.append("|".join(_canon(getattr(line, name)) for name in LINE_FIELDS))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


RESULT_FIELDS = (
    "unit_price",
    "total",
    "units_per_container",
    "swap_cost",
    "profit_rate_percent",
    "working",
)


def _store(pricing: RevisionPricing, digest: str) -> None:
    revision = pricing.revision
    for priced in pricing.lines:
        line = priced.line
        line.unit_price = priced.chosen.unit_price
        line.total = priced.chosen.total
        line.units_per_container = priced.units_per_container
        line.swap_cost = priced.build.swap_cost
        line.profit_rate_percent = priced.build.profit_rate_percent
        line.working = priced.working()
    QuotationLine.objects.bulk_update([p.line for p in pricing.lines], RESULT_FIELDS)
    revision.total_amount = pricing.total
    revision.lowest_margin_percent = pricing.lowest_margin_percent
    approval = (revision.working or {}).get("approval_fingerprint")
    revision.working = pricing.working() | {"fingerprint": digest}
    if approval:
        revision.working["approval_fingerprint"] = approval
    revision.priced_at = timezone.now()


def _locked_draft(revision: QuotationRevision) -> QuotationRevision:
    locked = (
        QuotationRevision.objects.select_for_update(of=("self",))
        .select_related("quotation", "quotation__owner", "quotation__owner__team")
        .get(pk=revision.pk)
    )
    if locked.is_frozen:
        raise DomainError(
            _("Rev. %(letter)s was sent and is frozen — make a new revision to change the offer.")
            % {"letter": locked.letter},
            code="frozen",
        )
    return locked


@transaction.atomic
def price_revision(
    revision: QuotationRevision, *, actor=None, record: bool = True
) -> RevisionPricing:
    """Price every line, save the results on the lines and the revision, apply the approval
    rule (quotes.approvals). A frozen revision is refused. Raises DomainError naming the line
    and what to fill when the inputs are incomplete. ``record=False`` skips the audit event
    (the edit that triggered a re-pricing has its own)."""
    from tradewind.quotes.approvals import apply_margin_rule

    locked = _locked_draft(revision)
    lines = list(locked.lines.select_for_update().order_by("position", "id"))
    pricing = preview(locked, lines)
    digest = fingerprint(locked, lines)
    _store(pricing, digest)
    apply_margin_rule(locked, digest=digest, actor=actor)
    locked.save(
        update_fields=[
            "total_amount",
            "lowest_margin_percent",
            "working",
            "priced_at",
            "approval_status",
            "updated_at",
        ]
    )
    if record:
        _audit_price(locked, pricing, actor)
    _copy_results(locked, revision)
    for priced in pricing.lines:
        priced.line.revision = locked
    pricing.revision = revision
    return pricing


def _audit_price(locked: QuotationRevision, pricing: RevisionPricing, actor) -> None:
    audit_record(
        actor=actor,
        action="price",
        instance=locked,
        changes={
            "total_amount": f"{locked.currency} {pricing.total}",
            "lowest_margin_percent": str(pricing.lowest_margin_percent),
            "approval_status": locked.approval_status,
        },
        company_id=locked.quotation.company_id,
    )


def _copy_results(source: QuotationRevision, target: QuotationRevision) -> None:
    if source is target:
        return
    for name in (
        "total_amount",
        "lowest_margin_percent",
        "working",
        "priced_at",
        "approval_status",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


def clear_prices(revision: QuotationRevision) -> None:
    """Forget the results of an earlier pricing (the inputs changed and no longer price)."""
    revision.lines.update(
        unit_price=None,
        total=None,
        swap_cost=None,
        profit_rate_percent=None,
        working={},
    )
    revision.total_amount = None
    revision.lowest_margin_percent = None
    approval = (revision.working or {}).get("approval_fingerprint")
    revision.working = {"approval_fingerprint": approval} if approval else {}
    revision.priced_at = None


def is_current(revision: QuotationRevision, lines: list[QuotationLine] | None = None) -> bool:
    """Whether the stored prices were computed from the revision as it is now."""
    if revision.priced_at is None:
        return False
    if lines is None:
        lines = list(revision.lines.all())
    return (revision.working or {}).get("fingerprint") == fingerprint(revision, lines)


__all__ = [
    "PRICED_TERMS",
    "LinePricing",
    "RevisionPricing",
    "chosen_key",
    "clear_prices",
    "effective_margin_percent",
    "fingerprint",
    "is_current",
    "parse_charges",
    "preview",
    "price_revision",
    "revision_inputs",
    "split",
    "units_per_container",
]
