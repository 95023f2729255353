"""The new-inquiries inbox: turn a message from an unknown sender into a lead, file it on an
existing customer, or dismiss it (with undo). Every action is atomic and audited.

Rules and judgement calls:
- Only a message still waiting in the inbox (status ``new_inquiry``) can be acted on; a dismissed
  one can be put back. Transitions are in ``TRANSITIONS``; anything else is refused with a
  message saying what happened to the message.
- Who may act is who may see it (``InboundMessage.objects.visible_to``): the mailbox's owner, and
  for the workspace mailbox managers and admins.
- Creating the lead goes through ``customers.services.company_create`` with the sender as its
  first contact, so the workspace's duplicate policy applies exactly as on the customer form
  (``DuplicateCompany`` carries the matches and their owners).
- The suggestion fills the form from what the message says: the contact's name from the display
  name (or the address), the company from the domain (not for free mail), the country from the
  country-code domain, else from a phone number in the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers import geo
from tradewind.customers import services as customer_services
from tradewind.customers.dedup.keys import is_free_mail_domain
from tradewind.customers.models import Company, Contact
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.inbound.filing import record_on_timeline
from tradewind.outreach.inbound.matching import sender_domain
from tradewind.outreach.inbound.parsing import strip_quoted
from tradewind.outreach.models import InboundMessage

TRANSITIONS = {
    InboundStatus.NEW_INQUIRY: {
        InboundStatus.CONVERTED,
        InboundStatus.MATCHED,
        InboundStatus.DISMISSED,
    },
    InboundStatus.DISMISSED: {InboundStatus.NEW_INQUIRY},
}
# Country-code domains used worldwide as generic ones: they say nothing about the country.
GENERIC_CCTLDS = frozenset({"io", "co", "me", "tv", "ai", "cc", "ws", "fm", "to", "gg", "ly", "la"})
TLD_COUNTRY_EXCEPTIONS = {"uk": "GB"}
# Second-level labels under a country code (buyer.co.uk, buyer.com.cn): not the company's name.
SECOND_LEVEL_LABELS = frozenset(
    {"co", "com", "net", "org", "ac", "gov", "edu", "ltd", "plc", "or", "ne", "go", "gob", "nom"}
)
SIGNATURE_SCAN_CHARS = 4000
LEAD_COMPANY_FIELDS = ("name", "country", "website", "source")


@dataclass(frozen=True)
class LeadSuggestion:
    name: str
    website: str
    country: str
    contact_name: str
    contact_email: str
    contact_phone: str

    def as_initial(self) -> dict:
        return {field: getattr(self, field) for field in self.__dataclass_fields__}


def person_name(display_name: str, address: str) -> str:
    """ "Weber, Anna" → "Anna Weber"; no display name → from anna.weber@… ("Anna Weber")."""
    name = " ".join(display_name.replace('"', "").split())
    if name and "@" not in name:
        last, comma, first = name.partition(",")
        return f"{first.strip()} {last.strip()}" if comma and first.strip() else name
    local = address.partition("@")[0]
    words = [word for word in re.split(r"[._\-+]+", local) if word.isalpha()]
    return " ".join(word.capitalize() for word in words)


def _registrable_labels(domain: str) -> list[str]:
    labels = [label for label in domain.split(".") if label]
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL_LABELS and len(labels[-1]) == 2:
        return labels[-3:]
    return labels[-2:]


def company_from_domain(domain: str) -> tuple[str, str]:
    """(company name, website) guessed from a company domain: nordlicht-leuchten.de →
    ("Nordlicht Leuchten", "nordlicht-leuchten.de")."""
    labels = _registrable_labels(domain)
    if len(labels) < 2:
        return "", ""
    words = re.split(r"[-_]+", labels[0])
    name = " ".join(word.upper() if len(word) <= 3 else word.capitalize() for word in words)
    return name, ".".join(labels)


def country_from_domain(domain: str) -> str:
    tld = domain.rpartition(".")[2].lower()
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return ""
    code = TLD_COUNTRY_EXCEPTIONS.get(tld, tld.upper())
    return code if geo.is_country(code) else ""


def phone_in_signature(text: str, country: str) -> tuple[str, str]:
    """(E.164, country of the number) of the first valid phone number in ``text``."""
    region = country or None
    try:
        for found in phonenumbers.PhoneNumberMatcher(text[:SIGNATURE_SCAN_CHARS], region):
            number = found.number
            code = phonenumbers.region_code_for_number(number) or ""
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return e164, code if geo.is_country(code) else ""
    except phonenumbers.NumberParseException:  # pragma: no cover - the matcher skips bad ones
        pass
    return "", ""


def suggest_lead(message: InboundMessage) -> LeadSuggestion:
    """What the message says about its sender, to prefill the new lead."""
    domain = sender_domain(message.from_email)
    company_name, website = "", ""
    if domain and not is_free_mail_domain(domain):
        company_name, website = company_from_domain(domain)
    country = country_from_domain(domain) if website else ""
    phone, phone_country = phone_in_signature(strip_quoted(message.body_text), country)
    return LeadSuggestion(
        name=company_name,
        website=website,
        country=country or phone_country,
        contact_name=person_name(message.from_name, message.from_email),
        contact_email=message.from_email,
        contact_phone=phone,
    )


def _message_for_action(actor, message_id: int, target: str) -> InboundMessage:
    message = (
        InboundMessage.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("mailbox__owner")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound(_("No such message."))
    if target not in TRANSITIONS.get(message.status, set()):
        raise DomainError(
            _("This message is no longer waiting in the inbox: %(status)s.")
            % {"status": message.get_status_display()},
            code="inbox_state",
        )
    return message


def _set_status(actor, message: InboundMessage, status: str, action: str, **changes) -> None:
    before = message.status
    message.status = status
    message.save()
    audit_record(
        actor=actor,
        action=action,
        instance=message,
        changes={"status": [before, status], **changes},
        company_id=message.company_id,
    )


@transaction.atomic
def inquiry_convert(
    *, actor, message_id: int, confirm_duplicate: bool = False, now=None, **fields
) -> Company:
    """A new lead (company + the sender as its contact) from the message, which goes on the new
    customer's timeline. Raises ``DuplicateCompany`` per the workspace's duplicate policy."""
    now = now or timezone.now()
    message = _message_for_action(actor, message_id, InboundStatus.CONVERTED)
    company_fields = {name: fields[name] for name in LEAD_COMPANY_FIELDS if name in fields}
    person = {
        "name": fields.get("contact_name", ""),
        "email": fields.get("contact_email", ""),
        "phone": fields.get("contact_phone", ""),
    }
    try:
        company = customer_services.company_create(
            actor=actor,
            confirm_duplicate=confirm_duplicate,
            first_contact=person,
            **company_fields,
        )
    except ValidationError as exc:
        raise customer_services.raise_as_domain(exc) from exc
    contact = company.contacts.order_by("id").first()
    message.company, message.contact = company, contact
    record_on_timeline(
        message,
        company=company,
        contact=contact,
        actor=actor,
        user=message.mailbox.owner or actor,
        now=now,
    )
    _set_status(actor, message, InboundStatus.CONVERTED, "convert", company=company.name)
    return company


@transaction.atomic
def inquiry_file_on(*, actor, message_id: int, company_id: int, now=None) -> Company:
    """File the message on a customer the actor can see (the sender is a colleague of a known
    buyer, or writes from a free-mail address); the sender becomes a contact there when they
    are not one yet."""
    now = now or timezone.now()
    message = _message_for_action(actor, message_id, InboundStatus.MATCHED)
    company = Company.objects.visible_to(actor).filter(pk=company_id).first()
    if company is None:
        raise NotFound(_("No such customer."))
    contact = _sender_contact(actor, company, message)
    message.company, message.contact = company, contact
    record_on_timeline(
        message,
        company=company,
        contact=contact,
        actor=actor,
        user=message.mailbox.owner or actor,
        now=now,
    )
    _set_status(actor, message, InboundStatus.MATCHED, "file", company=company.name)
    return company


def _sender_contact(actor, company: Company, message: InboundMessage) -> Contact | None:
    if not message.from_email:
        return None
    existing = company.contacts.filter(email=message.from_email).order_by("id").first()
    if existing is not None:
        return existing
    name = person_name(message.from_name, message.from_email) or message.from_email
    try:
        with transaction.atomic():
            return customer_services.contact_create(
                actor=actor, company_id=company.pk, name=name[:120], email=message.from_email
            )
    except (DomainError, ValidationError):  # an address our parser kept but Django refuses
        return None


@transaction.atomic
def inquiry_dismiss(*, actor, message_id: int) -> InboundMessage:
    """Not a lead (spam, a supplier, a job application): out of the inbox, undoable."""
    message = _message_for_action(actor, message_id, InboundStatus.DISMISSED)
    _set_status(actor, message, InboundStatus.DISMISSED, "dismiss")
    return message


@transaction.atomic
def inquiry_restore(*, actor, message_id: int) -> InboundMessage:
    """Undo a dismissal: the message waits in the inbox again."""
    message = _message_for_action(actor, message_id, InboundStatus.NEW_INQUIRY)
    _set_status(actor, message, InboundStatus.NEW_INQUIRY, "restore")
    return message
