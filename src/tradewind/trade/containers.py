"""Containers: cartons per container, multi-SKU loading plans, LCL freight tons, air weight.

Facts from DOMAIN.md §4. Container data are *typical* figures, kept in :data:`CONTAINER_TYPES`
and overridable per call (pass your own :class:`ContainerType` or ``max_payload_kg``).

Judgement calls:

* **Cartons per container** follows the DOMAIN rule exactly: for every allowed orientation
  (6, or 2 when the carton must stay upright) count ⌊L/l⌋×⌊W/w⌋×⌊H/h⌋, keep the best (first in
  a fixed order on ties), then cap by payload ÷ carton gross weight. Leftover space is not
  filled with turned cartons, so the count is what a loader achieves by the simple rule and never
  more. An orientation is also refused when the carton cannot pass the door (≈2.34 m wide,
  2.28 m GP / 2.58 m HQ high).
* **Payload cap** defaults to ``planning_payload_kg``, the conservative low end of what people
  actually plan in China (20GP 17.5 t, 40' 22 t) — road and carrier limits bite before the
  structural ``max_payload_kg``. Pass ``max_payload_kg`` to use another figure.
* **Utilisation**: ``volume_utilisation_percent`` is cartons' volume ÷ inside volume,
  ``weight_utilisation_percent`` is cargo weight ÷ the payload cap, and ``utilisation_percent``
  is the one of the limiting resource (volume when geometry limits, weight otherwise).
* **Several SKUs**: see :mod:`tradewind.trade.loadplan`.
* **Air chargeable weight** is rounded *up* to the next 0.5 kg (IATA practice); volumetric weight
  is L×W×H cm ÷ 6,000 (air) or ÷ 5,000 (courier).
* **LCL** is charged per W/M: one freight ton is the larger of 1 CBM or 1,000 kg, with a minimum
  of 1 W/M unless told otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from tradewind.trade.checks import require_int, require_range, to_decimal
from tradewind.trade.errors import ContainerError
from tradewind.trade.money import HUNDRED, quantize

CM3_PER_CBM = Decimal(1_000_000)
KG_PER_TONNE = Decimal(1000)
AIR_VOLUMETRIC_DIVISOR = 6000
COURIER_VOLUMETRIC_DIVISOR = 5000
MAX_CARTON_SIDE_CM = Decimal(1500)
MAX_CARTON_WEIGHT_KG = Decimal(30_480)
MAX_CARTONS = 10_000_000


@dataclass(frozen=True)
class ContainerType:
    """Inside dimensions, door opening and payloads of one container type (all typical)."""

    code: str
    inside_length_cm: Decimal
    inside_width_cm: Decimal
    inside_height_cm: Decimal
    door_width_cm: Decimal
    door_height_cm: Decimal
    max_payload_kg: Decimal
    planning_payload_kg: Decimal

    @property
    def inside_volume_cbm(self) -> Decimal:
        cm3 = self.inside_length_cm * self.inside_width_cm * self.inside_height_cm
        return cm3 / CM3_PER_CBM


def _ct(code, length_m, width_m, height_m, door_h_m, max_t, plan_t) -> ContainerType:
    metres = Decimal(100)
    return ContainerType(
        code=code,
        inside_length_cm=Decimal(length_m) * metres,
        inside_width_cm=Decimal(width_m) * metres,
        inside_height_cm=Decimal(height_m) * metres,
        door_width_cm=Decimal("2.34") * metres,
        door_height_cm=Decimal(door_h_m) * metres,
        max_payload_kg=quantize(Decimal(max_t) * KG_PER_TONNE, 0),
        planning_payload_kg=quantize(Decimal(plan_t) * KG_PER_TONNE, 0),
    )


#: Typical data (DOMAIN.md §4; 45HQ from common carrier tables). Override freely.
CONTAINER_TYPES: dict[str, ContainerType] = {
    "20GP": _ct("20GP", "5.898", "2.352", "2.393", "2.28", "28", "17.5"),
    "40GP": _ct("40GP", "12.032", "2.352", "2.393", "2.28", "26.7", "22"),
    "40HQ": _ct("40HQ", "12.032", "2.352", "2.698", "2.58", "26.5", "22"),
    "45HQ": _ct("45HQ", "13.556", "2.352", "2.698", "2.58", "25.6", "22"),
}


@dataclass(frozen=True)
class Carton:
    """An export carton: outside dimensions in cm and gross weight in kg."""

    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    gross_weight_kg: Decimal

    def __post_init__(self) -> None:
        for name in ("length_cm", "width_cm", "height_cm"):
            value = to_decimal(getattr(self, name), field=name, error=ContainerError)
            require_range(
                value,
                field=name,
                error=ContainerError,
                minimum=0,
                minimum_inclusive=False,
                maximum=MAX_CARTON_SIDE_CM,
                what=f"carton {name.removesuffix('_cm')} (cm)",
            )
            object.__setattr__(self, name, value)
        weight = to_decimal(self.gross_weight_kg, field="gross_weight_kg", error=ContainerError)
        require_range(
            weight,
            field="gross_weight_kg",
            error=ContainerError,
            minimum=0,
            minimum_inclusive=False,
            maximum=MAX_CARTON_WEIGHT_KG,
            what="carton gross weight (kg)",
        )
        object.__setattr__(self, "gross_weight_kg", weight)

    @property
    def volume_cbm(self) -> Decimal:
        return self.length_cm * self.width_cm * self.height_cm / CM3_PER_CBM

    def orientations(self, *, upright_only: bool) -> tuple[tuple[Decimal, Decimal, Decimal], ...]:
        """(along container length, width, height) for each allowed way to stand the carton."""
        l, w, h = self.length_cm, self.width_cm, self.height_cm  # noqa: E741
        if upright_only:
            candidates: Iterable[tuple[Decimal, Decimal, Decimal]] = ((l, w, h), (w, l, h))
        else:
            candidates = itertools.permutations((l, w, h))
        return tuple(dict.fromkeys(candidates))


class LimitedBy(StrEnum):
    VOLUME = "volume"
    WEIGHT = "weight"
    SIZE = "size"  # the carton does not fit at all


@dataclass(frozen=True)
class ContainerLoad:
    """How many cartons of one kind go into one container, and why not more."""

    container: str
    cartons: int
    limited_by: LimitedBy
    geometric_cartons: int
    payload_cartons: int
    payload_kg: Decimal
    orientation_cm: tuple[Decimal, Decimal, Decimal] | None
    layout: tuple[int, int, int]
    volume_cbm: Decimal
    gross_weight_kg: Decimal
    volume_utilisation_percent: Decimal
    weight_utilisation_percent: Decimal
    naive_volume_cartons: int

    @property
    def utilisation_percent(self) -> Decimal:
        if self.limited_by is LimitedBy.WEIGHT:
            return self.weight_utilisation_percent
        return self.volume_utilisation_percent


def get_container_type(code: str, *, field: str = "container") -> ContainerType:
    key = code.strip().upper() if isinstance(code, str) else code
    if key not in CONTAINER_TYPES:
        raise ContainerError(
            f"{field}: unknown container type {code!r}; use one of {', '.join(CONTAINER_TYPES)}",
            field=field,
        )
    return CONTAINER_TYPES[key]


def resolve_container_type(container: ContainerType | str) -> ContainerType:
    return container if isinstance(container, ContainerType) else get_container_type(container)


def payload_cap_kg(container: ContainerType, max_payload_kg: Decimal | int | str | None) -> Decimal:
    if max_payload_kg is None:
        return container.planning_payload_kg
    payload = to_decimal(max_payload_kg, field="max_payload_kg", error=ContainerError)
    return require_range(
        payload,
        field="max_payload_kg",
        error=ContainerError,
        minimum=0,
        minimum_inclusive=False,
        maximum=Decimal(30_480),
        what="maximum payload (kg)",
    )


def best_layout(carton: Carton, container: ContainerType, *, upright_only: bool):
    best: tuple[int, tuple[Decimal, Decimal, Decimal] | None, tuple[int, int, int]]
    best = (0, None, (0, 0, 0))
    for dims in carton.orientations(upright_only=upright_only):
        along_l, along_w, along_h = dims
        if along_w > container.door_width_cm or along_h > container.door_height_cm:
            continue  # cannot pass the door standing this way
        layout = (
            int(container.inside_length_cm // along_l),
            int(container.inside_width_cm // along_w),
            int(container.inside_height_cm // along_h),
        )
        count = layout[0] * layout[1] * layout[2]
        if count > best[0]:
            best = (count, dims, layout)
    return best


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    return quantize(part / whole * HUNDRED, 2)


def cartons_per_container(
    carton: Carton,
    container: ContainerType | str,
    *,
    upright_only: bool = False,
    max_payload_kg: Decimal | int | str | None = None,
) -> ContainerLoad:
    """Cartons of one kind in one container: best orientation, capped by payload (DOMAIN §4).

    A carton that fits in no allowed orientation gives ``cartons == 0`` and
    ``limited_by == LimitedBy.SIZE`` (the caller decides whether that is an error).
    """
    box = resolve_container_type(container)
    payload = payload_cap_kg(box, max_payload_kg)
    geometric, orientation, layout = best_layout(carton, box, upright_only=upright_only)
    payload_cartons = int(payload // carton.gross_weight_kg)
    if geometric == 0:
        limited_by = LimitedBy.SIZE
    elif geometric <= payload_cartons:
        limited_by = LimitedBy.VOLUME
    else:
        limited_by = LimitedBy.WEIGHT
    cartons = min(geometric, payload_cartons)
    volume = carton.volume_cbm * cartons
    weight = carton.gross_weight_kg * cartons
    return ContainerLoad(
        container=box.code,
        cartons=cartons,
        limited_by=limited_by,
        geometric_cartons=geometric,
        payload_cartons=payload_cartons,
        payload_kg=payload,
        orientation_cm=orientation,
        layout=layout,
        volume_cbm=volume,
        gross_weight_kg=weight,
        volume_utilisation_percent=percent_of(volume, box.inside_volume_cbm),
        weight_utilisation_percent=percent_of(weight, payload),
        naive_volume_cartons=int(box.inside_volume_cbm // carton.volume_cbm),
    )


# --- LCL and air ----------------------------------------------------------------------------


def shipment_volume_cbm(carton: Carton, cartons: int) -> Decimal:
    require_int(cartons, field="cartons", error=ContainerError, minimum=1, maximum=MAX_CARTONS)
    return carton.volume_cbm * cartons


@dataclass(frozen=True)
class FreightTons:
    """LCL chargeable quantity: 1 W/M = the larger of 1 CBM or 1,000 kg."""

    volume_cbm: Decimal
    gross_weight_kg: Decimal
    weight_tonnes: Decimal
    freight_tons: Decimal
    basis: str  # "volume", "weight" or "minimum"


def lcl_freight_tons(
    volume_cbm: Decimal | int | str,
    gross_weight_kg: Decimal | int | str,
    *,
    minimum_freight_tons: Decimal | int | str = 1,
) -> FreightTons:
    volume = to_decimal(volume_cbm, field="volume_cbm", error=ContainerError)
    weight = to_decimal(gross_weight_kg, field="gross_weight_kg", error=ContainerError)
    minimum = to_decimal(minimum_freight_tons, field="minimum_freight_tons", error=ContainerError)
    require_range(volume, field="volume_cbm", error=ContainerError, minimum=0)
    require_range(weight, field="gross_weight_kg", error=ContainerError, minimum=0)
    require_range(minimum, field="minimum_freight_tons", error=ContainerError, minimum=0)
    if volume == 0 and weight == 0:
        raise ContainerError(
            "volume_cbm: give the shipment's volume or weight (both are zero)", field="volume_cbm"
        )
    tonnes = weight / KG_PER_TONNE
    charged = max(volume, tonnes)
    basis = "volume" if volume >= tonnes else "weight"
    if charged < minimum:
        charged, basis = minimum, "minimum"
    return FreightTons(volume, weight, tonnes, charged, basis)


@dataclass(frozen=True)
class ChargeableWeight:
    actual_kg: Decimal
    volumetric_kg: Decimal
    chargeable_kg: Decimal
    basis: str  # "actual" or "volumetric"
    divisor: int


def chargeable_weight(
    carton: Carton,
    cartons: int,
    *,
    divisor: int = AIR_VOLUMETRIC_DIVISOR,
    step_kg: Decimal | int | str = Decimal("0.5"),
) -> ChargeableWeight:
    """Air (÷ 6000) or courier (÷ 5000) chargeable weight, rounded up to ``step_kg``."""
    require_int(cartons, field="cartons", error=ContainerError, minimum=1, maximum=MAX_CARTONS)
    require_int(divisor, field="divisor", error=ContainerError, minimum=1000, maximum=10_000)
    step = to_decimal(step_kg, field="step_kg", error=ContainerError)
    require_range(step, field="step_kg", error=ContainerError, minimum=0, minimum_inclusive=False)
    cm3 = carton.length_cm * carton.width_cm * carton.height_cm * cartons
    volumetric = cm3 / divisor
    actual = carton.gross_weight_kg * cartons
    heavier = max(actual, volumetric)
    chargeable = quantize(heavier / step, 0, rounding=ROUND_CEILING) * step
    basis = "actual" if actual >= volumetric else "volumetric"
    return ChargeableWeight(actual, volumetric, chargeable, basis, divisor)


def whole_containers_needed(cartons: int, per_container: int) -> int:
    """⌈cartons / per_container⌉ without floats."""
    require_int(cartons, field="cartons", error=ContainerError, minimum=0)
    require_int(per_container, field="per_container", error=ContainerError, minimum=1)
    return int(quantize(Decimal(cartons) / per_container, 0, rounding=ROUND_CEILING))


__all__ = [
    "AIR_VOLUMETRIC_DIVISOR",
    "CONTAINER_TYPES",
    "COURIER_VOLUMETRIC_DIVISOR",
    "Carton",
    "ChargeableWeight",
    "ContainerLoad",
    "ContainerType",
    "FreightTons",
    "LimitedBy",
    "cartons_per_container",
    "chargeable_weight",
    "get_container_type",
    "lcl_freight_tons",
    "shipment_volume_cbm",
    "whole_containers_needed",
]
