"""Writing tables as CSV (streamed) or XLSX (XlsxWriter, constant memory), safe to open in a
spreadsheet.

Formula injection: a cell that a spreadsheet would run as a formula — text starting with
= + - @, a tab or a carriage return — is neutralised. In CSV it gets a leading apostrophe
(``'=HYPERLINK(…)``), as OWASP recommends; in XLSX every value is written as a string (never
a formula) and such cells get Excel's "quote prefix" style, which is the same apostrophe
without showing it. Judgement call: plain numbers such as E.164 phones ("+4930123456") are left
alone — a spreadsheet reads them as a number at worst, and the phone column stays usable.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import FileResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.match(text)


def neutralise(value) -> str:
    """A cell's text for CSV, with formulas defused."""
    text = "" if value is None else str(value)
    return f"'{text}" if is_formula_like(text) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel reads UTF-8 (Chinese names) correctly
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _disposition(filename)
    return response


def write_xlsx(handle, sheet_name: str, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write the table into an open binary file; returns the number of data rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    for column, title in enumerate(header):
        sheet.write_string(0, column, str(title), bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(count, column, value)
                continue
            text = "" if value is None else str(value)
            if text:
                sheet.write_string(count, column, text, quoted if is_formula_like(text) else None)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count


def xlsx_response(filename: str, sheet_name: str, header: Sequence[str], rows: Iterable[Sequence]):
    """The workbook is written to a temporary file row by row, then sent from it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes (and so deletes) it
    write_xlsx(handle, sheet_name, header, rows)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
