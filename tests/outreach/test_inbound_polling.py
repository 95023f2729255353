"""Polling a real IMAP server (dovecot on a loopback port): fetch, file, exactly once."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.factories import ContactFactory
from tests.outreach.mail_samples import mail
from tradewind.core import scheduler
from tradewind.customers.models import Activity, Task
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.inbound import polling
from tradewind.outreach.inbound.polling import MailboxPollError, poll_mailbox
from tradewind.outreach.models import InboundMessage, Mailbox
from tradewind.outreach.secrets import encrypt_password

NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
RECENT = NOW - dt.timedelta(hours=3)


def deliver(imap_server, mailbox, raw, when=RECENT):
    return imap_server.deliver(mailbox.imap_folder, raw, when=when)


def test_new_messages_are_fetched_matched_and_left_unread(imap_server, imap_mailbox, company):
    ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    known = deliver(imap_server, imap_mailbox, mail())
    deliver(imap_server, imap_mailbox, mail(sender="Ravi <ravi@newbuyer.in>", subject="Inquiry"))
    result = poll_mailbox(imap_mailbox, now=NOW)
    assert (result.fetched, result.stored, result.failed) == (2, 2, 0)
    statuses = dict(InboundMessage.objects.values_list("from_email", "status"))
    assert statuses == {
        "anna@nordlicht.de": InboundStatus.MATCHED,
        "ravi@newbuyer.in": InboundStatus.NEW_INQUIRY,
    }
    assert Activity.objects.filter(company=company, direction="in").count() == 1
    assert b"\\Seen" not in imap_server.flags(imap_mailbox.imap_folder, known)
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.imap_last_uid == 2 and imap_mailbox.imap_uidvalidity
    assert imap_mailbox.last_polled_at == NOW


def test_polling_twice_files_each_message_once_and_fetches_only_new_ones(imap_server, imap_mailbox):
    deliver(imap_server, imap_mailbox, mail(sender="a@one.example"))
    assert poll_mailbox(imap_mailbox, now=NOW).stored == 1
    assert poll_mailbox(imap_mailbox, now=NOW).fetched == 0
    deliver(imap_server, imap_mailbox, mail(sender="b@two.example"))
    second = poll_mailbox(imap_mailbox, now=NOW)
    assert (second.fetched, second.stored) == (1, 1)
    # A poller whose progress was lost (or reset) fetches everything again and stores nothing.
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(imap_last_uid=0)
    imap_mailbox.refresh_from_db()
    replay = poll_mailbox(imap_mailbox, now=NOW)
    assert (replay.fetched, replay.stored, replay.skipped) == (2, 0, 2)
    assert InboundMessage.objects.count() == 2


def test_a_second_poller_running_in_the_middle_of_the_first_changes_nothing(
    imap_server, imap_mailbox, company, monkeypatch
):
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    for number in range(6):
        deliver(imap_server, imap_mailbox, mail(subject=f"Order question {number}"))
    real, calls = polling.file_message, []

    def first_poller_pauses_after_two(**kwargs):
        calls.append(kwargs["uid"])
        if len(calls) == 3:  # the first poller fetched 1–6 and filed 1–2: now the second runs
            second = poll_mailbox(Mailbox.objects.get(pk=imap_mailbox.pk), now=NOW)
            assert (second.fetched, second.stored) == (4, 4)
        return real(**kwargs)

    monkeypatch.setattr(polling, "file_message", first_poller_pauses_after_two)
    first = poll_mailbox(imap_mailbox, now=NOW)
    assert (first.fetched, first.stored, first.skipped) == (6, 2, 4)
    assert InboundMessage.objects.filter(contact=contact).count() == 6
    assert Activity.objects.filter(company=company, direction="in").count() == 6
    assert Mailbox.objects.get(pk=imap_mailbox.pk).imap_last_uid == 6


@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_file_every_message_exactly_once(imap_server, imap_mailbox, company):
    """Real threads on PostgreSQL. SQLite's in-memory test database cannot be shared by two
    threads (table locks, not busy waits), so there the pollers take turns; the test above
    interleaves them deterministically on both databases."""
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    for number in range(12):
        deliver(imap_server, imap_mailbox, mail(subject=f"Order question {number}"))
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if concurrent else 1)
    errors = []

    def poller():
        try:
            mailbox = Mailbox.objects.get(pk=imap_mailbox.pk)
            barrier.wait(timeout=10)
            poll_mailbox(mailbox, now=NOW)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            if concurrent:
                connection.close()

    if concurrent:
        threads = [threading.Thread(target=poller) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        poller()
        poller()
    assert not errors
    assert InboundMessage.objects.filter(contact=contact).count() == 12
    assert Activity.objects.filter(company=company, direction="in").count() == 12


def test_a_uidvalidity_change_starts_over_without_filing_twice(imap_server, imap_mailbox):
    first = mail(sender="a@one.example", message_id="<first@one.example>")
    deliver(imap_server, imap_mailbox, first)
    poll_mailbox(imap_mailbox, now=NOW)
    old_validity = Mailbox.objects.get(pk=imap_mailbox.pk).imap_uidvalidity
    imap_server.recreate_folder(imap_mailbox.imap_folder)  # the server renumbers the folder
    deliver(imap_server, imap_mailbox, first)  # the same message, now uid 1 again
    deliver(imap_server, imap_mailbox, mail(sender="b@two.example"))
    later = NOW + dt.timedelta(minutes=5)
    result = poll_mailbox(Mailbox.objects.get(pk=imap_mailbox.pk), now=later)
    assert result.uidvalidity_changed
    assert (result.fetched, result.stored, result.skipped) == (2, 1, 1)
    mailbox = Mailbox.objects.get(pk=imap_mailbox.pk)
    assert mailbox.imap_uidvalidity != old_validity
    assert mailbox.imap_last_uid == 2
    assert InboundMessage.objects.filter(message_id="<first@one.example>").count() == 1


def test_the_first_poll_reads_only_recent_mail(imap_server, imap_mailbox):
    deliver(
        imap_server, imap_mailbox, mail(sender="old@one.example"), when=NOW - dt.timedelta(days=60)
    )
    deliver(imap_server, imap_mailbox, mail(sender="new@two.example"))
    result = poll_mailbox(imap_mailbox, now=NOW)
    assert result.stored == 1
    assert InboundMessage.objects.get().from_email == "new@two.example"
    # The old message is behind the mark: later polls do not pick it up either.
    assert poll_mailbox(Mailbox.objects.get(pk=imap_mailbox.pk), now=NOW).fetched == 0


def test_hostile_messages_are_stored_readably_and_the_rest_still_arrives(
    imap_server, imap_mailbox, monkeypatch
):
    monkeypatch.setattr(polling, "TRUNCATED_BODY_BYTES", 4096)
    huge = mail(
        sender="big@catalogue.example",
        body="Please see our requirements.\n",
        attachment=b"%PDF-1.4\n" + b"x" * 1_500_000,
    )
    broken_charset = (
        b"From: Zhang <zhang@buyer.cn>\r\nSubject: =?gb2312?B?0a+82w==?=\r\n"
        b"Content-Type: text/plain; charset=gb2312\r\n\r\n" + "请报价".encode("gb18030") + b"\xff"
    )
    malformed = b"From: <<<>>>\r\nDate: never\r\nContent-Type: multipart/mixed\r\n\r\n--x--"
    html_only = mail(sender="h@html.example", body=None, html="<p>Need <b>800</b> units</p>")
    for raw in (huge, broken_charset, malformed, html_only):
        deliver(imap_server, imap_mailbox, raw)
    result = poll_mailbox(imap_mailbox, now=NOW)
    assert (result.fetched, result.failed) == (4, 0)
    by_sender = {m.from_email: m for m in InboundMessage.objects.all()}
    assert by_sender["big@catalogue.example"].body_text == "Please see our requirements."
    assert by_sender["zhang@buyer.cn"].subject == "询价"
    assert by_sender["zhang@buyer.cn"].body_text.startswith("请报价")
    assert by_sender[""].status == InboundStatus.NEW_INQUIRY
    assert by_sender["h@html.example"].body_text == "Need 800 units"


def test_a_message_that_cannot_be_filed_is_logged_and_skipped(
    imap_server, imap_mailbox, monkeypatch
):
    deliver(imap_server, imap_mailbox, mail(sender="boom@one.example"))
    deliver(imap_server, imap_mailbox, mail(sender="fine@two.example"))
    real = polling.file_message

    def flaky(**kwargs):
        if kwargs["parsed"].from_email == "boom@one.example":
            raise RuntimeError("bug")
        return real(**kwargs)

    monkeypatch.setattr(polling, "file_message", flaky)
    result = poll_mailbox(imap_mailbox, now=NOW)
    assert (result.failed, result.stored) == (1, 1)
    assert Mailbox.objects.get(pk=imap_mailbox.pk).imap_last_uid == 2


def test_a_reply_polled_from_imap_stops_the_sequence_and_asks_for_an_answer(
    imap_server, imap_mailbox, company, rep
):
    from tests.outreach.test_inbound_filing import enrol, sent_letter

    anna = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    enrollment = enrol(imap_mailbox, anna)
    sent_letter(imap_mailbox, anna, enrollment=enrollment)
    deliver(imap_server, imap_mailbox, mail(in_reply_to="<out-1@exporter.example>"))
    poll_mailbox(imap_mailbox, now=NOW)
    enrollment.refresh_from_db()
    assert enrollment.status == "stopped"
    assert Task.objects.get(company=company).assignee == rep


def test_a_wrong_password_or_folder_is_reported_clearly(imap_server, imap_mailbox):
    imap_mailbox.imap_password_encrypted = encrypt_password("wrong")
    with pytest.raises(MailboxPollError, match=r"Could not read the mailbox lily@exporter\."):
        poll_mailbox(imap_mailbox, now=NOW)
    imap_mailbox.imap_password_encrypted = encrypt_password(imap_server.password)
    imap_mailbox.imap_folder = "No such folder"
    with pytest.raises(MailboxPollError, match="No such folder"):
        poll_mailbox(imap_mailbox, now=NOW)
    closed_port = Mailbox(
        imap_host="127.0.0.1", imap_port=1, from_email="x@y.z", imap_security="none"
    )
    with pytest.raises(MailboxPollError):
        poll_mailbox(closed_port, now=NOW)


def test_the_periodic_job_polls_every_active_mailbox_and_survives_a_broken_one(
    imap_server, imap_mailbox, other_rep, settings
):
    Mailbox.objects.create(
        owner=other_rep,
        from_name="Tom",
        from_email="tom@exporter.example",
        smtp_host="x",
        imap_host="127.0.0.1",
        imap_port=1,
        imap_security="none",
    )
    Mailbox.objects.create(
        owner=other_rep,
        from_name="Off",
        from_email="off@exporter.example",
        smtp_host="x",
        imap_host=imap_server.host,
        is_active=False,
    )
    deliver(imap_server, imap_mailbox, mail(sender="a@one.example"), when=None)
    assert polling.poll_mailboxes.call() == 1
    assert "inbound-mail" in [job.name for job in scheduler.JOBS]
    job = next(job for job in scheduler.JOBS if job.name == "inbound-mail")
    assert job.every_minutes == 5
