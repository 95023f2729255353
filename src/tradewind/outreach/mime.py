"""The MIME form of an outbox message, as it goes over SMTP.

From is the mailbox (its name and address), Message-ID the one stored at claim time, Date the
moment of sending; the body is plain text in UTF-8, with the template's attachments and the
message's own (a quotation PDF). Bulk mail (sequences, mass letters) ends with an unsubscribe
link and carries ``List-Unsubscribe`` with both an https and a mailto address, plus
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), which large receivers ask bulk
senders for. The footer is in the letter's language.

Header injection is impossible by construction: the subject and sender name are checked to be one
line when saved, and every header value is checked again here (a line break raises).
"""

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from email import encoders, policy
from email.charset import BASE64, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext as _

from tradewind.outreach.models import OutboundAttachment, OutboundMessage, TemplateAttachment
from tradewind.outreach.suppression import unsubscribe_url

# Plain ASCII letters go as they are (7bit); anything else as UTF-8 in base64, which the C
# library encodes (quoted-printable is encoded character by character in Python). Built with the
# classic (compat32) classes: five times faster than EmailMessage with policy.SMTP, which matters
# at thousands of letters (benchmarks/outbox.py).
UTF8_BASE64 = Charset("utf-8")
UTF8_BASE64.body_encoding = BASE64
SMTP_POLICY = policy.compat32.clone(linesep="\r\n")
MAX_7BIT_LINE = 900  # SMTP allows 998 octets a line; longer lines must be encoded


def _text_part(body: str) -> MIMEText:
    lines_fit = all(len(line) <= MAX_7BIT_LINE for line in body.splitlines())
    if body.isascii() and lines_fit:
        return MIMEText(body, "plain", "us-ascii")
    return MIMEText(body, "plain", UTF8_BASE64)


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    content_type: str
    content: bytes


class AttachmentCache:
    """Each template's files read once per batch, not once per message; the batch's own
    per-message files (``OutboundAttachment``, e.g. a quotation PDF) in one query."""

    def __init__(self, messages=()):
        self._by_template: dict[int, list[AttachmentData]] = {}
        self._by_message: dict[int, list[AttachmentData]] = {}
        ids = [message.pk for message in messages]
        if ids:
            for own in OutboundAttachment.objects.filter(message_id__in=ids).order_by("id"):
                self._by_message.setdefault(own.message_id, []).append(
                    AttachmentData(own.filename, own.content_type, bytes(own.content))
                )

    def for_message(self, message: OutboundMessage) -> list[AttachmentData]:
        """The template's files, then the message's own."""
        return self.for_template(message.template_id) + self._by_message.get(message.pk, [])

    def for_template(self, template_id: int | None) -> list[AttachmentData]:
        if template_id is None:
            return []
        if template_id not in self._by_template:
            self._by_template[template_id] = [
                _read(attachment)
                for attachment in TemplateAttachment.objects.filter(template_id=template_id)
            ]
        return self._by_template[template_id]


def _read(attachment: TemplateAttachment) -> AttachmentData:
    with attachment.file.open("rb") as handle:
        content = handle.read()
    content_type = (
        attachment.content_type
        or mimetypes.guess_type(attachment.filename)[0]
        or "application/octet-stream"
    )
    return AttachmentData(attachment.filename, content_type, content)


def _footer(unsubscribe_link: str) -> str:
    return "\n\n-- \n" + _(
        "If you would rather not receive these emails, unsubscribe here: %(link)s"
    ) % {"link": unsubscribe_link}


def letter_language(message: OutboundMessage) -> str:
    template = message.template if message.template_id else None
    return getattr(template, "language", None) or "en"


def _one_line(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("a header value has a line break")
    return value


def _header(value: str):
    """ASCII as it is; anything else as an RFC 2047 encoded word."""
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8")


def _attachment(item: AttachmentData) -> MIMEBase:
    maintype, _slash, subtype = item.content_type.partition("/")
    part = MIMEBase(maintype or "application", subtype or "octet-stream")
    part.set_payload(item.content)
    encoders.encode_base64(part)
    name = _one_line(item.filename)
    part.add_header(
        "Content-Disposition",
        "attachment",
        filename=name if name.isascii() else ("utf-8", "", name),
    )
    return part


def build_mime(
    message: OutboundMessage,
    *,
    now: datetime,
    attachments: list[AttachmentData] = (),
    language: str = "en",
) -> Message:
    """The message as it goes out (``.as_bytes(policy=SMTP_POLICY)``)."""
    mailbox = message.mailbox
    body = message.body_text
    unsubscribe = None
    if message.is_bulk:
        unsubscribe = unsubscribe_url(message.to_email, mailbox.pk)
        with translation.override(language):
            body = body.rstrip() + _footer(unsubscribe)
    text = _text_part(body)
    mime = text
    if attachments:
        mime = MIMEMultipart("mixed")
        mime.attach(text)
        for item in attachments:
            mime.attach(_attachment(item))
    mime["From"] = formataddr((_one_line(mailbox.from_name), mailbox.from_email), "utf-8")
    mime["To"] = _one_line(message.to_email)
    mime["Subject"] = _header(message.subject)
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = _one_line(message.message_id)
    if unsubscribe:
        mailto = f"mailto:{mailbox.from_email}?subject={quote('unsubscribe')}"
        mime["List-Unsubscribe"] = f"<{unsubscribe}>, <{mailto}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mime
