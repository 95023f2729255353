"""SWIFT MT700 (issue of a documentary credit) and MT707 (amendment) as pasted text → terms.

:func:`read_mt700` takes the text a salesperson pastes from the advising bank's notice — tagged
lines such as ``:20:LC2026HH0417`` and ``:32B:USD48600,00`` — and returns the terms it could
read (:class:`Mt700Reading.values`, keyed by the names in :data:`FIELD_TAGS`) with every problem
found, each naming its tag. Nothing is guessed silently: a value that cannot be read is left out
and reported. :func:`read_mt707` reads an amendment against the credit's current terms.

Rules and judgement calls:

* Dates are SWIFT ``YYMMDD``; the century is 20xx (documentary credits are short-lived).
* Amounts use SWIFT's decimal comma (``48600,00``). A comma followed by more digits than the
  currency has decimals (``48,600`` in USD) cannot be a SWIFT amount, so it is read as a
  thousands separator — with a warning to check the figure.
* 31D's place gives the expiry country when it names one (``CHINA``, ``GERMANY``), a Chinese
  banking city (``SHANGHAI``), or the beneficiary's country (the exporter's: China).
* 48 is read from the 2021 format (``15/``) and from the older narrative
  (``WITHIN 15 DAYS AFTER …``).
* Text longer than :data:`MAX_TEXT_CHARS`, with control characters, or without any tagged field
  is refused as a whole (:class:`Mt700Error`): nothing is read from it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pycountry

from tradewind.trade.errors import LetterOfCreditError, MoneyError
from tradewind.trade.money import minor_unit_places, normalise_currency, round_money

#: An MT700 carries at most 10,000 characters; with MT701 continuations pasted below it a few
#: times that. Anything longer is not a credit.
MAX_TEXT_CHARS = 40_000
MAX_FIELD_CHARS = 10_000

#: Tag → the name of the term it fills (the names the forms and models use).
FIELD_TAGS: dict[str, str] = {
    "20": "number",
    "40A": "form_of_credit",
    "40E": "applicable_rules",
    "31C": "issue_date",
    "31D": "expiry_date",  # also expiry_place, expiry_country
    "50": "applicant",
    "59": "beneficiary",
    "52A": "issuing_bank",
    "32B": "amount",  # also currency
    "39A": "tolerance_plus_percent",  # also tolerance_minus_percent
    "41A": "available_with",  # also available_by
    "42C": "drafts_at",
    "42A": "drawee",
    "43P": "partial_shipments",
    "43T": "transhipment",
    "44A": "place_of_receipt",
    "44E": "port_of_loading",
    "44F": "port_of_discharge",
    "44B": "final_destination",
    "44C": "latest_shipment_date",
    "44D": "shipment_period",
    "45A": "goods_description",
    "46A": "documents_required",
    "47A": "additional_conditions",
    "71D": "charges",
    "48": "presentation_period_days",  # also presentation_period_text
    "49": "confirmation",
}
# Option letters of the same field: 41A/41D, 42A/42D, 52A/52D, 71B (before 2018) → 71D.
TAG_ALIASES = {"41D": "41A", "42D": "42A", "52D": "52A", "71B": "71D", "50B": "50", "59A": "59"}
# Tags read but kept only in the raw text.
KNOWN_OTHER_TAGS = frozenset(
    {"27", "23", "51A", "51D", "39B", "39C", "42M", "42P", "49G", "49H", "53A", "53D",
     "57A", "57B", "57D", "58A", "58D", "71N", "72Z", "78", "78D", "22A", "31E", "26E", "30",
     "21", "52B", "45B", "46B", "47B", "32D", "33B", "34B", "49M", "49N", "79Z", "23S"}
)  # fmt: skip

AVAILABLE_BY = {
    "BY PAYMENT": "payment",
    "BY ACCEPTANCE": "acceptance",
    "BY NEGOTIATION": "negotiation",
    "BY DEF PAYMENT": "deferred_payment",
    "BY DEFERRED PAYMENT": "deferred_payment",
    "BY MIXED PYMT": "mixed_payment",
    "BY MIXED PAYMENT": "mixed_payment",
}
SHIPMENT_PERMISSIONS = {
    "ALLOWED": "allowed",
    "PERMITTED": "allowed",
    "NOT ALLOWED": "not_allowed",
    "PROHIBITED": "not_allowed",
    "NOT PERMITTED": "not_allowed",
    "CONDITIONAL": "conditional",
}
CONFIRMATIONS = {"CONFIRM": "confirm", "MAY ADD": "may_add", "WITHOUT": "without"}
CHINESE_CITIES = (
    "BEIJING", "SHANGHAI", "SHENZHEN", "GUANGZHOU", "NINGBO", "QINGDAO", "XIAMEN", "TIANJIN",
    "HANGZHOU", "DALIAN", "SUZHOU", "FUZHOU", "WUHAN", "NANJING", "YIWU", "FOSHAN", "DONGGUAN",
)  # fmt: skip
BENEFICIARY_COUNTRY = re.compile(r"BENEFICIARY'?S?\s+COUNTRY|COUNTRY\s+OF\s+(THE\s+)?BENEFICIARY")

_TAG_LINE = re.compile(r"^\s*:(\d{2}[A-Z]?):(.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SWIFT_BLOCK_HEAD = re.compile(r"\{[1-3]:[^{}]*(\{[^{}]*\}[^{}]*)*\}|\{4:")
_SWIFT_BLOCK_TAIL = re.compile(r"^\s*-\}.*$|\{5:.*$", re.MULTILINE)
_NOT_SWIFT_CHARS = re.compile(r"[<>;@#!*=\"_\[\]{}|\\^~`$]")


class Mt700Error(LetterOfCreditError):
    """The pasted text cannot be read as a SWIFT message at all (nothing was read)."""


@dataclass(frozen=True)
class Mt700Problem:
    tag: str
    field: str | None  # the term's name, when the problem belongs to one
    message: str
    severity: str = "error"  # "error": the value was not read; "warning": read, check it


@dataclass(frozen=True)
class Mt700Reading:
    values: dict[str, object]
    problems: tuple[Mt700Problem, ...]
    tags: tuple[str, ...]  # every tag found, in order

    @property
    def errors(self) -> tuple[Mt700Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Mt700Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


@dataclass
class _Collector:
    values: dict[str, object] = field(default_factory=dict)
    problems: list[Mt700Problem] = field(default_factory=list)

    def error(self, tag: str, name: str | None, message: str) -> None:
        self.problems.append(Mt700Problem(tag, name, message, "error"))

    def warn(self, tag: str, name: str | None, message: str) -> None:
        self.problems.append(Mt700Problem(tag, name, message, "warning"))


# --- the tagged text ---------------------------------------------------------------------------


def split_fields(text: str) -> tuple[list[tuple[str, str]], list[Mt700Problem]]:
    """``[(tag, value), …]`` in order; value lines are joined with newlines and trimmed.

    Raises :class:`Mt700Error` when the text is too long, holds control characters, or has no
    tagged field."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise Mt700Error(
            f"the text is {len(text):,} characters long; an MT700 has at most 10,000 (up to "
            f"{MAX_TEXT_CHARS:,} with MT701 continuations) — paste only the credit",
            field="mt700",
        )
    if _CONTROL.search(text):
        raise Mt700Error(
            "the text holds control characters (binary data?) — paste the credit as plain text",
            field="mt700",
        )
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SWIFT_BLOCK_TAIL.sub("", _SWIFT_BLOCK_HEAD.sub("\n", text))
    fields: list[tuple[str, list[str]]] = []
    problems: list[Mt700Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG_LINE.match(line)
        if match:
            fields.append((match.group(1), [match.group(2)]))
        elif fields:
            fields[-1][1].append(line)
        elif line.strip():
            problems.append(
                Mt700Problem(
                    "",
                    None,
                    f"line {number} comes before the first field and was ignored: "
                    f"{line.strip()[:60]!r}",
                    "warning",
                )
            )
    if not fields:
        raise Mt700Error(
            "no MT700 fields found — paste the credit with its tags, one field per line, "
            "starting like ':20:LC2026001' and ':31C:260315'",
            field="mt700",
        )
    joined = [(tag, "\n".join(part.rstrip() for part in lines).strip()) for tag, lines in fields]
    return joined, problems


# --- one value per field -----------------------------------------------------------------------


def parse_swift_date(value: str) -> dt.date:
    """``260315`` → 2026-03-15 (``ValueError`` otherwise)."""
    digits = value.strip()[:6]
    if not re.fullmatch(r"\d{6}", digits):
        raise ValueError(f"{value.strip()[:20]!r} is not a date in the form YYMMDD")
    try:
        return dt.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise ValueError(f"{digits!r} is not a real date (YYMMDD: year, month, day)") from None


def parse_swift_amount(text: str, currency: str) -> tuple[Decimal, str | None]:
    """``48600,00`` → 48600.00 with the decimal comma; returns (amount, warning or None)."""
    raw = text.strip().replace(" ", "").replace("'", "")
    if not re.fullmatch(r"[\d.,]+", raw or "x"):
        raise ValueError(f"{text.strip()[:30]!r} is not an amount")
    places = minor_unit_places(currency)
    warning = None
    if "," in raw and "." in raw:
        # Written by a person, not SWIFT: 48,600.00
        raw = raw.replace(",", "")
        warning = "the amount uses a decimal point; SWIFT writes a decimal comma — check it"
    elif raw.count(",") == 1 and "." not in raw:
        whole, _sep, fraction = raw.partition(",")
        if len(fraction) > places:
            if len(fraction) == 3 and re.fullmatch(r"\d{1,3}", whole):
                raw, warning = whole + fraction, "the comma was read as a thousands separator"
            else:
                raise ValueError(f"{text.strip()!r} has more decimals than {currency} allows")
        else:
            raw = f"{whole}.{fraction or '0'}"
    elif raw.count(",") > 1:
        if not re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
            raise ValueError(f"{text.strip()!r} is not an amount")
        raw, warning = raw.replace(",", ""), "the commas were read as thousands separators"
    elif raw.count(".") == 1:
        warning = "the amount uses a decimal point; SWIFT writes a decimal comma — check it"
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not an amount") from None
    if amount <= 0:
        raise ValueError("the amount must be more than zero")
    if amount != round_money(amount, currency):
        raise ValueError(f"{text.strip()!r} has more decimals than {currency} allows")
    if amount >= Decimal("1e13"):
        raise ValueError(f"{text.strip()!r} is absurdly large — check the figure")
    return amount, warning


def expiry_country_of(place: str) -> str | None:
    """The ISO country of 31D's place, or ``None`` when the place does not say."""
    text = place.upper()
    if BENEFICIARY_COUNTRY.search(text):
        return "CN"
    words = re.findall(r"[A-Z]+", text)
    if {"CHINA", "PRC", "CHINESE"} & set(words) or any(city in words for city in CHINESE_CITIES):
        return "CN"
    if "HONG" in words and "KONG" in words:
        return "HK"
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", "")):
            if name and len(name) > 3 and re.search(rf"\b{re.escape(name.upper())}\b", text):
                return country.alpha_2
    if re.search(r"\b(USA|U\.S\.A\.)\b", text):
        return "US"
    if re.search(r"\b(UK|U\.K\.)\b", text):
        return "GB"
    return None


def _first_line_and_rest(value: str) -> tuple[str, str]:
    first, _sep, rest = value.partition("\n")
    return first.strip(), rest.strip()


def _read_date(c: _Collector, tag: str, name: str, value: str) -> dt.date | None:
    try:
        day = parse_swift_date(value)
    except ValueError as error:
        c.error(tag, name, f"{tag}: {error}")
        return None
    c.values[name] = day
    return day


def _read_31d(c: _Collector, value: str) -> None:
    day = _read_date(c, "31D", "expiry_date", value)
    place = re.sub(r"^\d{6}", "", value.strip()).strip(" ,./\n")
    if day is None:
        return
    c.values["expiry_place"] = place[:120]
    country = expiry_country_of(place) if place else None
    if country is None:
        c.warn(
            "31D",
            "expiry_country",
            f"31D: the place of expiry {place or '(empty)'!r} does not name a country — pick it",
        )
    else:
        c.values["expiry_country"] = country


def _read_32b(c: _Collector, value: str) -> None:
    match = re.fullmatch(r"\s*([A-Za-z]{3})\s*([\d.,' ]+)\s*", value)
    if not match:
        c.error("32B", "amount", f"32B: {value[:30]!r} is not a currency code and an amount")
        return
    try:
        currency = normalise_currency(match.group(1), field="currency")
    except MoneyError as error:
        c.error("32B", "currency", f"32B: {error.message}")
        return
    try:
        amount, warning = parse_swift_amount(match.group(2), currency)
    except ValueError as error:
        c.error("32B", "amount", f"32B: {error}")
        return
    c.values["currency"], c.values["amount"] = currency, amount
    if warning:
        c.warn("32B", "amount", f"32B: {warning} ({currency} {amount:,})")


def _read_39a(c: _Collector, value: str) -> None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", value)
    if not match:
        c.error("39A", "tolerance_plus_percent", f"39A: {value[:20]!r} is not in the form 05/05")
        return
    plus, minus = int(match.group(1)), int(match.group(2))
    if plus > 50 or minus > 50:
        c.error(
            "39A", "tolerance_plus_percent", f"39A: {plus}/{minus} % is not a credible tolerance"
        )
        return
    c.values["tolerance_plus_percent"] = Decimal(plus)
    c.values["tolerance_minus_percent"] = Decimal(minus)


def _read_41a(c: _Collector, value: str) -> None:
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    by = None
    if lines and lines[-1].upper() in AVAILABLE_BY:
        by = AVAILABLE_BY[lines.pop().upper()]
    c.values["available_with"] = " ".join(lines)[:200]
    if by is None:
        c.warn("41A", "available_by", "41a: says neither BY PAYMENT, ACCEPTANCE nor NEGOTIATION")
    else:
        c.values["available_by"] = by


def _read_choice(c: _Collector, tag: str, name: str, value: str, choices: dict) -> None:
    key = " ".join(value.upper().split())
    if key in choices:
        c.values[name] = choices[key]
        return
    for text, code in sorted(choices.items(), key=lambda item: -len(item[0])):
        if key.startswith(text):
            c.values[name] = code
            c.warn(tag, name, f"{tag}: read {value[:40]!r} as {text}")
            return
    allowed = ", ".join(dict.fromkeys(choices))
    c.error(tag, name, f"{tag}: {value[:40]!r} is not one of {allowed}")


def presentation_days_of(value: str) -> int | None:
    """``15/`` or ``WITHIN 15 DAYS AFTER …`` → 15."""
    match = re.match(r"\s*(\d{1,3})\s*(/|DAYS?\b)", value.upper()) or re.search(
        r"\b(\d{1,3})\s*(CALENDAR\s+|BANKING\s+)?DAYS?\b", value.upper()
    )
    return int(match.group(1)) if match else None


def _read_48(c: _Collector, value: str) -> None:
    days = presentation_days_of(value)
    c.values["presentation_period_text"] = " ".join(value.split())[:200]
    if days is None or not 1 <= days <= 365:
        c.error("48", "presentation_period_days", f"48: no number of days in {value[:60]!r}")
        return
    c.values["presentation_period_days"] = days


TEXT_LIMITS = {
    "number": 35,
    "form_of_credit": 60,
    "applicable_rules": 60,
    "applicant": 400,
    "beneficiary": 400,
    "issuing_bank": 200,
    "drafts_at": 120,
    "drawee": 120,
    "place_of_receipt": 120,
    "port_of_loading": 120,
    "port_of_discharge": 120,
    "final_destination": 120,
    "shipment_period": 400,
    "goods_description": MAX_FIELD_CHARS,
    "documents_required": MAX_FIELD_CHARS,
    "additional_conditions": MAX_FIELD_CHARS,
    "charges": 400,
}


def _read_text(c: _Collector, tag: str, name: str, value: str) -> None:
    limit = TEXT_LIMITS[name]
    text = value if limit >= 1000 else " ".join(value.split())
    if len(text) > limit:
        c.error(tag, name, f"{tag}: {len(text):,} characters, more than the {limit:,} allowed")
        return
    if not text:
        c.warn(tag, name, f"{tag}: the field is empty")
        return
    c.values[name] = text


def _read_field(c: _Collector, tag: str, value: str) -> None:
    name = FIELD_TAGS[tag]
    if tag in ("31C", "44C"):
        _read_date(c, tag, name, value)
    elif tag == "31D":
        _read_31d(c, value)
    elif tag == "32B":
        _read_32b(c, value)
    elif tag == "39A":
        _read_39a(c, value)
    elif tag == "41A":
        _read_41a(c, value)
    elif tag in ("43P", "43T"):
        _read_choice(c, tag, name, value, SHIPMENT_PERMISSIONS)
    elif tag == "49":
        _read_choice(c, tag, name, value, CONFIRMATIONS)
    elif tag == "48":
        _read_48(c, value)
    else:
        _read_text(c, tag, name, value)


def _check_characters(c: _Collector, tag: str, value: str) -> None:
    odd = sorted(set(_NOT_SWIFT_CHARS.findall(value)))
    if odd:
        c.warn(
            tag,
            FIELD_TAGS.get(tag),
            f"{tag}: holds characters SWIFT does not carry ({' '.join(odd)}) — check that this "
            "is the bank's text",
        )


def read_mt700(text: str) -> Mt700Reading:
    """Every term readable from a pasted MT700, and every problem, each naming its tag."""
    fields, problems = split_fields(text)
    c = _Collector(problems=list(problems))
    seen: list[str] = []
    read: set[str] = set()
    for raw_tag, value in fields:
        tag = TAG_ALIASES.get(raw_tag, raw_tag)
        seen.append(raw_tag)
        if tag in FIELD_TAGS:
            if tag in read:
                c.error(tag, FIELD_TAGS[tag], f"{tag}: appears twice — keep one")
                continue
            read.add(tag)
            if len(value) > MAX_FIELD_CHARS:
                c.error(tag, FIELD_TAGS[tag], f"{tag}: longer than {MAX_FIELD_CHARS:,} characters")
                continue
            _check_characters(c, tag, value)
            _read_field(c, tag, value)
        elif raw_tag == "27" and value.strip() not in ("1/1", ""):
            c.warn("27", None, f"27: message {value.strip()} — paste the MT701 continuation too")
        elif raw_tag not in KNOWN_OTHER_TAGS:
            c.warn(raw_tag, None, f"{raw_tag}: not an MT700 field; ignored")
    for tag in ("20", "31D", "32B"):
        if tag not in read:
            c.error(tag, FIELD_TAGS[tag], f"{tag}: missing — every credit has it")
    return Mt700Reading(c.values, tuple(c.problems), tuple(seen))


# --- MT707 amendments --------------------------------------------------------------------------

AMENDED_NARRATIVES = {"45B": "goods_description", "46B": "documents_required",
                      "47B": "additional_conditions"}  # fmt: skip
_NARRATIVE_CODE = re.compile(r"^\s*/(ADD|DELETE|REPALL)/\s*", re.MULTILINE)


def _amend_narrative(current: str, value: str) -> str:
    """Apply MT707 ``/ADD/``, ``/DELETE/`` and ``/REPALL/`` instructions to ``current``."""
    parts = _NARRATIVE_CODE.split(value)
    if len(parts) == 1:  # no code: the text replaces the field
        return value.strip()
    text = current
    for code, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body.strip()
        if code == "REPALL":
            text = body
        elif code == "ADD":
            text = f"{text}\n{body}".strip()
        else:
            text = text.replace(body, "").strip() if body in text else text
    return text


@dataclass(frozen=True)
class Mt707Reading:
    number: int | None  # 26E
    date: dt.date | None  # 30
    lc_number: str | None  # 20 (the credit's number)
    values: dict[str, object]  # the terms as amended
    problems: tuple[Mt700Problem, ...]


def read_mt707(text: str, current: Mapping[str, object]) -> Mt707Reading:
    """The credit's terms after the amendment in ``text``, read against ``current``."""
    fields, problems = split_fields(text)
    c = _Collector(problems=list(problems))
    number = amended_on = lc_number = None
    changes: dict[str, object] = {}
    for raw_tag, value in fields:
        tag = TAG_ALIASES.get(raw_tag, raw_tag)
        if tag == "26E":
            number = int(value) if value.strip().isdigit() else None
            if number is None:
                c.error("26E", "number", f"26E: {value[:10]!r} is not an amendment number")
        elif tag == "30":
            try:
                amended_on = parse_swift_date(value)
            except ValueError as error:
                c.error("30", "date", f"30: {error}")
        elif tag == "20":
            lc_number = " ".join(value.split())[:35]
        elif tag == "31E":
            _read_date(c, "31E", "expiry_date", value)
        elif tag in ("32B", "33B", "34B"):
            _amend_amount(c, tag, value, current)
        elif tag in AMENDED_NARRATIVES:
            name = AMENDED_NARRATIVES[tag]
            c.values[name] = _amend_narrative(str(current.get(name) or ""), value)
        elif tag in FIELD_TAGS and tag not in ("20", "31D", "32B"):
            _read_field(c, tag, value)
        elif tag not in KNOWN_OTHER_TAGS:
            c.warn(raw_tag, None, f"{raw_tag}: not an MT707 field read here; ignored")
    for name, value in c.values.items():
        if current.get(name) != value:
            changes[name] = value
    return Mt707Reading(number, amended_on, lc_number, changes, tuple(c.problems))


def _amend_amount(c: _Collector, tag: str, value: str, current: Mapping[str, object]) -> None:
    probe = _Collector()
    _read_32b(probe, value)
    c.problems.extend(
        Mt700Problem(tag, p.field, p.message.replace("32B", tag), p.severity)
        for p in probe.problems
    )
    amount = probe.values.get("amount")
    if amount is None:
        return
    base = current.get("amount")
    if current.get("currency") and probe.values["currency"] != current.get("currency"):
        c.error(tag, "currency", f"{tag}: in {probe.values['currency']}, the credit is in "
                f"{current.get('currency')}")  # fmt: skip
        return
    if tag == "34B" or not isinstance(base, Decimal):
        c.values["amount"] = amount
    elif tag == "32B":
        c.values["amount"] = base + amount
    else:
        c.values["amount"] = base - amount


__all__ = [
    "FIELD_TAGS",
    "MAX_TEXT_CHARS",
    "Mt700Error",
    "Mt700Problem",
    "Mt700Reading",
    "Mt707Reading",
    "expiry_country_of",
    "parse_swift_amount",
    "parse_swift_date",
    "presentation_days_of",
    "read_mt700",
    "read_mt707",
    "split_fields",
]
