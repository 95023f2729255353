"""Demo catalogue: a Ningbo exporter of LED lighting and small furniture / homeware — HS codes with
their rates, 13 products with packing and suppliers, bank buying rates for USD, EUR and GBP over
the last 30 days, and a filled company profile.

Everything is written through the services (actor ``None``: the seeder), so it has its audit
trail and obeys the same rules. Running it twice adds nothing twice. Figures are realistic but
invented (rates move within ±0.4 %, seeded); the HS codes are real Chinese tariff lines, their
rebate rates typical at the time of writing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from tradewind.catalog import services
from tradewind.catalog.models import HsCode, Product
from tradewind.core import fx
from tradewind.core.models import CompanyProfile, FxRate
from tradewind.core.workspace import company_profile_update

HS_CODES = (
    # code, Chinese, English, VAT %, rebate %
    ("9405110000", "LED吸顶灯及壁灯", "LED ceiling and wall lighting fittings", "13", "13"),
    ("9405210000", "LED台灯、落地灯", "LED table, desk and floor lamps", "13", "13"),
    ("9405420000", "其他LED灯具（投光灯、灯带）", "Other LED lighting fittings", "13", "13"),
    ("8539520000", "LED灯泡及灯管", "LED lamps (bulbs and tubes)", "13", "13"),
    ("9403609990", "其他木家具", "Other wooden furniture", "13", "13"),
    ("9403200000", "其他金属家具", "Other metal furniture", "13", "13"),
    ("4602190000", "其他植物材料编结品", "Basketwork of other vegetable materials", "13", "9"),
    ("6912001000", "陶瓷餐具", "Ceramic tableware", "13", "13"),
)

P, F = "purchase_incl_vat", "factory_cost"
# model, English, Chinese, spec, material, HS, basis, cost, supplier, MOQ, lead days,
# pcs/ctn, L, W, H, N.W., G.W., packing
PRODUCTS = (
    ("LED-P6060-40W", "LED Panel Light 600×600 40W", "LED面板灯 600×600 40W",
     "40W, 4000K, 3600lm, CRI>80, 0-10V dimmable, UGR<19, 5-year warranty",
     "Aluminium frame, PMMA light guide", "9405110000", P, "113.00",
     "Zhongshan Guzhen Lumen Lighting Co., Ltd.", 500, 25, 4, "64", "64", "18", "11.0", "12.5",
     "4 pcs per export carton, each in a brown box"),
    ("LED-DL-R6-12W", "LED Recessed Downlight 6\" 12W", "LED筒灯 6寸 12W",
     "12W, 3000K/4000K/6000K switchable, cut-out 150mm, IP44", "Die-cast aluminium",
     "9405110000", P, "18.50", "Zhongshan Guzhen Lumen Lighting Co., Ltd.", 1000, 20, 40,
     "52", "42", "30", "9.6", "11.0", "1 pc per colour box, 40 pcs per carton"),
    ("LED-FL-100W", "LED Floodlight 100W IP65", "LED投光灯 100W IP65",
     "100W, 5000K, 13000lm, beam 120°, IP65, 1 m H05RN-F cable",
     "Die-cast aluminium, tempered glass", "9405420000", F, "82.00", "Own factory (Yuyao)",
     200, 30, 6, "48", "36", "30", "13.2", "14.5", "1 pc per colour box, 6 pcs per carton"),
    ("LED-A60-9W", "LED Bulb A60 9W E27", "LED球泡灯 A60 9W E27",
     "9W, 806lm, 2700K, E27, non-dimmable, 15000 h", "PC cover, aluminium-plastic body",
     "8539520000", P, "3.20", "Ningbo Yinzhou Brightstar Electric Co., Ltd.", 5000, 25, 100,
     "60", "32", "25", "5.5", "6.8", "1 pc per colour box, 100 pcs per carton"),
    ("LED-T8-18W-120", "LED Tube T8 1200mm 18W", "LED灯管 T8 1.2米 18W",
     "18W, 1800lm, 4000K, single-end power, G13", "Aluminium-PC", "8539520000", P, "7.80",
     "Ningbo Yinzhou Brightstar Electric Co., Ltd.", 2000, 25, 25, "125", "22", "15", "6.5", "7.6",
     "25 pcs per carton with foam end caps"),
    ("LED-DESK-08", "LED Desk Lamp with USB Charging Port", "LED护眼台灯（带USB充电口）",
     "8W, touch dimmer, 3 colour temperatures, USB-A 5V 1A", "ABS, aluminium arm", "9405210000",
     P, "42.00", "Cixi Homelight Appliance Co., Ltd.", 300, 30, 12, "56", "38", "45", "8.4",
     "10.2", "1 pc per colour box, 12 pcs per carton"),
    ("LED-FLR-ARC", "Arc Floor Lamp with Marble Base", "大理石底座弧形落地灯",
     "Height 190 cm, E27 max 40W LED, foot switch", "Steel, marble base", "9405210000", P,
     "168.00", "Cixi Homelight Appliance Co., Ltd.", 100, 35, 1, "120", "30", "22", "7.8", "9.5",
     "1 set per 5-ply carton, base packed separately"),
    ("LED-STR-5M-RGB", "LED Strip Kit 5 m RGB with Remote", "LED灯带套装 5米 RGB 带遥控",
     "SMD5050, 30 LEDs/m, 12V adapter, 44-key IR remote", "FPC, silicone coating",
     "9405420000", P, "21.50", "Shenzhen Bao'an Colorful Optoelectronics Co., Ltd.", 500, 15,
     50, "50", "35", "30", "8.0", "9.2", "1 kit per colour box, 50 kits per carton"),
    ("FUR-ST-4545-OAK", "Solid Oak Side Table 45×45", "实木橡木边几 45×45",
     "45 × 45 × 55 cm, knock-down legs, water-based lacquer", "FSC oak", "9403609990", P,
     "185.00", "Anji Greenwood Furniture Co., Ltd.", 100, 40, 1, "50", "50", "15", "9.0",
     "10.5", "Flat-packed, 1 pc per 5-ply carton, corner protectors"),
    ("FUR-MS-3T", "Metal 3-Tier Storage Shelf", "三层金属置物架",
     "60 × 30 × 90 cm, load 30 kg per shelf, tool-free assembly", "Powder-coated steel",
     "9403200000", P, "64.00", "Ningbo Beilun Steelcraft Co., Ltd.", 200, 30, 2, "92", "36", "12",
     "12.0", "13.2", "2 sets per carton, knock-down"),
    ("HW-BSK-S3-SG", "Seagrass Storage Baskets, Set of 3", "海草收纳篮三件套",
     "Ø 40/35/30 cm, with handles, nested", "Seagrass, iron wire frame", "4602190000", P, "38.00",
     "Linyi Natural Crafts Co., Ltd.", 300, 35, 6, "46", "46", "40", "6.0", "7.2",
     "Nested sets, 6 sets per carton"),
    ("HW-CER-16-SW", "Stoneware Dinner Set, 16 Pieces", "炻瓷餐具16件套",
     "4 × dinner plate, side plate, bowl, mug; dishwasher and microwave safe", "Stoneware",
     "6912001000", P, "72.00", "Dehua Fine Ceramics Co., Ltd.", 300, 45, 2, "58", "30", "32",
     "16.0", "17.5", "1 set per gift box, 2 sets per carton"),
    ("LED-T5-14W-OLD", "LED Tube T5 14W (discontinued)", "LED灯管 T5 14W（停产）",
     "14W, G5, replaced by the T8 range", "Aluminium-PC", "8539520000", P, "6.90",
     "Ningbo Yinzhou Brightstar Electric Co., Ltd.", 2000, 25, 50, "120", "25", "20", "6.0",
     "7.0", "50 pcs per carton"),
)  # fmt: skip
INACTIVE = {"LED-T5-14W-OLD"}

FX_START = {"USD": Decimal("7.1012"), "EUR": Decimal("7.7185"), "GBP": Decimal("9.0264")}
FX_DAYS = 30

PROFILE = {
    "name_en": "Ningbo Brightway Lighting & Home Co., Ltd.",
    "name_zh": "宁波明途照明家居有限公司",
    "address_en": "Room 1208, Block B, Global Shipping Plaza, 998 Jiangnan Road, Yinzhou "
    "District, Ningbo, Zhejiang 315100, China",
    "address_zh": "浙江省宁波市鄞州区江南路998号环球航运广场B座1208室 315100",
    "phone": "+86 574 8765 4321",
    "email": "sales@brightway-lighting.example",
    "website": "www.brightway-lighting.example",
    "default_port_of_loading": "Ningbo",
    "beneficiary_name": "NINGBO BRIGHTWAY LIGHTING AND HOME CO., LTD.",
    "bank_name": "Bank of China, Ningbo Branch",
    "bank_address": "139 Yaohang Street, Haishu District, Ningbo, Zhejiang, China",
    "bank_account": "3581 5820 1234",
    "bank_swift": "BKCHCNBJ92A",
}


def _hs_codes() -> int:
    added = 0
    for code, zh, en, vat, rebate in HS_CODES:
        if not HsCode.objects.filter(pk=code).exists():
            services.hs_code_create(
                actor=None,
                code=code,
                description_zh=zh,
                description_en=en,
                vat_percent=Decimal(vat),
                rebate_percent=Decimal(rebate),
            )
            added += 1
    return added


def _products() -> int:
    added = 0
    for row in PRODUCTS:
        (model, name_en, name_zh, spec, material, hs, basis, cost, supplier, moq, lead, pcs,
         length, width, height, net, gross, packing) = row  # fmt: skip
        if Product.objects.filter(model=model).exists():
            continue
        product = services.product_create(
            actor=None,
            model=model,
            name_en=name_en,
            name_zh=name_zh,
            specification=spec,
            material=material,
            hs_code=hs,
            cost_basis=basis,
            unit_cost_rmb=Decimal(cost),
            supplier=supplier,
            moq=moq,
            lead_time_days=lead,
            pcs_per_carton=pcs,
            carton_length_cm=Decimal(length),
            carton_width_cm=Decimal(width),
            carton_height_cm=Decimal(height),
            carton_net_weight_kg=Decimal(net),
            carton_gross_weight_kg=Decimal(gross),
            packing_notes=packing,
            unit="set" if "Set" in name_en or "Kit" in name_en else "pc",
        )
        if model in INACTIVE:
            services.product_deactivate(actor=None, product_id=product.pk)
        added += 1
    return added


def _fx_rates(today: date, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — demo figures, not secrets
    added = 0
    for currency, start in FX_START.items():
        for back in range(FX_DAYS - 1, -1, -1):
            day = today - timedelta(days=back)
            # Within ±0.4 % of the start: a month of ordinary days, no trend.
            rate = (start * (1 + Decimal(rng.randint(-40, 40)) / 10000)).quantize(Decimal("0.0001"))
            if day.weekday() >= 5 or FxRate.objects.filter(currency=currency, date=day).exists():
                continue
            fx.fx_rate_set(actor=None, currency=currency, date=day, rmb_per_unit=rate, source="BOC")
            added += 1
    return added


def _profile() -> bool:
    if CompanyProfile.current().name_en:
        return False
    company_profile_update(actor=None, **PROFILE)
    return True


def seed_catalog(*, today: date | None = None, seed: int = 7) -> dict[str, int]:
    """Seed the demo catalogue, rates and profile; returns what was added."""
    return {
        "hs_codes": _hs_codes(),
        "products": _products(),
        "fx_rates": _fx_rates(today or fx.workspace_today(), seed),
        "profile": int(_profile()),
    }
