"""Cartons per container, LCL freight tons, air chargeable weight (DOMAIN.md §4)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.trade.containers import (
    CONTAINER_TYPES,
    Carton,
    ContainerType,
    LimitedBy,
    cartons_per_container,
    chargeable_weight,
    get_container_type,
    lcl_freight_tons,
    whole_containers_needed,
)
from tradewind.trade.errors import ContainerError

DOMAIN_CARTON = Carton(D(60), D(40), D(50), D(22))


@pytest.mark.parametrize(("container", "cartons"), [("20GP", 180), ("40GP", 400), ("40HQ", 500)])
def test_upright_60x40x50_carton_fits_180_400_500(container, cartons):
    load = cartons_per_container(DOMAIN_CARTON, container, upright_only=True)
    assert load.cartons == cartons
    assert load.limited_by is LimitedBy.VOLUME


def test_40hq_load_is_60_cbm_and_11_tonnes():
    load = cartons_per_container(DOMAIN_CARTON, "40HQ", upright_only=True)
    assert load.volume_cbm == D(60)
    assert load.gross_weight_kg == D(11000)


def test_naive_volume_division_overstates_the_count():
    load = cartons_per_container(DOMAIN_CARTON, "40HQ", upright_only=True)
    assert load.naive_volume_cartons > load.cartons
    assert int(D(68) / DOMAIN_CARTON.volume_cbm) == 566  # DOMAIN's usable-volume figure


def test_utilisation_is_share_of_inside_volume():
    load = cartons_per_container(DOMAIN_CARTON, "20GP", upright_only=True)
    assert load.utilisation_percent == load.volume_utilisation_percent == D("65.07")


def test_heavy_cartons_are_limited_by_weight():
    heavy = Carton(D(60), D(40), D(50), D(120))
    load = cartons_per_container(heavy, "40HQ", upright_only=True)
    assert load.limited_by is LimitedBy.WEIGHT
    assert load.cartons == 183  # 22,000 kg planning payload // 120 kg
    assert load.utilisation_percent == load.weight_utilisation_percent


def test_payload_can_be_overridden():
    heavy = Carton(D(60), D(40), D(50), D(120))
    assert cartons_per_container(heavy, "40HQ", max_payload_kg=D(26500)).cartons == 220


def test_turning_the_carton_on_its_side_can_fit_more():
    tall = Carton(D(40), D(40), D(130), D(5))
    assert cartons_per_container(tall, "20GP", upright_only=True).cartons == 14 * 5 * 1
    assert cartons_per_container(tall, "20GP").cartons == 4 * 5 * 5


def test_carton_too_large_for_the_container_fits_zero_by_size():
    long = Carton(D(700), D(40), D(50), D(22))
    load = cartons_per_container(long, "20GP")
    assert load.cartons == 0 and load.limited_by is LimitedBy.SIZE
    assert cartons_per_container(long, "40GP").cartons > 0


def test_carton_wider_than_the_door_cannot_be_loaded():
    wide = Carton(D("234.5"), D("234.5"), D(100), D(22))  # fits 235.2 cm inside, not the door
    load = cartons_per_container(wide, "20GP", upright_only=True)
    assert load.cartons == 0 and load.limited_by is LimitedBy.SIZE


def test_container_data_can_be_overridden():
    custom = ContainerType("20GP-old", D(580), D(230), D(230), D(230), D(220), D(28000), D(20000))
    assert cartons_per_container(DOMAIN_CARTON, custom, upright_only=True).cartons == 9 * 5 * 4


def test_45hq_is_available():
    assert CONTAINER_TYPES["45HQ"].inside_volume_cbm > CONTAINER_TYPES["40HQ"].inside_volume_cbm


@pytest.mark.parametrize(
    ("dimensions", "field"),
    [
        ((D(0), D(40), D(50), D(22)), "length_cm"),
        ((D(60), D(-40), D(50), D(22)), "width_cm"),
        ((D(60), D(40), D(5000), D(22)), "height_cm"),
        ((D(60), D(40), D(50), D(0)), "gross_weight_kg"),
        ((D(60), D(40), D(50), D(99999)), "gross_weight_kg"),
        ((D(60), D(40), D(50), "heavy"), "gross_weight_kg"),
    ],
)
def test_bad_cartons_are_refused_naming_the_field(dimensions, field):
    with pytest.raises(ContainerError) as error:
        Carton(*dimensions)
    assert error.value.field == field


def test_float_carton_dimensions_are_refused():
    with pytest.raises(TypeError):
        Carton(60.0, D(40), D(50), D(22))


def test_unknown_container_type_is_refused():
    with pytest.raises(ContainerError) as error:
        get_container_type("53FT")
    assert error.value.field == "container"


def test_bad_payload_override_is_refused():
    with pytest.raises(ContainerError) as error:
        cartons_per_container(DOMAIN_CARTON, "20GP", max_payload_kg=D(-1))
    assert error.value.field == "max_payload_kg"


@given(
    st.integers(10, 150).map(D),
    st.integers(10, 150).map(D),
    st.integers(10, 150).map(D),
    st.integers(1, 500).map(D),
    st.sampled_from(["20GP", "40GP", "40HQ", "45HQ"]),
)
def test_cartons_never_exceed_volume_or_payload(length, width, height, weight, code):
    carton = Carton(length, width, height, weight)
    load = cartons_per_container(carton, code)
    box = CONTAINER_TYPES[code]
    assert load.cartons * carton.volume_cbm <= box.inside_volume_cbm
    assert load.cartons * weight <= box.planning_payload_kg
    assert load.cartons <= load.naive_volume_cartons
    upright = cartons_per_container(carton, code, upright_only=True)
    assert upright.cartons <= load.cartons


@pytest.mark.parametrize(
    ("volume", "weight", "tons", "basis"),
    [
        (D("2.5"), D(1800), D("2.5"), "volume"),
        (D("2.5"), D(3000), D(3), "weight"),
        (D("0.3"), D(200), D(1), "minimum"),
    ],
)
def test_lcl_freight_tons_are_the_larger_of_cbm_and_tonnes(volume, weight, tons, basis):
    result = lcl_freight_tons(volume, weight)
    assert (result.freight_tons, result.basis) == (tons, basis)


def test_lcl_with_nothing_to_ship_is_refused():
    with pytest.raises(ContainerError):
        lcl_freight_tons(D(0), D(0))


def test_air_chargeable_weight_uses_6000_and_rounds_up_to_half_kilo():
    light = Carton(D(60), D(40), D(50), D(10))
    result = chargeable_weight(light, 3)
    assert result.volumetric_kg == D(60)  # 120,000 cm³ × 3 / 6000
    assert result.chargeable_kg == D(60)
    assert result.basis == "volumetric"
    assert chargeable_weight(Carton(D(61), D(40), D(50), D(10)), 1).chargeable_kg == D("20.5")


def test_courier_divides_by_5000():
    light = Carton(D(60), D(40), D(50), D(10))
    assert chargeable_weight(light, 1, divisor=5000).chargeable_kg == D(24)


def test_containers_needed_round_up():
    assert whole_containers_needed(1001, 500) == 3
    assert whole_containers_needed(1000, 500) == 2
