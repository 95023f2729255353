"""Canonical forms of names, web sites and phone numbers, used for storage and duplicate keys."""

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError

# Legal-form words dropped from normalised company names (compared after punctuation is gone).
LEGAL_FORMS = {
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "ug",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "plc",
    "pty",
    "oy",
    "ab",
    "as",
    "aps",
    "kft",
    "sro",
    "sp",
    "zoo",
    "pte",
    "bhd",
    "sdn",
    "jsc",
    "ooo",
    "llp",
    "lp",
    "kk",
    "pvt",
    "cia",
    "ltda",
    "cv",
    # Added with the duplicate check (查重), from the demo's and common buyers' legal forms:
    "mbh",  # "… Handelsgesellschaft mbH"
    "ek",  # e.K.
    "ohg",
    "gbr",
    "kgaa",
    "se",
    "eurl",
    "snc",
    "sl",
    "slu",
    "sac",
    "eirl",
    "lda",
    "sae",
    "fze",
    "fzco",
    "fzc",
    "est",
    "pt",
    "tbk",
    "berhad",
    "sti",  # Turkish Ltd. Şti.
    "ao",  # Russian АО
}
# Legal forms of several words, removed before the single words above.
LEGAL_PHRASES = (
    r"\bde (cv|rl)\b",  # Mexican "S.A. de C.V.", "S. de R.L."
    r"\bsan ve tic\b",  # Turkish "San. ve Tic." (industry and trade)
    r"\bz oo\b",  # Polish "Sp. z o.o."
    r"\bprivate limited\b",
)
CJK_LEGAL_FORMS = (
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
    "有限公司",
    "贸易公司",
    "株式会社",
    "公司",
)


def normalize_company_name(name: str) -> str:
    """Case, accents, punctuation and legal forms removed: 'Müller GmbH & Co. KG' → 'muller'."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for form in CJK_LEGAL_FORMS:
        text = text.replace(form, " ")
    text = text.replace("&", " ").replace(".", "")  # "S.A." → "sa", "Co." → "co"
    for phrase in LEGAL_PHRASES:
        text = re.sub(phrase, " ", text)
    words = re.findall(r"\w+", text)
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def website_domain(website: str) -> str:
    """A web address's host without scheme, port or www: 'https://www.a.de/x' → 'a.de'."""
    text = website.strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    host = (urlsplit(text).hostname or "").rstrip(".")
    return host.removeprefix("www.")


def phone_to_e164(raw: str, default_region: str = "", *, field: str = "phone") -> str:
    """Parse a phone typed any common way into E.164; the company's country is the default."""
    text = raw.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            _(
                "“%(text)s” is not a phone number we can read — start with + and the country "
                "code (e.g. +49 30 1234567) or set the company's country first."
            )
            % {"text": text},
            field=field,
        ) from exc
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise DomainError(
            _("“%(text)s” has the wrong number of digits — check the number and the country code.")
            % {"text": text},
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
