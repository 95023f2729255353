"""The live duplicate check in a real browser: typing shows the colleague's buyer; under the
block policy the save button turns off, and on again once the name no longer matches."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tradewind.customers.models import Company, WorkspacePolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def test_the_live_check_shows_the_owner_and_block_turns_saving_off(page):
    UserFactory(username="lily", first_name="Lily", last_name="Zhang", language="en")
    tom = UserFactory(username="tom", first_name="Tom", last_name="Chen", team_name="Asia")
    CompanyFactory(owner=tom, name="Nordlicht Leuchten GmbH", website="nordlicht.de")
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": "block"})
    log_in(page, "lily")

    page.goto("/customers/new/")
    page.get_by_label("Company name").fill("Nordlicht-Leuchten")
    check = page.locator("#duplicate-check")
    expect(check.get_by_text("Nordlicht Leuchten GmbH")).to_be_visible()
    expect(check.get_by_text("Tom Chen")).to_be_visible()
    expect(check.get_by_text("does not allow duplicates")).to_be_visible()
    expect(page.locator("#company-submit")).to_be_disabled()
    screenshot(page, "screenshots/dedup-browser-blocked")

    page.get_by_label("Company name").fill("Sonnenschein Möbel")
    expect(check.get_by_text("No existing customer matches")).to_be_visible()
    expect(page.locator("#company-submit")).to_be_enabled()
    page.get_by_label("Country").select_option("DE")
    page.locator("#company-submit").click()
    expect(page.get_by_role("heading", name="Sonnenschein Möbel")).to_be_visible()
    assert Company.objects.filter(name="Sonnenschein Möbel", owner__username="lily").exists()


def test_under_warn_the_rep_ticks_create_anyway(page):
    UserFactory(username="lily", first_name="Lily", last_name="Zhang", language="en")
    tom = UserFactory(username="tom", first_name="Tom", last_name="Chen", team_name="Asia")
    CompanyFactory(owner=tom, name="Nordlicht Leuchten GmbH", website="nordlicht.de")
    log_in(page, "lily")

    page.goto("/customers/new/")
    page.get_by_label("Company name").fill("Nordlicht Leuchten Hamburg")
    page.get_by_label("Email").fill("einkauf@nordlicht.de")
    page.get_by_label("Contact name").fill("Jan Kruse")
    check = page.locator("#duplicate-check")
    expect(check.get_by_text("Same company email domain nordlicht.de")).to_be_visible()
    check.get_by_label(re.compile("Create anyway")).check()
    page.locator("#company-submit").click()
    expect(page.get_by_role("heading", name="Nordlicht Leuchten Hamburg")).to_be_visible()
    assert Company.objects.filter(name="Nordlicht Leuchten Hamburg").exists()
