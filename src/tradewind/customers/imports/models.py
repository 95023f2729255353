"""Lead imports: the job (one uploaded file and the user's choices), its stored file, and one
record per data row saying what became of it.

Rules:
- ``ImportRow`` is unique per (job, row number) and is written in the same transaction as the
  companies and contacts of its batch: a job killed half-way resumes after the last committed
  batch and never writes a row twice.
- ``ImportRow.fingerprint`` is a hash of the row's cleaned content. A row whose fingerprint was
  already imported by an earlier (real) job into a company that still exists is skipped, so
  importing the same file twice creates nothing new.
- The file lives in the database (``ImportFile``), not on a disk, so a worker on any machine can
  run the job; it is deleted once a real import has finished.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewind.customers.imports.choices import (
    DRY_RUN_LABELS,
    JobStatus,
    OnDuplicate,
    Outcome,
    OwnerChoice,
)


class ImportJob(models.Model):
    """One upload of a lead list and everything needed to run (or resume) its import."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size_bytes = models.PositiveIntegerField(default=0)
    file_kind = models.CharField(max_length=4)  # "csv" or "xlsx"
    encoding = models.CharField(max_length=20, blank=True)  # of a CSV file
    delimiter = models.CharField(max_length=1, blank=True)  # of a CSV file
    header_row = models.PositiveIntegerField(default=1)  # 1-based, as a spreadsheet numbers rows
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # {"column index": "field key"}

    on_duplicate = models.CharField(
        _("duplicates"), max_length=8, choices=OnDuplicate.choices, default=OnDuplicate.SKIP
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    owner_choice = models.CharField(
        _("owner"), max_length=8, choices=OwnerChoice.choices, default=OwnerChoice.ME
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of the new customers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.MAPPING
    )
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    dry_run_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_user_idx")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, round(100 * self.rows_done / self.total_rows))

    def counts(self) -> dict[str, int]:
        return {
            Outcome.CREATED: self.created_count,
            Outcome.UPDATED: self.updated_count,
            Outcome.SKIPPED_DUPLICATE: self.skipped_count,
            Outcome.REJECTED: self.rejected_count,
        }


class ImportFile(models.Model):
    """The uploaded bytes of a job, kept apart so reading the job's progress never loads them."""

    job = models.OneToOneField(
        ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="stored_file"
    )
    content = models.BinaryField()

    def __str__(self) -> str:
        return f"file of import {self.job_id}"


class ImportRow(models.Model):
    """What became of one data row of a file: created, updated, skipped as duplicate, rejected."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))  # as the spreadsheet numbers it
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    label = models.CharField(_("customer"), max_length=200, blank=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_rows",
    )
    fingerprint = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["job", "row_number"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="import_row_once_per_job")
        ]
        indexes = [models.Index(fields=["job", "outcome", "row_number"], name="import_row_idx")]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.outcome}"

    def outcome_label(self, dry_run: bool) -> str:
        if dry_run:
            return str(DRY_RUN_LABELS[Outcome(self.outcome)])
        return str(Outcome(self.outcome).label)
