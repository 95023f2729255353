"""The keys a company is recognised by: pure functions, no database."""

import pytest

from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup.engine import Candidate, candidate_keys, name_similarity, pair_score
from tradewind.customers.normalize import normalize_company_name


@pytest.mark.parametrize(
    "variant",
    [
        "Nordlicht Leuchten GmbH",
        "NORDLICHT LEUCHTEN",
        "Nordlicht-Leuchten GmbH & Co. KG",
        "  nordlicht   leuchten, gmbh. ",
        "Nordlicht Leuchten Ltd.",
    ],
)
def test_name_variants_share_the_exact_name_key(variant):
    assert (dk.NAME, "nordlicht leuchten") in dk.name_keys(normalize_company_name(variant))


def test_accents_case_and_legal_forms_disappear_from_the_name_key():
    assert normalize_company_name("Müller Électronique S.A.") == "muller electronique"
    assert normalize_company_name("ACME Lighting, LLC") == "acme lighting"
    assert normalize_company_name("Acme Lighting Inc.") == "acme lighting"


def test_chinese_legal_forms_disappear_and_chinese_names_get_two_character_blocks():
    normalized = normalize_company_name("深圳市光明照明有限公司")
    assert normalized == "深圳市光明照明"
    keys = dk.name_keys(normalized)
    assert (dk.NAME, "深圳市光明照明") in keys
    assert (dk.TOKEN, "光明") in keys


def test_generic_trade_words_are_not_blocks_but_distinctive_words_are():
    keys = dk.name_keys(normalize_company_name("Nordlicht International Trading Ltd"))
    assert (dk.TOKEN, "nordlicht") in keys
    assert (dk.TOKEN, "international") not in keys
    assert (dk.TOKEN, "trading") not in keys


def test_the_prefix_block_survives_a_typo_after_the_third_letter():
    typo = dk.name_keys(normalize_company_name("Nordlict Leuhcten GmbH"))
    right = dk.name_keys(normalize_company_name("Nordlicht Leuchten"))
    assert {key for key in typo if key[0] == dk.PREFIX} == {
        (dk.PREFIX, "nor|leu|nordlict leuhcten")
    }
    shared = {dk.blocking_key(key) for key in typo} & {dk.blocking_key(key) for key in right}
    assert shared == {(dk.PREFIX, "nor|leu")}


@pytest.mark.parametrize(
    "website",
    ["https://www.nordlicht.de/", "http://nordlicht.de", "www.nordlicht.de", "NORDLICHT.DE/shop",
     "https://www.nordlicht.de:443/de/index.html?x=1"],
)  # fmt: skip
def test_website_host_without_scheme_or_www_is_the_key(website):
    assert dk.website_keys(website) == {(dk.WEB, "nordlicht.de"), (dk.DOMAIN, "nordlicht.de")}


@pytest.mark.parametrize(
    "website", ["", "not a website", "https://www.facebook.com/nordlicht", "gmail.com", "localhost"]
)
def test_platform_pages_free_mail_and_junk_are_not_website_keys(website):
    assert dk.website_keys(website) == set()


def test_a_company_email_gives_the_address_and_its_domain():
    assert dk.email_keys(" Anna.Weber@Nordlicht.DE ") == {
        (dk.EMAIL, "anna.weber@nordlicht.de"),
        (dk.DOMAIN, "nordlicht.de"),
    }


@pytest.mark.parametrize(
    "address",
    ["lily@gmail.com", "wang@qq.com", "li@163.com", "a@126.com", "b@yahoo.co.uk", "c@hotmail.fr",
     "d@outlook.de", "e@mail.ru", "f@web.de", "g@foxmail.com", "h@icloud.com", "i@gmx.at"],
)  # fmt: skip
def test_free_mail_addresses_give_no_domain_key(address):
    keys = dk.email_keys(address)
    assert keys == {(dk.EMAIL, address)}
    assert dk.is_free_mail_domain(address.split("@")[1])


@pytest.mark.parametrize(
    "junk", ["", "anna", "@nordlicht.de", "anna@", "anna@localhost", "a b@c.de"]
)
def test_malformed_emails_give_no_keys(junk):
    assert dk.email_keys(junk) == set()


@pytest.mark.parametrize(
    "phone, country",
    [("+49 30 1234 5678", ""), ("030 12345678", "DE"), ("0049-30-12345678", "DE"),
     ("(030) 1234-5678", "DE"), ("+49301234 5678", "FR")],
)  # fmt: skip
def test_phones_typed_any_way_give_the_same_e164_key(phone, country):
    keys = dk.phone_keys(phone, country)
    assert (dk.PHONE, "+493012345678") in keys
    assert (dk.PHONE_TAIL, "12345678") in keys


def test_a_phone_without_its_country_code_still_shares_the_last_8_digits():
    without = dk.phone_keys("30 12345678")  # no country, no +: not parseable as E.164
    assert (dk.PHONE_TAIL, "12345678") in without
    assert (dk.PHONE, "+493012345678") not in without


def test_too_short_or_hostile_phones_give_no_keys():
    assert dk.phone_keys("12") == set()
    assert dk.phone_keys("'; DROP TABLE x; --") == set()
    assert dk.phone_keys("9" * 5000)  # oversized: clipped, still no crash


def test_candidate_keys_combine_every_source():
    keys = candidate_keys(
        Candidate(
            name="Nordlicht Leuchten GmbH",
            country="de",
            website="nordlicht.de",
            emails=("anna@nordlicht.de", "lily@gmail.com"),
            phones=("030 12345678",),
        )
    )
    kinds = {kind for kind, _value in keys}
    assert kinds == {"name", "tok", "pfx", "web", "domain", "email", "phone", "ph8"}
    assert (dk.DOMAIN, "gmail.com") not in keys


def test_oversized_and_hostile_names_give_bounded_keys():
    keys = candidate_keys(Candidate(name="<script>alert(1)</script> " + "x" * 10_000))
    assert all(len(value) <= dk.KEY_VALUE_MAX_LENGTH for _kind, value in keys)
    assert len(keys) <= 10


def test_names_whose_numbers_differ_are_not_alike():
    assert name_similarity("nordlicht leuchten 1", "nordlicht leuchten 2") == 0
    assert name_similarity("nordlicht leuchten", "nordlicht leuchten 2") == 0
    assert name_similarity("nordlicht leuchten", "nordlict leuchten") >= 95


def test_pair_score_uses_the_same_rules_as_the_database_check():
    score, reasons = pair_score(
        Candidate(name="Nordlicht Leuchten GmbH", emails=("a@nordlicht.de",)),
        Candidate(name="Nordlict Leuchten", emails=("b@nordlicht.de",)),
    )
    assert score == 96  # the better of the shared domain (95) and the similar name (96)
    assert any("nordlicht.de" in reason for reason in reasons)
    assert any("Similar name" in reason for reason in reasons)
    assert pair_score(
        Candidate(name="Nordlicht Leuchten"), Candidate(name="Sonnenschein Möbel")
    ) == (
        0,
        (),
    )
