"""An inquiry to a sent quotation in a real browser: open the inquiry, confirm the missing
details on its checklist (one waived with a reason), create the quotation, check it is priced,
preview it, and send it — the revision is frozen as sent and its email, with the PDF attached,
is in the outbox."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, CompanyFactory, ContactFactory, UserFactory
from tests.outreach.letter_data import make_mailbox
from tests.quotes.quotation_helpers import fx_rate, make_product
from tradewind.customers.models import Company
from tradewind.outreach.models import OutboundAttachment, OutboundMessage
from tradewind.quotes.choices import InquiryStatus, QuotationStatus, RevisionStatus
from tradewind.quotes.inquiries import inquiry_create
from tradewind.quotes.models import Inquiry, Quotation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def fill_item(page, item: str, value: str) -> None:
    row = page.locator(f"#check-{item}")
    row.locator("summary", has_text="Fill in").click()
    row.locator("input[name=value]").fill(value)
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#check-{item}.is-filled")).to_be_visible()


def test_a_rep_takes_an_inquiry_to_a_sent_quotation(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.set_default_timeout(60_000)
    lily = UserFactory(username="lily", first_name="Lily", team_name="Europe", language="en")
    make_mailbox(lily)
    fx_rate()
    product = make_product(model="TW-P6060", name_zh="LED平板灯 600x600 40W")
    company = CompanyFactory(owner=lily, name="Nordlicht Leuchten GmbH", stage="contacted")
    anna = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    inquiry = inquiry_create(
        actor=lily,
        company_id=company.pk,
        contact=anna,
        subject="LED panels for our Hamburg warehouse",
        incoterm="FOB",
        named_place="Ningbo",
        lines=[
            {
                "product": product,
                "description": "LED panel 600x600 40W",
                "specification": "4000 K, CRI > 80",
                "material": "Aluminium frame",
                "quantity": 2000,
            }
        ],
    )
    log_in(page, "lily")

    # The inquiry: confirm what the buyer told us, waive what they do not need.
    page.goto(f"/inquiries/{inquiry.pk}/")
    expect(page.get_by_role("heading", name="LED panels for our Hamburg warehouse")).to_be_visible()
    fill_item(page, "packing", "Export carton, 4 pcs per carton")
    fill_item(page, "lead_time", "35 days after deposit")
    fill_item(page, "destination_port", "Hamburg")
    fill_item(page, "payment_terms", "30% T/T deposit, 70% against B/L copy")
    certificates = page.locator("#check-certificates")
    certificates.locator("summary", has_text="Waive").click()
    certificates.locator("input[name=reason]").fill("The buyer needs no certificates for this")
    certificates.get_by_role("button", name="Waive").click()
    expect(page.get_by_text("Ready to quote")).to_be_visible()

    # Create the quotation from it: terms and the catalogue line are copied and priced.
    page.locator("#checklist").get_by_role("link", name="Create quotation").click()
    expect(page.get_by_role("heading", name="Quotation from an inquiry")).to_be_visible()
    page.get_by_role("button", name="Create the quotation").click()
    quotation = Quotation.objects.get()
    expect(
        page.get_by_text(f"Quotation {quotation.number} created from the inquiry.")
    ).to_be_visible()
    revision = quotation.revisions.get()
    assert revision.priced_at is not None and revision.total_amount > 0
    assert revision.named_place == "Ningbo" and revision.lead_time_days == 35

    # Preview: the document as the buyer will see it.
    page.get_by_role("link", name="Preview").first.click()
    expect(page.get_by_role("heading", name=f"Quotation {quotation.number} Rev. A")).to_be_visible()
    frame = page.frame_locator("iframe.tw-doc-frame")
    expect(frame.get_by_text("QUOTATION", exact=True)).to_be_visible()
    expect(frame.get_by_text("FOB Ningbo").first).to_be_visible()
    expect(frame.get_by_text("LED平板灯 600x600 40W")).to_be_visible()

    # Send it to Anna with the prefilled letter.
    page.get_by_role("link", name="Send").click()
    expect(page.get_by_role("heading", name=f"Send {quotation.number} Rev. A")).to_be_visible()
    expect(page.locator("#id_contact")).to_have_value(str(anna.pk))
    expect(page.locator("#id_message")).to_have_value(re.compile("^Dear Anna,"))
    page.get_by_role("button", name="Send the quotation").click()
    expect(page.get_by_text(re.compile(r"is in the outbox for anna@nordlicht\.de"))).to_be_visible()

    # Sent: frozen, in the outbox once with the PDF, the customer and the inquiry moved on.
    revision.refresh_from_db()
    quotation.refresh_from_db()
    assert revision.status == RevisionStatus.SENT and revision.sent_by == lily
    assert quotation.status == QuotationStatus.SENT
    email = OutboundMessage.objects.get()
    assert email.to_email == "anna@nordlicht.de" and revision.outbound_message == email
    pdf = OutboundAttachment.objects.get(message=email)
    assert pdf.filename == f"{quotation.number}-A.pdf" and bytes(pdf.content)[:5] == b"%PDF-"
    assert Company.objects.get(pk=company.pk).stage == "quoted"
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.QUOTED
    expect(page.get_by_role("link", name="Send")).to_have_count(0)
