"""Sending a quotation revision to the buyer, through the outbox, exactly once.

``send_revision`` checks the revision may go (``approvals.ensure_sendable``: a priced, current,
approved, still-valid draft), renders its PDF (and, when asked, the Excel file), and in one
transaction:

* puts one email in the outbox with the files attached (``outreach.OutboundAttachment``), under
  the idempotency key ``quotation-revision:<id>`` — a double click, a retry or a second worker
  sends it once; a second call returns the first message and changes nothing;
* freezes the revision (``sent``, with when and by whom, linked to its email); earlier sent
  revisions of the quotation become ``superseded``; the quotation is ``sent``;
* moves the customer to the *quoted* stage when they were earlier in the SOP (lead, contacted,
  inquiry); the inquiry it answers becomes *quoted* and its first reply is recorded;
* records an audit event on the customer's history.

The email itself reaches the customer's timeline when the outbox has sent it (the outbox files
every sent message there, once). The PDF is rendered before the transaction (a few hundred
milliseconds during which SQLite's one write lock stays free) and checked again under the lock:
if the revision changed in between, it is rendered again from what is being frozen.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.core import audit_display
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers import services as customer_services
from tradewind.customers.choices import Stage
from tradewind.customers.models import Company, Contact
from tradewind.outreach.letters import active_mailbox
from tradewind.outreach.models import OutboundAttachment, OutboundMessage
from tradewind.outreach.outbox import enqueue_message
from tradewind.outreach.suppression import suppression_reason
from tradewind.quotes.approvals import ensure_sendable
from tradewind.quotes.choices import InquiryStatus, QuotationStatus, RevisionStatus
from tradewind.quotes.documents.context import (
    QuotationDocument,
    build_document,
    revision_for_document,
)
from tradewind.quotes.documents.pdf import DOCUMENT_LANGUAGE, html_to_pdf, render_html
from tradewind.quotes.documents.xlsx import render_xlsx
from tradewind.quotes.inquiries import record_first_response
from tradewind.quotes.models import Inquiry, Quotation, QuotationRevision

KEY_PREFIX = "quotation-revision:"
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024  # what most mail servers still accept, after base64
MAX_MESSAGE_CHARS = 20000
STAGES_BEFORE_QUOTED = (Stage.LEAD, Stage.CONTACTED, Stage.INQUIRY)
SENDABLE_QUOTATION = (QuotationStatus.DRAFT, QuotationStatus.SENT, QuotationStatus.REJECTED)
QUOTATION_FIELDS = ("status", "decided_at", "decision_reason")

audit_display.ACTIONS.update({"send": gettext_lazy("sent")})
audit_display.EXTRA_LABELS.setdefault("superseded", gettext_lazy("Superseded"))
audit_display.EXTRA_LABELS.setdefault("attachments", gettext_lazy("Attachments"))
audit_display.EXTRA_LABELS.setdefault("to_email", gettext_lazy("To"))
audit_display.EXTRA_LABELS.setdefault("subject", gettext_lazy("Subject"))


def idempotency_key(revision_id: int) -> str:
    return f"{KEY_PREFIX}{revision_id}"


def sent_message(revision_id: int) -> OutboundMessage | None:
    """The outbox message of a revision already sent, if any."""
    return OutboundMessage.objects.filter(idempotency_key=idempotency_key(revision_id)).first()


@dataclass(frozen=True)
class Recipient:
    email: str
    contact: Contact | None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


# --- The letter the form starts from --------------------------------------------------------


def default_letter(document: QuotationDocument, *, contact: Contact | None, sender) -> tuple:
    """``(subject, body)`` in the document language, for the rep to edit before sending."""
    with translation.override(DOCUMENT_LANGUAGE):
        subject = _("Quotation %(number)s Rev. %(letter)s") % {
            "number": document.number,
            "letter": document.revision_letter,
        }
        if document.letterhead.name_en:
            subject += f" · {document.letterhead.name_en}"
        first_name = contact.name.split()[0] if contact is not None and contact.name else ""
        greeting = (
            _("Dear %(name)s,") % {"name": first_name} if first_name else _("Dear Sir or Madam,")
        )
        body = _(
            "Thank you for your inquiry. Please find attached our quotation %(reference)s: "
            "%(total)s %(term)s, valid until %(date)s."
        ) % {
            "reference": document.reference,
            "total": f"{document.terms.currency} {document.total_text}".strip(),
            "term": document.terms.price_term,
            "date": document.valid_until.strftime("%d %b %Y"),
        }
        closing = _("We look forward to your reply.")
        regards = _("Best regards,")
    signature = (getattr(sender, "signature", "") or "").strip() or document.prepared_by
    return subject[:300], f"{greeting}\n\n{body}\n\n{closing}\n\n{regards}\n{signature}\n"


# --- Checks ---------------------------------------------------------------------------------


def _recipient(company: Company, contact_id: int | None, to_email: str | None) -> Recipient:
    if company.owner_id is None:
        raise DomainError(
            _("%(name)s is in the public pool — claim the customer before quoting them.")
            % {"name": company.name}
        )
    contact = None
    if contact_id is not None:
        contact = Contact.objects.filter(pk=contact_id, company=company).first()
        if contact is None:
            raise DomainError(_("Choose one of this customer's contacts."), field="contact")
        if not contact.email:
            raise DomainError(
                _("%(name)s has no email address — add one to the contact first.")
                % {"name": contact.name},
                field="contact",
            )
        address = contact.email
    else:
        address = (to_email or "").strip()
        if not address:
            raise DomainError(_("Choose whom to send the quotation to."), field="contact")
    reason = suppression_reason(address)
    if reason is not None:
        raise DomainError(
            _("%(email)s is on the do-not-mail list — Tradewind will not mail it.")
            % {"email": address},
            field="to_email" if contact is None else "contact",
        )
    return Recipient(address, contact)


def _check_letter(subject: str, message: str) -> tuple[str, str]:
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("The subject is empty."), field="subject")
    message = (message or "").strip()
    if not message:
        raise DomainError(_("Write a few words to go with the quotation."), field="message")
    if len(message) > MAX_MESSAGE_CHARS:
        raise DomainError(
            _("Keep the message under %(max)s characters.") % {"max": MAX_MESSAGE_CHARS},
            field="message",
        )
    return subject, message + "\n"


def _check_quotation(quotation: Quotation) -> None:
    if quotation.status not in SENDABLE_QUOTATION:
        raise DomainError(
            _("The quotation is %(status)s: it is not sent any more.")
            % {"status": quotation.get_status_display().lower()},
            code="closed",
        )


# --- Sending --------------------------------------------------------------------------------


def _attachments(document: QuotationDocument, pdf: bytes, attach_xlsx: bool) -> list:
    files = [Attachment(document.filename("pdf"), PDF_TYPE, pdf)]
    if attach_xlsx:
        files.append(Attachment(document.filename("xlsx"), XLSX_TYPE, render_xlsx(document)))
    if sum(len(item.content) for item in files) > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _(
                "The files are larger than %(mb)s MB, more than most mail servers accept — send "
                "the PDF alone, or fewer photos."
            )
            % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="attach_xlsx",
        )
    return files


def send_revision(
    *,
    actor,
    revision_id: int,
    subject: str,
    message: str,
    contact_id: int | None = None,
    to_email: str | None = None,
    attach_xlsx: bool = False,
    now: datetime | None = None,
) -> OutboundMessage:
    """Send the revision to the buyer (see the module doc); returns its outbox message."""
    revision = revision_for_document(actor, revision_id)
    existing = sent_message(revision.pk)
    if existing is not None:
        return existing
    ensure_sendable(revision)
    subject, message = _check_letter(subject, message)
    draft_html = render_html(build_document(revision))
    draft_pdf = html_to_pdf(draft_html)
    return _send_locked(
        actor=actor,
        revision_id=revision.pk,
        subject=subject,
        message=message,
        recipient=(contact_id, to_email),
        attach_xlsx=attach_xlsx,
        rendered=(draft_html, draft_pdf),
        now=now or timezone.now(),
    )


@transaction.atomic
def _send_locked(*, actor, revision_id, subject, message, recipient, attach_xlsx, rendered, now):
    revision = (
        QuotationRevision.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("quotation__company", "quotation__contact", "quotation__owner")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        raise NotFound(_("No such quotation."))
    existing = sent_message(revision.pk)
    if existing is not None:  # a simultaneous second click got the lock after the first
        return existing
    ensure_sendable(revision)
    quotation = Quotation.objects.select_for_update(of=("self",)).get(pk=revision.quotation_id)
    _check_quotation(quotation)
    company = revision.quotation.company
    to = _recipient(company, *recipient)
    mailbox = active_mailbox(actor)
    document = build_document(revision)
    html = render_html(document)
    pdf = rendered[1] if html == rendered[0] else html_to_pdf(html)
    files = _attachments(document, pdf, attach_xlsx)
    email = enqueue_message(
        idempotency_key=idempotency_key(revision.pk),
        mailbox=mailbox,
        to_email=to.email,
        subject=subject,
        body_text=message,
        scheduled_at=now,
        company=company,
        contact=to.contact,
        created_by=actor,
    )
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(
            message=email,
            filename=item.filename,
            content_type=item.content_type,
            content=item.content,
            size_bytes=len(item.content),
        )
        for item in files
    )
    superseded = _freeze(revision, quotation, actor=actor, email=email, now=now)
    audit_record(
        actor=actor,
        action="send",
        instance=revision,
        changes={
            "to_email": email.to_email,
            "subject": email.subject,
            "attachments": [item.filename for item in files],
            "superseded": superseded,
        },
        company_id=company.pk,
    )
    if company.stage in STAGES_BEFORE_QUOTED:
        customer_services.company_update(actor=actor, company_id=company.pk, stage=Stage.QUOTED)
    _answer_inquiry(actor, quotation.inquiry_id, now)
    return email


def _freeze(revision, quotation, *, actor, email, now) -> list[str]:
    """The revision sent and frozen, earlier sent ones superseded, the quotation sent; returns
    the letters of the superseded revisions."""
    earlier = QuotationRevision.objects.filter(
        quotation=quotation, status=RevisionStatus.SENT
    ).exclude(pk=revision.pk)
    superseded = [f"Rev. {letter}" for letter in earlier.values_list("letter", flat=True)]
    earlier.update(status=RevisionStatus.SUPERSEDED, updated_at=now)
    revision.status = RevisionStatus.SENT
    revision.sent_at, revision.sent_by, revision.outbound_message = now, actor, email
    revision.save(update_fields=["status", "sent_at", "sent_by", "outbound_message", "updated_at"])
    before = snapshot(quotation, QUOTATION_FIELDS)
    quotation.status = QuotationStatus.SENT
    quotation.decided_at, quotation.decision_reason = None, ""
    quotation.save(update_fields=[*QUOTATION_FIELDS, "updated_at"])
    changes = diff(before, snapshot(quotation, QUOTATION_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            instance=quotation,
            changes=changes,
            company_id=quotation.company_id,
        )
    return superseded


def _answer_inquiry(actor, inquiry_id: int | None, now: datetime) -> None:
    """The inquiry the quotation answers is quoted, and its first reply recorded (the earliest
    reply wins: an earlier call or email stays the first)."""
    if inquiry_id is None:
        return
    inquiry = Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry_id)
    if inquiry.status == InquiryStatus.OPEN:
        before = snapshot(inquiry, ("status",))
        inquiry.status = InquiryStatus.QUOTED
        inquiry.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            instance=inquiry,
            changes=diff(before, snapshot(inquiry, ("status",))),
            company_id=inquiry.company_id,
        )
    if inquiry.first_responded_at is None and inquiry.received_at <= now:
        record_first_response(inquiry, now, actor=actor)
