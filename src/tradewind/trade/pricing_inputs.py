"""Inputs of the export price build-up: costs, charges, freight, insurance, destination costs.

All money and rates are ``Decimal`` (ints and numeric strings are converted, floats raise
``TypeError``). Rates are given **in per cent** (``vat_percent=13`` means 13 %), like the
console command and the salesperson's own sheets. RMB amounts end in ``_rmb``; amounts in the
quote currency are per unit and say so. Every check raises :class:`PricingError` naming the
field. See :mod:`tradewind.trade.pricing` for the build-up itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.checks import require_int, require_range, to_decimal, to_optional_decimal
from tradewind.trade.containers import lcl_freight_tons
from tradewind.trade.errors import ContainerError, MoneyError, PricingError
from tradewind.trade.incoterms import CostBlock, TransportMode
from tradewind.trade.money import format_decimal_places, normalise_currency

MAX_QUANTITY = 1_000_000_000
RMB_COST_BLOCKS = frozenset(
    {
        CostBlock.GOODS,
        CostBlock.EXPORT_CLEARANCE,
        CostBlock.INLAND_TO_PORT,
        CostBlock.ORIGIN_TERMINAL,
    }
)


class CostBasis(StrEnum):
    PURCHASE_INCL_VAT = "purchase_incl_vat"  # trading company: supplier price incl. VAT
    FACTORY_COST = "factory_cost"  # manufacturer: VAT-exclusive factory cost


class MarginBasis(StrEnum):
    PRICE = "price"
    COST = "cost"


class Convention(StrEnum):
    ADDON = "addon"  # freight and insurance added at cost
    TEXTBOOK = "textbook"  # margin earned on freight and insurance too


class ChargeBasis(StrEnum):
    PER_UNIT = "per_unit"
    PER_SHIPMENT = "per_shipment"


def _dec(value, name, *, minimum=0, maximum=None, strict=False, what=None) -> Decimal:
    number = to_decimal(value, field=name, error=PricingError)
    return require_range(
        number,
        field=name,
        error=PricingError,
        minimum=minimum,
        minimum_inclusive=not strict,
        maximum=maximum,
        what=what,
    )


def _set(instance, name, value) -> None:
    object.__setattr__(instance, name, value)


def _text(value: Decimal, places: int = 6) -> str:
    return format_decimal_places(value, places)


@dataclass(frozen=True)
class DomesticCharge:
    """A charge in RMB on the export side: per unit, or per shipment (divided by quantity).

    ``block`` says under which Incoterms the seller carries it (default: inland transport to the
    port, so it is in FCA, FOB and every later term but not in EXW). Use ``CostBlock.GOODS`` for
    charges the seller always carries (bank charges, finance cost), ``ORIGIN_TERMINAL`` for
    THC / port fees (in FOB, not in FCA).
    """

    label: str
    amount_rmb: Decimal
    basis: ChargeBasis = ChargeBasis.PER_UNIT
    block: CostBlock = CostBlock.INLAND_TO_PORT

    def __post_init__(self) -> None:
        _set(self, "amount_rmb", _dec(self.amount_rmb, "domestic_charges", what=self.label))
        _set(self, "basis", ChargeBasis(self.basis))
        _set(self, "block", CostBlock(self.block))
        if self.block not in RMB_COST_BLOCKS:
            raise PricingError(
                f"domestic_charges: {self.label!r} is booked to {self.block}; domestic RMB "
                "charges belong to goods, export clearance, inland transport or origin terminal",
                field="domestic_charges",
            )

    def per_unit(self, quantity: int) -> tuple[Decimal, str]:
        if self.basis is ChargeBasis.PER_UNIT:
            return self.amount_rmb, f"{self.amount_rmb} per unit"
        return self.amount_rmb / quantity, f"{self.amount_rmb} / {quantity} units"


@dataclass(frozen=True)
class FreightPerUnit:
    """Main-carriage freight already per unit, in the quote currency."""

    amount: Decimal

    def __post_init__(self) -> None:
        _set(self, "amount", _dec(self.amount, "freight"))

    def per_unit(self, quantity: int) -> tuple[Decimal, str]:
        return self.amount, f"{self.amount} per unit"


@dataclass(frozen=True)
class FreightPerContainer:
    """FCL freight: a rate per container ÷ the units that go in one container."""

    rate_per_container: Decimal
    units_per_container: int
    container: str = "container"

    def __post_init__(self) -> None:
        _set(self, "rate_per_container", _dec(self.rate_per_container, "freight"))
        require_int(
            self.units_per_container,
            field="units_per_container",
            error=PricingError,
            minimum=1,
            maximum=MAX_QUANTITY,
        )

    def per_unit(self, quantity: int) -> tuple[Decimal, str]:
        value = self.rate_per_container / self.units_per_container
        text = f"{self.rate_per_container} per {self.container} / {self.units_per_container} units"
        return value, text


@dataclass(frozen=True)
class FreightLCL:
    """LCL freight: rate per W/M × freight tons of the whole shipment ÷ quantity."""

    rate_per_freight_ton: Decimal
    volume_cbm: Decimal
    gross_weight_kg: Decimal
    minimum_freight_tons: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        _set(self, "rate_per_freight_ton", _dec(self.rate_per_freight_ton, "freight"))
        try:
            tons = lcl_freight_tons(
                self.volume_cbm,
                self.gross_weight_kg,
                minimum_freight_tons=self.minimum_freight_tons,
            )
        except ContainerError as error:
            raise PricingError(error.message, field=error.field) from None
        _set(self, "volume_cbm", tons.volume_cbm)
        _set(self, "gross_weight_kg", tons.gross_weight_kg)

    def per_unit(self, quantity: int) -> tuple[Decimal, str]:
        tons = lcl_freight_tons(
            self.volume_cbm, self.gross_weight_kg, minimum_freight_tons=self.minimum_freight_tons
        )
        value = self.rate_per_freight_ton * tons.freight_tons / quantity
        text = (
            f"{self.rate_per_freight_ton} per W/M × {_text(tons.freight_tons, 3)} W/M "
            f"({tons.basis}) / {quantity} units"
        )
        return value, text


Freight = FreightPerUnit | FreightPerContainer | FreightLCL


@dataclass(frozen=True)
class DestinationCosts:
    """Costs beyond the main carriage, per unit in the quote currency.

    DAP is priced when this is given; DPU when ``unloading_per_unit`` is given; DDP when
    ``import_duty_percent`` is given. Import duty is charged on the customs value (the CIP value
    of the same build-up — most countries value imports CIF); import tax (VAT / GST) on customs
    value + duty. Countries that value at FOB (US, CA, AU): give the duty as
    ``import_clearance_per_unit`` instead and set ``import_duty_percent=0``.
    """

    charges_per_unit: Decimal = Decimal(0)
    unloading_per_unit: Decimal | None = None
    import_duty_percent: Decimal | None = None
    import_tax_percent: Decimal = Decimal(0)
    import_clearance_per_unit: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        _set(self, "charges_per_unit", _dec(self.charges_per_unit, "destination_charges"))
        if self.unloading_per_unit is not None:
            _set(self, "unloading_per_unit", _dec(self.unloading_per_unit, "unloading_per_unit"))
        if self.import_duty_percent is not None:
            duty = _dec(self.import_duty_percent, "import_duty_percent", maximum=500)
            _set(self, "import_duty_percent", duty)
        _set(
            self,
            "import_tax_percent",
            _dec(self.import_tax_percent, "import_tax_percent", maximum=100),
        )
        clearance = _dec(self.import_clearance_per_unit, "import_clearance_per_unit")
        _set(self, "import_clearance_per_unit", clearance)


@dataclass(frozen=True, kw_only=True)
class PriceInputs:
    """Everything one export price build-up needs (DOMAIN.md §3). Rates in per cent."""

    quantity: int
    purchase_price_rmb: Decimal
    fx_rmb_per_unit: Decimal  # bank buying rate: RMB received per 1 unit of the quote currency
    margin_percent: Decimal
    cost_basis: CostBasis = CostBasis.PURCHASE_INCL_VAT
    vat_percent: Decimal = Decimal(13)
    rebate_percent: Decimal = Decimal(0)
    domestic_charges: tuple[DomesticCharge, ...] = ()
    fx_buffer_percent: Decimal = Decimal(0)
    margin_basis: MarginBasis = MarginBasis.PRICE
    freight: Freight | None = None
    insurance_rate_percent: Decimal | None = None  # CIF, ICC (C)
    cip_insurance_rate_percent: Decimal | None = None  # CIP / D-rules, ICC (A); default: CIF rate
    insurance_markup_percent: Decimal = Decimal(110)
    commission_percent: Decimal | None = None
    destination: DestinationCosts | None = None
    currency: str = "USD"
    transport_mode: TransportMode = TransportMode.SEA
    unit_name: str = "pc"

    def __post_init__(self) -> None:
        require_int(
            self.quantity, field="quantity", error=PricingError, minimum=1, maximum=MAX_QUANTITY
        )
        price = _dec(
            self.purchase_price_rmb,
            "purchase_price_rmb",
            strict=True,
            maximum=Decimal("1e9"),
            what="purchase price (RMB)",
        )
        _set(self, "purchase_price_rmb", price)
        _set(self, "vat_percent", _dec(self.vat_percent, "vat_percent", maximum=99))
        rebate = _dec(self.rebate_percent, "rebate_percent", what="rebate rate (%)")
        if rebate > self.vat_percent:
            raise PricingError(
                f"rebate rate {rebate} % cannot exceed the VAT rate {self.vat_percent} %",
                field="rebate_percent",
            )
        _set(self, "rebate_percent", rebate)
        fx = _dec(
            self.fx_rmb_per_unit,
            "fx_rmb_per_unit",
            strict=True,
            maximum=1000,
            what="exchange rate (RMB per unit of currency)",
        )
        _set(self, "fx_rmb_per_unit", fx)
        buffer = _dec(self.fx_buffer_percent, "fx_buffer_percent", maximum=20)
        _set(self, "fx_buffer_percent", buffer)
        _set(self, "margin_basis", _enum(MarginBasis, self.margin_basis, "margin_basis"))
        _set(self, "cost_basis", _enum(CostBasis, self.cost_basis, "cost_basis"))
        upper = 100 if self.margin_basis is MarginBasis.PRICE else 1000
        margin = to_decimal(self.margin_percent, field="margin_percent", error=PricingError)
        if margin < 0 or margin >= upper:
            basis = "price" if upper == 100 else "cost"
            raise PricingError(
                f"margin must be at least 0 % and below {upper} % as a share of {basis} "
                f"(got {margin} %)",
                field="margin_percent",
            )
        _set(self, "margin_percent", margin)
        self._check_insurance()
        if self.commission_percent is not None:
            commission = _dec(
                self.commission_percent,
                "commission_percent",
                strict=True,
                maximum=50,
                what="commission (%)",
            )
            _set(self, "commission_percent", commission)
        try:
            _set(self, "currency", normalise_currency(self.currency))
        except MoneyError as error:
            raise PricingError(error.message, field="currency") from None
        _set(self, "transport_mode", _enum(TransportMode, self.transport_mode, "transport_mode"))
        charges = tuple(self.domestic_charges)
        if not all(isinstance(charge, DomesticCharge) for charge in charges):
            raise TypeError("domestic_charges: expected DomesticCharge items")
        _set(self, "domestic_charges", charges)
        if self.freight is not None and not isinstance(
            self.freight, FreightPerUnit | FreightPerContainer | FreightLCL
        ):
            raise TypeError("freight: expected FreightPerUnit, FreightPerContainer or FreightLCL")

    def _check_insurance(self) -> None:
        for name in ("insurance_rate_percent", "cip_insurance_rate_percent"):
            rate = to_optional_decimal(getattr(self, name), field=name, error=PricingError)
            if rate is not None:
                require_range(
                    rate,
                    field=name,
                    error=PricingError,
                    minimum=0,
                    maximum=10,
                    what="insurance rate (%)",
                )
            _set(self, name, rate)
        markup = _dec(self.insurance_markup_percent, "insurance_markup_percent", maximum=200)
        if markup < 110:
            raise PricingError(
                f"insurance cover must be at least 110 % of the price (Incoterms 2020 CIF/CIP, "
                f"UCP 600 art. 28); got {markup} %",
                field="insurance_markup_percent",
            )
        _set(self, "insurance_markup_percent", markup)

    @property
    def commission_key_suffix(self) -> str | None:
        if self.commission_percent is None:
            return None
        return "C" + plain_number(self.commission_percent)


def _enum(kind, value, name):
    try:
        return kind(str(value).strip().lower()) if not isinstance(value, kind) else value
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise PricingError(f"{name}: {value!r} is not one of {allowed}", field=name) from None


def plain_number(value: Decimal) -> str:
    """``Decimal('5.0')`` → ``'5'``, ``Decimal('2.50')`` → ``'2.5'`` (no exponent)."""
    return f"{value.normalize():f}"
