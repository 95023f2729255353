"""``tradewind worker``: runs background tasks, enqueues periodic jobs (each once per slot) and
sends the outbox (``tradewind.outreach.dispatch``; ``--no-outbox`` leaves that to others)."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from tradewind.core import scheduler
from tradewind.outreach.dispatch import run_dispatcher

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
            "--batch", action="store_true", help="Run every task waiting now, then exit."
        )

    def handle(self, *args, no_scheduler, no_outbox, max_tasks, interval, batch, **options):
        stop = threading.Event()
        if not no_scheduler:
            threading.Thread(target=self._schedule, args=(stop,), daemon=True).start()
        if not no_outbox and not batch:
            threading.Thread(target=run_dispatcher, args=(stop,), daemon=True).start()
        worker_options = {"interval": interval, "queue_name": "*", "reload": False, "batch": batch}
        if max_tasks is not None:
            worker_options["max_tasks"] = max_tasks
        try:
            call_command("db_worker", **worker_options)
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
