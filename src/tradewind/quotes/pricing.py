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
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError
from tradewind.quotes.models import QuotationLine, QuotationRevision
from tradewind.quotes.shipment_costs import (
    FIELD_OF,
    HUNDRED,
    ZERO,
    charges_per_line,
    check_revision,
    container_code,
    figure,
    freight_per_line,
    line_error,
    plain_number,
    units_per_container,
)
from tradewind.trade.errors import TradeError
from tradewind.trade.money import quantize
from tradewind.trade.pricing import (
    PRICED_TERMS,
    PriceBuildUp,
    PriceInputs,
    TermPrice,
    build_price,
)

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
                {
                    "label": w.label,
                    "formula": w.formula,
                    "value": figure(w.value),
                    "unit": w.unit,
                }
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
    currency = check_revision(revision, lines)
    charges, charge_notes = charges_per_line(revision, lines)
    freights, freight_notes, shipment = freight_per_line(revision, lines)
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
            raise line_error(line, number, exc.message, FIELD_OF.get(exc.field)) from None
        result.append((line, inputs, charge_notes[number - 1] + freight_notes[number - 1]))
    return result, shipment


def chosen_key(revision: QuotationRevision) -> str:
    key = revision.incoterm
    if revision.commission_percent:
        key += "C" + plain_number(Decimal(revision.commission_percent))
    return key


def _price_line(revision, number, line, inputs, notes, container) -> LinePricing:
    try:
        build = build_price(inputs, convention=revision.convention)
        chosen = build.price(chosen_key(revision))
    except TradeError as exc:
        raise line_error(line, number, exc.message, FIELD_OF.get(exc.field)) from None
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
        return plain_number(value)
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
    "preview",
    "price_revision",
    "revision_inputs",
    "units_per_container",
]
