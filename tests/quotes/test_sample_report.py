"""Sample cost against conversion, by customer and by country, within the visibility rule."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.quotes.test_samples_services import make_quotation, make_sample
from tradewind.customers import services as customer_services
from tradewind.quotes import samples
from tradewind.quotes.models import Sample
from tradewind.quotes.sample_report import sample_report


def buyer(owner, name, country="DE", **fields):
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    return CompanyFactory(
        owner=owner, name=name, country=country, website=f"https://{slug}.example", **fields
    )


def costed(actor, company, sample_cost, courier_cost="0") -> Sample:
    return make_sample(actor, company, sample_cost_rmb=sample_cost, courier_cost_rmb=courier_cost)


@pytest.fixture
def world(rep, other_rep):
    ordered = buyer(rep, "Brandt Licht GmbH")
    costed(rep, ordered, "100", "50")
    costed(rep, ordered, "200")
    customer_services.company_update(actor=rep, company_id=ordered.pk, stage="ordered")

    accepted = buyer(rep, "Helios Lampen GmbH")
    costed(rep, accepted, "80", "120")
    quotation = make_quotation(accepted, rep, number="QT-2026-0100")
    quotation.status = "accepted"
    quotation.decided_at = timezone.now()
    quotation.save()

    waiting = buyer(rep, "Lumière SARL", country="FR")
    costed(rep, waiting, "60", "40")
    cancelled = costed(rep, waiting, "999")
    samples.sample_cancel(actor=rep, sample_id=cancelled.pk)

    # A repeat customer before any sample: a new sample is no conversion.
    old_hand = buyer(rep, "Old Hand BV", country="NL", stage="repeat")
    costed(rep, old_hand, "30")

    secret = buyer(other_rep, "Geheim GmbH")
    costed(other_rep, secret, "5000")
    customer_services.company_update(actor=other_rep, company_id=secret.pk, stage="ordered")
    return {"ordered": ordered, "accepted": accepted, "waiting": waiting, "old_hand": old_hand}


def test_customers_convert_by_an_accepted_quotation_or_the_ordered_stage(rep, world):
    report = sample_report(rep)
    rows = {row.name: row for row in report.customers}
    assert set(rows) == {"Brandt Licht GmbH", "Helios Lampen GmbH", "Lumière SARL", "Old Hand BV"}
    assert rows["Brandt Licht GmbH"].converted_by == "stage"
    assert rows["Brandt Licht GmbH"].samples == 2
    assert rows["Brandt Licht GmbH"].total_cost == Decimal("350.00")
    assert rows["Helios Lampen GmbH"].converted_by == "quotation"
    assert not rows["Lumière SARL"].converted
    assert rows["Lumière SARL"].samples == 1  # the cancelled sample is not counted
    assert not rows["Old Hand BV"].converted


def test_countries_and_totals(rep, world):
    report = sample_report(rep)
    germany = next(group for group in report.countries if group.key == "DE")
    assert (germany.customers, germany.converted, germany.samples) == (2, 2, 3)
    assert germany.total_cost == Decimal("550.00")
    assert germany.cost_per_converted == Decimal("275.00")
    assert germany.conversion_percent == Decimal("100.0")
    france = next(group for group in report.countries if group.key == "FR")
    assert france.cost_per_converted is None
    totals = report.totals
    assert (totals.customers, totals.converted, totals.samples) == (4, 2, 5)
    assert totals.total_cost == Decimal("680.00")
    assert totals.cost_per_converted == Decimal("340.00")
    assert totals.conversion_percent == Decimal("50.0")
    assert [group.key for group in report.countries] == ["DE", "FR", "NL"]  # costliest first
    assert report.chart["labels"][0] == "Germany"
    assert report.chart["cost"][0] == "550.00"


def test_a_quotation_accepted_before_the_first_sample_is_no_conversion(rep):
    company = buyer(rep, "Early Bird Ltd", country="GB")
    quotation = make_quotation(company, rep, number="QT-2026-0200")
    quotation.status = "accepted"
    quotation.decided_at = timezone.now() - dt.timedelta(days=30)
    quotation.save()
    costed(rep, company, "10")
    assert not sample_report(rep).customers[0].converted


def test_another_reps_samples_are_not_in_the_report(rep, other_rep, world):
    report = sample_report(rep)
    assert "Geheim GmbH" not in {row.name for row in report.customers}
    theirs = sample_report(other_rep)
    assert [row.name for row in theirs.customers] == ["Geheim GmbH"]
    assert theirs.totals.converted == 1


def test_a_manager_sees_the_team_and_not_other_teams(manager, world):
    names = {row.name for row in sample_report(manager).customers}
    assert "Brandt Licht GmbH" in names and "Geheim GmbH" not in names


def test_the_period_filters_by_request_date(rep, world):
    old = Sample.objects.filter(company=world["old_hand"])
    old.update(created_at=timezone.now() - dt.timedelta(days=400))
    today = timezone.localdate()
    recent = sample_report(rep, since=today - dt.timedelta(days=30), until=today)
    assert "Old Hand BV" not in {row.name for row in recent.customers}
    past = sample_report(rep, until=today - dt.timedelta(days=300))
    assert [row.name for row in past.customers] == ["Old Hand BV"]


def test_an_empty_report(rep):
    report = sample_report(rep)
    assert report.customers == [] and report.countries == []
    assert report.totals.cost_per_converted is None and report.totals.conversion_percent is None


def test_the_report_page_shows_totals_chart_data_and_no_secrets(client_of, rep, world):
    response = client_of(rep).get(reverse("samples:sample-report"))
    body = response.content.decode()
    assert "Geheim" not in body and "5000" not in body and "5,000" not in body
    assert 'id="sample-chart"' in body
    assert "vendor/echarts/echarts.min.js" in body
    data = json.loads(
        body.split('id="sample-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert data["labels"] == ["Germany", "France", "Netherlands"]
    assert "340.00" in body  # cost per converted customer


def test_the_report_page_refuses_a_backwards_period(client_of, rep):
    today = timezone.localdate()
    response = client_of(rep).get(
        reverse("samples:sample-report"),
        {"since": today.isoformat(), "until": (today - dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_the_report_page_in_chinese(client_of, rep, world):
    rep.language = "zh-hans"
    rep.save()
    body = client_of(rep).get(reverse("samples:sample-report")).content.decode()
    assert "德国" in body
