"""The MIME form of an outbox message, as it goes over SMTP.

From is the mailbox (its name and address), Message-ID the one stored at claim time, Date the
moment of sending; the body is plain text in UTF-8, with the template's attachments. Bulk mail
(sequences, mass letters) ends with an unsubscribe link and carries ``List-Unsubscribe`` with
both an https and a mailto address, plus ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
(RFC 8058), which large receivers ask bulk senders for. The footer is in the letter's language.

Header injection is impossible by construction: the subject and sender name are checked to be one
line when saved, and ``email.policy.SMTP`` refuses any header value with a line break.
"""

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext as _

from tradewind.outreach.models import OutboundMessage, TemplateAttachment
from tradewind.outreach.suppression import unsubscribe_url


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    content_type: str
    content: bytes


class AttachmentCache:
    """Each template's files read once per batch, not once per message."""

    def __init__(self):
        self._by_template: dict[int, list[AttachmentData]] = {}

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


def build_mime(
    message: OutboundMessage,
    *,
    now: datetime,
    attachments: list[AttachmentData] = (),
    language: str = "en",
) -> EmailMessage:
    mailbox = message.mailbox
    mime = EmailMessage(policy=policy.SMTP)
    mime["From"] = Address(display_name=mailbox.from_name, addr_spec=mailbox.from_email)
    mime["To"] = message.to_email
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = message.message_id
    body = message.body_text
    if message.is_bulk:
        link = unsubscribe_url(message.to_email, mailbox.pk)
        mailto = f"mailto:{mailbox.from_email}?subject={quote('unsubscribe')}"
        mime["List-Unsubscribe"] = f"<{link}>, <{mailto}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        with translation.override(language):
            body = body.rstrip() + _footer(link)
    mime.set_content(body, subtype="plain", charset="utf-8")
    for item in attachments:
        maintype, _slash, subtype = item.content_type.partition("/")
        mime.add_attachment(
            item.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=item.filename,
        )
    return mime
