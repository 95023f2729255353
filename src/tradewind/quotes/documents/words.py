"""Amounts in words for the total line of a quotation, PI or invoice (English, upper case):
``USD 163,700.50`` → ``SAY US DOLLARS ONE HUNDRED SIXTY-THREE THOUSAND SEVEN HUNDRED AND CENTS
FIFTY ONLY``. Pure Python; the currency's name comes from babel's CLDR data."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_name

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    words = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(TENS[tens] + (f"-{ONES[ones]}" if ones else ""))
    elif rest:
        words.append(ONES[rest])
    return " ".join(words)


def integer_in_words(number: int) -> str:
    """``1234`` → ``one thousand two hundred thirty-four`` (non-negative integers)."""
    if number < 0:
        raise ValueError("only amounts of zero or more are written in words")
    if number == 0:
        return ONES[0]
    words = []
    for scale, name in SCALES:
        count, number = divmod(number, scale)
        if count:
            words.append(f"{integer_in_words(count)} {name}")
    if number:
        words.append(_below_thousand(number))
    return " ".join(words)


def currency_plural(currency: str) -> str:
    """``USD`` → ``US dollars``; an unknown code stays as it is."""
    try:
        return get_currency_name(currency, count=2, locale="en")
    except (ValueError, LookupError):
        return currency


def amount_in_words(amount: Decimal, currency: str, places: int = 2) -> str:
    """The amount as a bank writes it on a document, e.g. ``SAY US DOLLARS TEN AND CENTS FIVE
    ONLY``. Rounded half-up to ``places`` (the currency's minor unit) first."""
    if not isinstance(amount, Decimal):
        raise TypeError("amount_in_words takes a Decimal")
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole = int(rounded)
    text = f"say {currency_plural(currency)} {integer_in_words(whole)}"
    if places:
        minor = int((rounded - whole) * (10**places))
        if minor:
            text += f" and cents {integer_in_words(minor)}"
    return f"{text} only".upper()
