"""Writes to letter templates and their attachments. Each service is atomic, checks the actor
may change the template (``outreach.sharing``), validates the merge fields
(``outreach.templating``) and records an audit event.

Attachments (a catalogue PDF, product photos, a price list) are checked by their first bytes,
not by the name or the browser's content type: PDF, PNG, JPEG, GIF, WebP, Word, Excel and
PowerPoint (both the zip-based .docx/.xlsx/.pptx and the older .doc/.xls/.ppt) are accepted, and
the file's extension must match what its bytes say it is. Limits: 10 MB a file, 5 files and
20 MB in all per template — a letter much bigger than that bounces at many mail servers.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.outreach import sharing, templating
from tradewind.outreach.models import EmailTemplate, SequenceStep, TemplateAttachment

TEMPLATE_FIELDS = ("name", "language", "subject", "body", "is_shared")
LANGUAGES = ("en", "zh-hans")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_ATTACHMENTS_TOTAL_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 16


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
PNG = FileKind("PNG", "image/png", (".png",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind("GIF", "image/gif", (".gif",))
WEBP = FileKind("WebP", "image/webp", (".webp",))
OLE = FileKind("Office 97–2003", "application/vnd.ms-office", (".doc", ".xls", ".ppt"))
OOXML_BY_EXTENSION = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OOXML = FileKind("Office", "application/zip", tuple(OOXML_BY_EXTENSION))


def _template_snapshot(template: EmailTemplate) -> dict:
    values = snapshot(template, TEMPLATE_FIELDS)
    values["body"] = values["body"][:500]
    return values


def _clean_text(name: str, language: str, subject: str, body: str) -> tuple[str, str, str]:
    name, subject = (name or "").strip(), (subject or "").strip()
    body = (body or "").replace("\r\n", "\n").strip("\n")
    if not name:
        raise DomainError(_("Give the template a name you will recognise."), field="name")
    if language not in LANGUAGES:
        raise DomainError(_("Choose English or Chinese."), field="language")
    if not subject:
        raise DomainError(_("A letter needs a subject."), field="subject")
    if not body.strip():
        raise DomainError(_("A letter needs a body."), field="body")
    templating.fields_used(subject, body)
    return name, subject, body


@transaction.atomic
def template_save(
    *,
    actor,
    template_id: int | None = None,
    name: str,
    language: str,
    subject: str,
    body: str,
    is_shared: bool = False,
) -> EmailTemplate:
    """Create a template (``template_id`` None) or change one the actor owns."""
    name, subject, body = _clean_text(name, language, subject, body)
    if template_id is None:
        template, before = EmailTemplate(owner=actor), None
    else:
        template = sharing.usable_or_404(
            EmailTemplate, actor, template_id, for_change=True, lock=True
        )
        before = _template_snapshot(template)
    template.name, template.language, template.subject = name, language, subject
    template.body, template.is_shared = body, bool(is_shared)
    try:
        template.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise DomainError(errors[0], field=None if field == "__all__" else field) from None
    template.save()
    after = _template_snapshot(template)
    changes = after if before is None else diff(before, after)
    if changes:
        action = "create" if before is None else "update"
        audit_record(actor=actor, action=action, instance=template, changes=changes)
    return template


@transaction.atomic
def template_delete(*, actor, template_id: int) -> None:
    template = sharing.usable_or_404(EmailTemplate, actor, template_id, for_change=True, lock=True)
    steps = SequenceStep.objects.filter(template=template).select_related("sequence")
    names = sorted({step.sequence.name for step in steps})
    if names:
        raise DomainError(
            _("Sequence “%(names)s” sends this template — take it out of the sequence first.")
            % {"names": "”, “".join(names)}
        )
    audit_record(
        actor=actor, action="delete", instance=template, changes=_template_snapshot(template)
    )
    files = [attachment.file for attachment in template.attachments.all()]
    try:
        template.delete()
    except ProtectedError:  # pragma: no cover - a step was added meanwhile; the lock prevents it
        raise DomainError(_("A sequence sends this template — take it out first.")) from None
    transaction.on_commit(lambda: [stored.delete(save=False) for stored in files])


def sniff(head: bytes) -> FileKind | None:
    """What a file is, from its first bytes."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return OOXML
    return None


def _safe_filename(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    return base[-200:] or "attachment"


def _check_office_zip(upload) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(
            _("This file is a zip archive, not a Word, Excel or PowerPoint document."),
            field="file",
        ) from None
    finally:
        upload.seek(0)


def check_upload(upload) -> tuple[FileKind, str, str]:
    """(kind, safe file name, content type) of an uploaded file, or DomainError saying why not."""
    filename = _safe_filename(getattr(upload, "name", ""))
    size = upload.size
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("“%(name)s” is %(mb).1f MB; attachments are at most 10 MB.")
            % {"name": filename, "mb": size / 1024 / 1024},
            field="file",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise DomainError(
            _("“%(name)s” is not a PDF, an image or an Office document.") % {"name": filename},
            field="file",
        )
    extension = PurePath(filename).suffix.lower()
    if extension not in kind.extensions:
        raise DomainError(
            _("“%(name)s” is a %(kind)s file by its content; name it %(ext)s.")
            % {"name": filename, "kind": kind.label, "ext": " / ".join(kind.extensions)},
            field="file",
        )
    content_type = kind.content_type
    if kind is OOXML:
        _check_office_zip(upload)
        content_type = OOXML_BY_EXTENSION[extension]
    return kind, filename, content_type


@transaction.atomic
def attachment_add(*, actor, template_id: int, upload) -> TemplateAttachment:
    """Attach a file to a template the actor owns, after checking what it really is."""
    template = sharing.usable_or_404(EmailTemplate, actor, template_id, for_change=True, lock=True)
    _kind, filename, content_type = check_upload(upload)
    existing = template.attachments.aggregate(total=Sum("size_bytes"))["total"] or 0
    if template.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("A template carries at most 5 attachments."), field="file")
    if existing + upload.size > MAX_ATTACHMENTS_TOTAL_BYTES:
        raise DomainError(
            _("Together the attachments would pass 20 MB; many mail servers refuse that."),
            field="file",
        )
    attachment = TemplateAttachment(
        template=template, filename=filename, size_bytes=upload.size, content_type=content_type
    )
    # The file is written before the row; if the row cannot be saved the file is removed. (A
    # rollback of an enclosing transaction may leave an orphan file, never a row without one.)
    attachment.file.save(filename, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit_record(
        actor=actor,
        action="update",
        instance=template,
        changes={"attachments": [None, f"{filename} ({upload.size} bytes, {content_type})"]},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment_id: int) -> None:
    attachment = (
        TemplateAttachment.objects.select_related("template")
        .filter(
            pk=attachment_id, template__in=EmailTemplate.objects.filter(sharing.editable_q(actor))
        )
        .first()
    )
    if attachment is None:
        raise NotFound(_("No such attachment."))
    audit_record(
        actor=actor,
        action="update",
        instance=attachment.template,
        changes={"attachments": [attachment.filename, None]},
    )
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
