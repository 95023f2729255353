"""The demo catalogue: valid through the services, complete, and seeded only once."""

from datetime import date

from tradewind.catalog.demo import seed_catalog
from tradewind.catalog.models import HsCode, Product
from tradewind.catalog.packing import product_container_loads
from tradewind.core import fx
from tradewind.core.models import CompanyProfile, FxRate


def test_the_demo_catalogue_is_complete_and_seeded_once(db):
    today = date(2026, 3, 13)  # a Friday
    added = seed_catalog(today=today)
    assert added == {"hs_codes": 8, "products": 13, "fx_rates": 66, "profile": 1}
    assert HsCode.objects.count() == 8
    assert Product.objects.filter(is_active=True).count() == 12
    for product in Product.objects.all():
        assert product.hs_code_id and product.supplier
        assert all(row.cartons > 0 for row in product_container_loads(product)), product.model
    assert set(FxRate.objects.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    assert 7 < fx.rate_on("USD", today).rmb_per_unit < 7.3
    assert CompanyProfile.current().bank_swift == "BKCHCNBJ92A"
    assert seed_catalog(today=today) == {"hs_codes": 0, "products": 0, "fx_rates": 0, "profile": 0}
