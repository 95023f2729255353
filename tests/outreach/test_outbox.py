"""The outbox: idempotent enqueue, atomic claims under a lease, sending by real SMTP (aiosmtpd),
the timeline, and what happens on each kind of server answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.errors import DomainError
from tradewind.customers.models import Activity
from tradewind.outreach import outcomes
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.dispatch import SmtpPool, send_batch, transmit
from tradewind.outreach.models import OutboundMessage, Suppression
from tradewind.outreach.outbox import MAX_ATTEMPTS, claim_due, enqueue_message, lease_duration
from tradewind.outreach.suppression import suppression_add

WORKER = "test-worker-a"


@pytest.fixture
def buyer(rep):
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    return company, contact


def letter(mailbox, buyer, *, key="letter-1", to=None, when=None, **extra):
    company, contact = buyer
    return enqueue_message(
        idempotency_key=key,
        mailbox=mailbox,
        to_email=to or contact.email,
        subject=extra.pop("subject", "LED panels for Nordlicht"),
        body_text=extra.pop("body_text", "Dear Anna,\n\nour new catalogue is attached.\n\nLily"),
        scheduled_at=when or timezone.now() - timedelta(minutes=1),
        company=company,
        contact=contact,
        created_by=company.owner,
        **extra,
    )


def send_due(now=None, worker=WORKER, limit=20):
    claimed = claim_due(worker, now=now or timezone.now(), limit=limit)
    pool = SmtpPool()
    try:
        return claimed, send_batch(claimed, worker_id=worker, pool=pool)
    finally:
        pool.close_all()


# --- Enqueue ---------------------------------------------------------------------------------


def test_enqueueing_the_same_key_twice_makes_one_row(sink_mailbox, buyer):
    first = letter(sink_mailbox, buyer)
    again = letter(sink_mailbox, buyer, subject="A different subject")
    assert again.pk == first.pk
    assert OutboundMessage.objects.count() == 1
    assert OutboundMessage.objects.get().subject == "LED panels for Nordlicht"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "Hello\r\nBcc: everyone@example.com"}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"body_text": " \n "}, "body_text"),
        ({"to": "not-an-address"}, "to_email"),
        ({"to": "anna@nordlicht.de>\r\nRCPT TO:<x@y.z"}, "to_email"),
        ({"to": "jürgen@nordlicht.de"}, "to_email"),
        ({"key": ""}, None),
        ({"key": "k" * 121}, None),
    ],
)
def test_enqueue_refuses_bad_or_hostile_input_and_writes_nothing(
    sink_mailbox, buyer, change, field
):
    with pytest.raises(DomainError) as caught:
        letter(sink_mailbox, buyer, **change)
    assert caught.value.field == field
    assert not OutboundMessage.objects.exists()


def test_enqueue_refuses_a_naive_time(sink_mailbox, buyer):
    with pytest.raises(DomainError):
        letter(sink_mailbox, buyer, when=timezone.now().replace(tzinfo=None))


def test_enqueue_keeps_an_international_domain_as_punycode(sink_mailbox, buyer):
    message = letter(sink_mailbox, buyer, to="Einkauf@Müller-Leuchten.de")
    assert message.to_email == "einkauf@" + "müller-leuchten.de".encode("idna").decode()
    assert message.to_email.isascii()


def test_enqueue_to_a_suppressed_address_makes_a_cancelled_row(sink_mailbox, buyer):
    suppression_add(actor=None, email="ANNA@nordlicht.de", reason="unsubscribed")
    message = letter(sink_mailbox, buyer)
    assert message.status == MessageStatus.CANCELLED
    assert "suppression list" in message.last_error
    assert claim_due(WORKER, now=timezone.now()) == []


def test_enqueue_refuses_a_switched_off_mailbox(sink_mailbox, buyer):
    sink_mailbox.is_active = False
    with pytest.raises(DomainError):
        letter(sink_mailbox, buyer)


# --- Claim and send --------------------------------------------------------------------------


def test_a_due_message_is_sent_once_with_its_message_id_and_filed_on_the_timeline(
    smtp_sink, sink_mailbox, buyer, rep
):
    message = letter(sink_mailbox, buyer)
    claimed, result = send_due()
    assert result.sent == 1 and [m.pk for m in claimed] == [message.pk]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert message.attempts == 1 and message.lease_owner == ""
    [received] = smtp_sink.received
    assert received.mail_from == "lily@exporter.example"
    assert received.rcpt_tos == ["anna@nordlicht.de"]
    mime = received.message
    assert mime["Message-ID"] == message.message_id
    assert mime["From"] == "Lily Zhang <lily@exporter.example>"
    assert mime["Subject"] == "LED panels for Nordlicht"
    assert mime["Date"] and "List-Unsubscribe" not in mime
    assert "our new catalogue" in mime.get_content()
    [activity] = Activity.objects.filter(company=buyer[0], kind="email")
    assert activity.direction == "out" and activity.user == rep
    assert activity.contact == buyer[1]
    assert "LED panels for Nordlicht" in activity.summary
    # Nothing is left to claim: a second pass sends nothing.
    assert send_due()[0] == []
    assert len(smtp_sink.received) == 1
    assert Activity.objects.filter(company=buyer[0], kind="email").count() == 1


def test_chinese_subject_sender_and_body_arrive_intact(smtp_sink, sink_mailbox, buyer, rep):
    sink_mailbox.from_name = "张丽 Lily"
    sink_mailbox.save()
    letter(sink_mailbox, buyer, subject="LED 面板报价 — 2026", body_text="您好，\n附上目录。")
    send_due()
    mime = smtp_sink.received[0].message
    assert mime["Subject"] == "LED 面板报价 — 2026"
    assert mime["From"].addresses[0].display_name == "张丽 Lily"
    assert mime.get_content().replace("\r\n", "\n").strip() == "您好，\n附上目录。"


def test_a_message_not_yet_due_is_not_claimed(sink_mailbox, buyer):
    letter(sink_mailbox, buyer, when=timezone.now() + timedelta(hours=3))
    assert claim_due(WORKER, now=timezone.now()) == []
    assert len(claim_due(WORKER, now=timezone.now() + timedelta(hours=3))) == 1


def test_the_message_id_is_stored_when_claimed_before_anything_is_sent(
    smtp_sink, sink_mailbox, buyer
):
    message = letter(sink_mailbox, buyer)
    assert message.message_id == ""
    [claimed] = claim_due(WORKER, now=timezone.now())
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.message_id == claimed.message_id
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@exporter.example>")
    assert stored.status == MessageStatus.SENDING and stored.lease_owner == WORKER
    assert smtp_sink.received == []


def test_a_live_lease_keeps_other_workers_off(sink_mailbox, buyer):
    letter(sink_mailbox, buyer)
    now = timezone.now()
    assert len(claim_due("worker-a", now=now)) == 1
    assert claim_due("worker-b", now=now + lease_duration() - timedelta(seconds=1)) == []


def test_a_dead_workers_message_is_claimed_again_after_the_lease_with_the_same_message_id(
    smtp_sink, sink_mailbox, buyer
):
    letter(sink_mailbox, buyer)
    now = timezone.now()
    [first] = claim_due("worker-a", now=now)  # …and worker A dies here, before sending
    [again] = claim_due("worker-b", now=now + lease_duration() + timedelta(seconds=1))
    assert again.message_id == first.message_id and again.attempts == 2
    pool = SmtpPool()
    send_batch([again], worker_id="worker-b", pool=pool)
    pool.close_all()
    assert [m.message["Message-ID"] for m in smtp_sink.received] == [first.message_id]
    # The dead worker, had it come back, can no longer change the row.
    assert outcomes.record_sent(first, worker_id="worker-a", now=timezone.now()) is False


def test_the_documented_window_a_crash_after_the_servers_250_sends_again_with_the_same_id(
    smtp_sink, sink_mailbox, buyer
):
    """The one duplicate the outbox cannot prevent: the server took the message, the worker
    died before committing "sent". After the lease it goes again — with the same Message-ID."""
    letter(sink_mailbox, buyer)
    now = timezone.now()
    [claimed] = claim_due("worker-a", now=now)
    pool = SmtpPool()
    transmit(
        pool.get(sink_mailbox), sink_mailbox.from_email, claimed.to_email, b"Subject: x\r\n\r\nx"
    )
    pool.close_all()  # …killed before record_sent
    [again] = claim_due("worker-b", now=now + lease_duration() + timedelta(seconds=1))
    assert again.message_id == claimed.message_id
    assert OutboundMessage.objects.get().status == MessageStatus.SENDING


def test_a_temporary_refusal_is_retried_later_with_backoff(smtp_sink, sink_mailbox, buyer):
    smtp_sink.answers["anna@nordlicht.de"] = "451 4.7.1 Greylisted, try again later"
    message = letter(sink_mailbox, buyer)
    before = timezone.now()
    _claimed, result = send_due()
    assert result.retried == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED and message.attempts == 1
    assert "451 4.7.1 Greylisted" in message.last_error
    assert timedelta(seconds=59) < message.next_attempt_at - before < timedelta(seconds=62)
    assert claim_due(WORKER, now=timezone.now()) == []  # not before the backoff
    del smtp_sink.answers["anna@nordlicht.de"]
    _claimed, result = send_due(now=message.next_attempt_at)
    assert result.sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert not Suppression.objects.exists()


def test_backoff_doubles_and_stops_at_an_hour():
    delays = [outcomes.retry_delay(attempt).total_seconds() for attempt in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(
    smtp_sink, sink_mailbox, buyer
):
    smtp_sink.answers["anna@nordlicht.de"] = "452 4.2.2 Mailbox full"
    message = letter(sink_mailbox, buyer)
    now = timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        send_due(now=now)
        message.refresh_from_db()
        now = (message.next_attempt_at or now) + timedelta(seconds=1)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert "452 4.2.2 Mailbox full" in message.last_error
    assert smtp_sink.received == []


def test_a_permanent_refusal_bounces_suppresses_stops_sequences_and_tells_the_rep(
    smtp_sink, sink_mailbox, buyer, monkeypatch
):
    stopped = []
    monkeypatch.setattr(
        "tradewind.outreach.sequences.stop_for_address",
        lambda email, reason: stopped.append((email, reason)),
    )
    smtp_sink.answers["anna@nordlicht.de"] = "550 5.1.1 <anna@nordlicht.de>: User unknown"
    message = letter(sink_mailbox, buyer)
    later = letter(sink_mailbox, buyer, key="letter-2", when=timezone.now() + timedelta(days=3))
    _claimed, result = send_due()
    assert result.failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "550 5.1.1" in message.last_error
    entry = Suppression.objects.get()
    assert (entry.email, entry.reason) == ("anna@nordlicht.de", "bounced")
    assert "User unknown" in entry.detail
    assert stopped == [("anna@nordlicht.de", "bounced")]
    later.refresh_from_db()
    assert later.status == MessageStatus.CANCELLED
    note = Activity.objects.get(company=buyer[0], kind="note")
    assert "anna@nordlicht.de" in note.summary and "550 5.1.1" in note.summary
    buyer[1].refresh_from_db()
    assert buyer[1].email == "anna@nordlicht.de"  # nothing deleted
    assert not Activity.objects.filter(kind="email").exists()


def test_a_rejected_message_fails_without_suppressing_the_address(smtp_sink, sink_mailbox, buyer):
    async def refuse_data(server, session, envelope):
        return "554 5.7.1 Message rejected as spam"

    smtp_sink.handle_DATA = refuse_data
    message = letter(sink_mailbox, buyer)
    send_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "554 5.7.1" in message.last_error
    assert not Suppression.objects.exists()


def test_an_address_suppressed_after_claiming_is_cancelled_not_sent(smtp_sink, sink_mailbox, buyer):
    message = letter(sink_mailbox, buyer)
    claimed = claim_due(WORKER, now=timezone.now())
    Suppression.objects.create(email="anna@nordlicht.de", reason="unsubscribed")
    pool = SmtpPool()
    result = send_batch(claimed, worker_id=WORKER, pool=pool)
    pool.close_all()
    assert result.cancelled == 1 and smtp_sink.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED and "Unsubscribed" not in message.last_error
    assert "suppression list" in message.last_error


def test_one_connection_carries_a_whole_batch(smtp_sink, sink_mailbox, buyer):
    for number in range(5):
        letter(sink_mailbox, buyer, key=f"batch-{number}", to=f"buyer{number}@nordlicht.de")
    _claimed, result = send_due()
    assert result.sent == 5 and len(smtp_sink.received) == 5
    assert smtp_sink.connections == 1
    ids = {m.message["Message-ID"] for m in smtp_sink.received}
    assert len(ids) == 5


def test_a_connection_dropped_between_messages_is_reopened_at_once(smtp_sink, sink_mailbox, buyer):
    letter(sink_mailbox, buyer, key="a", to="a@nordlicht.de")
    letter(sink_mailbox, buyer, key="b", to="b@nordlicht.de")
    claimed = claim_due(WORKER, now=timezone.now())
    pool = SmtpPool()
    send_batch(claimed[:1], worker_id=WORKER, pool=pool)
    pool.get(sink_mailbox).sock.close()  # the server hung up while we were idle
    result = send_batch(claimed[1:], worker_id=WORKER, pool=pool)
    pool.close_all()
    assert result.sent == 1 and len(smtp_sink.received) == 2
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 2


def test_messages_the_lease_no_longer_covers_are_handed_back_unsent(smtp_sink, sink_mailbox, buyer):
    letter(sink_mailbox, buyer)
    claimed = claim_due(WORKER, now=timezone.now())
    claimed[0].lease_expires_at = timezone.now()  # a slow batch: the lease is about to run out
    pool = SmtpPool()
    result = send_batch(claimed, worker_id=WORKER, pool=pool)
    pool.close_all()
    assert result.released == 1 and smtp_sink.received == []
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.SCHEDULED and message.attempts == 0


def test_an_unreachable_server_is_a_temporary_failure(sink_mailbox, buyer):
    from tests.outreach.smtp_servers import free_port

    sink_mailbox.smtp_port = free_port()  # nothing listens there
    sink_mailbox.save()
    message = letter(sink_mailbox, buyer)
    _claimed, result = send_due()
    assert result.retried == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED
    assert "Could not connect" in message.last_error


def test_a_letter_whose_author_lost_the_customer_still_counts_as_sent(
    smtp_sink, sink_mailbox, buyer, other_rep
):
    from tradewind.customers.models import Company

    message = letter(sink_mailbox, buyer)
    Company.objects.filter(pk=buyer[0].pk).update(owner=other_rep)
    send_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert "not filed on the customer's timeline" in message.last_error
    assert len(smtp_sink.received) == 1


def test_a_message_sent_but_left_unfiled_by_a_dead_worker_is_filed_once_by_the_next_pass(
    sink_mailbox, buyer, rep
):
    from tradewind.core.models import AuditEvent
    from tradewind.outreach.timeline import file_sent_messages

    message = letter(sink_mailbox, buyer)
    [claimed] = claim_due(WORKER, now=timezone.now())
    sent_at = timezone.now()
    assert outcomes.record_sent(claimed, worker_id=WORKER, now=sent_at)  # …and the worker dies
    assert not Activity.objects.filter(kind="email").exists()
    assert file_sent_messages() == 1
    assert file_sent_messages() == 0
    [activity] = Activity.objects.filter(kind="email")
    assert (activity.user, activity.contact, activity.occurred_at) == (rep, buyer[1], sent_at)
    assert AuditEvent.objects.filter(
        object_type="customers.activity", object_id=activity.pk, actor=rep
    ).exists()
    buyer[0].refresh_from_db()
    assert buyer[0].last_activity_at == sent_at
    message.refresh_from_db()
    assert message.filed_at is not None
