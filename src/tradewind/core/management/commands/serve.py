"""``tradewind serve``: the app under gunicorn, static files served by WhiteNoise."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class TradewindServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from tradewind.config.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Tradewind over HTTP with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("TRADEWIND_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("TRADEWIND_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("TRADEWIND_WEB_WORKERS", "2"))
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        if not settings.DEBUG and not (settings.STATIC_ROOT / "staticfiles.json").exists():
            self.stderr.write("Static files are not collected: run `tradewind collectstatic`.")
        self.stdout.write(f"Tradewind on http://{host}:{port}/  (Ctrl+C to stop)")
        TradewindServer(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-",
                "timeout": 60,
            }
        ).run()
