"""Importing a lead list in a real browser: upload, correct a column on the preview, start, watch
the progress bar move, read the result row by row."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, UserFactory
from tests.imports.helpers import csv_bytes
from tradewind.customers.imports import services
from tradewind.customers.imports.models import ImportJob
from tradewind.customers.models import Company, Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS = [
    ["公司名称", "联系人", "邮箱", "国家", "Rolle"],
    ["Nordlicht Leuchten GmbH", "Anna Weber", "anna@nordlicht.de", "德国", "Einkaufsleiterin"],
    ["Atlas Lighting LLC", "John Smith", "john@atlas-lighting.com", "USA", "Buyer"],
    ["Sol y Luz S.A.", "Lucía Pérez", "lucia@solyluz.es", "Spain", "Directora"],
    ["NORDLICHT LEUCHTEN", "Ben Kraus", "ben@nordlicht.de", "DE", "Lager"],
    ["Kaputt Ltd", "Eve", "eve@", "UK", ""],
    ["Maple Home Supplies Inc.", "Olivia Brown", "olivia@maplehome.ca", "Canada", "Owner"],
]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()


def test_rep_imports_a_lead_list_with_a_corrected_column_and_watches_it_run(page, settings):
    settings.IMPORT_BATCH_SIZE = 2
    UserFactory(username="lily", first_name="Lily", last_name="Zhang", language="en")
    log_in(page, "lily")

    page.goto("/customers/")
    page.get_by_role("link", name="Import").first.click()
    expect(page.get_by_role("heading", name="Import leads")).to_be_visible()
    page.get_by_label("Lead list").set_input_files(
        {
            "name": "canton-fair.csv",
            "mimeType": "text/csv",
            "buffer": csv_bytes(LEADS, encoding="gbk"),
        }
    )
    screenshot(page, "screenshots/imports-upload")
    page.get_by_role("button", name="Upload and check the columns").click()

    expect(page.get_by_role("heading", name="Check the columns")).to_be_visible()
    preview = page.locator(".tw-preview")
    expect(preview.get_by_text("Nordlicht Leuchten GmbH")).to_be_visible()
    expect(page.get_by_label("公司名称")).to_have_value("name")
    expect(page.get_by_label("Rolle")).to_have_value("")
    page.get_by_label("Rolle").select_option(label="Job title")
    page.get_by_label(
        "Fill the empty fields of the existing customer (and add the contact)"
    ).check()
    screenshot(page, "screenshots/imports-mapping")
    page.get_by_role("button", name="Start the import").click()

    expect(page.get_by_role("heading", name="Import of canton-fair.csv")).to_be_visible()
    progress = page.locator("#progress-text")
    expect(progress).to_contain_text("Waiting for the worker")
    job = ImportJob.objects.get()

    def watch(job):
        if job.rows_done == 2:
            expect(progress).to_contain_text("2 of 6 rows")
            bar = page.get_by_role("progressbar", name="Rows done")
            expect(bar).to_have_attribute("aria-valuenow", "2")
            screenshot(page, "screenshots/imports-progress")

    services.import_job_run(job_id=job.pk, on_batch=watch)

    rows = page.locator("#rows")
    expect(rows.get_by_role("heading", name="Row by row")).to_be_visible()
    expect(rows.get_by_text("“eve@” is not a valid email address.")).to_be_visible()
    expect(rows.get_by_text(re.compile("Added the contact Ben Kraus"))).to_be_visible()
    expect(page.locator("#progress-text")).to_contain_text("6 of 6 rows")
    expect(page.locator("[data-outcome=created] .tw-stat-value")).to_have_text("4")
    screenshot(page, "screenshots/imports-result")

    assert Company.objects.count() == 4
    assert Contact.objects.get(email="anna@nordlicht.de").title == "Einkaufsleiterin"
    assert Company.objects.get(name="Nordlicht Leuchten GmbH").contacts.count() == 2

    page.locator("[data-outcome=rejected]").click()
    expect(rows.locator("tbody tr")).to_have_count(1)
