"""Reads of the catalogue. Products and HS codes belong to no customer, so every signed-in user
sees all of them; what a product was quoted on goes through the visibility rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from tradewind.catalog.models import HsCode, Product, ProductPhoto
from tradewind.catalog.services import normalise_hs_code
from tradewind.core.audit_display import AuditRow, describe
from tradewind.core.models import AuditEvent
from tradewind.customers.selectors import Page

SORTS = {
    "model": ("model", "id"),
    "name": ("name_en", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
    "cost": ("unit_cost_rmb", "model"),
    "-cost": ("-unit_cost_rmb", "model"),
    "supplier": ("supplier", "model"),
}
PAGE_SIZES = (20, 50, 100)
STATUSES = ("active", "inactive", "all")


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""  # model, English or Chinese name, supplier, HS code
    supplier: str = ""
    hs_code: str = ""
    status: str = "active"  # active, inactive or all
    packing: str = ""  # "", "complete" or "missing"
    sort: str = "model"


def _packing_complete_q() -> Q:
    return Q(
        pcs_per_carton__gt=0,
        carton_length_cm__gt=0,
        carton_width_cm__gt=0,
        carton_height_cm__gt=0,
        carton_gross_weight_kg__gt=0,
    )


def product_queryset(filters: ProductFilters) -> QuerySet[Product]:
    qs = Product.objects.all()
    if filters.q:
        term = filters.q.strip()
        match = (
            Q(model__icontains=term)
            | Q(name_en__icontains=term)
            | Q(name_zh__icontains=term)
            | Q(supplier__icontains=term)
        )
        digits = normalise_hs_code(term)
        if digits.isdigit() and len(digits) >= 4:
            match |= Q(hs_code__code__startswith=digits)
        qs = qs.filter(match)
    if filters.supplier:
        qs = qs.filter(supplier__icontains=filters.supplier.strip())
    if filters.hs_code:
        qs = qs.filter(hs_code__code__startswith=normalise_hs_code(filters.hs_code))
    if filters.status == "active":
        qs = qs.filter(is_active=True)
    elif filters.status == "inactive":
        qs = qs.filter(is_active=False)
    if filters.packing == "complete":
        qs = qs.filter(_packing_complete_q())
    elif filters.packing == "missing":
        qs = qs.exclude(_packing_complete_q())
    return qs.order_by(*SORTS.get(filters.sort, SORTS["model"]))


def _first_photo() -> Prefetch:
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"))


def product_list(filters: ProductFilters, *, page: int = 1, size: int = 20) -> Page:
    """One page of products with their HS codes and photos, in a fixed number of queries."""
    page = max(1, page)
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    offset = (page - 1) * size
    rows = list(
        product_queryset(filters)
        .select_related("hs_code")
        .prefetch_related(_first_photo())[offset : offset + size + 1]
    )
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def product_get(product_id: int) -> Product:
    product = (
        Product.objects.select_related("hs_code", "created_by")
        .prefetch_related(_first_photo())
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise Http404
    return product


def product_history(product: Product, *, limit: int = 50) -> list[AuditRow]:
    events = AuditEvent.objects.filter(
        object_type=Product._meta.label_lower, object_id=product.pk
    ).select_related("actor")[:limit]
    return [describe(event) for event in events]


def product_quotation_lines(user, product: Product, *, limit: int = 10) -> list:
    """The latest quotation lines of this product that ``user`` may see (the visibility rule)."""
    from tradewind.quotes.models import QuotationLine

    return list(
        QuotationLine.objects.visible_to(user)
        .filter(product=product)
        .select_related("revision__quotation__company")
        .order_by("-revision__created_at", "-id")[:limit]
    )


def supplier_names(limit: int = 200) -> list[str]:
    """Suppliers already used, for the form's suggestions."""
    return list(
        Product.objects.exclude(supplier="")
        .order_by("supplier")
        .values_list("supplier", flat=True)
        .distinct()[:limit]
    )


def hs_code_list(q: str = "") -> list[HsCode]:
    qs = HsCode.objects.annotate(product_count=Count("products"))
    if q.strip():
        term = q.strip()
        digits = normalise_hs_code(term)
        match = Q(description_zh__icontains=term) | Q(description_en__icontains=term)
        if digits.isdigit():
            match |= Q(code__startswith=digits)
        qs = qs.filter(match)
    return list(qs.order_by("code")[:500])


def hs_code_get(code: str) -> HsCode:
    hs = HsCode.objects.filter(pk=normalise_hs_code(code)).first()
    if hs is None:
        raise Http404
    return hs


def hs_code_history(hs: HsCode, *, limit: int = 30) -> list[AuditRow]:
    try:
        object_id = int(hs.pk)
    except (TypeError, ValueError):
        return []
    events = AuditEvent.objects.filter(
        object_type=HsCode._meta.label_lower, object_id=object_id
    ).select_related("actor")[:limit]
    return [describe(event) for event in events]
