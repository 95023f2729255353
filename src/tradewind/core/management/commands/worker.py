"""``tradewind worker``: runs background tasks, enqueues periodic jobs (each once per slot) and
sends the outbox (``tradewind.outreach.dispatch``; ``--no-outbox`` leaves that to others).

The outbox runs as a thread beside the tasks: ``run_dispatcher``, the same loop as
``tradewind outbox`` and benchmarks/outbox.py (claims of ``CLAIM_BATCH`` messages, one SMTP
connection kept open, each message recorded as sent right after the server's 250, the batch
filed on the timelines at once). With ``--batch`` the waiting tasks run first, then the outbox
sends what is due (including mail those tasks queued) and the command exits."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from tradewind.core import scheduler
from tradewind.outreach.dispatch import run_dispatcher
from tradewind.outreach.outbox import CLAIM_BATCH

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks (django-tasks database worker) and the periodic-job scheduler."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Only run tasks; another worker schedules."
        )
        parser.add_argument(
            "--no-outbox", action="store_true", help="Do not send outbox mail in this worker."
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task waiting now and send the outbox mail due now, then exit.",
        )
        parser.add_argument(
            "--outbox-batch-size",
            type=int,
            default=CLAIM_BATCH,
            help="Outbox messages claimed at a time.",
        )

    def handle(
        self,
        *args,
        no_scheduler,
        no_outbox,
        max_tasks,
        interval,
        batch,
        outbox_batch_size,
        **options,
    ):
        stop = threading.Event()
        outbox = {"batch_size": max(1, outbox_batch_size)}
        if not no_scheduler:
            threading.Thread(target=self._schedule, args=(stop,), daemon=True).start()
        if not no_outbox and not batch:
            threading.Thread(
                target=run_dispatcher, args=(stop,), kwargs=outbox, daemon=True
            ).start()
        worker_options = {"interval": interval, "queue_name": "*", "reload": False, "batch": batch}
        if max_tasks is not None:
            worker_options["max_tasks"] = max_tasks
        try:
            call_command("db_worker", **worker_options)
            if batch and not no_outbox:
                run_dispatcher(stop, idle_seconds=0.05, exit_when_idle=True, **outbox)
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                scheduler.tick()
            except Exception:  # a bad tick must not kill the worker; it is logged and retried
                logger.exception("scheduler tick failed")
            finally:
                connection.close()
            stop.wait(scheduler.TICK_SECONDS)
