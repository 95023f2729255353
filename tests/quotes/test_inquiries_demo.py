"""The demo inquiries: every state a rep meets, made through the services, and seeding twice
adds nothing twice."""

from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory
from tradewind.catalog.demo import seed_catalog
from tradewind.quotes.checklist import checklist
from tradewind.quotes.demo_inquiries import seed_inquiries
from tradewind.quotes.models import Inquiry


def test_the_demo_has_inquiries_in_every_state(rep, teammate):
    seed_catalog()
    companies = []
    for n in range(20):
        owner = rep if n % 2 else teammate
        company = CompanyFactory(owner=owner, stage="contacted" if n % 3 else "lead")
        ContactFactory(company=company)
        companies.append(company)
    counts = seed_inquiries(users=[rep, teammate], companies=companies)
    assert counts["inquiries"] == 15
    now = timezone.now()
    rows = list(Inquiry.objects.all())
    statuses = {i.status for i in rows}
    assert statuses == {"open", "lost", "closed"}
    overdue = [i for i in rows if i.status == "open" and not i.first_responded_at
               and i.first_response_due_at < now]  # fmt: skip
    assert len(overdue) >= 3
    assert any(i.first_responded_at for i in rows)
    ready = [i for i in rows if not any(r.is_missing for r in checklist(i))]
    assert len(ready) >= 4
    assert any(i.waivers for i in rows)
    assert all(i.company.stage == "inquiry" for i in rows)
    again = seed_inquiries(users=[rep, teammate], companies=companies)
    assert again["inquiries"] == 15
