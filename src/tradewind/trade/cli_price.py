"""``tradewind price``: the export price build-up, or its reverse (``--target-price``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tradewind.trade.cli_support import Parser, count, emit_json, lines_payload, number, run, show
from tradewind.trade.errors import PricingError
from tradewind.trade.pricing import (
    ChargeBasis,
    Convention,
    CostBasis,
    DestinationCosts,
    DomesticCharge,
    FreightPerContainer,
    FreightPerUnit,
    PriceBuildUp,
    PriceInputs,
    build_price,
)
from tradewind.trade.pricing_reverse import ReverseResult, solve_margin, solve_purchase_price

PRICE_OPTIONS = {
    "purchase_price_rmb": "--purchase-price",
    "vat_percent": "--vat",
    "rebate_percent": "--rebate",
    "fx_rmb_per_unit": "--fx",
    "fx_buffer_percent": "--fx-buffer",
    "margin_percent": "--margin",
    "margin_basis": "--margin-on",
    "freight": "--freight",
    "units_per_container": "--units-per-container",
    "insurance_rate_percent": "--insurance-rate",
    "cip_insurance_rate_percent": "--cip-insurance-rate",
    "insurance_markup_percent": "--insurance-markup",
    "commission_percent": "--commission",
    "currency": "--currency",
    "transport_mode": "--mode",
    "quantity": "--quantity",
    "domestic_charges": "--domestic-cost",
    "destination_charges": "--dest-charges",
    "unloading_per_unit": "--unloading",
    "import_duty_percent": "--import-duty",
    "import_tax_percent": "--import-tax",
    "import_clearance_per_unit": "--import-clearance",
    "term": "--term",
    "target_unit_price": "--target-price",
    "unit_price": "--target-price",
}


def _price_parser() -> Parser:
    p = Parser(prog="tradewind price", description="Export price build-up (DOMAIN.md §3).")
    add = p.add_argument
    add("--purchase-price", type=number, required=True, help="RMB per unit incl. VAT")
    add(
        "--factory-cost", action="store_true", help="purchase price is a VAT-exclusive factory cost"
    )
    add("--vat", type=number, default=Decimal(13), help="VAT rate in %% (default 13)")
    add("--rebate", type=number, default=Decimal(0), help="export rebate rate in %%")
    add("--quantity", type=count, default=1, help="units in the shipment (default 1)")
    add("--domestic-cost", type=number, help="RMB per unit to the port (trucking, THC, fees)")
    add("--domestic-cost-per-shipment", type=number, help="RMB per shipment, ÷ quantity")
    add("--fx", type=number, required=True, help="bank buying rate, RMB per unit of currency")
    add("--fx-buffer", type=number, default=Decimal(0), help="FX buffer in %%")
    add("--margin", type=number, required=True, help="margin in %%")
    add("--margin-on", choices=("price", "cost"), default="price")
    add("--freight", type=number, help="freight per unit in the quote currency")
    add("--freight-per-container", type=number, help="freight per container")
    add("--units-per-container", type=count, help="units in one container")
    add("--insurance-rate", type=number, help="insurance rate in %% (CIF, ICC C)")
    add("--cip-insurance-rate", type=number, help="insurance rate in %% for CIP / D-rules")
    add("--insurance-markup", type=number, default=Decimal(110), help="cover in %% (110)")
    add("--commission", type=number, help="commission in %% (adds e.g. CIFC5)")
    add("--convention", choices=("addon", "textbook"), default="addon")
    add("--currency", default="USD")
    add("--mode", default="sea", help="sea, inland_waterway, air, rail, road, multimodal")
    add("--dest-charges", type=number, help="destination charges per unit (prices DAP)")
    add("--unloading", type=number, help="unloading per unit (prices DPU)")
    add("--import-duty", type=number, help="import duty in %% of customs value (prices DDP)")
    add("--import-tax", type=number, default=Decimal(0), help="import VAT/GST in %%")
    add("--import-clearance", type=number, default=Decimal(0), help="per unit, at cost")
    add("--target-price", type=number, help="reverse mode: a unit price for --term")
    add("--term", default="FOB", help="term for --target-price, e.g. FOB or CIFC5")
    add("--solve", choices=("purchase-price", "margin"), default="purchase-price")
    add("--json", action="store_true", help="print JSON")
    return p


def _price_inputs(args: argparse.Namespace) -> PriceInputs:
    charges = []
    if args.domestic_cost is not None:
        charges.append(DomesticCharge("Domestic charges", args.domestic_cost))
    if args.domestic_cost_per_shipment is not None:
        charges.append(
            DomesticCharge(
                "Domestic charges", args.domestic_cost_per_shipment, ChargeBasis.PER_SHIPMENT
            )
        )
    freight = None
    if args.freight is not None and args.freight_per_container is not None:
        raise PricingError("give --freight or --freight-per-container, not both", field="freight")
    if args.freight is not None:
        freight = FreightPerUnit(args.freight)
    elif args.freight_per_container is not None:
        if args.units_per_container is None:
            raise PricingError(
                "--freight-per-container needs the units that fit in one container",
                field="units_per_container",
            )
        freight = FreightPerContainer(args.freight_per_container, args.units_per_container)
    destination = None
    if args.dest_charges is not None or args.unloading is not None or args.import_duty is not None:
        destination = DestinationCosts(
            charges_per_unit=args.dest_charges or Decimal(0),
            unloading_per_unit=args.unloading,
            import_duty_percent=args.import_duty,
            import_tax_percent=args.import_tax,
            import_clearance_per_unit=args.import_clearance,
        )
    return PriceInputs(
        quantity=args.quantity,
        purchase_price_rmb=args.purchase_price,
        cost_basis=CostBasis.FACTORY_COST if args.factory_cost else CostBasis.PURCHASE_INCL_VAT,
        vat_percent=args.vat,
        rebate_percent=args.rebate,
        domestic_charges=tuple(charges),
        fx_rmb_per_unit=args.fx,
        fx_buffer_percent=args.fx_buffer,
        margin_percent=args.margin,
        margin_basis=args.margin_on,
        freight=freight,
        insurance_rate_percent=args.insurance_rate,
        cip_insurance_rate_percent=args.cip_insurance_rate,
        insurance_markup_percent=args.insurance_markup,
        commission_percent=args.commission,
        destination=destination,
        currency=args.currency,
        transport_mode=args.mode,
    )


def _price(args: argparse.Namespace) -> int:
    inputs = _price_inputs(args)
    if args.target_price is not None:
        solve = solve_margin if args.solve == "margin" else solve_purchase_price
        keyword = "unit_price" if args.solve == "margin" else "target_unit_price"
        result = solve(
            inputs, term=args.term, convention=args.convention, **{keyword: args.target_price}
        )
        _print_reverse(result, as_json=args.json)
        return 0
    build_up = build_price(inputs, convention=args.convention)
    if args.json:
        emit_json(_price_payload(build_up))
    else:
        _print_price_table(build_up)
    return 0


def _price_payload(build_up: PriceBuildUp) -> dict[str, Any]:
    by_convention = {
        conv.value: {k: str(v) for k, v in build_up.unit_prices(conv).items()}
        for conv in Convention
    }
    primary = [p for p in build_up.prices if p.convention is build_up.convention]
    return {
        "currency": build_up.currency,
        "quantity": build_up.quantity,
        "convention": build_up.convention.value,
        "margin_on": build_up.margin_basis.value,
        "prices": by_convention[build_up.convention.value],
        "totals": {p.key: str(p.total) for p in primary},
        "prices_by_convention": by_convention,
        "net_cost_rmb": show(build_up.net_cost_rmb),
        "cost_to_fob_rmb": show(build_up.cost_to_fob_rmb),
        "swap_cost": str(build_up.swap_cost),
        "profit_rate_percent": str(build_up.profit_rate_percent),
        "lines": lines_payload(build_up.lines),
        "skipped": dict(build_up.skipped),
        "warnings": list(build_up.warnings),
    }


def _print_price_table(build_up: PriceBuildUp) -> None:
    other = next(c for c in Convention if c is not build_up.convention)
    alt = build_up.unit_prices(other)
    cur = build_up.currency
    print(f"{'Term':<8}{build_up.convention.value:>12}{other.value:>12}{'Total ' + cur:>18}")
    for price in (p for p in build_up.prices if p.convention is build_up.convention):
        print(f"{price.key:<8}{price.unit_price:>12}{alt[price.key]:>12}{price.total:>18,}")
    print(f"Swap cost {build_up.swap_cost} RMB/{cur}, profit rate {build_up.profit_rate_percent} %")
    for term, reason in build_up.skipped:
        print(f"Not priced: {term} ({reason})")
    for warning in build_up.warnings:
        print(f"Warning: {warning}")
    print("\nWorking:")
    for line in build_up.lines:
        print(f"  {line.label:<38} {line.formula} = {show(line.value)} {line.unit}")


def _print_reverse(result: ReverseResult, *, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "solved_for": result.solved_for,
                "term": result.term,
                "convention": result.convention.value,
                "target_unit_price": str(result.target_unit_price),
                "value": str(result.value),
                "exact": show(result.exact),
                "unit": result.unit,
                "lines": lines_payload(result.lines),
                "warnings": list(result.warnings),
            }
        )
        return
    name = {"purchase_price_rmb": "Highest purchase price", "margin_percent": "Margin"}[
        result.solved_for
    ]
    print(f"{name} for {result.term} {result.target_unit_price}: {result.value} {result.unit}")
    for line in result.lines:
        print(f"  {line.label:<48} {line.formula} = {show(line.value)} {line.unit}")
    for warning in result.warnings:
        print(f"Warning: {warning}")


def price_command(argv: Sequence[str]) -> int:
    """``tradewind price …``: the build-up, or the reverse with ``--target-price``."""
    return run(_price_parser(), argv, _price, PRICE_OPTIONS)
