"""API operations on quotations: list, create, read a quotation and a revision with its cost
working, add a line, price, ask for and decide a margin approval — the same services and
visibility rule as the pages.

Request bodies are parsed loosely (optional fields) and checked by the services, so another
rep's quotation is a 404 whatever the body holds, and a missing field gets the same actionable
message as on the page."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tradewind.core.errors import DomainError, NotFound
from tradewind.quotes import approvals, quotations
from tradewind.quotes import quotation_selectors as selectors
from tradewind.quotes.choices import (
    ApprovalStatus,
    IncotermChoice,
    QuotationStatus,
    RevisionStatus,
)
from tradewind.quotes.models import Quotation, QuotationRevision

router = Router(tags=["quotations"])


class RevisionSummary(Schema):
    id: int
    letter: str
    status: RevisionStatus
    approval_status: ApprovalStatus
    currency: str
    incoterm: str
    named_place: str
    valid_until: date
    total_amount: Decimal | None
    lowest_margin_percent: Decimal | None
    expired: bool = Field(description="An open quotation whose validity date has passed.")


class QuotationOut(Schema):
    id: int
    number: str
    company_id: int
    company: str
    contact_id: int | None
    inquiry_id: int | None
    owner_id: int
    status: QuotationStatus
    decision_reason: str
    current: RevisionSummary | None = Field(description="The latest revision.")
    created_at: datetime


class QuotationDetail(QuotationOut):
    revisions: list[RevisionSummary]


class QuotationPage(Schema):
    items: list[QuotationOut]
    page: int
    size: int
    has_next: bool


class QuotationListQuery(Schema):
    q: str = Field("", max_length=100, description="Number, customer name, product model.")
    status: QuotationStatus | None = None
    expired: Literal["yes", "no", ""] = ""
    scope: Literal["mine", "team", ""] = ""
    company_id: int | None = None
    page: int = Field(1, ge=1, le=100000)
    size: int = Field(20, description="20, 50 or 100")


class WorkingLine(Schema):
    label: str
    formula: str
    value: str
    unit: str


class TermPriceOut(Schema):
    key: str
    incoterm: str
    convention: str
    unit_price: Decimal
    total: Decimal


class LineOut(Schema):
    id: int
    position: int
    product_id: int | None
    model: str
    description: str
    description_zh: str
    hs_code: str
    quantity: int
    unit: str
    unit_cost_rmb: Decimal
    vat_percent: Decimal
    rebate_percent: Decimal
    margin_percent: Decimal | None
    pcs_per_carton: int | None
    unit_price: Decimal | None
    total: Decimal | None
    units_per_container: int | None
    swap_cost: Decimal | None
    profit_rate_percent: Decimal | None
    chosen: str | None = Field(None, description='The quoted key, e.g. "CIF" or "CIFC5".')
    alternatives: list[TermPriceOut] = Field([], description="Every priced term.")
    working: list[WorkingLine] = Field([], description="Every line of the price build-up.")

    @staticmethod
    def resolve_chosen(obj):
        return (obj.working or {}).get("chosen")

    @staticmethod
    def resolve_alternatives(obj):
        return (obj.working or {}).get("prices", [])

    @staticmethod
    def resolve_working(obj):
        return (obj.working or {}).get("lines", [])


class RevisionOut(RevisionSummary):
    quotation_id: int
    port_of_loading: str
    destination_port: str
    payment_terms: str
    lead_time_days: int | None
    packing: str
    remarks: str
    transport_mode: str
    freight_basis: str
    container_type: str
    freight_rate: Decimal | None
    insurance_rate_percent: Decimal | None
    insurance_markup_percent: Decimal
    commission_percent: Decimal | None
    margin_percent: Decimal
    margin_basis: str
    convention: str
    fx_rmb_per_unit: Decimal
    fx_rate_date: date | None
    fx_buffer_percent: Decimal
    domestic_charges: list[dict]
    charge_allocation: str
    priced_at: datetime | None
    is_priced: bool = Field(description="Prices computed from the current terms and lines.")
    sent_at: datetime | None
    shipment: dict = Field(description="Containers / LCL freight tons and the freight total.")
    lines: list[LineOut]


class QuotationIn(Schema):
    company_id: int | None = None
    inquiry_id: int | None = Field(
        None, description="Create from this inquiry (its checklist must be complete)."
    )
    contact_id: int | None = None
    currency: str | None = Field(None, max_length=3)
    incoterm: IncotermChoice | None = None
    named_place: str | None = Field(None, max_length=120)
    port_of_loading: str | None = Field(None, max_length=120)
    destination_port: str | None = Field(None, max_length=120)
    payment_terms: str | None = Field(None, max_length=200)
    lead_time_days: int | None = Field(None, ge=0, le=999)
    valid_until: date | None = None
    margin_percent: Decimal | None = None
    fx_rmb_per_unit: Decimal | None = Field(
        None, description="Omit to take the bank buying rate from the rate table."
    )


class LineIn(Schema):
    product_id: int | None = None
    quantity: int | None = None
    margin_percent: Decimal | None = None
    model: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=300)
    description_zh: str | None = Field(None, max_length=300)
    specification: str | None = Field(None, max_length=5000)
    hs_code: str | None = Field(None, max_length=10)
    unit: str | None = Field(None, max_length=12)
    unit_cost_rmb: Decimal | None = None
    vat_percent: Decimal | None = None
    rebate_percent: Decimal | None = None
    pcs_per_carton: int | None = None
    carton_length_cm: Decimal | None = None
    carton_width_cm: Decimal | None = None
    carton_height_cm: Decimal | None = None
    carton_gross_weight_kg: Decimal | None = None
    carton_net_weight_kg: Decimal | None = None


class LineAdded(Schema):
    line: LineOut
    pricing_problem: str | None = Field(
        description="Why the revision no longer prices (what to fill), or null."
    )


class ApprovalRequestIn(Schema):
    comment: str = Field("", max_length=2000)


class ApprovalDecisionIn(Schema):
    decision: Literal["approve", "reject"] | None = None
    comment: str = Field("", max_length=2000)


class ApprovalOut(Schema):
    id: int
    revision_id: int
    requested_by_id: int
    requested_at: datetime
    request_comment: str
    margin_percent: Decimal
    minimum_percent: Decimal
    approver_id: int | None
    decision: ApprovalStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_comment: str


def _summary(revision: QuotationRevision, quotation_status: str) -> dict:
    return {
        "id": revision.pk,
        "letter": revision.letter,
        "status": revision.status,
        "approval_status": revision.approval_status,
        "currency": revision.currency,
        "incoterm": revision.incoterm,
        "named_place": revision.named_place,
        "valid_until": revision.valid_until,
        "total_amount": revision.total_amount,
        "lowest_margin_percent": revision.lowest_margin_percent,
        "expired": selectors.is_expired(quotation_status, revision.valid_until),
    }


def _list_row(quotation: Quotation) -> dict:
    current = None
    if quotation.latest_id is not None:
        current = {
            "id": quotation.latest_id,
            "letter": quotation.latest_letter,
            "status": quotation.latest_status,
            "approval_status": quotation.latest_approval_status,
            "currency": quotation.latest_currency,
            "incoterm": quotation.latest_incoterm,
            "named_place": quotation.latest_named_place,
            "valid_until": quotation.latest_valid_until,
            "total_amount": quotation.latest_total_amount,
            "lowest_margin_percent": quotation.latest_lowest_margin_percent,
            "expired": quotation.is_expired,
        }
    return _quotation_fields(quotation) | {"current": current}


def _quotation_fields(quotation: Quotation) -> dict:
    return {
        "id": quotation.pk,
        "number": quotation.number,
        "company_id": quotation.company_id,
        "company": quotation.company.name,
        "contact_id": quotation.contact_id,
        "inquiry_id": quotation.inquiry_id,
        "owner_id": quotation.owner_id,
        "status": quotation.status,
        "decision_reason": quotation.decision_reason,
        "created_at": quotation.created_at,
    }


def _detail(user, quotation_id: int) -> dict:
    quotation = selectors.quotation_get(user, quotation_id)
    revisions = [_summary(r, quotation.status) for r in selectors.revisions_of(quotation)]
    return _quotation_fields(quotation) | {
        "current": revisions[-1] if revisions else None,
        "revisions": revisions,
    }


def _revision(user, quotation_id: int, revision_id: int) -> dict:
    from tradewind.quotes.pricing import is_current

    revision = selectors.revision_get(user, revision_id)
    if revision.quotation_id != quotation_id:
        raise NotFound(_("No such revision of this quotation."))
    lines = selectors.revision_lines(revision)
    data = _summary(revision, revision.quotation.status)
    for name in RevisionOut.model_fields:
        if name not in data and hasattr(revision, name):
            data[name] = getattr(revision, name)
    return data | {
        "fx_rate_date": revision.fx_rate.date if revision.fx_rate else None,
        "is_priced": is_current(revision, lines),
        "shipment": (revision.working or {}).get("shipment", {}),
        "lines": lines,
    }


@router.get("/quotations", response=QuotationPage, summary="List the quotations I can see")
def list_quotations(request, query: Query[QuotationListQuery]):
    filters = selectors.QuotationFilters(
        q=query.q,
        status=query.status or "",
        expired=query.expired,
        scope=query.scope,
        company=query.company_id,
    )
    page = selectors.quotation_list(request.user, filters, page=query.page, size=query.size)
    return {
        "items": [_list_row(row) for row in page.items],
        "page": page.number,
        "size": page.size,
        "has_next": page.has_next,
    }


@router.post(
    "/quotations",
    response={201: QuotationDetail},
    summary="Create a quotation",
    description="For a customer (`company_id`) or from an inquiry (`inquiry_id`, whose "
    "checklist must be complete: its terms and lines are copied). The number "
    "(`QT-YYYY-NNNN`) is gapless per year. Add lines, then price the revision.",
)
def create_quotation(request, payload: QuotationIn):
    data = payload.dict(exclude_unset=True)
    inquiry_id = data.pop("inquiry_id", None)
    company_id = data.pop("company_id", None)
    contact_id = data.pop("contact_id", None)
    if inquiry_id is not None:
        quotation = quotations.quotation_create_from_inquiry(
            actor=request.user, inquiry_id=inquiry_id, **data
        )
    elif company_id is not None:
        quotation = quotations.quotation_create(
            actor=request.user, company_id=company_id, contact=contact_id, **data
        )
    else:
        raise DomainError(_("Give the customer (company_id) or the inquiry (inquiry_id)."))
    return Status(201, _detail(request.user, quotation.pk))


@router.get(
    "/quotations/{quotation_id}",
    response=QuotationDetail,
    summary="One quotation and its revisions",
)
def get_quotation(request, quotation_id: int):
    return _detail(request.user, quotation_id)


@router.get(
    "/quotations/{quotation_id}/revisions/{revision_id}",
    response=RevisionOut,
    summary="One revision: terms, lines, prices and the working",
)
def get_revision(request, quotation_id: int, revision_id: int):
    return _revision(request.user, quotation_id, revision_id)


@router.post(
    "/quotations/{quotation_id}/revisions/{revision_id}/lines",
    response={201: LineAdded},
    summary="Add a line to a draft revision",
    description="`product_id` copies the product's cost, VAT and rebate, packing and photo; "
    "the other fields override them. The revision is priced again.",
)
def add_line(request, quotation_id: int, revision_id: int, payload: LineIn):
    revision = selectors.revision_get(request.user, revision_id)
    if revision.quotation_id != quotation_id:
        raise NotFound(_("No such revision of this quotation."))
    data = payload.dict(exclude_unset=True)
    product = data.pop("product_id", None)
    line, problem = quotations.line_add(
        actor=request.user, revision_id=revision_id, product=product, **data
    )
    line.refresh_from_db()
    return Status(201, {"line": line, "pricing_problem": problem.message if problem else None})


@router.post(
    "/quotations/{quotation_id}/revisions/{revision_id}/price",
    response=RevisionOut,
    summary="Price a draft revision",
    description="Prices every line with the trade core and saves the results. 422 names the "
    "line and the input to fill (packing, freight rate, exchange rate, …).",
)
def price_revision(request, quotation_id: int, revision_id: int):
    revision = selectors.revision_get(request.user, revision_id)
    if revision.quotation_id != quotation_id:
        raise NotFound(_("No such revision of this quotation."))
    quotations.revision_price(actor=request.user, revision_id=revision_id)
    return _revision(request.user, quotation_id, revision_id)


@router.post(
    "/quotations/{quotation_id}/revisions/{revision_id}/approval",
    response={201: ApprovalOut},
    summary="Ask for approval of a margin below the team minimum",
)
def request_approval(request, quotation_id: int, revision_id: int, payload: ApprovalRequestIn):
    revision = selectors.revision_get(request.user, revision_id)
    if revision.quotation_id != quotation_id:
        raise NotFound(_("No such revision of this quotation."))
    approval = approvals.approval_request(
        actor=request.user, revision_id=revision_id, comment=payload.comment
    )
    return Status(201, approval)


@router.post(
    "/approvals/{approval_id}/decide",
    response=ApprovalOut,
    summary="Approve or reject a margin approval request",
    description="The rep's team manager or an admin only (others: 403). A rejection needs a "
    "comment.",
)
def decide_approval(request, approval_id: int, payload: ApprovalDecisionIn):
    selectors.approval_get(request.user, approval_id)
    approve = None if payload.decision is None else payload.decision == "approve"
    return approvals.approval_decide(
        actor=request.user, approval_id=approval_id, approve=approve, comment=payload.comment
    )
