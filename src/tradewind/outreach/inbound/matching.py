"""Which customer an incoming message belongs to.

Three tests, strongest first (issue 5, "Inbound mail"):

1. **Thread** — a Message-ID in ``In-Reply-To`` or ``References`` is one our outbox sent
   (``OutboundMessage.message_id``, stored with or without angle brackets): the message answers
   that letter, so it belongs to that letter's company and contact.
2. **Address** — the sender's address is a contact's email (stored lower-case by the services).
3. **Domain** — the sender's domain (or its parent, for mail.buyer.de) is a company's website
   domain or the domain of one of its contacts' addresses: the duplicate check's ``domain``
   keys (``customers.dedup.keys``), so both use one definition and one index. Free-mail domains
   (gmail.com, qq.com, …; the duplicate check's list) and the mailbox's own domain never match.

Judgement calls:
- Matching looks at every customer of the workspace, not only those the mailbox owner may see:
  the timeline is the team's shared record, and the owner of the customer is the one who must
  know the buyer wrote (the message stays in the rep's own mail client either way). When several
  companies fit, the mailbox owner's own customers win, then the public pool, then the most
  recently active.
- Mail from our own side (the mailbox's own address or domain) is never a customer's and never a
  new inquiry: it is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When

from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup.keys import is_free_mail_domain
from tradewind.customers.dedup.models import DedupKey
from tradewind.customers.models import Company, Contact
from tradewind.outreach.inbound.parsing import ParsedMail
from tradewind.outreach.models import Mailbox, OutboundMessage

THREAD, ADDRESS, DOMAIN = "thread", "address", "domain"
MIN_DOMAIN_LABELS = 2


@dataclass(frozen=True)
class MailMatch:
    """The customer a message was matched to, and how (``THREAD``, ``ADDRESS`` or ``DOMAIN``)."""

    company: Company
    contact: Contact | None
    reply_to: OutboundMessage | None
    how: str


def sender_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def is_own_mail(parsed: ParsedMail, mailbox: Mailbox) -> bool:
    """Sent by the mailbox itself or by someone at the mailbox's own (company) domain."""
    if not parsed.from_email:
        return False
    own = mailbox.from_email.strip().lower()
    if parsed.from_email == own:
        return True
    own_domain = sender_domain(own)
    return (
        bool(own_domain)
        and not is_free_mail_domain(own_domain)
        and sender_domain(parsed.from_email) == own_domain
    )


def _id_variants(ids: tuple[str, ...]) -> list[str]:
    variants = []
    for message_id in ids:
        bare = message_id.strip("<>")
        variants += [message_id, bare]
    return variants


def _preference(mailbox: Mailbox, path: str = ""):
    """Order: the mailbox owner's customers, then the pool, then others; recent first."""
    prefix = f"{path}__" if path else ""
    rank = Case(
        When(**{f"{prefix}owner_id": mailbox.owner_id}, then=Value(0)),
        When(**{f"{prefix}owner__isnull": True}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return [rank.asc(), F(f"{prefix}last_activity_at").desc(nulls_last=True), f"{prefix}id"]


def match_thread(parsed: ParsedMail) -> MailMatch | None:
    ids = parsed.thread_ids
    if not ids:
        return None
    candidates = (
        OutboundMessage.objects.filter(message_id__in=_id_variants(ids), company__isnull=False)
        .select_related("company__owner", "contact")
        .order_by("-sent_at", "-id")
    )
    by_id = {message.message_id.strip("<>"): message for message in candidates}
    for message_id in ids:  # the direct parent first
        outbound = by_id.get(message_id.strip("<>"))
        if outbound is not None:
            contact = outbound.contact
            if contact is None or (parsed.from_email and contact.email != parsed.from_email):
                contact = _contact_at(outbound.company, parsed.from_email) or contact
            return MailMatch(outbound.company, contact, outbound, THREAD)
    return None


def _contact_at(company: Company, address: str) -> Contact | None:
    if not address:
        return None
    return company.contacts.filter(email=address).order_by("id").first()


def match_address(parsed: ParsedMail, mailbox: Mailbox) -> MailMatch | None:
    if not parsed.from_email:
        return None
    contact = (
        Contact.objects.filter(email=parsed.from_email)
        .select_related("company__owner")
        .order_by(*_preference(mailbox, "company"))
        .first()
    )
    if contact is None:
        return None
    return MailMatch(contact.company, contact, None, ADDRESS)


def _domains(address: str) -> list[str]:
    """buyer.de for anna@buyer.de; mail.buyer.de and buyer.de for anna@mail.buyer.de."""
    labels = sender_domain(address).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - MIN_DOMAIN_LABELS + 1)]


def match_domain(parsed: ParsedMail, mailbox: Mailbox) -> MailMatch | None:
    domain = sender_domain(parsed.from_email)
    if "." not in domain or is_free_mail_domain(domain):
        return None
    for candidate in _domains(parsed.from_email):
        if is_free_mail_domain(candidate):
            return None
        # The duplicate check's domain keys: website hosts and company email domains, indexed.
        keyed = DedupKey.objects.filter(kind=dk.DOMAIN, value=candidate).values("company_id")
        company = (
            Company.objects.filter(pk__in=keyed)
            .select_related("owner")
            .order_by(*_preference(mailbox))
            .first()
        )
        if company is not None:
            return MailMatch(company, None, None, DOMAIN)
    return None


def match_message(parsed: ParsedMail, mailbox: Mailbox) -> MailMatch | None:
    """The customer the message belongs to, by thread, then address, then domain; or None."""
    return match_thread(parsed) or match_address(parsed, mailbox) or match_domain(parsed, mailbox)
