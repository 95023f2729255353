"""Reminders before the latest shipment date, the last day for presentation and the expiry:
emailed to the handler by real SMTP exactly once, however often and by however many workers
the job runs; and listed on My day."""

import threading
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.contracts.lc.conftest import lc_contract
from tradewind.contracts.lc import services
from tradewind.contracts.lc.models import LcReminder
from tradewind.contracts.lc.reminders import lc_send_reminders, make_due_reminders

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def open_lc(actor, contract, **overrides):
    """Ship by Mon 9 Mar, 15 days to present, expires Tue 24 Mar in China."""
    values = {
        "number": "HH26LC0417",
        "received_on": MONDAY - timedelta(days=3),
        "issue_date": MONDAY - timedelta(days=5),
        "expiry_date": date(2026, 3, 24),
        "expiry_place": "CHINA",
        "currency": "USD",
        "amount": "48600",
        "latest_shipment_date": date(2026, 3, 9),
        "presentation_period_days": 15,
    } | overrides
    return services.lc_create(actor=actor, contract_id=contract.pk, **values)


def subjects(smtp_server):
    return [str(make_header(decode_header(m["message"]["Subject"]))) for m in smtp_server.messages]


def body(message) -> str:
    return message["message"].get_payload(decode=True).decode()


@pytest.fixture
def lc(rep, contract):
    return open_lc(rep, contract)


def test_a_reminder_goes_out_once_however_often_the_job_runs(smtp_server, rep, lc):
    assert lc_send_reminders(now=at(MONDAY)) == 1
    assert lc_send_reminders(now=at(MONDAY)) == 0
    assert lc_send_reminders(now=at(MONDAY, 15)) == 0
    assert len(smtp_server.messages) == 1
    sent = smtp_server.messages[0]
    assert sent["to"] == [rep.email]
    assert subjects(smtp_server) == ["Tradewind: 1 letter of credit date is coming up"]
    text = body(sent)
    assert "2026-03-09 (in 7 days): Latest shipment date" in text
    assert "L/C HH26LC0417" in text and lc.contract.number in text
    assert f"/lc/{lc.pk}/" in text
    reminder = LcReminder.objects.get()
    assert (reminder.kind, reminder.deadline, reminder.days_before) == (
        "latest_shipment",
        date(2026, 3, 9),
        7,
    )
    assert reminder.emailed_at is not None


def test_each_date_gets_its_seven_and_two_day_reminders(smtp_server, lc):
    for day in range(0, 24):
        lc_send_reminders(now=at(MONDAY + timedelta(days=day)))
    sent = set(LcReminder.objects.values_list("kind", "deadline", "days_before"))
    assert sent == {
        ("latest_shipment", date(2026, 3, 9), 7),
        ("latest_shipment", date(2026, 3, 9), 2),
        ("last_presentation", date(2026, 3, 24), 7),
        ("last_presentation", date(2026, 3, 24), 2),
        ("expiry", date(2026, 3, 24), 7),
        ("expiry", date(2026, 3, 24), 2),
    }
    assert len(smtp_server.messages) == 4  # the two dates of 24 March share each email
    assert subjects(smtp_server)[2] == "Tradewind: 2 letter of credit dates are coming up"


def test_nothing_before_the_handlers_morning(smtp_server, lc):
    assert lc_send_reminders(now=at(MONDAY, 6)) == 0
    assert not LcReminder.objects.exists()


def test_a_closed_credit_gets_no_reminders(smtp_server, rep, lc):
    services.lc_close(actor=rep, lc_id=lc.pk, reason="Buyer paid by T/T instead")
    assert lc_send_reminders(now=at(MONDAY)) == 0
    assert smtp_server.messages == []


def test_a_date_moved_by_an_amendment_gets_its_own_reminder(smtp_server, rep, lc):
    lc_send_reminders(now=at(MONDAY))
    amendment = services.amendment_create(
        actor=rep, lc_id=lc.pk, latest_shipment_date=date(2026, 3, 10)
    )
    services.amendment_decide(actor=rep, lc_id=lc.pk, amendment_id=amendment.pk, accept=True)
    lc_send_reminders(now=at(MONDAY + timedelta(days=1)))
    assert set(LcReminder.objects.values_list("deadline", "days_before")) == {
        (date(2026, 3, 9), 7),
        (date(2026, 3, 10), 7),
    }


def test_reminder_days_are_configurable(smtp_server, settings, lc):
    settings.LC_REMINDER_DAYS = (10, 3)
    lc_send_reminders(now=at(MONDAY - timedelta(days=3)))
    assert list(LcReminder.objects.values_list("days_before", flat=True)) == [10]


def test_a_failed_send_is_retried_after_the_lease(settings, rep, lc):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    assert lc_send_reminders(now=at(MONDAY)) == 0
    reminder = LcReminder.objects.get()
    assert reminder.email_claimed_at is not None and reminder.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert lc_send_reminders(now=at(MONDAY, 9) + timedelta(minutes=10)) == 0  # lease held
    assert lc_send_reminders(now=at(MONDAY, 10)) == 1


def _run_together(*calls):
    """Start the calls at once in threads with their own connections (one after the other on
    SQLite, whose in-memory test database cannot wait on a lock — see tests/pool)."""
    results: list = [None] * len(calls)
    if connection.vendor == "sqlite":
        return [call() for call in calls]
    barrier = threading.Barrier(len(calls))

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(smtp_server, company, rep):
    contract = lc_contract(company)
    open_lc(rep, contract)
    open_lc(rep, contract, number="HH26LC0418", latest_shipment_date=date(2026, 3, 4))
    now = at(MONDAY)
    results = _run_together(lambda: lc_send_reminders(now=now), lambda: lc_send_reminders(now=now))
    assert sorted(results) == [0, 1]
    assert len(smtp_server.messages) == 1
    assert LcReminder.objects.count() == 2
    assert make_due_reminders(now=now) == 0


def test_my_day_lists_the_coming_dates_of_my_credits(client_of, rep, other_rep, contract):
    today = timezone.localdate()
    mine = open_lc(
        rep,
        contract,
        received_on=today,
        issue_date=today,
        latest_shipment_date=today + timedelta(days=5),
        expiry_date=today + timedelta(days=40),
    )
    response = client_of(rep).get(reverse("web:my-day"))
    html = response.content.decode()
    assert "L/C dates" in html
    assert mine.number in html and "in 5 days" in html
    assert "1 letter of credit waits for its check" in html
    services.lc_check(actor=rep, lc_id=mine.pk)  # blocking discrepancies: still waiting
    assert "waits for its check" in client_of(rep).get(reverse("web:my-day")).content.decode()
    services.discrepancies_accept(actor=rep, lc_id=mine.pk, reason="Agreed with the buyer")
    html = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "waits for its check" not in html and mine.number in html


def test_my_day_shows_no_lc_panel_without_credits(client_of, rep):
    html = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "L/C dates" not in html
