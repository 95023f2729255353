"""Gapless document numbers per kind and year: QT-2026-0001, PI-2026-0001, SC-2026-0001.

:func:`next_number` must run inside the transaction that saves the document. It increments the
year's counter row with one UPDATE, which takes the row's write lock (PostgreSQL) or the
database's write lock (SQLite, whose transactions start IMMEDIATE), so two users saving at the
same moment queue on the counter and get consecutive numbers; a save that rolls back rolls the
counter back with it, so no number is lost.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from tradewind.core.models import DocumentCounter


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def next_number(prefix: str, year: int) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the document")
    counter = DocumentCounter.objects.filter(prefix=prefix, year=year)
    if not counter.update(last_number=F("last_number") + 1):
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(prefix=prefix, year=year, last_number=1)
        except IntegrityError:  # another transaction created the year's counter first
            counter.update(last_number=F("last_number") + 1)
    return format_number(prefix, year, counter.values_list("last_number", flat=True).get())
