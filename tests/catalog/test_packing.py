"""Packing figures: carton CBM and container loads come from the trade core, unchanged."""

from decimal import Decimal

from tradewind.catalog.packing import (
    Packing,
    carton_cbm,
    container_loads,
    display_cbm,
    product_container_loads,
)
from tradewind.trade.containers import Carton, cartons_per_container

DOMAIN_CARTON = Packing(
    length_cm=Decimal(60),
    width_cm=Decimal(40),
    height_cm=Decimal(50),
    gross_weight_kg=Decimal(22),
    pcs_per_carton=4,
)


def test_carton_cbm_is_length_times_width_times_height():
    assert carton_cbm(DOMAIN_CARTON) == Decimal("0.12")
    odd = Packing(Decimal("52.5"), Decimal("42.3"), Decimal("30.1"), Decimal(11))
    assert carton_cbm(odd) == Decimal("52.5") * Decimal("42.3") * Decimal("30.1") / 1_000_000
    assert display_cbm(carton_cbm(odd)) == Decimal("0.0668")


def test_upright_cartons_match_the_domain_example():
    loads = container_loads(DOMAIN_CARTON, upright_only=True)
    assert [(row.container, row.cartons) for row in loads] == [
        ("20GP", 180),
        ("40GP", 400),
        ("40HQ", 500),
    ]
    assert [row.pieces for row in loads] == [720, 1600, 2000]
    assert {row.limited_by for row in loads} == {"volume"}


def test_loads_equal_the_trade_cores_figures():
    carton = Carton(Decimal(60), Decimal(40), Decimal(50), Decimal(22))
    for row in container_loads(DOMAIN_CARTON):
        core = cartons_per_container(carton, row.container)
        assert row.cartons == core.cartons
        assert row.geometric_cartons == core.geometric_cartons
        assert row.limited_by == str(core.limited_by)
        assert row.volume_cbm == core.volume_cbm
        assert row.utilisation_percent == core.utilisation_percent


def test_heavy_cartons_are_limited_by_weight():
    heavy = Packing(Decimal(40), Decimal(30), Decimal(30), Decimal(60), pcs_per_carton=1)
    twenty = container_loads(heavy)[0]
    assert twenty.limited_by == "weight"
    assert twenty.cartons == 291  # 17,500 kg planning payload / 60 kg
    assert twenty.geometric_cartons > twenty.cartons


def test_a_carton_too_big_for_the_door_fits_nowhere():
    huge = Packing(Decimal(300), Decimal(300), Decimal(300), Decimal(50))
    assert {row.limited_by for row in container_loads(huge)} == {"size"}
    assert {row.cartons for row in container_loads(huge)} == {0}


def test_incomplete_packing_has_no_loads_and_pieces_need_pcs_per_carton():
    assert container_loads(Packing(Decimal(60), None, Decimal(50), Decimal(22))) == []
    assert container_loads(Packing(Decimal(60), Decimal(40), Decimal(50), None)) == []
    assert carton_cbm(Packing(None, None, None, None)) is None
    no_pcs = Packing(Decimal(60), Decimal(40), Decimal(50), Decimal(22))
    assert all(row.pieces is None for row in container_loads(no_pcs))


def test_product_container_loads_reads_the_products_fields(product):
    rows = product_container_loads(product)
    assert [row.container for row in rows] == ["20GP", "40GP", "40HQ"]
    assert rows == container_loads(DOMAIN_CARTON)
