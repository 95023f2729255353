"""The demo quotations: every story seeded through the services, once."""

import pytest

from tests.factories import CompanyFactory, ContactFactory, UserFactory
from tradewind.catalog.demo import seed_catalog
from tradewind.customers.models import Company
from tradewind.quotes import quotation_selectors
from tradewind.quotes.demo_quotations import seed_quotations
from tradewind.quotes.models import MarginApproval, Quotation, QuotationRevision

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_each_story_once(manager):
    seed_catalog()
    rep = UserFactory(username="demo-rep", team_name="Europe")
    for n in range(6):
        company = CompanyFactory(owner=rep, name=f"Demo Buyer {n} Ltd")
        Company.objects.filter(pk=company.pk).update(stage="quoted")
        ContactFactory(company=company)
    counts = seed_quotations()
    for story in ("pending_approval", "sent", "expired", "revised", "lcl"):
        assert counts.get(story) == 1, (story, counts)
    assert MarginApproval.objects.filter(decision="pending").count() == 1
    assert QuotationRevision.objects.filter(status="sent").count() == 3
    page = quotation_selectors.quotation_list(
        rep, quotation_selectors.QuotationFilters(expired="yes")
    )
    assert len(page.items) == 1
    revised = Quotation.objects.get(revisions__letter="B")
    assert revised.revisions.get(letter="B").priced_at is not None
    assert all(r.total_amount for r in QuotationRevision.objects.all())
    assert seed_quotations() == {}
