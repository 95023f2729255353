"""``tradewind import-leads FILE --owner USERNAME [--on-duplicate skip|fill|create] [--dry-run]
[--json]``: import a lead list (CSV or XLSX) from the console, with the columns mapped
automatically, as USERNAME (who owns the new customers).

Prints a summary (or, with ``--json``, ``{"rows", "created", "updated", "skipped_duplicates",
"errors": [{"row", "reason"}]}``); on a terminal a progress bar goes to stderr. A file that
cannot be imported at all exits with status 1 and changes nothing.
"""

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tradewind.accounts.models import User
from tradewind.core.errors import DomainError
from tradewind.customers.imports import parsing, services
from tradewind.customers.imports.choices import OnDuplicate, Outcome
from tradewind.customers.imports.models import ImportRow

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import leads (companies and contacts) from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")
        parser.add_argument(
            "--owner", required=True, help="username of who imports and owns the new customers"
        )
        parser.add_argument(
            "--on-duplicate",
            choices=OnDuplicate.values,
            default=OnDuplicate.SKIP,
            help="skip the row, fill the existing customer's empty fields, or create anyway",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, change nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, file, owner, on_duplicate, dry_run, **options):
        user = User.objects.filter(username=owner, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {owner!r}.")
        content = self._read(file)
        try:
            job = services.import_job_create(actor=user, content=content, file_name=file.name)
            services.import_job_start(
                actor=user,
                job_id=job.pk,
                mapping=job.mapping,
                on_duplicate=on_duplicate,
                dry_run=dry_run,
                enqueue=False,
            )
        except DomainError as exc:
            raise CommandError(f"{file}: {exc.message}") from exc
        job = services.import_job_run(job_id=job.pk, on_batch=self._progress_bar())
        self._report(job, as_json=options["json"])

    def _read(self, path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > parsing.max_upload_bytes():
            raise CommandError(f"{path}: {parsing.too_large_message(path.stat().st_size)}")
        return path.read_bytes()

    def _progress_bar(self):
        stream = sys.stderr
        if not stream.isatty() or os.environ.get("TERM") == "dumb":
            return None

        def draw(job):
            total = job.total_rows or 0
            filled = int(BAR_WIDTH * job.rows_done / total) if total else BAR_WIDTH
            stream.write(
                f"\rImporting [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{job.rows_done:,}/{total:,} rows"
            )
            if job.is_finished:
                stream.write("\n")
            stream.flush()

        return draw

    def _report(self, job, *, as_json: bool) -> None:
        errors = [
            {"row": row_number, "reason": reason}
            for row_number, reason in ImportRow.objects.filter(
                job=job, outcome=Outcome.REJECTED
            ).values_list("row_number", "reason")
        ]
        result = {
            "rows": job.rows_done,
            "created": job.created_count,
            "updated": job.updated_count,
            "skipped_duplicates": job.skipped_count,
            "errors": errors,
        }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        verb = "would be" if job.dry_run else "were"
        self.stdout.write(
            f"{job.rows_done} rows: {job.created_count} {verb} created, {job.updated_count} "
            f"{verb} updated, {job.skipped_count} skipped as duplicates, {len(errors)} rejected."
        )
        for error in errors:
            self.stdout.write(f"  row {error['row']}: {error['reason']}")
