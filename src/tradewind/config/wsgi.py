"""WSGI entry point for gunicorn (``tradewind serve`` uses it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewind.config.settings")
application = get_wsgi_application()
