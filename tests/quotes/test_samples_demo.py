"""The demo samples: every state of the lifecycle, real-format AWB numbers, My day and report."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import CompanyFactory, ContactFactory
from tradewind.quotes.couriers import validate_awb
from tradewind.quotes.demo_samples import PLANS, seed_samples
from tradewind.quotes.models import Sample
from tradewind.quotes.sample_report import sample_report


@pytest.fixture
def customers(rep):
    made = []
    for index, stage in enumerate(["inquiry", "quoted", "sample", "negotiation"] * 3):
        company = CompanyFactory(
            owner=rep, name=f"Demo Buyer {index}", website=f"https://buyer{index}.de", stage=stage
        )
        ContactFactory(company=company)
        made.append(company)
    return made


def test_the_demo_seeds_every_state_with_valid_awbs(rep, customers, client_of):
    with transaction.atomic():
        made = seed_samples(seed=3)
    assert len(made) == len(PLANS) == 10
    statuses = set(Sample.objects.values_list("status", flat=True))
    assert statuses == {
        "requested", "in_production", "shipped", "delivered", "feedback", "approved",
        "rejected", "cancelled",
    }  # fmt: skip
    for sample in Sample.objects.exclude(awb_number=""):
        assert validate_awb(sample.courier, sample.awb_number) == sample.awb_number
    assert Sample.objects.filter(status="delivered", feedback_task__isnull=False).count() == 2
    body = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "Samples to chase" in body
    report = sample_report(rep)
    assert report.totals.converted == 1
    assert report.totals.total_cost > 0


def test_seeding_twice_adds_nothing(rep, customers):
    with transaction.atomic():
        seed_samples(seed=3)
    with transaction.atomic():
        assert seed_samples(seed=3) == []
    assert Sample.objects.count() == 10


def test_a_small_workspace_gets_fewer_samples(rep):
    CompanyFactory(owner=rep, stage="quoted")
    with transaction.atomic():
        assert len(seed_samples()) == 1
