"""Loading plan for several SKUs: how many containers of which type, and what goes where.

The heuristic is greedy and deterministic:

1. Each SKU alone fills a container type with ``n`` cartons (its single-SKU geometric count,
   see :func:`tradewind.trade.containers.cartons_per_container`); one carton of it takes the
   share ``1/n`` of that container.
2. SKUs are taken largest carton volume first (ties by SKU code) and poured into the open
   container while the shares sum to ≤ the fill limit and the weight to ≤ the payload cap;
   then the next container is opened.
3. This is tried with every allowed type as the main type. The last, part-filled container is
   then swapped for the cheapest allowed type that still holds its contents.
4. The cheapest candidate wins: by the given freight rates, or without rates by fewest
   containers, then least total inside volume, then the order of the types given.

Proportional shares are optimistic for cartons of very different shapes; keep a margin with
``fill_limit_percent`` (e.g. 95) when the SKUs differ a lot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from tradewind.trade.checks import require_int, require_range, to_decimal
from tradewind.trade.containers import (
    MAX_CARTONS,
    Carton,
    ContainerType,
    best_layout,
    payload_cap_kg,
    percent_of,
    resolve_container_type,
)
from tradewind.trade.errors import ContainerError
from tradewind.trade.money import HUNDRED, quantize


@dataclass(frozen=True)
class PlanItem:
    """One SKU to ship: its carton and how many cartons."""

    sku: str
    carton: Carton
    cartons: int
    upright_only: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.sku, str) or not self.sku.strip():
            raise ContainerError("sku: every item needs a SKU code", field="sku")
        require_int(
            self.cartons, field="cartons", error=ContainerError, minimum=1, maximum=MAX_CARTONS
        )


@dataclass(frozen=True)
class PlannedContainer:
    number: int
    container: str
    loads: tuple[tuple[str, int], ...]  # (sku, cartons) in loading order
    fill_percent: Decimal  # sum of the SKUs' capacity shares
    volume_cbm: Decimal
    gross_weight_kg: Decimal
    volume_utilisation_percent: Decimal
    weight_utilisation_percent: Decimal


@dataclass(frozen=True)
class PlanCandidate:
    description: str
    containers: int
    inside_volume_cbm: Decimal
    freight_cost: Decimal | None


@dataclass(frozen=True)
class ShipmentPlan:
    containers: tuple[PlannedContainer, ...]
    count_by_type: tuple[tuple[str, int], ...]
    freight_cost: Decimal | None
    candidates: tuple[PlanCandidate, ...]
    heuristic: str


PLAN_HEURISTIC = (
    "Largest carton volume first; each carton takes 1/n of a container where n is the SKU's "
    "single-SKU count; fill while shares ≤ 100 % and weight ≤ payload, then open the next "
    "container. Every allowed type is tried as the main type, the last container is swapped for "
    "the cheapest type that holds its contents, and the cheapest candidate wins (freight rates, "
    "else fewest containers, then least inside volume)."
)


def _fill(items, box: ContainerType, payload: Decimal, limit: Fraction):
    """Greedy fill of ``items`` into containers of one type; ``None`` if a SKU cannot go in."""
    capacity = {}
    for item in items:
        geometric = best_layout(item.carton, box, upright_only=item.upright_only)[0]
        if geometric == 0 or item.carton.gross_weight_kg > payload:
            return None
        capacity[item.sku] = geometric
    remaining = {item.sku: item.cartons for item in items}
    filled: list[tuple[tuple[tuple[str, int], ...], Fraction]] = []
    while any(remaining.values()):
        share, weight, loads = Fraction(0), Decimal(0), []
        for item in items:
            left = remaining[item.sku]
            if not left:
                continue
            by_share = int((limit - share) * capacity[item.sku])
            by_weight = int((payload - weight) // item.carton.gross_weight_kg)
            count = min(left, by_share, by_weight)
            if count > 0:
                loads.append((item.sku, count))
                share += Fraction(count, capacity[item.sku])
                weight += item.carton.gross_weight_kg * count
                remaining[item.sku] -= count
        if not loads:
            return None  # fill limit too small for even one carton
        filled.append((tuple(loads), share))
    return filled


def plan_shipment(
    items: Sequence[PlanItem],
    *,
    container_types: Sequence[ContainerType | str] = ("20GP", "40GP", "40HQ"),
    freight_rates: Mapping[str, Decimal] | None = None,
    max_payload_kg: Decimal | int | str | None = None,
    fill_limit_percent: Decimal | int | str = 100,
) -> ShipmentPlan:
    """Plan FCL containers for several SKUs (heuristic in the module docstring)."""
    if not items:
        raise ContainerError("items: give at least one SKU with a quantity", field="items")
    skus = [item.sku for item in items]
    if len(set(skus)) != len(skus):
        raise ContainerError("items: each SKU may appear only once", field="items")
    boxes = [resolve_container_type(box) for box in container_types]
    if not boxes:
        raise ContainerError("container_types: allow at least one type", field="container_types")
    limit_pct = to_decimal(fill_limit_percent, field="fill_limit_percent", error=ContainerError)
    require_range(
        limit_pct, field="fill_limit_percent", error=ContainerError, minimum=50, maximum=100
    )
    limit = Fraction(limit_pct) / 100
    rates = _check_rates(boxes, freight_rates)
    ordered = sorted(items, key=lambda item: (-item.carton.volume_cbm, item.sku))

    def cost_key(types: list[ContainerType]):
        volume = sum((box.inside_volume_cbm for box in types), Decimal(0))
        if rates is not None:
            return (sum((rates[box.code] for box in types), Decimal(0)), len(types), volume)
        return (Decimal(len(types)), len(types), volume)

    by_cost = sorted(boxes, key=lambda box: cost_key([box]))
    best = None
    candidates: list[PlanCandidate] = []
    for main in boxes:
        payload = payload_cap_kg(main, max_payload_kg)
        filled = _fill(ordered, main, payload, limit)
        if filled is None:
            continue
        plan = [(main, loads, share) for loads, share in filled]
        last_items = [
            PlanItem(
                sku,
                next(i.carton for i in ordered if i.sku == sku),
                count,
                next(i.upright_only for i in ordered if i.sku == sku),
            )
            for sku, count in plan[-1][1]
        ]
        for alternative in by_cost:
            refill = _fill(
                last_items, alternative, payload_cap_kg(alternative, max_payload_kg), limit
            )
            if refill is not None and len(refill) == 1:
                plan[-1] = (alternative, refill[0][0], refill[0][1])
                break
        types = [box for box, _, _ in plan]
        key = cost_key(types)
        counts = _count_by_type(types)
        description = " + ".join(f"{n}×{code}" for code, n in counts)
        candidates.append(
            PlanCandidate(description, len(types), key[2], key[0] if rates is not None else None)
        )
        if best is None or key < best[0]:
            best = (key, plan)
    if best is None:
        raise ContainerError(
            "items: a carton fits in none of the allowed container types — check its size and "
            "gross weight, or allow a larger container",
            field="items",
        )
    return _shipment_plan(best[1], ordered, max_payload_kg, rates, tuple(candidates))


def _check_rates(boxes, freight_rates):
    if freight_rates is None:
        return None
    rates = {}
    for box in boxes:
        if box.code not in freight_rates:
            raise ContainerError(
                f"freight_rates: no rate for {box.code}; give a rate for every allowed type",
                field="freight_rates",
            )
        rate = to_decimal(freight_rates[box.code], field="freight_rates", error=ContainerError)
        rates[box.code] = require_range(
            rate, field="freight_rates", error=ContainerError, minimum=0, what="freight rate"
        )
    return rates


def _count_by_type(types: Sequence[ContainerType]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for box in types:
        counts[box.code] = counts.get(box.code, 0) + 1
    return tuple(counts.items())


def _shipment_plan(plan, ordered, max_payload_kg, rates, candidates) -> ShipmentPlan:
    cartons = {item.sku: item.carton for item in ordered}
    planned = []
    for number, (box, loads, share) in enumerate(plan, start=1):
        volume = sum((cartons[sku].volume_cbm * n for sku, n in loads), Decimal(0))
        weight = sum((cartons[sku].gross_weight_kg * n for sku, n in loads), Decimal(0))
        share_pct = Decimal(share.numerator) / Decimal(share.denominator) * HUNDRED
        planned.append(
            PlannedContainer(
                number=number,
                container=box.code,
                loads=loads,
                fill_percent=quantize(share_pct, 2),
                volume_cbm=volume,
                gross_weight_kg=weight,
                volume_utilisation_percent=percent_of(volume, box.inside_volume_cbm),
                weight_utilisation_percent=percent_of(weight, payload_cap_kg(box, max_payload_kg)),
            )
        )
    types = [box for box, _, _ in plan]
    cost = None if rates is None else sum((rates[box.code] for box in types), Decimal(0))
    return ShipmentPlan(
        containers=tuple(planned),
        count_by_type=_count_by_type(types),
        freight_cost=cost,
        candidates=candidates,
        heuristic=PLAN_HEURISTIC,
    )
