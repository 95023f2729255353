"""Files and runs for the import tests: CSV in any encoding, XLSX, a whole import in one call."""

import csv
import io
import zipfile
from datetime import date

from tradewind.customers.imports import services

HEADER_EN = ["Company", "Contact", "Email", "Phone", "Country", "Website", "Source", "Notes"]
HEADER_ZH = ["公司名称", "联系人", "邮箱", "电话", "国家", "网址", "来源", "备注"]


def csv_bytes(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, formulas=None, sheets=None) -> bytes:
    """A workbook whose first sheet holds ``rows``; ``formulas`` maps "B2" to a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("Leads")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write(r, c, value)
    for cell, formula in (formulas or {}).items():
        sheet.write_formula(cell, formula, None, "cached")
    for name, extra in (sheets or {}).items():
        other = workbook.add_worksheet(name)
        for r, row in enumerate(extra):
            other.write_row(r, 0, row)
    workbook.close()
    return buffer.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 300) -> bytes:
    """A zip named like a workbook holding a sheet of zeros that unpacks to ``unpacked_mb``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def start(user, content: bytes, *, file_name="leads.csv", mapping=None, **options):
    job = services.import_job_create(actor=user, content=content, file_name=file_name)
    return services.import_job_start(
        actor=user,
        job_id=job.pk,
        mapping=job.mapping if mapping is None else mapping,
        enqueue=False,
        **options,
    )


def run_import(user, content: bytes, **options):
    """Upload, start and run an import to its end; returns the finished job."""
    job = start(user, content, **options)
    return services.import_job_run(job_id=job.pk)


def outcomes(job) -> dict[int, tuple[str, str]]:
    return {row.row_number: (row.outcome, row.reason) for row in job.rows.order_by("row_number")}
