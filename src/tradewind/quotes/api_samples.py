"""API operations on samples: the same services and visibility rule as the pages.

Request bodies are parsed loosely (optional fields) and checked by the services, so another
rep's sample is a 404 whatever the body holds, and a missing field gets the same actionable
message as on the page."""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tradewind.core.errors import DomainError
from tradewind.quotes import couriers, samples
from tradewind.quotes import sample_selectors as selectors
from tradewind.quotes.choices import Courier, CourierPayer, SampleCharge, SampleStatus

router = Router(tags=["samples"])


CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


class SampleItemOut(Schema):
    id: int
    product_id: int | None
    description: str
    quantity: int
    charge: str
    unit_price: Decimal | None
    currency: str

    @staticmethod
    def resolve_unit_price(obj) -> Decimal | None:
        return _cents(obj.unit_price)


class SampleOut(Schema):
    id: int
    number: str
    company_id: int
    company: str = Field(alias="company.name")
    contact_id: int | None
    inquiry_id: int | None
    quotation_id: int | None
    requested_by_id: int
    status: SampleStatus
    courier: str
    awb_number: str
    tracking_url: str | None
    courier_payer: str
    collect_account: str
    sample_cost_rmb: Decimal
    courier_cost_rmb: Decimal
    shipped_at: datetime | None
    delivered_at: datetime | None
    feedback_after_days: int
    feedback_task_id: int | None
    feedback_at: datetime | None
    quality_rating: int | None
    appearance_rating: int | None
    packaging_rating: int | None
    price_acceptable: bool | None
    changes_requested: str
    feedback_notes: str
    decided_at: datetime | None
    decision_reason: str
    notes: str
    items: list[SampleItemOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_sample_cost_rmb(obj) -> Decimal:
        return _cents(obj.sample_cost_rmb)

    @staticmethod
    def resolve_courier_cost_rmb(obj) -> Decimal:
        return _cents(obj.courier_cost_rmb)

    @staticmethod
    def resolve_tracking_url(obj) -> str | None:
        return couriers.tracking_url(obj.courier, obj.awb_number)

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class SamplePage(Schema):
    items: list[SampleOut]
    page: int
    size: int
    has_next: bool


class SampleListQuery(Schema):
    scope: str = Field("mine", pattern="^(mine|team)$", description='"mine" or "team".')
    status: SampleStatus | None = None
    courier: Courier | None = None
    awaiting_feedback: bool = False
    q: str = Field("", max_length=100, description="Number, AWB or customer name.")
    page: int = Field(1, ge=1, le=100000)
    size: int = Field(20, description="20, 50 or 100")


class SampleItemIn(Schema):
    product_id: int | None = None
    description: str = Field("", max_length=300)
    quantity: int | None = None
    charge: SampleCharge = SampleCharge.FREE
    unit_price: Decimal | None = None
    currency: str = Field("USD", max_length=3)


class SampleIn(Schema):
    company_id: int | None = None
    contact_id: int | None = None
    inquiry_id: int | None = None
    quotation_id: int | None = None
    items: list[SampleItemIn] = Field([], max_length=50)
    courier_payer: CourierPayer = CourierPayer.US
    collect_account: str = Field("", max_length=60)
    feedback_after_days: int = 5
    sample_cost_rmb: Decimal = Decimal(0)
    courier_cost_rmb: Decimal = Decimal(0)
    notes: str = Field("", max_length=5000)


class ShipIn(Schema):
    courier: str = Field("", description="dhl, fedex, ups, tnt, sf, ems or other")
    awb_number: str = Field("", max_length=60)
    shipped_at: datetime | None = Field(None, description="Omit for now.")
    courier_cost_rmb: Decimal | None = None


class DeliverIn(Schema):
    delivered_at: datetime | None = Field(None, description="Omit for now.")


class FeedbackIn(Schema):
    quality_rating: int | None = Field(None, description="1–5, required")
    appearance_rating: int | None = None
    packaging_rating: int | None = None
    price_acceptable: bool | None = None
    changes_requested: str = Field("", max_length=5000)
    feedback_notes: str = Field("", max_length=5000)
    feedback_at: datetime | None = None


class DecideIn(Schema):
    decision: str = Field("", description='"approved" or "rejected"')
    reason: str = Field("", max_length=300, description="Required when rejected.")


def _out(user, sample_id: int):
    return selectors.sample_get(user, sample_id)


@router.get("/samples", response=SamplePage, summary="List samples (mine, or all I can see)")
def list_samples(request, query: Query[SampleListQuery]):
    filters = selectors.SampleFilters(
        scope=query.scope,
        status=query.status or "",
        courier=query.courier or "",
        awaiting_feedback=query.awaiting_feedback,
        q=query.q,
    )
    page = selectors.sample_list(request.user, filters, page=query.page, size=query.size)
    return {"items": page.items, "page": page.number, "size": page.size, "has_next": page.has_next}


@router.post(
    "/samples",
    response={201: SampleOut},
    summary="Request a sample",
    description="For a customer you can see, optionally for one of its inquiries or "
    "quotations. At least one item; a charged item needs its unit price; the buyer's collect "
    "account is required when the buyer pays the courier.",
)
def create_sample(request, payload: SampleIn):
    data = payload.dict()
    items = data.pop("items")
    if data["company_id"] is None:
        raise DomainError(_("Say which customer the sample is for."), field="company_id")
    sample = samples.sample_create(
        actor=request.user,
        company_id=data.pop("company_id"),
        contact=data.pop("contact_id"),
        inquiry=data.pop("inquiry_id"),
        quotation=data.pop("quotation_id"),
        items=items,
        **data,
    )
    return Status(201, _out(request.user, sample.pk))


@router.get("/samples/{sample_id}", response=SampleOut, summary="One sample")
def get_sample(request, sample_id: int):
    return _out(request.user, sample_id)


@router.post(
    "/samples/{sample_id}/ship",
    response=SampleOut,
    summary="Ship a sample",
    description="The AWB number is checked against the courier's format (and check digit for "
    "UPS and EMS); the customer moves to the sample stage when earlier.",
)
def ship_sample(request, sample_id: int, payload: ShipIn):
    samples.sample_ship(actor=request.user, sample_id=sample_id, **payload.dict())
    return _out(request.user, sample_id)


@router.post(
    "/samples/{sample_id}/deliver",
    response=SampleOut,
    summary="Mark a sample delivered",
    description="Creates the follow-up to ask for feedback, due the sample's "
    "feedback_after_days working days later.",
)
def deliver_sample(request, sample_id: int, payload: DeliverIn):
    samples.sample_deliver(actor=request.user, sample_id=sample_id, **payload.dict())
    return _out(request.user, sample_id)


@router.post(
    "/samples/{sample_id}/feedback",
    response=SampleOut,
    summary="Record the buyer's feedback",
    description="Completes the feedback follow-up.",
)
def record_feedback(request, sample_id: int, payload: FeedbackIn):
    samples.sample_record_feedback(actor=request.user, sample_id=sample_id, **payload.dict())
    return _out(request.user, sample_id)


@router.post(
    "/samples/{sample_id}/decide",
    response=SampleOut,
    summary="Approved or rejected",
    description="After the feedback; a rejection needs its reason.",
)
def decide_sample(request, sample_id: int, payload: DecideIn):
    samples.sample_decide(actor=request.user, sample_id=sample_id, **payload.dict())
    return _out(request.user, sample_id)
