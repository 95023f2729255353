"""Sample pages: list, create (from a customer, an inquiry or a quotation), detail and its action
forms, the company page card, My day and the navigation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tests.quotes.test_samples_services import (
    UPS,
    delivered,
    make_inquiry,
    make_quotation,
    make_sample,
    shipped,
    with_feedback,
)
from tradewind.quotes import samples
from tradewind.quotes.models import Sample

LIST = "samples:sample-list"


def items_post(**rows) -> dict:
    """The item formset's POST data: ``rows`` maps a row number to its fields."""
    data = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    for index in range(3):
        data |= {f"items-{index}-charge": "free", f"items-{index}-currency": "USD"}
    for index, fields in rows.items():
        data |= {f"items-{index}-{name}": value for name, value in fields.items()}
    return data


def request_post(**extra) -> dict:
    return {
        "courier_payer": "us",
        "feedback_after_days": "5",
        "sample_cost_rmb": "120",
        "courier_cost_rmb": "",
        **items_post(**{"0": {"description": "LED panel 600×600", "quantity": "2"}}),
        **extra,
    }


# --- Create --------------------------------------------------------------------------------


def test_a_sample_is_requested_from_the_company_page(client_of, rep, company):
    client = client_of(rep)
    page = client.get(reverse("customers:company-detail", args=[company.pk]))
    create_url = reverse("samples:sample-create") + f"?company={company.pk}"
    assert create_url.replace("&", "&amp;") in page.content.decode()
    form = client.get(create_url)
    assert form.status_code == 200
    assert "New sample for Nordlicht Leuchten GmbH" in form.content.decode()
    response = client.post(create_url, request_post())
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("samples:sample-detail", args=[sample.pk])
    assert sample.items.get().quantity == 2


def test_a_bad_item_comes_back_on_its_row_with_everything_typed(client_of, rep, company):
    client = client_of(rep)
    url = reverse("samples:sample-create") + f"?company={company.pk}"
    data = request_post(notes="Send with the catalogue")
    data |= {"items-1-description": "Driver 40W", "items-1-quantity": "1"}
    data |= {"items-1-charge": "charged"}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "A charged sample needs its unit price." in body
    assert "Driver 40W" in body and "Send with the catalogue" in body
    assert response.context["formset"].forms[1].errors["unit_price"]
    assert not Sample.objects.exists()


def test_no_item_at_all_is_a_clear_error(client_of, rep, company):
    client = client_of(rep)
    url = reverse("samples:sample-create") + f"?company={company.pk}"
    data = request_post()
    del data["items-0-description"], data["items-0-quantity"]
    response = client.post(url, data)
    assert "Add at least one item" in response.content.decode()


def test_the_buyers_account_is_asked_for_when_the_buyer_pays(client_of, rep, company):
    client = client_of(rep)
    url = reverse("samples:sample-create") + f"?company={company.pk}"
    response = client.post(url, request_post(courier_payer="buyer"))
    assert response.context["form"].errors["collect_account"]


def test_creating_from_an_inquiry_or_quotation_links_it(client_of, rep, company):
    contact = ContactFactory(company=company)
    inquiry = make_inquiry(company, rep)
    inquiry.contact = contact
    inquiry.save()
    quotation = make_quotation(company, rep, inquiry=inquiry)
    client = client_of(rep)
    url = reverse("samples:sample-create") + f"?inquiry={inquiry.pk}"
    form = client.get(url).context["form"]
    assert form.initial["inquiry"] == inquiry.pk and form.initial["contact"] == contact.pk
    client.post(url, request_post(inquiry=inquiry.pk, contact=contact.pk))
    assert Sample.objects.get().inquiry == inquiry
    url = reverse("samples:sample-create") + f"?quotation={quotation.pk}"
    client.post(url, request_post(quotation=quotation.pk, inquiry=inquiry.pk))
    assert Sample.objects.filter(quotation=quotation).count() == 1


def test_another_reps_customer_inquiry_or_quotation_is_404(client_of, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep, name="Secret GmbH", website="https://secret.de")
    inquiry = make_inquiry(theirs, other_rep)
    quotation = make_quotation(theirs, other_rep)
    client = client_of(rep)
    base = reverse("samples:sample-create")
    for query in (f"company={theirs.pk}", f"inquiry={inquiry.pk}", f"quotation={quotation.pk}"):
        assert client.get(f"{base}?{query}").status_code == 404
        assert client.post(f"{base}?{query}", request_post()).status_code == 404
    assert client.get(f"{base}?company=abc").status_code == 404
    assert not Sample.objects.exists()


def test_without_a_customer_the_page_offers_my_customers_to_pick(client_of, rep, other_rep):
    CompanyFactory(owner=rep, name="Amber Lamps BV", website="https://amber.nl")
    CompanyFactory(owner=other_rep, name="Amber Secret GmbH", website="https://ambers.de")
    client = client_of(rep)
    body = client.get(reverse("samples:sample-create")).content.decode()
    assert "Amber Lamps BV" in body and "Amber Secret" not in body
    found = client.get(reverse("samples:sample-create"), {"q": "amber"}).content.decode()
    assert "Amber Lamps BV" in found and "Amber Secret" not in found


# --- Detail and actions ------------------------------------------------------------------------


def test_the_detail_page_shows_the_stepper_and_the_ship_form(client_of, rep, company):
    sample = make_sample(rep, company)
    body = client_of(rep).get(reverse("samples:sample-detail", args=[sample.pk])).content.decode()
    assert sample.number in body
    assert 'aria-current="step"' in body
    assert "Mark as shipped" in body and "Start production" in body
    assert "Cancel this sample" in body


def test_shipping_from_the_page_with_a_wrong_awb_keeps_the_input(client_of, rep, company):
    sample = make_sample(rep, company)
    client = client_of(rep)
    url = reverse("samples:sample-ship", args=[sample.pk])
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"courier": "ups", "awb_number": "1Z2203480342495731", "shipped_at": today}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "check digit would be 0" in body
    assert 'value="1Z2203480342495731"' in body
    response = client.post(url, {"courier": "ups", "awb_number": UPS, "shipped_at": today})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "https://www.ups.com/track?loc=en_US&amp;tracknum=1Z2203480342495730" in detail
    assert "Mark as delivered" in detail


def test_delivering_feedback_and_decision_from_the_page(client_of, rep, company):
    sample = shipped(rep, company)
    client = client_of(rep)
    today = timezone.localdate().isoformat()
    client.post(reverse("samples:sample-deliver", args=[sample.pk]), {"delivered_at": today})
    sample.refresh_from_db()
    assert sample.status == "delivered" and sample.feedback_task
    response = client.post(
        reverse("samples:sample-feedback", args=[sample.pk]),
        {"quality_rating": "4", "price_acceptable": "no", "changes_requested": "Warmer light"},
    )
    assert response.status_code == 302
    sample.refresh_from_db()
    assert (sample.quality_rating, sample.price_acceptable) == (4, False)
    response = client.post(
        reverse("samples:sample-decide", args=[sample.pk]), {"decision": "rejected"}
    )
    assert "Say why the buyer rejected the sample" in response.content.decode()
    client.post(
        reverse("samples:sample-decide", args=[sample.pk]),
        {"decision": "approved", "reason": "Go ahead with 3000K"},
    )
    sample.refresh_from_db()
    assert sample.status == "approved"
    body = client.get(reverse("samples:sample-detail", args=[sample.pk])).content.decode()
    assert "Buyer's feedback" in body and "Warmer light" in body


def test_feedback_without_a_quality_rating_is_refused(client_of, rep, company):
    sample = delivered(rep, company)
    response = client_of(rep).post(
        reverse("samples:sample-feedback", args=[sample.pk]), {"feedback_notes": "Nice"}
    )
    assert response.status_code == 200
    assert response.context["feedback_form"].errors["quality_rating"]
    assert "Nice" in response.content.decode()


def test_a_wrong_jump_from_the_page_says_what_is_allowed(client_of, rep, company):
    sample = make_sample(rep, company)
    response = client_of(rep).post(
        reverse("samples:sample-deliver", args=[sample.pk]),
        {"delivered_at": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "can only move to" in response.content.decode()


def test_production_and_cancel_buttons(client_of, rep, company):
    sample = make_sample(rep, company)
    client = client_of(rep)
    url = reverse("samples:sample-status", args=[sample.pk])
    client.post(url, {"action": "production"})
    sample.refresh_from_db()
    assert sample.status == "in_production"
    client.post(url, {"action": "cancel", "reason": "Buyer cancelled the project"})
    sample.refresh_from_db()
    assert (sample.status, sample.decision_reason) == ("cancelled", "Buyer cancelled the project")
    response = client.post(url, {"action": "production"}, follow=True)
    assert "lifecycle is over" in response.content.decode()


def test_items_are_added_and_removed_on_the_page(client_of, rep, company):
    sample = make_sample(rep, company)
    client = client_of(rep)
    client.post(
        reverse("samples:sample-item-add", args=[sample.pk]),
        {"item-description": "Spare driver", "item-quantity": "1", "item-charge": "free",
         "item-currency": "USD"},
    )  # fmt: skip
    assert sample.items.count() == 2
    added = sample.items.get(description="Spare driver")
    client.post(reverse("samples:sample-item-delete", args=[added.pk]))
    assert sample.items.count() == 1


def test_editing_costs_and_details(client_of, rep, company):
    sample = make_sample(rep, company)
    client = client_of(rep)
    url = reverse("samples:sample-edit", args=[sample.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"courier_payer": "buyer", "collect_account": "96123456", "feedback_after_days": "7",
         "sample_cost_rmb": "88.5", "courier_cost_rmb": "0", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 302
    sample.refresh_from_db()
    assert (sample.collect_account, sample.feedback_after_days) == ("96123456", 7)


def test_hostile_text_is_escaped(client_of, rep, company):
    sample = make_sample(
        rep, company, items=[{"description": "<script>alert(1)</script>", "quantity": 1}]
    )
    body = client_of(rep).get(reverse("samples:sample-detail", args=[sample.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- List ----------------------------------------------------------------------------------


def test_the_list_filters_and_searches(client_of, rep, company):
    waiting = delivered(rep, company)
    fresh = make_sample(rep, company)
    client = client_of(rep)

    def numbers(**query):
        return {s.number for s in client.get(reverse(LIST), query).context["page"].items}

    assert numbers() == {waiting.number, fresh.number}
    assert numbers(status="requested") == {fresh.number}
    assert numbers(awaiting="on") == {waiting.number}
    assert numbers(courier="ups") == {waiting.number}
    assert numbers(q="1z 2203") == {waiting.number}
    assert numbers(q=fresh.number) == {fresh.number}
    assert numbers(q="nordlicht") == {waiting.number, fresh.number}
    assert numbers(q="x" * 500) == set()


def test_mine_and_team(client_of, rep, teammate, manager, company):
    mine = make_sample(rep, company)
    team_company = CompanyFactory(owner=teammate, name="Teal BV", website="https://teal.nl")
    theirs = make_sample(teammate, team_company)
    client = client_of(manager)
    listed = {s.number for s in client.get(reverse(LIST), {"scope": "team"}).context["page"].items}
    assert listed == {mine.number, theirs.number}
    assert client.get(reverse(LIST)).context["page"].items == []


def test_the_list_pages_in_a_fixed_number_of_queries(
    client_of, rep, company, django_assert_max_num_queries
):
    for _ in range(25):
        make_sample(rep, company)
    client = client_of(rep)
    client.get(reverse(LIST))
    with django_assert_max_num_queries(8):
        page = client.get(reverse(LIST), {"page": 2})
    assert len(page.context["page"].items) == 5


def test_the_list_is_empty_for_another_rep(client_of, rep, other_rep, company):
    make_sample(rep, company)
    body = client_of(other_rep).get(reverse(LIST), {"scope": "team"}).content.decode()
    assert "SMP-" not in body


# --- Company card, My day and navigation ---------------------------------------------------------


def test_the_company_page_lists_its_samples(client_of, rep, company):
    sample = shipped(rep, company)
    body = client_of(rep).get(reverse("customers:company-detail", args=[company.pk])).content
    assert sample.number in body.decode()
    assert UPS in body.decode()


def test_my_day_shows_samples_to_chase(client_of, rep, company):
    waiting = delivered(rep, company)
    stuck = shipped(rep, company, awb_number="1234567890", courier="dhl")
    Sample.objects.filter(pk=stuck.pk).update(shipped_at=timezone.now() - dt.timedelta(days=12))
    quiet = shipped(rep, company, awb_number="1234567891", courier="dhl")
    body = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "Samples to chase" in body
    assert waiting.number in body and stuck.number in body
    assert quiet.number not in body


def test_my_day_has_no_sample_card_when_nothing_waits(client_of, rep, company):
    make_sample(rep, company)
    assert "Samples to chase" not in client_of(rep).get(reverse("web:my-day")).content.decode()


def test_navigation_links_the_sample_list_and_report(client_of, rep):
    body = client_of(rep).get(reverse(LIST)).content.decode()
    assert f'href="{reverse(LIST)}"' in body
    assert f'href="{reverse("samples:sample-report")}"' in body


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders_in_both_languages(client_of, rep, company, language):
    rep.language = language
    rep.save()
    done = with_feedback(rep, company)
    client = client_of(rep)
    for url in (
        reverse(LIST),
        reverse("samples:sample-create"),
        reverse("samples:sample-create") + f"?company={company.pk}",
        reverse("samples:sample-detail", args=[done.pk]),
        reverse("samples:sample-edit", args=[done.pk]),
        reverse("samples:sample-report"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_stepper_shows_production_skipped_for_a_sample_from_stock(client_of, rep, company):
    from_stock = shipped(rep, company)
    produced = make_sample(rep, company)
    samples.sample_start_production(actor=rep, sample_id=produced.pk)
    samples.sample_ship(actor=rep, sample_id=produced.pk, courier="dhl", awb_number="1234567890")
    client = client_of(rep)
    stock_page = client.get(reverse("samples:sample-detail", args=[from_stock.pk]))
    assert "skipped (from stock)" in stock_page.content.decode()
    made_page = client.get(reverse("samples:sample-detail", args=[produced.pk]))
    assert "skipped (from stock)" not in made_page.content.decode()
