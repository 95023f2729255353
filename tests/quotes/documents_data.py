"""Builders shared by the quotation documents, sending and decision tests (engineer H).

Revisions are built with the ORM and priced by hand (unit price and amount filled on the lines,
the DOMAIN.md worked example: 10,000 pcs at USD 16.37 FOB Ningbo), so the documents can be
tested without the pricing engine; the sending tests price through ``pricing.price_revision``.
"""

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.models import CompanyProfile
from tradewind.quotes.models import Quotation, QuotationLine, QuotationRevision

PRODUCT_ZH = "LED平板灯"
PRODUCT_EN = "LED panel light 600×600 mm, 40 W"
_numbers = itertools.count(1)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A MEDIA_ROOT of the test's own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def make_photo(media: Path, name: str, *, size=(1200, 900), color=(40, 120, 200), mode="RGB"):
    """An image file stored as ``name`` under MEDIA_ROOT; returns the storage name."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = Image.new(mode, size, color)
    picture.save(path, "PNG" if name.endswith(".png") else "JPEG")
    return name


@pytest.fixture
def profile(db):
    company = CompanyProfile.current()
    company.name_en = "Ningbo Bright Lighting Co., Ltd."
    company.name_zh = "宁波明亮照明有限公司"
    company.address_en = "88 Jiangnan Road, Beilun District\nNingbo 315800, China"
    company.address_zh = "浙江省宁波市北仑区江南路88号"
    company.phone = "+86 574 8888 6666"
    company.email = "sales@brightlighting.example"
    company.website = "www.brightlighting.example"
    company.beneficiary_name = "NINGBO BRIGHT LIGHTING CO., LTD."
    company.bank_name = "Bank of China, Ningbo Branch"
    company.bank_address = "139 Yaohang Street, Ningbo, China"
    company.bank_account = "3581 0000 1234 5678"
    company.bank_swift = "BKCHCNBJ92A"
    company.save()
    return company


@pytest.fixture
def buyer(rep):
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", email="anna@nordlicht.de")
    return company, contact


def make_quotation(owner, company, contact=None, **extra) -> Quotation:
    return Quotation.objects.create(
        number=extra.pop("number", f"QT-2026-{next(_numbers):04d}"),
        company=company,
        contact=contact,
        owner=owner,
        **extra,
    )


def make_revision(quotation: Quotation, **extra) -> QuotationRevision:
    fields = {
        "letter": "A",
        "currency": "USD",
        "incoterm": "FOB",
        "named_place": "Ningbo",
        "port_of_loading": "Ningbo",
        "destination_port": "Hamburg",
        "payment_terms": "30% T/T deposit, 70% against B/L copy",
        "lead_time_days": 35,
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
        "packing": "Export carton, 10 pcs per carton",
        "margin_percent": Decimal(10),
        "fx_rmb_per_unit": Decimal("7.10"),
        "container_type": "40HQ",
        "created_by": quotation.owner,
    }
    fields.update(extra)
    return QuotationRevision.objects.create(quotation=quotation, **fields)


def add_line(revision: QuotationRevision, position: int, *, priced=True, **extra) -> QuotationLine:
    fields = {
        "model": f"BL-P6060-{position:03d}",
        "description": PRODUCT_EN,
        "description_zh": PRODUCT_ZH,
        "specification": "SMD2835, 4000 K, CRI > 80\nAluminium frame, PS diffuser",
        "hs_code": "9405420000",
        "quantity": 10000,
        "unit_cost_rmb": Decimal("113.00"),
        "rebate_percent": Decimal(9),
        "pcs_per_carton": 10,
        "carton_length_cm": Decimal("62.00"),
        "carton_width_cm": Decimal("62.00"),
        "carton_height_cm": Decimal("45.00"),
        "carton_gross_weight_kg": Decimal("22.500"),
        "carton_net_weight_kg": Decimal("20.000"),
        "units_per_container": 3800,
    }
    fields.update(extra)
    if priced:
        fields.setdefault("unit_price", Decimal("16.37"))
        fields.setdefault("total", fields["unit_price"] * fields["quantity"])
    return QuotationLine.objects.create(revision=revision, position=position, **fields)


def priced_revision(owner, company, contact=None, *, lines=1, photo="", **extra):
    """A quotation with Rev. A priced by hand: ``lines`` lines of 10,000 pcs at USD 16.37."""
    quotation = make_quotation(owner, company, contact)
    revision = make_revision(quotation, **extra)
    for position in range(1, lines + 1):
        add_line(revision, position, photo=photo)
    total = sum(line.total for line in revision.lines.all())
    QuotationRevision.objects.filter(pk=revision.pk).update(
        total_amount=total, priced_at=timezone.now()
    )
    revision.refresh_from_db()
    return revision
