"""Hypothesis properties of the price build-up and its reverse (issue 3)."""

import ast
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import tradewind.trade
from tradewind.trade.money import minor_unit
from tradewind.trade.pricing import (
    Convention,
    CostBasis,
    DomesticCharge,
    FreightPerUnit,
    MarginBasis,
    PriceInputs,
    build_price,
)
from tradewind.trade.pricing_reverse import solve_margin, solve_purchase_price

TINY = D("1e-15")


def cents(low: int, high: int):
    return st.integers(low, high).map(lambda n: D(n) / 100)


@st.composite
def price_inputs(draw) -> PriceInputs:
    vat = draw(st.sampled_from([D(0), D(6), D(9), D(13)]))
    rebate = draw(st.sampled_from([r for r in (D(0), D(6), D(9), D(13)) if r <= vat]))
    basis = draw(st.sampled_from(list(MarginBasis)))
    return PriceInputs(
        quantity=draw(st.integers(1, 100_000)),
        purchase_price_rmb=draw(cents(100, 10_000_000)),
        cost_basis=draw(st.sampled_from(list(CostBasis))),
        vat_percent=vat,
        rebate_percent=rebate,
        domestic_charges=(DomesticCharge("Port", draw(cents(0, 5000))),),
        fx_rmb_per_unit=draw(st.integers(100, 1000).map(lambda n: D(n) / 100)),
        margin_percent=draw(cents(0, 6000)),
        margin_basis=basis,
        freight=FreightPerUnit(draw(cents(0, 2000))),
        insurance_rate_percent=draw(st.integers(0, 100).map(lambda n: D(n) / 100)),
        insurance_markup_percent=draw(st.sampled_from([D(110), D(120)])),
        commission_percent=draw(st.one_of(st.none(), st.integers(1, 10).map(D))),
    )


CONVENTIONS = st.sampled_from(list(Convention))


@given(price_inputs(), CONVENTIONS)
def test_prices_never_decrease_from_exw_to_cif_with_commission(inputs, convention):
    build_up = build_price(inputs, convention=convention)
    chain = ["EXW", "FCA", "FOB", "CFR", "CIF"]
    if inputs.commission_percent is not None:
        chain.append("CIF" + inputs.commission_key_suffix)
    for attribute in ("unit_price_exact", "unit_price"):
        values = [getattr(build_up.price(key), attribute) for key in chain]
        assert values == sorted(values)


@given(price_inputs(), CONVENTIONS)
def test_cif_premium_is_markup_times_rate_times_cif_and_adds_up(inputs, convention):
    build_up = build_price(inputs, convention=convention)
    cif = build_up.price("CIF")
    share = inputs.insurance_markup_percent / 100 * inputs.insurance_rate_percent / 100
    assert abs(cif.insurance_premium_exact - cif.unit_price_exact * share) < TINY
    if convention is Convention.ADDON:
        cfr = build_up.price("CFR").unit_price_exact
        assert abs(cif.unit_price_exact - (cfr + cif.insurance_premium_exact)) < TINY


@given(price_inputs(), CONVENTIONS)
def test_totals_are_rounded_unit_price_times_quantity(inputs, convention):
    build_up = build_price(inputs, convention=convention)
    for price in build_up.prices:
        assert price.total == price.unit_price * inputs.quantity
        assert abs(price.unit_price - price.unit_price_exact) <= minor_unit(inputs.currency) / 2


@given(price_inputs(), CONVENTIONS, st.sampled_from(["FOB", "CFR", "CIF", "CIFC"]))
def test_reverse_of_forward_returns_the_purchase_price(inputs, convention, key):
    if key == "CIFC":
        key = "CIF" + (inputs.commission_key_suffix or "")
    price = build_price(inputs, convention=convention).price(key, convention)
    exact = solve_purchase_price(
        inputs, term=key, target_unit_price=price.unit_price_exact, convention=convention
    )
    assert abs(exact.exact - inputs.purchase_price_rmb) < TINY * inputs.purchase_price_rmb
    rounded = solve_purchase_price(
        inputs, term=key, target_unit_price=price.unit_price, convention=convention
    )
    # in price terms, the purchase price found is within one minor unit of the original
    again = build_price(
        PriceInputs(**{**_fields(inputs), "purchase_price_rmb": rounded.exact}),
        convention=convention,
    ).price(key, convention)
    assert abs(again.unit_price_exact - price.unit_price_exact) <= minor_unit(inputs.currency)
    assert rounded.value <= rounded.exact


@given(price_inputs(), CONVENTIONS, st.sampled_from(["FOB", "CFR", "CIF"]))
def test_reverse_margin_of_forward_price_returns_the_margin(inputs, convention, key):
    price = build_price(inputs, convention=convention).price(key, convention)
    found = solve_margin(inputs, term=key, unit_price=price.unit_price_exact, convention=convention)
    assert abs(found.exact - inputs.margin_percent) < D("1e-12")


@given(price_inputs(), CONVENTIONS)
def test_every_figure_is_decimal_never_float(inputs, convention):
    build_up = build_price(inputs, convention=convention)
    numbers = [build_up.swap_cost, build_up.profit_rate_percent, build_up.net_cost_rmb]
    for price in build_up.prices:
        numbers += [price.unit_price_exact, price.unit_price, price.total]
    numbers += [line.value for line in build_up.lines]
    assert all(type(number) is D for number in numbers)


def _fields(inputs: PriceInputs) -> dict:
    return {name: getattr(inputs, name) for name in inputs.__dataclass_fields__}


def _trade_modules():
    return sorted(Path(tradewind.trade.__file__).parent.glob("*.py"))


def test_no_float_literal_or_float_call_in_the_trade_core():
    for path in _trade_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"float", "round"}, f"{path}: {node.func.id}()"


def test_only_money_quantize_rounds():
    for path in _trade_modules():
        if path.name == "money.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert ".quantize(D" not in source and "value.quantize(" not in source, path


def test_the_trade_core_never_imports_django():
    for path in _trade_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] in {"django", "ninja"} for name in names), path
