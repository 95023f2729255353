"""The pool in a real browser: a rep claims from the pool list (htmx), a manager ticks rows and
gives them to a rep with the bulk bar."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CompanyFactory, UserFactory
from tradewind.customers.models import Company, WorkspacePolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def test_a_rep_claims_from_the_pool_list_and_a_manager_assigns_in_bulk(page):
    WorkspacePolicy.current()
    lily = UserFactory(username="lily", first_name="Lily", team_name="Europe", language="en")
    UserFactory(
        username="grace", first_name="Grace", role="manager", team_name="Europe", language="en"
    )
    for name in ("Amber Lamps BV", "Birch Textiles Ltd", "Cobalt Tools GmbH"):
        CompanyFactory(owner=None, actor=lily, name=name)

    log_in(page, "lily")
    page.goto("/customers/?owner=pool&sort=name")
    row = page.get_by_role("row", name=re.compile("Amber Lamps BV"))
    row.get_by_role("button", name="Claim").click()
    expect(row.get_by_text("Yours now")).to_be_visible()
    assert Company.objects.get(name="Amber Lamps BV").owner == lily
    screenshot(page, "screenshots/pool-browser-claimed")

    page.context.clear_cookies()
    log_in(page, "grace")
    page.goto("/customers/?owner=pool&sort=name")
    page.get_by_role("checkbox", name="Tick every customer on this page").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    page.get_by_label("Give to").select_option(label="Lily")
    page.get_by_role("button", name="Assign or transfer").click()
    expect(page.get_by_text("2 customers given to Lily.")).to_be_visible()
    assert Company.objects.filter(owner=lily).count() == 3
    screenshot(page, "screenshots/pool-browser-assigned")
