"""Loading plans for several SKUs."""

from decimal import Decimal as D

import pytest

from tradewind.trade.containers import Carton
from tradewind.trade.errors import ContainerError
from tradewind.trade.loadplan import PlanItem, plan_shipment

BIG = Carton(D(60), D(40), D(50), D(22))
SMALL = Carton(D(30), D(30), D(30), D(8))


def test_one_sku_filling_one_40hq_exactly_takes_one_40hq():
    plan = plan_shipment([PlanItem("A", BIG, 500, upright_only=True)])
    assert plan.count_by_type == (("40HQ", 1),)
    assert plan.containers[0].loads == (("A", 500),)


def test_small_remainder_goes_into_a_20gp():
    plan = plan_shipment([PlanItem("A", BIG, 600, upright_only=True)])
    assert [c.container for c in plan.containers] == ["40HQ", "20GP"]
    assert plan.containers[1].loads == (("A", 100),)


def test_plan_says_which_sku_goes_where_and_ships_everything():
    items = [PlanItem("SMALL", SMALL, 1000), PlanItem("BIG", BIG, 700, upright_only=True)]
    plan = plan_shipment(items)
    shipped: dict[str, int] = {}
    for container in plan.containers:
        assert container.fill_percent <= 100
        for sku, count in container.loads:
            shipped[sku] = shipped.get(sku, 0) + count
    assert shipped == {"SMALL": 1000, "BIG": 700}
    assert plan.containers[0].loads[0][0] == "BIG"  # largest carton first
    assert "Largest carton volume first" in plan.heuristic


def test_plan_is_deterministic():
    items = [PlanItem("SMALL", SMALL, 1000), PlanItem("BIG", BIG, 700)]
    assert plan_shipment(items) == plan_shipment(list(reversed(items)))


def test_freight_rates_choose_the_cheapest_mix():
    items = [PlanItem("A", BIG, 600, upright_only=True)]
    rates = {"20GP": D(5000), "40GP": D(5200), "40HQ": D(5400)}
    plan = plan_shipment(items, freight_rates=rates)
    assert plan.freight_cost == D(5400) + D(5000)
    expensive_20 = {"20GP": D(9000), "40GP": D(5200), "40HQ": D(5400)}
    plan = plan_shipment(items, freight_rates=expensive_20)
    assert plan.count_by_type == (("40GP", 2),)  # 400 + 200 cartons, 20GP too dear
    assert plan.freight_cost == D(10400)


def test_weight_limits_a_mixed_container():
    heavy = Carton(D(30), D(30), D(30), D(100))
    plan = plan_shipment([PlanItem("H", heavy, 300)], container_types=["40HQ"])
    assert all(c.gross_weight_kg <= D(22000) for c in plan.containers)
    assert len(plan.containers) == 2


def test_fill_limit_leaves_a_margin():
    full = plan_shipment([PlanItem("A", BIG, 500, upright_only=True)], container_types=["40HQ"])
    margin = plan_shipment(
        [PlanItem("A", BIG, 500, upright_only=True)],
        container_types=["40HQ"],
        fill_limit_percent=95,
    )
    assert len(full.containers) == 1 and len(margin.containers) == 2


def test_candidates_considered_are_reported():
    plan = plan_shipment([PlanItem("A", BIG, 600, upright_only=True)])
    assert len(plan.candidates) == 3


@pytest.mark.parametrize(
    ("items", "kwargs", "field"),
    [
        ([], {}, "items"),
        ([PlanItem("A", BIG, 1), PlanItem("A", SMALL, 1)], {}, "items"),
        ([PlanItem("A", Carton(D(1300), D(40), D(50), D(22)), 1)], {}, "items"),
        ([PlanItem("A", BIG, 1)], {"freight_rates": {"20GP": D(1)}}, "freight_rates"),
        ([PlanItem("A", BIG, 1)], {"fill_limit_percent": 20}, "fill_limit_percent"),
        ([PlanItem("A", BIG, 1)], {"container_types": []}, "container_types"),
    ],
)
def test_impossible_plans_are_refused_naming_the_field(items, kwargs, field):
    with pytest.raises(ContainerError) as error:
        plan_shipment(items, **kwargs)
    assert error.value.field == field


@pytest.mark.parametrize(("sku", "cartons", "field"), [("", 1, "sku"), ("A", 0, "cartons")])
def test_bad_plan_items_are_refused(sku, cartons, field):
    with pytest.raises(ContainerError) as error:
        PlanItem(sku, BIG, cartons)
    assert error.value.field == field
