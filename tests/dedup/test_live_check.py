"""The live check while a rep types a new customer, and the form's policy behaviour."""

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory, CompanyFactory, ContactFactory
from tradewind.customers.models import Company, Contact, WorkspacePolicy

pytestmark = pytest.mark.django_db
CHECK = reverse("dedup:check")
CREATE = reverse("customers:company-create")


@pytest.fixture
def toms_buyer(other_rep):
    buyer = CompanyFactory(owner=other_rep, name="Geheimhandel Lichttechnik GmbH", website="")
    ContactFactory(company=buyer, name="Greta Geheim", email="greta@geheim.de", phone="")
    ActivityFactory(company=buyer, summary="Geheimes Telefonat über Preise")
    Company.objects.filter(pk=buyer.pk).update(notes="Zahlt immer spät")
    return buyer


def set_policy(policy: str) -> None:
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": policy})


def test_the_check_names_the_buyer_and_its_owner_but_nothing_private(client_of, rep, toms_buyer):
    response = client_of(rep).get(
        CHECK, {"name": "Geheimhandel Lichttechnik", "contact_email": "x@geheim.de"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Geheimhandel Lichttechnik GmbH" in body
    assert "Rep" in body and str(toms_buyer.owner) in body
    assert "Same company email domain geheim.de" in body
    for private in ("Greta", "greta@geheim.de", "Telefonat", "Zahlt immer"):
        assert private not in body
    # Not a link: the rep cannot open another rep's customer.
    assert reverse("customers:company-detail", args=[toms_buyer.pk]) not in body
    assert "another rep" in body


def test_a_visible_match_links_to_the_customer_and_says_me(client_of, rep, company):
    body = client_of(rep).get(CHECK, {"name": "nordlicht leuchten"}).content.decode()
    assert reverse("customers:company-detail", args=[company.pk]) in body
    assert ">Me<" in body


def test_a_pool_match_shows_the_public_pool(client_of, rep, company):
    Company.objects.filter(pk=company.pk).update(owner=None)
    body = client_of(rep).get(CHECK, {"name": "Nordlicht Leuchten"}).content.decode()
    assert "Public pool" in body


def test_nothing_typed_shows_nothing_and_a_miss_says_so(client_of, rep, company):
    client = client_of(rep)
    assert client.get(CHECK).content.decode().strip() == ""
    assert client.get(CHECK, {"name": "x"}).content.decode().strip() == ""
    assert (
        "No existing customer matches"
        in client.get(CHECK, {"name": "Zebra Zubehör"}).content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [{"name": "n" * 5000}, {"country": "Germany"}, {"exclude": "abc"},
     {"name": "<script>x</script>"}, {"contact_phone": "'; DROP TABLE customers_company; --"},
     {"website": "javascript:alert(1)"}],
)  # fmt: skip
def test_hostile_or_oversized_queries_are_answered_safely(client_of, rep, company, query):
    response = client_of(rep).get(CHECK, query)
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
    assert Company.objects.filter(pk=company.pk).exists()


def test_the_check_leaves_out_the_company_being_edited(client_of, rep, company):
    body = client_of(rep).get(CHECK, {"name": company.name, "exclude": company.pk}).content.decode()
    assert "No existing customer matches" in body


def test_block_turns_the_save_button_off_while_typing(client_of, rep, toms_buyer):
    set_policy("block")
    response = client_of(rep).get(
        CHECK, {"name": "Geheimhandel Lichttechnik"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="company-submit"' in body and "disabled" in body and 'hx-swap-oob="true"' in body
    assert 'name="confirm_duplicate"' not in body


def test_warn_offers_create_anyway_while_typing(client_of, rep, toms_buyer):
    set_policy("warn")
    body = (
        client_of(rep)
        .get(CHECK, {"name": "Geheimhandel Lichttechnik"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'name="confirm_duplicate"' in body
    assert "disabled" not in body


def form_data(**extra):
    return {"name": "Geheimhandel Lichttechnik", "country": "DE", "stage": "lead", **extra}


def test_the_form_refuses_a_blocked_duplicate_and_keeps_what_was_typed(client_of, rep, toms_buyer):
    set_policy("block")
    response = client_of(rep).post(
        CREATE, form_data(website="geheim-neu.de", confirm_duplicate="on")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "does not allow duplicates" in body
    assert 'value="geheim-neu.de"' in body
    assert 'id="company-submit"' in body and "disabled" in body
    assert Company.objects.count() == 1


def test_the_form_under_warn_needs_the_tick_then_creates(client_of, rep, toms_buyer):
    set_policy("warn")
    client = client_of(rep)
    first = client.post(CREATE, form_data())
    assert first.status_code == 200
    assert "Create anyway" in first.content.decode()
    assert Company.objects.count() == 1
    second = client.post(CREATE, form_data(confirm_duplicate="on"))
    assert second.status_code == 302
    assert Company.objects.filter(name="Geheimhandel Lichttechnik").exists()


def test_the_form_creates_the_first_contact(client_of, rep):
    response = client_of(rep).post(
        CREATE,
        form_data(
            name="Kranich Licht", contact_name="Eva Kranich", contact_email="eva@kranich.de",
            contact_phone="030 7654321",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    contact = Contact.objects.get(company__name="Kranich Licht")
    assert (contact.name, contact.phone) == ("Eva Kranich", "+49307654321")


@pytest.mark.parametrize(
    "contact, field_error",
    [({"contact_email": "eva@kranich.de"}, "Give the contact"),
     ({"contact_name": "Eva", "contact_email": "not-an-email"}, "valid email"),
     ({"contact_name": "Eva", "contact_phone": "12"}, "wrong number of digits")],
)  # fmt: skip
def test_a_bad_first_contact_comes_back_on_its_field(client_of, rep, contact, field_error):
    response = client_of(rep).post(CREATE, form_data(name="Kranich Licht", **contact))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Company.objects.filter(name="Kranich Licht").exists()


def test_the_edit_form_refuses_a_rename_into_a_blocked_duplicate(client_of, rep, company):
    set_policy("block")
    other = CompanyFactory(owner=rep, name="Sonnenschein Möbel", website="")
    url = reverse("customers:company-edit", args=[other.pk])
    response = client_of(rep).post(url, form_data(name="Nordlicht Leuchten GmbH", owner=rep.pk))
    assert response.status_code == 200
    assert "does not allow duplicates" in response.content.decode()
    assert Company.objects.get(pk=other.pk).name == "Sonnenschein Möbel"
