"""The new-inquiries inbox pages: list, message, create lead, file, dismiss and undo."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tradewind.customers.models import Activity, Company
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.models import InboundMessage, Mailbox


@pytest.fixture
def mailbox(rep):
    return Mailbox.objects.create(
        owner=rep, from_name="Lily", from_email="lily@exporter.example", smtp_host="x"
    )


def inquiry(mailbox, uid=1, **fields):
    values = {
        "from_email": "ravi@lumina-imports.in",
        "from_name": "Ravi Kumar",
        "subject": "Inquiry: LED panels",
        "body_text": "We need 2,000 panels.\nTel: +91 22 2345 6789",
        "status": InboundStatus.NEW_INQUIRY,
        "received_at": timezone.now() - dt.timedelta(hours=1),
    }
    return InboundMessage.objects.create(
        mailbox=mailbox, imap_uidvalidity=1, imap_uid=uid, **(values | fields)
    )


def test_the_inbox_lists_my_waiting_inquiries_newest_first(client_of, rep, mailbox):
    inquiry(mailbox, uid=1, subject="Older", received_at=timezone.now() - dt.timedelta(days=2))
    inquiry(mailbox, uid=2, subject="Newer")
    inquiry(mailbox, uid=3, subject="Was dismissed", status=InboundStatus.DISMISSED)
    response = client_of(rep).get(reverse("outreach:inbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Newer") < body.index("Older")
    assert "Was dismissed" not in body
    assert "New inquiries" in body  # the page title and the navigation item
    dismissed = client_of(rep).get(reverse("outreach:inbox"), {"show": "dismissed"})
    assert "Was dismissed" in dismissed.content.decode()
    odd = client_of(rep).get(reverse("outreach:inbox"), {"show": "<script>", "page": "-4"})
    assert odd.status_code == 200 and "Newer" in odd.content.decode()


def test_the_inbox_list_costs_a_fixed_number_of_queries(
    client_of, rep, mailbox, django_assert_max_num_queries
):
    company = CompanyFactory(owner=rep, name="Filed Buyer")
    for uid in range(1, 41):
        inquiry(
            mailbox,
            uid=uid,
            status=InboundStatus.CONVERTED if uid % 2 else "new_inquiry",
            company=company if uid % 2 else None,
        )
    client = client_of(rep)
    for show in ("new", "done"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("outreach:inbox"), {"show": show})
        assert response.status_code == 200
    assert len(response.context["page"].items) == 20 and not response.context["page"].has_next


def test_another_reps_inbox_is_invisible(client_of, rep, other_rep, teammate, manager, mailbox):
    message = inquiry(mailbox, subject="Lilys secret lead")
    for outsider in (other_rep, teammate, manager):
        client = client_of(outsider)
        assert "Lilys secret lead" not in client.get(reverse("outreach:inbox")).content.decode()
        assert client.get(reverse("outreach:inbox-message", args=[message.pk])).status_code == 404
        for name in ("inbox-convert", "inbox-file", "inbox-dismiss", "inbox-restore"):
            url = reverse(f"outreach:{name}", args=[message.pk])
            assert client.post(url, {"name": "x", "company": 1}).status_code == 404, name
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY


def test_matched_mail_follows_its_customer(client_of, rep, other_rep, manager, mailbox):
    theirs = CompanyFactory(owner=other_rep, name="Their Buyer")
    message = inquiry(mailbox, status=InboundStatus.MATCHED, company=theirs)
    url = reverse("outreach:inbox-message", args=[message.pk])
    assert client_of(rep).get(url).status_code == 404  # received by Lily, but Tom's customer
    assert client_of(other_rep).get(url).status_code == 200
    mine = CompanyFactory(owner=rep, name="My Buyer")
    message.company = mine
    message.save()
    assert client_of(manager).get(url).status_code == 200  # Lily's manager sees her customers


def test_the_message_page_prefills_the_lead_and_shows_duplicates_with_their_owner(
    client_of, rep, other_rep, mailbox
):
    CompanyFactory(owner=other_rep, name="Lumina Imports", country="IN", website="")
    message = inquiry(mailbox, subject="<script>alert(1)</script>", body_text="<b>bold</b>")
    response = client_of(rep).get(reverse("outreach:inbox-message", args=[message.pk]))
    body = response.content.decode()
    form = response.context["form"]
    assert form.initial["name"] == "Lumina Imports"
    assert form.initial["country"] == "IN"
    assert form.initial["contact_phone"] == ""  # the body here has no valid number
    assert "Owner: " in body and str(other_rep) in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<b>bold</b>" not in body
    assert 'name="confirm_duplicate"' in body
    # Tom's company has no link for Lily and cannot be filed on.
    assert 'name="company"' not in body


def test_creating_the_lead_goes_to_the_new_customer(client_of, rep, mailbox):
    message = inquiry(mailbox)
    response = client_of(rep).post(
        reverse("outreach:inbox-convert", args=[message.pk]),
        {
            "name": "Lumina Imports",
            "country": "IN",
            "website": "lumina-imports.in",
            "source": "website",
            "contact_name": "Ravi Kumar",
            "contact_email": "ravi@lumina-imports.in",
            "contact_phone": "+91 22 2345 6789",
        },
    )
    company = Company.objects.get(name="Lumina Imports")
    assert response.status_code == 302
    assert response.url == reverse("customers:company-detail", args=[company.pk])
    page = client_of(rep).get(response.url).content.decode()
    assert "Inquiry: LED panels" in page  # on the timeline
    message.refresh_from_db()
    assert message.status == InboundStatus.CONVERTED


def test_a_duplicate_keeps_what_was_typed_and_asks_to_confirm(client_of, rep, mailbox):
    existing = CompanyFactory(owner=rep, name="Lumina Imports", country="IN", website="")
    message = inquiry(mailbox)
    typed = {
        "name": "Lumina Imports",
        "country": "IN",
        "contact_name": "Ravi K.",
        "contact_email": "ravi@lumina-imports.in",
    }
    url = reverse("outreach:inbox-convert", args=[message.pk])
    response = client_of(rep).post(url, typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This looks like" in body and 'value="Ravi K."' in body
    assert reverse("customers:company-detail", args=[existing.pk]) in body  # mine: a link
    assert Company.objects.count() == 1
    confirmed = client_of(rep).post(url, typed | {"confirm_duplicate": "on"})
    assert confirmed.status_code == 302 and Company.objects.count() == 2


def test_missing_or_bad_fields_are_shown_on_the_form(client_of, rep, mailbox):
    message = inquiry(mailbox)
    url = reverse("outreach:inbox-convert", args=[message.pk])
    response = client_of(rep).post(url, {"name": "", "contact_email": "not-an-address"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "contact_name", "contact_email"}
    phone = client_of(rep).post(
        url,
        {
            "name": "Lumina",
            "contact_name": "Ravi",
            "contact_email": "r@lumina.in",
            "contact_phone": "12",
        },
    )
    assert "contact_phone" in phone.context["form"].errors
    assert not Company.objects.exists()


def test_filing_on_one_of_my_customers_from_the_duplicate_list(client_of, rep, mailbox):
    mine = CompanyFactory(owner=rep, name="Lumina Imports", country="IN", website="")
    ContactFactory(company=mine, name="Other", email="other@lumina-imports.in")
    message = inquiry(mailbox)
    page = client_of(rep).get(reverse("outreach:inbox-message", args=[message.pk]))
    assert f'value="{mine.pk}"' in page.content.decode()
    response = client_of(rep).post(
        reverse("outreach:inbox-file", args=[message.pk]), {"company": mine.pk}
    )
    assert response.url == reverse("customers:company-detail", args=[mine.pk])
    assert Activity.objects.filter(company=mine, direction="in").count() == 1
    bad = client_of(rep).post(reverse("outreach:inbox-file", args=[message.pk]), {"company": "x"})
    assert bad.status_code == 302


def test_dismiss_shows_an_undo_that_puts_the_message_back(client_of, rep, mailbox):
    message = inquiry(mailbox, subject="Cheap SEO services")
    client = client_of(rep)
    response = client.post(reverse("outreach:inbox-dismiss", args=[message.pk]))
    assert response.url == f"{reverse('outreach:inbox')}?dismissed={message.pk}"
    listing = client.get(response.url).content.decode()
    assert "Dismissed “Cheap SEO services”" in listing
    assert reverse("outreach:inbox-restore", args=[message.pk]) in listing
    assert client.get(reverse("outreach:inbox-dismiss", args=[message.pk])).status_code == 405
    client.post(reverse("outreach:inbox-restore", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY
    again = client.post(reverse("outreach:inbox-restore", args=[message.pk]), follow=True)
    assert "no longer waiting" in again.content.decode()


def test_the_company_page_shows_the_call_hint(client_of, rep, company):
    body = client_of(rep).get(reverse("customers:company-detail", args=[company.pk]))
    html = body.content.decode()
    assert "Local time" in html and "Europe/Berlin" in html
    assert 'data-verdict="' in html
