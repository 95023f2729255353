"""The morning digest: due and overdue follow-ups, once per rep per local day, by real SMTP."""

from datetime import datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, TaskFactory, UserFactory
from tradewind.customers.digest import LEASE, digest_send_due
from tradewind.customers.models import DigestDelivery

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at_shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def morning(rep, company):
    """Lily (Shanghai) has one overdue, one due-today and one next-week follow-up."""
    now = at_shanghai(2026, 3, 10, 8, 0)
    TaskFactory(company=company, title="Chase the deposit", due_at=now - timedelta(days=2))
    TaskFactory(company=company, title="Call about the sample", due_at=now + timedelta(hours=6))
    TaskFactory(company=company, title="Next week", due_at=now + timedelta(days=7))
    return now


def test_digest_lists_due_and_overdue_follow_ups_once_per_day(smtp_server, morning, rep):
    assert digest_send_due(now=morning) == 1
    assert digest_send_due(now=morning + timedelta(minutes=30)) == 0
    assert len(smtp_server.messages) == 1
    sent = smtp_server.messages[0]
    assert sent["to"] == [rep.email]
    message = sent["message"]
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Tradewind: 1 follow-up due today · 1 overdue follow-up"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert "Chase the deposit" in body and "Call about the sample" in body
    assert "Next week" not in body
    delivery = DigestDelivery.objects.get()
    assert delivery.sent_at is not None and delivery.item_count == 2


def test_digest_waits_for_the_reps_local_morning(smtp_server, morning, rep):
    assert digest_send_due(now=at_shanghai(2026, 3, 10, 6, 59)) == 0
    assert smtp_server.messages == []


def test_digest_follows_each_reps_own_time_zone(smtp_server, db):
    berlin = UserFactory(username="klaus", time_zone="Europe/Berlin")
    TaskFactory(company=CompanyFactory(owner=berlin), due_at=at_shanghai(2026, 3, 9, 12, 0))
    # 08:00 in Shanghai is 01:00 in Berlin: too early for Klaus.
    assert digest_send_due(now=at_shanghai(2026, 3, 10, 8, 0)) == 0
    assert digest_send_due(now=datetime(2026, 3, 10, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))) == 1


def test_next_day_sends_again(smtp_server, morning):
    digest_send_due(now=morning)
    digest_send_due(now=morning + timedelta(days=1))
    assert len(smtp_server.messages) == 2


def test_subject_leaves_out_an_empty_part(smtp_server, rep, company):
    now = at_shanghai(2026, 3, 10, 8, 0)
    TaskFactory(company=company, due_at=now - timedelta(days=1))
    TaskFactory(company=company, due_at=now - timedelta(days=2))
    digest_send_due(now=now)
    subject = str(make_header(decode_header(smtp_server.messages[0]["message"]["Subject"])))
    assert subject == "Tradewind: 2 overdue follow-ups"


def test_nothing_due_means_no_mail(smtp_server, rep, company):
    TaskFactory(company=company, due_at=timezone.now() + timedelta(days=30))
    assert digest_send_due(now=timezone.now()) == 0
    assert not DigestDelivery.objects.exists()


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(smtp_server, morning, rep):
    DigestDelivery.objects.create(user=rep, local_date=morning.date(), claimed_at=morning)
    assert digest_send_due(now=morning + timedelta(minutes=1)) == 0
    assert digest_send_due(now=morning + LEASE + timedelta(minutes=1)) == 1
    assert len(smtp_server.messages) == 1


def test_digest_is_written_in_the_reps_language(smtp_server, morning, rep):
    rep.language = "zh-hans"
    rep.save()
    digest_send_due(now=morning)
    subject = smtp_server.messages[0]["message"]["Subject"]
    assert "跟进" in str(make_header(decode_header(subject)))


def test_smtp_failure_leaves_the_claim_for_a_retry(settings, morning, rep):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    with pytest.raises(OSError):
        digest_send_due(now=morning)
    delivery = DigestDelivery.objects.get()
    assert delivery.sent_at is None
