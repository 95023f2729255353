"""Product export: a workbook that opens, holds the filtered products as numbers and text, is safe
from formula injection, and imports again unchanged."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from tradewind.catalog import importing
from tradewind.catalog.importing import Mode, OnExisting
from tradewind.catalog.models import Product


def _sheet(response):
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    return content, workbook.active


def test_the_export_reopens_with_the_products_and_their_loads(client_of, rep, product):
    response = client_of(rep).get(reverse("catalog:product-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    _content, sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    values = dict(zip(header, rows[1], strict=True))
    assert values["Model"] == "LED-P6060-40W"
    assert values["Cost (RMB)"] == 113
    assert values["HS code"] == "9405110000"
    assert values["Rebate %"] == 9
    assert values["CBM/carton"] == 0.12
    assert values["Cartons/40HQ"] == 500  # laid any way up: the trade core's figure
    assert values["Status"] == "Active"
    assert len(rows) == 2


def test_the_export_follows_the_lists_filters(client_of, rep, make_product, hs_code):
    make_product()
    make_product(model="HW-BSK-S3", name_en="Seagrass baskets", supplier="Linyi Crafts")
    response = client_of(rep).get(reverse("catalog:product-export"), {"q": "seagrass"})
    _content, sheet = _sheet(response)
    models = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert models == ["HW-BSK-S3"]


def test_formula_like_text_is_written_as_text_with_a_quote_prefix(client_of, rep, make_product):
    make_product(notes='=HYPERLINK("http://evil.example","click")', supplier="@SUM(A1)")
    _content, sheet = _sheet(client_of(rep).get(reverse("catalog:product-export")))
    header = [cell.value for cell in sheet[1]]
    notes = sheet.cell(row=2, column=header.index("Notes") + 1)
    supplier = sheet.cell(row=2, column=header.index("Supplier") + 1)
    assert notes.data_type == "s" and notes.value.startswith("=HYPERLINK")
    assert notes.quotePrefix and supplier.quotePrefix


def test_the_headers_follow_the_users_language_and_import_again(client_of, rep, product):
    rep.language = "zh-hans"
    rep.save()
    response = client_of(rep).get(reverse("catalog:product-export"))
    content, _unused = _sheet(response)
    report = importing.product_import(
        actor=rep,
        table=importing.read_table(content, "export.xlsx"),
        mode=Mode.ALL_OR_NOTHING,
        on_existing=OnExisting.UPDATE,
    )
    assert not report.errors, [row.reasons for row in report.errors]
    assert report.count("unchanged") == 1
    product.refresh_from_db()
    assert product.unit_cost_rmb == Decimal("113")
    assert Product.objects.count() == 1
