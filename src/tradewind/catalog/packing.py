"""Packing figures of a product: carton CBM and how many cartons (and pieces) go into a 20GP,
40GP and 40HQ, with what limits them — all computed by the trade core
(``tradewind.trade.containers.cartons_per_container``), never here.

Used by the product page and by quotations, so it takes plain values: build a :class:`Packing`
from anything with the product's packing attributes (``Packing.of(product)``, a quotation line,
a dict via ``Packing(**values)``), then call :func:`container_loads`.

Judgement calls:
- Cartons may be laid on any side by default (the trade core's default). Pass
  ``upright_only=True`` for "this side up" goods; the product has no such field yet.
- The payload cap is the trade core's planning payload (20GP 17.5 t, 40' 22 t).
- Carton CBM is exact (L × W × H / 1,000,000); :func:`display_cbm` rounds it half-up to 4
  places for pages and documents, as packing lists show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tradewind.trade.containers import Carton, cartons_per_container
from tradewind.trade.errors import ContainerError
from tradewind.trade.money import quantize

CONTAINERS = ("20GP", "40GP", "40HQ")


@dataclass(frozen=True)
class Packing:
    """One export carton: outside size in cm, gross weight in kg and the pieces it holds."""

    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None
    gross_weight_kg: Decimal | None
    pcs_per_carton: int | None = None
    net_weight_kg: Decimal | None = None

    @classmethod
    def of(cls, item) -> Packing:
        """The packing of a product (or anything with the product's ``carton_*`` fields)."""
        return cls(
            length_cm=item.carton_length_cm,
            width_cm=item.carton_width_cm,
            height_cm=item.carton_height_cm,
            gross_weight_kg=item.carton_gross_weight_kg,
            pcs_per_carton=item.pcs_per_carton,
            net_weight_kg=getattr(item, "carton_net_weight_kg", None),
        )

    @property
    def is_complete(self) -> bool:
        """Size and gross weight are known and positive: container figures can be computed."""
        values = (self.length_cm, self.width_cm, self.height_cm, self.gross_weight_kg)
        return all(value is not None and value > 0 for value in values)

    def carton(self) -> Carton:
        return Carton(
            length_cm=self.length_cm,
            width_cm=self.width_cm,
            height_cm=self.height_cm,
            gross_weight_kg=self.gross_weight_kg,
        )


@dataclass(frozen=True)
class ContainerRow:
    """Cartons and pieces of one product in one container, and what stops there being more."""

    container: str
    cartons: int
    pieces: int | None  # None when pieces per carton is unknown
    limited_by: str  # "volume", "weight" or "size" (the carton does not fit at all)
    geometric_cartons: int  # what the space alone allows
    payload_cartons: int  # what the payload alone allows
    volume_cbm: Decimal
    gross_weight_kg: Decimal
    volume_utilisation_percent: Decimal
    weight_utilisation_percent: Decimal

    @property
    def utilisation_percent(self) -> Decimal:
        if self.limited_by == "weight":
            return self.weight_utilisation_percent
        return self.volume_utilisation_percent


def carton_cbm(packing: Packing) -> Decimal | None:
    """The carton's volume in m³ at full precision (None when its size is not known)."""
    sides = (packing.length_cm, packing.width_cm, packing.height_cm)
    if any(side is None or side <= 0 for side in sides):
        return None
    return packing.length_cm * packing.width_cm * packing.height_cm / Decimal(1_000_000)


def display_cbm(value: Decimal | None) -> Decimal | None:
    return None if value is None else quantize(value, 4)


def container_loads(
    packing: Packing,
    *,
    containers: tuple[str, ...] = CONTAINERS,
    upright_only: bool = False,
) -> list[ContainerRow]:
    """One row per container type; empty when the packing is incomplete or impossible."""
    if not packing.is_complete:
        return []
    try:
        carton = packing.carton()
    except ContainerError:
        return []
    rows = []
    for code in containers:
        load = cartons_per_container(carton, code, upright_only=upright_only)
        pieces = load.cartons * packing.pcs_per_carton if packing.pcs_per_carton else None
        rows.append(
            ContainerRow(
                container=load.container,
                cartons=load.cartons,
                pieces=pieces,
                limited_by=str(load.limited_by),
                geometric_cartons=load.geometric_cartons,
                payload_cartons=load.payload_cartons,
                volume_cbm=load.volume_cbm,
                gross_weight_kg=load.gross_weight_kg,
                volume_utilisation_percent=load.volume_utilisation_percent,
                weight_utilisation_percent=load.weight_utilisation_percent,
            )
        )
    return rows


def product_container_loads(product, **options) -> list[ContainerRow]:
    """:func:`container_loads` for a product (or a quotation line with the same fields)."""
    return container_loads(Packing.of(product), **options)
