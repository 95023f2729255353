"""Catalogue test data: HS codes and products made through the services, pictures made by
Pillow, and a media directory of the test's own."""

import io
from decimal import Decimal

import pytest

from tradewind.catalog import services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def hs_code(db):
    return services.hs_code_create(
        actor=None,
        code="9405110000",
        description_zh="LED吸顶灯及壁灯",
        description_en="LED ceiling lights",
        vat_percent=Decimal(13),
        rebate_percent=Decimal(9),
    )


PANEL = {
    "model": "LED-P6060-40W",
    "name_en": "LED Panel Light 600x600 40W",
    "name_zh": "LED面板灯",
    "unit_cost_rmb": Decimal("113.00"),
    "supplier": "Zhongshan Lumen Lighting",
    "moq": 500,
    "lead_time_days": 25,
    "pcs_per_carton": 4,
    "carton_length_cm": Decimal(60),
    "carton_width_cm": Decimal(40),
    "carton_height_cm": Decimal(50),
    "carton_net_weight_kg": Decimal(20),
    "carton_gross_weight_kg": Decimal(22),
}


@pytest.fixture
def make_product(db):
    def make(actor=None, **overrides):
        return services.product_create(actor=actor, **(PANEL | overrides))

    return make


@pytest.fixture
def product(make_product, hs_code):
    return make_product(hs_code=hs_code)


def picture(kind: str = "PNG", size=(64, 48), color=(36, 84, 214)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=kind)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
