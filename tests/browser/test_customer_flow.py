"""A salesperson's first minutes in a real browser: log in, create a customer and a contact, log
a call, see it on the timeline, switch to 中文."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, UserFactory
from tradewind.customers.models import Activity, Company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_creates_a_customer_logs_a_call_and_switches_to_chinese(page):
    UserFactory(username="lily", first_name="Lily", last_name="Zhang", language="en")

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lily")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Good (morning|afternoon|evening), Lily"))
    ).to_be_visible()

    page.goto("/customers/new/")
    page.get_by_label("Company name").fill("Nordlicht Leuchten GmbH")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Website").fill("www.nordlicht-leuchten.de")
    page.get_by_role("button", name=re.compile("save|create", re.I)).click()
    expect(page.get_by_role("heading", name="Nordlicht Leuchten GmbH")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Local time .*\(Europe/Berlin\)"))).to_be_visible()

    page.get_by_role("link", name=re.compile("add contact", re.I)).click()
    page.get_by_label("Name").fill("Anna Weber")
    page.get_by_label("Email").fill("anna.weber@nordlicht-leuchten.de")
    page.get_by_label("Phone").fill("030 1234567")
    page.get_by_role("main").get_by_role("button", name=re.compile("add contact", re.I)).click()
    expect(page.locator('a[href="tel:+49301234567"]:visible')).to_be_visible()

    timeline = page.locator("#timeline")
    timeline.get_by_label("Type").select_option("call")
    timeline.get_by_label("Summary").fill("Called Anna: wants CIF Hamburg for 2×40HQ")
    timeline.get_by_role("button", name=re.compile("log", re.I)).click()
    expect(timeline.get_by_text("Called Anna: wants CIF Hamburg for 2×40HQ")).to_be_visible()
    screenshot(page, "flow-company-en")
    assert Activity.objects.get().company == Company.objects.get()

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="Nordlicht Leuchten GmbH")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="联系人")).to_be_visible()
    expect(page.get_by_role("heading", name="跟进记录")).to_be_visible()
    expect(
        page.locator("#timeline").get_by_text("Called Anna: wants CIF Hamburg for 2×40HQ")
    ).to_be_visible()
    screenshot(page, "flow-company-zh")
