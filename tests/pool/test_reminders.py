"""Reminders X days before a release: a task on My day and an email, once per release date."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import translation

from tests.factories import CompanyFactory
from tests.pool.conftest import at, backdate
from tradewind.customers.models import Company, Task
from tradewind.customers.pool import release
from tradewind.customers.pool.models import PoolReminder
from tradewind.customers.pool.release import send_release_reminders, send_reminder_emails

# Owned since 1 January 09:00, never followed up: due 31 January 09:00, released in the run of
# 1 February. With 3 days' notice the run of 29 January warns (deadline within 29th–1st 02:00).
REMIND_NIGHT = at(2026, 1, 29, 2, 10)


@pytest.fixture
def fading(rep, policy):
    company = CompanyFactory(owner=rep, name="Fading Lights Ltd")
    return backdate(company, owned=at(2026, 1, 1, 9, 0))


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()


def test_the_owner_gets_a_follow_up_task_and_an_email_before_the_release(smtp_server, fading, rep):
    assert send_release_reminders(now=REMIND_NIGHT) == 1
    task = Task.objects.get(company=fading)
    assert task.title == "Follow up or lose it to the pool on 2026-02-01"
    assert task.assignee == rep
    assert task.due_at == at(2026, 1, 29, 10, 0)  # on Lily's My day that morning
    [sent] = smtp_server.messages
    assert sent["to"] == [rep.email]
    subject = str(make_header(decode_header(sent["message"]["Subject"])))
    assert subject == "Tradewind: 1 customer returns to the public pool soon"
    body = body_of(sent["message"])
    assert "Fading Lights Ltd — 2026-02-01" in body
    assert f"/customers/{fading.pk}/" in body
    reminder = PoolReminder.objects.get()
    assert reminder.emailed_at is not None and reminder.task == task


def test_the_reminder_is_made_once_per_company_per_release_date(smtp_server, fading):
    assert send_release_reminders(now=REMIND_NIGHT) == 1
    assert send_release_reminders(now=REMIND_NIGHT + timedelta(hours=3)) == 0  # same day
    assert send_release_reminders(now=REMIND_NIGHT + timedelta(days=1)) == 0  # next night
    assert Task.objects.filter(company=fading).count() == 1
    assert len(smtp_server.messages) == 1


def test_a_follow_up_moves_the_date_and_a_new_reminder_comes_for_the_new_date(smtp_server, fading):
    send_release_reminders(now=REMIND_NIGHT)
    backdate(fading, active=at(2026, 1, 30, 11, 0))  # due 1 March 11:00 → released 2 March
    assert send_release_reminders(now=at(2026, 2, 26, 2, 10)) == 0  # 1 March 11:00 is > 3 days
    assert send_release_reminders(now=at(2026, 2, 27, 2, 10)) == 1
    titles = sorted(Task.objects.filter(company=fading).values_list("title", flat=True))
    assert titles == [
        "Follow up or lose it to the pool on 2026-02-01",
        "Follow up or lose it to the pool on 2026-03-02",
    ]


def test_one_email_per_owner_lists_all_their_customers(smtp_server, fading, rep):
    second = backdate(CompanyFactory(owner=rep, name="Second Lamp Co"), owned=at(2026, 1, 1, 12))
    assert send_release_reminders(now=REMIND_NIGHT) == 2
    [sent] = smtp_server.messages
    body = body_of(sent["message"])
    assert "Fading Lights Ltd" in body and second.name in body
    assert "2 customers return" in str(make_header(decode_header(sent["message"]["Subject"])))


def test_no_reminder_when_the_release_is_further_away(smtp_server, fading):
    assert send_release_reminders(now=at(2026, 1, 28, 2, 10)) == 0
    assert not Task.objects.filter(company=fading).exists()


def test_zero_days_turns_reminders_off(smtp_server, fading, policy):
    policy.release_reminder_days = 0
    policy.save()
    assert send_release_reminders(now=REMIND_NIGHT) == 0
    assert smtp_server.messages == []


def test_protected_customers_get_no_reminder(smtp_server, fading):
    Company.objects.filter(pk=fading.pk).update(stage="sample")
    assert send_release_reminders(now=REMIND_NIGHT) == 0


def test_the_reminder_is_written_in_the_owners_language(smtp_server, fading, rep, monkeypatch):
    rep.language = "zh-hans"
    rep.save()
    monkeypatch.setattr(release, "_", lambda text: f"{translation.get_language()}|{text}")
    send_release_reminders(now=REMIND_NIGHT)
    title = Task.objects.get(company=fading).title
    assert title == "zh-hans|Follow up or lose it to the pool on 2026-02-01"


def test_the_task_is_due_at_the_owners_next_ten_oclock(smtp_server, fading, rep):
    rep.time_zone = "Europe/Berlin"  # 02:10 in Shanghai is 19:10 the day before in Berlin
    rep.save()
    send_release_reminders(now=REMIND_NIGHT)
    from zoneinfo import ZoneInfo

    due = Task.objects.get(company=fading).due_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (due.day, due.hour) == (29, 10)


def test_a_failed_email_is_sent_by_a_later_run_and_only_once(settings, smtp_server, fading):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert send_release_reminders(now=REMIND_NIGHT) == 1
    assert PoolReminder.objects.get().emailed_at is None
    settings.EMAIL_PORT = port
    # Within the lease the claim is still held; after it, the next run sends.
    assert send_reminder_emails(now=REMIND_NIGHT + timedelta(minutes=5)) == 0
    assert send_release_reminders(now=REMIND_NIGHT + timedelta(days=1)) == 0
    assert len(smtp_server.messages) == 1
    assert send_reminder_emails(now=REMIND_NIGHT + timedelta(days=1, hours=1)) == 0
    assert len(smtp_server.messages) == 1


def test_a_reminder_is_not_emailed_after_the_customer_changed_hands(
    smtp_server, fading, teammate, monkeypatch
):
    monkeypatch.setattr(release, "send_reminder_emails", lambda now: 0)
    send_release_reminders(now=REMIND_NIGHT)
    Company.objects.filter(pk=fading.pk).update(owner=teammate)
    assert send_reminder_emails(now=REMIND_NIGHT + timedelta(hours=1)) == 0
    assert smtp_server.messages == []
