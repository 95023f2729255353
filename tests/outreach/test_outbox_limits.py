"""The outbox's daily cap and throttle, bulk mail's unsubscribe headers, attachments, concurrent
claimers and enqueuers, and the dispatcher loop."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import CompanyFactory
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.dispatch import SmtpPool, run_dispatcher, send_batch
from tradewind.outreach.models import EmailTemplate, OutboundMessage, TemplateAttachment
from tradewind.outreach.outbox import claim_due, enqueue_message, mailbox_allowance
from tradewind.outreach.suppression import read_unsubscribe_token

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def company(rep):
    return CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")


def queue(mailbox, company, count, *, when=None, prefix="m", **extra):
    when = when or timezone.now() - timedelta(minutes=1)
    return [
        enqueue_message(
            idempotency_key=f"{prefix}-{number}",
            mailbox=mailbox,
            to_email=f"buyer{number}@nordlicht.de",
            subject=f"Letter {number}",
            body_text=f"Dear buyer {number},\n\nplease see our catalogue.",
            scheduled_at=when,
            company=company,
            created_by=company.owner,
            **extra,
        )
        for number in range(count)
    ]


def send(claimed, worker="w"):
    pool = SmtpPool()
    try:
        return send_batch(claimed, worker_id=worker, pool=pool)
    finally:
        pool.close_all()


# --- Daily cap and throttle ------------------------------------------------------------------


def test_the_daily_cap_defers_the_rest_to_the_owners_next_local_day(
    smtp_sink, sink_mailbox, company, rep
):
    sink_mailbox.daily_cap = 2
    sink_mailbox.save()
    now = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)  # Lily works in Shanghai
    queue(sink_mailbox, company, 3, when=now - timedelta(hours=1))
    claimed = claim_due("w", now=now)
    assert len(claimed) == 2
    deferred = OutboundMessage.objects.get(status=MessageStatus.SCHEDULED)
    assert deferred.next_attempt_at == datetime(2026, 3, 11, 0, 0, tzinfo=SHANGHAI)
    assert deferred.attempts == 0
    assert claim_due("w", now=now + timedelta(minutes=2)) == []
    OutboundMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
        status=MessageStatus.SENT, sent_at=now
    )
    assert len(claim_due("w", now=datetime(2026, 3, 11, 0, 1, tzinfo=SHANGHAI))) == 1


def test_messages_being_sent_count_against_the_cap(sink_mailbox, company):
    sink_mailbox.daily_cap = 2
    sink_mailbox.save()
    queue(sink_mailbox, company, 3)
    now = timezone.now()
    assert len(claim_due("w1", now=now, limit=1)) == 1
    assert len(claim_due("w2", now=now, limit=5)) == 1  # one left under the cap, not two


def test_the_throttle_sends_one_message_per_interval(smtp_sink, sink_mailbox, company):
    sink_mailbox.min_interval_seconds = 60
    sink_mailbox.save()
    queue(sink_mailbox, company, 3)
    first = claim_due("w", now=timezone.now())
    assert len(first) == 1
    assert claim_due("w2", now=timezone.now()) == []  # one at a time, even for another worker
    send(first)
    sent_at = OutboundMessage.objects.get(status=MessageStatus.SENT).sent_at
    assert claim_due("w", now=sent_at + timedelta(seconds=30)) == []
    waiting = OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED)
    assert all(m.next_attempt_at > sent_at + timedelta(seconds=30) for m in waiting)
    assert len(claim_due("w", now=sent_at + timedelta(seconds=61))) == 1


def test_a_switched_off_mailbox_holds_its_mail_and_sends_it_when_switched_on(
    smtp_sink, sink_mailbox, company
):
    queue(sink_mailbox, company, 2)
    sink_mailbox.is_active = False
    sink_mailbox.save()
    now = timezone.now()
    assert claim_due("w", now=now) == []
    assert OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED).count() == 2
    sink_mailbox.is_active = True
    sink_mailbox.save()
    claimed = claim_due("w", now=now + timedelta(minutes=16))
    assert send(claimed).sent == 2


def test_allowance_without_limits_is_the_cap_left(sink_mailbox):
    allowance = mailbox_allowance(sink_mailbox, timezone.now())
    assert allowance.count == 1000 and allowance.defer_until > timezone.now()


# --- Bulk mail and attachments ---------------------------------------------------------------


def test_bulk_mail_carries_an_unsubscribe_link_and_one_click_headers(
    smtp_sink, sink_mailbox, company, settings
):
    settings.TRADEWIND_BASE_URL = "https://crm.exporter.example"
    queue(sink_mailbox, company, 1, is_bulk=True)
    send(claim_due("w", now=timezone.now()))
    mime = smtp_sink.received[0].message
    header = mime["List-Unsubscribe"]
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link, mailto = (part.strip(" <>") for part in header.split(","))
    assert link.startswith("https://crm.exporter.example/outreach/u/")
    assert mailto == "mailto:lily@exporter.example?subject=unsubscribe"
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token).email == "buyer0@nordlicht.de"
    body = mime.get_content()
    assert link in body and "unsubscribe" in body.lower()


@pytest.fixture
def catalogue_template(rep, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    template = EmailTemplate.objects.create(
        name="Catalogue", language="en", subject="Catalogue", body="Hello", owner=rep
    )
    pdf = b"%PDF-1.4\n% Nordlicht catalogue\n" + bytes(range(256)) * 40
    attachment = TemplateAttachment(
        template=template,
        filename="Catalogue 2026.pdf",
        size_bytes=len(pdf),
        content_type="application/pdf",
    )
    attachment.file.save("catalogue.pdf", ContentFile(pdf), save=True)
    return template, pdf


def test_the_templates_attachments_go_with_every_letter(
    smtp_sink, sink_mailbox, company, catalogue_template
):
    template, pdf = catalogue_template
    queue(sink_mailbox, company, 2, template=template)
    assert send(claim_due("w", now=timezone.now())).sent == 2
    for received in smtp_sink.received:
        [part] = list(received.message.iter_attachments())
        assert part.get_filename() == "Catalogue 2026.pdf"
        assert part.get_content_type() == "application/pdf"
        assert part.get_content() == pdf


def test_a_missing_attachment_file_fails_the_letter_instead_of_sending_it_bare(
    smtp_sink, sink_mailbox, company, catalogue_template
):
    template, _pdf = catalogue_template
    attachment = template.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    [message] = queue(sink_mailbox, company, 1, template=template)
    send(claim_due("w", now=timezone.now()))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "could not be built" in message.last_error
    assert smtp_sink.received == []


# --- Races ---------------------------------------------------------------------------------
# Claimers in separate processes are proven on both databases in test_outbox_exactly_once.py
# (threads cannot share SQLite's in-memory test database).


def test_an_enqueue_that_loses_the_race_for_its_key_returns_the_winners_row(
    sink_mailbox, company, monkeypatch
):
    [winner] = queue(sink_mailbox, company, 1)
    real_filter = OutboundMessage.objects.filter

    def stale_lookup(*args, **kwargs):  # the look-up ran before the other process inserted
        if "idempotency_key" in kwargs:
            return OutboundMessage.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(OutboundMessage.objects, "filter", stale_lookup)
    [again] = queue(sink_mailbox, company, 1)
    monkeypatch.undo()
    assert again.pk == winner.pk
    assert OutboundMessage.objects.count() == 1


# --- The dispatcher loop ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the loop manages its own connection, as in a worker
def test_the_dispatcher_sends_everything_due_and_exits_when_idle(smtp_sink, sink_mailbox, company):
    queue(sink_mailbox, company, 45)
    queue(sink_mailbox, company, 1, prefix="later", when=timezone.now() + timedelta(days=1))
    sent = run_dispatcher(threading.Event(), batch_size=10, idle_seconds=0.05, exit_when_idle=True)
    assert sent == 45 and len(smtp_sink.received) == 45
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 45
    assert OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED).count() == 1
