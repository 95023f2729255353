"""Inquiry pages: list with filters and pager, pick a customer, create, detail with the
checklist (htmx fill / waive), reply deadline in both zones, lines, close and reopen, the
company card, the inbox's "Create inquiry", My day and the navigation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.quotes.inquiry_data import FULL_LINE, make_inquiry, ready_inquiry
from tradewind.customers.models import Company
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.models import InboundMessage, Mailbox
from tradewind.quotes import inquiries
from tradewind.quotes.models import Inquiry

HTMX = {"HX-Request": "true"}


def body(response) -> str:
    return response.content.decode()


# --- List ---------------------------------------------------------------------------------------


def test_the_list_shows_my_open_inquiries_newest_first(client_of, rep, company):
    make_inquiry(rep, company, subject="Older", received_at=timezone.now() - dt.timedelta(days=3))
    make_inquiry(rep, company, subject="Newer")
    closed = make_inquiry(rep, company, subject="Gone quiet")
    inquiries.inquiry_close(actor=rep, inquiry_id=closed.pk, status="closed", reason="No answer")
    page = body(client_of(rep).get(reverse("inquiries:list")))
    assert page.index("Newer") < page.index("Older")
    assert "Gone quiet" not in page
    everything = body(client_of(rep).get(reverse("inquiries:list"), {"status": ""}))
    assert "Gone quiet" in everything


def test_the_list_filters_by_search_overdue_and_status(client_of, rep, company):
    late = make_inquiry(
        rep, company, subject="Late one", received_at=timezone.now() - dt.timedelta(days=10)
    )
    make_inquiry(
        rep, company, subject="Fresh one", lines=[FULL_LINE | {"description": "Spotlight"}]
    )
    client = client_of(rep)
    overdue = body(client.get(reverse("inquiries:list"), {"overdue": "on", "status": "open"}))
    assert "Late one" in overdue and "Fresh one" not in overdue
    found = body(client.get(reverse("inquiries:list"), {"q": "spotlight"}, headers=HTMX))
    assert "Fresh one" in found and "Late one" not in found
    assert "<html" not in found  # htmx gets the rows only
    inquiries.record_first_response(late, timezone.now(), actor=rep)
    overdue = body(client.get(reverse("inquiries:list"), {"overdue": "on"}))
    assert "Late one" not in overdue


def test_hostile_filter_input_is_harmless(client_of, rep, company):
    make_inquiry(rep, company, subject="<b>bold</b> panels")
    response = client_of(rep).get(
        reverse("inquiries:list"),
        {"q": "<script>alert(1)</script>", "status": "nonsense", "scope": "x", "page": "-3"},
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in body(response)
    listed = body(client_of(rep).get(reverse("inquiries:list")))
    assert "&lt;b&gt;bold&lt;/b&gt; panels" in listed


def test_the_list_pages_in_a_fixed_number_of_queries(
    client_of, rep, company, django_assert_max_num_queries
):
    for n in range(30):
        make_inquiry(rep, company, subject=f"Inquiry {n}", lines=[FULL_LINE])
    client = client_of(rep)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("inquiries:list"))
    assert first.context["page"].has_next
    second = body(client.get(reverse("inquiries:list"), {"page": 2}))
    assert "Inquiry 0" in second


def test_a_manager_can_see_the_teams_inquiries(client_of, manager, rep, company):
    make_inquiry(rep, company, subject="Lily inquiry")
    mine = body(client_of(manager).get(reverse("inquiries:list")))
    assert "Lily inquiry" not in mine
    team = body(client_of(manager).get(reverse("inquiries:list"), {"scope": "team"}))
    assert "Lily inquiry" in team


def test_a_rep_asking_for_the_team_still_sees_only_their_own(client_of, rep, teammate):
    theirs = CompanyFactory(owner=teammate)
    make_inquiry(teammate, theirs, subject="Jack inquiry")
    page = body(client_of(rep).get(reverse("inquiries:list"), {"scope": "team"}))
    assert "Jack inquiry" not in page


# --- Create -------------------------------------------------------------------------------------


def test_the_customer_picker_lists_only_customers_i_can_see(client_of, rep, other_rep):
    CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    CompanyFactory(owner=other_rep, name="Nordwind Trading Ltd")
    client = client_of(rep)
    start = body(client.get(reverse("inquiries:create")))
    assert "Nordlicht Leuchten GmbH" in start
    found = body(client.get(reverse("inquiries:create"), {"q": "nord"}, headers=HTMX))
    assert "Nordlicht" in found and "Nordwind" not in found
    none = body(client.get(reverse("inquiries:create"), {"q": "<zzz>"}, headers=HTMX))
    assert "&lt;zzz&gt;" in none


def test_create_an_inquiry_with_its_first_product(client_of, rep, company):
    contact = ContactFactory(company=company)
    response = client_of(rep).post(
        reverse("inquiries:create-for-company", args=[company.pk]),
        {
            "subject": "Quote for 2,000 LED panels",
            "contact": contact.pk,
            "source": "email",
            "received_at": "",
            "currency": "EUR",
            "incoterm": "FOB",
            "named_place": "Ningbo",
            "line_description": "LED panel 600x600",
            "line_quantity": "2000",
            "line_unit": "pc",
            "line_target_price": "7.80",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:detail", args=[inquiry.pk])
    assert (inquiry.contact, inquiry.assignee, inquiry.currency) == (contact, rep, "EUR")
    assert inquiry.lines.get().quantity == 2000


def test_a_refused_create_keeps_what_was_typed(client_of, rep, company):
    response = client_of(rep).post(
        reverse("inquiries:create-for-company", args=[company.pk]),
        {
            "subject": "Panels",
            "source": "email",
            "currency": "USD",
            "received_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "packing": "Export cartons",
            "line_description": "",
            "line_quantity": "0",
        },
    )
    assert response.status_code == 200
    page = body(response)
    assert "Export cartons" in page
    assert not Inquiry.objects.exists()
    assert response.context["form"].errors


def test_the_future_arrival_error_lands_on_its_field(client_of, rep, company):
    later = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_of(rep).post(
        reverse("inquiries:create-for-company", args=[company.pk]),
        {"subject": "Panels", "source": "email", "currency": "USD", "received_at": later},
    )
    assert "received_at" in response.context["form"].errors


def test_a_bad_first_line_error_lands_on_the_line_field(client_of, rep, company):
    response = client_of(rep).post(
        reverse("inquiries:create-for-company", args=[company.pk]),
        {"subject": "Panels", "source": "email", "currency": "USD", "line_quantity": "5"},
    )
    assert "line_description" in response.context["form"].errors
    assert not Inquiry.objects.exists()


# --- Detail -------------------------------------------------------------------------------------


def test_the_detail_page_shows_lines_checklist_and_both_deadlines(client_of, rep):
    rep.time_zone = "Asia/Shanghai"
    rep.save()
    company = CompanyFactory(owner=rep, country="DE")
    received = dt.datetime(2025, 3, 4, 1, 0, tzinfo=dt.UTC)  # Tue 09:00 Shanghai
    inquiry = make_inquiry(rep, company, received_at=received, lines=[FULL_LINE])
    response = client_of(rep).get(reverse("inquiries:detail", args=[inquiry.pk]))
    page = body(response)
    assert FULL_LINE["description"] in page
    assert "Before quoting" in page
    assert "Tue 2025-03-04 17:00" in page  # 8 working hours later, Shanghai time
    assert "Tue 10:00" in page  # the same moment in Berlin, for the buyer
    assert "Europe/Berlin" in page
    assert response.context["missing_count"] == 6


def test_the_quotation_button_appears_when_the_quotations_page_exists(client_of, rep, company):
    from tradewind.quotes.views_inquiries import quotation_url

    inquiry = ready_inquiry(rep, company)
    page = body(client_of(rep).get(reverse("inquiries:detail", args=[inquiry.pk])))
    url = quotation_url(inquiry)
    if url:
        assert url in page
    else:
        assert "Create quotation" not in page


def test_fill_an_item_from_the_checklist_with_htmx(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    url = reverse("inquiries:checklist-fill", args=[inquiry.pk])
    response = client.post(url, {"item": "destination_port", "value": "Hamburg"}, headers=HTMX)
    assert response.status_code == 200
    assert 'id="checklist"' in body(response) and "<html" not in body(response)
    inquiry.refresh_from_db()
    assert inquiry.destination_port == "Hamburg"
    client.post(url, {"item": "incoterm", "incoterm": "CIF", "named_place": "Hamburg"})
    inquiry.refresh_from_db()
    assert (inquiry.incoterm, inquiry.named_place) == ("CIF", "Hamburg")


def test_a_line_item_cannot_be_filled_from_the_checklist(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    url = reverse("inquiries:checklist-fill", args=[inquiry.pk])
    response = client_of(rep).post(url, {"item": "quantity", "value": "5"}, headers=HTMX)
    assert response.status_code == 422


def test_an_oversized_fill_is_refused_and_kept(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    url = reverse("inquiries:checklist-fill", args=[inquiry.pk])
    response = client_of(rep).post(url, {"item": "lead_time", "value": "L" * 200}, headers=HTMX)
    assert response.status_code == 422
    assert "L" * 200 in body(response)
    inquiry.refresh_from_db()
    assert inquiry.lead_time == ""


def test_waive_with_htmx_and_take_it_back(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    waive = reverse("inquiries:checklist-waive", args=[inquiry.pk])
    response = client.post(
        waive, {"item": "certificates", "reason": "Not needed in Brazil"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Not needed in Brazil" in body(response)
    unwaive = reverse("inquiries:checklist-unwaive", args=[inquiry.pk])
    client.post(unwaive, {"item": "certificates"}, headers=HTMX)
    inquiry.refresh_from_db()
    assert inquiry.waivers == {}


@pytest.mark.parametrize(("reason", "says"), [("", "Say why"), ("r" * 301, "300")])
def test_a_refused_waiver_says_why_and_keeps_the_reason(client_of, rep, company, reason, says):
    inquiry = make_inquiry(rep, company)
    response = client_of(rep).post(
        reverse("inquiries:checklist-waive", args=[inquiry.pk]),
        {"item": "packing", "reason": reason},
        headers=HTMX,
    )
    assert response.status_code == 422
    page = body(response)
    assert says in page
    assert reason in page
    assert "<details open>" in page
    inquiry.refresh_from_db()
    assert inquiry.waivers == {}


def test_without_htmx_a_waiver_comes_back_to_the_page(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    url = reverse("inquiries:checklist-waive", args=[inquiry.pk])
    response = client.post(url, {"item": "packing", "reason": "Bulk cargo"})
    assert response.status_code == 302
    assert response["Location"].endswith("#checklist")
    refused = client.post(url, {"item": "lead_time", "reason": ""}, follow=True)
    assert "Say why you can quote without" in body(refused)


def test_record_the_first_reply_by_hand(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    response = client.post(reverse("inquiries:respond", args=[inquiry.pk]), {"when": ""})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is not None
    other = make_inquiry(rep, company)
    early = (timezone.localtime() - dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(reverse("inquiries:respond", args=[other.pk]), {"when": early})
    assert refused.status_code == 422
    assert "before the inquiry arrived" in body(refused)


def test_close_and_reopen(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    refused = client.post(
        reverse("inquiries:close", args=[inquiry.pk]), {"status": "lost", "reason": ""}
    )
    assert refused.status_code == 422 and "Say why" in body(refused)
    client.post(
        reverse("inquiries:close", args=[inquiry.pk]), {"status": "lost", "reason": "Price"}
    )
    inquiry.refresh_from_db()
    assert inquiry.status == "lost"
    page = body(client.get(reverse("inquiries:detail", args=[inquiry.pk])))
    assert "Closed because: Price" in page and "Reopen" in page
    client.post(reverse("inquiries:reopen", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.status == "open"


def test_edit_an_inquiry(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    form = client.get(reverse("inquiries:edit", args=[inquiry.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["received_at"] = timezone.localtime(inquiry.received_at).strftime("%Y-%m-%dT%H:%M")
    data |= {"payment_terms": "L/C at sight", "assignee": rep.pk}
    response = client.post(reverse("inquiries:edit", args=[inquiry.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    inquiry.refresh_from_db()
    assert inquiry.payment_terms == "L/C at sight"


def test_lines_are_added_edited_and_removed_from_the_page(client_of, rep, company):
    inquiry = make_inquiry(rep, company)
    client = client_of(rep)
    added = client.post(
        reverse("inquiries:line-add", args=[inquiry.pk]),
        {"line-description": "Downlight 12W", "line-quantity": "300", "line-unit": "pc"},
    )
    assert added.status_code == 302
    line = inquiry.lines.get()
    refused = client.post(
        reverse("inquiries:line-add", args=[inquiry.pk]),
        {"line-description": "", "line-quantity": "3", "line-specification": "IP65"},
    )
    assert refused.status_code == 422 and "IP65" in body(refused)
    edit_url = reverse("inquiries:line-edit", args=[line.pk])
    assert client.get(edit_url).status_code == 200
    client.post(edit_url, {"line-description": "Downlight 15W", "line-quantity": "400"})
    line.refresh_from_db()
    assert (line.description, line.quantity) == ("Downlight 15W", 400)
    client.post(reverse("inquiries:line-delete", args=[line.pk]))
    assert not inquiry.lines.exists()


def test_another_reps_inquiry_is_a_404_everywhere(client_of, rep, other_rep):
    theirs = make_inquiry(other_rep, CompanyFactory(owner=other_rep), lines=[FULL_LINE])
    line = theirs.lines.get()
    client = client_of(rep)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"inquiries:{name}", args=[theirs.pk])).status_code == 404
    for name in ("checklist-fill", "checklist-waive", "checklist-unwaive", "respond", "close"):
        url = reverse(f"inquiries:{name}", args=[theirs.pk])
        assert client.post(url, {"item": "packing", "reason": "x"}).status_code == 404
    assert client.post(reverse("inquiries:line-delete", args=[line.pk])).status_code == 404
    assert theirs.lines.count() == 1


# --- Company card, navigation -------------------------------------------------------------------


def test_the_company_page_lists_its_inquiries(client_of, rep, company):
    make_inquiry(rep, company, subject="Quote for panels")
    page = body(client_of(rep).get(reverse("customers:company-detail", args=[company.pk])))
    assert "Quote for panels" in page
    assert reverse("inquiries:create-for-company", args=[company.pk]) in page


def test_the_navigation_links_to_the_inquiry_list(client_of, rep):
    page = body(client_of(rep).get(reverse("inquiries:list")))
    assert f'href="{reverse("inquiries:list")}"' in page


# --- The inbox ----------------------------------------------------------------------------------


@pytest.fixture
def mailbox(rep):
    return Mailbox.objects.create(
        owner=rep, from_name="Lily", from_email="lily@exporter.example", smtp_host="x"
    )


def message(mailbox, uid=1, **fields):
    values = {
        "from_email": "ravi@lumina-imports.in",
        "from_name": "Ravi Kumar",
        "subject": "Inquiry: LED panels",
        "body_text": "We need 2,000 panels.\n\n> quoted history\n",
        "status": InboundStatus.NEW_INQUIRY,
        "received_at": timezone.now() - dt.timedelta(hours=1),
    }
    return InboundMessage.objects.create(
        mailbox=mailbox, imap_uidvalidity=1, imap_uid=uid, **(values | fields)
    )


LEAD = {
    "name": "Lumina Imports",
    "country": "IN",
    "website": "lumina-imports.in",
    "source": "website",
    "contact_name": "Ravi Kumar",
    "contact_email": "ravi@lumina-imports.in",
    "contact_phone": "+91 22 2345 6789",
}


def test_the_inbox_message_offers_to_create_the_inquiry(client_of, rep, mailbox):
    mail = message(mailbox)
    page = body(client_of(rep).get(reverse("outreach:inbox-message", args=[mail.pk])))
    assert reverse("inquiries:from-message", args=[mail.pk]) in page
    assert "Create lead and inquiry" in page


def test_an_unknown_sender_becomes_a_lead_with_an_inquiry(client_of, rep, mailbox):
    mail = message(mailbox)
    response = client_of(rep).post(reverse("inquiries:from-message", args=[mail.pk]), LEAD)
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:detail", args=[inquiry.pk])
    mail.refresh_from_db()
    assert mail.status == InboundStatus.CONVERTED
    assert inquiry.inbound_message == mail
    assert inquiry.company.name == "Lumina Imports"
    assert inquiry.contact.email == "ravi@lumina-imports.in"
    assert inquiry.received_at == mail.received_at
    assert inquiry.message == "We need 2,000 panels."
    assert inquiry.company.stage == "inquiry"
    assert inquiry.assignee == rep
    # The message page now links to the inquiry instead.
    page = body(client_of(rep).get(reverse("outreach:inbox-message", args=[mail.pk])))
    assert reverse("inquiries:detail", args=[inquiry.pk]) in page


def test_a_duplicate_sender_shows_the_match_and_creates_nothing(client_of, rep, other_rep, mailbox):
    from tradewind.customers.models import WorkspacePolicy

    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": "warn"})
    CompanyFactory(
        owner=other_rep, name="Lumina Imports", website="lumina-imports.in", country="IN"
    )
    mail = message(mailbox)
    response = client_of(rep).post(reverse("inquiries:from-message", args=[mail.pk]), LEAD)
    assert response.status_code == 200
    page = body(response)
    assert "Lumina Imports" in page
    assert response.context["form"].errors
    assert not Inquiry.objects.exists()
    assert Company.objects.filter(name="Lumina Imports").count() == 1
    mail.refresh_from_db()
    assert mail.status == InboundStatus.NEW_INQUIRY
    confirmed = client_of(rep).post(
        reverse("inquiries:from-message", args=[mail.pk]), LEAD | {"confirm_duplicate": "on"}
    )
    assert confirmed.status_code == 302
    assert Inquiry.objects.get().company.owner == rep


def test_a_lead_form_with_errors_comes_back_with_them(client_of, rep, mailbox):
    mail = message(mailbox)
    response = client_of(rep).post(
        reverse("inquiries:from-message", args=[mail.pk]), LEAD | {"contact_email": "not-mail"}
    )
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_a_filed_message_gives_its_customer_and_contact(client_of, rep, mailbox, company):
    contact = ContactFactory(company=company, email="anna@nordlicht.de")
    mail = message(
        mailbox, status=InboundStatus.MATCHED, company=company, contact=contact, subject=""
    )
    client = client_of(rep)
    page = body(client.get(reverse("outreach:inbox-message", args=[mail.pk])))
    assert "Create inquiry" in page
    response = client.post(reverse("inquiries:from-message", args=[mail.pk]))
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert (inquiry.company, inquiry.contact) == (company, contact)
    assert inquiry.subject == "Inquiry from Ravi Kumar"
    again = client.post(reverse("inquiries:from-message", args=[mail.pk]), follow=True)
    assert "already the inquiry" in body(again)
    assert Inquiry.objects.count() == 1


def test_a_dismissed_message_must_be_put_back_first(client_of, rep, mailbox):
    mail = message(mailbox, status=InboundStatus.DISMISSED)
    response = client_of(rep).post(reverse("inquiries:from-message", args=[mail.pk]), follow=True)
    assert "put it back in the inbox" in body(response)
    assert not Inquiry.objects.exists()


def test_another_reps_message_is_a_404(client_of, rep, other_rep):
    theirs = Mailbox.objects.create(
        owner=other_rep, from_name="Tom", from_email="tom@exporter.example", smtp_host="x"
    )
    mail = message(theirs)
    response = client_of(rep).post(reverse("inquiries:from-message", args=[mail.pk]), LEAD)
    assert response.status_code == 404
    assert not Inquiry.objects.exists() and not Company.objects.exists()


def test_the_customers_history_reads_the_inquiry_events(client_of, rep, company):
    inquiry = make_inquiry(
        rep, company, subject="Panels", received_at=timezone.now() - dt.timedelta(hours=2)
    )
    inquiries.inquiry_line_add(actor=rep, inquiry_id=inquiry.pk, description="Downlight")
    inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason="Bulk")
    inquiries.record_first_response(inquiry, timezone.now() - dt.timedelta(hours=1), actor=rep)
    inquiries.inquiry_close(actor=rep, inquiry_id=inquiry.pk, status="lost", reason="Price")
    make_inquiry(rep, company, subject="With lines", lines=[FULL_LINE])
    response = client_of(rep).get(reverse("customers:company-detail", args=[company.pk]))
    assert response.status_code == 200
    page = body(response)
    for text in (
        "waived a checklist item on",
        "recorded the first reply to",
        "Products asked for",
        "Checklist item",
        "Bulk",
    ):
        assert text in page, text
    assert "None," not in page
