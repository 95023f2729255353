"""Benchmark: the outbox sending 10k personalised letters, against a plain smtplib loop.

Goals (issue 5): the outbox's rate at least 50 % of the raw rate, 0 duplicates, 0 missing.

    .venv/bin/python benchmarks/outbox.py [--messages 10000] [--workers 2] [--profile]

Both sides send to a local SMTP sink (aiosmtpd in its own process) that counts what arrives by
Message-ID.

- Raw: the same letters, rendered beforehand (not timed), sent by one ``smtplib`` connection in a
  loop — the fastest a single Python process can push them into this sink.
- Outbox: two worker processes (``--workers``), each rendering its share of the letters from a
  template with merge fields (``outreach.templating.render_template`` when present, else Django's
  template engine) and enqueueing them a hundred at a time (``enqueue_messages``, as a sequence
  or a mass letter does: one transaction, one row and one audit event per letter), then both
  running the real dispatcher (``run_dispatcher``, as ``tradewind worker`` does: atomic claims
  of a batch under a lease, Message-IDs stored before sending, one conditional UPDATE committed
  after each 250, the batch filed on the timelines) until the outbox is empty. Timed from the
  moment both processes are set up (Django loaded, with its URL configuration, as in a worker
  that has been running) until the last one is done: rendering, enqueueing and sending, all of
  it. The workers' CPU time per message is printed too: it moves less than the rate with other
  work on the machine.

The database is SQLite in .bench/outbox/ (made anew each run), as in a one-office install. The
rate is messages per second of wall-clock time; the machine has 2 cores shared by the sink, the
workers and the database, so the figure moves with other work on it (the load average is
printed). Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

RATIO_GOAL = 0.5
GOAL = f"ratio >= {RATIO_GOAL:g} and duplicates == 0 and missing == 0"
N_COMPANIES = 100
ENQUEUE_CHUNK = 100
PG_DATABASE = "tradewind_bench_outbox"
SUBJECT = "{{ contact.first_name }}, LED panels for {{ company.name }}"
BODY = """Dear {{ contact.first_name }},

I hope this finds you well in {{ company.country_name }}. {{ company.name }} buys
{{ company.products_of_interest }}, and we have made LED lighting for buyers like you for
twelve years: CE and RoHS certified, 5-year warranty, samples in 7 days.

Our new catalogue is attached. Would a price list for your market be useful?

Best regards,
{{ me.name }}
{{ me.signature }}
"""
FIRST = ["Anna", "Lukas", "Sofia", "Mateo", "Olivia", "Noah", "Aisha", "Omar", "Mei", "Ravi"]
LAST = ["Weber", "Rossi", "García", "Dubois", "Nowak", "Silva", "Khan", "Tanaka", "Müller"]
PRODUCTS = ["LED panels", "street lights", "high bay lights", "solar lamps", "LED strips"]
COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "AE", "SA", "US", "BR", "AU"]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The sink (its own process) --------------------------------------------------------------


def run_sink(port: int, summary_file: Path) -> int:
    """Accept everything on ``port``; on SIGTERM write what arrived (by Message-ID)."""
    from aiosmtpd.controller import Controller

    received: Counter = Counter()
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            found = MESSAGE_ID.search(envelope.content)
            with lock:
                received[found.group(1).decode() if found else ""] += 1
            return "250 2.0.0 Accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    summary_file.write_text(json.dumps({"received": dict(received)}))
    return 0


class Sink:
    def __init__(self, work_dir: Path, name: str):
        self.port = free_port()
        self.summary = work_dir / f"sink-{name}.json"
        self.process = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--role",
                "sink",
                "--port",
                str(self.port),
                "--summary",
                str(self.summary),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> Counter:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        return Counter(json.loads(self.summary.read_text())["received"])


# --- Data ------------------------------------------------------------------------------------


def recipients(count: int) -> list[dict]:
    """The personal values of each letter: deterministic, like a customer list."""
    pick = random.Random(5)
    return [
        {
            "to": f"buyer{index}@{pick.choice(['gmail.com', 'buyer.example', 'import.example'])}",
            "first_name": pick.choice(FIRST),
            "last_name": pick.choice(LAST),
            "company": index % N_COMPANIES,
        }
        for index in range(count)
    ]


def seed(count: int, sink_port: int, work_dir: Path) -> None:
    from tradewind.accounts.services import user_create
    from tradewind.customers.services import company_create
    from tradewind.outreach.mailboxes import mailbox_save
    from tradewind.outreach.models import EmailTemplate

    rep = user_create(
        actor=None,
        username="bench.rep",
        password="bench-only-Pa55",  # noqa: S106 - a throw-away benchmark user
        role="sales",
        team_name="Europe",
        email="lily@exporter.example",
        first_name="Lily",
        last_name="Zhang",
    )
    rep.signature = "Lily Zhang · Sales Manager · Ningbo Brightway Lighting Co., Ltd."
    rep.save(update_fields=["signature"])  # no service sets the signature yet
    mailbox_save(
        actor=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=sink_port,
        smtp_security="none",
        daily_cap=count * 2,
        min_interval_seconds=0,
    )
    EmailTemplate.objects.create(
        name="First letter", language="en", subject=SUBJECT, body=BODY, owner=rep
    )
    pick = random.Random(7)
    for index in range(N_COMPANIES):
        company_create(
            actor=rep,
            name=f"{pick.choice(LAST)} Lighting {index} Trading",
            country=COUNTRIES[index % len(COUNTRIES)],
            products_of_interest=pick.choice(PRODUCTS),
        )
    (work_dir / "recipients.json").write_text(json.dumps(recipients(count)))


class Letters:
    """Renders a letter for one recipient, through the project's merge engine when present."""

    def __init__(self):
        from tradewind.accounts.models import User
        from tradewind.customers import geo
        from tradewind.customers.models import Company
        from tradewind.outreach.models import EmailTemplate

        self.rep = User.objects.get(username="bench.rep")
        self.template = EmailTemplate.objects.get(name="First letter")
        self.companies = list(Company.objects.order_by("pk"))
        self.geo = geo
        try:
            from tradewind.outreach import templating

            self.templating = templating
        except ImportError:
            self.templating = None
            from django.template import Context, Engine

            engine = Engine(autoescape=False)
            self.Context = Context
            self.subject, self.body = engine.from_string(SUBJECT), engine.from_string(BODY)

    def values(self, person: dict) -> dict:
        company = self.companies[person["company"]]
        return {
            "contact": {"first_name": person["first_name"], "last_name": person["last_name"]},
            "company": {
                "name": company.name,
                "country_name": self.geo.country_name(company.country, "en"),
                "products_of_interest": company.products_of_interest,
            },
            "me": {"name": "Lily Zhang", "signature": self.rep.signature, "email": self.rep.email},
        }

    def render(self, person: dict) -> tuple[str, str]:
        values = self.values(person)
        if self.templating is not None:
            merge = self.templating.MergeContext(values=values)
            rendered = self.templating.render_template(self.template, merge)
            return rendered.subject, rendered.body
        context = self.Context(values, autoescape=False)
        return self.subject.render(context).strip(), self.body.render(context)


# --- Raw: one smtplib connection -------------------------------------------------------------


def prerender(count: int, work_dir: Path) -> list[tuple[str, bytes]]:
    from email import policy
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from django.utils import timezone

    letters = Letters()
    people = json.loads((work_dir / "recipients.json").read_text())
    rendered = []
    for person in people:
        subject, body = letters.render(person)
        mime = EmailMessage(policy=policy.SMTP)
        mime["From"] = Address(display_name="Lily Zhang", addr_spec="lily@exporter.example")
        mime["To"] = person["to"]
        mime["Subject"] = subject
        mime["Date"] = format_datetime(timezone.now())
        mime["Message-ID"] = make_msgid(domain="exporter.example")
        mime.set_content(body, subtype="plain", charset="utf-8")
        rendered.append((person["to"], mime.as_bytes()))
    return rendered


def send_raw(port: int, messages: list[tuple[str, bytes]]) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="bench.local") as connection:
        for to, payload in messages:
            connection.sendmail("lily@exporter.example", [to], payload)
    return time.perf_counter() - start


# --- Outbox: worker processes ----------------------------------------------------------------


def setup(work_dir: Path, database_url: str) -> None:
    """Django on the benchmark's data folder; on PostgreSQL when ``database_url`` is given
    (``_common.django_setup`` is SQLite only: it clears DATABASE_URL, so it is set again here
    before the settings are read)."""
    if not database_url:
        common.django_setup(work_dir)
        return
    (work_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tradewind.config.settings",
        TRADEWIND_DATA_DIR=str(work_dir),
        DATABASE_URL=database_url,
        TRADEWIND_DEBUG="0",
        TRADEWIND_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("TRADEWIND_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 30)
    sys.path.insert(0, str(common.REPO_DIR / "src"))
    import django

    django.setup()


def fresh_postgres_database(url: str) -> str:
    """Drop and create the benchmark's own database; returns its URL."""
    import psycopg

    base, _slash, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{base}/{PG_DATABASE}"


def run_worker(index: int, of: int, work_dir: Path, profile: bool, database_url: str) -> int:
    """Set up, wait for the start signal, render and enqueue this worker's share, wait for the
    others to have enqueued theirs, then send until the outbox is empty."""
    setup(work_dir, database_url)
    from django.urls import get_resolver
    from django.utils import timezone

    from tradewind.outreach.dispatch import run_dispatcher
    from tradewind.outreach.models import Mailbox
    from tradewind.outreach.outbox import Letter, enqueue_messages

    letters = Letters()
    mailbox = Mailbox.objects.get(owner=letters.rep)
    people = json.loads((work_dir / "recipients.json").read_text())
    # The URL configuration (every app's views), which a running worker has loaded long ago:
    # the first unsubscribe link would otherwise import it inside the timed part (~1 s).
    get_resolver().url_patterns  # noqa: B018
    (work_dir / f"ready-{index}").touch()
    while not (work_dir / "go").exists():
        time.sleep(0.005)
    started, cpu_started = time.time(), time.process_time()

    def enqueue(numbers) -> None:
        now = timezone.now()
        letters_out = []
        for number in numbers:
            person = people[number]
            subject, body = letters.render(person)
            letters_out.append(
                Letter(
                    idempotency_key=f"bench-{number}",
                    to_email=person["to"],
                    subject=subject,
                    body_text=body,
                    scheduled_at=now,
                    company=letters.companies[person["company"]],
                    template=letters.template,
                    is_bulk=True,
                )
            )
        enqueue_messages(letters_out, mailbox=mailbox, created_by=letters.rep)

    def work() -> int:
        mine = list(range(index, len(people), of))
        for start in range(0, len(mine), ENQUEUE_CHUNK):
            enqueue(mine[start : start + ENQUEUE_CHUNK])  # one transaction per chunk
        (work_dir / f"enqueued-{index}").write_text(str(time.time()))
        while not all((work_dir / f"enqueued-{i}").exists() for i in range(of)):
            time.sleep(0.005)
        return run_dispatcher(threading.Event(), idle_seconds=0.02, exit_when_idle=True)

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        sent = profiler.runcall(work)
        stats = pstats.Stats(profiler)
        stats.dump_stats(work_dir / f"worker-{index}.prof")
        stats.sort_stats("cumulative").print_stats(30)
    else:
        sent = work()
    end, cpu = time.time(), time.process_time() - cpu_started
    print(json.dumps({"worker": index, "sent": sent, "start": started, "end": end, "cpu": cpu}))
    return 0


def run_outbox(work_dir: Path, workers: int, profile: bool, database_url: str):
    """Run the workers; returns the wall-clock seconds, how many they sent and their CPU
    seconds (all workers together)."""
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--role", "worker", "--index", str(i), "--of", str(workers)]
            + ["--work-dir", str(work_dir), "--postgres", database_url]
            + (["--profile"] if profile and i == 0 else []),
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    while not all((work_dir / f"ready-{i}").exists() for i in range(workers)):
        if any(p.poll() not in (None, 0) for p in processes):
            raise SystemExit("a worker failed to start")
        time.sleep(0.01)
    go = time.time()
    (work_dir / "go").touch()
    reports = []
    for process in processes:
        output, _ = process.communicate(timeout=600)
        if process.returncode:
            raise SystemExit(f"a worker failed:\n{output}")
        if profile:
            print(output)
        reports.append(json.loads(output.strip().splitlines()[-1]))
    seconds = max(report["end"] for report in reports) - go
    enqueued = max(float((work_dir / f"enqueued-{i}").read_text()) for i in range(workers)) - go
    print(f"outbox: all enqueued after {enqueued:.2f} s, all sent after {seconds:.2f} s")
    return seconds, sum(r["sent"] for r in reports), sum(r["cpu"] for r in reports)


# --- Main ------------------------------------------------------------------------------------


def outbox_rows() -> tuple[Counter, set[str]]:
    from tradewind.outreach.models import OutboundMessage

    statuses = Counter(OutboundMessage.objects.values_list("status", flat=True))
    ids = set(OutboundMessage.objects.values_list("message_id", flat=True))
    return statuses, ids


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=common.BENCH_DIR / "outbox")
    parser.add_argument("--profile", action="store_true", help="profile worker 0 (cProfile)")
    parser.add_argument(
        "--postgres",
        default="",
        metavar="URL",
        help="run on PostgreSQL: a server URL such as postgres://postgres@127.0.0.1:5432/x "
        f"(the benchmark makes its own database {PG_DATABASE} there)",
    )
    parser.add_argument("--role", choices=["main", "sink", "worker"], default="main")
    parser.add_argument("--port", type=int)
    parser.add_argument("--summary", type=Path)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--of", type=int, default=1)
    parser.add_argument("--work-dir", type=Path)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.role == "sink":
        return run_sink(args.port, args.summary)
    if args.role == "worker":
        return run_worker(args.index, args.of, args.work_dir, args.profile, args.postgres)
    work_dir = args.data_dir.resolve()
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    database_url = fresh_postgres_database(args.postgres) if args.postgres else ""
    setup(work_dir, database_url)
    common.migrate_quietly()
    database = "PostgreSQL" if database_url else "SQLite"
    print(f"outbox benchmark: {args.messages} letters, {args.workers} workers, {database}")

    raw_sink = Sink(work_dir, "raw")
    outbox_sink = Sink(work_dir, "outbox")
    try:
        seed(args.messages, outbox_sink.port, work_dir)
        from django.db import connection

        connection.close()
        messages = prerender(args.messages, work_dir)
        load_before = common.load_average()
        raw_seconds = send_raw(raw_sink.port, messages)
        raw_received = raw_sink.stop()
        outbox_seconds, reported_sent, worker_cpu = run_outbox(
            work_dir, args.workers, args.profile, database_url
        )
        outbox_received = outbox_sink.stop()
    finally:
        for sink in (raw_sink, outbox_sink):
            if sink.process.poll() is None:
                sink.process.kill()
    statuses, stored_ids = outbox_rows()

    count = args.messages
    raw_rate = count / raw_seconds
    outbox_rate = count / outbox_seconds
    duplicates = sum(n - 1 for n in outbox_received.values() if n > 1)
    missing = len(stored_ids - set(outbox_received)) + (count - statuses.get("sent", 0))
    ratio = outbox_rate / raw_rate
    common.print_table(
        ["", "messages", "seconds", "msg/s", "arrived", "duplicates"],
        [
            ("raw smtplib loop", count, raw_seconds, raw_rate, sum(raw_received.values()), 0),
            ("outbox, render+send", count, outbox_seconds, outbox_rate,
             sum(outbox_received.values()), duplicates),
        ],
    )  # fmt: skip
    print(f"outbox rows: {dict(statuses)}; sent by the workers: {reported_sent}")
    print(f"workers' CPU: {worker_cpu:.1f} s, {worker_cpu / args.messages * 1000:.2f} ms a message")
    print(f"load average: {load_before:.2f} before, {common.load_average():.2f} after")
    met = ratio >= RATIO_GOAL and duplicates == 0 and missing == 0
    common.result_line(
        benchmark="outbox",
        value=outbox_rate,
        unit="msg/s",
        baseline=raw_rate,
        ratio=ratio,
        goal=GOAL,
        met=met,
        messages=count,
        workers=args.workers,
        database=database,
        duplicates=duplicates,
        missing=missing,
        raw_arrived=sum(raw_received.values()),
        worker_cpu_ms=round(worker_cpu / count * 1000, 3),
        load=common.load_average(),
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
