"""find_duplicates and find_duplicates_bulk against stored companies."""

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.customers.dedup.engine import (
    BLOCK_LIMIT,
    Candidate,
    find_duplicates,
    find_duplicates_bulk,
)
from tradewind.customers.dedup.models import DedupKey
from tradewind.customers.models import Company

pytestmark = pytest.mark.django_db


def ids(matches):
    return [match.company_id for match in matches]


def test_keys_are_stored_when_a_company_and_its_contacts_are_written(company):
    ContactFactory(company=company, email="anna@nordlicht.de", phone="+49 30 12345678")
    stored = set(DedupKey.objects.filter(company=company).values_list("kind", "value"))
    assert ("name", "nordlicht leuchten") in stored
    assert ("email", "anna@nordlicht.de") in stored
    assert ("phone", "+493012345678") in stored
    assert ("ph8", "12345678") in stored


def test_keys_follow_a_rename_and_a_deleted_contact(rep, company):
    from tradewind.customers import services

    contact = ContactFactory(company=company, email="anna@nordlicht.de")
    services.company_update(actor=rep, company_id=company.pk, name="Sonnenschein Möbel AG")
    services.contact_delete(actor=rep, contact_id=contact.pk)
    stored = set(DedupKey.objects.filter(company=company).values_list("kind", "value"))
    assert ("name", "sonnenschein mobel") in stored
    assert ("name", "nordlicht leuchten") not in stored
    assert not {key for key in stored if key[0] in ("email", "domain") and "nordlicht.de" in key[1]}


@pytest.mark.parametrize(
    "typed",
    ["Nordlicht Leuchten", "nordlicht leuchten gmbh", "Nordlicht-Leuchten GmbH & Co. KG",
     "NORDLICHT LEUCHTEN LTD."],
)  # fmt: skip
def test_a_name_variant_is_an_exact_match_owned_by_the_rep(company, typed):
    (match,) = find_duplicates(Candidate(name=typed, country="DE"))
    assert match.company_id == company.pk
    assert match.exact and match.score == 100 and match.is_certain
    assert match.owner_id == company.owner_id
    assert match.owner_name == str(company.owner)
    assert match.reasons == ("Same company name",)


def test_the_same_email_matches_across_companies(company):
    ContactFactory(company=company, email="anna@nordlicht.de")
    (match,) = find_duplicates(Candidate(name="Something Else", emails=("ANNA@nordlicht.de",)))
    assert match.company_id == company.pk and match.score == 100
    assert "Same email address anna@nordlicht.de" in match.reasons


def test_a_company_email_domain_matches_but_free_mail_does_not(company):
    ContactFactory(company=company, email="anna@nordlicht.de")
    other = CompanyFactory(name="Zeta Freemail", website="")
    ContactFactory(company=other, email="zeta@gmail.com")
    (match,) = find_duplicates(Candidate(name="Unrelated", emails=("bob@nordlicht.de",)))
    assert match.company_id == company.pk and match.score == 95
    assert find_duplicates(Candidate(name="Unrelated", emails=("someone@gmail.com",))) == []


def test_an_email_domain_finds_the_company_with_that_website(rep):
    shop = CompanyFactory(owner=rep, name="Lumen Shop", website="https://www.lumen-shop.fr")
    (match,) = find_duplicates(Candidate(name="Totally Different", emails=("x@lumen-shop.fr",)))
    assert match.company_id == shop.pk


@pytest.mark.parametrize("website", ["nordlicht0.de", "http://nordlicht0.de/", "WWW.NORDLICHT0.DE"])
def test_the_website_matches_with_or_without_scheme_and_www(rep, website):
    stored = CompanyFactory(owner=rep, name="Alpha", website="https://www.nordlicht0.de")
    (match,) = find_duplicates(Candidate(name="Beta", website=website))
    assert match.company_id == stored.pk
    assert match.reasons == ("Same website nordlicht0.de",)


@pytest.mark.parametrize("phone", ["+49 30 12345678", "030/1234 5678", "0049 30 1234-5678"])
def test_a_phone_matches_in_e164_across_formats(company, phone):
    ContactFactory(company=company, email="", phone="+493012345678")
    (match,) = find_duplicates(Candidate(name="Beta", country="DE", phones=(phone,)))
    assert match.company_id == company.pk and match.score == 100


def test_the_last_8_digits_match_when_the_country_code_is_wrong(company):
    ContactFactory(company=company, email="", phone="+493012345678")
    (match,) = find_duplicates(Candidate(name="Beta", phones=("+43 30 12345678",)))
    assert match.company_id == company.pk
    assert match.score == 90 and not match.is_certain
    assert match.reasons == ("Phone number ends in the same 8 digits (12345678)",)


def test_fuzzy_names_match_within_a_block(rep):
    right = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH", website="")
    (match,) = find_duplicates(Candidate(name="Nordlict Leuchten GmbH", country="DE"))
    assert match.company_id == right.pk
    assert not match.exact and match.score >= 95
    assert match.reasons[0].startswith("Similar name")


def test_clearly_different_names_in_the_same_block_do_not_match(rep):
    CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH", website="")
    CompanyFactory(owner=rep, name="Nordlicht Möbelhaus", website="")
    CompanyFactory(owner=rep, name="Nordwind Leuchten", website="")
    assert find_duplicates(Candidate(name="Nordlicht Spielwaren", country="DE")) == []


def test_a_different_country_lowers_a_fuzzy_score_and_is_said(rep):
    CompanyFactory(owner=rep, name="Nordlicht Leuchten", website="", country="DE")
    (match,) = find_duplicates(Candidate(name="Nordlict Leuchten", country="AT"))
    assert match.score == 96 - 5
    assert match.reasons[-1] == "but in another country (DE)"


def test_the_same_country_breaks_a_tie(rep):
    CompanyFactory(owner=rep, name="Lumen Verde", website="", country="IT")
    spanish = CompanyFactory(
        owner=rep, name="Lumen Verde", website="", country="ES", confirm_duplicate=True
    )
    matches = find_duplicates(Candidate(name="Lumen Verde", country="ES"))
    assert matches[0].company_id == spanish.pk
    assert [m.score for m in matches] == [100, 90]


def test_pool_companies_show_the_public_pool_as_owner(rep):
    pool = CompanyFactory(owner=rep, name="Pool Lighting Partners", website="")
    Company.objects.filter(pk=pool.pk).update(owner=None)
    (match,) = find_duplicates(Candidate(name="Pool Lighting Partners"))
    assert match.owner_id is None and match.owner_name == "Public pool"


def test_the_company_itself_can_be_left_out(company):
    assert find_duplicates(Candidate(name=company.name), exclude_company_id=company.pk) == []


def test_nothing_typed_finds_nothing_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert find_duplicates(Candidate()) == []


def test_the_live_check_is_one_query(company, django_assert_num_queries):
    with django_assert_num_queries(1):
        find_duplicates(
            Candidate(
                name="Nordlicht Leuchten",
                website="nordlicht.de",
                emails=("anna@nordlicht.de",),
                phones=("+49 30 1234567",),
            )
        )


def test_a_huge_block_costs_no_more_and_a_rare_word_still_finds_the_buyer(
    rep, django_assert_num_queries
):
    from tradewind.customers.dedup.pairs import index_companies

    target = CompanyFactory(owner=rep, name="Leuchten Haus Zentrale", website="")
    flood = Company.objects.bulk_create(
        Company(name=f"Leuchten Haus {n}", name_normalized=f"leuchten haus {n}", owner=rep)
        for n in range(BLOCK_LIMIT + 30)
    )
    index_companies(c.pk for c in flood)
    # "leuchten", "haus" and "leuc|haus" are blocks of 80+ companies, read only up to the limit
    # (newest first, so the target is not among them); the rare word "zentrale" finds it.
    with django_assert_num_queries(1):
        matches = find_duplicates(Candidate(name="Leuchtne Haus Zentrale"), limit=3)
    assert ids(matches) == [target.pk]


def test_bulk_check_answers_each_candidate_in_order(company, rep):
    ContactFactory(company=company, email="anna@nordlicht.de")
    other = CompanyFactory(owner=rep, name="Sonnenschein Möbel AG", website="sonnenschein.de")
    results = find_duplicates_bulk(
        [
            Candidate(name="Nothing Alike"),
            Candidate(name="Sonnenschein Moebel"),
            Candidate(emails=("anna@nordlicht.de",)),
            Candidate(website="www.sonnenschein.de"),
            Candidate(),
        ]
    )
    assert [ids(r) for r in results] == [[], [other.pk], [company.pk], [other.pk], []]


def test_bulk_check_of_500_candidates_takes_a_constant_number_of_queries(
    rep, django_assert_max_num_queries
):
    for n in range(5):
        CompanyFactory(owner=rep, name=f"Seed Buyer {n}", website=f"seed{n}.com")
    candidates = [
        Candidate(
            name=f"Importzeile Nummer {n} Lichttechnik",
            website=f"row{n}.example.com",
            emails=(f"buyer{n}@row{n}.example.com",),
            phones=(f"+49 30 {10000000 + n}",),
        )
        for n in range(500)
    ] + [Candidate(name="Seed Buyer 3")]
    with django_assert_max_num_queries(3):
        results = find_duplicates_bulk(candidates)
    assert len(results) == 501
    assert results[-1][0].company_name == "Seed Buyer 3"
    assert all(r == [] for r in results[:500])


def test_the_last_8_digits_do_not_count_across_two_known_countries(company):
    ContactFactory(company=company, email="", phone="+493012345678")
    assert find_duplicates(Candidate(name="Beta", country="AR", phones=("+54 11 12345678",))) == []
