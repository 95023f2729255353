"""The L/C desk pages: list (mine / all, expiring, to check), detail with the UCP 600 dates and
check results, accepting discrepancies with a reason, closing, the contract card, navigation."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.contracts.lc.conftest import record
from tests.trade.lc_samples import mt700
from tradewind.contracts.lc import services
from tradewind.contracts.lc.models import LcDiscrepancy

LIST = reverse("lcdesk:lc-list")


def test_the_list_shows_my_open_credits_with_their_check_state(client_of, rep, planted_lc):
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    html = client_of(rep).get(LIST).content.decode()
    assert planted_lc.number in html and planted_lc.contract.number in html
    assert "Discrepancies" in html
    assert "USD 45,000.00" in html


def test_the_list_filters(client_of, rep, contract, clean_lc, planted_lc):
    client = client_of(rep)
    services.lc_check(actor=rep, lc_id=clean_lc.pk)
    to_check = client.get(LIST, {"show": "to_check"}).context["page"].items
    assert [lc.pk for lc in to_check] == [planted_lc.pk]
    expiring = client.get(LIST, {"show": "expiring"}).context["page"].items
    assert [lc.pk for lc in expiring] == [planted_lc.pk]  # ships in 10 days
    services.lc_close(actor=rep, lc_id=clean_lc.pk, reason="Paid on 2 June")
    closed = client.get(LIST, {"show": "closed"}).context["page"].items
    assert [lc.pk for lc in closed] == [clean_lc.pk]
    found = client.get(LIST, {"show": "all", "q": "0999"}).context["page"].items
    assert [lc.pk for lc in found] == [planted_lc.pk]
    assert client.get(LIST, {"show": "bogus", "page": "x"}).status_code == 200


def test_the_list_costs_the_same_queries_for_one_credit_or_ten(client_of, rep, contract):
    client = client_of(rep)
    today = timezone.localdate()
    record(rep, contract, mt700(today), number="LC-0")
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for index in range(1, 10):
        lc = record(rep, contract, mt700(today), number=f"LC-{index}")
        services.lc_check(actor=rep, lc_id=lc.pk)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(LIST)
    assert len(response.context["page"].items) == 10
    assert len(ten) == len(one)


def test_the_detail_shows_the_dates_check_and_amendment_request(client_of, rep, planted_lc):
    client = client_of(rep)
    html = client.get(reverse("lcdesk:lc-detail", args=[planted_lc.pk])).content.decode()
    assert "Dates (UCP 600)" in html and "Last day for presentation" in html
    assert "Not checked yet" in html
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    html = client.get(reverse("lcdesk:lc-detail", args=[planted_lc.pk])).content.decode()
    assert "Blocking" in html
    assert f"Please amend L/C {planted_lc.number} as follows:" in html
    assert "increase 32B to USD 48,600.00" in html
    assert "Accept discrepancies with a reason" in html
    assert "15 days after shipment" in html


def test_the_detail_moves_dates_past_bank_holidays(client_of, rep, contract):
    lc = services.lc_create(
        actor=rep, contract_id=contract.pk, number="NATDAY", currency="USD", amount="48600",
        issue_date=dt.date(2026, 8, 1), expiry_date=dt.date(2026, 10, 3), expiry_place="CHINA",
        latest_shipment_date=dt.date(2026, 9, 18), received_on=dt.date(2026, 8, 2),
    )  # fmt: skip
    html = client_of(rep).get(reverse("lcdesk:lc-detail", args=[lc.pk])).content.decode()
    assert "2026-10-08" in html  # the last day for presentation after the Golden Week
    assert "National Day" in html


def test_accepting_discrepancies_needs_a_reason(client_of, rep, planted_lc):
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    url = reverse("lcdesk:lc-accept", args=[planted_lc.pk])
    client = client_of(rep)
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["open_rows"]) == 6
    refused = client.post(url, {"reason": ""})
    assert "reason" in refused.context["form"].errors
    short = client.post(url, {"reason": "ok"})
    assert "a few words" in " ".join(short.context["form"].errors["reason"])
    soft = LcDiscrepancy.objects.get(code="soft_clause")
    done = client.post(url, {"reason": "SGS inspects instead", "discrepancies": [soft.pk]})
    assert done.status_code == 302
    assert LcDiscrepancy.objects.filter(accepted_at__isnull=True).count() == 5
    bogus = client.post(url, {"reason": "fine by me", "discrepancies": ["abc"]})
    assert "discrepancies" in bogus.context["form"].errors


def test_closing_needs_a_reason_and_reopening_works(client_of, rep, clean_lc):
    url = reverse("lcdesk:lc-close", args=[clean_lc.pk])
    client = client_of(rep)
    client.post(url, {"reason": ""})
    clean_lc.refresh_from_db()
    assert clean_lc.is_open
    client.post(url, {"reason": "Paid in full on 2 June"})
    clean_lc.refresh_from_db()
    assert not clean_lc.is_open and clean_lc.closed_reason == "Paid in full on 2 June"
    assert client.get(reverse("lcdesk:lc-edit", args=[clean_lc.pk])).status_code == 302
    client.post(url)
    clean_lc.refresh_from_db()
    assert clean_lc.is_open


def test_the_contract_card_lists_its_credits(rep, contract, clean_lc):
    request = RequestFactory().get("/")
    request.user = rep
    html = Template('{% include "lcdesk/_contract_panel.html" %}').render(
        Context({"contract": contract, "request": request})
    )
    assert clean_lc.number in html and "Not checked" in html
    assert f"?contract={contract.pk}" in html


def test_the_contract_page_shows_the_card(client_of, rep, contract, clean_lc):
    response = client_of(rep).get(reverse("contracts:contract-detail", args=[contract.pk]))
    assert response.status_code == 200
    assert clean_lc.number in response.content.decode()


def test_the_navigation_has_the_lc_desk(client_of, rep):
    html = client_of(rep).get(LIST).content.decode()
    assert 'href="/lc/"' in html and "bi-bank" in html


@pytest.mark.parametrize("name", ["lc-list", "lc-create"])
def test_pages_render_in_chinese(client_of, rep, name):
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    response = client_of(rep).get(reverse(f"lcdesk:{name}"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_chinese_detail_page_renders(client_of, rep, planted_lc):
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="48600")
    response = client_of(rep).get(reverse("lcdesk:lc-detail", args=[planted_lc.pk]))
    assert response.status_code == 200
