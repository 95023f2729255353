import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers import services


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("DE", "030 1234567", "+49301234567"),
        ("DE", "+49 (30) 123-4567", "+49301234567"),
        ("US", "(212) 555-0100", "+12125550100"),
        ("", "+44 20 7946 0958", "+442079460958"),
        ("CN", "138 0013 8000", "+8613800138000"),
    ],
)
def test_phones_are_stored_in_e164_with_the_company_country_as_default(rep, country, typed, stored):
    company = CompanyFactory(owner=rep, country=country)
    contact = ContactFactory(company=company, phone=typed, whatsapp=typed)
    assert contact.phone == stored
    assert contact.whatsapp == stored


@pytest.mark.parametrize("typed", ["hello", "12", "+49 30 12345678901234567"])
def test_unreadable_phones_are_refused_with_the_field_named(company, typed):
    with pytest.raises(DomainError) as caught:
        ContactFactory(company=company, phone=typed)
    assert caught.value.field == "phone"
    assert not company.contacts.exists()


def test_local_number_without_country_asks_for_the_country(rep):
    company = CompanyFactory(owner=rep, country="")
    with pytest.raises(DomainError, match="country"):
        ContactFactory(company=company, phone="030 1234567")


def test_email_is_lowercased_and_validated(company):
    contact = ContactFactory(company=company, email="  Anna.Weber@Nordlicht.DE ")
    assert contact.email == "anna.weber@nordlicht.de"
    with pytest.raises(Exception) as caught:
        ContactFactory(company=company, email="not-an-email")
    assert "email" in str(caught.value)


def test_contact_update_and_delete_are_audited(company, rep):
    contact = ContactFactory(company=company)
    services.contact_update(actor=rep, contact_id=contact.pk, title="Head of Sourcing")
    services.contact_delete(actor=rep, contact_id=contact.pk)
    actions = list(
        AuditEvent.objects.filter(object_type="customers.contact").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]
