"""The workspace's duplicate policy in the services: block refuses, warn asks for confirmation."""

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers import services
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.customers.models import Company, Contact, WorkspacePolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def block():
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": "block"})


@pytest.fixture
def warn():
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": "warn"})


def test_block_refuses_a_certain_duplicate_even_when_confirmed(block, company, other_rep):
    with pytest.raises(DuplicateCompany) as refused:
        services.company_create(
            actor=other_rep, name="NORDLICHT LEUCHTEN", country="DE", confirm_duplicate=True
        )
    assert refused.value.blocked
    assert refused.value.code == "duplicate" and refused.value.field == "name"
    assert [m.company_id for m in refused.value.matches] == [company.pk]
    assert "lily" in refused.value.message.lower() or str(company.owner) in refused.value.message
    assert Company.objects.count() == 1


def test_block_lets_a_weak_match_through_once_confirmed(block, company, other_rep):
    ContactFactory(company=company, email="", phone="+493012345678")
    with pytest.raises(DuplicateCompany) as asked:
        services.company_create(
            actor=other_rep,
            name="Adler Import",
            first_contact={"name": "Jo", "phone": "+43 30 12345678"},
        )
    assert not asked.value.blocked  # the last 8 digits alone are not certain
    created = services.company_create(
        actor=other_rep,
        name="Adler Import",
        first_contact={"name": "Jo", "phone": "+43 30 12345678"},
        confirm_duplicate=True,
    )
    assert [m.company_id for m in created.duplicate_matches] == [company.pk]


def test_warn_asks_first_and_creates_once_confirmed(warn, company, other_rep):
    with pytest.raises(DuplicateCompany) as asked:
        services.company_create(actor=other_rep, name="Nordlict Leuchten", country="DE")
    assert not asked.value.blocked
    assert Company.objects.count() == 1
    created = services.company_create(
        actor=other_rep, name="Nordlict Leuchten", country="DE", confirm_duplicate=True
    )
    event = AuditEvent.objects.get(
        object_type="customers.company", object_id=created.pk, action="create"
    )
    assert event.changes["confirmed_duplicates"] == [company.pk]


def test_a_company_without_matches_needs_no_confirmation(block, company, rep):
    created = services.company_create(actor=rep, name="Sonnenschein Möbel AG", country="DE")
    assert created.duplicate_matches == []
    event = AuditEvent.objects.get(object_type="customers.company", object_id=created.pk)
    assert "confirmed_duplicates" not in event.changes


def test_the_first_contact_is_created_and_checked(warn, company, rep):
    ContactFactory(company=company, email="anna@nordlicht.de")
    with pytest.raises(DuplicateCompany) as asked:
        services.company_create(
            actor=rep, name="NL Vertrieb", first_contact={"name": "Bo", "email": "bo@nordlicht.de"}
        )
    assert "Same company email domain nordlicht.de" in asked.value.matches[0].reasons
    created = services.company_create(
        actor=rep,
        name="Kranich Licht",
        country="DE",
        first_contact={"name": "Eva Kranich", "email": "EVA@kranich.de", "phone": "030 7654321"},
    )
    contact = Contact.objects.get(company=created)
    assert (contact.email, contact.phone) == ("eva@kranich.de", "+49307654321")


def test_a_bad_first_contact_names_its_field_and_creates_nothing(rep):
    with pytest.raises(DomainError) as bad:
        services.company_create(
            actor=rep, name="Kranich Licht", first_contact={"name": "Eva", "phone": "12"}
        )
    assert bad.value.field == "contact_phone"
    assert not Company.objects.filter(name="Kranich Licht").exists()


def test_renaming_into_a_certain_duplicate_is_blocked(block, company, rep):
    other = CompanyFactory(owner=rep, name="Sonnenschein Möbel", website="")
    with pytest.raises(DuplicateCompany):
        services.company_update(actor=rep, company_id=other.pk, name="Nordlicht Leuchten AG")
    other.refresh_from_db()
    assert other.name == "Sonnenschein Möbel"


def test_editing_other_fields_of_a_known_duplicate_is_not_blocked(warn, company, rep):
    twin = CompanyFactory(owner=rep, name="Nordlicht Leuchten", confirm_duplicate=True)
    WorkspacePolicy.objects.filter(pk=1).update(duplicate_policy="block")
    services.company_update(actor=rep, company_id=twin.pk, notes="Met at the Canton Fair")
    assert Company.objects.get(pk=twin.pk).notes == "Met at the Canton Fair"


def test_renaming_under_warn_goes_through(warn, company, rep):
    other = CompanyFactory(owner=rep, name="Sonnenschein Möbel", website="")
    services.company_update(actor=rep, company_id=other.pk, name="Nordlicht Leuchten KG")
    assert Company.objects.filter(name_normalized="nordlicht leuchten").count() == 2
