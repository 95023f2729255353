"""Sequences: steps after delays in the buyer's working days, the runner performing each step
once (also with two runners at once), the stop conditions, pause and resume. Enrolment and the
sequence pages are in test_enrolment.py."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import translation

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.letter_data import enrol, make_mailbox, make_template, utc
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.scheduler import JOBS
from tradewind.customers.models import Task
from tradewind.customers.services import company_update, contact_update
from tradewind.outreach import buyer_time, sequences
from tradewind.outreach.choices import EnrollmentStatus, MessageStatus, StepKind, StopReason
from tradewind.outreach.models import Enrollment, OutboundMessage, Suppression
from tradewind.outreach.sequence_runner import advance, advance_due
from tradewind.outreach.sequences import StepSpec, sequence_save
from tradewind.outreach.suppression import suppression_add

# --- Sequences -------------------------------------------------------------------------------


def test_a_sequence_keeps_its_steps_in_order_and_editing_replaces_them(
    rep, cadence, letter_template
):
    steps = list(cadence.steps.values_list("position", "kind", "delay_working_days"))
    assert steps == [(1, "email", 0), (2, "call", 3), (3, "email", 2)]
    sequence_save(
        actor=rep,
        sequence_id=cadence.pk,
        name="Cold outreach DE",
        steps=[StepSpec(kind="linkedin", task_title="Connect on LinkedIn")],
    )
    assert list(cadence.steps.values_list("position", "kind")) == [(1, "linkedin")]


@pytest.mark.parametrize(
    ("step", "says"),
    [
        (StepSpec(kind="email"), "choose the template"),
        (StepSpec(kind="call", task_title="  "), "say what the task is"),
        (StepSpec(kind="fax", task_title="x"), "choose an email or a task"),
        (StepSpec(kind="call", delay_working_days=61, task_title="x"), "0 to 60"),
        (StepSpec(kind="call", delay_working_days=-1, task_title="x"), "0 to 60"),
        (StepSpec(kind="whatsapp", task_title="x" * 201), "at most 200"),
    ],
)
def test_bad_steps_are_refused_with_their_number(rep, step, says):
    with pytest.raises(DomainError) as caught:
        sequence_save(
            actor=rep, name="Broken", steps=[StepSpec(kind="call", task_title="ok"), step]
        )
    assert caught.value.message.startswith("Step 2: ") and says in caught.value.message


def test_a_sequence_needs_steps_at_most_twenty_and_templates_it_may_use(rep, other_rep):
    with pytest.raises(DomainError, match="at least one step"):
        sequence_save(actor=rep, name="Empty", steps=[])
    with pytest.raises(DomainError, match="at most 20"):
        sequence_save(actor=rep, name="Long", steps=[StepSpec(kind="call", task_title="x")] * 21)
    private = make_template(other_rep)
    with pytest.raises(DomainError, match="not yours to use"):
        sequence_save(
            actor=rep, name="Theirs", steps=[StepSpec(kind="email", template_id=private.pk)]
        )


def test_a_template_with_custom_fields_cannot_be_a_sequence_step(rep):
    template = make_template(rep, body="About {{ custom.product }}")
    with pytest.raises(DomainError, match="custom fields"):
        sequence_save(actor=rep, name="S", steps=[StepSpec(kind="email", template_id=template.pk)])


# --- Working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "start", "days", "expected"),
    [
        ("DE", dt.date(2025, 1, 17), 1, dt.date(2025, 1, 20)),  # Friday + 1 → Monday
        ("DE", dt.date(2025, 10, 2), 1, dt.date(2025, 10, 6)),  # over German Unity Day
        ("DE", dt.date(2025, 12, 23), 2, dt.date(2025, 12, 29)),  # over Christmas
        ("SA", dt.date(2025, 1, 16), 1, dt.date(2025, 1, 19)),  # Thursday + 1 → Sunday
        ("SA", dt.date(2025, 1, 17), 0, dt.date(2025, 1, 19)),  # Friday is their weekend
        ("DE", dt.date(2025, 1, 13), 5, dt.date(2025, 1, 20)),
    ],
)
def test_delays_count_the_buyers_working_days(rep, country, start, days, expected):
    company = CompanyFactory(owner=rep, country=country)
    clock = buyer_time.buyer_clock(company)
    assert buyer_time.add_working_days(clock, start, days) == expected


def test_each_step_is_due_in_the_buyers_morning_after_its_working_day_delay(
    rep, buyer, mailbox, cadence
):
    enrollment = enrol(rep, buyer, cadence)
    first = enrollment.next_due_at
    assert utc(2025, 1, 13, 8, 0) <= first < utc(2025, 1, 13, 9, 30)  # Monday, Berlin 09:00–10:30
    assert advance(enrollment, first) == "sent"
    enrollment.refresh_from_db()
    second = enrollment.next_due_at
    assert second.date() == dt.date(2025, 1, 16)  # three working days after Monday
    assert advance(enrollment, second) == "task"
    enrollment.refresh_from_db()
    assert enrollment.next_due_at.date() == dt.date(2025, 1, 20)  # Thursday + 2 → Monday


# --- The runner ------------------------------------------------------------------------------


def test_an_email_step_is_queued_once_however_often_the_runner_runs(rep, buyer, mailbox, cadence):
    enrollment = enrol(rep, buyer, cadence)
    due = enrollment.next_due_at
    assert advance_due(due) == {"sent": 1}
    assert advance_due(due) == {}
    assert advance(enrollment, due) == "not due"
    message = OutboundMessage.objects.get()
    assert message.idempotency_key == f"seq:{enrollment.pk}:1"
    assert message.subject == "LED panels for Nordlicht Leuchten GmbH"
    assert message.body_text.startswith("Dear Anna,")
    assert (message.enrollment, message.is_bulk, message.mailbox) == (enrollment, True, mailbox)
    assert message.scheduled_at == due
    # Even if the position were set back (a restored backup), the key keeps it one message.
    Enrollment.objects.filter(pk=enrollment.pk).update(next_position=1, next_due_at=due)
    advance(enrollment, due)
    assert OutboundMessage.objects.filter(idempotency_key=f"seq:{enrollment.pk}:1").count() == 1


def test_a_task_step_creates_one_follow_up_for_the_owner_in_their_language(
    rep, buyer, mailbox, cadence
):
    rep.language = "zh-hans"
    rep.save()
    enrollment = enrol(rep, buyer, cadence)
    advance(enrollment, enrollment.next_due_at)
    enrollment.refresh_from_db()
    due = enrollment.next_due_at
    advance(enrollment, due)
    advance(enrollment, due)
    task = Task.objects.get()
    with translation.override("zh-hans"):
        assert task.title == f"{StepKind.CALL.label}: Call about the catalogue"
    assert (task.assignee, task.contact, task.company) == (rep, buyer, buyer.company)
    assert task.due_at == due


def test_the_last_step_completes_the_enrollment(rep, buyer, mailbox, cadence):
    enrollment = enrol(rep, buyer, cadence)
    for _ in range(3):
        enrollment.refresh_from_db()
        advance(enrollment, enrollment.next_due_at)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.next_due_at is None
    assert OutboundMessage.objects.count() == 2 and Task.objects.count() == 1


def test_a_late_runner_sends_in_the_buyers_next_window_not_at_night(rep, buyer, mailbox, cadence):
    enrollment = enrol(rep, buyer, cadence)
    late = utc(2025, 1, 13, 20, 0)  # 21:00 in Berlin: the runner was down all day
    advance(enrollment, late)
    sent_at = OutboundMessage.objects.get().scheduled_at
    assert utc(2025, 1, 14, 8, 0) <= sent_at < utc(2025, 1, 14, 9, 30)


def test_a_batch_is_spread_over_the_window_so_no_two_letters_leave_together(rep, mailbox, cadence):
    company = CompanyFactory(owner=rep, country="DE")
    contacts = [
        ContactFactory(company=company, name=f"Buyer {n}", email=f"b{n}@nordlicht.de")
        for n in range(60)
    ]
    for contact in contacts:
        enrol(rep, contact, cadence)
    moments = list(Enrollment.objects.values_list("next_due_at", flat=True))
    assert len(set(moments)) == 60
    assert all(utc(2025, 1, 13, 8, 0) <= m < utc(2025, 1, 13, 9, 30) for m in moments)


def test_an_empty_merge_value_at_send_time_pauses_and_tells_the_rep(
    rep, buyer, mailbox, letter_template
):
    template = make_template(rep, name="Title letter", body="As {{ contact.title }} you know…")
    sequence = sequence_save(
        actor=rep, name="Titles", steps=[StepSpec(kind="email", template_id=template.pk)]
    )
    enrollment = enrol(rep, buyer, sequence)
    contact_update(actor=rep, contact_id=buyer.pk, title="")
    assert advance(enrollment, enrollment.next_due_at) == "paused"
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.PAUSED
    assert not OutboundMessage.objects.exists()
    assert "contact.title is empty for Anna Weber" in Task.objects.get().title


def test_the_periodic_job_is_registered_every_five_minutes():
    job = next(job for job in JOBS if job.name == "sequence-advance")
    assert job.task_path == "tradewind.outreach.sequence_runner.advance_sequences"
    assert job.every_minutes == 5


# --- Stops -----------------------------------------------------------------------------------


def queued_then(rep, buyer, cadence):
    enrollment = enrol(rep, buyer, cadence)
    advance(enrollment, enrollment.next_due_at)
    enrollment.refresh_from_db()
    return enrollment


def test_a_reply_stops_the_sequence_and_cancels_its_waiting_email(rep, buyer, mailbox, cadence):
    enrollment = queued_then(rep, buyer, cadence)
    assert sequences.stop_enrollments(contact=buyer, reason=StopReason.REPLIED) == 1
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "replied")
    assert OutboundMessage.objects.get().status == MessageStatus.CANCELLED
    assert advance_due(utc(2025, 2, 1, 9, 0)) == {}
    assert sequences.stop_enrollments(contact=buyer, reason=StopReason.REPLIED) == 0


@pytest.mark.parametrize(
    ("reason", "expected"),
    [("bounced", "bounced"), ("unsubscribed", "unsubscribed"), ("complaint", "unsubscribed")],
)
def test_a_bounce_or_unsubscribe_stops_whoever_has_the_address(
    rep, buyer, mailbox, cadence, reason, expected
):
    enrollment = enrol(rep, buyer, cadence)
    assert sequences.stop_for_address("ANNA.WEBER@nordlicht.de ", reason) == 1
    enrollment.refresh_from_db()
    assert enrollment.stop_reason == expected


def test_adding_an_address_to_the_suppression_list_stops_its_sequences(
    rep, manager, buyer, mailbox, cadence
):
    enrollment = enrol(rep, buyer, cadence)
    suppression_add(actor=manager, email="anna.weber@nordlicht.de", reason="unsubscribed")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.stop_reason) == ("stopped", "unsubscribed")


def test_a_customer_at_the_inquiry_stage_gets_no_more_steps(rep, buyer, mailbox, cadence):
    enrollment = enrol(rep, buyer, cadence)
    company_update(actor=rep, company_id=buyer.company_id, stage="inquiry")
    assert advance(enrollment, enrollment.next_due_at) == "stopped"
    enrollment.refresh_from_db()
    assert enrollment.stop_reason == StopReason.INQUIRY
    assert not OutboundMessage.objects.exists()


def test_stage_rule_stops_from_inquiry_on_but_lets_a_dormant_customer_be_reactivated():
    assert [s for s in ("lead", "contacted", "dormant") if sequences.past_first_contact(s)] == []
    assert all(
        sequences.past_first_contact(s) for s in ("inquiry", "quoted", "ordered", "repeat", "lost")
    )


def test_the_rep_can_stop_pause_and_resume_but_another_rep_cannot(
    rep, other_rep, buyer, mailbox, cadence
):
    enrollment = queued_then(rep, buyer, cadence)
    for service in (sequences.enrollment_pause, sequences.enrollment_stop):
        with pytest.raises(NotFound):
            service(actor=other_rep, enrollment_id=enrollment.pk)
    sequences.enrollment_stop(actor=rep, enrollment_id=enrollment.pk)
    enrollment.refresh_from_db()
    assert enrollment.stop_reason == StopReason.MANUAL
    with pytest.raises(DomainError, match="already ended"):
        sequences.enrollment_stop(actor=rep, enrollment_id=enrollment.pk)


def test_pause_holds_the_waiting_email_and_resume_sends_it_from_now(rep, buyer, mailbox, cadence):
    enrollment = enrol(rep, buyer, cadence)
    advance(enrollment, enrollment.next_due_at)
    sequences.enrollment_pause(actor=rep, enrollment_id=enrollment.pk)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.PAUSED and enrollment.next_position == 1
    assert OutboundMessage.objects.get().status == MessageStatus.CANCELLED
    assert advance_due(utc(2025, 1, 20, 9, 0)) == {}
    resumed = sequences.enrollment_resume(
        actor=rep, enrollment_id=enrollment.pk, now=utc(2025, 1, 17, 12, 0)
    )
    assert utc(2025, 1, 20, 8, 0) <= resumed.next_due_at < utc(2025, 1, 20, 9, 30)  # Monday
    advance(enrollment, resumed.next_due_at)
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.SCHEDULED
    assert message.scheduled_at == resumed.next_due_at
    with pytest.raises(DomainError, match="Only a paused"):
        sequences.enrollment_resume(actor=rep, enrollment_id=enrollment.pk)


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_the_same_moment_queue_each_step_once(rep):
    """On PostgreSQL the runners share the work (SKIP LOCKED); on SQLite they take turns."""
    make_mailbox(rep)
    template = make_template(rep)
    sequence = sequence_save(
        actor=rep, name="Race", steps=[StepSpec(kind="email", template_id=template.pk)]
    )
    company = CompanyFactory(owner=rep, country="DE")
    for n in range(30):
        contact = ContactFactory(company=company, name=f"Buyer {n}", email=f"b{n}@race.de")
        enrol(rep, contact, sequence)
    barrier, outcomes = threading.Barrier(2), []

    def runner():
        try:
            barrier.wait()
            outcomes.append(advance_due(utc(2025, 1, 13, 9, 40)))
        finally:
            connection.close()

    if connection.vendor == "sqlite":
        # The in-memory test database answers a second writer with "table is locked" at once
        # instead of waiting, so here the runners take turns as file SQLite's locks make them.
        barrier = threading.Barrier(1)
        runner()
        runner()
    else:
        threads = [threading.Thread(target=runner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(outcome.get("sent", 0) for outcome in outcomes) == 30
    assert OutboundMessage.objects.count() == 30
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"completed"}


def test_an_address_listed_behind_the_outbox_back_is_still_caught_before_the_step(
    rep, buyer, mailbox, cadence
):
    enrollment = enrol(rep, buyer, cadence)
    Suppression.objects.create(email="anna.weber@nordlicht.de", reason="bounced")
    assert advance(enrollment, enrollment.next_due_at) == "stopped"
    enrollment.refresh_from_db()
    assert enrollment.stop_reason == StopReason.BOUNCED
    assert not OutboundMessage.objects.exists()
