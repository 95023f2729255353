"""The outbox's bulk path (benchmarks/outbox.py): many letters enqueued at once, claims of a
batch in a fixed number of statements, the payload written without the generator's folding,
the prepared "sent" UPDATE, filing what a batch sent, and ``tradewind worker --batch``."""

import email
import email.policy
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity
from tradewind.outreach import dispatch
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.dispatch import SmtpPool, encoded_words, payload_bytes, send_batch
from tradewind.outreach.mime import SMTP_POLICY, AttachmentData, build_mime
from tradewind.outreach.models import OutboundMessage
from tradewind.outreach.outbox import Letter, claim_due, enqueue_messages
from tradewind.outreach.suppression import suppression_add
from tradewind.outreach.timeline import file_sent_messages

WORKER = "test-worker-bulk"


@pytest.fixture
def buyers(rep):
    companies = [CompanyFactory(owner=rep, name=f"Leuchten {n} GmbH") for n in range(3)]
    return [
        (company, ContactFactory(company=company, email=f"buyer{n}@leuchten.de"))
        for n, company in enumerate(companies)
    ]


def letters(buyers, count, *, prefix="bulk", when=None, **extra):
    when = when or timezone.now() - timedelta(minutes=1)
    made = []
    for number in range(count):
        company, contact = buyers[number % len(buyers)]
        made.append(
            Letter(
                idempotency_key=f"{prefix}-{number}",
                to_email=f"buyer{number}@leuchten.de",
                subject=extra.get("subject", f"LED panels, offer {number}"),
                body_text=extra.get("body_text", f"Dear buyer {number},\n\nour catalogue.\n"),
                scheduled_at=when,
                company=company,
                contact=contact if contact.email == f"buyer{number}@leuchten.de" else None,
                is_bulk=True,
            )
        )
    return made


# --- Enqueue many ----------------------------------------------------------------------------


def test_enqueue_messages_writes_one_row_and_one_audit_event_per_letter(sink_mailbox, buyers, rep):
    ids = enqueue_messages(letters(buyers, 7), mailbox=sink_mailbox, created_by=rep)
    rows = OutboundMessage.objects.in_bulk(ids)
    assert len(rows) == 7
    first = rows[ids[0]]
    assert (first.idempotency_key, first.to_email, first.status) == (
        "bulk-0",
        "buyer0@leuchten.de",
        MessageStatus.SCHEDULED,
    )
    assert (first.created_by, first.company, first.mailbox) == (rep, buyers[0][0], sink_mailbox)
    assert first.message_id == "" and first.attempts == 0 and first.created_at is not None
    events = AuditEvent.objects.filter(object_type="outreach.outboundmessage", action="create")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(ids)
    event = events.get(object_id=ids[0])
    assert (event.actor, event.company_id) == (rep, buyers[0][0].pk)
    assert event.changes["to_email"] == "buyer0@leuchten.de"
    assert event.changes["status"] == MessageStatus.SCHEDULED


def test_enqueue_messages_keeps_one_row_per_key_within_a_batch_and_across_batches(
    sink_mailbox, buyers, rep
):
    [first] = enqueue_messages(letters(buyers, 1), mailbox=sink_mailbox, created_by=rep)
    again = letters(buyers, 3)  # bulk-0 was queued before
    ids = enqueue_messages([*again, again[1]], mailbox=sink_mailbox, created_by=rep)
    assert ids[0] == first and ids[1] == ids[3] and len(set(ids)) == 3
    assert OutboundMessage.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="outreach.outboundmessage").count() == 3


def test_enqueue_messages_cancels_listed_addresses_and_queues_the_rest(sink_mailbox, buyers, rep):
    suppression_add(actor=None, email="BUYER1@leuchten.de", reason="unsubscribed")
    ids = enqueue_messages(letters(buyers, 3), mailbox=sink_mailbox, created_by=rep)
    statuses = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == [
        MessageStatus.SCHEDULED,
        MessageStatus.CANCELLED,
        MessageStatus.SCHEDULED,
    ]
    assert "suppression list" in OutboundMessage.objects.get(pk=ids[1]).last_error


def test_enqueue_messages_writes_nothing_when_one_letter_is_bad(sink_mailbox, buyers, rep):
    batch = letters(buyers, 4)
    batch[2] = Letter(**{**batch[2].__dict__, "to_email": "not-an-address"})
    with pytest.raises(DomainError) as caught:
        enqueue_messages(batch, mailbox=sink_mailbox, created_by=rep)
    assert caught.value.field == "to_email"
    assert not OutboundMessage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outreach.outboundmessage").exists()


def test_a_key_enqueued_by_another_process_meanwhile_keeps_its_row(
    sink_mailbox, buyers, rep, monkeypatch
):
    from tradewind.outreach import outbox

    [theirs] = enqueue_messages(letters(buyers, 1), mailbox=sink_mailbox, created_by=rep)
    looked_up, first_look = outbox._ids_of, True

    def ids_of(keys):  # the first look-up misses it, as if made before the other process wrote
        nonlocal first_look
        if first_look:
            first_look = False
            return {}
        return looked_up(keys)

    monkeypatch.setattr(outbox, "_ids_of", ids_of)
    ids = enqueue_messages(letters(buyers, 3), mailbox=sink_mailbox, created_by=rep)
    assert ids[0] == theirs and len(set(ids)) == 3
    assert OutboundMessage.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="outreach.outboundmessage").count() == 3


# --- Claim a batch ---------------------------------------------------------------------------


def test_a_claim_takes_a_batch_in_order_each_with_its_own_stored_message_id(
    sink_mailbox, buyers, rep
):
    ids = enqueue_messages(letters(buyers, 150), mailbox=sink_mailbox, created_by=rep)
    first = claim_due(WORKER, now=timezone.now(), limit=100)
    assert [row.pk for row in first] == ids[:100]
    stored = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "message_id"))
    assert all(row.message_id == stored[row.pk] for row in first)
    assert len({row.message_id for row in first}) == 100
    assert all(row.message_id.endswith("@exporter.example>") for row in first)
    held = OutboundMessage.objects.filter(status=MessageStatus.SENDING, lease_owner=WORKER)
    assert held.count() == 100 and {row.attempts for row in first} == {1}
    assert all(row.mailbox == sink_mailbox and row.lease_owner == WORKER for row in first)
    second = claim_due("another-worker", now=timezone.now(), limit=100)
    assert [row.pk for row in second] == ids[100:]


# --- The payload -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "is_bulk"),
    [
        ("LED panels for Nordlicht", "Dear Anna,\n\nour catalogue.\n\nLily", False),
        ("LED panels for Nordlicht", "Dear Anna,\r\nplain CRLF\r\n", True),
        ("Anna, LED-Leuchten für Müller & Söhne", "Grüße aus Ningbo · 宁波\n", True),
        ("x" * 90, "A long subject\n", False),
        ("Offer " + "ü" * 80, "Lines\rwith old Mac ends\r", True),
        ("Tabs\tin\tthe subject", "body " * 300, False),
        ("宁波 LED 灯具 — 报价 " * 8, "中文\n", False),
    ],
)
def test_the_payload_is_what_the_generator_writes(
    sink_mailbox, buyers, rep, subject, body, is_bulk
):
    """Byte for byte, except that a subject that is not ASCII is encoded by ``encoded_words``:
    the same text, lines within 78 characters."""
    company, contact = buyers[0]
    [pk] = enqueue_messages(
        [
            Letter(
                idempotency_key="payload",
                to_email=contact.email,
                subject=subject,
                body_text=body,
                scheduled_at=timezone.now(),
                company=company,
                is_bulk=is_bulk,
            )
        ],
        mailbox=sink_mailbox,
        created_by=rep,
    )
    [message] = claim_due(WORKER, now=timezone.now())
    assert message.pk == pk
    mime = build_mime(message, now=timezone.now())
    ours, theirs = payload_bytes(mime), mime.as_bytes(policy=SMTP_POLICY)
    if subject.isascii():
        assert ours == theirs
    else:
        parsed = [
            email.message_from_bytes(raw, policy=email.policy.default) for raw in (ours, theirs)
        ]
        assert str(parsed[0]["Subject"]) == str(parsed[1]["Subject"]) == message.subject
        assert parsed[0].items() == parsed[1].items()
        assert parsed[0].get_content() == parsed[1].get_content()
        head = ours.split(b"\r\n\r\n", 1)[0]
        [subject_lines] = [h for h in re.split(rb"\r\n(?! )", head) if h.startswith(b"Subject:")]
        assert max(len(line) for line in subject_lines.split(b"\r\n")) <= 78
        assert ours.split(b"\r\n\r\n", 1)[1] == theirs.split(b"\r\n\r\n", 1)[1]
    with_file = build_mime(
        message,
        now=timezone.now(),
        attachments=[AttachmentData("catalogue.pdf", "application/pdf", b"%PDF-1.4 x")],
    )
    assert payload_bytes(with_file) == with_file.as_bytes(policy=SMTP_POLICY)


def test_encoded_words_give_back_the_text_in_lines_of_at_most_78_characters():
    import random

    pick = random.Random(2047)
    alphabet = "abc XYZ,.-_=?!\tüéß·宁波—😀"
    for name in ("Subject", "X-A-Rather-Long-Header-Name"):
        for _ in range(500):
            text = "".join(pick.choice(alphabet) for _ in range(pick.randint(1, 300)))
            line = encoded_words(name, text)
            assert max(len(part) for part in line.split(b"\r\n")) <= 78
            parsed = email.message_from_bytes(line + b"\r\n", policy=email.policy.default)
            assert str(parsed[name]) == text


# --- Record and file -------------------------------------------------------------------------


def test_the_prepared_sent_update_applies_only_while_the_worker_holds_the_row(
    sink_mailbox, buyers, rep
):
    enqueue_messages(letters(buyers, 1), mailbox=sink_mailbox, created_by=rep)
    now = timezone.now()
    [mine] = claim_due(WORKER, now=now)
    [theirs] = claim_due("worker-b", now=now + timedelta(hours=1))  # the lease ran out
    assert dispatch.record_sent(mine, worker_id=WORKER, now=timezone.now()) is False
    sent_at = timezone.now()
    assert dispatch.record_sent(theirs, worker_id="worker-b", now=sent_at) is True
    row = OutboundMessage.objects.get()
    assert (row.status, row.sent_at, row.lease_owner, row.lease_expires_at) == (
        MessageStatus.SENT,
        sent_at,
        "",
        None,
    )
    assert row.message_id == theirs.message_id == mine.message_id


def test_a_batch_is_sent_recorded_and_filed_once(smtp_sink, sink_mailbox, buyers, rep):
    ids = enqueue_messages(letters(buyers, 30), mailbox=sink_mailbox, created_by=rep)
    claimed = claim_due(WORKER, now=timezone.now(), limit=100)
    pool = SmtpPool()
    try:
        result = send_batch(claimed, worker_id=WORKER, pool=pool)
    finally:
        pool.close_all()
    assert result.sent == 30 and smtp_sink.connections == 1
    rows = OutboundMessage.objects.filter(pk__in=ids)
    assert set(rows.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert not rows.filter(filed_at__isnull=True).exists()
    by_id = {m["Message-ID"] for m in smtp_sink.messages()}
    assert by_id == set(rows.values_list("message_id", flat=True))
    assert Activity.objects.filter(kind="email").count() == 30
    assert file_sent_messages() == 0


def test_filing_by_ids_files_only_those(sink_mailbox, buyers, rep):
    enqueue_messages(letters(buyers, 4), mailbox=sink_mailbox, created_by=rep)
    claimed = claim_due(WORKER, now=timezone.now())
    for message in claimed:
        assert dispatch.record_sent(message, worker_id=WORKER, now=timezone.now())
    assert file_sent_messages(ids=[claimed[0].pk, claimed[1].pk]) == 2
    assert file_sent_messages(ids=[claimed[0].pk]) == 0
    assert OutboundMessage.objects.filter(filed_at__isnull=True).count() == 2
    assert file_sent_messages() == 2


# --- The worker command ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_batch_sends_the_outbox_through_the_same_dispatcher(smtp_sink, rep):
    from tradewind.outreach.mailboxes import mailbox_save

    mailbox = mailbox_save(
        actor=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=smtp_sink.port,
        smtp_security="none",
        daily_cap=1000,
        min_interval_seconds=0,
    )
    company = CompanyFactory(owner=rep)
    batch = letters([(company, ContactFactory(company=company, email="x@y.example"))], 12)
    enqueue_messages(batch, mailbox=mailbox, created_by=rep)
    call_command(
        "worker",
        "--batch",
        "--no-scheduler",
        "--outbox-batch-size",
        "5",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert len(smtp_sink.received) == 12
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert Activity.objects.filter(kind="email").count() == 12


# --- Writers take turns on SQLite ------------------------------------------------------------


def test_outbox_writers_take_turns_through_a_file_lock_beside_the_sqlite_file(
    monkeypatch, tmp_path
):
    import fcntl
    import os

    from django.db import connection

    from tradewind.outreach.outbox import writer_turn

    if connection.vendor != "sqlite":  # PostgreSQL's row locks let writers write together
        with writer_turn():
            assert not connection.in_atomic_block
        assert not list(tmp_path.iterdir())
        assert not any(name.endswith("-outbox.lock") for name in os.listdir("."))
        return
    database = tmp_path / "tradewind.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "NAME", str(database))
    lock_file = f"{database}-outbox.lock"

    def taken_by_someone() -> bool:
        probe = os.open(lock_file, os.O_RDONLY | os.O_CREAT)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(probe)
        return False

    with writer_turn():
        assert taken_by_someone()
    assert not taken_by_someone()
    monkeypatch.setattr(connection, "in_atomic_block", True)
    with writer_turn():  # inside a transaction: never waits for the file
        assert not taken_by_someone()
