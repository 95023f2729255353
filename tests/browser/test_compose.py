"""A rep writes a development letter in a real browser: opens a German customer, composes from a
template, previews it with the buyer's first name merged, schedules it for the buyer's next good
time and sees that time in Berlin and in Shanghai; a letter with an empty merge field is refused
with a message saying what to fill."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CompanyFactory, ContactFactory, UserFactory
from tests.outreach.letter_data import make_mailbox, make_template
from tradewind.outreach.models import OutboundMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    expect(
        page.get_by_role("heading", name=re.compile("Good (morning|afternoon|evening)"))
    ).to_be_visible()


def test_rep_composes_previews_and_schedules_a_letter_at_the_buyers_good_time(page):
    lily = UserFactory(
        username="lily",
        first_name="Lily",
        last_name="Zhang",
        language="en",
        time_zone="Asia/Shanghai",
    )
    make_mailbox(lily)
    company = CompanyFactory(owner=lily, name="Nordlicht Leuchten GmbH", country="DE")
    ContactFactory(
        company=company,
        name="Anna Weber",
        email="anna.weber@nordlicht.de",
        title="",
        is_decision_maker=True,
    )
    make_template(
        lily,
        name="Development letter",
        subject="LED panels for {{ company.name }}",
        body="Dear {{ contact.first_name }},\n\nwe supply LED panels to buyers in "
        "{{ company.country_name }}.\n\n{{ me.signature }}",
    )
    make_template(lily, name="Title letter", subject="For you", body="As {{ contact.title }}…")

    log_in(page, "lily")
    page.goto(f"/customers/{company.pk}/")
    outreach = page.locator("#outreach")
    outreach.get_by_role("link", name="Write a letter").click()
    expect(page.get_by_role("heading", name="Letter to Anna Weber")).to_be_visible()

    page.get_by_role("link", name=re.compile("Development letter")).click()
    expect(page.get_by_label("Letter")).to_have_value(
        re.compile(r"Dear \{\{ contact.first_name \}\}")
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#letter-preview")
    expect(preview.get_by_text("Dear Anna,")).to_be_visible()
    expect(preview.get_by_text("LED panels for Nordlicht Leuchten GmbH")).to_be_visible()
    expect(preview.get_by_text("buyers in Germany.")).to_be_visible()
    expect(page.get_by_label("At the buyer's next good time")).to_be_checked()
    screenshot(page, "compose-preview")

    page.get_by_role("button", name="Schedule letter").click()
    expect(page.get_by_role("heading", name="Nordlicht Leuchten GmbH")).to_be_visible()
    message = OutboundMessage.objects.get()
    berlin = message.scheduled_at.astimezone(ZoneInfo("Europe/Berlin"))
    shanghai = message.scheduled_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert 9 <= berlin.hour < 11 and berlin.weekday() < 5
    mine = shanghai.strftime("%H:%M" if shanghai.date() == berlin.date() else "%a %H:%M")
    scheduled = page.locator("#outreach [data-message] .tw-scheduled-time")
    expect(scheduled).to_contain_text(f"{berlin:%a %H:%M} in Berlin")
    expect(scheduled).to_contain_text(f"{mine} your time")
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Letter to Anna Weber scheduled"
    )
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "compose-scheduled")

    outreach.get_by_role("link", name="Write a letter").click()
    page.get_by_role("link", name=re.compile("Title letter")).click()
    page.get_by_role("button", name="Schedule letter").click()
    expect(
        page.get_by_text("contact.title is empty for Anna Weber — fill it or change the letter")
    ).to_be_visible()
    expect(page.get_by_label("Letter")).to_have_value("As {{ contact.title }}…")
    screenshot(page, "compose-missing-value")
    assert OutboundMessage.objects.count() == 1
