"""``tradewind load``: cartons per container for each container type (DOMAIN.md §4)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from tradewind.trade.cli_support import Parser, carton_size, count, emit_json, number, run
from tradewind.trade.containers import (
    CONTAINER_TYPES,
    Carton,
    LimitedBy,
    cartons_per_container,
    get_container_type,
    whole_containers_needed,
)
from tradewind.trade.errors import ContainerError

LOAD_OPTIONS = {
    "length_cm": "--carton",
    "width_cm": "--carton",
    "height_cm": "--carton",
    "carton": "--carton",
    "gross_weight_kg": "--gross-weight",
    "max_payload_kg": "--max-payload-kg",
    "container": "--container",
    "cartons": "--quantity",
}


def _load_parser() -> Parser:
    p = Parser(prog="tradewind load", description="Cartons per container (DOMAIN.md §4).")
    p.add_argument("--carton", type=carton_size, required=True, help="L x W x H in cm")
    p.add_argument("--gross-weight", type=number, required=True, help="kg per carton")
    p.add_argument("--upright", action="store_true", help="carton must stay upright")
    p.add_argument("--container", default="20GP,40GP,40HQ", help="comma-separated types")
    p.add_argument("--max-payload-kg", type=number, help="payload cap instead of the planning one")
    p.add_argument("--quantity", type=count, help="cartons to ship: containers needed")
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def _load(args: argparse.Namespace) -> int:
    length, width, height = args.carton
    carton = Carton(length, width, height, args.gross_weight)
    codes = [code.strip() for code in args.container.split(",") if code.strip()]
    if not codes:
        raise ContainerError(
            f"name at least one of {', '.join(CONTAINER_TYPES)}", field="container"
        )
    loads = [
        cartons_per_container(
            carton,
            get_container_type(code),
            upright_only=args.upright,
            max_payload_kg=args.max_payload_kg,
        )
        for code in codes
    ]
    if all(load.cartons == 0 for load in loads):
        if all(load.limited_by is LimitedBy.SIZE for load in loads):
            raise ContainerError(
                f"a {length} × {width} × {height} cm carton fits in none of {', '.join(codes)}"
                + (" standing upright" if args.upright else ""),
                field="carton",
            )
        raise ContainerError(
            f"a {args.gross_weight} kg carton exceeds the payload of {', '.join(codes)}",
            field="gross_weight_kg",
        )
    if args.quantity is not None and args.quantity < 1:
        raise ContainerError("give at least 1 carton", field="cartons")
    containers: dict[str, dict[str, Any]] = {}
    for load in loads:
        entry: dict[str, Any] = {
            "cartons": load.cartons,
            "limited_by": load.limited_by.value,
            "utilisation_percent": str(load.utilisation_percent),
            "volume_utilisation_percent": str(load.volume_utilisation_percent),
            "weight_utilisation_percent": str(load.weight_utilisation_percent),
            "geometric_cartons": load.geometric_cartons,
            "payload_cartons": load.payload_cartons,
            "payload_kg": str(load.payload_kg),
            "orientation_cm": [str(side) for side in load.orientation_cm or ()],
            "layout": list(load.layout),
            "volume_cbm": str(load.volume_cbm),
            "gross_weight_kg": str(load.gross_weight_kg),
            "naive_volume_cartons": load.naive_volume_cartons,
        }
        if args.quantity is not None and load.cartons:
            entry["containers_needed"] = whole_containers_needed(args.quantity, load.cartons)
        containers[load.container] = entry
    if args.json:
        emit_json(
            {
                "carton": {
                    "length_cm": str(length),
                    "width_cm": str(width),
                    "height_cm": str(height),
                    "gross_weight_kg": str(carton.gross_weight_kg),
                    "volume_cbm": str(carton.volume_cbm),
                    "upright_only": args.upright,
                },
                "containers": containers,
            }
        )
        return 0
    print(
        f"Carton {length} × {width} × {height} cm, {carton.gross_weight_kg} kg, "
        f"{carton.volume_cbm} CBM" + (", upright" if args.upright else "")
    )
    print(f"{'Type':<6}{'Cartons':>9}  {'Limited by':<11}{'Use %':>7}  {'Layout':<12}{'Naive':>7}")
    for code, entry in containers.items():
        layout = "×".join(str(n) for n in entry["layout"])
        naive = entry["naive_volume_cartons"]
        print(
            f"{code:<6}{entry['cartons']:>9}  {entry['limited_by']:<11}"
            f"{entry['utilisation_percent']:>7}  {layout:<12}{naive:>7}"
        )
    return 0


def load_command(argv: Sequence[str]) -> int:
    """``tradewind load …``: cartons per container for each container type."""
    return run(_load_parser(), argv, _load, LOAD_OPTIONS)
