"""API operations on the product catalogue: one schema per operation, the same services as the
pages. Products belong to no customer, so every token holder reads them all; deactivating one
(``is_active: false``) is for managers and admins."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from tradewind.catalog import selectors, services
from tradewind.catalog.models import CostBasis
from tradewind.catalog.packing import Packing, carton_cbm, container_loads, display_cbm

router = Router(tags=["products"])


class ContainerLoadOut(Schema):
    container: str = Field(description="20GP, 40GP or 40HQ")
    cartons: int
    pieces: int | None
    limited_by: str = Field(description='"volume", "weight" or "size" (does not fit)')


class PhotoOut(Schema):
    id: int
    caption: str
    position: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("catalog:photo-file", args=[obj.pk])


class ProductOut(Schema):
    id: int
    model: str
    name_en: str
    name_zh: str
    specification: str
    material: str
    hs_code: str | None = Field(None, alias="hs_code_id")
    vat_percent: Decimal | None = None
    rebate_percent: Decimal | None = None
    unit: str
    cost_basis: str
    unit_cost_rmb: Decimal
    supplier: str
    moq: int | None
    lead_time_days: int | None
    pcs_per_carton: int | None
    carton_length_cm: Decimal | None
    carton_width_cm: Decimal | None
    carton_height_cm: Decimal | None
    carton_net_weight_kg: Decimal | None
    carton_gross_weight_kg: Decimal | None
    carton_cbm: Decimal | None = None
    container_loads: list[ContainerLoadOut] = []
    packing_notes: str
    notes: str
    is_active: bool
    photos: list[PhotoOut] = []
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_vat_percent(obj):
        return obj.hs_code.vat_percent if obj.hs_code_id else None

    @staticmethod
    def resolve_rebate_percent(obj):
        return obj.hs_code.rebate_percent if obj.hs_code_id else None

    @staticmethod
    def resolve_carton_cbm(obj):
        return display_cbm(carton_cbm(Packing.of(obj)))

    @staticmethod
    def resolve_container_loads(obj):
        return [
            {
                "container": row.container,
                "cartons": row.cartons,
                "pieces": row.pieces,
                "limited_by": row.limited_by,
            }
            for row in container_loads(Packing.of(obj))
        ]

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())


class ProductPage(Schema):
    items: list[ProductOut]
    page: int
    size: int
    has_next: bool


class ProductListQuery(Schema):
    q: str = Field("", description="Model, English or Chinese name, supplier or HS code.")
    supplier: str = ""
    hs_code: str = Field("", description="An HS code or its first digits.")
    status: str = Field("active", pattern="^(active|inactive|all)$")
    packing: str = Field("", pattern="^(|complete|missing)$")
    sort: str = Field("model", pattern="^(model|name|newest|updated|cost|-cost|supplier)$")
    page: int = Field(1, ge=1, le=100000)
    size: int = Field(20, description="20, 50 or 100")


class ProductIn(Schema):
    model: str = Field(..., min_length=1, max_length=60)
    name_en: str = Field(..., min_length=1, max_length=200)
    name_zh: str = ""
    specification: str = ""
    material: str = ""
    hs_code: str | None = Field(None, description="A 10-digit code from the HS code list.")
    unit: str = "pc"
    cost_basis: CostBasis = CostBasis.PURCHASE_INCL_VAT
    unit_cost_rmb: Decimal = Field(..., ge=0, description="Purchase price or factory cost, RMB.")
    supplier: str = ""
    moq: int | None = Field(None, ge=1)
    lead_time_days: int | None = Field(None, ge=0)
    pcs_per_carton: int | None = Field(None, ge=1)
    carton_length_cm: Decimal | None = None
    carton_width_cm: Decimal | None = None
    carton_height_cm: Decimal | None = None
    carton_net_weight_kg: Decimal | None = None
    carton_gross_weight_kg: Decimal | None = None
    packing_notes: str = ""
    notes: str = ""


class ProductPatch(Schema):
    model: str | None = Field(None, min_length=1, max_length=60)
    name_en: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = None
    specification: str | None = None
    material: str | None = None
    hs_code: str | None = None
    unit: str | None = None
    cost_basis: CostBasis | None = None
    unit_cost_rmb: Decimal | None = Field(None, ge=0)
    supplier: str | None = None
    moq: int | None = Field(None, ge=1)
    lead_time_days: int | None = Field(None, ge=0)
    pcs_per_carton: int | None = Field(None, ge=1)
    carton_length_cm: Decimal | None = None
    carton_width_cm: Decimal | None = None
    carton_height_cm: Decimal | None = None
    carton_net_weight_kg: Decimal | None = None
    carton_gross_weight_kg: Decimal | None = None
    packing_notes: str | None = None
    notes: str | None = None
    is_active: bool | None = Field(None, description="false deactivates (managers and admins).")


@router.get("/products", response=ProductPage, summary="List products")
def list_products(request, query: Query[ProductListQuery]):
    data = query.dict()
    page_number, size = data.pop("page"), data.pop("size")
    page = selectors.product_list(selectors.ProductFilters(**data), page=page_number, size=size)
    return {"items": page.items, "page": page.number, "size": page.size, "has_next": page.has_next}


@router.get("/products/{product_id}", response=ProductOut, summary="One product")
def get_product(request, product_id: int):
    return selectors.product_get(product_id)


@router.post("/products", response={201: ProductOut}, summary="Add a product")
def create_product(request, payload: ProductIn):
    product = services.product_create(actor=request.user, **payload.dict())
    return Status(201, selectors.product_get(product.pk))


@router.patch("/products/{product_id}", response=ProductOut, summary="Change a product")
def update_product(request, product_id: int, payload: ProductPatch):
    data = payload.dict(exclude_unset=True)
    active = data.pop("is_active", None)
    for name in ("model", "name_en", "unit_cost_rmb", "cost_basis", "unit"):
        if name in data and data[name] is None:
            data.pop(name)
    with transaction.atomic():
        if data:
            services.product_update(actor=request.user, product_id=product_id, **data)
        if active is not None:
            services.product_set_active(actor=request.user, product_id=product_id, active=active)
    return selectors.product_get(product_id)
