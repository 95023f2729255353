"""Builders shared by the quotation tests (engineer: quotations). Quotations go through the real
services; products, HS codes and FX rates are plain rows (their own services are tested in
tests/catalog and tests/core)."""

from decimal import Decimal

from django.utils import timezone

from tradewind.catalog.models import HsCode, Product
from tradewind.core.models import FxRate
from tradewind.quotes import quotations

# DOMAIN.md §3 worked example: 10,000 pcs in 1×40HQ (500 cartons of 20 pcs, 60×40×50 cm, 22 kg).
WORKED_LINE = {
    "description": "LED panel 600x600 40W",
    "quantity": 10_000,
    "unit_cost_rmb": Decimal("113.00"),
    "vat_percent": Decimal(13),
    "rebate_percent": Decimal(9),
    "pcs_per_carton": 20,
    "carton_length_cm": Decimal(60),
    "carton_width_cm": Decimal(40),
    "carton_height_cm": Decimal(50),
    "carton_gross_weight_kg": Decimal(22),
}
WORKED_TERMS = {
    "currency": "USD",
    "incoterm": "CIF",
    "named_place": "Hamburg",
    "port_of_loading": "Ningbo",
    "payment_terms": "30% T/T deposit, 70% against B/L copy",
    "margin_percent": Decimal(10),
    "fx_rmb_per_unit": Decimal("7.10"),
    "freight_basis": "container",
    "container_type": "40HQ",
    "freight_rate": Decimal(3000),
    "insurance_rate_percent": Decimal("0.3"),
    "domestic_charges": [
        {"label": "Trucking, THC and customs broker", "amount_rmb": "6000", "basis": "per_shipment"}
    ],
}


def fx_rate(currency="USD", rate="7.10", day=None):
    return FxRate.objects.create(
        currency=currency, date=day or timezone.localdate(), rmb_per_unit=Decimal(rate)
    )


def hs_code(code="9405420000", vat=13, rebate=13):
    return HsCode.objects.get_or_create(
        code=code,
        defaults={
            "description_en": "LED luminaires",
            "vat_percent": Decimal(vat),
            "rebate_percent": Decimal(rebate),
        },
    )[0]


def make_product(model="TW-P6060", **fields):
    values = {
        "name_en": "LED panel 600x600 40W",
        "name_zh": "LED平板灯 600x600 40W",
        "hs_code": hs_code(),
        "unit_cost_rmb": Decimal("42.50"),
        "pcs_per_carton": 4,
        "carton_length_cm": Decimal(62),
        "carton_width_cm": Decimal(62),
        "carton_height_cm": Decimal(30),
        "carton_gross_weight_kg": Decimal("12.5"),
        "carton_net_weight_kg": Decimal("11.2"),
        "moq": 500,
    }
    values.update(fields)
    return Product.objects.create(model=model, **values)


def make_quotation(actor, company, *, lines=None, **terms):
    """A quotation for ``company`` priced on the DOMAIN worked example unless told otherwise."""
    values = dict(WORKED_TERMS) | terms
    rows = [dict(WORKED_LINE)] if lines is None else lines
    return quotations.quotation_create(actor=actor, company_id=company.pk, lines=rows, **values)


def current(quotation):
    return quotation.revisions.order_by("-created_at", "-id").first()
