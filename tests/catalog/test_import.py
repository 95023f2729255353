"""Product import: every bad row reported with its line and reasons, good rows kept or nothing
written by the user's choice, duplicates in the file and in the catalogue, limits and hostile
files."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.catalog.conftest import upload
from tests.imports.helpers import csv_bytes, xlsx_bytes, zip_bomb_xlsx
from tradewind.catalog import importing
from tradewind.catalog.importing import Mode, OnExisting
from tradewind.catalog.models import Product
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers.imports.parsing import RejectedFile

HEADER = ["Model", "Name (English)", "Cost (RMB)", "HS code", "Supplier", "Pcs/carton",
          "Carton size (cm)", "G.W./carton (kg)", "MOQ"]  # fmt: skip
GOOD = [
    ["LED-DL-12W", "LED Downlight 12W", "18.50", "9405.1100.00", "Lumen", "40", "52x42x30",
     "11", "1,000"],
    ["LED-A60-9W", "LED Bulb A60 9W", "¥3.2", "", "Brightstar", "100", "60×32×25", "6.8 kg",
     "5000 pcs"],
]  # fmt: skip


def run(user, rows, *, header=HEADER, mode=Mode.GOOD_ROWS, on_existing=OnExisting.UPDATE,
        dry_run=False, name="products.xlsx"):  # fmt: skip
    table = importing.read_table(xlsx_bytes([header, *rows]), name)
    return importing.product_import(
        actor=user, table=table, mode=mode, on_existing=on_existing, dry_run=dry_run
    )


def outcomes(report):
    return {row.line: (row.action, row.reasons) for row in report.rows}


def test_good_rows_are_imported_with_their_values_and_audited(rep, hs_code):
    report = run(rep, GOOD)
    assert report.written and report.count("create") == 2
    downlight = Product.objects.get(model="LED-DL-12W")
    assert downlight.hs_code == hs_code
    assert downlight.unit_cost_rmb == Decimal("18.5")
    assert (downlight.carton_length_cm, downlight.carton_width_cm) == (52, 42)
    assert downlight.moq == 1000 and downlight.created_by == rep
    bulb = Product.objects.get(model="LED-A60-9W")
    assert bulb.unit_cost_rmb == Decimal("3.2") and bulb.carton_gross_weight_kg == Decimal("6.8")
    assert bulb.moq == 5000
    events = AuditEvent.objects.filter(object_type="catalog.product", action="import")
    assert events.count() == 2 and {e.actor for e in events} == {rep}


def test_chinese_headers_are_recognised(rep, hs_code):
    header = ["型号", "英文品名", "中文品名", "采购价", "海关编码", "装箱数", "外箱长", "外箱宽",
              "外箱高", "毛重", "净重", "备注"]  # fmt: skip
    row = ["LED-FL-100W", "LED Floodlight 100W", "LED投光灯", "96", "9405110000", "6", "48",
           "36", "30", "14.5", "13.2", "IP65"]  # fmt: skip
    run(rep, [row], header=header)
    product = Product.objects.get(model="LED-FL-100W")
    assert product.name_zh == "LED投光灯" and product.notes == "IP65"
    assert product.carton_net_weight_kg == Decimal("13.2")


def test_every_bad_row_is_reported_with_its_line_and_reason_and_good_rows_are_kept(rep, hs_code):
    rows = [
        GOOD[0],                                                             # line 2: good
        ["", "No model", "1"],                                                # 3
        ["LED-X1", "", "abc", "1234567890", "", "0", "60x40", "-2", "x"],      # 4: many errors
        ["LED-X2", "Net above gross", "5", "", "", "", "", "", ""],            # 5: good
        ["=HYPERLINK(\"http://evil\")", "Formula", "5"],                       # 6
    ]  # fmt: skip
    report = run(rep, rows)
    result = outcomes(report)
    assert result[2][0] == "create" and result[5][0] == "create"
    assert result[3][0] == "error" and "model or item number" in result[3][1][0]
    reasons = " ".join(result[4][1])
    assert "Cost (RMB) “abc” is not a number" in reasons
    assert "Carton size (cm) “60x40” is not three sides" in reasons
    assert "MOQ “x” is not a whole number" in reasons
    assert result[6][0] == "error" and "formula" in result[6][1][0]
    assert set(Product.objects.values_list("model", flat=True)) == {"LED-DL-12W", "LED-X2"}


def test_rows_are_checked_by_the_product_rules(rep, hs_code):
    header = [*HEADER, "N.W./carton (kg)"]
    rows = [
        ["LED-Y1", "Bad HS", "5", "8539520000", "", "", "", "", "", ""],
        ["LED-Y2", "Net above gross", "5", "", "", "4", "60x40x50", "10", "", "12"],
        ["LED-Y3", "Plain", "5", "", "", "", "", "", "", ""],
    ]
    report = run(rep, rows, header=header)
    result = outcomes(report)
    assert "HS code 8539520000 is not in the HS code list" in result[2][1][0]
    assert "cannot be more than the gross weight" in result[3][1][0]
    assert result[4][0] == "create"


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(rep, hs_code):
    report = run(rep, [GOOD[0], ["LED-Z", "Bad", "minus"]], mode=Mode.ALL_OR_NOTHING)
    assert report.blocked and not report.written
    assert not Product.objects.exists()
    report = run(rep, GOOD, mode=Mode.ALL_OR_NOTHING)
    assert report.written and Product.objects.count() == 2


def test_a_model_twice_in_the_file_is_refused_on_its_later_line(rep, hs_code):
    report = run(rep, [GOOD[0], ["led-dl-12w", "Again", "19"]])
    action, reasons = outcomes(report)[3]
    assert action == "error" and "also on line 2" in reasons[0]
    assert Product.objects.get().name_en == "LED Downlight 12W"


def test_existing_models_are_updated_or_skipped_by_choice(rep, product):
    row = ["led-p6060-40w", "", "99.5", "", "", "", "", "", ""]
    report = run(rep, [row], on_existing=OnExisting.SKIP)
    assert outcomes(report)[2][0] == "skip"
    product.refresh_from_db()
    assert product.unit_cost_rmb == Decimal("113")
    report = run(rep, [row], on_existing=OnExisting.UPDATE)
    assert outcomes(report)[2][0] == "update"
    product.refresh_from_db()
    # Only the cost changed: empty cells left the name, supplier and packing as they were.
    assert product.unit_cost_rmb == Decimal("99.5")
    assert product.model == "LED-P6060-40W" and product.name_en == "LED Panel Light 600x600 40W"
    assert product.pcs_per_carton == 4
    event = AuditEvent.objects.get(object_type="catalog.product", action="update")
    assert event.changes == {"unit_cost_rmb": ["113.0000", "99.5000"]}
    report = run(rep, [row])
    assert outcomes(report)[2][0] == "unchanged" and not report.to_write


def test_a_dry_run_writes_nothing(rep, hs_code):
    report = run(rep, GOOD, dry_run=True)
    assert report.count("create") == 2 and not report.written
    assert not Product.objects.exists() and not AuditEvent.objects.filter(action="import")


def test_csv_files_are_read_too(rep, hs_code):
    content = csv_bytes([HEADER, GOOD[0]], encoding="gb18030")
    table = importing.read_table(content, "products.csv")
    importing.product_import(
        actor=rep, table=table, mode=Mode.GOOD_ROWS, on_existing=OnExisting.UPDATE
    )
    assert Product.objects.filter(model="LED-DL-12W").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\0" * (importing.MAX_IMPORT_BYTES + 1), "the limit is 5 MB"),
        (zip_bomb_xlsx(300), "zip bomb"),
        (b"%PDF-1.7 not a sheet", "not a spreadsheet"),
        (xlsx_bytes([["Name", "Price"], ["Lamp", "5"]]), "recognisable as the model number"),
        (xlsx_bytes([["Model", "Item no."], ["A", "B"]]), "both read as Model"),
        (xlsx_bytes([["Model", "Name"]]), "no products below it"),
        (b"", "empty"),
    ],
    ids=["too-big", "zip-bomb", "pdf", "no-model", "clash", "no-rows", "empty"],
)
def test_files_that_cannot_be_imported_are_refused_whole(content, words):
    with pytest.raises(RejectedFile) as caught:
        importing.read_table(content, "x.xlsx")
    assert words in caught.value.message


def test_more_than_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", 3)
    rows = [[f"M{i}", "Lamp", "1"] for i in range(4)]
    with pytest.raises(RejectedFile) as caught:
        importing.read_table(xlsx_bytes([["Model", "Name", "Cost"], *rows]))
    assert "more than 3 products" in caught.value.message


def test_formulas_are_read_as_their_text_never_run(rep, hs_code):
    content = xlsx_bytes(
        [["Model", "Name (English)", "Cost (RMB)", "Notes"], ["F-1", "Lamp", "5", ""]],
        formulas={"D2": "=1+1", "B2": '=HYPERLINK("http://evil.example","x")'},
    )
    importing.product_import(
        actor=rep,
        table=importing.read_table(content),
        mode=Mode.GOOD_ROWS,
        on_existing=OnExisting.UPDATE,
    )
    product = Product.objects.get(model="F-1")
    assert product.notes == "=1+1"
    assert product.name_en.startswith("=HYPERLINK")


def test_the_staged_table_is_its_uploaders_only(rep, other_rep):
    table = importing.read_table(xlsx_bytes([HEADER, GOOD[0]]), "a.xlsx")
    token = importing.stage(rep, table)
    assert importing.unstage(rep, token) == table
    with pytest.raises(DomainError):
        importing.unstage(other_rep, token)
    with pytest.raises(DomainError):
        importing.unstage(rep, token[:-3] + "abc")


def test_the_pages_check_first_then_import(client_of, rep, hs_code):
    client = client_of(rep)
    url = reverse("catalog:product-import")
    assert client.get(url).status_code == 200
    bad = ["LED-BAD", "Bad", "oops"]
    content = xlsx_bytes([HEADER, GOOD[0], bad])
    response = client.post(
        url,
        {"file": upload(content, "list.xlsx"), "mode": Mode.GOOD_ROWS, "on_existing": "update"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cost (RMB) “oops” is not a number" in page
    assert not Product.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("catalog:product-import-run"),
        {"token": token, "mode": Mode.GOOD_ROWS, "on_existing": "update"},
    )
    assert response.status_code == 200 and response.context["report"].written
    assert list(Product.objects.values_list("model", flat=True)) == ["LED-DL-12W"]


def test_the_upload_page_shows_why_a_file_is_refused(client_of, rep):
    response = client_of(rep).post(
        reverse("catalog:product-import"),
        {"file": upload(b"MZ\x90\x00", "virus.xlsx"), "mode": "good_rows", "on_existing": "skip"},
    )
    assert response.status_code == 200
    assert "not a spreadsheet" in response.content.decode()
    response = client_of(rep).post(
        reverse("catalog:product-import-run"),
        {"token": "forged", "mode": "good_rows", "on_existing": "skip"},
    )
    assert response.status_code == 400
    assert "Upload the file again" in response.content.decode()
