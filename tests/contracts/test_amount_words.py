"""Amounts in words on PIs and contracts: British "AND", cents as a fraction, upper case."""

from decimal import Decimal

import pytest

from tradewind.contracts.amount_words import amount_in_words, integer_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12300.50", "SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED AND 50/100 ONLY"),
        ("167200.00", "SAY US DOLLARS ONE HUNDRED AND SIXTY-SEVEN THOUSAND TWO HUNDRED ONLY"),
        ("1005", "SAY US DOLLARS ONE THOUSAND AND FIVE ONLY"),
        ("21", "SAY US DOLLARS TWENTY-ONE ONLY"),
        ("0.05", "SAY US DOLLARS ZERO AND 05/100 ONLY"),
        ("1000000", "SAY US DOLLARS ONE MILLION ONLY"),
        (
            "1203004.99",
            "SAY US DOLLARS ONE MILLION TWO HUNDRED AND THREE THOUSAND AND FOUR AND 99/100 ONLY",
        ),
    ],
)
def test_amounts_read_as_banks_expect(amount, words):
    assert amount_in_words(Decimal(amount), "USD") == words


def test_the_currency_is_named_and_unknown_codes_are_kept():
    assert amount_in_words(Decimal("10"), "eur") == "SAY EUROS TEN ONLY"
    assert amount_in_words(Decimal("10"), "XYZ") == "SAY XYZ TEN ONLY"


def test_cents_are_rounded_half_up():
    assert amount_in_words(Decimal("1.005"), "USD").endswith("ONE AND 01/100 ONLY")


def test_every_number_below_a_thousand_has_words():
    for number in range(1, 1000):
        assert "  " not in integer_in_words(number)
    assert integer_in_words(999) == "NINE HUNDRED AND NINETY-NINE"
    assert integer_in_words(110) == "ONE HUNDRED AND TEN"


@pytest.mark.parametrize(
    "bad", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), Decimal("1e16")]
)
def test_negative_huge_or_not_a_number_is_refused(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad, "USD")


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        amount_in_words(12.5, "USD")
