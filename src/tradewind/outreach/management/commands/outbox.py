"""``tradewind outbox``: send the outbox, on its own (``tradewind worker`` also does it).

Run it for dedicated sending processes (any number, on any machine that reaches the database),
or with ``--exit-when-idle`` to send what is due and stop. SIGTERM and Ctrl-C finish the message
being sent, hand the rest of the batch back and exit.
"""

import signal
import threading

from django.core.management.base import BaseCommand

from tradewind.outreach.dispatch import run_dispatcher


class Command(BaseCommand):
    help = "Send due outbox messages by SMTP, exactly once, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=20, help="Messages per claim.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when nothing is due."
        )
        parser.add_argument(
            "--exit-when-idle",
            action="store_true",
            help="Stop once nothing is due and no message is being sent.",
        )

    def handle(self, *args, batch_size, interval, exit_when_idle, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        sent = run_dispatcher(
            stop,
            batch_size=max(1, batch_size),
            idle_seconds=max(0.05, interval),
            exit_when_idle=exit_when_idle,
        )
        self.stdout.write(f"outbox: sent {sent} message(s)")
