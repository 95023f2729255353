"""The lead import, job by job: upload, start (with the user's mapping and choices), run batch by
batch, resume, and a dry run turned into the real thing.

Rules:
- ``import_job_create`` checks the file before anything is stored (parsing.py) and refuses a
  file in which no column is recognisable as a company name or an email.
- ``import_job_start`` checks the mapping and the owner choice and enqueues the background job
  on commit; ``import_job_run`` runs it (the worker, or the console command inline).
- ``import_job_run`` runs it batch by batch (running.py): resumable, each batch committed with
  its ``ImportRow`` records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.imports import mapping as columns
from tradewind.customers.imports import parsing
from tradewind.customers.imports.choices import (
    JobStatus,
    OnDuplicate,
    OwnerChoice,
)
from tradewind.customers.imports.models import ImportFile, ImportJob

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
STALE_AFTER = timedelta(minutes=2)  # a running job without progress for this long was killed


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    rows: list[list[str]]  # the first data rows, padded to the headers' width
    header_row: int  # 1-based


# --- Reading the file -------------------------------------------------------------------------


def _info(job: ImportJob) -> parsing.FileInfo:
    return parsing.FileInfo(kind=job.file_kind, encoding=job.encoding, delimiter=job.delimiter)


def _content(job: ImportJob) -> bytes:
    stored = ImportFile.objects.filter(job=job).values_list("content", flat=True).first()
    if stored is None:
        raise DomainError(_("The file of this import is no longer stored; upload it again."))
    return bytes(stored)


def _head(content: bytes, info: parsing.FileInfo, count: int) -> list[list[str]]:
    rows = []
    for row in parsing.iter_rows(content, info):
        rows.append(row)
        if len(rows) >= count:
            break
    return rows


def data_rows(content: bytes, info, header_row: int) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every non-empty row below the header."""
    for number, row in enumerate(parsing.iter_rows(content, info), start=1):
        if number > header_row and not parsing.is_blank(row):
            yield number, row


def _pad(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width]


def job_preview(job: ImportJob) -> Preview:
    rows = _head(_content(job), _info(job), job.header_row + PREVIEW_ROWS)
    width = len(job.headers)
    sample = [_pad(row, width) for row in rows[job.header_row :] if not parsing.is_blank(row)]
    return Preview(headers=job.headers, rows=sample[:PREVIEW_ROWS], header_row=job.header_row)


# --- Upload and start -------------------------------------------------------------------------


def _no_columns_message(headers: list[str]) -> str:
    found = ", ".join(f"“{header}”" for header in headers if header)[:300] or "—"
    return _(
        "No column of this file is recognisable as a company name or an email (found: "
        "%(found)s). Name the columns, e.g. %(known)s, and upload it again."
    ) % {"found": found, "known": columns.describe_known_headers()}


def import_job_create(*, actor, content: bytes, file_name: str) -> ImportJob:
    """Store an uploaded file as a new import waiting for its column mapping."""
    import hashlib

    info = parsing.inspect_file(content)
    head = _head(content, info, columns.HEADER_SEARCH_ROWS + PREVIEW_ROWS)
    header_index = columns.find_header_row(head)
    headers = head[header_index] if head else []
    width = max((len(row) for row in head), default=0)
    headers = _pad(headers, width)
    sample = [_pad(row, width) for row in head[header_index + 1 :] if not parsing.is_blank(row)]
    guessed = columns.guess_mapping(headers, sample)
    if not any(key in guessed.values() for key in columns.REQUIRED_ANY):
        raise parsing.RejectedFile(_no_columns_message(headers))
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor,
            file_name=(file_name or "upload")[-200:],
            file_sha256=hashlib.sha256(content).hexdigest(),
            file_size_bytes=len(content),
            file_kind=info.kind,
            encoding=info.encoding,
            delimiter=info.delimiter,
            header_row=header_index + 1,
            headers=headers,
            mapping={str(index): key for index, key in guessed.items()},
        )
        ImportFile.objects.create(job=job, content=content)
    return job


def visible_jobs(user):
    """The imports a user may see: their own (a workspace admin: all)."""
    jobs = ImportJob.objects.all()
    if getattr(user, "is_workspace_admin", False):
        return jobs
    return jobs.filter(created_by=user) if user.is_authenticated else jobs.none()


def _locked_job(actor, job_id: int) -> ImportJob:
    job = visible_jobs(actor).select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such import."))
    return job


def _check_owner(actor, owner_choice: str, owner) -> User | None:
    if owner_choice == OwnerChoice.USER:
        if owner is None:
            raise DomainError(
                _("Choose the salesperson who gets the new customers."), field="owner"
            )
        if owner != actor and not User.objects.filter(visible_users_q(actor), pk=owner.pk).exists():
            raise PermissionDenied(
                _("You can only give customers to members of your own team."), field="owner"
            )
        return owner
    if owner_choice == OwnerChoice.AUTO and not (actor.is_manager or actor.is_workspace_admin):
        raise PermissionDenied(
            _("Only managers can hand imported leads to the assignment rule."), field="owner"
        )
    if owner_choice not in OwnerChoice.values:
        raise DomainError(_("Choose who owns the new customers."), field="owner")
    return None


@transaction.atomic
def import_job_start(
    *,
    actor,
    job_id: int,
    mapping: dict,
    on_duplicate: str = OnDuplicate.SKIP,
    owner_choice: str = OwnerChoice.ME,
    owner=None,
    dry_run: bool = False,
    enqueue: bool = True,
) -> ImportJob:
    """Confirm the mapping and the choices, and queue the import (or leave it to the caller
    to run inline when ``enqueue`` is false)."""
    job = _locked_job(actor, job_id)
    if job.status != JobStatus.MAPPING:
        raise DomainError(_("This import has already been started."))
    if on_duplicate not in OnDuplicate.values:
        raise DomainError(_("Choose what to do with duplicates."), field="on_duplicate")
    cleaned = columns.check_mapping(
        {int(index): key for index, key in mapping.items()}, len(job.headers)
    )
    job.owner = _check_owner(actor, owner_choice, owner)
    job.mapping = {str(index): key for index, key in sorted(cleaned.items())}
    job.on_duplicate, job.owner_choice, job.dry_run = on_duplicate, owner_choice, dry_run
    job.status = JobStatus.QUEUED
    job.save()
    if enqueue:
        _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from tradewind.customers.imports.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job_id))


def is_stalled(job: ImportJob, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return job.status == JobStatus.RUNNING and job.updated_at < now - STALE_AFTER


@transaction.atomic
def import_job_resume(*, actor, job_id: int, now: datetime | None = None) -> ImportJob:
    """Queue a stopped (or killed) import again; it goes on after its last written batch."""
    job = _locked_job(actor, job_id)
    if not (job.status == JobStatus.FAILED or is_stalled(job, now)):
        raise DomainError(_("This import is not stopped."))
    job.status, job.error = JobStatus.QUEUED, ""
    job.save(update_fields=["status", "error", "updated_at"])
    _enqueue(job.pk)
    return job


@transaction.atomic
def import_job_run_for_real(*, actor, job_id: int) -> ImportJob:
    """After a dry run: the same file, mapping and choices, imported for real."""
    dry = _locked_job(actor, job_id)
    if not dry.dry_run or dry.status != JobStatus.DONE:
        raise DomainError(_("Only a finished dry run can be imported for real."))
    content = _content(dry)
    job = ImportJob.objects.create(
        created_by=actor,
        **{
            name: getattr(dry, name)
            for name in (
                "file_name",
                "file_sha256",
                "file_size_bytes",
                "file_kind",
                "encoding",
                "delimiter",
                "header_row",
                "headers",
                "mapping",
                "on_duplicate",
                "owner_choice",
                "owner",
            )
        },
        dry_run=False,
        status=JobStatus.QUEUED,
        dry_run_of=dry,
    )
    ImportFile.objects.create(job=job, content=content)
    _enqueue(job.pk)
    return job


def import_job_run(*, job_id: int, now=None, on_batch=None):
    """Run (or resume) a queued import to the end (running.py)."""
    from tradewind.customers.imports.running import run_job

    return run_job(job_id=job_id, now=now, on_batch=on_batch)
