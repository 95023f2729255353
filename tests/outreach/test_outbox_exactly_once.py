"""Exactly once, with real processes: the worker is killed with SIGKILL in the middle of sending,
restarted, and every message still arrives exactly once at a real SMTP server (aiosmtpd).

The worker runs as ``tradewind worker`` (and ``tradewind outbox``) in a subprocess against a
database it can reach: on SQLite a file copy of the test database (``VACUUM INTO``), on
PostgreSQL the test database itself (the test commits, ``transaction=True``). The lease is 2 s so
that recovery is quick.

Where the kills land: the sink holds the SMTP conversation at a chosen point until the test has
killed the worker — (1) in the middle of a transaction (at RCPT), (2) after the whole message
was sent but before the server answered (the server then does not take it), (3) right after a
fresh worker connected, with a claimed batch in hand. These are the moments a crash can hit
outside the one window the outbox documents as open (after the server's 250, before the
commit — see ``outreach.outbox``), which a kill at a random moment could also hit, making the
test flaky by design rather than by fault.
"""

import asyncio
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.outreach.smtp_servers import Sink, _start
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.mailboxes import mailbox_save
from tradewind.outreach.models import OutboundMessage
from tradewind.outreach.outbox import enqueue_message

REPO = Path(__file__).resolve().parents[2]
TRADEWIND = str(REPO / ".venv" / "bin" / "tradewind")
LEASE_SECONDS = 2
DEADLINE_SECONDS = 90


@dataclass
class Trap:
    """Hold the conversation at ``step`` once ``after`` messages have arrived."""

    step: str  # "ehlo", "rcpt" or "data"
    after: int
    sprung: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


class TrappingSink(Sink):
    """A sink that can freeze one SMTP conversation until the test has killed the worker."""

    def __init__(self):
        super().__init__()
        self.trap: Trap | None = None

    async def _hold(self, step: str) -> bool:
        trap = self.trap
        if trap is None or trap.step != step or len(self.received) < trap.after:
            return False
        self.trap = None
        trap.sprung.set()
        while not trap.released.is_set():
            await asyncio.sleep(0.01)
        return True

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        await self._hold("ehlo")
        return await super().handle_EHLO(server, session, envelope, hostname, responses)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if await self._hold("rcpt"):
            return "421 4.3.0 Shutting down"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        if await self._hold("data"):
            return "451 4.3.0 Not stored"  # the message was never taken
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def trapping_sink():
    sink = TrappingSink()
    controller = _start(sink)
    try:
        yield sink
    finally:
        controller.stop()


class Outside:
    """The database as a worker process sees it: an env for the subprocess, and reads."""

    def __init__(self, tmp_path: Path):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tradewind.config.settings",
            "TRADEWIND_SECRET_KEY": settings.SECRET_KEY,
            "TRADEWIND_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "TRADEWIND_LOG_LEVEL": "WARNING",
            "TRADEWIND_DATA_DIR": str(tmp_path),
        }
        self.sqlite_file = None
        if connection.vendor == "sqlite":
            self.sqlite_file = tmp_path / "tradewind.sqlite3"
            self.env.pop("DATABASE_URL", None)
        else:
            db = connection.settings_dict
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            self.env["DATABASE_URL"] = (
                f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            )

    def hand_over(self) -> None:
        """Make what the test wrote visible to the worker processes."""
        if self.sqlite_file is not None:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(self.sqlite_file)])

    def statuses(self) -> Counter:
        if self.sqlite_file is None:
            return Counter(OutboundMessage.objects.values_list("status", flat=True))
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            rows = db.execute("SELECT status FROM outreach_outboundmessage").fetchall()
        return Counter(status for (status,) in rows)

    def rows(self) -> list[tuple]:
        """(idempotency_key, message_id, attempts) of every message."""
        if self.sqlite_file is None:
            return list(
                OutboundMessage.objects.values_list("idempotency_key", "message_id", "attempts")
            )
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            return db.execute(
                "SELECT idempotency_key, message_id, attempts FROM outreach_outboundmessage"
            ).fetchall()

    def timeline_emails(self) -> int:
        query = "SELECT count(*) FROM customers_activity WHERE kind = 'email'"
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchone()[0]
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            return db.execute(query).fetchone()[0]

    def start(self, *command, log: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [TRADEWIND, *command],
            env=self.env,
            cwd=REPO,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )


def schedule(owner, port: int, count: int) -> None:
    mailbox = mailbox_save(
        actor=owner,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        daily_cap=10_000,
        min_interval_seconds=0,
    )
    company = CompanyFactory(owner=owner, name="Nordlicht Leuchten GmbH")
    now = timezone.now()
    for number in range(count):
        key = f"kill-{number:03d}"
        enqueue_message(
            idempotency_key=key,
            mailbox=mailbox,
            to_email=f"buyer{number}@nordlicht.de",
            subject=f"Letter {key}",
            body_text=f"Dear buyer {number},\n\nour catalogue is attached.\n\nLily",
            scheduled_at=now,
            company=company,
            created_by=owner,
        )


def wait_until(condition, what: str, seconds: float = DEADLINE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def assert_each_arrived_exactly_once(sink: Sink, outside: Outside, count: int) -> None:
    by_message_id = Counter(m["Message-ID"] for m in sink.messages())
    by_key = Counter(str(m["Subject"]).removeprefix("Letter ") for m in sink.messages())
    duplicates = {mid: n for mid, n in by_message_id.items() if n > 1}
    assert not duplicates, f"sent twice: {duplicates}"
    assert not {key: n for key, n in by_key.items() if n > 1}
    rows = outside.rows()
    assert {key for key, _mid, _attempts in rows} == set(by_key), "missing at the sink"
    assert {mid for _key, mid, _attempts in rows} == set(by_message_id)
    assert len(by_key) == count
    assert outside.statuses() == Counter({MessageStatus.SENT: count})
    assert outside.timeline_emails() == count


@pytest.mark.django_db(transaction=True)
def test_exactly_once_though_the_worker_is_killed_three_times_while_sending(
    rep, trapping_sink, tmp_path
):
    count = 300
    schedule(rep, trapping_sink.port, count)
    outside = Outside(tmp_path)
    outside.hand_over()
    log = tmp_path / "worker.log"
    traps = [Trap("rcpt", after=40), Trap("data", after=120), Trap("ehlo", after=0)]
    kills = 0
    worker = None
    try:
        for trap in traps:
            trapping_sink.trap = trap
            worker = outside.start("worker", "--no-scheduler", log=log)
            assert trap.sprung.wait(DEADLINE_SECONDS), log.read_text()
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            kills += 1
            trap.released.set()
        worker = outside.start("worker", "--no-scheduler", log=log)
        wait_until(
            lambda: (
                outside.statuses()[MessageStatus.SENT] == count
                and outside.timeline_emails() == count
            ),
            "all 300 sent and filed",
        )
    finally:
        if worker is not None:
            stop(worker)
    assert kills == 3
    assert_each_arrived_exactly_once(trapping_sink, outside, count)
    reclaimed = [attempts for _key, _mid, attempts in outside.rows() if attempts > 1]
    assert reclaimed, "no message was taken over after a kill: the kills missed the work"


@pytest.mark.django_db(transaction=True)
def test_exactly_once_with_two_outbox_processes_sending_at_the_same_time(rep, smtp_sink, tmp_path):
    count = 200
    schedule(rep, smtp_sink.port, count)
    outside = Outside(tmp_path)
    outside.hand_over()
    log = tmp_path / "outbox.log"
    command = ("outbox", "--exit-when-idle", "--batch-size", "5", "--interval", "0.1")
    workers = [outside.start(*command, log=log) for _ in range(2)]
    try:
        for worker in workers:
            assert worker.wait(timeout=DEADLINE_SECONDS) == 0, log.read_text()
    finally:
        for worker in workers:
            stop(worker)
    assert_each_arrived_exactly_once(smtp_sink, outside, count)
    sent_by = Counter(line.split()[2] for line in log.read_text().splitlines() if "sent" in line)
    assert len(sent_by) >= 1
