"""Amounts in words, as banks and buyers expect them on PIs, contracts and invoices:

    >>> amount_in_words(Decimal("12300.50"), "USD")
    'SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED AND 50/100 ONLY'

British usage ("AND" before the tens of each group), cents as a fraction, upper case. Pure
Python: no Django, no float.
"""

from decimal import ROUND_HALF_UP, Decimal

_ONES = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
]
_TENS = ["_", "_", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_SCALES = ((10**12, "TRILLION"), (10**9, "BILLION"), (10**6, "MILLION"), (10**3, "THOUSAND"))

CURRENCY_NAMES = {
    "USD": "US DOLLARS",
    "EUR": "EUROS",
    "GBP": "POUNDS STERLING",
    "CNY": "CHINESE YUAN",
    "RMB": "CHINESE YUAN",
    "JPY": "JAPANESE YEN",
    "HKD": "HONG KONG DOLLARS",
    "AUD": "AUSTRALIAN DOLLARS",
    "CAD": "CANADIAN DOLLARS",
    "CHF": "SWISS FRANCS",
    "SGD": "SINGAPORE DOLLARS",
    "AED": "UAE DIRHAMS",
}
MAX_AMOUNT = Decimal(10**15) - 1


def _below_thousand(number: int, *, joined: bool) -> str:
    """Words for 0 < number < 1000; ``joined`` puts "AND" before the tens even without hundreds
    (the last group of a larger number: "ONE THOUSAND AND FIVE")."""
    words: list[str] = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words += [_ONES[hundreds], "HUNDRED"]
    if rest:
        if hundreds or joined:
            words.append("AND")
        if rest < 20:
            words.append(_ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    return " ".join(words)


def integer_in_words(number: int) -> str:
    """ "ONE MILLION TWO HUNDRED AND THREE THOUSAND AND FOUR" for 1203004."""
    if number < 0 or number > MAX_AMOUNT:
        raise ValueError(f"{number} cannot be written in words on a contract")
    if number == 0:
        return "ZERO"
    parts: list[str] = []
    remaining = number
    for scale, name in _SCALES:
        count, remaining = divmod(remaining, scale)
        if count:
            parts.append(f"{_below_thousand(count, joined=False)} {name}")
    if remaining:
        parts.append(_below_thousand(remaining, joined=bool(parts) and remaining < 100))
    return " ".join(parts)


def amount_in_words(amount: Decimal, currency: str) -> str:
    """The amount in words with its currency, cents as xx/100 (omitted when zero)."""
    if not isinstance(amount, Decimal):
        raise TypeError("amount_in_words needs a Decimal")
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError(f"{amount} cannot be written in words on a contract")
    cents_total = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    units, cents = divmod(cents_total, 100)
    name = CURRENCY_NAMES.get(currency.upper(), currency.upper())
    words = f"SAY {name} {integer_in_words(units)}"
    if cents:
        words += f" AND {cents:02d}/100"
    return f"{words} ONLY"
