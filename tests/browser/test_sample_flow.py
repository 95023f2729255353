"""A sample from request to the buyer's verdict in a real browser: request it from the customer's
page, ship it with an AWB (a typo is caught by the check digit), deliver it, record the buyer's
feedback from the follow-up and approve it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tradewind.customers.models import Company, Task
from tradewind.quotes.models import Sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UPS = "1Z2203480342495730"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def test_a_rep_takes_a_sample_from_request_to_approved_feedback(page):
    lily = UserFactory(username="lily", first_name="Lily", team_name="Europe", language="en")
    company = CompanyFactory(owner=lily, name="Nordlicht Leuchten GmbH", stage="quoted")
    log_in(page, "lily")

    # Request it from the customer's page.
    page.goto(f"/customers/{company.pk}/")
    page.locator("#samples").get_by_role("link", name="New sample").click()
    expect(
        page.get_by_role("heading", name="New sample for Nordlicht Leuchten GmbH")
    ).to_be_visible()
    page.get_by_label("Description (1)").fill("LED panel 600×600 40W, 4000K")
    page.get_by_label("Quantity (1)").fill("2")
    page.get_by_label("Courier paid by").select_option("buyer")
    page.get_by_label("Buyer's courier account").fill("96 1234 567")
    page.get_by_label("Sample cost (RMB)").fill("180")
    page.get_by_label("Ask for feedback after (working days)").fill("3")
    page.get_by_role("button", name="Request sample").click()
    sample = Sample.objects.get()
    expect(page.get_by_role("heading", name=sample.number)).to_be_visible()
    expect(page.get_by_text(f"Sample {sample.number} requested.")).to_be_visible()

    # Ship with a typo first: the UPS check digit catches it and the number stays in the field.
    ship = page.locator("#ship-form")
    ship.locator("select[name=courier]").select_option("ups")
    ship.get_by_label("AWB / tracking number").fill("1Z 2203 4803 4249 5731")
    ship.get_by_role("button", name="Mark as shipped").click()
    expect(page.get_by_text(re.compile("not a valid UPS number"))).to_be_visible()
    expect(page.locator("#ship-form").get_by_label("AWB / tracking number")).to_have_value(
        "1Z 2203 4803 4249 5731"
    )
    ship = page.locator("#ship-form")
    ship.get_by_label("AWB / tracking number").fill("1Z 2203 4803 4249 5730")
    ship.get_by_role("button", name="Mark as shipped").click()
    expect(page.get_by_text(f"Sample {sample.number} shipped.")).to_be_visible()
    expect(page.get_by_role("link", name="Track on UPS")).to_have_attribute("href", re.compile(UPS))
    assert Company.objects.get(pk=company.pk).stage == "sample"

    # Delivered: the follow-up to ask for feedback appears.
    page.locator("#deliver-form").get_by_role("button", name="Mark as delivered").click()
    expect(page.get_by_text(re.compile("A follow-up to ask for feedback"))).to_be_visible()
    expect(page.get_by_text(f"Ask for sample feedback — {sample.number}")).to_be_visible()
    task = Task.objects.get(company=company)
    assert task.assignee == lily and task.done_at is None

    # The buyer answers: structured feedback, which completes the follow-up.
    feedback = page.locator("#feedback-form")
    feedback.get_by_role("radiogroup", name="Quality").locator("label", has_text="4").click()
    feedback.get_by_role("radiogroup", name="Packaging").locator("label", has_text="3").click()
    feedback.get_by_label("Yes").check()
    feedback.get_by_label("Changes requested").fill("Warmer light: 3000K")
    feedback.get_by_role("button", name="Record feedback").click()
    expect(page.get_by_text("Feedback recorded.")).to_be_visible()
    expect(page.locator("#feedback")).to_contain_text("Warmer light: 3000K")
    expect(page.locator("[data-feedback-task]")).to_contain_text("Done")
    task.refresh_from_db()
    assert task.done_at is not None

    # Approved.
    decide = page.locator("#decide-form")
    decide.get_by_label("Approved", exact=True).check()
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Sample {sample.number} approved.")).to_be_visible()
    screenshot(page, "sample-flow-approved")
    sample.refresh_from_db()
    assert (sample.status, sample.quality_rating, sample.packaging_rating) == ("approved", 4, 3)
    assert sample.price_acceptable is True
    assert sample.collect_account == "961234567"

    # The customer's page lists it; the timeline has the shipment.
    page.goto(f"/customers/{company.pk}/")
    expect(page.locator("#samples")).to_contain_text(sample.number)
    expect(page.locator("#timeline")).to_contain_text(UPS)
