"""Money: currency minor units and the one rounding helper of the trade core.

Rules (DESIGN.md "Money is Decimal with its currency beside it"):

* Every rounding in ``tradewind.trade`` goes through :func:`quantize`. Its default is
  ``ROUND_HALF_UP`` (commercial rounding), never Python's banker's rounding.
* :func:`round_money` rounds an amount to the minor unit of its currency. Minor units come from
  ``MINOR_UNIT_OVERRIDES`` first, then from babel's CLDR data (``JPY`` → 0, ``USD`` → 2,
  ``KWD`` → 3).
* :func:`format_decimal_places` renders a Decimal for formula text and tables (rounded half-up
  through :func:`quantize`; ``format()`` alone would round half-even).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision, list_currencies

from tradewind.trade.errors import MoneyError

#: Minor units that differ from CLDR in trade practice. Edit to taste; CLDR covers the rest.
MINOR_UNIT_OVERRIDES: dict[str, int] = {
    "CNH": 2,  # offshore renminbi, not an ISO code but quoted by banks
}

HUNDRED = Decimal(100)


def normalise_currency(currency: str, *, field: str = "currency") -> str:
    """Return the upper-case ISO 4217 code, or raise :class:`MoneyError` naming ``field``."""
    if not isinstance(currency, str):
        raise TypeError(f"{field}: expected a currency code string, got {type(currency).__name__}")
    code = currency.strip().upper()
    if code in MINOR_UNIT_OVERRIDES or code in list_currencies():
        return code
    raise MoneyError(
        f"{field}: {currency!r} is not a known ISO 4217 currency code (e.g. USD, EUR, JPY)",
        field=field,
    )


def minor_unit_places(currency: str) -> int:
    """Decimal places of the currency's minor unit: ``JPY`` → 0, ``USD`` → 2, ``KWD`` → 3."""
    code = normalise_currency(currency)
    if code in MINOR_UNIT_OVERRIDES:
        return MINOR_UNIT_OVERRIDES[code]
    return int(get_currency_precision(code))


def minor_unit(currency: str) -> Decimal:
    """Smallest amount of the currency: ``Decimal('0.01')`` for USD, ``Decimal('1')`` for JPY."""
    return Decimal(1).scaleb(-minor_unit_places(currency))


def quantize(value: Decimal, places: int, *, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``value`` to ``places`` decimal places (half-up unless told otherwise).

    The only rounding primitive of the trade core. ``rounding`` exists for the few documented
    cases that must not round up (e.g. the highest purchase price that still keeps a margin is
    rounded *down*).
    """
    if isinstance(value, float):
        raise TypeError("quantize: floats are not accepted; pass a Decimal")
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def round_money(amount: Decimal, currency: str, *, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``amount`` half-up to the minor unit of ``currency``."""
    return quantize(amount, minor_unit_places(currency), rounding=rounding)


def percent_to_fraction(percent: Decimal) -> Decimal:
    """``13`` (per cent) → ``0.13``. Exact in Decimal."""
    return percent / HUNDRED


def format_decimal_places(value: Decimal, places: int) -> str:
    """``16.3693271`` with 6 places → ``'16.369327'`` (rounded half-up, no exponent)."""
    return f"{quantize(value, places):f}"
