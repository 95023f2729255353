"""The result report of an import: one line per data row with its outcome and reason, as CSV or
XLSX, in the language of the user downloading it (the reasons are in the language of the user
who ran the import)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from tradewind.customers.imports.models import ImportJob, ImportRow

REPORT_CHUNK = 2000


def report_header() -> list[str]:
    return [_("Row"), _("Outcome"), _("Customer"), _("Company ID"), _("Reason")]


def report_rows(job: ImportJob) -> Iterator[list]:
    rows = (
        ImportRow.objects.filter(job=job)
        .order_by("row_number")
        .only("row_number", "outcome", "label", "company_id", "reason")
    )
    for row in rows.iterator(chunk_size=REPORT_CHUNK):
        yield [
            row.row_number,
            row.outcome_label(job.dry_run),
            row.label,
            row.company_id or "",
            row.reason,
        ]


def report_filename(job: ImportJob, extension: str) -> str:
    stem = job.file_name.rsplit(".", 1)[0][:80] or "import"
    return f"{stem}-report-{job.pk}.{extension}"
