"""Reading one fetched email: decoded headers, a readable text body and the reply without quotes.

Pure Python (``email`` package), no database: :func:`parse_message` turns the raw bytes an IMAP
server returned into a :class:`ParsedMail` and never raises on hostile input.

Rules and judgement calls:
- Headers are read with the lenient ``compat32`` parser and decoded one by one (RFC 2047 words,
  raw 8-bit UTF-8 or GB18030 as Chinese mailers send them); a header that cannot be decoded
  keeps its readable characters instead of failing the message.
- The body is the first ``text/plain`` part that is not an attachment; an HTML-only message is
  turned into text (scripts and styles dropped). Charsets are decoded leniently: unknown or
  wrong labels keep the declared charset when only a stray byte is bad, else fall back to UTF-8,
  else to charset-normalizer's guess (East Asian guesses read as GB18030); the common mislabels
  are mapped to their supersets (gb2312 → gb18030, ks_c_5601-1987 → cp949).
- Sizes: the caller fetches at most ``MAX_MESSAGE_BYTES`` of a message (bigger ones arrive
  truncated, usually losing only attachments); the kept text is cut at ``MAX_BODY_CHARS``.
- The *reply* is the text above the quoted history ("On … wrote:", "-----Original Message-----",
  Outlook's "From: … Sent:" block, "发件人：", "在 … 写道：", lines starting with ">"): the
  timeline shows what the buyer wrote now, not the whole thread again.
- Auto-replies (``Auto-Submitted``, ``X-Autoreply``, ``Precedence: auto_reply``/``bulk``/``junk``)
  and delivery reports (``multipart/report``, mailer-daemon) are flagged ``is_automatic``: they are
  filed when they match a customer but never stop a sequence or ask for an answer.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

import charset_normalizer

MAX_MESSAGE_BYTES = 1_000_000
MAX_BODY_CHARS = 20_000
MAX_SUMMARY_CHARS = 600
MAX_HEADER_CHARS = 2_000
MAX_IDS_IN_REFERENCES = 50

CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "x-sjis": "shift_jis",
    "iso-8859-8-i": "iso-8859-8",
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "utf8": "utf-8",
}
AUTOMATIC_SENDERS = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@", "donotreply@")
_QUOTE_HEADERS = (
    re.compile(r"^\s*On\s.{4,300}\swrote:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^\s*-{2,}\s*(Original Message|Forwarded message|原始邮件|转发邮件)\s*-{2,}", re.I),
    re.compile(r"^\s*_{10,}\s*$"),
    re.compile(r"^\s*(发件人|寄件者)\s*[:：]"),
    re.compile(r"^\s*在.{2,200}写道\s*[:：]\s*$"),
    re.compile(r"^\s*Am\s.{4,200}schrieb.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\s.{4,200}a écrit\s*:\s*$", re.IGNORECASE),
)
# Outlook's quoted block: "From: …" followed within three lines by "Sent:" or "Date:".
_OUTLOOK_FROM = re.compile(r"^\s*(From|Von|De)\s*:", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*(Sent|Date|Gesendet|Envoyé|发送时间|日期)\s*[:：]", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_BLANK_RUNS = re.compile(r"\n{3,}")
EAST_ASIAN_CODECS = frozenset(
    {"cp949", "euc_kr", "johab", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp",
     "iso2022_jp", "gb2312", "gbk", "gb18030", "hz"}
)  # fmt: skip
GUESS_SAMPLE_BYTES = 20_000


@dataclass(frozen=True)
class ParsedMail:
    """What Tradewind keeps of one incoming message."""

    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    from_email: str
    from_name: str
    subject: str
    body_text: str
    reply_text: str
    sent_at: dt.datetime | None
    is_automatic: bool
    was_truncated: bool

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this message answers, the direct parent first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += [ref for ref in reversed(self.references) if ref not in ids]
        return tuple(ids)


def _mostly_readable(text: str) -> bool:
    return text.count("\ufffd") <= max(1, len(text) // 100)


def _guess(payload: bytes) -> str:
    """Text of bytes whose label lied: charset-normalizer's guess — except that an East Asian
    guess is read as GB18030 when that decodes cleanly (in a Chinese exporter's inbox,
    unlabelled CJK text is Chinese far more often than Korean or Japanese) — else Latin-1."""
    best = charset_normalizer.from_bytes(payload[:GUESS_SAMPLE_BYTES]).best()
    if best is None:
        return payload.decode("latin-1")
    if best.encoding.replace("-", "_").lower() in EAST_ASIAN_CODECS:
        try:
            return payload.decode("gb18030")
        except UnicodeDecodeError:
            pass
    try:
        return payload.decode(best.encoding, errors="replace")
    except LookupError:  # pragma: no cover - charset-normalizer names Python codecs
        return payload.decode("latin-1")


def decode_charset(payload: bytes, charset: str | None) -> str:
    """Bytes to text with the declared charset, forgiving wrong or unknown labels: the declared
    charset when it reads cleanly (or with a stray bad byte), else UTF-8, else a guess."""
    label = (charset or "").strip().strip('"').lower()
    label = CHARSET_ALIASES.get(label, label)
    for candidate in (label, "utf-8"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        lenient = payload.decode(label, errors="replace") if label else ""
    except LookupError:
        lenient = ""
    if lenient and _mostly_readable(lenient):
        return lenient
    return _guess(payload)


def storable(text: str) -> str:
    """Text any database accepts: no NUL characters, no lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _raw_header_text(value: str) -> str:
    """compat32 keeps undecodable 8-bit header bytes as surrogates: recover them as text."""
    try:
        raw = value.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return value
    return decode_charset(raw, "utf-8")


def header_text(message: Message, name: str) -> str:
    """One header decoded to plain text on one line; '' when absent or hopeless."""
    wanted = name.lower()
    # The raw value: for 8-bit headers ``get`` returns a Header that already lost the bytes.
    value = next((raw for key, raw in message.raw_items() if key.lower() == wanted), None)
    if value is None:
        return ""
    value = str(value)[: MAX_HEADER_CHARS * 2]
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = _raw_header_text(value)
    try:
        text = str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        text = value
    return " ".join(storable(text).split())[:MAX_HEADER_CHARS]


def _address(message: Message) -> tuple[str, str]:
    """The sender's (display name, address), preferring From over Sender and Reply-To."""
    for name in ("From", "Sender", "Reply-To"):
        text = header_text(message, name)
        if not text:
            continue
        for display, address in getaddresses([text]):
            address = address.strip().strip("<>").lower()
            if "@" in address and len(address) <= 254 and " " not in address:
                return display.strip().strip('"')[:200], address
    return "", ""


def _message_ids(text: str, limit: int) -> tuple[str, ...]:
    """``<id@host>`` tokens; a lone id written without brackets is accepted too."""
    found = _MESSAGE_ID.findall(text)[:limit]
    bare = text.strip().strip("<>")
    if not found and "@" in bare and " " not in bare and len(bare) <= 250:
        found = [f"<{bare}>"]
    return tuple(found)


def _sent_at(message: Message) -> dt.datetime | None:
    text = header_text(message, "Date")
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(dt.UTC)


class _HtmlToText(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlToText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - HTMLParser is lenient
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except (AssertionError, ValueError, LookupError):  # pragma: no cover - defensive
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return decode_charset(payload[:MAX_MESSAGE_BYTES], part.get_content_charset())


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).lower()
    return disposition.startswith("attachment")


def body_text(message: Message) -> str:
    """The message's readable text: its plain part, else its HTML part turned into text."""
    html = None
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return _part_text(part).replace("\r\n", "\n").strip()
        if kind == "text/html" and html is None:
            html = part
    return html_to_text(_part_text(html)) if html is not None else ""


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index]
    joined = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
    if any(pattern.match(line) or pattern.match(joined) for pattern in _QUOTE_HEADERS):
        return True
    return bool(_OUTLOOK_FROM.match(line)) and any(
        _OUTLOOK_SENT.match(following) for following in lines[index + 1 : index + 4]
    )


def strip_quoted(text: str) -> str:
    """The new text of a reply: everything above the quoted history, without quoted lines."""
    kept: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        if any(part.strip() for part in kept) and _starts_quote(lines, index):
            break
        kept.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def _is_automatic(message: Message, from_email: str) -> bool:
    auto = header_text(message, "Auto-Submitted").lower()
    precedence = header_text(message, "Precedence").lower()
    return (
        (auto not in ("", "no"))
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or precedence in ("auto_reply", "bulk", "junk", "list")
        or message.get_content_type() == "multipart/report"
        or from_email.startswith(AUTOMATIC_SENDERS)
    )


def timeline_summary(subject: str, body: str, *, no_subject: str = "(no subject)") -> str:
    """ "Subject — first lines of the reply" for the customer's timeline."""
    text = " ".join(strip_quoted(body).split())
    if len(text) > MAX_SUMMARY_CHARS:
        text = text[: MAX_SUMMARY_CHARS - 1].rstrip() + "…"
    subject = subject or no_subject
    return f"{subject} — {text}" if text else subject


def parse_message(raw: bytes, *, was_truncated: bool = False) -> ParsedMail:
    """Parse the raw bytes of one message; hostile or broken input gives empty fields, never an
    exception."""
    message = email.message_from_bytes(raw[: MAX_MESSAGE_BYTES + 300_000])
    from_name, from_email = _address(message)
    try:
        text = body_text(message)
    except Exception:  # a broken MIME tree must not stop the mailbox's poll
        text = ""
    text = storable(text)
    return ParsedMail(
        message_id=(_message_ids(header_text(message, "Message-ID"), 1) or ("",))[0],
        in_reply_to=(_message_ids(header_text(message, "In-Reply-To"), 1) or ("",))[0],
        references=_message_ids(header_text(message, "References"), MAX_IDS_IN_REFERENCES),
        from_email=from_email,
        from_name=from_name,
        subject=header_text(message, "Subject")[:300],
        body_text=text[:MAX_BODY_CHARS],
        reply_text=strip_quoted(text[:MAX_BODY_CHARS]),
        sent_at=_sent_at(message),
        is_automatic=_is_automatic(message, from_email),
        was_truncated=was_truncated,
    )
