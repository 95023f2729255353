"""Sending a quotation revision: one email in the outbox with the PDF attached, delivered once
over real SMTP (aiosmtpd) even when sent twice; the revision frozen, earlier ones superseded;
the customer's stage, the inquiry and the timeline follow; every refusal leaves nothing behind."""

# ruff: noqa: F811 — the fixtures imported from documents_data are used as arguments.

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.quotes.documents_data import PRODUCT_ZH, media, profile  # noqa: F401
from tests.quotes.quotation_helpers import WORKED_LINE, make_quotation
from tradewind.core.audit_display import describe
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company
from tradewind.outreach.choices import MessageStatus
from tradewind.outreach.dispatch import SmtpPool, send_batch
from tradewind.outreach.mailboxes import mailbox_save
from tradewind.outreach.models import OutboundAttachment, OutboundMessage
from tradewind.outreach.outbox import claim_due
from tradewind.outreach.suppression import suppression_add
from tradewind.quotes import quotations, sending
from tradewind.quotes.choices import InquiryStatus, QuotationStatus, RevisionStatus
from tradewind.quotes.inquiries import inquiry_create
from tradewind.quotes.models import Quotation, QuotationLine, QuotationRevision

LINE = dict(WORKED_LINE, description_zh=PRODUCT_ZH, model="BL-P6060")


@pytest.fixture
def mailbox(rep, settings, smtp_server):
    """Lily's mailbox on the test's real SMTP server (plain, no throttle)."""
    return mailbox_save(
        actor=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=settings.EMAIL_PORT,
        smtp_security="none",
        daily_cap=1000,
        min_interval_seconds=0,
    )


@pytest.fixture
def buyer(rep):
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    return company, contact


@pytest.fixture
def quotation(rep, buyer, media, profile):
    company, contact = buyer
    return make_quotation(rep, company, contact=contact, lines=[LINE])


def revision_of(quotation: Quotation) -> QuotationRevision:
    return quotation.revisions.order_by("-created_at", "-id").first()


def send(actor, revision, **extra):
    values = {
        "subject": "Quotation for LED panels",
        "message": "Dear Anna,\n\nplease find our quotation attached.\n\nLily",
    }
    if "to_email" not in extra:
        values["contact_id"] = revision.quotation.contact_id
    return sending.send_revision(actor=actor, revision_id=revision.pk, **(values | extra))


def dispatch():
    claimed = claim_due("test-worker", now=timezone.now() + timedelta(seconds=1))
    pool = SmtpPool()
    try:
        return send_batch(claimed, worker_id="test-worker", pool=pool)
    finally:
        pool.close_all()


def attachments_of(message) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_disposition() == "attachment"
    }


# --- The happy path ----------------------------------------------------------------------------


def test_sending_puts_one_email_with_the_pdf_in_the_outbox_and_freezes_the_revision(
    rep, quotation, mailbox
):
    revision = revision_of(quotation)
    email = send(rep, revision)
    assert email.status == MessageStatus.SCHEDULED
    assert email.to_email == "anna@nordlicht.de" and email.company_id == quotation.company_id
    files = list(OutboundAttachment.objects.filter(message=email))
    assert [f.filename for f in files] == [f"{quotation.number}-A.pdf"]
    assert bytes(files[0].content).startswith(b"%PDF-")
    revision.refresh_from_db()
    quotation.refresh_from_db()
    assert revision.status == RevisionStatus.SENT and revision.is_frozen
    assert revision.sent_by == rep and revision.sent_at and revision.outbound_message == email
    assert quotation.status == QuotationStatus.SENT
    event = AuditEvent.objects.get(action="send", object_id=revision.pk)
    assert event.company_id == quotation.company_id
    assert event.changes["attachments"] == [f"{quotation.number}-A.pdf"]
    row = describe(event)  # the customer's history reads it
    assert row.verb == "sent" and row.object_label == "quotation revision"
    shown = {change.label: change.new for change in row.changes}
    assert shown["To"] == "anna@nordlicht.de"
    assert shown["Attachments"] == f"{quotation.number}-A.pdf"


def test_the_pdf_arrives_once_over_smtp_even_when_sent_twice(
    rep, quotation, mailbox, smtp_server, tmp_path
):
    revision = revision_of(quotation)
    first = send(rep, revision)
    again = send(rep, revision, subject="A second click", to_email="other@nordlicht.de")
    assert again.pk == first.pk
    assert OutboundMessage.objects.count() == 1
    assert dispatch().sent == 1
    assert dispatch().sent == 0
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["to"] == ["anna@nordlicht.de"]
    message = received["message"]
    assert message["Subject"] == "Quotation for LED panels"
    files = attachments_of(message)
    pdf = files[f"{quotation.number}-A.pdf"]
    path = tmp_path / "received.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert PRODUCT_ZH in text and "CIF Hamburg" in text and quotation.number in text


def test_the_sent_email_goes_on_the_timeline_once(rep, quotation, mailbox, smtp_server):
    send(rep, revision_of(quotation))
    dispatch()
    dispatch()
    emails = Activity.objects.filter(company=quotation.company, kind="email")
    assert emails.count() == 1
    assert "Quotation for LED panels" in emails.get().summary


def test_the_excel_file_goes_too_when_asked(rep, quotation, mailbox, smtp_server):
    send(rep, revision_of(quotation), attach_xlsx=True)
    dispatch()
    files = attachments_of(smtp_server.messages[0]["message"])
    assert set(files) == {f"{quotation.number}-A.pdf", f"{quotation.number}-A.xlsx"}
    assert files[f"{quotation.number}-A.xlsx"][:2] == b"PK"


def test_a_new_revision_sent_supersedes_the_earlier_one(rep, quotation, mailbox):
    first = revision_of(quotation)
    send(rep, first)
    second = quotations.revision_new(actor=rep, quotation_id=quotation.pk)
    quotations.revision_update(actor=rep, revision_id=second.pk, margin_percent=Decimal(12))
    send(rep, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    assert second.status == RevisionStatus.SENT
    event = AuditEvent.objects.get(action="send", object_id=second.pk)
    assert event.changes["superseded"] == ["Rev. A"]
    assert OutboundMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("stage", "expected"),
    [("lead", "quoted"), ("contacted", "quoted"), ("inquiry", "quoted"), ("sample", "sample"),
     ("negotiation", "negotiation"), ("ordered", "ordered")],
)  # fmt: skip
def test_the_customer_moves_to_quoted_only_from_earlier_stages(
    rep, quotation, mailbox, stage, expected
):
    Company.objects.filter(pk=quotation.company_id).update(stage=stage)
    send(rep, revision_of(quotation))
    assert Company.objects.get(pk=quotation.company_id).stage == expected


def test_the_inquiry_is_quoted_and_its_first_reply_recorded(rep, buyer, mailbox, media, profile):
    company, contact = buyer
    inquiry = inquiry_create(
        actor=rep,
        company_id=company.pk,
        contact=contact,
        subject="LED panels for Hamburg",
        received_at=timezone.now() - timedelta(hours=3),
    )
    quotation = make_quotation(rep, company, contact=contact, lines=[LINE], inquiry=inquiry)
    email = send(rep, revision_of(quotation))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED
    assert inquiry.first_responded_at == revision_of(quotation).sent_at
    assert email.created_by == rep


# --- Refusals: clear, and nothing written ------------------------------------------------------


def assert_nothing_sent(revision):
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT and revision.sent_at is None
    assert not OutboundMessage.objects.exists()
    assert not OutboundAttachment.objects.exists()


def test_a_revision_changed_since_it_was_priced_is_refused(rep, quotation, mailbox):
    revision = revision_of(quotation)
    QuotationLine.objects.filter(revision=revision).update(quantity=5)
    with pytest.raises(DomainError) as caught:
        send(rep, revision)
    assert caught.value.code == "not_priced"
    assert_nothing_sent(revision)


def test_an_expired_revision_is_refused(rep, quotation, mailbox):
    revision = revision_of(quotation)
    QuotationRevision.objects.filter(pk=revision.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    quotations.revision_price(actor=rep, revision_id=revision.pk)
    with pytest.raises(DomainError) as caught:
        send(rep, revision)
    assert caught.value.field == "valid_until"
    assert_nothing_sent(revision)


def test_a_margin_below_the_team_minimum_needs_approval_first(rep, buyer, mailbox, media):
    company, contact = buyer
    quotation = make_quotation(rep, company, contact=contact, lines=[LINE], margin_percent=2)
    with pytest.raises(DomainError) as caught:
        send(rep, revision_of(quotation))
    assert caught.value.code == "approval_required"
    assert_nothing_sent(revision_of(quotation))


def test_another_reps_revision_does_not_exist(rep, other_rep, mailbox, media):
    company = CompanyFactory(owner=other_rep)
    contact = ContactFactory(company=company, email="x@their.example")
    theirs = make_quotation(other_rep, company, contact=contact, lines=[LINE])
    with pytest.raises(NotFound):
        send(rep, revision_of(theirs))
    assert_nothing_sent(revision_of(theirs))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"message": " \n "}, "message"),
        ({"message": "x" * 20001}, "message"),
        ({"subject": "Quotation\r\nBcc: everyone@example.com"}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"to_email": "not-an-address"}, "to_email"),
        ({"to_email": "anna@nordlicht.de>\r\nRCPT TO:<x@y.z"}, "to_email"),
        ({"to_email": ""}, "contact"),
    ],
)
def test_bad_or_hostile_input_is_refused_and_nothing_is_sent(
    rep, quotation, mailbox, change, field
):
    revision = revision_of(quotation)
    with pytest.raises(DomainError) as caught:
        send(rep, revision, **change)
    assert caught.value.field == field
    assert_nothing_sent(revision)


def test_a_contact_of_another_company_is_refused(rep, quotation, mailbox):
    stranger = ContactFactory(company=CompanyFactory(owner=rep), email="s@else.example")
    revision = revision_of(quotation)
    with pytest.raises(DomainError) as caught:
        send(rep, revision, contact_id=stranger.pk)
    assert caught.value.field == "contact"
    assert_nothing_sent(revision)


def test_a_contact_without_email_or_a_suppressed_address_is_refused(rep, quotation, mailbox):
    revision = revision_of(quotation)
    no_email = ContactFactory(company=quotation.company, email="")
    with pytest.raises(DomainError, match="no email address"):
        send(rep, revision, contact_id=no_email.pk)
    suppression_add(actor=None, email="ANNA@nordlicht.de", reason="unsubscribed")
    with pytest.raises(DomainError, match="do-not-mail"):
        send(rep, revision)
    assert_nothing_sent(revision)


def test_without_a_mailbox_the_rep_is_told_to_connect_one(rep, quotation):
    revision = revision_of(quotation)
    with pytest.raises(DomainError) as caught:
        send(rep, revision)
    assert caught.value.code == "no_mailbox"
    assert_nothing_sent(revision)


def test_oversized_files_are_refused(rep, quotation, mailbox, monkeypatch):
    monkeypatch.setattr(sending, "MAX_ATTACHMENT_BYTES", 1000)
    revision = revision_of(quotation)
    with pytest.raises(DomainError, match="larger than"):
        send(rep, revision, attach_xlsx=True)
    assert_nothing_sent(revision)


def test_a_cancelled_quotation_is_not_sent(rep, quotation, mailbox):
    quotations.quotation_cancel(actor=rep, quotation_id=quotation.pk, reason="Bought elsewhere")
    with pytest.raises(DomainError):
        send(rep, revision_of(quotation))
    assert not OutboundMessage.objects.exists()


def test_a_change_after_the_draft_render_is_rendered_again(rep, quotation, mailbox, monkeypatch):
    """The PDF made before the lock is used only if the page under the lock is the same."""
    revision = revision_of(quotation)
    renders = []
    real = sending.html_to_pdf

    def counting(html):
        renders.append(html)
        return real(html)

    original_render = sending.render_html
    calls = {"n": 0}

    def drifting(document, **kwargs):
        calls["n"] += 1
        html = original_render(document, **kwargs)
        return html if calls["n"] > 1 else html.replace("QUOTATION", "QUOTATION (draft)")

    monkeypatch.setattr(sending, "html_to_pdf", counting)
    monkeypatch.setattr(sending, "render_html", drifting)
    send(rep, revision)
    assert len(renders) == 2 and "(draft)" not in renders[-1]


# --- The page ----------------------------------------------------------------------------------


def test_the_send_page_starts_from_a_letter_and_sends(client_of, rep, quotation, mailbox):
    revision = revision_of(quotation)
    client = client_of(rep)
    url = reverse("quotations:revision-send", args=[revision.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["contact"] == str(quotation.contact_id)
    assert "Dear Anna," in form.initial["message"]
    assert quotation.number in form.initial["subject"]
    response = client.post(
        url,
        {
            "contact": str(quotation.contact_id),
            "subject": form.initial["subject"],
            "message": form.initial["message"],
        },
    )
    assert response.status_code == 302
    assert OutboundMessage.objects.count() == 1
    # Sent already: the page says so instead of offering to send again.
    again = client.get(url, follow=True)
    assert "was already sent" in again.content.decode()


def test_the_send_page_keeps_what_was_typed_when_refused(client_of, rep, quotation, mailbox):
    revision = revision_of(quotation)
    response = client_of(rep).post(
        reverse("quotations:revision-send", args=[revision.pk]),
        {"contact": "other", "to_email": "", "subject": "My subject", "message": "Typed text"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Type the address to send to." in html
    assert "Typed text" in html and "My subject" in html
    assert not OutboundMessage.objects.exists()
