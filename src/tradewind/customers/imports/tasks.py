"""Background job of the lead import (run by ``tradewind worker``)."""

import logging

from django_tasks import task

from tradewind.customers.imports.services import import_job_run

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> int:
    """Run or resume one import; returns the rows recorded so far. An error stops the job
    (its page offers to resume it) and is logged; rows already written stay written."""
    job = import_job_run(job_id=job_id)
    return job.rows_done if job is not None else 0
