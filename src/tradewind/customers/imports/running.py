"""Running an import batch by batch (``services.import_job_run`` calls ``run_job``).

Each batch of ``IMPORT_BATCH_SIZE`` rows (default 500) is decided (runner.py) and written
(writer.py) in one transaction with its ``ImportRow`` records and the job's counters, with the
job row locked: a second worker on the same job waits, then skips the rows already recorded.
A job stopped by an error, or killed, goes on from the first row without a record when it runs
again; a dry run writes nothing but its report, so it starts over. The run speaks the language
of the user who started it: the reasons in the report are stored in that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from tradewind.core.audit import audit_record
from tradewind.customers.dedup.engine import find_duplicates_bulk
from tradewind.customers.imports import runner, writer
from tradewind.customers.imports.choices import JobStatus, OnDuplicate, Outcome, OwnerChoice
from tradewind.customers.imports.models import ImportFile, ImportJob, ImportRow
from tradewind.customers.imports.services import _content, _info, data_rows
from tradewind.customers.imports.validation import CleanRow, clean_row
from tradewind.customers.models import Company


def batch_size() -> int:
    return int(getattr(settings, "IMPORT_BATCH_SIZE", 500))


def _claim(job_id: int, now: datetime) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.MAPPING):
            return None
        if job.dry_run and job.rows_done:  # a dry run wrote nothing else: start over
            job.rows.all().delete()
            job.rows_done = job.created_count = job.updated_count = 0
            job.skipped_count = job.rejected_count = 0
        job.status, job.error = JobStatus.RUNNING, ""
        job.started_at = job.started_at or now
        job.save()
        return job


def _owner_resolver(job: ImportJob) -> Callable[[str], object]:
    if job.owner_choice == OwnerChoice.ME:
        return lambda country: job.created_by
    if job.owner_choice == OwnerChoice.USER:
        return lambda country: job.owner
    if job.owner_choice == OwnerChoice.AUTO:
        try:
            from tradewind.customers.pool.assignment import owner_for_new_lead
        except ImportError:  # no assignment rules in this workspace's version
            return lambda country: None
        return lambda country: owner_for_new_lead(actor=job.created_by, country=country)
    return lambda country: None


def _prior_imports(job: ImportJob, fingerprints: list[str]) -> dict[str, runner.Prior]:
    rows = (
        ImportRow.objects.filter(
            fingerprint__in=fingerprints,
            outcome__in=(Outcome.CREATED, Outcome.UPDATED),
            company__isnull=False,
            job__dry_run=False,
        )
        .exclude(job=job)
        .values_list("fingerprint", "company_id", "job__file_name", "row_number")
        .order_by("pk")
    )
    prior = {}
    for fingerprint, company_id, file_name, row_number in rows:
        prior.setdefault(fingerprint, runner.Prior(company_id, file_name, row_number))
    return prior


def _fillable(actor, matches: dict[int, list]) -> set[int]:
    ids = {found[0].company_id for found in matches.values() if found}
    if not ids:
        return set()
    return set(Company.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass
class RunState:
    job: ImportJob
    mapping: dict[int, str]
    index: runner.InFileIndex
    owner_for: Callable[[str], object]
    now: datetime


def _run_batch(state: RunState, batch: list[tuple[int, list[str]]]) -> int:
    """Decide and write one batch in one transaction; returns the number of rows recorded."""
    job = state.job
    with transaction.atomic():
        ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("pk").first()
        recorded = set(
            ImportRow.objects.filter(job=job, row_number__in=[n for n, _c in batch]).values_list(
                "row_number", flat=True
            )
        )
        rows = [clean_row(n, cells, state.mapping) for n, cells in batch if n not in recorded]
        clean = [row for row in rows if isinstance(row, CleanRow)]
        prior = _prior_imports(job, [row.fingerprint for row in clean])
        to_check = [row for row in clean if row.fingerprint not in prior]
        found = find_duplicates_bulk([row.candidate for row in to_check], limit=1)
        matches = {row.row_number: hits for row, hits in zip(to_check, found, strict=True)}
        ctx = runner.BatchContext(
            on_duplicate=job.on_duplicate,
            index=state.index,
            prior=prior,
            matches=matches,
            fillable=_fillable(job.created_by, matches)
            if job.on_duplicate == OnDuplicate.FILL
            else set(),
        )
        decisions = runner.decide_batch(rows, ctx)
        wctx = writer.WriteContext(job, job.created_by, state.owner_for, state.now, job.dry_run)
        created, fills = writer.plan_batch(decisions, wctx)
        if not job.dry_run:
            created, filled = writer.save_batch(created, fills, wctx)
            writer.refresh_derived(
                created, filled, with_pairs=job.on_duplicate == OnDuplicate.CREATE
            )
        writer.write_rows(decisions, job)
        _count(job, decisions)
    return len(rows)


def _count(job: ImportJob, decisions: list[runner.Decision]) -> None:
    tally = {outcome: 0 for outcome in Outcome.values}
    for decision in decisions:
        tally[decision.outcome] += 1
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=F("rows_done") + len(decisions),
        created_count=F("created_count") + tally[Outcome.CREATED],
        updated_count=F("updated_count") + tally[Outcome.UPDATED],
        skipped_count=F("skipped_count") + tally[Outcome.SKIPPED_DUPLICATE],
        rejected_count=F("rejected_count") + tally[Outcome.REJECTED],
        updated_at=timezone.now(),
    )


def run_job(
    *,
    job_id: int,
    now: datetime | None = None,
    on_batch: Callable[[ImportJob], None] | None = None,
) -> ImportJob | None:
    """Run (or resume) a queued import to the end. ``on_batch`` is called after each batch
    is committed, with the job's fresh counters (the console's progress bar)."""
    now = now or timezone.now()
    job = _claim(job_id, now)
    if job is None:
        return None
    language = getattr(job.created_by, "language", None) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            _run(job, now, on_batch)
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    return ImportJob.objects.get(pk=job.pk)


def _run(job: ImportJob, now: datetime, on_batch) -> None:
    content, info = _content(job), _info(job)
    if job.total_rows is None:
        job.total_rows = sum(1 for _row in data_rows(content, info, job.header_row))
        ImportJob.objects.filter(pk=job.pk).update(
            total_rows=job.total_rows, updated_at=timezone.now()
        )
    state = runner_state(job, now)
    size = batch_size()
    batch: list[tuple[int, list[str]]] = []
    for number, cells in data_rows(content, info, job.header_row):
        batch.append((number, cells))
        if len(batch) >= size:
            _run_batch(state, batch)
            batch = []
            if on_batch is not None:
                on_batch(ImportJob.objects.get(pk=job.pk))
    if batch:
        _run_batch(state, batch)
    _finish(job)
    if on_batch is not None:
        on_batch(ImportJob.objects.get(pk=job.pk))


def runner_state(job: ImportJob, now: datetime) -> RunState:
    return RunState(
        job=job,
        mapping={int(index): key for index, key in job.mapping.items()},
        index=runner.InFileIndex(),
        owner_for=_owner_resolver(job),
        now=now,
    )


@transaction.atomic
def _finish(job: ImportJob) -> None:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save()
    audit_record(
        actor=job.created_by,
        action="import",
        instance=job,
        changes={
            "file": job.file_name,
            "dry_run": job.dry_run,
            "rows": job.rows_done,
            "created": job.created_count,
            "updated": job.updated_count,
            "skipped_duplicates": job.skipped_count,
            "rejected": job.rejected_count,
        },
    )
    if not job.dry_run:
        ImportFile.objects.filter(job=job).delete()
