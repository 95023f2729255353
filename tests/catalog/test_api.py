"""The products API: list, one, create and change, with the same rules as the pages."""

import pytest

from tradewind.accounts.services import token_create
from tradewind.catalog.packing import product_container_loads


@pytest.fixture
def api_as(client):
    def call(user):
        headers = {"Authorization": f"Bearer {token_create(actor=user, user=user)}"}

        def request(method, path, data=None, **query):
            kwargs = {"headers": headers}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            elif query:
                kwargs["data"] = query
            return getattr(client, method)(path, **kwargs)

        return request

    return call


def test_list_and_get_with_packing_figures(api_as, rep, product):
    api = api_as(rep)
    body = api("get", "/api/products", q="p6060").json()
    assert [item["model"] for item in body["items"]] == ["LED-P6060-40W"]
    one = api("get", f"/api/products/{product.pk}").json()
    assert one["hs_code"] == "9405110000" and one["rebate_percent"] == "9.00"
    assert one["carton_cbm"] == "0.1200"
    expected = [row.cartons for row in product_container_loads(product)]
    assert [row["cartons"] for row in one["container_loads"]] == expected
    assert api("get", f"/api/products/{product.pk + 9}").status_code == 404


def test_create_validates_and_reports_the_field(api_as, rep, hs_code):
    api = api_as(rep)
    payload = {"model": "LED-API-1", "name_en": "API lamp", "unit_cost_rmb": "12.5",
               "hs_code": "9405110000"}  # fmt: skip
    response = api("post", "/api/products", payload)
    assert response.status_code == 201, response.content
    assert response.json()["model"] == "LED-API-1"
    again = api("post", "/api/products", payload)
    assert again.status_code == 422 and again.json()["field"] == "model"
    bad = api("post", "/api/products", payload | {"model": "X", "carton_length_cm": "60"})
    assert bad.status_code == 422 and "three carton sides" in bad.json()["detail"]


def test_patch_changes_fields_and_only_managers_deactivate(api_as, rep, manager, product):
    response = api_as(rep)("patch", f"/api/products/{product.pk}", {"supplier": "New"})
    assert response.status_code == 200 and response.json()["supplier"] == "New"
    refused = api_as(rep)("patch", f"/api/products/{product.pk}", {"is_active": False})
    assert refused.status_code == 403
    done = api_as(manager)("patch", f"/api/products/{product.pk}", {"is_active": False})
    assert done.status_code == 200 and done.json()["is_active"] is False
    listed = api_as(rep)("get", "/api/products", status="inactive").json()
    assert [item["id"] for item in listed["items"]] == [product.pk]
