"""Inquiry services: create with its deadline and the customer's stage, details, lines with
catalogue prefill, waivers, the first reply (by hand and from the timeline), close and reopen —
atomic, audited, and only on customers the actor can see."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory, UserFactory
from tests.quotes.inquiry_data import FULL_LINE, make_inquiry
from tradewind.catalog.models import Product
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers import services as customer_services
from tradewind.customers.models import Activity, Company, WorkspacePolicy
from tradewind.quotes import inquiries
from tradewind.quotes.models import Inquiry, InquiryLine
from tradewind.quotes.workhours import response_due


def events(inquiry, action):
    return AuditEvent.objects.filter(
        object_type="quotes.inquiry", object_id=inquiry.pk, action=action
    )


# --- Create --------------------------------------------------------------------------------------


def test_a_new_inquiry_goes_to_the_customers_owner_with_an_audited_creation(rep, teammate):
    company = CompanyFactory(owner=rep)
    contact = ContactFactory(company=company)
    inquiry = make_inquiry(rep, company, contact=contact, lines=[FULL_LINE])
    assert inquiry.assignee == rep
    assert inquiry.contact == contact
    assert inquiry.status == "open"
    assert list(inquiry.lines.values_list("description", flat=True)) == [FULL_LINE["description"]]
    event = events(inquiry, "create").get()
    assert event.company_id == company.pk
    assert event.changes["products"] == [FULL_LINE["description"]]


def test_an_inquiry_for_a_pool_customer_is_handled_by_whoever_creates_it(rep, other_rep):
    company = CompanyFactory(owner=None, actor=other_rep)
    inquiry = make_inquiry(rep, company)
    assert inquiry.assignee == rep


def test_the_first_reply_is_due_in_the_policys_working_hours_in_the_handlers_zone(rep, company):
    policy = WorkspacePolicy.current()
    policy.inquiry_response_hours, policy.working_day_start, policy.working_day_end = 4, 8, 17
    policy.save()
    rep.time_zone = "Europe/Berlin"
    rep.save()
    received = dt.datetime(2025, 3, 7, 15, 0, tzinfo=dt.UTC)  # Friday 16:00 in Berlin
    inquiry = make_inquiry(rep, company, received_at=received)
    expected = response_due(
        received, 4, zone="Europe/Berlin", start_hour=8, end_hour=17, country="DE"
    )
    assert inquiry.first_response_due_at == expected
    assert inquiry.first_response_due_at == dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)


def test_a_broken_working_day_in_the_policy_is_named(rep, company):
    WorkspacePolicy.objects.update_or_create(
        pk=1, defaults={"working_day_start": 18, "working_day_end": 9}
    )
    with pytest.raises(DomainError, match="working day"):
        make_inquiry(rep, company)
    assert not Inquiry.objects.exists()


def test_a_lead_or_contacted_customer_moves_to_the_inquiry_stage(rep):
    for stage in ("lead", "contacted"):
        company = CompanyFactory(owner=rep, stage=stage)
        make_inquiry(rep, company)
        company.refresh_from_db()
        assert company.stage == "inquiry"
        change = AuditEvent.objects.filter(
            object_type="customers.company", object_id=company.pk, action="update"
        ).get()
        assert change.changes["stage"] == [stage, "inquiry"]


def test_a_customer_further_on_keeps_its_stage(rep):
    company = CompanyFactory(owner=rep, stage="sample")
    make_inquiry(rep, company)
    company.refresh_from_db()
    assert company.stage == "sample"


def test_a_new_inquiry_stops_the_customers_follow_up_sequence(rep):
    from tests.outreach.letter_data import enrol, make_mailbox, make_template
    from tradewind.outreach.sequence_runner import advance
    from tradewind.outreach.sequences import StepSpec, sequence_save

    make_mailbox(rep)
    company = CompanyFactory(owner=rep, stage="contacted", country="DE")
    buyer = ContactFactory(company=company, email="anna.weber@nordlicht.de", name="Anna Weber")
    template = make_template(rep)
    cadence = sequence_save(
        actor=rep,
        name="Three touches",
        steps=[StepSpec(kind="email", template_id=template.pk, delay_working_days=2)],
    )
    enrollment = enrol(rep, buyer, cadence)
    make_inquiry(rep, company, contact=buyer)
    assert advance(enrollment, enrollment.next_due_at) == "stopped"
    enrollment.refresh_from_db()
    assert enrollment.stop_reason == "inquiry"


def test_another_reps_customer_does_not_exist_for_an_inquiry(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        make_inquiry(rep, theirs)
    assert not Inquiry.objects.exists()


def test_the_contact_must_work_for_the_customer(rep, company):
    elsewhere = ContactFactory(company=CompanyFactory(owner=rep))
    with pytest.raises(DomainError) as caught:
        make_inquiry(rep, company, contact=elsewhere)
    assert caught.value.field == "contact"


def test_a_rep_cannot_give_an_inquiry_to_another_team(rep, other_rep, company):
    with pytest.raises(PermissionDenied):
        make_inquiry(rep, company, assignee=other_rep)


def test_a_manager_can_give_it_to_a_team_member(manager, rep, teammate, company):
    inquiry = make_inquiry(manager, company, assignee=teammate)
    assert inquiry.assignee == teammate


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"received_at": timezone.now() + dt.timedelta(days=1)}, "received_at"),
        ({"received_at": dt.datetime(2025, 1, 1, 9, 0)}, "received_at"),
        ({"incoterm": "XYZ"}, "incoterm"),
        ({"destination_port": "H" * 121}, "destination_port"),
    ],
)
def test_bad_details_are_refused_with_the_field_named(rep, company, fields, field):
    with pytest.raises(DomainError) as caught:
        make_inquiry(rep, company, **fields)
    assert caught.value.field == field
    assert not Inquiry.objects.exists()


def test_unknown_fields_are_refused(rep, company):
    with pytest.raises(DomainError, match="Unknown"):
        make_inquiry(rep, company, status="won")


def test_hostile_text_is_stored_as_typed(rep, company):
    text = "<script>alert('x')</script> 你好 ' OR 1=1 --"
    inquiry = make_inquiry(rep, company, subject=text, packing=text)
    inquiry.refresh_from_db()
    assert inquiry.subject == text


# --- Update --------------------------------------------------------------------------------------


def test_changing_the_arrival_time_recomputes_the_deadline(rep, company):
    inquiry = make_inquiry(rep, company)
    earlier = dt.datetime(2025, 3, 4, 1, 0, tzinfo=dt.UTC)  # Tuesday 09:00 in Shanghai
    inquiries.inquiry_update(actor=rep, inquiry_id=inquiry.pk, received_at=earlier)
    inquiry.refresh_from_db()
    assert inquiry.first_response_due_at == dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)
    change = events(inquiry, "update").get()
    assert set(change.changes) == {"received_at", "first_response_due_at"}


def test_an_update_that_changes_nothing_writes_no_audit_event(rep, company):
    inquiry = make_inquiry(rep, company, packing="Cartons")
    inquiries.inquiry_update(actor=rep, inquiry_id=inquiry.pk, packing=" Cartons ")
    assert not events(inquiry, "update").exists()


def test_a_closed_inquiry_is_read_only_until_reopened(rep, company):
    inquiry = make_inquiry(rep, company)
    inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="lost", reason="Too dear")
    with pytest.raises(DomainError, match="reopen"):
        inquiries.inquiry_update(actor=rep, inquiry_id=inquiry.pk, packing="Cartons")
    with pytest.raises(DomainError, match="reopen"):
        inquiries.inquiry_line_add(actor=rep, inquiry_id=inquiry.pk, description="Panel")
    inquiries.inquiry_reopen(actor=rep, inquiry_id=inquiry.pk)
    inquiries.inquiry_update(actor=rep, inquiry_id=inquiry.pk, packing="Cartons")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_reason, inquiry.packing) == ("open", "", "Cartons")


def test_another_rep_cannot_touch_an_inquiry(rep, other_rep, company):
    inquiry = make_inquiry(rep, company, lines=[FULL_LINE])
    line = inquiry.lines.get()
    for call in (
        lambda: inquiries.inquiry_update(actor=other_rep, inquiry_id=inquiry.pk, packing="x"),
        lambda: inquiries.inquiry_waive(
            actor=other_rep, inquiry_id=inquiry.pk, item="packing", reason="x"
        ),
        lambda: inquiries.inquiry_line_add(actor=other_rep, inquiry_id=inquiry.pk, description="x"),
        lambda: inquiries.inquiry_line_update(actor=other_rep, line_id=line.pk, quantity=1),
        lambda: inquiries.inquiry_line_remove(actor=other_rep, line_id=line.pk),
        lambda: inquiries.inquiry_close(
            actor=other_rep, inquiry_id=inquiry.pk, status="lost", reason="x"
        ),
        lambda: inquiries.record_first_response(inquiry, actor=other_rep),
    ):
        with pytest.raises(NotFound):
            call()
    inquiry.refresh_from_db()
    assert (inquiry.packing, inquiry.status, inquiry.lines.count()) == ("", "open", 1)


# --- Lines ---------------------------------------------------------------------------------------


@pytest.fixture
def product(db):
    return Product.objects.create(
        model="LP-6060",
        name_en="LED panel 600x600 40W",
        specification="4000K, CRI>80",
        material="Aluminium frame",
        unit="pc",
        unit_cost_rmb=Decimal("35"),
    )


def test_a_catalogue_product_fills_description_specification_and_material(rep, company, product):
    inquiry = make_inquiry(rep, company)
    line = inquiries.inquiry_line_add(
        actor=rep, inquiry_id=inquiry.pk, product=product, quantity=500
    )
    assert (line.description, line.specification, line.material) == (
        "LED panel 600x600 40W",
        "4000K, CRI>80",
        "Aluminium frame",
    )
    typed = inquiries.inquiry_line_add(
        actor=rep, inquiry_id=inquiry.pk, product=product, material="Steel frame"
    )
    assert typed.material == "Steel frame"
    assert [ln.position for ln in inquiry.lines.all()] == [1, 2]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": " "}, "description"),
        ({"description": "x" * 301}, "description"),
        ({"description": "Panel", "quantity": 0}, "quantity"),
        ({"description": "Panel", "quantity": -5}, "quantity"),
        ({"description": "Panel", "target_price": "-1"}, "target_price"),
        ({"description": "Panel", "target_price": "abc"}, "target_price"),
        ({"description": "Panel", "target_price": "NaN"}, "target_price"),
        ({"description": "Panel", "target_price": "1" * 20}, "target_price"),
        ({"description": "Panel", "unit": "u" * 13}, "unit"),
    ],
)
def test_bad_lines_are_refused_with_the_field_named(rep, company, fields, field):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError) as caught:
        inquiries.inquiry_line_add(actor=rep, inquiry_id=inquiry.pk, **fields)
    assert caught.value.field == field
    assert not inquiry.lines.exists()


def test_a_bad_line_on_create_names_its_number_and_saves_nothing(rep, company):
    with pytest.raises(DomainError, match="Line 2"):
        make_inquiry(rep, company, lines=[FULL_LINE, FULL_LINE | {"quantity": 0}])
    assert not Inquiry.objects.exists()
    assert not InquiryLine.objects.exists()


def test_lines_are_edited_and_removed_with_audit_events(rep, company):
    inquiry = make_inquiry(rep, company, lines=[FULL_LINE])
    line = inquiry.lines.get()
    inquiries.inquiry_line_update(actor=rep, line_id=line.pk, quantity=3000, target_price="7.5")
    line.refresh_from_db()
    assert (line.quantity, line.target_price) == (3000, Decimal("7.5"))
    inquiries.inquiry_line_remove(actor=rep, line_id=line.pk)
    assert not inquiry.lines.exists()
    actions = set(
        AuditEvent.objects.filter(object_type="quotes.inquiryline").values_list("action", flat=True)
    )
    assert actions == {"update", "delete"}


# --- Waivers -------------------------------------------------------------------------------------


def test_a_waiver_needs_a_reason(rep, company):
    inquiry = make_inquiry(rep, company)
    for reason in ("", "   ", None):
        with pytest.raises(DomainError) as caught:
            inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason=reason)
        assert caught.value.field == "reason"
    inquiry.refresh_from_db()
    assert inquiry.waivers == {}


def test_a_waiver_reason_is_at_most_300_characters(rep, company):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError, match="300") as caught:
        inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason="x" * 301)
    assert caught.value.field == "reason"
    inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason="y" * 300)
    inquiry.refresh_from_db()
    assert inquiry.waivers == {"packing": "y" * 300}


@pytest.mark.parametrize("item", ["colour", "", "__proto__", "packing; DROP TABLE", None])
def test_only_checklist_items_can_be_waived(rep, company, item):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError) as caught:
        inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item=item, reason="because")
    assert caught.value.field == "item"


def test_a_filled_detail_cannot_be_waived(rep, company):
    inquiry = make_inquiry(rep, company, packing="Cartons")
    with pytest.raises(DomainError, match="already filled"):
        inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason="x")


def test_waive_and_unwaive_are_audited(rep, company):
    inquiry = make_inquiry(rep, company)
    inquiries.inquiry_waive(
        actor=rep, inquiry_id=inquiry.pk, item="certificates", reason="  No   certificates  "
    )
    inquiries.inquiry_unwaive(actor=rep, inquiry_id=inquiry.pk, item="certificates")
    inquiries.inquiry_unwaive(actor=rep, inquiry_id=inquiry.pk, item="certificates")  # no-op
    inquiry.refresh_from_db()
    assert inquiry.waivers == {}
    assert events(inquiry, "waive").get().changes == {
        "item": "certificates",
        "reason": "No certificates",
    }
    assert events(inquiry, "unwaive").count() == 1


# --- The first reply -----------------------------------------------------------------------------


def test_the_first_reply_is_recorded_by_hand_and_the_earliest_wins(rep, company):
    received = timezone.now() - dt.timedelta(hours=5)
    inquiry = make_inquiry(rep, company, received_at=received)
    later, earlier = received + dt.timedelta(hours=3), received + dt.timedelta(hours=1)
    inquiries.record_first_response(inquiry, later, actor=rep)
    inquiries.record_first_response(inquiry, received + dt.timedelta(hours=4), actor=rep)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at == later
    inquiries.record_first_response(inquiry.pk, earlier)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at == earlier
    assert events(inquiry, "respond").count() == 2


@pytest.mark.parametrize(
    "when",
    [
        timezone.now() - dt.timedelta(days=30),  # before the inquiry arrived
        timezone.now() + dt.timedelta(days=1),
        dt.datetime(2030, 1, 1, 9, 0),
    ],
)
def test_an_impossible_reply_time_is_refused(rep, company, when):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError) as caught:
        inquiries.record_first_response(inquiry, when, actor=rep)
    assert caught.value.field == "when"


def log(rep, company, minutes_ago, **fields):
    fields.setdefault("kind", "email")
    fields.setdefault("direction", "out")
    fields.setdefault("summary", "Sent our price list")
    return customer_services.activity_log(
        actor=rep,
        company_id=company.pk,
        occurred_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **fields,
    )


@pytest.mark.parametrize("kind", ["email", "call", "chat"])
def test_an_outbound_email_call_or_chat_after_the_inquiry_is_its_first_reply(rep, company, kind):
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=2))
    activity = log(rep, company, 30, kind=kind)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at == activity.occurred_at
    event = events(inquiry, "respond").get()
    assert event.actor == rep


@pytest.mark.parametrize(
    "fields",
    [
        {"direction": "in"},
        {"direction": "internal"},
        {"kind": "note"},
        {"kind": "meeting"},
    ],
)
def test_inbound_mail_notes_and_meetings_are_not_a_reply(rep, company, fields):
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=2))
    log(rep, company, 30, **fields)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is None


def test_an_email_from_before_the_inquiry_is_not_its_reply(rep, company):
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=2))
    log(rep, company, 180)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is None


def test_a_reply_to_one_customer_does_not_answer_anothers_inquiry(rep, company):
    other = CompanyFactory(owner=rep)
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=2))
    log(rep, other, 30)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is None


def test_mail_filed_in_bulk_answers_every_waiting_inquiry_in_a_fixed_number_of_queries(
    rep, django_assert_max_num_queries
):
    companies = [CompanyFactory(owner=rep) for _ in range(5)]
    received = timezone.now() - dt.timedelta(hours=3)
    asked = [make_inquiry(rep, company, received_at=received) for company in companies]
    sent = timezone.now() - dt.timedelta(minutes=5)
    batch = [
        Activity(
            company=c, user=rep, kind="email", direction="out", summary="Quote", occurred_at=sent
        )
        for c in companies
    ]
    with django_assert_max_num_queries(8):
        customer_services.activity_log_many(batch)
    assert {i.first_responded_at for i in Inquiry.objects.filter(pk__in=[a.pk for a in asked])} == {
        sent
    }


def test_a_closed_inquiry_is_not_answered_by_later_mail(rep, company):
    inquiry = make_inquiry(rep, company, received_at=timezone.now() - dt.timedelta(hours=2))
    inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="closed", reason="Spam")
    log(rep, company, 10)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is None


# --- Close ---------------------------------------------------------------------------------------


def test_closing_needs_lost_or_closed_and_a_reason(rep, company):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError) as caught:
        inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="won", reason="x")
    assert caught.value.field == "status"
    with pytest.raises(DomainError) as caught:
        inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="lost", reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(DomainError):
        inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="lost", reason="x" * 301)
    inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="lost", reason="Price")
    with pytest.raises(DomainError, match="already"):
        inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="closed", reason="x")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_reason) == ("lost", "Price")
    assert events(inquiry, "update").get().changes["status"] == ["open", "lost"]


def test_only_a_closed_inquiry_can_be_reopened(rep, company):
    inquiry = make_inquiry(rep, company)
    with pytest.raises(DomainError):
        inquiries.inquiry_reopen(actor=rep, inquiry_id=inquiry.pk)


def test_a_manager_handles_the_teams_inquiries(manager, rep, company):
    inquiry = make_inquiry(rep, company)
    inquiries.inquiry_waive(actor=manager, inquiry_id=inquiry.pk, item="packing", reason="Bulk")
    stranger = UserFactory(username="stranger", role="manager", team_name="Asia")
    with pytest.raises(NotFound):
        inquiries.inquiry_waive(actor=stranger, inquiry_id=inquiry.pk, item="lead_time", reason="x")
    assert Company.objects.get(pk=company.pk).stage == "inquiry"
