"""Matching an incoming message to its customer and filing it exactly once (no IMAP here: the
parsed message goes straight to ``file_message``; the dovecot tests cover the fetching)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.mail_samples import mail
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company, Task
from tradewind.outreach.choices import EnrollmentStatus, InboundStatus, MessageStatus, StopReason
from tradewind.outreach.inbound.filing import answer_due_at, file_message
from tradewind.outreach.inbound.parsing import parse_message
from tradewind.outreach.models import (
    Enrollment,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    Sequence,
)

NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai, 10:00 in Berlin
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def mailbox(rep):
    return Mailbox.objects.create(
        owner=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        imap_host="127.0.0.1",
    )


@pytest.fixture
def anna(company):
    return ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")


def sent_letter(mailbox, contact, message_id="<out-1@exporter.example>", enrollment=None):
    return OutboundMessage.objects.create(
        idempotency_key=f"test:{message_id}",
        mailbox=mailbox,
        company=contact.company,
        contact=contact,
        enrollment=enrollment,
        to_email=contact.email,
        subject="LED panels",
        body_text="Dear Anna, …",
        scheduled_at=NOW - dt.timedelta(days=2),
        status=MessageStatus.SENT,
        message_id=message_id,
        sent_at=NOW - dt.timedelta(days=2),
    )


def enrol(mailbox, contact):
    sequence = Sequence.objects.create(name="Panels follow-up", owner=mailbox.owner)
    return Enrollment.objects.create(
        sequence=sequence,
        company=contact.company,
        contact=contact,
        mailbox=mailbox,
        enrolled_by=mailbox.owner,
    )


def file(mailbox, raw: bytes, uid: int = 1, uidvalidity: int = 7, now=NOW, arrived=None):
    return file_message(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=uid,
        parsed=parse_message(raw),
        internal_date=arrived,
        now=now,
    )


def test_a_reply_to_our_letter_is_matched_by_in_reply_to_and_stops_the_sequence(mailbox, anna, rep):
    enrollment = enrol(mailbox, anna)
    letter = sent_letter(mailbox, anna, enrollment=enrollment)
    inbound = file(mailbox, mail(in_reply_to="<out-1@exporter.example>"))
    assert inbound.status == InboundStatus.MATCHED
    assert (inbound.company, inbound.contact, inbound.reply_to_message) == (
        anna.company,
        anna,
        letter,
    )
    activity = Activity.objects.get(company=anna.company, direction="in")
    assert activity.kind == "email" and activity.contact == anna
    assert activity.summary.startswith("Re: LED panels for Nordlicht — Hello Lily, please send")
    assert activity.occurred_at == dt.datetime(2026, 3, 3, 8, 15, tzinfo=dt.UTC)
    assert activity.user == rep
    assert Company.objects.get(pk=anna.company_id).last_activity_at == activity.occurred_at
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.stop_reason) == (
        EnrollmentStatus.STOPPED,
        StopReason.REPLIED,
    )
    task = Task.objects.get(company=anna.company)
    assert task.title == "Answer Anna Weber's reply"
    assert task.assignee == rep and task.contact == anna
    # 17:00 in Shanghai: one office hour left today, the other tomorrow morning.
    assert task.due_at == dt.datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI)
    assert AuditEvent.objects.filter(
        company_id=anna.company_id, object_type="customers.task", actor=None
    ).exists()


def test_references_match_too_and_stored_ids_without_brackets_are_found(mailbox, anna):
    sent_letter(mailbox, anna, message_id="out-2@exporter.example")
    raw = mail(references="<unrelated@elsewhere> <out-2@exporter.example>")
    inbound = file(mailbox, raw)
    assert inbound.reply_to_message.message_id == "out-2@exporter.example"
    assert Task.objects.filter(company=anna.company).count() == 1


def test_a_reply_from_a_colleague_of_the_addressee_is_filed_under_the_colleague(
    mailbox, anna, company
):
    colleague = ContactFactory(company=company, name="Jonas Berg", email="jonas@nordlicht.de")
    sent_letter(mailbox, anna)
    raw = mail(sender="Jonas Berg <jonas@nordlicht.de>", in_reply_to="<out-1@exporter.example>")
    inbound = file(mailbox, raw)
    assert inbound.contact == colleague
    assert Task.objects.get(company=company).title == "Answer Jonas Berg's reply"


def test_a_known_contact_is_matched_by_address_without_a_task_when_not_in_a_sequence(mailbox, anna):
    inbound = file(mailbox, mail(sender="ANNA@Nordlicht.DE"))
    assert (inbound.status, inbound.contact) == (InboundStatus.MATCHED, anna)
    assert Activity.objects.filter(company=anna.company, contact=anna).count() == 1
    assert not Task.objects.filter(company=anna.company).exists()


def test_a_message_from_an_enrolled_contact_stops_the_sequence_even_without_threading(
    mailbox, anna
):
    enrollment = enrol(mailbox, anna)
    file(mailbox, mail(subject="Question about your catalogue"))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.STOPPED
    assert Task.objects.filter(company=anna.company).count() == 1


def test_an_unknown_person_at_a_known_domain_is_matched_to_the_company(mailbox, company, anna):
    inbound = file(mailbox, mail(sender="Einkauf <einkauf@nordlicht.de>"))
    assert (inbound.company, inbound.contact) == (company, None)
    sub = file(mailbox, mail(sender="x@mail.nordlicht.de"), uid=2)
    assert sub.company == company
    by_website = CompanyFactory(owner=company.owner, name="Lumen SA", website="https://lumen.fr")
    assert file(mailbox, mail(sender="achat@lumen.fr"), uid=3).company == by_website


def test_free_mail_domains_never_match_a_company(mailbox, company):
    ContactFactory(company=company, name="Private Anna", email="anna.weber@gmail.com")
    stranger = file(mailbox, mail(sender="someone.else@gmail.com"))
    assert stranger.status == InboundStatus.NEW_INQUIRY and stranger.company is None
    uk = file(mailbox, mail(sender="buyer@yahoo.co.uk"), uid=2)
    assert uk.status == InboundStatus.NEW_INQUIRY


def test_an_unknown_sender_waits_in_the_inbox_without_touching_any_timeline(mailbox, company):
    inbound = file(mailbox, mail(sender="Ravi <ravi@newbuyer.in>", subject="Inquiry: LED"))
    assert inbound.status == InboundStatus.NEW_INQUIRY
    assert (inbound.from_name, inbound.from_email) == ("Ravi", "ravi@newbuyer.in")
    assert not Activity.objects.filter(direction="in").exists()


def test_our_own_mail_is_skipped(mailbox, company):
    assert file(mailbox, mail(sender="lily@exporter.example")) is None
    assert file(mailbox, mail(sender="Boss <boss@exporter.example>"), uid=2) is None
    assert not InboundMessage.objects.exists()


def test_auto_replies_are_filed_but_stop_nothing_and_unmatched_ones_are_dropped(mailbox, anna):
    enrollment = enrol(mailbox, anna)
    sent_letter(mailbox, anna, enrollment=enrollment)
    out_of_office = mail(
        in_reply_to="<out-1@exporter.example>",
        subject="Out of office",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert file(mailbox, out_of_office).status == InboundStatus.MATCHED
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert not Task.objects.exists()
    bounce = mail(sender="MAILER-DAEMON@mx.unknown.example", subject="Undeliverable")
    assert file(mailbox, bounce, uid=2) is None


def test_the_same_uid_or_message_id_is_filed_once(mailbox, anna):
    enrol(mailbox, anna)
    raw = mail(message_id="<once@nordlicht.de>")
    assert file(mailbox, raw) is not None
    assert file(mailbox, raw) is None  # polled twice
    assert file(mailbox, raw, uid=99, uidvalidity=8) is None  # renumbered folder
    assert InboundMessage.objects.count() == 1
    assert Activity.objects.filter(direction="in").count() == 1
    assert Task.objects.count() == 1


def test_a_poller_that_loses_the_insert_race_leaves_no_trace(mailbox, anna):
    enrollment = enrol(mailbox, anna)
    # The other poller stored uid 1 a moment ago (under another Message-ID header reading).
    InboundMessage.objects.create(
        mailbox=mailbox,
        imap_uidvalidity=7,
        imap_uid=1,
        from_email="anna@nordlicht.de",
        received_at=NOW,
        status=InboundStatus.MATCHED,
    )
    with transaction.atomic():
        assert file(mailbox, mail(message_id="<race@nordlicht.de>")) is None
    assert not Activity.objects.filter(direction="in").exists()
    assert not Task.objects.exists()
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_a_message_reaching_two_reps_goes_on_the_timeline_once(mailbox, anna, teammate):
    other = Mailbox.objects.create(
        owner=teammate, from_name="Jack", from_email="jack@exporter.example", smtp_host="x"
    )
    raw = mail(message_id="<cc@nordlicht.de>", to="lily@exporter.example, jack@exporter.example")
    file(mailbox, raw)
    file(other, raw)
    assert InboundMessage.objects.filter(message_id="<cc@nordlicht.de>").count() == 2
    assert Activity.objects.filter(direction="in").count() == 1


def test_several_replies_in_a_row_leave_one_open_answer_task(mailbox, anna):
    enrol(mailbox, anna)
    sent_letter(mailbox, anna)
    for uid in (1, 2, 3):
        file(mailbox, mail(in_reply_to="<out-1@exporter.example>"), uid=uid)
    assert Task.objects.filter(done_at__isnull=True).count() == 1
    assert Activity.objects.filter(direction="in").count() == 3


def test_a_pool_customers_reply_goes_to_the_mailbox_owner(mailbox, anna, rep):
    Company.objects.filter(pk=anna.company_id).update(owner=None)
    sent_letter(mailbox, anna)
    file(mailbox, mail(in_reply_to="<out-1@exporter.example>"))
    assert Task.objects.get().assignee == rep


def test_the_mailbox_owners_own_customer_wins_when_an_address_is_in_two_companies(
    mailbox, rep, other_rep
):
    theirs = CompanyFactory(owner=other_rep, name="Nordlicht Twin")
    mine = CompanyFactory(owner=rep, name="Nordlicht Mine")
    ContactFactory(company=theirs, name="Anna", email="anna@twin.example")
    ContactFactory(company=mine, name="Anna", email="anna@twin.example")
    assert file(mailbox, mail(sender="anna@twin.example")).company == mine


def test_a_reply_about_another_reps_customer_follows_that_customer(mailbox, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep, name="Their Buyer", website="theirs.example")
    ContactFactory(company=theirs, name="Otto", email="otto@theirs.example")
    inbound = file(mailbox, mail(sender="otto@theirs.example"))
    assert inbound.company == theirs
    assert InboundMessage.objects.visible_to(other_rep).filter(pk=inbound.pk).exists()
    assert not InboundMessage.objects.visible_to(rep).filter(pk=inbound.pk).exists()


def test_implausible_dates_fall_back_to_the_arrival_time_or_now(mailbox):
    arrived = NOW - dt.timedelta(hours=1)
    future = file(
        mailbox,
        mail(sender="a@new.example", date="Fri, 01 Jan 2100 10:00:00 +0000"),
        arrived=arrived,
    )
    assert future.received_at == arrived
    ancient = file(
        mailbox, mail(sender="b@new.example", date="Mon, 01 Jan 1979 10:00:00 +0000"), uid=2
    )
    assert ancient.received_at == NOW


@pytest.mark.parametrize(
    ("local_now", "due"),
    [
        (dt.datetime(2026, 3, 3, 10, 0), dt.datetime(2026, 3, 3, 12, 0)),  # Tuesday morning
        (dt.datetime(2026, 3, 3, 17, 0), dt.datetime(2026, 3, 4, 10, 0)),  # one hour left
        (dt.datetime(2026, 3, 3, 22, 0), dt.datetime(2026, 3, 4, 11, 0)),  # evening
        (dt.datetime(2026, 3, 3, 6, 0), dt.datetime(2026, 3, 3, 11, 0)),  # before office
        (dt.datetime(2026, 3, 6, 17, 30), dt.datetime(2026, 3, 9, 10, 30)),  # Friday late
        (dt.datetime(2026, 3, 7, 12, 0), dt.datetime(2026, 3, 9, 11, 0)),  # Saturday
    ],
)
def test_the_answer_is_due_within_two_office_hours(local_now, due):
    now = local_now.replace(tzinfo=SHANGHAI)
    assert answer_due_at(now, SHANGHAI) == due.replace(tzinfo=SHANGHAI)
