"""Quotation documents: the PDF (text and embedded CJK font), the Excel file (formulas with their
cached values, photos, text kept as text), the web preview, hostile input and visibility."""

# ruff: noqa: F811 — the fixtures imported from documents_data are used as arguments.

import io
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from tests.factories import CompanyFactory
from tests.quotes.documents_data import (  # noqa: F401
    PRODUCT_EN,
    PRODUCT_ZH,
    add_line,
    buyer,
    make_photo,
    make_quotation,
    make_revision,
    media,
    priced_revision,
    profile,
)
from tradewind.core.errors import DomainError, NotFound
from tradewind.quotes.documents import images
from tradewind.quotes.documents.context import (
    IMAGES_INLINE,
    build_document,
    document_for,
    price_text,
    require_priced,
)
from tradewind.quotes.documents.pdf import LocalOnlyFetcher, render_html, render_pdf
from tradewind.quotes.documents.xlsx import COL, render_xlsx

HOSTILE = '<script>alert("x")</script><img src="http://evil.example/track.png">'


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text in reading order, each run of white space made one space."""
    path = tmp_path / "quotation.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def workbook(content: bytes, *, values: bool):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=values)


def table(sheet):
    """The lines table: (heading row number, {row number: row cells}) by the "No." heading."""
    heading = next(
        row[0].row
        for row in sheet.iter_rows()
        if row[COL["no"]].value == "No." and row[COL["quantity"]].value == "Quantity"
    )
    return heading


@pytest.fixture
def revision(rep, buyer, media, profile):
    company, contact = buyer
    photo = make_photo(media, "catalog/photos/2026/01/panel.jpg")
    return priced_revision(rep, company, contact, lines=3, photo=photo)


# --- PDF --------------------------------------------------------------------------------------


def test_the_pdf_has_the_chinese_and_english_text_and_the_terms(rep, revision, tmp_path):
    text = pdf_text(render_pdf(document_for(rep, revision.pk)), tmp_path)
    for expected in (
        PRODUCT_ZH,
        "LED panel light",
        "宁波明亮照明有限公司",
        "Ningbo Bright Lighting Co., Ltd.",
        "QUOTATION",
        revision.quotation.number,
        "FOB Ningbo",
        "30% T/T deposit, 70% against B/L copy",
        "35 days",
        "3,800 pc per 40HQ",
        "10 pc / carton",
        "62 × 62 × 45 cm",
        "16.37",
        "163,700.00",
        "USD 491,100.00",
        "SAY US DOLLARS FOUR HUNDRED NINETY-ONE THOUSAND ONE HUNDRED ONLY",
        "BKCHCNBJ92A",
        "Nordlicht Leuchten GmbH",
        "Anna Weber",
    ):
        assert expected in text, expected


def test_the_pdf_embeds_the_cjk_font(rep, revision, tmp_path):
    fonts = pdf_fonts(render_pdf(document_for(rep, revision.pk)), tmp_path)
    assert fonts
    cjk = [row for row in fonts if "Noto-Sans-CJK" in row[0]]
    assert cjk, fonts
    # Columns: name type… encoding emb sub uni object-id generation; "emb" is 5th from the end.
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_the_pdf_carries_the_photo(rep, revision, tmp_path):
    path = tmp_path / "q.pdf"
    path.write_bytes(render_pdf(document_for(rep, revision.pk)))
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert listing.returncode == 0
    assert len(listing.stdout.strip().splitlines()) > 2  # header lines, then one row per image


def test_hostile_text_is_escaped_in_the_pdf_and_fetches_nothing(rep, buyer, media, profile,
                                                                tmp_path, caplog):  # fmt: skip
    company, contact = buyer
    revision = priced_revision(rep, company, contact, remarks=HOSTILE)
    add_line(revision, 2, description=HOSTILE, description_zh="<b>粗体</b>")
    document = document_for(rep, revision.pk)
    html = render_html(document)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<img src="http://evil' not in html
    text = pdf_text(render_pdf(document), tmp_path)
    assert '<script>alert("x")</script>' in text.replace(" ", "")
    assert "<b>粗体</b>" in text


def test_the_pdf_fetcher_refuses_the_network_and_files_outside_media(media):
    fetcher = LocalOnlyFetcher()
    for url in (
        "http://evil.example/x.png",
        "https://evil.example/x.png",
        "ftp://evil.example/x.png",
        "file:///etc/passwd",
        (media / ".." / "outside.png").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    name = make_photo(media, "catalog/photos/ok.jpg", size=(20, 20))
    response = fetcher.fetch((media / name).as_uri())
    assert response.read()[:2] == b"\xff\xd8"


# --- Excel ------------------------------------------------------------------------------------


def test_the_xlsx_reopens_with_formulas_and_the_revisions_totals(rep, revision):
    content = render_xlsx(document_for(rep, revision.pk))
    formulas = workbook(content, values=False).active
    values = workbook(content, values=True).active
    heading = table(formulas)
    amount_col = COL["amount"] + 1
    quantity_col = COL["quantity"] + 1
    first, last = heading + 1, heading + 3
    for row in range(first, last + 1):
        formula = formulas.cell(row, amount_col).value
        assert formula.startswith("=") and "*" in formula, formula
        quantity = values.cell(row, quantity_col).value
        price = values.cell(row, COL["unit_price"] + 1).value
        assert Decimal(str(values.cell(row, amount_col).value)) == Decimal(str(price)) * quantity
    assert formulas.cell(first, quantity_col).number_format == '#,##0" pc"'  # a number, "pc" shown
    total_row = last + 1
    assert formulas.cell(total_row, amount_col).value.startswith("=SUM(")
    assert Decimal(str(values.cell(total_row, amount_col).value)) == revision.total_amount
    assert values.cell(total_row, quantity_col).value == 30000


def test_the_xlsx_has_the_letterhead_terms_bank_and_chinese_text(rep, revision):
    sheet = workbook(render_xlsx(document_for(rep, revision.pk)), values=True).active
    texts = " | ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    for expected in (
        "宁波明亮照明有限公司",
        PRODUCT_ZH,
        PRODUCT_EN,
        "FOB Ningbo (Incoterms® 2020)",
        "30% T/T deposit, 70% against B/L copy",
        "35 days",
        "BKCHCNBJ92A",
        "Bank of China, Ningbo Branch",
        revision.quotation.number,
        "SAY US DOLLARS",
    ):
        assert expected in texts, expected


def test_the_xlsx_embeds_the_photo_once_however_many_lines_use_it(rep, revision):
    content = render_xlsx(document_for(rep, revision.pk))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    media_files = [name for name in names if name.startswith("xl/media/")]
    assert len(media_files) == 1
    drawing = zipfile.ZipFile(io.BytesIO(content)).read("xl/drawings/drawing1.xml").decode()
    assert drawing.count("<xdr:pic>") == 3


def test_formula_like_text_stays_text_in_the_xlsx(rep, buyer, media, profile):
    company, contact = buyer
    revision = priced_revision(rep, company, contact, payment_terms="=1+1 T/T")
    hostile = ['=HYPERLINK("http://evil.example","Click")', "+1-2", "-2+3", "@SUM(A1:A9)"]
    for position, text in enumerate(hostile, start=2):
        add_line(revision, position, description=text, model=text[:60], specification="=A1")
    sheet = workbook(render_xlsx(document_for(rep, revision.pk)), values=False).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    for text in hostile:
        assert cells[text].data_type == "s", text  # the model column holds the text alone
    assert cells["=1+1 T/T"].data_type == "s"


def test_a_200_line_quotation_renders_as_pdf_and_xlsx(rep, buyer, media, profile, tmp_path):
    company, contact = buyer
    photo = make_photo(media, "catalog/photos/big.jpg", size=(3000, 2000))
    revision = priced_revision(rep, company, contact, lines=200, photo=photo)
    document = document_for(rep, revision.pk)
    assert document.total == Decimal("16.37") * 10000 * 200
    pdf = render_pdf(document)
    text = pdf_text(pdf, tmp_path)
    assert "USD 32,740,000.00" in text
    assert "BL-P6060-200" in text
    values = workbook(render_xlsx(document), values=True).active
    heading = table(values)
    total = values.cell(heading + 201, COL["amount"] + 1).value
    assert Decimal(str(total)) == Decimal("32740000")


def test_zero_decimal_currencies_and_small_unit_prices(rep, buyer, media, profile, tmp_path):
    company, contact = buyer
    revision = make_revision(make_quotation(rep, company, contact), currency="JPY")
    add_line(revision, 1, unit_price=Decimal("2388"), quantity=1500)
    document = document_for(rep, revision.pk)
    assert document.total_text == "3,582,000"
    assert "JPY 3,582,000" in pdf_text(render_pdf(document), tmp_path)
    assert price_text(Decimal("0.0350"), 2) == "0.035"
    assert price_text(Decimal("16.3700"), 2) == "16.37"


# --- Photos -----------------------------------------------------------------------------------


def test_a_photo_is_made_small_once_and_again_when_it_changes(media):
    name = make_photo(media, "catalog/photos/p.jpg", size=(2400, 1600))
    first = images.document_image(name)
    assert max(first.width, first.height) == images.PHOTO_BOX_PX
    assert images.document_image(name) is first  # from memory
    images._memory.clear()
    again = images.document_image(name)  # from the disk copy, not made anew
    assert again.content == first.content and again.path == first.path
    make_photo(media, name, size=(600, 600), color=(250, 10, 10))
    import os

    os.utime(media / name, ns=(1, 1))
    changed = images.document_image(name)
    assert changed.path != first.path and changed.width == changed.height


@pytest.mark.parametrize(
    "name", ["../outside.jpg", "/etc/passwd", "catalog/photos/missing.jpg", "notes.txt", "\x00"]
)
def test_missing_foreign_or_broken_photos_are_left_out(media, name):
    (media / "notes.txt").write_text("not an image")
    (media.parent / "outside.jpg").write_bytes(b"x")
    assert images.document_image(name) is None


def test_a_revision_with_a_broken_photo_still_renders(rep, buyer, media, profile, tmp_path):
    company, contact = buyer
    (media / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    revision = priced_revision(rep, company, contact, photo="broken.jpg")
    document = document_for(rep, revision.pk)
    assert document.lines[0].photo is None
    assert "163,700.00" in pdf_text(render_pdf(document), tmp_path)
    render_xlsx(document)


def test_a_line_without_its_own_photo_shows_the_products_first_photo(rep, buyer, media):
    from tradewind.catalog.models import Product, ProductPhoto

    company, contact = buyer
    product = Product.objects.create(model="BL-1", name_en="Panel", unit_cost_rmb=Decimal(1))
    name = make_photo(media, "catalog/photos/first.jpg", size=(50, 50))
    ProductPhoto.objects.create(product=product, image=name, position=0)
    revision = priced_revision(rep, company, contact)
    revision.lines.update(product=product, photo="")
    assert document_for(rep, revision.pk).lines[0].photo is not None


# --- Reading: priced, visibility, queries -----------------------------------------------------


def test_an_unpriced_revision_shows_dashes_and_refuses_downloads(rep, buyer, media):
    company, contact = buyer
    revision = make_revision(make_quotation(rep, company, contact))
    add_line(revision, 1, priced=False)
    document = document_for(rep, revision.pk)
    assert not document.is_priced and document.amount_words == ""
    with pytest.raises(DomainError):
        require_priced(document)
    assert "—" in render_html(document)
    render_xlsx(document)  # no amount formulas, no crash


def test_a_revision_without_lines_still_renders(rep, buyer, media, profile, tmp_path):
    company, contact = buyer
    revision = make_revision(make_quotation(rep, company, contact))
    document = document_for(rep, revision.pk)
    assert not document.is_priced and document.total_quantity == 0
    assert "QUOTATION" in pdf_text(render_pdf(document), tmp_path)
    sheet = workbook(render_xlsx(document), values=False).active
    assert not any(str(cell.value).startswith("=SUM") for row in sheet.iter_rows() for cell in row)


def test_another_reps_revision_does_not_exist(rep, other_rep, media):
    theirs = CompanyFactory(owner=other_rep)
    revision = priced_revision(other_rep, theirs)
    with pytest.raises(NotFound):
        document_for(rep, revision.pk)


def test_building_a_document_takes_the_same_queries_for_3_or_60_lines(
    rep, buyer, media, profile, django_assert_num_queries
):
    company, contact = buyer
    small = priced_revision(rep, company, contact, lines=3)
    large = priced_revision(rep, company, contact, lines=60)
    for revision in (small, large):
        with django_assert_num_queries(3):  # revision (+quotation, buyer, owner), profile, lines
            document_for(rep, revision.pk)


def test_inline_images_for_the_preview(rep, revision):
    document = build_document(revision, images=IMAGES_INLINE)
    assert document.lines[0].photo_src.startswith("data:image/jpeg;base64,")
    assert build_document(revision).lines[0].photo_src.startswith("file://")


def test_the_filename_is_safe(rep, buyer, media):
    company, contact = buyer
    quotation = make_quotation(rep, company, contact, number='QT-2026-0001"\r\nX: y')
    revision = make_revision(quotation)
    assert document_for(rep, revision.pk).filename("pdf") == "QT-2026-0001Xy-A.pdf"
