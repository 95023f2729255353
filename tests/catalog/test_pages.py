"""Catalogue pages: list, search and filters, detail with loads and quotations, forms, and who
may do what."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tradewind.catalog import services
from tradewind.catalog.models import HsCode, Product


def test_every_user_sees_the_list_and_search_finds_model_name_supplier_and_hs(
    client_of, rep, make_product, hs_code
):
    make_product(hs_code=hs_code)
    make_product(model="HW-CER-16", name_en="Stoneware set", name_zh="炻瓷餐具", supplier="Dehua")
    client = client_of(rep)
    url = reverse("catalog:product-list")
    assert client.get(url).status_code == 200
    for term, expected in [
        ("p6060", ["LED-P6060-40W"]),
        ("stoneware", ["HW-CER-16"]),
        ("炻瓷", ["HW-CER-16"]),
        ("dehua", ["HW-CER-16"]),
        ("9405", ["LED-P6060-40W"]),
    ]:
        page = client.get(url, {"q": term}, headers={"HX-Request": "true"}).context["page"]
        assert [p.model for p in page.items] == expected, term


def test_filters_status_packing_and_pager(client_of, manager, make_product):
    for number in range(23):
        make_product(model=f"M-{number:02}")
    bare = make_product(model="Z-BARE", carton_length_cm=None, carton_width_cm=None,
                        carton_height_cm=None, carton_net_weight_kg=None,
                        carton_gross_weight_kg=None)  # fmt: skip
    services.product_deactivate(actor=manager, product_id=bare.pk)
    client = client_of(manager)
    url = reverse("catalog:product-list")
    first = client.get(url).context["page"]
    assert len(first.items) == 20 and first.has_next
    second = client.get(url, {"page": 2}).context["page"]
    assert [p.model for p in second.items] == ["M-20", "M-21", "M-22"]
    assert client.get(url, {"status": "inactive"}).context["page"].items == [bare]
    missing = client.get(url, {"status": "all", "packing": "missing"}).context["page"]
    assert missing.items == [bare]


def test_the_list_runs_a_fixed_number_of_queries(client_of, rep, make_product, hs_code,
                                                 django_assert_max_num_queries):  # fmt: skip
    for number in range(15):
        make_product(model=f"M-{number:02}", hs_code=hs_code)
    client = client_of(rep)
    client.get(reverse("catalog:product-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("catalog:product-list"))


def test_the_detail_page_shows_packing_loads_and_history(client_of, rep, product):
    response = client_of(rep).get(reverse("catalog:product-detail", args=[product.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "0.1200 m³" in page
    assert [row.cartons for row in response.context["loads"]] == [180, 400, 500]
    assert response.context["history"][0].event.action == "create"


def test_the_product_page_lists_only_quotations_the_user_may_see(client_of, rep, other_rep,
                                                                 product):  # fmt: skip
    from tradewind.quotes.models import Quotation, QuotationLine, QuotationRevision

    def quote(owner, number, name):
        company = CompanyFactory(owner=owner, name=name)
        quotation = Quotation.objects.create(number=number, company=company, owner=owner)
        revision = QuotationRevision.objects.create(
            quotation=quotation, letter="A", named_place="Ningbo", payment_terms="T/T",
            valid_until=timezone.localdate(), margin_percent=10, fx_rmb_per_unit="7.1",
        )  # fmt: skip
        QuotationLine.objects.create(
            revision=revision, product=product, description="Panel", quantity=100,
            unit_cost_rmb="113",
        )  # fmt: skip

    quote(rep, "QT-2026-0001", "Mine Lighting GmbH")
    quote(other_rep, "QT-2026-0002", "Geheim Licht GmbH")
    page = client_of(rep).get(reverse("catalog:product-detail", args=[product.pk]))
    body = page.content.decode()
    assert "QT-2026-0001" in body and "Mine Lighting" in body
    assert "QT-2026-0002" not in body and "Geheim" not in body


def test_the_form_keeps_what_was_typed_and_shows_the_error(client_of, rep, hs_code):
    client = client_of(rep)
    data = {
        "model": "LED-NEW", "name_en": "New lamp", "cost_basis": "purchase_incl_vat",
        "unit_cost_rmb": "12.5", "unit": "pc", "carton_length_cm": "60", "carton_width_cm": "40",
        "carton_gross_weight_kg": "10", "supplier": "Typed Supplier Ltd",
    }  # fmt: skip
    response = client.post(reverse("catalog:product-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Give all three carton sides" in body
    assert "Typed Supplier Ltd" in body
    assert not Product.objects.exists()
    data["carton_height_cm"] = "50"
    response = client.post(reverse("catalog:product-create"), data)
    product = Product.objects.get()
    assert response.status_code == 302 and product.created_by == rep
    data["unit_cost_rmb"] = "11"
    client.post(reverse("catalog:product-edit", args=[product.pk]), data)
    product.refresh_from_db()
    assert product.unit_cost_rmb == Decimal(11)


def test_reps_cannot_deactivate_but_managers_can(client_of, rep, manager, product):
    url = reverse("catalog:product-set-active", args=[product.pk])
    client_of(rep).post(url)
    product.refresh_from_db()
    assert product.is_active
    client_of(manager).post(url)
    product.refresh_from_db()
    assert not product.is_active
    client_of(manager).post(url, {"active": "1"})
    product.refresh_from_db()
    assert product.is_active


def test_hs_codes_are_read_by_all_and_edited_by_managers(client_of, rep, manager, hs_code):
    list_url = reverse("catalog:hs-code-list")
    edit_url = reverse("catalog:hs-code-edit", args=[hs_code.code])
    rep_client = client_of(rep)
    assert "9405110000" in rep_client.get(list_url).content.decode()
    assert rep_client.get(edit_url).status_code == 403
    assert rep_client.post(list_url, {"code": "8539520000"}).status_code == 403
    manager_client = client_of(manager)
    response = manager_client.post(
        list_url,
        {"code": "8539.52.0000", "vat_percent": "13", "rebate_percent": "13",
         "description_zh": "LED灯泡"},
    )  # fmt: skip
    assert response.status_code == 302
    assert HsCode.objects.filter(pk="8539520000").exists()
    response = manager_client.post(
        edit_url, {"vat_percent": "13", "rebate_percent": "15", "description_zh": "x"}
    )
    assert "cannot be higher than the VAT rate" in response.content.decode()
    manager_client.post(edit_url, {"vat_percent": "13", "rebate_percent": "13"})
    hs_code.refresh_from_db()
    assert hs_code.rebate_percent == 13
    assert manager_client.get(reverse("catalog:hs-code-edit", args=["1"])).status_code == 404


@pytest.mark.parametrize("name", ["catalog:product-list", "catalog:hs-code-list",
                                  "catalog:product-import", "catalog:product-create"])  # fmt: skip
def test_pages_render_in_chinese(client_of, rep, name):
    rep.language = "zh-hans"
    rep.save()
    response = client_of(rep).get(reverse(name))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_signed_out_visitors_are_sent_to_log_in(client, product):
    for url in (reverse("catalog:product-list"), reverse("catalog:product-detail", args=[1])):
        assert client.get(url).status_code == 302
