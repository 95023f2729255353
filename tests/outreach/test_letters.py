"""One-off letters from the company page: scheduled in the buyer's window (weekends, holidays,
Friday–Saturday countries), now or at a chosen time; never a blank merge field; once per form;
cancelled while waiting; and the company page's panel showing both clocks."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.letter_data import (
    make_mailbox,
    make_template,
    utc,
)
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers.services import company_update
from tradewind.outreach import letters
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import OutboundMessage
from tradewind.outreach.suppression import suppression_add
from tradewind.outreach.templating import MissingMergeValue

MONDAY_EARLY = utc(2025, 1, 13, 6, 0)  # 07:00 in Berlin


def draft(body="Dear {{ contact.first_name }},\n\nOur LED panels…\n\n{{ me.signature }}", **extra):
    return letters.Draft(
        subject=extra.pop("subject", "LED panels for {{ company.name }}"),
        body=body,
        custom=extra.pop("custom", {}),
    )


def schedule(rep, contact, *, when="best", now=MONDAY_EARLY, key=None, **extra):
    return letters.letter_schedule(
        actor=rep,
        contact_id=contact.pk,
        draft=extra.pop("draft", None) or draft(),
        when=when,
        idempotency_key=key or str(uuid.uuid4()),
        now=now,
        **extra,
    )


def buyer_in(rep, country, time_zone=""):
    company = CompanyFactory(owner=rep, name=f"Buyer in {country}", country=country)
    if time_zone:
        company = company_update(actor=rep, company_id=company.pk, time_zone=time_zone)
    return ContactFactory(company=company, name="Sam Buyer", email=f"sam@{country.lower()}.example")


# --- When it leaves --------------------------------------------------------------------------


def test_a_letter_is_merged_and_queued_for_the_buyers_next_morning(
    rep, buyer, mailbox, letter_template
):
    message = schedule(rep, buyer, template_id=letter_template.pk)
    assert message.scheduled_at == utc(2025, 1, 13, 8, 0)  # 09:00 Berlin
    assert message.status == MessageStatus.SCHEDULED
    assert message.subject == "LED panels for Nordlicht Leuchten GmbH"
    assert message.body_text.startswith("Dear Anna,\n\n")
    assert message.to_email == "anna.weber@nordlicht.de"
    assert (message.mailbox, message.company, message.contact) == (mailbox, buyer.company, buyer)
    assert message.template == letter_template and not message.is_bulk
    assert message.idempotency_key.startswith("letter:")


@pytest.mark.parametrize(
    ("country", "now", "expected", "why"),
    [
        ("DE", utc(2025, 1, 13, 8, 30), utc(2025, 1, 13, 8, 30), "inside the window: now"),
        ("DE", utc(2025, 1, 17, 10, 0), utc(2025, 1, 20, 8, 0), "Friday after the window: Monday"),
        ("DE", utc(2025, 1, 18, 6, 0), utc(2025, 1, 20, 8, 0), "Saturday: Monday"),
        ("DE", utc(2025, 10, 2, 12, 0), utc(2025, 10, 6, 7, 0), "German Unity Day on Friday"),
        ("DE", utc(2025, 12, 24, 12, 0), utc(2025, 12, 29, 8, 0), "Christmas and the weekend"),
        ("SA", utc(2025, 1, 16, 8, 0), utc(2025, 1, 19, 6, 0), "Riyadh: Friday–Saturday weekend"),
        ("SA", utc(2025, 1, 19, 5, 0), utc(2025, 1, 19, 6, 0), "Riyadh: Sunday is a working day"),
        ("AE", utc(2025, 1, 17, 4, 0), utc(2025, 1, 17, 5, 0), "Dubai works on Friday since 2022"),
        ("US", utc(2025, 7, 3, 16, 0), utc(2025, 7, 7, 13, 0), "New York: 4 July, then weekend"),
    ],
)
def test_the_buyers_good_time_follows_their_zone_week_and_holidays(
    rep, mailbox, country, now, expected, why
):
    contact = buyer_in(rep, country)
    assert schedule(rep, contact, now=now).scheduled_at == expected, why


def test_the_companys_own_time_zone_wins_over_its_countrys(rep, mailbox):
    contact = buyer_in(rep, "US", time_zone="America/Los_Angeles")
    message = schedule(rep, contact, now=utc(2025, 1, 13, 14, 0))  # 06:00 in Los Angeles
    assert message.scheduled_at == utc(2025, 1, 13, 17, 0)


def test_now_sends_at_once_and_a_chosen_time_is_read_in_the_buyers_zone(rep, buyer, mailbox):
    assert schedule(rep, buyer, when="now").scheduled_at == MONDAY_EARLY
    chosen = schedule(rep, buyer, when="at", at_local=dt.datetime(2025, 1, 14, 15, 30))
    assert chosen.scheduled_at == utc(2025, 1, 14, 14, 30)


@pytest.mark.parametrize(
    ("at_local", "says"),
    [
        (None, "Choose the date and time"),
        (dt.datetime(2025, 1, 12, 9, 0), "has passed"),
        (dt.datetime(2026, 3, 1, 9, 0), "a year ahead"),
    ],
)
def test_a_chosen_time_must_be_given_ahead_and_within_a_year(rep, buyer, mailbox, at_local, says):
    with pytest.raises(DomainError, match=says):
        schedule(rep, buyer, when="at", at_local=at_local)
    assert not OutboundMessage.objects.exists()


def test_a_buyer_without_country_or_zone_can_be_mailed_now_but_not_at_their_good_time(rep, mailbox):
    company = CompanyFactory(owner=rep, name="Somewhere Trading", country="")
    contact = ContactFactory(company=company, name="Kim", email="kim@somewhere.example", phone="")
    with pytest.raises(DomainError, match="country or time zone"):
        schedule(rep, contact)
    assert schedule(rep, contact, when="now").scheduled_at == MONDAY_EARLY


# --- Refusals --------------------------------------------------------------------------------


def test_a_missing_merge_value_blocks_the_letter_and_queues_nothing(rep, buyer, mailbox):
    body = "Dear {{ contact.first_name }}, about {{ company.products_of_interest }}…"
    with pytest.raises(MissingMergeValue) as caught:
        schedule(rep, buyer, draft=draft(body=body))
    assert caught.value.message == (
        "company.products_of_interest is empty for Nordlicht Leuchten GmbH — fill it or change "
        "the letter"
    )
    assert not OutboundMessage.objects.exists()


def test_the_same_form_submitted_twice_schedules_one_letter(rep, buyer, mailbox):
    key = str(uuid.uuid4())
    first = schedule(rep, buyer, key=key)
    again = schedule(rep, buyer, key=key, draft=draft(subject="Changed subject"))
    assert again.pk == first.pk
    assert OutboundMessage.objects.count() == 1


def test_another_user_cannot_reuse_someone_elses_form_key(rep, teammate, buyer, mailbox):
    key = str(uuid.uuid4())
    schedule(rep, buyer, key=key)
    make_mailbox(teammate)
    with pytest.raises(DomainError):
        schedule(teammate, buyer, key=key)


@pytest.mark.parametrize("key", ["", "not-a-uuid", "x" * 500, "'; DROP TABLE outreach;--"])
def test_a_missing_or_forged_form_key_is_refused(rep, buyer, mailbox, key):
    with pytest.raises(DomainError, match="reload the page"):
        letters.letter_schedule(
            actor=rep, contact_id=buyer.pk, draft=draft(), when="now", idempotency_key=key
        )


def test_a_suppressed_address_is_never_mailed(rep, manager, buyer, mailbox):
    suppression_add(actor=manager, email="Anna.Weber@nordlicht.de", reason="unsubscribed")
    with pytest.raises(DomainError, match="do-not-mail list"):
        schedule(rep, buyer)
    assert not OutboundMessage.objects.exists()


def test_a_contact_without_email_and_a_rep_without_mailbox_are_told_what_to_do(rep, buyer):
    with pytest.raises(DomainError, match="Connect your mailbox"):
        schedule(rep, buyer)
    make_mailbox(rep)
    nobody = ContactFactory(company=buyer.company, name="Jonas", email="")
    with pytest.raises(DomainError, match="no email address"):
        schedule(rep, nobody)


def test_another_reps_contact_and_template_are_not_found(rep, other_rep, buyer, mailbox):
    make_mailbox(other_rep)
    with pytest.raises(NotFound):
        schedule(other_rep, buyer)
    private = make_template(other_rep)
    with pytest.raises(NotFound):
        schedule(rep, buyer, template_id=private.pk)
    assert not OutboundMessage.objects.exists()


# --- Cancelling ------------------------------------------------------------------------------


def test_a_waiting_letter_can_be_cancelled_but_not_once_it_is_being_sent(
    rep, other_rep, buyer, mailbox
):
    message = schedule(rep, buyer)
    with pytest.raises(NotFound):
        letters.letter_cancel(actor=other_rep, company_id=buyer.company_id, message_id=message.pk)
    letters.letter_cancel(actor=rep, company_id=buyer.company_id, message_id=message.pk)
    assert OutboundMessage.objects.get().status == MessageStatus.CANCELLED
    sending = schedule(rep, buyer)
    OutboundMessage.objects.filter(pk=sending.pk).update(status=MessageStatus.SENDING)
    with pytest.raises(DomainError, match="no longer be cancelled"):
        letters.letter_cancel(actor=rep, company_id=buyer.company_id, message_id=sending.pk)


# --- Pages -----------------------------------------------------------------------------------


def test_composing_from_a_template_previews_and_schedules_with_both_clocks(
    client_of, rep, buyer, mailbox, letter_template
):
    client = client_of(rep)
    url = reverse("outreach:letter-compose", args=[buyer.pk])
    page = client.get(url, {"template": letter_template.pk})
    form = page.context["form"]
    assert form.initial["body"] == letter_template.body
    key = form.initial["idempotency_key"]
    data = {
        "template": letter_template.pk,
        "idempotency_key": key,
        "subject": letter_template.subject,
        "body": letter_template.body,
        "custom": "",
        "when": "best",
    }
    preview = client.post(url, data | {"action": "preview"})
    assert "Dear Anna," in preview.content.decode()
    assert not OutboundMessage.objects.exists()
    done = client.post(url, data | {"action": "schedule"}, follow=True)
    client.post(url, data | {"action": "schedule"})  # a double click
    message = OutboundMessage.objects.get()
    berlin = message.scheduled_at.astimezone(dt.timezone(dt.timedelta(hours=1))).strftime("%H:%M")
    body = done.content.decode()
    assert f"{berlin} in Berlin" in body and "your time" in body
    assert done.redirect_chain[-1][0].endswith(f"/customers/{buyer.company_id}/#outreach")


def test_a_missing_merge_value_comes_back_on_the_form_with_what_was_typed(
    client_of, rep, buyer, mailbox
):
    client = client_of(rep)
    url = reverse("outreach:letter-compose", args=[buyer.pk])
    typed = "Dear {{ contact.first_name }}, about {{ custom.product }} — my own words"
    response = client.post(
        url,
        {
            "idempotency_key": str(uuid.uuid4()),
            "subject": "Hi",
            "body": typed,
            "when": "now",
            "action": "schedule",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "custom.product has no value" in body and "my own words" in body
    assert not OutboundMessage.objects.exists()


def test_the_compose_page_of_another_reps_contact_is_a_404(client_of, rep, other_rep):
    theirs = ContactFactory(company=CompanyFactory(owner=other_rep), email="greta@geheim.de")
    client = client_of(rep)
    url = reverse("outreach:letter-compose", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "schedule", "when": "now"}).status_code == 404


def test_the_company_page_panel_lists_waiting_letters_in_bounded_queries(
    client_of, rep, buyer, mailbox, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(8):
        schedule(rep, buyer, when="at", now=now, at_local=now + dt.timedelta(days=1, minutes=n))
    client = client_of(rep)
    url = reverse("customers:company-detail", args=[buyer.company_id])
    client.get(url)
    with django_assert_max_num_queries(26):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('data-message="') == 8
    assert "in Berlin" in body and "your time" in body
    assert reverse("outreach:letter-compose", args=[buyer.pk]) in body


def test_cancelling_from_the_panel_of_another_reps_customer_is_a_404(
    client_of, rep, other_rep, mailbox
):
    contact = ContactFactory(company=CompanyFactory(owner=rep), email="bo@lind.se")
    message = schedule(rep, contact, when="now")
    client = client_of(other_rep)
    url = reverse("outreach:letter-cancel", args=[contact.company_id])
    assert client.post(url, {"message": message.pk}).status_code == 404
    assert OutboundMessage.objects.get().status == MessageStatus.SCHEDULED


def test_a_public_pool_customer_is_claimed_before_anyone_writes_to_them(rep, buyer, mailbox):
    company_update(actor=rep, company_id=buyer.company_id, owner=None)
    with pytest.raises(DomainError, match="public pool — claim the customer"):
        schedule(rep, buyer)
    assert not OutboundMessage.objects.exists()
