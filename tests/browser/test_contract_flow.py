"""From an accepted quotation to a signed contract in a real browser: make the PI, choose the
payment terms by the buyer's credit, mark it ready, send it, upload the countersigned PDF, then
see that a bank slip does not start production and a credited deposit does."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.contracts.factories import accepted_quotation, bank_profile, tiny_pdf
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tradewind.contracts import workspace
from tradewind.contracts.models import Contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def test_from_accepted_quotation_to_signed_contract(page):
    lily = UserFactory(username="lily", first_name="Lily", team_name="Europe", language="en")
    grace = UserFactory(username="grace", role="manager", team_name="Europe", language="en")
    bank_profile()
    buyer = CompanyFactory(owner=lily, name="Amsterdam Light BV", country="NL", grade="A")
    workspace.country_risk_set(actor=grace, country="NL", risk_class=0)
    quotation = accepted_quotation(
        buyer, destination_port="Rotterdam", payment_terms="to be agreed"
    )

    log_in(page, "lily")
    page.goto(f"/customers/{buyer.pk}/")
    card = page.locator("#contracts")
    expect(card.get_by_text(quotation.number)).to_be_visible()
    card.get_by_role("link", name="Make PI / contract").click()
    page.get_by_label("Proforma invoice").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=re.compile(r"PI-\d{4}-0001"))).to_be_visible()
    expect(
        page.get_by_text("Choose the payment terms — the schedule is built from them.")
    ).to_be_visible()
    screenshot(page, "screenshots/contract-draft")

    page.get_by_role("link", name="Choose by credit").click()
    expect(page.get_by_role("heading", name="Exporter risk, lowest first")).to_be_visible()
    page.get_by_label("Payment terms").select_option("TT_30_70_BEFORE_SHIPMENT")
    page.get_by_role("button", name="Set terms and build the schedule").click()
    expect(page.get_by_text("Allowed for this buyer")).to_be_visible()
    screenshot(page, "screenshots/contract-payment")
    page.get_by_role("link", name="Back to the contract").click()

    page.get_by_role("button", name="Ready to sign").click()
    expect(page.get_by_text("Ready to sign: download the PDF")).to_be_visible()
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("Marked as sent for signature")).to_be_visible()

    page.get_by_role("link", name="Record signature").click()
    page.get_by_label("Countersigned contract (PDF)").set_input_files(
        {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}
    )
    page.get_by_role("button", name="Record as signed").click()
    expect(
        page.get_by_text("Signed. The countersigned PDF is kept with this version.")
    ).to_be_visible()
    contract = Contract.objects.get()
    assert contract.status == "signed" and contract.versions.get().countersigned_pdf

    deposits = page.locator("#deposits")
    expect(deposits.get_by_role("button", name="Start production")).to_be_disabled()
    deposits.get_by_label("Slip reference").fill("TT-0412")
    deposits.get_by_role("button", name="Bank slip received").click()
    expect(page.get_by_text("A bank slip is not money")).to_be_visible()
    expect(deposits.get_by_role("button", name="Start production")).to_be_disabled()

    deposits.get_by_role("link", name="Record credit").click()
    page.get_by_role("button", name="Record credit").click()
    expect(page.get_by_text("Deposit credited.")).to_be_visible()
    page.locator("#deposits").get_by_role("button", name="Start production").click()
    expect(page.get_by_text("Production started.", exact=True)).to_be_visible()
    screenshot(page, "screenshots/contract-signed")
    contract.refresh_from_db()
    assert contract.production_started_at is not None
