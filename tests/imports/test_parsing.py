"""Reading uploaded files: type by content, encodings, delimiters, XLSX cells, hostile files."""

import codecs
import io
import os
import zipfile

import pytest

from tests.imports.helpers import HEADER_ZH, csv_bytes, xlsx_bytes, zip_bomb_xlsx
from tradewind.customers.imports import parsing
from tradewind.customers.imports.parsing import RejectedFile, inspect_file, iter_rows

CHINESE_ROWS = [
    HEADER_ZH,
    ["诺德照明有限公司", "张伟", "zhang@nordlicht.de", "", "德国", "", "广交会", "老客户介绍"],
]


def rows_of(content: bytes) -> list[list[str]]:
    return list(iter_rows(content, inspect_file(content)))


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_chinese_csv_is_read_in_its_encoding(encoding, expected):
    content = csv_bytes(CHINESE_ROWS, encoding=encoding)
    assert inspect_file(content).encoding == expected
    assert rows_of(content) == CHINESE_ROWS


def test_a_utf8_bom_is_not_part_of_the_first_header():
    content = codecs.BOM_UTF8 + csv_bytes(CHINESE_ROWS)
    assert inspect_file(content).encoding == "utf-8-sig"
    assert rows_of(content)[0][0] == "公司名称"


def test_a_short_gbk_file_is_not_mistaken_for_korean():
    content = csv_bytes([["公司", "邮箱"], ["诺德", "a@b.de"]], encoding="gbk")
    assert rows_of(content) == [["公司", "邮箱"], ["诺德", "a@b.de"]]


def test_latin_text_in_windows_1252_is_not_read_as_chinese():
    rows = [["Company", "Contact"], ["Müller Lichttechnik GmbH", "Jürgen Weiß"]]
    content = csv_bytes(rows, encoding="cp1252")
    assert rows_of(content) == rows


def test_semicolons_and_tabs_separate_columns_when_the_header_uses_them():
    rows = [["Company", "Email"], ["Acme GmbH", "info@acme.de"]]
    assert rows_of(csv_bytes(rows, delimiter=";")) == rows
    assert rows_of(csv_bytes(rows, delimiter="\t")) == rows


def test_xlsx_cells_come_back_as_the_text_a_person_saw():
    from datetime import date

    content = xlsx_bytes(
        [["Company", "Phone", "Employees", "Since", "Email"],
         ["Acme GmbH", 4930123456, 12.5, date(2024, 3, 1), None]]
    )  # fmt: skip
    assert inspect_file(content).kind == "xlsx"
    assert rows_of(content)[1][:4] == ["Acme GmbH", "4930123456", "12.5", "2024-03-01"]


def test_an_xlsx_formula_is_read_as_its_text_and_never_evaluated():
    content = xlsx_bytes([["Company", "Email"], ["", "a@b.de"]], formulas={"A2": '=HYPERLINK("x")'})
    assert rows_of(content)[1][0] == '=HYPERLINK("x")'


def test_the_apostrophe_that_marks_text_in_a_spreadsheet_is_dropped():
    content = csv_bytes([["Company"], ["'=SUM(A1)"], ["'Jones"]])
    assert rows_of(content)[1:] == [["=SUM(A1)"], ["'Jones"]]


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + os.urandom(200),
        b"%PDF-1.7\n" + os.urandom(200),
        b"MZ\x90\x00" + os.urandom(200),
        b"\x00\x01\x02binary\x00" * 20,
    ],
    ids=["png", "pdf", "exe", "nul-bytes"],
)
def test_a_file_that_is_not_a_spreadsheet_is_rejected_whatever_its_name(content):
    with pytest.raises(RejectedFile, match="not a spreadsheet"):
        inspect_file(content)


def test_an_old_xls_workbook_is_rejected_with_what_to_do():
    with pytest.raises(RejectedFile, match=r"\.xls.*save it as \.xlsx or CSV"):
        inspect_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_a_zip_that_is_not_a_workbook_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(RejectedFile, match="not an Excel workbook"):
        inspect_file(buffer.getvalue())


def test_a_zip_bomb_is_rejected_before_openpyxl_opens_it(monkeypatch):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    bomb = zip_bomb_xlsx(unpacked_mb=50)
    assert len(bomb) < 200_000
    with pytest.raises(RejectedFile, match="zip bomb"):
        inspect_file(bomb)


def test_a_workbook_unpacking_past_the_limit_is_rejected_even_at_a_normal_ratio(settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(2 * 1024 * 1024))
    with pytest.raises(RejectedFile, match="zip bomb"):
        inspect_file(buffer.getvalue())


def test_a_damaged_workbook_is_rejected_with_a_clear_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-closed")
    content = buffer.getvalue()
    with pytest.raises(RejectedFile, match="damaged or not an Excel file"):
        list(iter_rows(content, inspect_file(content)))


def test_a_file_over_the_size_limit_is_rejected(settings):
    settings.IMPORT_MAX_MB = 1
    with pytest.raises(RejectedFile, match="limit is 1 MB"):
        inspect_file(b"Company\n" + b"Acme GmbH\n" * 120_000)


def test_the_size_limit_comes_from_the_environment_by_default(monkeypatch, settings):
    if hasattr(settings, "IMPORT_MAX_MB"):
        del settings.IMPORT_MAX_MB
    monkeypatch.setenv("TRADEWIND_IMPORT_MAX_MB", "7")
    assert parsing.max_upload_bytes() == 7 * 1024 * 1024
    monkeypatch.delenv("TRADEWIND_IMPORT_MAX_MB")
    assert parsing.max_upload_bytes() == 20 * 1024 * 1024


@pytest.mark.parametrize("content", [b"", b"   \n\n"], ids=["empty", "blank"])
def test_an_empty_file_is_rejected(content):
    with pytest.raises(RejectedFile, match="empty"):
        inspect_file(content)


def test_a_cell_larger_than_the_csv_limit_rejects_the_file_with_its_row():
    content = b"Company,Notes\nAcme," + b'"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(RejectedFile, match="Row 2"):
        rows_of(content)


def test_only_the_first_two_hundred_columns_are_read():
    content = csv_bytes([[f"c{i}" for i in range(500)]])
    assert len(rows_of(content)[0]) == parsing.MAX_COLUMNS
