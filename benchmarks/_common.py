"""Shared helpers of the benchmarks: Django set-up on a dedicated data folder, bulk inserts with raw
``sqlite3`` through the models' own columns, timing, percentiles, the table and the JSON line.
The customer data set itself is in ``_seed.py``.

Every benchmark ends by printing one JSON line (``result_line``); ``met`` is true only when every
goal of that benchmark holds.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_DIR / ".bench"  # git-ignored

# --- Django on a dedicated data folder ------------------------------------------------------


def django_setup(data_dir: Path) -> Path:
    """Point the settings at ``data_dir`` (its own SQLite file), set Django up, return the file.

    Production settings otherwise: DEBUG off, the same middleware, templates and SQLite options.
    The only overrides: the test client's host is allowed, the static files storage does not need
    a ``collectstatic`` manifest, and the log stays quiet.
    """
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT, for WhiteNoise
    os.environ["DJANGO_SETTINGS_MODULE"] = "tradewind.config.settings"
    os.environ["TRADEWIND_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["TRADEWIND_DEBUG"] = "0"
    os.environ["TRADEWIND_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["TRADEWIND_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("TRADEWIND_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 30)
    sys.path.insert(0, str(REPO_DIR / "src"))

    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    import django

    django.setup()
    return Path(settings.DATABASES["default"]["NAME"])


def migrate_quietly() -> list[str]:
    """Apply the migrations; return the names of those just applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    before = set(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", verbosity=0, interactive=False)
    after = set(MigrationRecorder(connection).applied_migrations())
    return sorted(f"{app}.{name}" for app, name in after - before)


def unknown_applied_migrations() -> list[str]:
    """Migrations recorded in the database that the code no longer has (a reverted patch)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in loader.applied_migrations
        if (app, name) not in loader.disk_migrations and app in loader.migrated_apps
    )


# --- Timing and statistics -------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0–100) with linear interpolation, as numpy's default."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values_ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(values_ms, 50),
        "p95": percentile(values_ms, 95),
        "mean": statistics.fmean(values_ms) if values_ms else math.nan,
        "n": len(values_ms),
    }


def time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def time_wall_cpu(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and this thread's CPU time of one call, in ms. On a machine shared with other
    work the wall clock includes waiting for a CPU; the CPU time does not."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def load_average() -> float:
    """The 1-minute load average (2 cores here: above ~1.5, other work competes for CPU)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return math.nan


# --- Output ----------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    text_rows = [[_cell(value) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in text_rows:
        print(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.2f}"
    return str(value)


def result_line(
    *,
    benchmark: str,
    value: float,
    unit: str,
    baseline: float,
    ratio: float,
    goal: str,
    met: bool,
    **extra: object,
) -> str:
    """The one JSON line every benchmark ends with."""
    record = {
        "benchmark": benchmark,
        "value": _round(value),
        "unit": unit,
        "baseline": _round(baseline),
        "ratio": _round(ratio),
        "goal": goal,
        "met": bool(met),
        **{key: _round(val) for key, val in extra.items()},
    }
    line = json.dumps(record, ensure_ascii=False)
    print(line, flush=True)
    return line


def _round(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


# --- Bulk rows through the models' own column list -------------------------------------------


def insert_rows(conn: sqlite3.Connection, model, columns: Sequence[str], rows: Iterable) -> int:
    """``executemany`` into ``model``'s table; columns not given get the field's default.

    A column the code adds later with a default (or NULL allowed) is filled automatically; a new
    required column without a default stops the seeding with a clear message.
    """
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    given = list(columns)
    extra_cols, extra_vals = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.attname in given:
            continue
        if field.primary_key:
            continue
        if field.default is not NOT_PROVIDED:
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = db_time(datetime.now(UTC))
        elif field.blank and field.get_internal_type() in {"CharField", "TextField"}:
            value = ""
        else:
            raise SystemExit(
                f"benchmarks: {model.__name__}.{field.name} is required and has no default; "
                "teach benchmarks/_seed.py what to put there."
            )
        extra_cols.append(field.column)
        extra_vals.append(value)
    column_names = [model._meta.get_field(name).column for name in given] + extra_cols
    quoted = ", ".join(f'"{column}"' for column in column_names)
    marks = ", ".join("?" * len(column_names))
    sql = f'INSERT INTO "{model._meta.db_table}" ({quoted}) VALUES ({marks})'
    tail = tuple(extra_vals)
    count = 0

    def with_tail():
        nonlocal count
        for row in rows:
            count += 1
            yield (*row, *tail)

    conn.executemany(sql, with_tail())
    return count


def db_time(moment: datetime) -> str:
    """How Django stores an aware datetime in SQLite: naive UTC text."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


# --- Planner statistics ----------------------------------------------------------------------


def analyze(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("ANALYZE")
    conn.close()


def has_planner_stats(db_path: Path) -> bool:
    """Whether ANALYZE has left statistics (``sqlite_stat1``) for the query planner."""
    conn = sqlite3.connect(db_path)
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0])
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def drop_planner_stats(db_path: Path) -> None:
    """Forget ANALYZE's statistics, as in a database nobody has analysed (Django never does)."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DELETE FROM sqlite_stat1")
        conn.commit()
    except sqlite3.OperationalError:
        pass
    finally:
        conn.close()
