"""The buyer's answer to a sent quotation: accepted (customer to negotiation, inquiry won) or
rejected with a reason (stage kept, inquiry lost); only the sent revision; notes and audit."""

# ruff: noqa: F811 — the fixtures imported from documents_data are used as arguments.

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.letter_data import make_mailbox
from tests.quotes.documents_data import media, profile  # noqa: F401
from tests.quotes.quotation_helpers import WORKED_LINE, make_quotation
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company
from tradewind.quotes import quotations, sending
from tradewind.quotes.choices import InquiryStatus, QuotationStatus, RevisionStatus
from tradewind.quotes.decisions import record_decision
from tradewind.quotes.inquiries import inquiry_create


def latest(quotation):
    return quotation.revisions.order_by("-created_at", "-id").first()


def send(rep, revision):
    return sending.send_revision(
        actor=rep,
        revision_id=revision.pk,
        contact_id=revision.quotation.contact_id,
        subject="Quotation",
        message="Please find it attached.",
    )


@pytest.fixture
def sent(rep, media, profile):
    """A quotation sent to Anna (Rev. A), answering an inquiry; the customer at *quoted*."""
    make_mailbox(rep)
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    inquiry = inquiry_create(
        actor=rep,
        company_id=company.pk,
        contact=contact,
        subject="LED panels",
        received_at=timezone.now() - timedelta(hours=2),
    )
    quotation = make_quotation(rep, company, contact=contact, lines=[WORKED_LINE], inquiry=inquiry)
    send(rep, latest(quotation))
    quotation.refresh_from_db()
    return quotation


def test_an_acceptance_moves_the_customer_to_negotiation_and_wins_the_inquiry(rep, sent):
    revision = latest(sent)
    record_decision(actor=rep, quotation_id=sent.pk, accepted=True, reason="Signed PO follows")
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.ACCEPTED
    assert sent.accepted_revision == revision and sent.decided_at
    assert sent.decision_reason == "Signed PO follows"
    assert Company.objects.get(pk=sent.company_id).stage == "negotiation"
    sent.inquiry.refresh_from_db()
    assert sent.inquiry.status == InquiryStatus.WON
    note = Activity.objects.get(company=sent.company, kind="note")
    assert f"{sent.number} Rev. A accepted" in note.summary and note.user == rep
    event = AuditEvent.objects.get(action="accept", object_id=sent.pk)
    assert event.changes["revision"] == str(revision) and event.company_id == sent.company_id


def test_a_rejection_needs_a_reason_keeps_the_stage_and_loses_the_inquiry(rep, sent):
    with pytest.raises(DomainError) as caught:
        record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason="   ")
    assert caught.value.field == "reason"
    record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason="Price  too high")
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.REJECTED and sent.accepted_revision is None
    assert sent.decision_reason == "Price too high"
    assert Company.objects.get(pk=sent.company_id).stage == "quoted"
    sent.inquiry.refresh_from_db()
    assert sent.inquiry.status == InquiryStatus.LOST
    assert sent.inquiry.closed_reason == "Price too high"
    assert "rejected by the buyer: Price too high" in (
        Activity.objects.get(company=sent.company, kind="note").summary
    )
    assert AuditEvent.objects.filter(action="reject", object_id=sent.pk).exists()


def test_a_rejected_quotation_can_be_answered_with_a_new_revision(rep, sent):
    record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason="Price too high")
    second = quotations.revision_new(actor=rep, quotation_id=sent.pk)
    send(rep, second)
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.SENT and sent.decided_at is None
    record_decision(actor=rep, quotation_id=sent.pk, accepted=True)
    sent.refresh_from_db()
    assert sent.accepted_revision == second


def test_only_the_sent_revision_can_be_answered(rep, sent):
    first = latest(sent)
    second = quotations.revision_new(actor=rep, quotation_id=sent.pk)
    with pytest.raises(DomainError) as caught:  # a draft the buyer never saw
        record_decision(actor=rep, quotation_id=sent.pk, accepted=True, revision_id=second.pk)
    assert caught.value.field == "revision"
    send(rep, second)
    first.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    with pytest.raises(DomainError, match="superseded"):
        record_decision(actor=rep, quotation_id=sent.pk, accepted=True, revision_id=first.pk)
    other = make_quotation(rep, sent.company, lines=[WORKED_LINE])
    with pytest.raises(NotFound):
        record_decision(
            actor=rep, quotation_id=sent.pk, accepted=True, revision_id=latest(other).pk
        )
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.SENT


def test_a_draft_or_decided_quotation_takes_no_answer(rep, sent):
    draft = make_quotation(rep, sent.company, lines=[WORKED_LINE])
    with pytest.raises(DomainError, match="Send the quotation first"):
        record_decision(actor=rep, quotation_id=draft.pk, accepted=True)
    record_decision(actor=rep, quotation_id=sent.pk, accepted=True)
    with pytest.raises(DomainError, match="already accepted"):
        record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason="Changed mind")


def test_a_long_reason_is_refused_and_hostile_text_is_kept_as_text(rep, sent, client_of):
    with pytest.raises(DomainError) as caught:
        record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason="x" * 301)
    assert caught.value.field == "reason"
    hostile = '<script>alert("x")</script>'
    record_decision(actor=rep, quotation_id=sent.pk, accepted=False, reason=hostile)
    page = client_of(rep).get(reverse("quotations:quotation-decision", args=[sent.pk]))
    html = page.content.decode()
    assert hostile not in html and "&lt;script&gt;" in html


def test_an_accepted_customer_further_on_keeps_their_stage(rep, sent):
    Company.objects.filter(pk=sent.company_id).update(stage="repeat")
    record_decision(actor=rep, quotation_id=sent.pk, accepted=True)
    assert Company.objects.get(pk=sent.company_id).stage == "repeat"


def test_another_reps_quotation_does_not_exist(other_rep, sent):
    with pytest.raises(NotFound):
        record_decision(actor=other_rep, quotation_id=sent.pk, accepted=True)
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.SENT


# --- The page ----------------------------------------------------------------------------------


def test_the_answer_page_records_an_acceptance(client_of, rep, sent):
    client = client_of(rep)
    url = reverse("quotations:quotation-decision", args=[sent.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "accepted", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("quotations:revision-detail", args=[latest(sent).pk])
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.ACCEPTED


def test_the_answer_page_keeps_the_choice_when_the_reason_is_missing(client_of, rep, sent):
    response = client_of(rep).post(
        reverse("quotations:quotation-decision", args=[sent.pk]), {"decision": "rejected"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why the buyer rejected it" in html
    assert response.context["form"]["decision"].value() == "rejected"
    assert html.count(" checked") == 1
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.SENT


def test_the_answer_page_of_a_draft_says_to_send_first(client_of, rep, sent):
    draft = make_quotation(rep, sent.company, lines=[WORKED_LINE])
    page = client_of(rep).get(reverse("quotations:quotation-decision", args=[draft.pk]))
    assert "Send the quotation first" in page.content.decode()


def test_another_reps_answer_page_is_404(client_of, other_rep, sent):
    client = client_of(other_rep)
    url = reverse("quotations:quotation-decision", args=[sent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accepted"}).status_code == 404
