"""API operations on inquiries: one schema per operation, the same services and the same
visibility rule as the pages (another rep's inquiry is a 404)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from ninja import Field, Query, Router, Schema, Status

from tradewind.accounts.models import User
from tradewind.catalog.models import Product
from tradewind.core.errors import DomainError
from tradewind.customers.models import Contact
from tradewind.quotes import inquiries
from tradewind.quotes import inquiry_selectors as selectors
from tradewind.quotes.checklist import checklist
from tradewind.quotes.choices import ChecklistItem, IncotermChoice, InquirySource, InquiryStatus

router = Router(tags=["inquiries"])


class ChecklistRowOut(Schema):
    item: str
    label: str
    state: str = Field(description='"filled", "waived" or "missing"')
    value: str
    waiver_reason: str


class LineOut(Schema):
    id: int
    position: int
    product_id: int | None
    description: str
    specification: str
    material: str
    quantity: int | None
    unit: str
    target_price: Decimal | None


class InquirySummaryOut(Schema):
    id: int
    company_id: int
    company: str = Field(alias="company.name")
    contact_id: int | None
    assignee_id: int
    subject: str
    source: str
    status: str
    received_at: datetime
    first_response_due_at: datetime
    first_responded_at: datetime | None


class InquiryOut(InquirySummaryOut):
    message: str
    closed_reason: str
    packing: str
    lead_time: str
    destination_port: str
    incoterm: str
    named_place: str
    payment_terms: str
    certificates: str
    currency: str
    waivers: dict[str, str]
    inbound_message_id: int | None
    lines: list[LineOut]
    checklist: list[ChecklistRowOut]
    ready_to_quote: bool

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_checklist(obj) -> list:
        return checklist(obj)

    @staticmethod
    def resolve_ready_to_quote(obj) -> bool:
        return not any(row.is_missing for row in checklist(obj))


class InquiryPage(Schema):
    items: list[InquirySummaryOut]
    page: int
    size: int
    has_next: bool


class InquiryListQuery(Schema):
    scope: str = Field("mine", pattern="^(mine|team)$", description="team: managers only")
    status: InquiryStatus | None = None
    overdue: bool = False
    q: str = Field("", max_length=200)
    page: int = Field(1, ge=1, le=100000)


class LineIn(Schema):
    product_id: int | None = None
    description: str = Field("", max_length=300)
    specification: str = Field("", max_length=5000)
    material: str = Field("", max_length=200)
    quantity: int | None = Field(None, ge=1)
    unit: str = Field("", max_length=12)
    target_price: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=4)


class InquiryIn(Schema):
    company_id: int
    contact_id: int | None = None
    assignee_id: int | None = Field(None, description="Omit for the customer's owner.")
    subject: str = Field(..., min_length=1, max_length=300)
    message: str = Field("", max_length=20000)
    source: InquirySource = InquirySource.EMAIL
    received_at: datetime | None = Field(None, description="Omit for now.")
    packing: str = Field("", max_length=300)
    lead_time: str = Field("", max_length=120)
    destination_port: str = Field("", max_length=120)
    incoterm: str = Field("", max_length=3, description=", ".join(IncotermChoice.values))
    named_place: str = Field("", max_length=120)
    payment_terms: str = Field("", max_length=200)
    certificates: str = Field("", max_length=300)
    currency: str = Field("USD", min_length=3, max_length=3)
    lines: list[LineIn] = Field([], max_length=inquiries.MAX_LINES)


class InquiryPatch(Schema):
    contact_id: int | None = None
    assignee_id: int | None = None
    subject: str | None = Field(None, min_length=1, max_length=300)
    message: str | None = Field(None, max_length=20000)
    source: InquirySource | None = None
    received_at: datetime | None = None
    packing: str | None = Field(None, max_length=300)
    lead_time: str | None = Field(None, max_length=120)
    destination_port: str | None = Field(None, max_length=120)
    incoterm: str | None = Field(None, max_length=3)
    named_place: str | None = Field(None, max_length=120)
    payment_terms: str | None = Field(None, max_length=200)
    certificates: str | None = Field(None, max_length=300)
    currency: str | None = Field(None, min_length=3, max_length=3)
    status: str | None = Field(
        None, description='"lost" or "closed" (with closed_reason) to close; "open" to reopen.'
    )
    closed_reason: str | None = Field(None, max_length=1000)
    first_responded_at: datetime | None = Field(
        None, description="Record the first reply (the earliest one recorded wins)."
    )


class WaiverIn(Schema):
    item: str = Field("", description=f"One of: {', '.join(ChecklistItem.values)}")
    reason: str = Field("", description="Why the quotation can go without it (≤ 300 chars).")
    waived: bool = Field(True, description="false takes an earlier waiver back.")


def _user(user_id, field: str):
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise DomainError(f"No active user with id {user_id}.", field=field)
    return user


def _contact(company_id: int, contact_id):
    if contact_id is None:
        return None
    contact = Contact.objects.filter(pk=contact_id, company_id=company_id).first()
    if contact is None:
        raise DomainError("That contact does not work for this customer.", field="contact_id")
    return contact


def _line_data(line: LineIn) -> dict:
    data = line.dict()
    product_id = data.pop("product_id")
    data["product"] = None
    if product_id is not None:
        data["product"] = Product.objects.filter(pk=product_id).first()
        if data["product"] is None:
            raise DomainError(f"No product with id {product_id}.", field="product_id")
    return data


@router.get("/inquiries", response=InquiryPage, summary="List inquiries (mine, or my team's)")
def list_inquiries(request, query: Query[InquiryListQuery]):
    filters = selectors.InquiryFilters(
        scope=query.scope, status=query.status or "", overdue=query.overdue, q=query.q
    )
    page = selectors.inquiry_list(request.user, filters, page=query.page)
    return {"items": page.items, "page": page.number, "size": page.size, "has_next": page.has_next}


@router.post(
    "/inquiries",
    response={201: InquiryOut},
    summary="Record an inquiry",
    description="For a customer you can see. The first reply is due within the workspace's "
    "working hours; a lead or contacted customer moves to the inquiry stage.",
)
def create_inquiry(request, payload: InquiryIn):
    data = payload.dict()
    company_id = data.pop("company_id")
    data["contact"] = _contact(company_id, data.pop("contact_id"))
    data["assignee"] = _user(data.pop("assignee_id"), "assignee_id")
    lines = [_line_data(line) for line in payload.lines]
    data.pop("lines")
    inquiry = inquiries.inquiry_create(
        actor=request.user, company_id=company_id, lines=lines, **data
    )
    return Status(201, selectors.inquiry_get(request.user, inquiry.pk))


@router.get("/inquiries/{inquiry_id}", response=InquiryOut, summary="One inquiry")
def get_inquiry(request, inquiry_id: int):
    return selectors.inquiry_get(request.user, inquiry_id)


def _apply_status(request, inquiry, status: str | None, reason: str | None) -> None:
    if status is None or status == inquiry.status:
        return
    if status == InquiryStatus.OPEN:
        inquiries.inquiry_reopen(actor=request.user, inquiry_id=inquiry.pk)
    else:
        inquiries.inquiry_close(
            actor=request.user, inquiry_id=inquiry.pk, status=status, reason=reason or ""
        )


@router.patch("/inquiries/{inquiry_id}", response=InquiryOut, summary="Change an inquiry")
@transaction.atomic
def update_inquiry(request, inquiry_id: int, payload: InquiryPatch):
    """Every change in one transaction: a refused part leaves the inquiry as it was."""
    inquiry = selectors.inquiry_get(request.user, inquiry_id)
    data = payload.dict(exclude_unset=True)
    status, reason = data.pop("status", None), data.pop("closed_reason", None)
    responded = data.pop("first_responded_at", None)
    if "contact_id" in data:
        data["contact"] = _contact(inquiry.company_id, data.pop("contact_id"))
    if "assignee_id" in data:
        data["assignee"] = _user(data.pop("assignee_id"), "assignee_id")
    if status == InquiryStatus.OPEN:  # reopen first, so the changes can apply
        _apply_status(request, inquiry, status, reason)
    if data:
        inquiries.inquiry_update(actor=request.user, inquiry_id=inquiry_id, **data)
    if responded is not None:
        inquiries.record_first_response(inquiry_id, responded, actor=request.user)
    if status != InquiryStatus.OPEN:
        _apply_status(request, inquiry, status, reason)
    return selectors.inquiry_get(request.user, inquiry_id)


@router.post(
    "/inquiries/{inquiry_id}/waivers",
    response={200: InquiryOut},
    summary="Waive a checklist item (or take the waiver back)",
)
def waive_item(request, inquiry_id: int, payload: WaiverIn):
    selectors.inquiry_get(request.user, inquiry_id)
    if payload.waived:
        inquiries.inquiry_waive(
            actor=request.user, inquiry_id=inquiry_id, item=payload.item, reason=payload.reason
        )
    else:
        inquiries.inquiry_unwaive(actor=request.user, inquiry_id=inquiry_id, item=payload.item)
    return selectors.inquiry_get(request.user, inquiry_id)
