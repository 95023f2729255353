"""The columns of a product spreadsheet: their export headers, the other names the importer
recognises (English and Chinese), and how a header is matched.

Rules and judgement calls:
- A header matches after NFKC folding (full-width letters and brackets become plain ones),
  lower-casing and dropping spaces and punctuation: "Carton L (cm)", "carton l cm" and
  "CARTON-L（CM）" are the same header.
- Every export header, in every language of the workspace, is recognised, so an exported file
  imports again whatever language it was exported in.
- Columns marked ``importable=False`` (VAT %, rebate %, CBM, container loads, status) are
  exported for reading; the importer ignores them: rates belong to the HS code and loads are
  computed.
- "Carton size (cm)" holding "60x40x50" (x, ×, * or /) is read as the three sides when the
  separate side columns are absent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation: the export header
    synonyms: tuple[str, ...] = ()
    kind: str = "text"  # text, decimal, integer, hs_code, cost_basis, size
    importable: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("model", _("Model"), ("model no", "item no", "item number", "item", "model / item no.",
                                 "art no", "sku", "型号", "货号", "产品型号", "款号", "编号")),
    Column("name_en", _("Name (English)"), ("english name", "product name", "name", "description",
                                            "英文名称", "英文品名", "英文名", "品名英文")),
    Column("name_zh", _("Name (Chinese)"), ("chinese name", "中文名称", "中文品名", "中文名",
                                            "品名", "产品名称", "名称")),
    Column("specification", _("Specification"), ("spec", "specs", "规格", "规格说明", "参数")),
    Column("material", _("Material"), ("材质", "材料")),
    Column("hs_code", _("HS code"), ("hs", "hscode", "hs no", "customs code", "海关编码",
                                     "商品编码", "hs编码", "税号"), kind="hs_code"),
    Column("vat_percent", _("VAT %"), ("增值税率",), importable=False),
    Column("rebate_percent", _("Rebate %"), ("退税率",), importable=False),
    Column("unit", _("Unit"), ("单位", "计量单位")),
    Column("cost_basis", _("Cost basis"), ("成本类型", "成本口径"), kind="cost_basis"),
    Column("unit_cost_rmb", _("Cost (RMB)"), ("purchase price", "purchase price (rmb)",
                                              "factory cost", "unit cost", "cost", "price (rmb)",
                                              "采购价", "含税采购价", "成本价", "工厂成本", "进价",
                                              "采购单价"), kind="decimal"),
    Column("supplier", _("Supplier"), ("factory", "vendor", "供应商", "工厂", "厂家")),
    Column("moq", _("MOQ"), ("minimum order", "min order qty", "最小起订量", "起订量", "起订数量"),
           kind="integer"),
    Column("lead_time_days", _("Lead time (days)"), ("lead time", "delivery time", "交期",
                                                     "交期(天)", "生产周期", "货期"),
           kind="integer"),
    Column("pcs_per_carton", _("Pcs/carton"), ("pieces per carton", "pcs per carton", "pcs/ctn",
                                               "qty/ctn", "装箱数", "每箱数量", "装箱量"),
           kind="integer"),
    Column("carton_length_cm", _("Carton L (cm)"), ("carton length", "carton length (cm)",
                                                    "外箱长", "箱长", "外箱长(cm)", "长(cm)"),
           kind="decimal"),
    Column("carton_width_cm", _("Carton W (cm)"), ("carton width", "carton width (cm)",
                                                   "外箱宽", "箱宽", "外箱宽(cm)", "宽(cm)"),
           kind="decimal"),
    Column("carton_height_cm", _("Carton H (cm)"), ("carton height", "carton height (cm)",
                                                    "外箱高", "箱高", "外箱高(cm)", "高(cm)"),
           kind="decimal"),
    Column("carton_size", _("Carton size (cm)"), ("carton size", "carton dimensions", "meas",
                                                  "measurement", "外箱尺寸", "箱规", "纸箱尺寸"),
           kind="size"),
    Column("carton_net_weight_kg", _("N.W./carton (kg)"), ("n.w.", "nw", "net weight",
                                                           "net weight (kg)", "净重", "净重(kg)"),
           kind="decimal"),
    Column("carton_gross_weight_kg", _("G.W./carton (kg)"), ("g.w.", "gw", "gross weight",
                                                             "gross weight (kg)", "毛重",
                                                             "毛重(kg)"), kind="decimal"),
    Column("carton_cbm", _("CBM/carton"), ("cbm", "体积", "单箱体积"), importable=False),
    Column("cartons_20gp", _("Cartons/20GP"), ("20gp",), importable=False),
    Column("cartons_40gp", _("Cartons/40GP"), ("40gp",), importable=False),
    Column("cartons_40hq", _("Cartons/40HQ"), ("40hq",), importable=False),
    Column("packing_notes", _("Packing"), ("packing details", "packaging", "包装", "包装方式")),
    Column("notes", _("Notes"), ("remarks", "remark", "备注", "说明")),
    Column("is_active", _("Status"), ("状态",), importable=False),
)  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}
EXPORT_KEYS = tuple(column.key for column in COLUMNS if column.key != "carton_size")
PUNCTUATION = re.compile(r"[\s()\[\]{}.,:;/\\_\-–—*#%'\"`“”‘’<>|!?、，。：；（）【】]+")


def normalise_header(text: str) -> str:
    folded = unicodedata.normalize("NFKC", str(text or "")).lower()
    return PUNCTUATION.sub("", folded)


def _vocabulary() -> dict[str, str]:
    """Normalised header → column key: synonyms first, then labels in every language."""
    names: dict[str, str] = {}
    for column in COLUMNS:
        names.setdefault(normalise_header(column.key), column.key)
        for synonym in column.synonyms:
            names.setdefault(normalise_header(synonym), column.key)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                names.setdefault(normalise_header(str(column.label)), column.key)
    return names


def match_headers(headers: list[str]) -> dict[int, str]:
    """Column index → column key for the headers recognised (each key at most once: the first
    column wins, later ones are reported by the caller)."""
    vocabulary = _vocabulary()
    return {
        index: vocabulary[normalise_header(header)]
        for index, header in enumerate(headers)
        if header and normalise_header(header) in vocabulary
    }


def known_headers_hint() -> str:
    return "Model / 型号, Name (English) / 英文名称, Cost (RMB) / 采购价, HS code / 海关编码"
