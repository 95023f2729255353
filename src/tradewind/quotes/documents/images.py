"""Product photos and the letterhead logo, made document-sized once.

A photo as uploaded can be a 4,000-pixel JPEG of several MB; decoding and embedding it in every
PDF and spreadsheet would dominate the render. So each (file, modification time, size, box)
gets one small copy, written under ``MEDIA_ROOT/cache/documents/`` (shared by every process)
and kept in memory (an LRU of ``MEMORY_ITEMS``). An unchanged photo is never read again; a
replaced one has a new modification time, so a new copy.

Only files inside ``MEDIA_ROOT`` are read: a storage name that points elsewhere (``../``, an
absolute path, a link out) is treated as missing, like a file that is gone or not an image.
"""

import base64
import functools
import hashlib
import io
import logging
import os
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

CACHE_FOLDER = Path("cache") / "documents"
MEMORY_ITEMS = 512
PHOTO_BOX_PX = 240  # about 20 mm at 300 dpi: sharp in print, small in the file
LOGO_BOX_PX = 600
JPEG_QUALITY = 85

_memory: "OrderedDict[tuple, DocImage]" = OrderedDict()
_by_path: dict[str, "DocImage"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class DocImage:
    """A document-sized copy of an image: where it is, its bytes and its size in pixels."""

    path: Path
    content: bytes
    mime_type: str
    width: int
    height: int

    @property
    def file_url(self) -> str:
        return self.path.as_uri()

    @functools.cached_property
    def data_url(self) -> str:
        return f"data:{self.mime_type};base64,{base64.b64encode(self.content).decode('ascii')}"


def media_root() -> Path:
    return _resolved(str(settings.MEDIA_ROOT))


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def media_path(name: str) -> Path | None:
    """The file of a storage name if it exists inside MEDIA_ROOT, else None."""
    if not name or "\x00" in name:
        return None
    root = media_root()
    try:
        path = (root / name).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def cache_dir() -> Path:
    return media_root() / CACHE_FOLDER


def document_image(name: str, *, box_px: int = PHOTO_BOX_PX) -> DocImage | None:
    """The document-sized copy of the image stored as ``name``; None when there is no usable
    image (missing, outside MEDIA_ROOT, not an image)."""
    source = media_path(name)
    if source is None:
        return None
    try:
        stat = source.stat()
    except OSError:
        return None
    key = (str(source), stat.st_mtime_ns, stat.st_size, box_px)
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            _memory.move_to_end(key)
            return hit
    image = _from_disk(key) or _make(source, key, box_px)
    if image is not None:
        with _lock:
            _memory[key] = image
            _by_path[str(image.path)] = image
            while len(_memory) > MEMORY_ITEMS:
                _by_path.pop(str(_memory.popitem(last=False)[1].path), None)
    return image


def cached_copy(path: Path) -> DocImage | None:
    """A copy made by ``document_image`` by its path (the PDF fetcher reads from here first)."""
    with _lock:
        return _by_path.get(str(path))


def _digest(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _from_disk(key: tuple) -> DocImage | None:
    digest = _digest(key)
    for suffix, mime_type in ((".jpg", "image/jpeg"), (".png", "image/png")):
        path = cache_dir() / f"{digest}{suffix}"
        try:
            content = path.read_bytes()
            with Image.open(io.BytesIO(content)) as probe:
                width, height = probe.size
        except (OSError, UnidentifiedImageError):
            continue
        return DocImage(path, content, mime_type, width, height)
    return None


def _make(source: Path, key: tuple, box_px: int) -> DocImage | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as original:
                picture = ImageOps.exif_transpose(original)
                picture.thumbnail((box_px, box_px))
                has_alpha = picture.mode in ("RGBA", "LA", "P") and (
                    picture.mode != "P" or "transparency" in picture.info
                )
                buffer = io.BytesIO()
                if has_alpha:
                    picture.convert("RGBA").save(buffer, "PNG", optimize=True)
                    suffix, mime_type = ".png", "image/png"
                else:
                    picture.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY)
                    suffix, mime_type = ".jpg", "image/jpeg"
                width, height = picture.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, ValueError) as exc:  # fmt: skip
        logger.warning("document image %s left out: %s", source.name, exc)
        return None
    content = buffer.getvalue()
    path = cache_dir() / f"{_digest(key)}{suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(content)
        os.replace(partial, path)
    except OSError as exc:  # a read-only media folder: the copy still serves from memory
        logger.warning("document image cache not written: %s", exc)
    return DocImage(path, content, mime_type, width, height)
