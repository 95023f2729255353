"""Inserting many plain rows without building a model instance for each: the import's own
records (``ImportRow``), its audit events and the duplicate-check keys of new companies.

Django's ``bulk_create`` spends most of its time on each instance (about 60–80 µs a row here),
while these rows need no defaults, signals or returned ids. ``insert_many`` writes the given
columns with one ``executemany`` (pipelined on PostgreSQL), each value prepared by its field as
Django would (JSON for ``JSONField``, aware datetimes, foreign keys as ids). The caller's
transaction applies; nothing is returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

CHUNK_ROWS = 2000


def insert_many(model, field_names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in the order of ``field_names``) into ``model``'s table."""
    fields = [model._meta.get_field(name) for name in field_names]
    preparers = [_preparer(field) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    count = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                tuple(
                    value if prepare is None else prepare(value)
                    for prepare, value in zip(preparers, row, strict=True)
                )
            )
            if len(batch) >= CHUNK_ROWS:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _preparer(field):
    """None when the value goes to the driver as it is (text, numbers, ids), else the field's
    own preparation."""
    if field.get_internal_type() in {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "ForeignKey",
        "BooleanField",
    }:
        return None
    return lambda value: field.get_db_prep_save(value, connection)
