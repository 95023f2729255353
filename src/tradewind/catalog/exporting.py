"""Export of the product list (with the list's filters) as an XLSX workbook.

Rules and judgement calls:
- The headers are in the user's language and are names the importer recognises, so an export
  can be edited and imported again (the read-only columns — VAT %, rebate %, CBM, loads, status
  — are ignored on the way back in).
- Measures and money are written as numbers (Excel stores doubles; every figure here has at
  most 6 significant decimals, which a double holds exactly enough to read back the same
  Decimal) so they sort and add up; text is always written as text, never as a formula, and text
  a spreadsheet would run as a formula (= + - @, tab, carriage return) gets Excel's quote prefix
  (``customers.imports.sheets.is_formula_like``).
- Container loads come from ``catalog.packing`` (the trade core), as on the product page.
- Products are read ``EXPORT_CHUNK`` at a time with their HS codes, and the workbook is written
  row by row to a temporary file (XlsxWriter constant memory).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tradewind.catalog import columns as cols
from tradewind.catalog.packing import Packing, carton_cbm, container_loads, display_cbm
from tradewind.catalog.selectors import ProductFilters, product_queryset
from tradewind.customers.imports.sheets import XLSX_TYPE, is_formula_like

EXPORT_CHUNK = 1000
WIDTHS = {"model": 18, "name_en": 32, "name_zh": 20, "specification": 30, "supplier": 24}


def _row(product) -> dict:
    packing = Packing.of(product)
    loads = {row.container: row.cartons for row in container_loads(packing)}
    hs = product.hs_code
    return {
        "model": product.model,
        "name_en": product.name_en,
        "name_zh": product.name_zh,
        "specification": product.specification,
        "material": product.material,
        "hs_code": hs.code if hs else "",
        "vat_percent": hs.vat_percent if hs else None,
        "rebate_percent": hs.rebate_percent if hs else None,
        "unit": product.unit,
        "cost_basis": product.get_cost_basis_display(),
        "unit_cost_rmb": product.unit_cost_rmb,
        "supplier": product.supplier,
        "moq": product.moq,
        "lead_time_days": product.lead_time_days,
        "pcs_per_carton": product.pcs_per_carton,
        "carton_length_cm": product.carton_length_cm,
        "carton_width_cm": product.carton_width_cm,
        "carton_height_cm": product.carton_height_cm,
        "carton_net_weight_kg": product.carton_net_weight_kg,
        "carton_gross_weight_kg": product.carton_gross_weight_kg,
        "carton_cbm": display_cbm(carton_cbm(packing)),
        "cartons_20gp": loads.get("20GP"),
        "cartons_40gp": loads.get("40GP"),
        "cartons_40hq": loads.get("40HQ"),
        "packing_notes": product.packing_notes,
        "notes": product.notes,
        "is_active": _("Active") if product.is_active else _("Inactive"),
    }


def write_products(handle, filters: ProductFilters, language: str) -> int:
    """Write the filtered products into an open binary file; returns the number of products."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    with translation.override(language):
        sheet = workbook.add_worksheet(_("Products")[:31])
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        quoted = workbook.add_format({"quote_prefix": True})
        for index, key in enumerate(cols.EXPORT_KEYS):
            sheet.write_string(0, index, str(cols.BY_KEY[key].label), bold)
            sheet.set_column(index, index, WIDTHS.get(key, 12))
        count = 0
        queryset = product_queryset(filters).select_related("hs_code")
        for count, product in enumerate(queryset.iterator(chunk_size=EXPORT_CHUNK), start=1):
            values = _row(product)
            for index, key in enumerate(cols.EXPORT_KEYS):
                _write_cell(sheet, count, index, values[key], quoted)
    sheet.freeze_panes(1, 1)
    workbook.close()
    return count


def _write_cell(sheet, row: int, column: int, value, quoted) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, column, str(value))
    elif isinstance(value, int | Decimal):
        sheet.write_number(row, column, float(value))
    else:
        text = str(value)
        sheet.write_string(row, column, text, quoted if is_formula_like(text) else None)


def export_filename() -> str:
    return f"products-{timezone.localdate().isoformat()}.xlsx"


def xlsx_response(filters: ProductFilters, language: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes (and so deletes) it
    write_products(handle, filters, language)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=export_filename(), content_type=XLSX_TYPE
    )
