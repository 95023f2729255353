"""Every rule a row is checked against, and what a clean row becomes."""

import pytest

from tradewind.customers.imports.validation import CleanRow, RowError, clean_row

FIELDS = [
    "name", "contact_name", "email", "phone", "country", "website", "source", "notes", "mobile",
    "whatsapp", "title", "customer_type", "tags", "linkedin", "address", "products_of_interest",
]  # fmt: skip
MAPPING = dict(enumerate(FIELDS))


def check(**values) -> CleanRow | RowError:
    return clean_row(7, [values.get(field, "") for field in FIELDS], MAPPING)


def rejected(**values) -> str:
    row = check(**values)
    assert isinstance(row, RowError), row
    assert row.row_number == 7
    return row.reason


def test_a_complete_row_becomes_a_company_with_a_contact():
    row = check(
        name="Nordlicht Leuchten GmbH",
        contact_name="Anna Weber",
        email="Anna.Weber@Nordlicht.de",
        phone="030 1234567",
        country="Germany",
        website="www.nordlicht.de",
        source="Alibaba",
        title="Einkauf",
        tags="LED, 展会；panel",
    )
    assert isinstance(row, CleanRow)
    assert row.company["country"] == "DE"
    assert row.company["source"] == "b2b"
    assert row.contact["email"] == "anna.weber@nordlicht.de"
    assert row.contact["phone"] == "+49301234567"
    assert row.tags == ["LED", "panel", "展会"]
    assert row.candidate.emails == ("anna.weber@nordlicht.de",)


@pytest.mark.parametrize(
    "country", ["DE", "de", "DEU", "Germany", "德国", "Deutschland", " GERMANY "]
)
def test_a_country_is_an_iso_code_or_an_english_or_chinese_name(country):
    assert check(name="Acme", country=country).company["country"] == "DE"


@pytest.mark.parametrize(
    ("written", "code"),
    [("USA", "US"), ("美国", "US"), ("UK", "GB"), ("阿联酋", "AE"), ("South Korea", "KR"),
     ("Türkiye", "TR"), ("Vietnam", "VN"), ("香港", "HK")],
)  # fmt: skip
def test_common_country_aliases_are_understood(written, code):
    assert check(name="Acme", country=written).company["country"] == code


def test_an_unknown_country_rejects_the_row():
    assert "“Germanyy” is not a country we know" in rejected(name="Acme", country="Germanyy")


@pytest.mark.parametrize("email", ["anna@", "anna.nordlicht.de", "anna@@x.de", "<script>@x"])
def test_an_invalid_email_rejects_the_row(email):
    assert "is not a valid email address" in rejected(name="Acme", email=email)


def test_several_emails_in_one_cell_give_the_contact_the_first_and_keep_the_others():
    row = check(name="Acme", email="a@acme.de; b@acme.de, a@acme.de")
    assert row.contact["email"] == "a@acme.de"
    assert "b@acme.de" in row.contact["notes"]
    assert row.emails == ("a@acme.de", "b@acme.de")


def test_a_phone_is_parsed_with_the_rows_country():
    assert (
        check(name="Acme", phone="(212) 555-0100", country="US").contact["phone"] == "+12125550100"
    )
    assert check(name="Acme", phone="030 1234567", country="DE").contact["phone"] == "+49301234567"


def test_a_local_phone_without_a_country_rejects_the_row():
    assert "not a phone number we can read" in rejected(name="Acme", phone="030 1234567")


def test_a_phone_with_the_wrong_number_of_digits_rejects_the_row():
    assert "wrong number of digits" in rejected(name="Acme", phone="+49 12", country="DE")


def test_a_mobile_fills_the_phone_when_there_is_none_else_goes_to_the_notes():
    only_mobile = check(name="Acme", mobile="+86 138 0013 8000")
    assert only_mobile.contact["phone"] == "+8613800138000"
    both = check(name="Acme", phone="+49 30 1234567", mobile="+86 138 0013 8000")
    assert both.contact["phone"] == "+49301234567"
    assert "+8613800138000" in both.contact["notes"]
    assert set(both.phones) == {"+49301234567", "+8613800138000"}


@pytest.mark.parametrize("website", ["not a website", "nordlicht", "http://", "www..de"])
def test_an_invalid_website_rejects_the_row(website):
    assert "is not a web address" in rejected(name="Acme", website=website)


def test_a_value_longer_than_its_field_is_rejected_not_cut():
    reason = rejected(name="A" * 201)
    assert reason == "Company name is 201 characters long; at most 200 fit."


def test_an_unknown_source_or_type_becomes_other_and_the_word_is_kept_in_the_notes():
    row = check(name="Acme", source="Hannover Messe flyer", customer_type="Cooperative")
    assert (row.company["source"], row.company["customer_type"]) == ("other", "other")
    assert "Hannover Messe flyer" in row.company["notes"]
    assert "Cooperative" in row.company["notes"]


@pytest.mark.parametrize(
    ("source", "value"),
    [("广交会", "trade_fair"), ("Canton Fair 2024", "trade_fair"), ("LinkedIn", "social"),
     ("谷歌", "search"), ("转介绍", "referral"), ("B2B platform", "b2b")],
)  # fmt: skip
def test_sources_are_understood_in_both_languages(source, value):
    assert check(name="Acme", source=source).company["source"] == value


def test_without_a_company_name_the_company_email_domain_names_it():
    assert check(email="anna@nordlicht.de").company["name"] == "nordlicht.de"


def test_without_a_company_name_a_free_mail_buyer_is_named_after_the_contact():
    assert check(email="john1987@gmail.com", contact_name="John Smith").company["name"] == (
        "John Smith"
    )
    assert check(email="john1987@gmail.com").company["name"] == "john1987@gmail.com"


def test_a_row_without_company_name_and_email_is_rejected():
    assert "no company name and no email" in rejected(contact_name="Anna", phone="+49301234567")


def test_without_a_contact_name_the_email_names_the_contact():
    assert check(name="Acme", email="info@acme.de").contact["name"] == "info@acme.de"


def test_a_row_without_contact_values_has_no_contact():
    assert check(name="Acme", country="DE").contact is None


def test_formula_like_cells_are_kept_as_plain_text():
    row = check(name='=HYPERLINK("http://evil.example","Click")', notes="@SUM(1+1)")
    assert row.company["name"] == '=HYPERLINK("http://evil.example","Click")'
    assert row.company["notes"] == "@SUM(1+1)"


def test_the_same_lead_written_differently_has_the_same_fingerprint():
    one = check(name="Acme", email="INFO@ACME.DE", country="Germany", phone="030 1234567")
    two = check(name="Acme", email="info@acme.de", country="DE", phone="+49 30 1234567")
    assert one.fingerprint == two.fingerprint
    assert one.fingerprint != check(name="Acme", email="sales@acme.de", country="DE").fingerprint
