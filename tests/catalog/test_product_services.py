"""Product services: rules, audit events and who may do what."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tradewind.catalog import services
from tradewind.catalog.models import Product
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent


def _events(product, action=None):
    events = AuditEvent.objects.filter(object_type="catalog.product", object_id=product.pk)
    return events.filter(action=action) if action else events


def test_a_rep_adds_a_product_and_it_is_audited(rep, make_product, hs_code):
    product = make_product(actor=rep, hs_code="9405.11.0000", model="  LED-P6060  40W ")
    assert product.model == "LED-P6060 40W"
    assert product.hs_code == hs_code
    assert product.created_by == rep
    event = _events(product, "create").get()
    assert event.actor == rep
    assert event.changes["unit_cost_rmb"] == "113.0000"
    assert event.changes["hs_code"].startswith("9405110000")


def test_update_audits_only_what_changed(rep, product):
    services.product_update(
        actor=rep, product_id=product.pk, unit_cost_rmb=Decimal("109.5"), supplier="New Factory"
    )
    event = _events(product, "update").get()
    assert event.changes == {
        "unit_cost_rmb": ["113.0000", "109.5000"],
        "supplier": ["Zhongshan Lumen Lighting", "New Factory"],
    }
    services.product_update(actor=rep, product_id=product.pk, supplier="New Factory")
    assert _events(product, "update").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"model": "   "}, "model", "model or item number"),
        ({"model": "=HYPERLINK(1)"}, "model", "formula"),
        ({"model": "@SUM"}, "model", "formula"),
        ({"name_en": ""}, "name_en", "English name"),
        ({"name_zh": "面板\x00灯"}, "name_zh", "control character"),
        ({"unit_cost_rmb": None}, "unit_cost_rmb", "purchase price"),
        ({"unit_cost_rmb": Decimal("-1")}, "unit_cost_rmb", "negative"),
        ({"unit_cost_rmb": "abc"}, "unit_cost_rmb", "must be a number"),
        ({"unit_cost_rmb": "NaN"}, "unit_cost_rmb", "must be a number"),
        ({"carton_height_cm": None}, "carton_height_cm", "all three carton sides"),
        ({"carton_length_cm": Decimal(0)}, "carton_length_cm", "more than 0"),
        ({"carton_length_cm": Decimal(1600)}, "carton_length_cm", "at most 1500"),
        ({"carton_net_weight_kg": Decimal(30)}, "carton_net_weight_kg", "cannot be more"),
        ({"carton_gross_weight_kg": None}, "carton_gross_weight_kg", "gross weight"),
        ({"pcs_per_carton": 0}, "pcs_per_carton", "at least 1"),
        ({"moq": "12.5"}, "moq", "whole number"),
        ({"hs_code": "1234567890"}, "hs_code", "not in the HS code list"),
        ({"cost_basis": "cheap"}, "cost_basis", "how the cost is given"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(make_product, overrides, field, words):
    with pytest.raises(DomainError) as caught:
        make_product(**overrides)
    assert caught.value.field == field
    assert words in caught.value.message
    assert not Product.objects.exists()


def test_values_too_long_are_refused_by_the_models_own_checks(make_product):
    with pytest.raises(ValidationError) as caught:
        make_product(model="X" * 61)
    assert "model" in caught.value.message_dict


def test_model_numbers_are_unique_ignoring_case(make_product):
    make_product()
    with pytest.raises(DomainError) as caught:
        make_product(model="led-p6060-40w")
    assert caught.value.code == "duplicate_model"
    assert "already exists" in caught.value.message
    assert Product.objects.count() == 1


def test_renaming_onto_another_model_is_refused(rep, make_product):
    make_product()
    other = make_product(model="LED-DL-12W")
    with pytest.raises(DomainError):
        services.product_update(actor=rep, product_id=other.pk, model="LED-P6060-40W")


def test_unknown_fields_and_missing_products_are_refused(rep, product):
    with pytest.raises(DomainError):
        services.product_update(actor=rep, product_id=product.pk, is_active=False)
    with pytest.raises(NotFound):
        services.product_update(actor=rep, product_id=product.pk + 99, supplier="x")


def test_only_managers_and_admins_deactivate(rep, manager, admin_user, product):
    with pytest.raises(PermissionDenied):
        services.product_deactivate(actor=rep, product_id=product.pk)
    services.product_deactivate(actor=manager, product_id=product.pk)
    product.refresh_from_db()
    assert not product.is_active
    assert _events(product, "update").get().changes == {"is_active": [True, False]}
    services.product_reactivate(actor=admin_user, product_id=product.pk)
    product.refresh_from_db()
    assert product.is_active


def test_an_inactive_user_cannot_write(rep, make_product):
    rep.is_active = False
    with pytest.raises(PermissionDenied):
        make_product(actor=rep)


# --- HS codes -------------------------------------------------------------------------------


def test_managers_add_hs_codes_with_dots_and_spaces(manager):
    hs = services.hs_code_create(
        actor=manager, code="8539.52 0000", vat_percent="13", rebate_percent="13"
    )
    assert hs.code == "8539520000"
    event = AuditEvent.objects.get(object_type="catalog.hscode", action="create")
    assert event.actor == manager


def test_reps_cannot_add_or_change_hs_codes(rep, hs_code):
    with pytest.raises(PermissionDenied):
        services.hs_code_create(actor=rep, code="8539520000")
    with pytest.raises(PermissionDenied):
        services.hs_code_update(actor=rep, code=hs_code.code, rebate_percent=Decimal(13))


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"code": "94051100"}, "code", "10-digit"),
        ({"code": "94051100AB"}, "code", "10-digit"),
        ({"code": "9405110000"}, "code", "already in the list"),
        ({"code": "9405120000", "vat_percent": "13", "rebate_percent": "16"}, "rebate_percent",
         "cannot be higher"),
        ({"code": "9405120000", "vat_percent": "130"}, "vat_percent", "between 0 and 100"),
        ({"code": "9405120000", "vat_percent": "x"}, "vat_percent", "in percent"),
    ],
)  # fmt: skip
def test_bad_hs_codes_are_refused(manager, hs_code, fields, field, words):
    with pytest.raises(DomainError) as caught:
        services.hs_code_create(actor=manager, **fields)
    assert caught.value.field == field
    assert words in caught.value.message


def test_hs_code_update_audits_the_rate_change(manager, hs_code):
    services.hs_code_update(actor=manager, code=hs_code.code, rebate_percent=Decimal(13))
    hs_code.refresh_from_db()
    assert hs_code.rebate_percent == 13
    event = AuditEvent.objects.get(object_type="catalog.hscode", action="update")
    assert event.changes == {"rebate_percent": ["9.00", "13.00"]}
