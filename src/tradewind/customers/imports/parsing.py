"""Reading an uploaded lead list: what kind of file it really is, whether it is safe to open, its
text encoding, and its rows as lists of strings.

Rules and judgement calls:
- The type comes from the bytes, never the file name: an XLSX is a zip holding
  ``[Content_Types].xml`` and ``xl/workbook.xml``; a CSV is text without NUL bytes. Anything else
  (old .xls, PDF, images, programs, other zips) is rejected with a message saying what to do.
- A zip bomb is stopped before openpyxl opens the file: the declared sizes of its members are
  added up (at most ``IMPORT_MAX_UNZIPPED_MB``, default 200) and the whole archive may expand at
  most ``MAX_ZIP_RATIO`` times. Python's zipfile never returns more than a member's declared size
  (and fails its CRC when the declaration lies), so the declared sizes are a real bound. The XML
  inside is parsed through defusedxml (openpyxl uses it when installed): no entity expansion.
- CSV encodings: a BOM decides (UTF-8, UTF-16); else strict UTF-8; else GB18030 (a superset of
  GBK and GB2312) when the text decodes and its non-ASCII characters are common Chinese ones;
  else charset-normalizer's guess, preferring Windows-1252 for Latin text. Undecidable text is
  rejected ("save it as CSV UTF-8").
- The delimiter is the most frequent of , ; tab | in the first line (Excel in Europe writes ;).
- Cells are returned as stripped text. A formula in an XLSX is returned as its text ("=A1+1"):
  nothing is ever evaluated. Numbers come back without a trailing ".0" (phone numbers are often
  stored as numbers), dates as ISO dates. A leading apostrophe before = + - @ (how spreadsheets
  and our own export mark text) is dropped.
- Rows are numbered as a spreadsheet shows them (1-based records); at most ``MAX_COLUMNS`` cells
  of a row are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError

MAX_COLUMNS = 200
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
CSV_DELIMITERS = (",", ";", "\t", "|")
FORMULA_MARKS = ("=", "+", "-", "@")

# Signatures of files people upload by mistake, with a hint what they are.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"MZ",
    b"\x7fELF",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BZh",
)


class RejectedFile(DomainError):
    """The file cannot be imported at all; nothing was changed."""

    code = "rejected_file"

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass(frozen=True)
class FileInfo:
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def max_upload_bytes() -> int:
    """The largest file accepted: ``IMPORT_MAX_MB`` (env ``TRADEWIND_IMPORT_MAX_MB``, 20)."""
    megabytes = getattr(settings, "IMPORT_MAX_MB", None) or _env_int("TRADEWIND_IMPORT_MAX_MB", 20)
    return int(megabytes) * 1024 * 1024


def max_unzipped_bytes() -> int:
    megabytes = getattr(settings, "IMPORT_MAX_UNZIPPED_MB", None) or _env_int(
        "TRADEWIND_IMPORT_MAX_UNZIPPED_MB", 200
    )
    return int(megabytes) * 1024 * 1024


def too_large_message(size_bytes: int | None = None) -> str:
    limit_mb = max_upload_bytes() // (1024 * 1024)
    if size_bytes is None:
        return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
            "limit": limit_mb
        }
    return _(
        "The file is %(size).1f MB; the limit is %(limit)s MB. Split it into smaller files."
    ) % {
        "size": size_bytes / (1024 * 1024),
        "limit": limit_mb,
    }


# --- What kind of file -----------------------------------------------------------------------


def inspect_file(content: bytes) -> FileInfo:
    """Decide what the file is and check it is safe to read; raise ``RejectedFile`` if not."""
    if not content.strip():
        raise RejectedFile(_("The file is empty."))
    if len(content) > max_upload_bytes():
        raise RejectedFile(too_large_message(len(content)))
    if content.startswith(ZIP_MAGIC):
        check_xlsx_archive(content)
        return FileInfo(kind="xlsx")
    if content.startswith(OLE2_MAGIC):
        raise RejectedFile(
            _(
                "This is an old Excel 97–2003 (.xls) or a password-protected workbook, which "
                "cannot be read. Open it in Excel or WPS and save it as .xlsx or CSV (UTF-8)."
            )
        )
    if content.startswith(BINARY_MAGICS):
        raise RejectedFile(_not_a_spreadsheet())
    encoding = detect_encoding(content)
    text = content.decode(encoding)
    if "\x00" in text:
        raise RejectedFile(_not_a_spreadsheet())
    return FileInfo(kind="csv", encoding=encoding, delimiter=detect_delimiter(text))


def _not_a_spreadsheet() -> str:
    return _(
        "This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file, "
        "whatever its name ends with."
    )


def check_xlsx_archive(content: bytes) -> None:
    """Reject zips that are not workbooks, or that would expand too far (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RejectedFile(
            _("The workbook is damaged and cannot be opened. Save it again as .xlsx or CSV.")
        ) from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RejectedFile(
            _("This zip file is not an Excel workbook. Upload an .xlsx workbook or a CSV file.")
        )
    unpacked_bytes = sum(member.file_size for member in members)
    ratio = unpacked_bytes / max(1, len(content))
    if (
        len(members) > MAX_ZIP_MEMBERS
        or unpacked_bytes > max_unzipped_bytes()
        or (unpacked_bytes > 1024 * 1024 and ratio > MAX_ZIP_RATIO)
    ):
        raise RejectedFile(
            _(
                "The workbook would unpack to %(size)s MB (%(ratio)s times its size), which looks "
                "like a zip bomb; it was not opened. Save the data as a plain .xlsx or CSV."
            )
            % {"size": unpacked_bytes // (1024 * 1024), "ratio": int(ratio)}
        )


# --- CSV text --------------------------------------------------------------------------------


def detect_encoding(content: bytes) -> str:
    """The text encoding of a CSV file (see the module docstring for the order of the tests)."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if _is_common_chinese(content):
        return "gb18030"
    return _guess_other_encoding(content)


def _is_common_chinese(content: bytes) -> bool:
    """GB18030 decodes almost anything; real Chinese text is mostly GB2312's common characters,
    while Latin text read as GB18030 turns into rare ones."""
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        return False
    foreign = [ch for ch in text[:200_000] if ord(ch) > 127]
    if not foreign:
        return False
    common = 0
    for ch in foreign:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common / len(foreign) >= 0.8


def _guess_other_encoding(content: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(content[:200_000]).best()
    guess = best.encoding if best is not None else ""
    latin = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "iso8859_1", "mac_roman"}
    candidates = (["cp1252"] if guess in latin or not guess else []) + ([guess] if guess else [])
    for encoding in candidates:
        try:
            content.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return encoding
    raise RejectedFile(
        _(
            "We cannot tell which text encoding this CSV file uses. Save it as “CSV UTF-8” "
            "(Excel: File → Save As → CSV UTF-8) and upload it again."
        )
    )


def detect_delimiter(text: str) -> str:
    first_line = next((line for line in text[:100_000].splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_rows(content: bytes, info: FileInfo) -> Iterator[list[str]]:
    text = content.decode(info.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter or ",")
    try:
        for row in reader:
            yield [clean_cell(cell) for cell in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise RejectedFile(
            _("Row %(row)s of the file cannot be read (%(error)s). Fix it and upload again.")
            % {"row": reader.line_num, "error": exc}
        ) from exc


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged or hostile files
        raise RejectedFile(
            _("The workbook cannot be read: it is damaged or not an Excel file.")
        ) from exc
    try:
        sheet = workbook.active or workbook.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [clean_cell(xlsx_text(value)) for value in values]
    except RejectedFile:
        raise
    except Exception as exc:
        raise RejectedFile(
            _("The workbook cannot be read: it is damaged or not an Excel file.")
        ) from exc
    finally:
        workbook.close()


def xlsx_text(value) -> str:
    """A cell's value as the text a person saw in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    text = getattr(value, "text", None)  # an array formula
    return str(text if isinstance(text, str) else value)


def clean_cell(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_MARKS:
        return text[1:]
    return text


# --- Rows ------------------------------------------------------------------------------------


def iter_rows(content: bytes, info: FileInfo) -> Iterator[list[str]]:
    """Every row of the file, in order (empty rows included, so numbering stays right)."""
    if info.kind == "xlsx":
        return _xlsx_rows(content)
    return _csv_rows(content, info)


def is_blank(row: list[str]) -> bool:
    return not any(row)
