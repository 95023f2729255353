"""seed_contracts: credit settings and contracts at every signing step, through the services;
seeding twice adds nothing."""

from tests.contracts.factories import accepted_quotation, bank_profile
from tests.factories import CompanyFactory
from tradewind.contracts.demo import seed_contracts
from tradewind.contracts.models import BuyerCredit, Contract, CountryRisk


def test_seed_contracts_makes_contracts_at_every_step(rep, manager):
    bank_profile()
    companies = [CompanyFactory(owner=rep, grade="A", country="NL") for _ in range(4)]
    for company in companies:
        accepted_quotation(company, payment_terms="30% T/T deposit, 70% before shipment")
    counts = seed_contracts(seed=3)
    assert counts["contracts"] == 4
    assert counts["country_risks"] == CountryRisk.objects.count() > 5
    assert counts["credit_limits"] == BuyerCredit.objects.count() > 0
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert {"draft", "sent", "signed"} <= statuses
    signed = Contract.objects.filter(status="signed")
    assert all(c.versions.get().countersigned_pdf for c in signed)
    assert any(d.slip_received_at and not d.credited_at for c in signed for d in c.deposits.all())
    assert seed_contracts(seed=3) == {"country_risks": 0, "credit_limits": 0, "contracts": 0}


def test_seeding_without_users_does_nothing(db):
    assert seed_contracts() == {"country_risks": 0, "credit_limits": 0, "contracts": 0}
