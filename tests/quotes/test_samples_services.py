"""The sample services: request, items, lifecycle, shipping, delivery, feedback and decision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tradewind.catalog.models import Product
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company, Task
from tradewind.quotes import samples
from tradewind.quotes.couriers import ups_check_digit
from tradewind.quotes.models import Inquiry, Quotation, Sample, SampleItem

UPS = "1Z2203480342495730"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def item(**overrides) -> dict:
    return {"description": "LED panel 600×600 40W", "quantity": 2} | overrides


def make_sample(actor, company, **overrides) -> Sample:
    fields = {"items": [item()]} | overrides
    return samples.sample_create(actor=actor, company_id=company.pk, **fields)


def make_inquiry(company, actor, subject="LED panels for offices") -> Inquiry:
    return Inquiry.objects.create(
        company=company, assignee=actor, subject=subject, first_response_due_at=timezone.now()
    )


def make_quotation(company, actor, number="QT-2026-0001", inquiry=None) -> Quotation:
    return Quotation.objects.create(number=number, company=company, owner=actor, inquiry=inquiry)


def shipped(actor, company, *, courier="ups", awb_number=UPS, **overrides) -> Sample:
    sample = make_sample(actor, company, **overrides)
    return samples.sample_ship(
        actor=actor, sample_id=sample.pk, courier=courier, awb_number=awb_number
    )


def delivered(actor, company, when=None, **overrides) -> Sample:
    sample = shipped(actor, company, **overrides)
    return samples.sample_deliver(actor=actor, sample_id=sample.pk, delivered_at=when)


def with_feedback(actor, company, **overrides) -> Sample:
    sample = delivered(actor, company, **overrides)
    return samples.sample_record_feedback(actor=actor, sample_id=sample.pk, quality_rating=4)


# --- Request ---------------------------------------------------------------------------------


def test_a_sample_gets_the_next_number_and_its_items(rep, company):
    first = make_sample(rep, company)
    second = make_sample(
        rep, company, items=[item(), item(description="Driver", quantity=1)], notes=" urgent "
    )
    year = timezone.localdate().year
    assert first.number == f"SMP-{year}-0001"
    assert second.number == f"SMP-{year}-0002"
    assert second.items.count() == 2
    assert second.notes == "urgent"
    assert second.requested_by == rep
    assert second.status == "requested"


def test_creating_a_sample_is_audited_with_its_items(rep, company):
    sample = make_sample(rep, company)
    event = AuditEvent.objects.get(object_type="quotes.sample", object_id=sample.pk)
    assert event.action == "create"
    assert event.company_id == company.pk
    assert event.changes["item_list"] == ["LED panel 600×600 40W"]


def test_an_item_from_the_catalogue_takes_its_description(rep, company):
    product = Product.objects.create(model="LP-6060", name_en="LED panel", unit_cost_rmb=50)
    sample = make_sample(rep, company, items=[{"product": product, "quantity": 1}])
    assert sample.items.get().description == "LP-6060 LED panel"
    by_id = make_sample(rep, company, items=[{"product_id": product.pk, "quantity": 3}])
    assert by_id.items.get().product == product


def test_an_unknown_product_is_refused(rep, company):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, items=[{"product_id": 999999, "quantity": 1}])
    assert caught.value.field == "items-0-product"


def test_a_charged_item_needs_a_unit_price_rounded_half_up(rep, company):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, items=[item(charge="charged")])
    assert caught.value.field == "items-0-unit_price"
    sample = make_sample(
        rep, company, items=[item(charge="charged", unit_price="12.345", currency="eur")]
    )
    line = sample.items.get()
    assert line.unit_price == Decimal("12.35")
    assert line.currency == "EUR"


def test_a_free_item_has_no_price(rep, company):
    sample = make_sample(rep, company, items=[item(charge="free", unit_price="5")])
    assert sample.items.get().unit_price is None


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"quantity": 0}, "items-0-quantity"),
        ({"quantity": -3}, "items-0-quantity"),
        ({"quantity": "two"}, "items-0-quantity"),
        ({"quantity": 10_001}, "items-0-quantity"),
        ({"description": "x" * 301}, "items-0-description"),
        ({"description": ""}, "items-0-description"),
        ({"charge": "gratis"}, "items-0-charge"),
        ({"charge": "charged", "unit_price": "-1"}, "items-0-unit_price"),
        ({"charge": "charged", "unit_price": "0"}, "items-0-unit_price"),
        ({"charge": "charged", "unit_price": "abc"}, "items-0-unit_price"),
        ({"charge": "charged", "unit_price": "NaN"}, "items-0-unit_price"),
        ({"charge": "charged", "unit_price": "1e12"}, "items-0-unit_price"),
        ({"charge": "charged", "unit_price": "3", "currency": "US$"}, "items-0-currency"),
    ],
)
def test_bad_items_are_refused_on_their_field(rep, company, bad, field):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, items=[item(**bad)])
    assert caught.value.field == field
    assert not Sample.objects.exists()


def test_an_error_names_the_row_it_is_on(rep, company):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, items=[item(), {}, item(quantity=0)])
    assert caught.value.field == "items-2-quantity"


def test_a_sample_needs_at_least_one_item_and_at_most_fifty(rep, company):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, items=[])
    assert caught.value.field == "items"
    with pytest.raises(DomainError):
        make_sample(rep, company, items=[item()] * 51)


def test_the_buyers_collect_account_is_required_when_the_buyer_pays(rep, company):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, courier_payer="buyer")
    assert caught.value.field == "collect_account"
    with pytest.raises(DomainError):
        make_sample(rep, company, courier_payer="buyer", collect_account="<b>acc</b>")
    sample = make_sample(rep, company, courier_payer="buyer", collect_account="96-1234 567")
    assert sample.collect_account == "961234567"


def test_our_account_clears_a_collect_account(rep, company):
    sample = make_sample(rep, company, courier_payer="us", collect_account="961234567")
    assert sample.collect_account == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sample_cost_rmb": "-5"}, "sample_cost_rmb"),
        ({"courier_cost_rmb": "lots"}, "courier_cost_rmb"),
        ({"courier_cost_rmb": "2000000"}, "courier_cost_rmb"),
        ({"feedback_after_days": 0}, "feedback_after_days"),
        ({"feedback_after_days": 61}, "feedback_after_days"),
        ({"notes": "x" * 5001}, "notes"),
        ({"courier_payer": "nobody"}, "courier_payer"),
    ],
)
def test_bad_request_fields_are_refused(rep, company, fields, field):
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, **fields)
    assert caught.value.field == field


def test_costs_accept_thousands_separators_and_round_to_cents(rep, company):
    sample = make_sample(rep, company, sample_cost_rmb="1,234.565", courier_cost_rmb=" 380 ")
    assert sample.sample_cost_rmb == Decimal("1234.57")
    assert sample.courier_cost_rmb == Decimal("380.00")


def test_another_reps_customer_does_not_exist(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        make_sample(rep, theirs)
    assert not Sample.objects.exists()


def test_a_sample_can_be_linked_to_the_customers_inquiry_and_quotation(rep, company):
    inquiry = make_inquiry(company, rep)
    quotation = make_quotation(company, rep, inquiry=inquiry)
    sample = make_sample(rep, company, quotation=quotation.pk)
    assert sample.quotation == quotation
    assert sample.inquiry == inquiry  # taken from the quotation
    other = make_sample(rep, company, inquiry=inquiry)
    assert other.inquiry == inquiry


def test_another_customers_inquiry_or_quotation_is_refused(rep, company):
    elsewhere = CompanyFactory(owner=rep, name="Other Buyer BV", website="https://other.nl")
    inquiry = make_inquiry(elsewhere, rep)
    quotation = make_quotation(elsewhere, rep)
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, inquiry=inquiry.pk)
    assert caught.value.field == "inquiry"
    assert "another customer" in caught.value.message
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, quotation=quotation.pk)
    assert caught.value.field == "quotation"


def test_another_reps_inquiry_is_not_found(rep, other_rep, company):
    theirs = CompanyFactory(owner=other_rep, name="Secret GmbH", website="https://secret.de")
    with pytest.raises(NotFound):
        make_sample(rep, company, inquiry=make_inquiry(theirs, other_rep).pk)


def test_the_contact_must_work_for_the_customer(rep, company):
    elsewhere = CompanyFactory(owner=rep, name="Other Buyer BV", website="https://other.nl")
    stranger = ContactFactory(company=elsewhere)
    with pytest.raises(DomainError) as caught:
        make_sample(rep, company, contact=stranger.pk)
    assert caught.value.field == "contact"


# --- Items after the request -------------------------------------------------------------------


def test_items_can_be_added_and_removed_until_the_sample_ships(rep, company):
    sample = make_sample(rep, company)
    added = samples.sample_item_add(
        actor=rep, sample_id=sample.pk, description="Driver", quantity=1
    )
    samples.sample_item_delete(actor=rep, item_id=added.pk)
    with pytest.raises(DomainError):  # the last item stays
        samples.sample_item_delete(actor=rep, item_id=sample.items.get().pk)
    samples.sample_ship(actor=rep, sample_id=sample.pk, courier="dhl", awb_number="1234567890")
    with pytest.raises(DomainError) as caught:
        samples.sample_item_add(actor=rep, sample_id=sample.pk, description="More", quantity=1)
    assert "no longer change" in caught.value.message


def test_another_reps_item_is_not_found(rep, other_rep):
    theirs = make_sample(other_rep, CompanyFactory(owner=other_rep))
    with pytest.raises(NotFound):
        samples.sample_item_delete(actor=rep, item_id=theirs.items.get().pk)
    assert SampleItem.objects.count() == 1


# --- Lifecycle ---------------------------------------------------------------------------------


def test_the_lifecycle_runs_requested_to_approved(rep, company):
    sample = make_sample(rep, company)
    samples.sample_start_production(actor=rep, sample_id=sample.pk)
    samples.sample_ship(actor=rep, sample_id=sample.pk, courier="ups", awb_number=UPS)
    samples.sample_deliver(actor=rep, sample_id=sample.pk)
    samples.sample_record_feedback(actor=rep, sample_id=sample.pk, quality_rating=5)
    samples.sample_decide(actor=rep, sample_id=sample.pk, decision="approved")
    sample.refresh_from_db()
    assert sample.status == "approved"
    assert sample.decided_at is not None
    statuses = [
        event.changes["status"][1]
        for event in AuditEvent.objects.filter(object_type="quotes.sample", action="update")
        .order_by("id")
        .filter(changes__has_key="status")
    ]
    assert statuses == ["in_production", "shipped", "delivered", "feedback", "approved"]


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (lambda rep, pk: samples.sample_deliver(actor=rep, sample_id=pk), "In production"),
        (
            lambda rep, pk: samples.sample_record_feedback(
                actor=rep, sample_id=pk, quality_rating=3
            ),
            "Shipped",
        ),
        (
            lambda rep, pk: samples.sample_decide(actor=rep, sample_id=pk, decision="approved"),
            "Cancelled",
        ),
    ],
)
def test_a_wrong_jump_says_which_steps_are_allowed(rep, company, action, allowed):
    sample = make_sample(rep, company)
    with pytest.raises(DomainError) as caught:
        action(rep, sample.pk)
    assert caught.value.code == "invalid_transition"
    assert allowed in caught.value.message
    assert "Requested" in caught.value.message


def test_a_sample_can_be_cancelled_before_it_ships_but_not_after(rep, company):
    sample = make_sample(rep, company)
    samples.sample_cancel(actor=rep, sample_id=sample.pk, reason="Buyer bought elsewhere")
    sample.refresh_from_db()
    assert (sample.status, sample.decision_reason) == ("cancelled", "Buyer bought elsewhere")
    with pytest.raises(DomainError) as caught:
        samples.sample_start_production(actor=rep, sample_id=sample.pk)
    assert "lifecycle is over" in caught.value.message
    gone = shipped(rep, company)
    with pytest.raises(DomainError):
        samples.sample_cancel(actor=rep, sample_id=gone.pk)


def test_another_reps_sample_cannot_be_moved(rep, other_rep):
    theirs = make_sample(other_rep, CompanyFactory(owner=other_rep))
    for call in (
        lambda: samples.sample_start_production(actor=rep, sample_id=theirs.pk),
        lambda: samples.sample_cancel(actor=rep, sample_id=theirs.pk),
        lambda: samples.sample_ship(actor=rep, sample_id=theirs.pk, courier="ups", awb_number=UPS),
        lambda: samples.sample_update(actor=rep, sample_id=theirs.pk, notes="x"),
    ):
        with pytest.raises(NotFound):
            call()
    theirs.refresh_from_db()
    assert theirs.status == "requested"


def test_a_manager_can_move_a_team_members_sample(rep, manager, company):
    sample = make_sample(rep, company)
    samples.sample_start_production(actor=manager, sample_id=sample.pk)
    sample.refresh_from_db()
    assert sample.status == "in_production"


# --- Shipping --------------------------------------------------------------------------------


def test_shipping_checks_the_awb_and_moves_the_customer_to_the_sample_stage(rep, company):
    Company.objects.filter(pk=company.pk).update(stage="quoted")
    sample = make_sample(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_ship(actor=rep, sample_id=sample.pk, courier="dhl", awb_number="12345")
    assert caught.value.field == "awb_number"
    assert "DHL Express" in caught.value.message
    sample.refresh_from_db()
    assert sample.status == "requested"
    samples.sample_ship(
        actor=rep,
        sample_id=sample.pk,
        courier="dhl",
        awb_number="12 3456 7890",
        courier_cost_rmb="265.5",
    )
    sample.refresh_from_db()
    assert (sample.status, sample.courier, sample.awb_number) == ("shipped", "dhl", "1234567890")
    assert sample.courier_cost_rmb == Decimal("265.50")
    company.refresh_from_db()
    assert company.stage == "sample"
    activity = Activity.objects.get(company=company)
    assert "1234567890" in activity.summary and sample.number in activity.summary


@pytest.mark.parametrize("stage", ["negotiation", "ordered", "repeat", "dormant"])
def test_shipping_leaves_a_customer_further_along_where_it_is(rep, company, stage):
    Company.objects.filter(pk=company.pk).update(stage=stage)
    shipped(rep, company)
    company.refresh_from_db()
    assert company.stage == stage


def test_the_same_awb_cannot_go_on_two_samples(rep, other_rep, company):
    first = shipped(rep, company)
    second = make_sample(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_ship(actor=rep, sample_id=second.pk, courier="ups", awb_number=UPS)
    assert caught.value.code == "duplicate"
    assert first.number in caught.value.message
    # Another rep learns the number is taken, not whose sample has it.
    theirs = make_sample(other_rep, CompanyFactory(owner=other_rep))
    with pytest.raises(DomainError) as caught:
        samples.sample_ship(actor=other_rep, sample_id=theirs.pk, courier="ups", awb_number=UPS)
    assert first.number not in caught.value.message


def test_a_ship_date_cannot_be_in_the_future_nor_naive(rep, company):
    sample = make_sample(rep, company)
    for when in (
        timezone.now() + dt.timedelta(days=1),
        dt.datetime(2026, 1, 5, 10, 0),
        timezone.now() - dt.timedelta(days=400),
    ):
        with pytest.raises(DomainError) as caught:
            samples.sample_ship(
                actor=rep, sample_id=sample.pk, courier="ups", awb_number=UPS, shipped_at=when
            )
        assert caught.value.field == "shipped_at"


def test_a_courier_must_be_chosen(rep, company):
    sample = make_sample(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_ship(actor=rep, sample_id=sample.pk, courier="", awb_number=UPS)
    assert caught.value.field == "courier"


def test_another_courier_takes_any_letters_and_digits(rep, company):
    sample = make_sample(rep, company)
    samples.sample_ship(actor=rep, sample_id=sample.pk, courier="other", awb_number="yt-2024 88")
    sample.refresh_from_db()
    assert sample.awb_number == "YT202488"


# --- Delivery and the feedback follow-up ---------------------------------------------------------


def test_delivery_creates_the_feedback_follow_up_for_the_handler(rep, manager, company):
    sample = shipped(rep, company, feedback_after_days=3)
    # Delivered on Friday 2026-03-06 in Shanghai: 3 working days later is Wednesday 03-11.
    friday = dt.datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI)
    Sample.objects.filter(pk=sample.pk).update(shipped_at=friday - dt.timedelta(days=4))
    samples.sample_deliver(actor=manager, sample_id=sample.pk, delivered_at=friday)
    sample.refresh_from_db()
    task = sample.feedback_task
    assert task.assignee == rep
    assert task.title.startswith("Ask for sample feedback")
    assert sample.number in task.title
    local = task.due_at.astimezone(rep.zone)
    assert (local.date(), local.hour) == (dt.date(2026, 3, 11), 9)
    assert task.done_at is None


def test_the_follow_up_skips_chinese_public_holidays(rep, company):
    sample = shipped(rep, company, feedback_after_days=1)
    # Delivered 2025-09-30; 1–8 October is the National Day holiday; 2025-10-11 (Saturday)
    # is a make-up working day.
    when = dt.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)
    Sample.objects.filter(pk=sample.pk).update(shipped_at=when - dt.timedelta(days=2))
    samples.sample_deliver(actor=rep, sample_id=sample.pk, delivered_at=when)
    sample.refresh_from_db()
    assert sample.feedback_task.due_at.astimezone(rep.zone).date() == dt.date(2025, 10, 9)


def test_delivery_cannot_be_before_shipping(rep, company):
    sample = shipped(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_deliver(
            actor=rep, sample_id=sample.pk, delivered_at=timezone.now() - dt.timedelta(days=3)
        )
    assert caught.value.field == "delivered_at"
    assert not Task.objects.exists()


def test_an_inactive_handlers_follow_up_goes_to_the_customers_owner(rep, manager, company):
    sample = shipped(manager, company)
    manager.is_active = False
    manager.save()
    samples.sample_deliver(actor=rep, sample_id=sample.pk)
    sample.refresh_from_db()
    assert sample.feedback_task.assignee == rep


# --- Feedback and decision ---------------------------------------------------------------------


def test_feedback_is_recorded_and_completes_the_follow_up(rep, company):
    sample = delivered(rep, company)
    samples.sample_record_feedback(
        actor=rep,
        sample_id=sample.pk,
        quality_rating="4",
        appearance_rating=5,
        packaging_rating=None,
        price_acceptable=False,
        changes_requested="Warmer light, 3000K",
        feedback_notes="Customer liked the frame.",
    )
    sample.refresh_from_db()
    assert sample.status == "feedback"
    ratings = (sample.quality_rating, sample.appearance_rating, sample.packaging_rating)
    assert ratings == (4, 5, None)
    assert sample.price_acceptable is False
    assert sample.feedback_at is not None
    assert sample.feedback_task.done_at is not None
    summary = Activity.objects.filter(company=company, direction="in").get().summary
    assert "quality 4/5" in summary and "3000K" in summary


def test_feedback_can_be_corrected_before_the_decision(rep, company):
    sample = with_feedback(rep, company)
    samples.sample_record_feedback(actor=rep, sample_id=sample.pk, quality_rating=2)
    sample.refresh_from_db()
    assert (sample.status, sample.quality_rating) == ("feedback", 2)
    assert Activity.objects.filter(company=company, direction="in").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quality_rating": None}, "quality_rating"),
        ({"quality_rating": 0}, "quality_rating"),
        ({"quality_rating": 6}, "quality_rating"),
        ({"quality_rating": "great"}, "quality_rating"),
        ({"quality_rating": True}, "quality_rating"),
        ({"quality_rating": 3, "packaging_rating": 9}, "packaging_rating"),
        ({"quality_rating": 3, "price_acceptable": "maybe"}, "price_acceptable"),
        ({"quality_rating": 3, "feedback_notes": "x" * 5001}, "feedback_notes"),
    ],
)
def test_bad_feedback_is_refused_on_its_field(rep, company, fields, field):
    sample = delivered(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_record_feedback(actor=rep, sample_id=sample.pk, **fields)
    assert caught.value.field == field
    sample.refresh_from_db()
    assert sample.status == "delivered"


def test_a_rejection_needs_its_reason(rep, company):
    sample = with_feedback(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_decide(actor=rep, sample_id=sample.pk, decision="rejected", reason="  ")
    assert caught.value.field == "reason"
    samples.sample_decide(
        actor=rep, sample_id=sample.pk, decision="rejected", reason="Colour temperature wrong"
    )
    sample.refresh_from_db()
    assert (sample.status, sample.decision_reason) == ("rejected", "Colour temperature wrong")


def test_a_decision_is_approved_or_rejected_only(rep, company):
    sample = with_feedback(rep, company)
    with pytest.raises(DomainError) as caught:
        samples.sample_decide(actor=rep, sample_id=sample.pk, decision="cancelled")
    assert caught.value.field == "decision"


# --- Costs and details -------------------------------------------------------------------------


def test_costs_can_be_corrected_at_any_stage_and_are_audited(rep, company):
    sample = with_feedback(rep, company)
    samples.sample_set_costs(
        actor=rep, sample_id=sample.pk, sample_cost_rmb="120", courier_cost_rmb="310.4"
    )
    sample.refresh_from_db()
    assert (sample.sample_cost_rmb, sample.courier_cost_rmb) == (Decimal(120), Decimal("310.4"))
    event = AuditEvent.objects.filter(object_type="quotes.sample", action="update").latest("id")
    assert event.changes["courier_cost_rmb"] == ["0.00", "310.40"]


def test_unknown_fields_are_refused(rep, company):
    sample = make_sample(rep, company)
    with pytest.raises(DomainError):
        samples.sample_update(actor=rep, sample_id=sample.pk, status="approved")


def test_working_calendar_follows_the_handlers_zone(rep):
    assert samples.working_calendar(rep).name.startswith("CN")
    rep.time_zone = "Asia/Dubai"
    assert samples.working_calendar(rep).name.startswith("AE")
    rep.time_zone = "UTC"
    assert samples.working_calendar(rep).name.startswith("CN")


def test_ups_helper_builds_valid_numbers():
    assert ups_check_digit("220348034249573") == 0
