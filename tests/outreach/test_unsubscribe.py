"""Unsubscribing: the signed link from bulk mail, the confirm page, the one-click POST of mail
clients (RFC 8058), and what listing an address does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tradewind.core.models import AuditEvent
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.models import OutboundMessage, Suppression
from tradewind.outreach.outbox import enqueue_message
from tradewind.outreach.suppression import (
    BadUnsubscribeLink,
    read_unsubscribe_token,
    unsubscribe_token,
    unsubscribe_url,
)

BUYER = "anna@nordlicht.de"


@pytest.fixture
def link(sink_mailbox):
    return reverse("outreach:unsubscribe", args=[unsubscribe_token(BUYER, sink_mailbox.pk)])


@pytest.fixture
def stopped(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "tradewind.outreach.sequences.stop_for_address",
        lambda email, reason: calls.append((email, reason)),
    )
    return calls


def test_the_link_opens_a_confirm_page_without_logging_in_and_changes_nothing(client, link):
    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert BUYER in body and "Lily Zhang" in body
    assert 'method="post"' in body and "Unsubscribe?" in body
    assert page["X-Robots-Tag"] == "noindex"
    assert "Tradewind" not in body.split("<body", 1)[1]  # the buyer knows the sender, not us
    assert not Suppression.objects.exists()


def test_confirming_lists_the_address_stops_sequences_and_cancels_waiting_mail(
    client, link, sink_mailbox, rep, stopped
):
    company = CompanyFactory(owner=rep)
    waiting = enqueue_message(
        idempotency_key="next-step",
        mailbox=sink_mailbox,
        to_email=BUYER,
        subject="Following up",
        body_text="Hello again",
        scheduled_at=timezone.now() + timezone.timedelta(days=2),
        company=company,
        is_bulk=True,
    )
    page = client.post(link)
    assert page.status_code == 200 and b"You are unsubscribed" in page.content
    entry = Suppression.objects.get()
    assert (entry.email, entry.reason) == (BUYER, "unsubscribed")
    assert stopped == [(BUYER, "unsubscribed")]
    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.CANCELLED
    event = AuditEvent.objects.get(object_type="outreach.suppression")
    assert event.actor is None and event.action == "create"


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token(link, stopped):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert Suppression.objects.filter(email=BUYER, reason="unsubscribed").exists()


def test_unsubscribing_twice_keeps_one_entry_and_says_so_again(client, link, stopped):
    client.post(link)
    again = client.post(link)
    assert again.status_code == 200 and b"You are unsubscribed" in again.content
    assert Suppression.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="outreach.suppression").count() == 1
    assert b"You are unsubscribed" in client.get(link).content


def test_an_earlier_bounce_is_not_overwritten_by_unsubscribing(client, link, stopped):
    Suppression.objects.create(email=BUYER, reason="bounced", detail="550 User unknown")
    client.post(link)
    assert Suppression.objects.get().reason == "bounced"


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJlIjoiYUBiLmMifQ:1abc:forged",
        "x" * 5000,
        "../../admin",
    ],
)
def test_a_forged_or_broken_link_is_refused_and_lists_nothing(db, client, token):
    url = reverse("outreach:unsubscribe", args=[token.replace("/", "")])
    assert client.get(url).status_code == 404
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404 and b"This link does not work" in response.content
    assert not Suppression.objects.exists()


def test_a_token_cannot_be_edited_to_another_address():
    token = unsubscribe_token("anna@nordlicht.de")
    _payload, _sep, signature = token.rpartition(":")
    other = unsubscribe_token("boss@nordlicht.de").rpartition(":")[0]
    with pytest.raises(BadUnsubscribeLink):
        read_unsubscribe_token(f"{other}:{signature}")
    assert read_unsubscribe_token(token).email == "anna@nordlicht.de"


def test_the_link_works_for_whoever_is_logged_in(client_of, other_rep, link, stopped):
    assert client_of(other_rep).post(link).status_code == 200
    assert Suppression.objects.filter(email=BUYER).exists()


def test_other_methods_are_refused(client, link):
    assert client.put(link).status_code == 405
    assert client.delete(link).status_code == 405


def test_the_page_speaks_the_buyers_language(client, link):
    page = client.get(link, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert b'<html lang="zh-hans">' in page.content
    english = client.get(link, headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert b'<html lang="en">' in english.content


def test_the_full_url_uses_the_configured_base_address(settings):
    settings.TRADEWIND_BASE_URL = "https://crm.exporter.example/"
    url = unsubscribe_url("Anna@Nordlicht.de")
    assert url.startswith("https://crm.exporter.example/outreach/u/")
    assert read_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1]).email == BUYER


def test_listing_leaves_sent_messages_alone(sink_mailbox, rep, client, link, stopped):
    company = CompanyFactory(owner=rep)
    sent = enqueue_message(
        idempotency_key="sent-one",
        mailbox=sink_mailbox,
        to_email=BUYER,
        subject="Hello",
        body_text="Hello",
        scheduled_at=timezone.now(),
        company=company,
    )
    OutboundMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    client.post(link)
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT
