"""Reads of imports: a user sees the imports they started (a workspace admin sees all)."""

from __future__ import annotations

from django.http import Http404

from tradewind.customers.imports.choices import Outcome
from tradewind.customers.imports.models import ImportJob, ImportRow
from tradewind.customers.imports.services import visible_jobs
from tradewind.customers.models import Company
from tradewind.customers.selectors import Page

ROWS_PER_PAGE = 50


def job_get(user, job_id: int) -> ImportJob:
    job = visible_jobs(user).select_related("created_by", "owner").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def recent_jobs(user, *, limit: int = 8) -> list[ImportJob]:
    return list(visible_jobs(user).select_related("created_by")[:limit])


def job_rows(job: ImportJob, *, outcome: str = "", page: int = 1) -> Page:
    """One page of the job's rows (rejected and skipped first are a filter away)."""
    rows = ImportRow.objects.filter(job=job)
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    page = max(1, page)
    offset = (page - 1) * ROWS_PER_PAGE
    items = list(rows.order_by("row_number")[offset : offset + ROWS_PER_PAGE + 1])
    return Page(
        items=items[:ROWS_PER_PAGE],
        number=page,
        size=ROWS_PER_PAGE,
        has_next=len(items) > ROWS_PER_PAGE,
    )


def visible_company_ids(user, rows) -> set[int]:
    """Which of the rows' companies the user may open (a duplicate may be another rep's)."""
    ids = {row.company_id for row in rows if row.company_id}
    if not ids:
        return set()
    return set(Company.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def company_import_origin(company) -> ImportRow | None:
    """The import row that created this company, if it came from an import."""
    return (
        ImportRow.objects.filter(company=company, outcome=Outcome.CREATED, job__dry_run=False)
        .select_related("job", "job__created_by")
        .order_by("pk")
        .first()
    )
