import pytest

from tests.contracts.factories import bank_profile, make_contract


@pytest.fixture
def profile(db):
    return bank_profile()


@pytest.fixture
def contract(company, profile):
    """A PI for the rep's customer: FOB Ningbo, 1,000 LED panels at USD 12.35, 30/70 T/T."""
    company.grade = "A"
    company.save(update_fields=["grade"])
    return make_contract(company)
