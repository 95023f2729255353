"""Reverse pricing: highest purchase price for a target price, margin a price yields."""

from decimal import Decimal as D

import pytest

from tradewind.trade.errors import PricingError
from tradewind.trade.pricing import CostBasis, MarginBasis, build_price
from tradewind.trade.pricing_reverse import parse_term_key, solve_margin, solve_purchase_price

from .test_pricing import worked_example


@pytest.mark.parametrize(
    ("key", "target"),
    [("FOB", D("16.37")), ("CIF", D("16.72")), ("CIFC5", D("17.60"))],
)
def test_highest_purchase_price_at_worked_example_prices_is_about_113(key, target):
    result = solve_purchase_price(worked_example(), term=key, target_unit_price=target)
    assert result.solved_for == "purchase_price_rmb"
    assert abs(result.exact - D(113)) < D("0.05")
    assert result.value == result.exact.quantize(D("0.01"), rounding="ROUND_FLOOR")


def test_highest_purchase_price_is_rounded_down_so_the_margin_is_kept():
    inputs = worked_example()
    result = solve_purchase_price(inputs, term="FOB", target_unit_price=D("16.37"))
    assert result.exact == D("113.0046721153846153846153846")
    assert result.value == D("113.00")
    check = next(line for line in result.lines if line.label.startswith("Check"))
    assert check.value <= D("16.37")


def test_margin_yielded_by_the_worked_example_fob_price():
    result = solve_margin(worked_example(), term="FOB", unit_price=D("16.37"))
    assert result.value == D("10.00")
    assert result.unit == "%"


def test_margin_on_cost_reverse_uses_the_cost_basis():
    inputs = worked_example(margin_basis=MarginBasis.COST)
    result = solve_margin(inputs, term="FOB", unit_price=D("16.205634"))
    assert abs(result.exact - D(10)) < D("0.0001")


def test_textbook_reverse_margin_accounts_for_insurance():
    inputs = worked_example()
    cif = build_price(inputs, convention="textbook").price("CIF", "textbook").unit_price_exact
    result = solve_margin(inputs, term="CIF", unit_price=cif, convention="textbook")
    assert abs(result.exact - D(10)) < D("1e-20")


def test_reverse_for_manufacturer_returns_factory_cost():
    inputs = worked_example(cost_basis=CostBasis.FACTORY_COST, purchase_price_rmb=D(100))
    exact_fob = build_price(inputs).price("FOB").unit_price_exact
    result = solve_purchase_price(inputs, term="FOB", target_unit_price=exact_fob)
    assert abs(result.exact - D(100)) < D("1e-20")
    assert "factory cost" in result.lines[-3].label


def test_price_below_cost_gives_negative_margin_with_a_warning():
    result = solve_margin(worked_example(), term="FOB", unit_price=D(14))
    assert result.exact < 0
    assert "below cost" in result.warnings[0]


def test_price_below_freight_and_insurance_has_no_margin():
    with pytest.raises(PricingError) as error:
        solve_margin(worked_example(), term="CIF", unit_price=D("0.20"))
    assert error.value.field == "unit_price"


def test_target_that_does_not_cover_charges_has_no_purchase_price():
    with pytest.raises(PricingError) as error:
        solve_purchase_price(worked_example(), term="CIF", target_unit_price=D("0.30"))
    assert error.value.field == "target_unit_price"


@pytest.mark.parametrize("target", [D(0), D(-1), "abc"])
def test_non_positive_or_non_numeric_target_is_refused(target):
    with pytest.raises(PricingError) as error:
        solve_purchase_price(worked_example(), term="FOB", target_unit_price=target)
    assert error.value.field == "target_unit_price"


def test_float_target_is_refused():
    with pytest.raises(TypeError):
        solve_margin(worked_example(), term="FOB", unit_price=16.37)


def test_term_that_cannot_be_priced_is_refused():
    with pytest.raises(PricingError, match="no destination costs") as error:
        solve_margin(worked_example(), term="DDP", unit_price=D(20))
    assert error.value.field == "term"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("CIF", ("CIF", None)),
        ("cifc5", ("CIF", D(5))),
        ("FOBC2.5", ("FOB", D("2.5"))),
        ("CFR", ("CFR", None)),
        ("CPT", ("CPT", None)),
    ],
)
def test_term_keys_parse_with_optional_commission(key, expected):
    term, commission = parse_term_key(key)
    assert (term.value, commission) == expected


@pytest.mark.parametrize("key", ["XYZ", "CIFC", "CIFC0", "CIFC99", "FOB C5", ""])
def test_bad_term_keys_are_refused(key):
    with pytest.raises(PricingError):
        parse_term_key(key)
