"""Checking an uploaded picture (product photo, company logo) before it is stored.

Rules and judgement calls:
- The kind comes from the bytes (Pillow), never the file name or the browser's content type:
  JPEG, PNG and WebP only. The stored name gets the extension of the real kind, so a script
  named ``photo.jpg`` or a picture named ``x.html`` cannot come back as something else.
- At most ``MAX_IMAGE_BYTES`` (5 MB) and ``MAX_IMAGE_PIXELS`` (40 megapixels, a 48 MP phone
  photo in its usual 12 MP output is far below); the pixel count is read from the header and
  checked before anything is decoded, so a small file that would decode to gigabytes (a
  decompression bomb) is refused cheaply.
- The picture is then decoded once in full (JPEG at a reduced scale, which still reads every
  byte of it): a truncated or damaged file is refused here rather than failing on a quotation.
- Nothing else is changed: the original bytes are stored as uploaded (EXIF included).
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
KINDS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
CONTENT_TYPES = {extension: content_type for content_type, extension in KINDS.values()}
CONTENT_TYPES[".jpeg"] = "image/jpeg"


class RejectedImage(DomainError):
    code = "rejected_image"


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    kind: str  # "JPEG", "PNG" or "WEBP"
    content_type: str
    extension: str
    width: int
    height: int

    def as_file(self) -> ContentFile:
        """The bytes as a file with a fresh, unguessable name and the right extension."""
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}{self.extension}")


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise RejectedImage(_too_big(size, limit), field="image")
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(content) > limit:
        raise RejectedImage(_too_big(len(content), limit), field="image")
    return content


def _too_big(size: int, limit: int) -> str:
    return _("The picture is %(size).1f MB; the limit is %(limit)s MB. Save a smaller copy.") % {
        "size": size / (1024 * 1024),
        "limit": limit // (1024 * 1024),
    }


def _not_a_picture() -> str:
    return _("This file is not a JPEG, PNG or WebP picture. Save it as one of these and try again.")


def check_image(upload, *, field: str = "image", max_bytes: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Read and check an uploaded picture; raise ``RejectedImage`` naming ``field`` if refused."""
    from PIL import Image, UnidentifiedImageError

    try:
        content = _read(upload, max_bytes)
        if not content:
            raise RejectedImage(_("The file is empty."))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(io.BytesIO(content)) as image:
                    kind = image.format
                    width, height = image.size
                    if kind not in KINDS:
                        raise RejectedImage(_not_a_picture())
                    if width * height > MAX_IMAGE_PIXELS:
                        raise RejectedImage(
                            _(
                                "The picture is %(width)s × %(height)s pixels; the limit is "
                                "%(limit)s megapixels. Save a smaller copy."
                            )
                            % {
                                "width": width,
                                "height": height,
                                "limit": MAX_IMAGE_PIXELS // 1_000_000,
                            }
                        )
                    image.verify()
                with Image.open(io.BytesIO(content)) as image:
                    if kind == "JPEG":
                        image.draft("RGB", (1024, 1024))
                    image.load()
            except RejectedImage:
                raise
            except (UnidentifiedImageError, Image.DecompressionBombError, Warning):
                raise RejectedImage(_not_a_picture()) from None
            except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
                raise RejectedImage(
                    _("The picture is damaged or cut short and cannot be shown. Save it again.")
                ) from None
    except RejectedImage as exc:
        raise RejectedImage(exc.message, field=field) from None
    content_type, extension = KINDS[kind]
    return CheckedImage(content, kind, content_type, extension, width, height)


def content_type_for(name: str) -> str:
    """The content type of a stored picture, by the extension this module gave it."""
    lowered = name.lower()
    for extension, content_type in CONTENT_TYPES.items():
        if lowered.endswith(extension):
            return content_type
    return "application/octet-stream"
