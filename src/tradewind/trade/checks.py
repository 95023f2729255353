"""Input checks shared by the trade modules: Decimal coercion and range checks.

Floats are refused with ``TypeError`` wherever money, rates or measures enter the core, because
``0.1 + 0.2 != 0.3`` in binary floating point. Strings are parsed with ``Decimal(str)`` and ints
are exact, so both are accepted. Range failures raise the caller's domain error (``error=``)
with the field name, so ``PricingError`` comes out of pricing and ``ContainerError`` out of
containers.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tradewind.trade.errors import TradeError

Number = Decimal | int | str

#: Anything above this is treated as a typing mistake, not a real amount or measure.
ABSURD_LIMIT = Decimal("1e12")


def to_decimal(value: object, *, field: str, error: type[TradeError] = TradeError) -> Decimal:
    """Return ``value`` as a finite Decimal; floats and other types raise ``TypeError``."""
    if isinstance(value, (bool, float)):
        raise TypeError(
            f"{field}: {type(value).__name__} is not accepted for money, rates or measures; "
            f"pass a Decimal, an int or a string such as '16.37'"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise error(f"{field}: {value!r} is not a number", field=field) from None
    else:
        raise TypeError(f"{field}: expected a Decimal, int or str, got {type(value).__name__}")
    if not number.is_finite():
        raise error(f"{field}: {value!r} is not a finite number", field=field)
    if abs(number) > ABSURD_LIMIT:
        raise error(f"{field}: {value} is absurdly large — check the figure", field=field)
    return number


def to_optional_decimal(
    value: object, *, field: str, error: type[TradeError] = TradeError
) -> Decimal | None:
    """Like :func:`to_decimal` but passes ``None`` through."""
    return None if value is None else to_decimal(value, field=field, error=error)


def require_range(
    value: Decimal,
    *,
    field: str,
    error: type[TradeError],
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    minimum_inclusive: bool = True,
    maximum_inclusive: bool = True,
    what: str | None = None,
) -> Decimal:
    """Raise ``error`` naming ``field`` unless ``minimum (<|<=) value (<|<=) maximum``."""
    label = what or field.replace("_", " ")
    if minimum is not None:
        too_low = value < minimum if minimum_inclusive else value <= minimum
        if too_low:
            bound = "at least" if minimum_inclusive else "greater than"
            raise error(f"{label} must be {bound} {minimum} (got {value})", field=field)
    if maximum is not None:
        too_high = value > maximum if maximum_inclusive else value >= maximum
        if too_high:
            bound = "at most" if maximum_inclusive else "less than"
            raise error(f"{label} must be {bound} {maximum} (got {value})", field=field)
    return value


def require_int(
    value: object,
    *,
    field: str,
    error: type[TradeError],
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Return ``value`` if it is an ``int`` (not bool) within the bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field}: expected an int, got {type(value).__name__}")
    label = field.replace("_", " ")
    if minimum is not None and value < minimum:
        raise error(f"{label} must be at least {minimum} (got {value})", field=field)
    if maximum is not None and value > maximum:
        raise error(f"{label} must be at most {maximum} (got {value})", field=field)
    return value
