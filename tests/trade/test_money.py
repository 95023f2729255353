"""Money: minor units and the half-up rounding helper."""

from decimal import ROUND_FLOOR
from decimal import Decimal as D

import pytest

from tradewind.trade.checks import to_decimal
from tradewind.trade.errors import MoneyError, PricingError
from tradewind.trade.money import (
    format_decimal_places,
    minor_unit,
    minor_unit_places,
    normalise_currency,
    quantize,
    round_money,
)


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("jpy", 0), ("KWD", 3), ("EUR", 2)])
def test_minor_units_come_from_cldr(currency, places):
    assert minor_unit_places(currency) == places


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (D("16.725"), "USD", D("16.73")),
        (D("16.735"), "USD", D("16.74")),
        (D("-16.725"), "USD", D("-16.73")),
        (D("1234.5"), "JPY", D(1235)),
        (D("0.0005"), "KWD", D("0.001")),
    ],
)
def test_round_money_rounds_half_up_to_the_minor_unit(amount, currency, expected):
    assert round_money(amount, currency) == expected


def test_quantize_can_round_down_when_asked():
    assert quantize(D("113.0099"), 2, rounding=ROUND_FLOOR) == D("113.00")


def test_quantize_refuses_floats():
    with pytest.raises(TypeError):
        quantize(16.725, 2)


def test_minor_unit_of_usd_is_one_cent():
    assert minor_unit("USD") == D("0.01")


def test_unknown_currency_is_refused_with_the_field_named():
    with pytest.raises(MoneyError) as error:
        normalise_currency("XYZ")
    assert error.value.field == "currency"


def test_format_shows_six_places_half_up():
    assert format_decimal_places(D("16.3693275"), 6) == "16.369328"


@pytest.mark.parametrize("value", [1.5, True, None, [1]])
def test_to_decimal_refuses_non_numbers_with_type_error(value):
    with pytest.raises(TypeError, match="amount"):
        to_decimal(value, field="amount")


@pytest.mark.parametrize("value", ["abc", "Infinity", "1e13"])
def test_to_decimal_refuses_bad_or_absurd_strings(value):
    with pytest.raises(PricingError):
        to_decimal(value, field="amount", error=PricingError)


def test_to_decimal_accepts_int_str_and_thousands_separators():
    assert to_decimal("163,700.00", field="total") == D("163700.00")
    assert to_decimal(7, field="fx") == D(7)
