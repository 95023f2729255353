"""The quotation as an Excel workbook (XlsxWriter): letterhead, terms, the lines with their
photos, working formulas, totals and bank details — the same document as the PDF.

- Each amount is ``=quantity × unit price`` and the totals are ``SUM(...)``, written *with their
  values* (XlsxWriter's ``value=``), so a viewer that does not recalculate (mail previews,
  openpyxl, phones) still shows the right numbers.
- Text is always written as text (``write_string``, and the workbook's automatic conversions
  off): a description that starts with ``=``, ``+``, ``-`` or ``@`` stays a string and is never
  evaluated as a formula.
- Photos are the document-sized copies (``images``), scaled into their row; identical photos are
  stored once in the file (XlsxWriter compares their bytes).
"""

import io
from decimal import Decimal

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from xlsxwriter.utility import xl_rowcol_to_cell

from tradewind.quotes.documents.context import DocumentLine, QuotationDocument
from tradewind.quotes.documents.images import DocImage
from tradewind.quotes.documents.pdf import DOCUMENT_LANGUAGE

MAX_CELL_TEXT = 32767
PHOTO_ROW_HEIGHT_PT = 62  # about 83 px
PHOTO_CELL_PX = (96, 78)  # room inside the photo cell, width × height
LOGO_BOX_PX = (150, 60)
# Column: (width in characters, heading) — headings are filled in at render time.
COLUMNS = ("no", "photo", "model", "description", "hs_code", "quantity", "unit_price",
           "amount", "pcs_per_carton", "carton_size", "gross_weight", "per_container")  # fmt: skip
WIDTHS = {"no": 5, "photo": 14, "model": 14, "description": 42, "hs_code": 11, "quantity": 12,
          "unit_price": 13, "amount": 15, "pcs_per_carton": 9, "carton_size": 15,
          "gross_weight": 9, "per_container": 11}  # fmt: skip
COL = {name: index for index, name in enumerate(COLUMNS)}
LAST_COL = len(COLUMNS) - 1
BLUE = "#1E3A8A"


def _money_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _price_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places + "##" if places else ".##")


class _Formats:
    def __init__(self, book, places: int):
        self._book, self._by_unit = book, {}
        add = book.add_format
        base = {"font_name": "Arial", "font_size": 9, "valign": "top"}
        self.small = add(base | {"font_size": 8, "font_color": "#4B5563", "text_wrap": False})
        self.company = add(base | {"font_size": 15, "bold": True, "font_color": BLUE})
        self.company_zh = add(base | {"font_size": 11, "bold": True})
        self.title = add(
            base | {"font_size": 18, "bold": True, "font_color": BLUE, "align": "right"}
        )
        self.label = add(base | {"font_color": "#6B7280"})
        self.value = add(base | {"bold": True, "text_wrap": True})
        self.fact = add(base | {"bold": True, "align": "right"})
        self.head = add(base | {"bold": True, "font_color": "#FFFFFF", "bg_color": BLUE,
                               "text_wrap": True, "valign": "bottom", "border": 1,
                               "border_color": "#CBD5E1"})  # fmt: skip
        cell = base | {"border": 1, "border_color": "#E5E7EB"}
        self.cell = add(cell | {"text_wrap": True})
        self.cell_center = add(cell | {"align": "center"})
        self.qty = add(cell | {"num_format": "#,##0"})
        self._cell = cell
        self.price = add(cell | {"num_format": _price_format(places)})
        self.amount = add(cell | {"num_format": _money_format(places)})
        self.kg = add(cell | {"num_format": "0.0##"})
        total = base | {"bold": True, "top": 2, "top_color": BLUE}
        self.total_label = add(total)
        self.total_qty = add(total | {"num_format": "#,##0"})
        self.total_amount = add(total | {"num_format": _money_format(places), "font_size": 11,
                                         "font_color": BLUE})  # fmt: skip

    def quantity_in(self, unit: str):
        """A quantity shown with its unit (``10,000 pc``) and still a number for formulas."""
        if unit not in self._by_unit:
            shown = "".join(ch for ch in unit if ch not in '"\\')[:12]
            number = f'#,##0" {shown}"' if shown else "#,##0"
            self._by_unit[unit] = self._book.add_format(self._cell | {"num_format": number})
        return self._by_unit[unit]


def _text(sheet, row: int, col: int, value, cell_format) -> None:
    """Text as text: never a formula, number or link, whatever it starts with."""
    if value in (None, ""):
        return
    sheet.write_string(row, col, str(value)[:MAX_CELL_TEXT], cell_format)


def _image(sheet, row: int, col: int, image: DocImage, box: tuple[int, int], name: str) -> None:
    scale = min(box[0] / image.width, box[1] / image.height, 1.0)
    sheet.insert_image(
        row,
        col,
        name,
        {
            "image_data": io.BytesIO(image.content),
            "x_scale": scale,
            "y_scale": scale,
            "x_offset": 3,
            "y_offset": 3,
            "object_position": 1,
        },
    )


def _letterhead(sheet, doc: QuotationDocument, fmt: _Formats) -> int:
    head = doc.letterhead
    text_col = COL["model"] if head.logo else 0
    if head.logo:
        _image(sheet, 0, 0, head.logo, LOGO_BOX_PX, "logo" + _suffix(head.logo))
    rows = [
        (head.name_en, fmt.company),
        (head.name_zh, fmt.company_zh),
        (head.address_en.replace("\n", ", "), fmt.small),
        (head.address_zh.replace("\n", ", "), fmt.small),
        (" · ".join(part for part in (head.phone, head.email, head.website) if part), fmt.small),
    ]
    row = 0
    for value, cell_format in rows:
        if value:
            _text(sheet, row, text_col, value, cell_format)
            row += 1
    _text(sheet, 0, LAST_COL, _("QUOTATION"), fmt.title)
    facts = [
        (_("No."), doc.number),
        (_("Revision"), doc.revision_letter),
        (_("Date"), doc.date.strftime("%d %b %Y")),
        (_("Valid until"), doc.valid_until.strftime("%d %b %Y")),
    ]
    for offset, (label, value) in enumerate(facts, start=1):
        _text(sheet, offset, LAST_COL - 1, label, fmt.label)
        _text(sheet, offset, LAST_COL, value, fmt.fact)
    return max(row, len(facts) + 1) + 1


def _terms(sheet, doc: QuotationDocument, fmt: _Formats, row: int) -> int:
    terms, buyer = doc.terms, doc.buyer
    lead = ""
    if terms.lead_time_days:
        lead = ngettext("%(days)d day", "%(days)d days", terms.lead_time_days) % {
            "days": terms.lead_time_days
        }
    buyer_lines = [buyer.name, buyer.address.replace("\n", ", "), buyer.country]
    attention = " · ".join(part for part in (buyer.contact_name, buyer.contact_email) if part)
    items = [
        (_("To"), "\n".join(part for part in buyer_lines if part)),
        (_("Attn."), attention),
        (_("Price term"), f"{terms.price_term} (Incoterms® 2020)"),
        (_("Currency"), terms.currency),
        (_("Port of loading"), terms.port_of_loading),
        (_("Destination port"), terms.destination_port),
        (_("Payment terms"), terms.payment_terms),
        (_("Lead time"), lead),
        (_("Packing"), terms.packing),
        (_("Validity"), _("Until %(date)s") % {"date": doc.valid_until.strftime("%d %b %Y")}),
    ]
    for label, value in items:
        if not value:
            continue
        _text(sheet, row, COL["model"], label, fmt.label)
        _text(sheet, row, COL["description"], value, fmt.value)
        if "\n" in value:
            sheet.set_row(row, 12 * (value.count("\n") + 1))
        row += 1
    return row + 1


def _headings(doc: QuotationDocument) -> dict[str, str]:
    currency = doc.terms.currency
    container = doc.terms.container_type
    return {
        "no": _("No."),
        "photo": _("Photo"),
        "model": _("Item no."),
        "description": _("Description"),
        "hs_code": _("HS code"),
        "quantity": _("Quantity"),
        "unit_price": _("Unit price %(currency)s %(term)s")
        % {"currency": currency, "term": doc.terms.price_term},
        "amount": _("Amount %(currency)s") % {"currency": currency},
        "pcs_per_carton": _("Pcs / carton"),
        "carton_size": _("Carton size (cm)"),
        "gross_weight": _("G.W. / carton (kg)"),
        "per_container": _("Quantity per %(container)s") % {"container": container}
        if container
        else _("Quantity per container"),
    }


def _description(line: DocumentLine) -> str:
    parts = [line.description]
    if line.description_zh:
        parts.append(line.description_zh)
    if line.specification:
        parts.append(line.specification)
    return "\n".join(parts)


def _line(sheet, line: DocumentLine, row: int, fmt: _Formats, with_photos: bool) -> None:
    if with_photos:
        sheet.set_row(row, PHOTO_ROW_HEIGHT_PT)
    sheet.write_number(row, COL["no"], line.number, fmt.cell_center)
    if line.photo is not None and with_photos:
        _image(sheet, row, COL["photo"], line.photo, PHOTO_CELL_PX, f"photo{_suffix(line.photo)}")
    _text(sheet, row, COL["model"], line.model, fmt.cell)
    _text(sheet, row, COL["description"], _description(line), fmt.cell)
    _text(sheet, row, COL["hs_code"], line.hs_code, fmt.cell)
    sheet.write_number(row, COL["quantity"], line.quantity, fmt.quantity_in(line.unit))
    if line.unit_price is not None:
        sheet.write_number(row, COL["unit_price"], line.unit_price, fmt.price)
        quantity = xl_rowcol_to_cell(row, COL["quantity"])
        price = xl_rowcol_to_cell(row, COL["unit_price"])
        sheet.write_formula(
            row, COL["amount"], f"={quantity}*{price}", fmt.amount, line.amount or 0
        )
    if line.pcs_per_carton:
        sheet.write_number(row, COL["pcs_per_carton"], line.pcs_per_carton, fmt.qty)
    _text(sheet, row, COL["carton_size"], line.carton_size_cm, fmt.cell)
    if line.carton_gross_weight_kg:
        sheet.write_number(row, COL["gross_weight"], Decimal(line.carton_gross_weight_kg), fmt.kg)
    if line.units_per_container:
        units = fmt.quantity_in(line.unit)
        sheet.write_number(row, COL["per_container"], line.units_per_container, units)


def _suffix(image: DocImage) -> str:
    return ".png" if image.mime_type == "image/png" else ".jpg"


def _lines(sheet, doc: QuotationDocument, fmt: _Formats, row: int) -> tuple[int, int]:
    """The lines table with its totals; returns (the heading row, the next free row)."""
    headings = _headings(doc)
    sheet.set_row(row, 30)
    for name in COLUMNS:
        sheet.write_string(row, COL[name], headings[name], fmt.head)
    heading_row = row
    first = row + 1
    for offset, line in enumerate(doc.lines):
        _line(sheet, line, first + offset, fmt, doc.has_photos)
    if not doc.lines:
        return heading_row, first + 1
    last = first + len(doc.lines) - 1
    total_row = last + 1
    sheet.write_string(total_row, COL["description"], _("Total"), fmt.total_label)
    for name in COLUMNS:
        if name not in ("description", "quantity", "amount"):
            sheet.write_blank(total_row, COL[name], None, fmt.total_label)
    quantities = f"{xl_rowcol_to_cell(first, COL['quantity'])}:" + xl_rowcol_to_cell(
        last, COL["quantity"]
    )
    sheet.write_formula(
        total_row, COL["quantity"], f"=SUM({quantities})", fmt.total_qty, doc.total_quantity
    )
    if doc.total is not None:
        amounts = f"{xl_rowcol_to_cell(first, COL['amount'])}:" + xl_rowcol_to_cell(
            last, COL["amount"]
        )
        sheet.write_formula(
            total_row, COL["amount"], f"=SUM({amounts})", fmt.total_amount, doc.total
        )
    else:
        sheet.write_blank(total_row, COL["amount"], None, fmt.total_label)
    row = total_row + 1
    if doc.amount_words:
        _text(sheet, row, COL["no"], doc.amount_words, fmt.value)
        row += 1
    return heading_row, row + 1


def _footer(sheet, doc: QuotationDocument, fmt: _Formats, row: int) -> int:
    if doc.terms.remarks:
        _text(sheet, row, COL["model"], _("Remarks"), fmt.label)
        _text(sheet, row, COL["description"], doc.terms.remarks, fmt.value)
        sheet.set_row(row, 12 * (doc.terms.remarks.count("\n") + 1))
        row += 2
    bank = doc.bank
    if bank.is_given:
        _text(sheet, row, COL["model"], _("Bank details"), fmt.label)
        row += 1
        for label, value in (
            (_("Beneficiary"), bank.beneficiary),
            (_("Bank"), bank.bank_name),
            (_("Bank address"), bank.bank_address.replace("\n", ", ")),
            (_("Account no."), bank.account),
            ("SWIFT", bank.swift),
        ):
            if value:
                _text(sheet, row, COL["model"], label, fmt.label)
                _text(sheet, row, COL["description"], value, fmt.value)
                row += 1
        row += 1
    signature = doc.prepared_by + (f", {doc.letterhead.name_en}" if doc.letterhead.name_en else "")
    _text(sheet, row, COL["model"], _("Prepared by"), fmt.label)
    _text(sheet, row, COL["description"], signature, fmt.value)
    _text(sheet, row + 1, COL["description"], doc.prepared_by_email, fmt.small)
    return row + 2


def _page_setup(sheet, doc: QuotationDocument, heading_row: int, last_row: int) -> None:
    for name in COLUMNS:
        width = WIDTHS[name] if (name != "photo" or doc.has_photos) else 2
        sheet.set_column(COL[name], COL[name], width)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(heading_row)
    sheet.print_area(0, 0, last_row, LAST_COL)
    sheet.set_footer(f"&L{doc.reference.replace('&', '&&')}&RPage &P of &N")
    sheet.hide_gridlines(2)


def render_xlsx(doc: QuotationDocument) -> bytes:
    """The workbook's bytes (one sheet, "Quotation")."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    with translation.override(DOCUMENT_LANGUAGE):
        book.set_properties(
            {"title": doc.reference, "company": doc.letterhead.name_en, "author": doc.prepared_by}
        )
        sheet = book.add_worksheet(_("Quotation")[:31])
        fmt = _Formats(book, doc.currency_places)
        row = _letterhead(sheet, doc, fmt)
        row = _terms(sheet, doc, fmt, row)
        heading_row, row = _lines(sheet, doc, fmt, row)
        last_row = _footer(sheet, doc, fmt, row)
        _page_setup(sheet, doc, heading_row, last_row)
    book.close()
    return output.getvalue()
