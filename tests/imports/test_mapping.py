"""Header mapping: Chinese and English names, the header row, sniffed columns, corrections."""

import pytest

from tests.imports.helpers import HEADER_EN, HEADER_ZH
from tradewind.core.errors import DomainError
from tradewind.customers.imports.mapping import (
    check_mapping,
    column_letter,
    field_for_header,
    find_header_row,
    guess_mapping,
)

EXPECTED = ["name", "contact_name", "email", "phone", "country", "website", "source", "notes"]


@pytest.mark.parametrize("headers", [HEADER_EN, HEADER_ZH], ids=["english", "chinese"])
def test_common_headers_map_to_their_fields_in_both_languages(headers):
    assert guess_mapping(headers, []) == dict(enumerate(EXPECTED))


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("公司", "name"),
        ("客户名称", "name"),
        ("Company Name", "name"),
        ("  COMPANY_NAME ", "name"),
        ("E-mail", "email"),
        ("电子邮件", "email"),
        ("Contact Email", "email"),
        ("联系人邮箱", "email"),
        ("手机", "mobile"),
        ("Mobile", "mobile"),
        ("Tel", "phone"),
        ("URL", "website"),
        ("网站", "website"),
        ("WhatsApp", "whatsapp"),
        ("地址", "address"),
        ("Address", "address"),
        ("客户类型", "customer_type"),
        ("Type", "customer_type"),
        ("标签", "tags"),
        ("产品", "products_of_interest"),
        ("职位", "title"),
        ("Job Title", "title"),
        ("国家/地区", "country"),
        ("Company Name (EN)", "name"),
        ("Fax", None),
        ("", None),
    ],
)
def test_header_variants(header, key):
    assert field_for_header(header) == key


def test_a_field_named_twice_maps_only_its_first_column():
    assert guess_mapping(["Email", "E-mail"], []) == {0: "email"}


def test_an_unnamed_column_full_of_email_addresses_is_taken_as_the_email():
    sample = [["Acme", "info@acme.de"], ["Beta", "sales@beta.com"], ["Gamma", ""]]
    assert guess_mapping(["Company", "Kontakt-Info"], sample) == {0: "name", 1: "email"}


def test_a_title_row_above_the_header_is_skipped():
    rows = [
        ["2024 Canton Fair buyers"],
        [],
        ["公司名称", "邮箱", "国家"],
        ["Acme", "a@acme.de", "DE"],
    ]
    assert find_header_row(rows) == 2


def test_the_first_row_is_the_header_when_nothing_is_recognised():
    assert find_header_row([["foo", "bar"], ["baz", "qux"]]) == 0


def test_a_mapping_needs_a_company_name_or_an_email():
    with pytest.raises(DomainError, match="company name or the one with the email"):
        check_mapping({0: "phone", 1: "country"}, 2)


def test_a_mapping_cannot_use_one_field_for_two_columns():
    with pytest.raises(DomainError, match=r"two columns \(A and C\)"):
        check_mapping({0: "email", 1: "name", 2: "email"}, 3)


def test_a_mapping_cannot_name_unknown_fields_or_columns():
    with pytest.raises(DomainError, match="Unknown fields: password"):
        check_mapping({0: "name", 1: "password"}, 2)
    with pytest.raises(DomainError, match="column the file does not have"):
        check_mapping({0: "name", 7: "email"}, 2)


def test_ignored_columns_are_dropped_from_the_mapping():
    assert check_mapping({0: "name", 1: "", 2: "email"}, 3) == {0: "name", 2: "email"}


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_columns_are_named_as_a_spreadsheet_names_them(index, letter):
    assert column_letter(index) == letter
