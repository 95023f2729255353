"""Express couriers for samples: AWB number formats, check digits and public tracking links.

Pure functions (no database, no clock). A number is first normalised — full-width characters
folded (NFKC), spaces and dashes removed, letters upper-cased — then checked against the
carrier's format where one is known, and its check digit verified where the carrier defines one:

* DHL Express: 10 digits.
* FedEx: 12 digits (Express), also 15 or 20 digits (Ground, SmartPost).
* UPS: "1Z" + 6-character shipper number + 2-digit service + 7-digit package number + 1 check
  digit. Check: letters count as (ord − 3) mod 10 (A=2 … Z=7); over the 15 characters after
  "1Z", odd positions weigh 1 and even positions 2; the check digit makes the sum a multiple
  of 10.
* TNT: 9-digit consignment number.
* SF Express (顺丰): 12 digits, or "SF" + 13 digits.
* EMS: the UPU S10 item identifier — 2 service letters, 8 serial digits, 1 check digit, and the
  2-letter country code of the posting operator (e.g. EA123456785CN). Check: weights
  8 6 4 2 3 5 9 7 on the serial, C = 11 − (sum mod 11); C = 10 → 0, C = 11 → 5.
* Other: any letters and digits; no tracking link.

Judgement calls: DHL's and FedEx's own check-digit schemes are not published as a rule for every
number range, so only their lengths are checked; a wrong number there still reaches the carrier's
tracking page, which says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.core.errors import DomainError

MAX_LENGTH = 40
# Whitespace is removed separately; these are the dash-like characters people type or paste.
_DASHES = "-‐‑‒–—―−﹘﹣－_"
_STRIP = str.maketrans("", "", _DASHES)
_ALNUM = re.compile(r"^[A-Z0-9]+$")
_UPS = re.compile(r"^1Z[A-Z0-9]{15}[0-9]$")
_S10 = re.compile(r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


class AwbError(DomainError):
    """The AWB number does not fit its courier's format; the message says what would."""

    code = "invalid_awb"

    def __init__(self, message: str):
        super().__init__(message, field="awb_number")


def normalise(raw: str) -> str:
    """The number as carriers print it: NFKC-folded, no spaces or dashes, upper case."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return unicodedata.normalize("NFKC", "".join(text.split()).translate(_STRIP))


def ups_check_digit(body: str) -> int:
    """The check digit of a UPS 1Z number, from the 15 characters after "1Z"."""
    if len(body) != 15 or not _ALNUM.match(body):
        raise ValueError("a UPS number has 15 letters or digits between 1Z and the check digit")
    total = 0
    for index, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 3) % 10
        total += value * (2 if index % 2 else 1)
    return (10 - total % 10) % 10


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("an S10 serial number has 8 digits")
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def _ups_expected_digit(number: str) -> int | None:
    expected = ups_check_digit(number[2:17])
    return None if expected == int(number[17]) else expected


def _s10_expected_digit(number: str) -> int | None:
    expected = s10_check_digit(number[2:10])
    return None if expected == int(number[10]) else expected


@dataclass(frozen=True)
class CarrierFormat:
    name: object  # the carrier's name (lazy text where it is translated)
    pattern: re.Pattern | None
    expected: object  # the expected format, for the error message
    tracking: str | None  # the public tracking page, with {number}
    wrong_check_digit: Callable[[str], int | None] | None = None


FORMATS: dict[str, CarrierFormat] = {
    "dhl": CarrierFormat(
        name="DHL Express",
        pattern=re.compile(r"^[0-9]{10}$"),
        expected=gettext_lazy("10 digits, e.g. 1234567890"),
        tracking="https://www.dhl.com/global-en/home/tracking/tracking-express.html"
        "?submit=1&tracking-id={number}",
    ),
    "fedex": CarrierFormat(
        name="FedEx",
        pattern=re.compile(r"^(?:[0-9]{12}|[0-9]{15}|[0-9]{20})$"),
        expected=gettext_lazy("12 digits (Express), or 15 or 20 digits (Ground)"),
        tracking="https://www.fedex.com/fedextrack/?trknbr={number}",
    ),
    "ups": CarrierFormat(
        name="UPS",
        pattern=_UPS,
        expected=gettext_lazy("1Z followed by 16 letters or digits, e.g. 1Z2203480342495730"),
        tracking="https://www.ups.com/track?loc=en_US&tracknum={number}",
        wrong_check_digit=_ups_expected_digit,
    ),
    "tnt": CarrierFormat(
        name="TNT",
        pattern=re.compile(r"^[0-9]{9}$"),
        expected=gettext_lazy("a 9-digit consignment number, e.g. 123456789"),
        tracking="https://www.tnt.com/express/en_gc/site/shipping-tools/tracking.html"
        "?searchType=con&cons={number}",
    ),
    "sf": CarrierFormat(
        name=gettext_lazy("SF Express"),
        pattern=re.compile(r"^(?:[0-9]{12}|SF[0-9]{13})$"),
        expected=gettext_lazy("12 digits, or SF followed by 13 digits"),
        tracking="https://www.sf-express.com/chn/en/waybill/waybill-detail/{number}",
    ),
    "ems": CarrierFormat(
        name="EMS",
        pattern=_S10,
        expected=gettext_lazy(
            "2 letters, 9 digits and the 2-letter country code, e.g. EA123456785CN"
        ),
        tracking="https://www.ems.com.cn/queryList?mailNum={number}",
        wrong_check_digit=_s10_expected_digit,
    ),
    "other": CarrierFormat(
        name=gettext_lazy("Other courier"), pattern=None, expected="", tracking=None
    ),
}


def carrier_name(courier: str) -> str:
    entry = FORMATS.get(courier)
    return str(entry.name) if entry else courier


def expected_format(courier: str) -> str:
    """What a number of ``courier`` looks like ("" when any number goes)."""
    entry = FORMATS.get(courier)
    return str(entry.expected) if entry else ""


def validate_awb(courier: str, raw: str) -> str:
    """The normalised AWB number of ``courier``, or :class:`AwbError` saying what is wrong."""
    entry = FORMATS.get(courier)
    if entry is None:
        raise DomainError(_("Choose the courier from the list."), field="courier")
    number = normalise(raw)
    shown = (raw or "").strip()[:MAX_LENGTH]
    if not number:
        raise AwbError(_("Enter the AWB / tracking number from the courier's receipt."))
    if len(number) > MAX_LENGTH:
        raise AwbError(
            _("An AWB / tracking number has at most %(max)s characters.") % {"max": MAX_LENGTH}
        )
    if not _ALNUM.match(number):
        raise AwbError(
            _("An AWB / tracking number has only letters and digits; “%(number)s” has others.")
            % {"number": shown}
        )
    if entry.pattern is not None and not entry.pattern.match(number):
        raise AwbError(
            _("%(carrier)s numbers are %(expected)s — “%(number)s” is not.")
            % {"carrier": entry.name, "expected": entry.expected, "number": shown}
        )
    if entry.wrong_check_digit is not None:
        digit = entry.wrong_check_digit(number)
        if digit is not None:
            raise AwbError(
                _(
                    "“%(number)s” is not a valid %(carrier)s number: its check digit would be "
                    "%(digit)s. Check the number on the receipt for a typing error."
                )
                % {"number": shown, "carrier": entry.name, "digit": digit}
            )
    return number


def is_valid_awb(courier: str, raw: str) -> bool:
    try:
        validate_awb(courier, raw)
    except DomainError:
        return False
    return True


def tracking_url(courier: str, number: str) -> str | None:
    """The carrier's public tracking page for ``number``; ``None`` when there is none."""
    entry = FORMATS.get(courier)
    if entry is None or entry.tracking is None or not number:
        return None
    return entry.tracking.format(number=quote(normalise(number), safe=""))
