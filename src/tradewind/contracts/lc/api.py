"""API operations of the L/C desk: list, record (from fields or a pasted MT700), read, check.
One schema per operation; the same services and visibility rule as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from tradewind.accounts.models import User
from tradewind.contracts.lc import selectors, services
from tradewind.contracts.lc.choices import AvailableBy, Confirmation, ShipmentPermission
from tradewind.contracts.lc.review import deadlines_of
from tradewind.core.errors import DomainError
from tradewind.trade.mt700 import MAX_TEXT_CHARS, Mt700Error, read_mt700

router = Router(tags=["letters of credit"])


class DiscrepancyOut(Schema):
    id: int
    severity: str = Field(description='"blocking" or "warning"')
    code: str
    tag: str = Field(description="The MT700 field, e.g. 32B")
    lc_says: str
    contract_says: str
    ask_for: str = Field(description="What to ask for in an amendment")
    message: str
    accepted_at: datetime | None
    acceptance_reason: str


class CheckOut(Schema):
    id: int
    checked_at: datetime
    checked_on: date
    checked_by: str | None = None
    terms_version: int
    contract_version: int
    blocking_count: int
    warning_count: int
    discrepancies: list[DiscrepancyOut]


class DeadlineOut(Schema):
    kind: str = Field(description="latest_shipment, last_presentation or expiry")
    date: date
    note: str


class AmendmentOut(Schema):
    id: int
    number: int
    amendment_date: date | None
    status: str
    changes: list[dict]


class LcSummaryOut(Schema):
    id: int
    number: str
    contract_id: int
    contract_number: str
    customer: str
    status: str
    check_state: str = Field(
        description="not_checked, outdated, blocked, accepted (remaining discrepancies accepted) "
        "or clear"
    )
    currency: str
    amount: Decimal
    latest_shipment_date: date | None
    expiry_date: date
    handler_id: int


class LcOut(LcSummaryOut):
    received_on: date
    on_board_date: date | None
    terms_version: int
    form_of_credit: str
    issue_date: date | None
    applicable_rules: str
    expiry_place: str
    expiry_country: str
    applicant: str
    beneficiary: str
    issuing_bank: str
    tolerance_plus_percent: Decimal
    tolerance_minus_percent: Decimal
    available_with: str
    available_by: str
    drafts_at: str
    drawee: str
    partial_shipments: str
    transhipment: str
    place_of_receipt: str
    port_of_loading: str
    port_of_discharge: str
    final_destination: str
    shipment_period: str
    goods_description: str
    documents_required: str
    additional_conditions: str
    charges: str
    presentation_period_days: int | None
    presentation_period_text: str
    confirmation: str
    deadlines: list[DeadlineOut]
    latest_check: CheckOut | None
    amendments: list[AmendmentOut]


class LcPage(Schema):
    items: list[LcSummaryOut]
    page: int
    size: int
    has_next: bool


class LcListQuery(Schema):
    scope: str = Field("mine", pattern="^(mine|all)$", description='"mine" or "all" I can see')
    show: str = Field("open", pattern="^(open|expiring|to_check|closed|all)$")
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1, le=100000)


class LcIn(Schema):
    contract_id: int
    mt700: str = Field(
        "",
        max_length=MAX_TEXT_CHARS,
        description="The MT700 as pasted (:20:…); fields given below override what it says.",
    )
    handler_id: int | None = Field(None, description="Omit to handle it yourself.")
    received_on: date | None = None
    number: str | None = Field(None, max_length=35)
    form_of_credit: str | None = Field(None, max_length=60)
    issue_date: date | None = None
    applicable_rules: str | None = Field(None, max_length=60)
    expiry_date: date | None = None
    expiry_place: str | None = Field(None, max_length=120)
    expiry_country: str | None = Field(None, max_length=2)
    applicant: str | None = Field(None, max_length=400)
    beneficiary: str | None = Field(None, max_length=400)
    issuing_bank: str | None = Field(None, max_length=200)
    currency: str | None = Field(None, max_length=3)
    amount: Decimal | None = Field(None, gt=0, max_digits=16, decimal_places=2)
    tolerance_plus_percent: Decimal | None = Field(None, ge=0, le=50)
    tolerance_minus_percent: Decimal | None = Field(None, ge=0, le=50)
    available_with: str | None = Field(None, max_length=200)
    available_by: AvailableBy | None = None
    drafts_at: str | None = Field(None, max_length=120)
    drawee: str | None = Field(None, max_length=120)
    partial_shipments: ShipmentPermission | None = None
    transhipment: ShipmentPermission | None = None
    place_of_receipt: str | None = Field(None, max_length=120)
    port_of_loading: str | None = Field(None, max_length=120)
    port_of_discharge: str | None = Field(None, max_length=120)
    final_destination: str | None = Field(None, max_length=120)
    latest_shipment_date: date | None = None
    shipment_period: str | None = Field(None, max_length=400)
    goods_description: str | None = Field(None, max_length=10_000)
    documents_required: str | None = Field(None, max_length=10_000)
    additional_conditions: str | None = Field(None, max_length=10_000)
    charges: str | None = Field(None, max_length=400)
    presentation_period_days: int | None = Field(None, ge=1, le=365)
    presentation_period_text: str | None = Field(None, max_length=200)
    confirmation: Confirmation | None = None


class Problem(Schema):
    code: str
    field: str | None
    detail: str
    problems: list[dict] = []


def _summary(lc) -> dict:
    return {
        "id": lc.pk,
        "number": lc.number,
        "contract_id": lc.contract_id,
        "contract_number": lc.contract.number,
        "customer": lc.contract.company.name,
        "status": lc.status,
        "check_state": str(lc.check_state),
        "currency": lc.currency,
        "amount": lc.amount,
        "latest_shipment_date": lc.latest_shipment_date,
        "expiry_date": lc.expiry_date,
        "handler_id": lc.handler_id,
    }


def _detail(lc) -> dict:
    check = selectors.latest_check_with_discrepancies(lc)
    data = _summary(lc) | {name: getattr(lc, name) for name in LcOut.model_fields if
                           name not in LcSummaryOut.model_fields and hasattr(lc, name)}  # fmt: skip
    data["deadlines"] = [
        {"kind": d.kind.value, "date": d.date, "note": d.note} for d in deadlines_of(lc).deadlines
    ]
    data["latest_check"] = None
    if check is not None:
        data["latest_check"] = {
            **{k: getattr(check, k) for k in ("id", "checked_at", "checked_on", "terms_version",
                                              "contract_version", "blocking_count",
                                              "warning_count")},
            "checked_by": str(check.checked_by) if check.checked_by else None,
            "discrepancies": [
                {k: getattr(row, k) for k in DiscrepancyOut.model_fields} | {"id": row.pk}
                for row in check.rows
            ],
        }  # fmt: skip
    data["amendments"] = [
        {"id": a.pk, "number": a.number, "amendment_date": a.amendment_date,
         "status": a.status, "changes": a.changes}
        for a in lc.amendments.order_by("number")
    ]  # fmt: skip
    return data


@router.get("/letters-of-credit", response=LcPage, summary="List the letters of credit I can see")
def list_letters_of_credit(request, query: Query[LcListQuery]):
    page = selectors.lc_list(
        request.user, scope=query.scope, show=query.show, q=query.q, page=query.page
    )
    return {
        "items": [_summary(lc) for lc in page.items],
        "page": page.number,
        "size": page.size,
        "has_next": page.has_next,
    }


def _handler(handler_id):
    if handler_id is None:
        return None
    user = User.objects.filter(pk=handler_id, is_active=True).first()
    if user is None:
        raise DomainError(f"No active user with id {handler_id}.", field="handler_id")
    return user


@router.post(
    "/letters-of-credit",
    response={201: LcOut, 422: Problem},
    summary="Record a letter of credit received under a contract",
)
def create_letter_of_credit(request, payload: LcIn):
    data = payload.dict(exclude_unset=True)
    contract_id = data.pop("contract_id")
    text = data.pop("mt700", "")
    handler = _handler(data.pop("handler_id", None))
    fields = {}
    if text.strip():
        try:
            reading = read_mt700(text)
        except Mt700Error as exc:
            return Status(422, {"code": "invalid", "field": "mt700", "detail": exc.message})
        if reading.errors and not all(p.field in data for p in reading.errors):
            problems = [
                {"tag": p.tag, "field": p.field, "message": p.message} for p in reading.errors
            ]
            return Status(
                422,
                {
                    "code": "invalid",
                    "field": "mt700",
                    "detail": problems[0]["message"],
                    "problems": problems,
                },
            )
        fields.update(reading.values)
        fields["raw_mt700"] = text
    fields.update({key: value for key, value in data.items() if value is not None})
    fields = {k: v for k, v in fields.items() if k in services.EXTRA_FIELDS + services.TERM_FIELDS}
    lc = services.lc_create(actor=request.user, contract_id=contract_id, handler=handler, **fields)
    return Status(201, _detail(selectors.lc_get(request.user, lc.pk)))


@router.get("/letters-of-credit/{lc_id}", response=LcOut, summary="One letter of credit")
def get_letter_of_credit(request, lc_id: int):
    return _detail(selectors.lc_get(request.user, lc_id))


@router.post(
    "/letters-of-credit/{lc_id}/check",
    response=CheckOut,
    summary="Check the letter of credit against its contract",
)
def check_letter_of_credit(request, lc_id: int):
    selectors.lc_get(request.user, lc_id)
    services.lc_check(actor=request.user, lc_id=lc_id)
    lc = selectors.lc_get(request.user, lc_id)
    check = selectors.latest_check_with_discrepancies(lc)
    if check is None:
        raise Http404
    return _detail(lc)["latest_check"]
