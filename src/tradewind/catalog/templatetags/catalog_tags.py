"""``{{ value|figure }}`` and ``{{ value|figure:4 }}``: a Decimal as people write it — trailing
zeros dropped, but at least ``places`` decimals (money 2, measures 0), never rounded."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def figure(value, places=0):
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
        minimum = int(places)
    except (InvalidOperation, ValueError, TypeError):
        return value
    if not number.is_finite():
        return value
    shown = max(minimum, -number.normalize().as_tuple().exponent)
    return f"{number:.{shown}f}"
