"""One row of a lead list, checked and put in our forms: a ``CleanRow`` to write, or a
``RowError`` with the reason the row is rejected.

Rules and judgement calls:
- Emails must be valid addresses (Django's validator); a cell may hold several, separated by
  ; , / or spaces: the first is the contact's, the others go to the contact's notes (and all
  count for the duplicate check).
- Phones (phone, mobile, WhatsApp) are parsed with the row's country into E.164
  (``customers.normalize.phone_to_e164``). A mobile fills the phone when that is empty, else it
  goes to the contact's notes.
- Countries are an ISO code or an English or Chinese name (``vocabulary.country_code``); an
  unknown one rejects the row, since the phone and the time zone depend on it.
- A website must look like a host name ("nordlicht.de", "https://www.nordlicht.de/en").
- Values longer than their field are rejected, not cut (tags are cut at 40 characters, as the
  customer form does).
- Unknown sources and customer types become "other", with the original word kept in the notes.
- No company name: the company email domain names it ("nordlicht.de"); with a free-mail address
  the contact's name does, else the address itself. A row with neither company name nor email
  is rejected.
- A contact is created when the row has any contact value; without a contact name, the email
  (or phone) names the contact.
- The fingerprint is a SHA-256 of the cleaned values, so the same lead written a little
  differently ("GERMANY" / "DE", "ANNA@X.DE" / "anna@x.de") is recognised when imported again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.customers.choices import CustomerType, Source
from tradewind.customers.dedup.engine import Candidate
from tradewind.customers.dedup.keys import is_free_mail_domain
from tradewind.customers.imports import vocabulary
from tradewind.customers.imports.mapping import FIELDS_BY_KEY
from tradewind.customers.normalize import phone_to_e164, website_domain

MAX_LENGTHS = {
    "name": 200,
    "website": 200,
    "address": 1000,
    "products_of_interest": 300,
    "notes": 10_000,
    "contact_name": 120,
    "title": 120,
    "linkedin": 200,
    "email": 254,
}
TAG_MAX_LENGTH = 40
MULTI_SPLIT = re.compile(r"[;,/\s，；、]+")
PHONE_SPLIT = re.compile(r"[;,/，；、\n]+")
TAG_SPLIT = re.compile(r"[,;，；、|]+")
HOST = re.compile(r"^[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}$")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass
class CleanRow:
    row_number: int
    company: dict  # Company field → value
    tags: list[str]
    contact: dict | None  # Contact field → value
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    fingerprint: str
    label: str
    candidate: Candidate = field(init=False)

    def __post_init__(self):
        self.candidate = Candidate(
            name=self.company["name"],
            country=self.company.get("country", ""),
            website=self.company.get("website", ""),
            emails=self.emails,
            phones=self.phones,
        )


@dataclass
class RowError:
    row_number: int
    reason: str
    fingerprint: str
    label: str


class _Reject(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fingerprint_of(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def clean_row(row_number: int, cells: list[str], mapping: dict[int, str]) -> CleanRow | RowError:
    """Check one row; ``mapping`` is {column index: field key}."""
    values = {key: cells[index] if index < len(cells) else "" for index, key in mapping.items()}
    try:
        return _clean(row_number, values)
    except _Reject as rejection:
        label = values.get("name") or values.get("email") or values.get("contact_name") or ""
        return RowError(row_number, rejection.reason, fingerprint_of(values), label[:200])


def _check_lengths(values: dict[str, str]) -> None:
    for key, limit in MAX_LENGTHS.items():
        value = values.get(key, "")
        if len(value) > limit:
            raise _Reject(
                _("%(field)s is %(length)s characters long; at most %(limit)s fit.")
                % {"field": FIELDS_BY_KEY[key].label, "length": len(value), "limit": limit}
            )


def _clean(row_number: int, values: dict[str, str]) -> CleanRow:
    _check_lengths(values)
    country = _country(values.get("country", ""))
    company = {"country": country}
    extra_notes: list[str] = []
    company["website"] = _website(values.get("website", ""))
    company["address"] = values.get("address", "")
    company["products_of_interest"] = values.get("products_of_interest", "")
    company["customer_type"] = _choice(
        values.get("customer_type", ""),
        vocabulary.customer_type_value,
        CustomerType.OTHER,
        _("Customer type"),
        extra_notes,
    )
    company["source"] = _choice(
        values.get("source", ""), vocabulary.source_value, Source.OTHER, _("Source"), extra_notes
    )
    emails = _emails(values.get("email", ""))
    phones, contact = _contact(values, emails, country)
    company["name"] = values.get("name", "") or _derived_name(emails, contact)
    company["notes"] = "\n".join(filter(None, [values.get("notes", ""), *extra_notes]))
    tags = _tags(values.get("tags", ""))
    content = {"company": company, "tags": tags, "contact": contact}
    return CleanRow(
        row_number=row_number,
        company=company,
        tags=tags,
        contact=contact,
        emails=tuple(emails),
        phones=tuple(phones),
        fingerprint=fingerprint_of(content),
        label=company["name"][:200],
    )


def _country(text: str) -> str:
    if not text:
        return ""
    code = vocabulary.country_code(text)
    if code is None:
        raise _Reject(
            _(
                "“%(text)s” is not a country we know — write its English or Chinese name or its "
                "ISO code (e.g. Germany, 德国 or DE)."
            )
            % {"text": text}
        )
    return code


def _website(text: str) -> str:
    if not text:
        return ""
    host = website_domain(text) if " " not in text else ""
    if not host or not HOST.match(host):
        raise _Reject(
            _("“%(text)s” is not a web address (e.g. www.nordlicht.de).") % {"text": text}
        )
    return text


def _choice(text, lookup, other, label, extra_notes: list[str]) -> str:
    if not text:
        return ""
    value = lookup(text)
    if value is None:
        extra_notes.append(f"{label}: {text}")
        return other
    return value


def _emails(text: str) -> list[str]:
    emails = []
    for part in MULTI_SPLIT.split(text.strip().lower()) if text.strip() else []:
        address = part.strip().strip("<>()[]\"'").removeprefix("mailto:")
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError as exc:
            raise _Reject(_("“%(text)s” is not a valid email address.") % {"text": part}) from exc
        if address not in emails:
            emails.append(address)
    return emails


def _phones(text: str, country: str) -> list[str]:
    numbers = []
    for part in PHONE_SPLIT.split(text) if text else []:
        if not part.strip():
            continue
        try:
            number = phone_to_e164(part, country)
        except DomainError as exc:
            raise _Reject(exc.message) from exc
        if number not in numbers:
            numbers.append(number)
    return numbers


def _linkedin(text: str) -> str:
    if not text:
        return ""
    url = text if "://" in text else f"https://{text}"
    try:
        _validate_url(url)
    except ValidationError as exc:
        raise _Reject(_("“%(text)s” is not a LinkedIn address.") % {"text": text}) from exc
    return url


def _contact(values: dict[str, str], emails: list[str], country: str):
    """(every phone number of the row, the contact's fields or None)."""
    phones = _phones(values.get("phone", ""), country)
    mobiles = _phones(values.get("mobile", ""), country)
    whatsapps = _phones(values.get("whatsapp", ""), country)
    numbers = list(dict.fromkeys([*phones, *mobiles]))
    linkedin = _linkedin(values.get("linkedin", ""))
    name, title = values.get("contact_name", ""), values.get("title", "")
    if not (name or title or emails or numbers or whatsapps or linkedin):
        return [], None
    notes = []
    if len(emails) > 1:
        notes.append(_("Other emails: %(list)s") % {"list": ", ".join(emails[1:])})
    if len(numbers) > 1:
        notes.append(_("Other phones: %(list)s") % {"list": ", ".join(numbers[1:])})
    if len(whatsapps) > 1:
        notes.append(_("Other WhatsApp: %(list)s") % {"list": ", ".join(whatsapps[1:])})
    identifiers = [*emails[:1], *numbers[:1], *whatsapps[:1], title, linkedin]
    contact = {
        "name": name or next(value for value in identifiers if value)[:120],
        "title": title,
        "email": emails[0] if emails else "",
        "phone": numbers[0] if numbers else "",
        "whatsapp": whatsapps[0] if whatsapps else "",
        "linkedin": linkedin,
        "notes": "\n".join(notes),
    }
    return list(dict.fromkeys([*numbers, *whatsapps])), contact


def _derived_name(emails: list[str], contact: dict | None) -> str:
    if not emails:
        raise _Reject(_("The row has no company name and no email: add at least one of them."))
    domain = emails[0].rpartition("@")[2]
    if not is_free_mail_domain(domain):
        return domain
    if contact and contact["name"] and contact["name"] != emails[0]:
        return contact["name"][:200]
    return emails[0][:200]


def _tags(text: str) -> list[str]:
    if not text:
        return []
    names = {part.strip()[:TAG_MAX_LENGTH] for part in TAG_SPLIT.split(text)}
    return sorted(name for name in names if name)
