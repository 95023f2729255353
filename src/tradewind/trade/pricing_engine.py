"""The arithmetic of one term's price, shared by the build-up and the reverse mode.

:class:`PricingContext` resolves :class:`PriceInputs` into per-unit figures once;
:meth:`PricingContext.calculate` prices one term under one convention for a given net cost and
margin factor. Every price is affine in the net cost and in the margin factor (see
:mod:`tradewind.trade.pricing` for the formulas), which is what makes the reverse mode exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tradewind.trade.errors import PricingError
from tradewind.trade.incoterms import RULES, CostBlock, Incoterm, terms_for_mode
from tradewind.trade.money import HUNDRED, percent_to_fraction
from tradewind.trade.pricing_inputs import (
    Convention,
    CostBasis,
    DestinationCosts,
    MarginBasis,
    PriceInputs,
)

ONE = Decimal(1)


@dataclass(frozen=True)
class WorkingLine:
    """One line of the working a document can show: ``label  formula = value unit``."""

    label: str
    formula: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class TermCalculation:
    """The intermediate figures of one term's price, exact."""

    term: Incoterm
    convention: Convention
    cost_rmb: Decimal
    goods: Decimal
    addons: tuple[tuple[str, Decimal], ...]
    insurance_share: Decimal
    margin_factor: Decimal
    customs_value: Decimal | None
    import_charges: Decimal
    price: Decimal


class PricingContext:
    """Per-unit figures resolved once from :class:`PriceInputs`."""

    def __init__(self, inputs: PriceInputs) -> None:
        self.inputs = inputs
        self.vat = percent_to_fraction(inputs.vat_percent)
        self.rebate = percent_to_fraction(inputs.rebate_percent)
        self.fx = inputs.fx_rmb_per_unit * (ONE - percent_to_fraction(inputs.fx_buffer_percent))
        self.margin = percent_to_fraction(inputs.margin_percent)
        self.markup = percent_to_fraction(inputs.insurance_markup_percent)
        self.domestic: dict[CostBlock, Decimal] = {}
        self.domestic_lines: list[WorkingLine] = []
        for charge in inputs.domestic_charges:
            value, text = charge.per_unit(inputs.quantity)
            self.domestic[charge.block] = self.domestic.get(charge.block, Decimal(0)) + value
            self.domestic_lines.append(
                WorkingLine(f"{charge.label} [{charge.block}]", text, value, self.rmb_unit)
            )
        self.freight: Decimal | None = None
        self.freight_text = ""
        if inputs.freight is not None:
            self.freight, self.freight_text = inputs.freight.per_unit(inputs.quantity)
        rate = inputs.insurance_rate_percent
        cip_rate = inputs.cip_insurance_rate_percent
        cip_rate = rate if cip_rate is None else cip_rate
        self.insurance_rate_text = {Incoterm.CIF: rate, Incoterm.CIP: cip_rate}
        self.share_sea = None if rate is None else self.markup * percent_to_fraction(rate)
        self.share_any = None if cip_rate is None else self.markup * percent_to_fraction(cip_rate)

    @property
    def rmb_unit(self) -> str:
        return f"RMB/{self.inputs.unit_name}"

    @property
    def unit(self) -> str:
        return f"{self.inputs.currency}/{self.inputs.unit_name}"

    def net_cost(self, purchase_price_rmb: Decimal) -> Decimal:
        if self.inputs.cost_basis is CostBasis.PURCHASE_INCL_VAT:
            return purchase_price_rmb - purchase_price_rmb / (ONE + self.vat) * self.rebate
        return purchase_price_rmb + purchase_price_rmb * (self.vat - self.rebate)

    def purchase_price_for(self, net_cost: Decimal) -> Decimal:
        """Inverse of :meth:`net_cost`."""
        if self.inputs.cost_basis is CostBasis.PURCHASE_INCL_VAT:
            return net_cost * (ONE + self.vat) / (ONE + self.vat - self.rebate)
        return net_cost / (ONE + self.vat - self.rebate)

    def domestic_for(self, term: Incoterm) -> Decimal:
        blocks = RULES[term].seller_cost_blocks
        return sum((v for block, v in self.domestic.items() if block in blocks), Decimal(0))

    def unavailable(self, term: Incoterm) -> str | None:
        """Why ``term`` cannot be priced from these inputs, or ``None``."""
        if term not in terms_for_mode(self.inputs.transport_mode):
            mode = self.inputs.transport_mode
            return f"{term} is for sea and inland waterway only; the mode is {mode}"
        rule = RULES[term]
        if rule.seller_pays(CostBlock.MAIN_CARRIAGE) and self.freight is None:
            return "no freight given"
        if term in (Incoterm.CIF, Incoterm.CIP) and self.insurance_share(term) is None:
            return "no insurance rate given"
        destination = self.inputs.destination
        if rule.group == "D" and destination is None:
            return "no destination costs given"
        if term is Incoterm.DPU and destination.unloading_per_unit is None:
            return "no unloading cost given"
        if term is Incoterm.DDP and destination.import_duty_percent is None:
            return "no import duty rate given"
        return None

    def insurance_share(self, term: Incoterm) -> Decimal | None:
        if term is Incoterm.CIF:
            return self.share_sea
        if term is Incoterm.CIP:
            return self.share_any
        if RULES[term].group == "D":
            return self.share_any if self.share_any is not None else Decimal(0)
        return Decimal(0)

    def margin_factor(self, term: Incoterm, convention: Convention, margin: Decimal) -> Decimal:
        if self.inputs.margin_basis is MarginBasis.COST:
            return ONE + margin
        if convention is Convention.ADDON:
            return ONE / (ONE - margin)
        share = self.insurance_share(term) or Decimal(0)
        if margin + share >= ONE:
            raise PricingError(
                f"margin {margin * HUNDRED} % plus insurance {share * HUNDRED} % reach 100 % of "
                f"the {term} price under the textbook convention; lower the margin",
                field="margin_percent",
            )
        return ONE / (ONE - margin - share)

    def margin_from_factor(self, term: Incoterm, convention: Convention, factor: Decimal):
        if self.inputs.margin_basis is MarginBasis.COST:
            return factor - ONE
        if factor <= 0:
            return None  # no margin reaches the target
        if convention is Convention.ADDON:
            return ONE - ONE / factor
        return ONE - (self.insurance_share(term) or Decimal(0)) - ONE / factor

    def addons(self, term: Incoterm) -> tuple[tuple[str, Decimal], ...]:
        rule, destination = RULES[term], self.inputs.destination
        parts: list[tuple[str, Decimal]] = []
        if rule.seller_pays(CostBlock.MAIN_CARRIAGE) and self.freight is not None:
            parts.append(("freight", self.freight))
        if rule.seller_pays(CostBlock.DESTINATION_CHARGES) and destination is not None:
            parts.append(("destination charges", destination.charges_per_unit))
        if rule.seller_pays(CostBlock.UNLOADING) and destination is not None:
            parts.append(("unloading", destination.unloading_per_unit or Decimal(0)))
        return tuple(parts)

    def calculate(
        self,
        term: Incoterm,
        convention: Convention,
        *,
        net_cost: Decimal,
        margin_factor: Decimal | None = None,
    ) -> TermCalculation:
        """One term's price; ``margin_factor`` defaults to the one of the input margin."""
        factor = margin_factor
        if factor is None:
            factor = self.margin_factor(term, convention, self.margin)
        cost_rmb = net_cost + self.domestic_for(term)
        goods = cost_rmb / self.fx
        addons = self.addons(term)
        extra = sum((value for _, value in addons), Decimal(0))
        share = self.insurance_share(term) or Decimal(0)
        if convention is Convention.ADDON:
            price = (goods * factor + extra) / (ONE - share)
        elif self.inputs.margin_basis is MarginBasis.COST:
            price = (goods + extra) * factor / (ONE - share)
        else:
            price = (goods + extra) * factor
        customs_value, import_charges = None, Decimal(0)
        if term is Incoterm.DDP:
            customs_value = self.calculate(
                Incoterm.CIP, convention, net_cost=net_cost, margin_factor=factor
            ).price
            import_charges = self._import_charges(customs_value)
            price += import_charges / (ONE - share)
        return TermCalculation(
            term,
            convention,
            cost_rmb,
            goods,
            addons,
            share,
            factor,
            customs_value,
            import_charges,
            price,
        )

    def _import_charges(self, customs_value: Decimal) -> Decimal:
        destination: DestinationCosts = self.inputs.destination  # type: ignore[assignment]
        duty = percent_to_fraction(destination.import_duty_percent or Decimal(0))
        tax = percent_to_fraction(destination.import_tax_percent)
        rate = duty + tax + duty * tax
        return destination.import_clearance_per_unit + customs_value * rate
