"""Raw test messages for the inbound-mail tests, built the way mail clients write them."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime

DEFAULT_DATE = "Tue, 03 Mar 2026 09:15:00 +0100"


def mail(
    *,
    sender: str = "Anna Weber <anna@nordlicht.de>",
    to: str = "lily@exporter.example",
    subject: str = "Re: LED panels for Nordlicht",
    body: str = "Hello Lily,\n\nplease send your price list for 600x600 panels.\n\nAnna",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    date=DEFAULT_DATE,
    html: str | None = None,
    headers: dict | None = None,
    attachment: bytes | None = None,
) -> bytes:
    """One message as bytes; ``html`` alone makes an HTML-only message."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@nordlicht.de>"
    message["Date"] = date if isinstance(date, str) else format_datetime(date)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None and body is None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="catalogue.pdf"
        )
    return message.as_bytes()


def raw_mail(headers: str, body: bytes) -> bytes:
    """A message written by hand, for headers and charsets no library would produce."""
    return headers.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body
