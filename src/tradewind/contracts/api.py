"""API operations on contracts: the same services and visibility rule as the pages.

Edits carry ``lock_version`` (from the last read); a save made by someone else in between
answers 409 with the current version instead of overwriting it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from tradewind.contracts import credit, payments, pdf, selectors, services
from tradewind.contracts.choices import ContractKind
from tradewind.contracts.services import NotReady, StaleContract

router = Router(tags=["contracts"])


class LineOut(Schema):
    id: int
    position: int
    model: str
    description: str
    specification: str
    hs_code: str
    quantity: int
    unit: str
    unit_price: Decimal
    total: Decimal


class ClauseOut(Schema):
    id: int
    key: str
    title: str
    body: str
    is_customised: bool


class ContractSummary(Schema):
    id: int
    kind: str
    number: str
    status: str
    version: int
    lock_version: int
    company_id: int
    quotation_id: int
    currency: str
    total_amount: Decimal
    incoterm: str
    named_place: str
    latest_shipment_date: date | None
    created_at: datetime


class ContractOut(ContractSummary):
    contract_date: date
    buyer_name: str
    buyer_reference: str
    port_of_loading: str
    destination_port: str
    production_lead_time_days: int | None
    partial_shipment: str
    transhipment: str
    quantity_tolerance_percent: Decimal
    insured_by: str
    insurance_cover: str
    insurance_percent: Decimal
    payment_terms_code: str
    payment_terms_text: str
    payment_schedule: list
    deposit_amount: Decimal | None
    deposit_due_date: date | None
    bank_swift: str
    signed_at: datetime | None
    production_started_at: datetime | None
    lines: list[LineOut]
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.clauses.all())


class ContractPage(Schema):
    items: list[ContractSummary]
    page: int
    has_next: bool


class ListQuery(Schema):
    q: str = Field("", max_length=100)
    status: str = ""
    kind: str = ""
    page: int = Field(1, ge=1, le=100000)


class CreateIn(Schema):
    kind: str = Field(ContractKind.PI, description="PI or SC")


class ContractPatch(Schema):
    lock_version: int | None = Field(None, description="lock_version of the contract you read")
    buyer_reference: str | None = Field(None, max_length=60)
    buyer_name: str | None = Field(None, max_length=200)
    named_place: str | None = Field(None, max_length=120)
    port_of_loading: str | None = Field(None, max_length=120)
    destination_port: str | None = Field(None, max_length=120)
    latest_shipment_date: date | None = None
    production_lead_time_days: int | None = Field(None, ge=0, le=3650)
    partial_shipment: str | None = None
    transhipment: str | None = None
    quality_standard: str | None = Field(None, max_length=300)
    packing: str | None = Field(None, max_length=300)
    shipping_marks: str | None = Field(None, max_length=1000)
    insured_by: str | None = None
    insurance_cover: str | None = Field(None, max_length=200)
    insurance_percent: Decimal | None = Field(None, ge=0, le=200)
    inspection_by: str | None = None
    inspection_when: str | None = Field(None, max_length=200)
    inspection_certificate: str | None = Field(None, max_length=200)
    claims_period_days: int | None = Field(None, ge=1, le=3650)
    arbitration_institution: str | None = Field(None, max_length=200)
    arbitration_seat: str | None = Field(None, max_length=120)
    governing_law: str | None = Field(None, max_length=120)
    bank_swift: str | None = Field(None, max_length=11)
    remarks: str | None = Field(None, max_length=5000)


class Conflict(Schema):
    code: str
    detail: str
    current_lock_version: int


class ProblemOut(Schema):
    code: str
    message: str
    clause: str
    field: str


class NotReadyOut(Schema):
    code: str
    detail: str
    problems: list[ProblemOut]


class TermsIn(Schema):
    lock_version: int | None = None
    code: str = Field("", description="A template code, or 'custom' with instalments")
    instalments: list[dict] | None = None


class AssessmentOut(Schema):
    rank: int
    category: str
    label: str
    status: str
    reasons: list[str]
    conditions: list[str]


class CreditOut(Schema):
    grade: str
    country_risk_class: int
    exposure: Decimal
    limit_amount: Decimal | None
    chosen_terms: str | None
    verdict: str | None
    verdict_reasons: list[str]
    ranking: list[AssessmentOut]


class AmendIn(Schema):
    reason: str = Field("", max_length=2000)


def _conflict(exc: StaleContract):
    body = {"code": exc.code, "detail": exc.message, "current_lock_version": exc.current_version}
    return Status(409, body)


def _not_ready(exc: NotReady):
    problems = [vars(problem) for problem in exc.problems]
    return Status(422, {"code": exc.code, "detail": exc.message, "problems": problems})


@router.get("/contracts", response=ContractPage, summary="List the contracts and PIs I can see")
def contract_list(request, query: Query[ListQuery]):
    filters = selectors.ContractFilters(q=query.q, status=query.status, kind=query.kind)
    page = selectors.contract_list(request.user, filters, page=query.page)
    return {"items": page.items, "page": page.number, "has_next": page.has_next}


@router.get("/contracts/{contract_id}", response=ContractOut, summary="One contract")
def contract_detail(request, contract_id: int):
    return selectors.contract_get(request.user, contract_id)


@router.post(
    "/quotations/{quotation_id}/contract",
    response={201: ContractOut},
    summary="Make the PI or sales contract from an accepted quotation",
)
def contract_create(request, quotation_id: int, payload: CreateIn):
    contract = services.contract_create_from_quotation(
        actor=request.user, quotation_id=quotation_id, kind=payload.kind
    )
    return Status(201, selectors.contract_get(request.user, contract.pk))


@router.patch(
    "/contracts/{contract_id}",
    response={200: ContractOut, 409: Conflict},
    summary="Change a draft's or an amendment's terms",
)
def contract_patch(request, contract_id: int, payload: ContractPatch):
    data = payload.dict(exclude_unset=True)
    lock_version = data.pop("lock_version", None)
    try:
        services.contract_update(
            actor=request.user, contract_id=contract_id, lock_version=lock_version, **data
        )
    except StaleContract as exc:
        return _conflict(exc)
    return selectors.contract_get(request.user, contract_id)


@router.put(
    "/contracts/{contract_id}/payment-terms",
    response={200: ContractOut, 409: Conflict},
    summary="Choose the payment terms and build the schedule",
)
def contract_payment_terms(request, contract_id: int, payload: TermsIn):
    try:
        payments.contract_set_payment_terms(
            actor=request.user,
            contract_id=contract_id,
            lock_version=payload.lock_version,
            code=payload.code,
            instalments=payload.instalments,
        )
    except StaleContract as exc:
        return _conflict(exc)
    return selectors.contract_get(request.user, contract_id)


@router.get(
    "/contracts/{contract_id}/credit",
    response=CreditOut,
    summary="Payment terms by the buyer's credit: each term allowed, recommended or refused",
)
def contract_credit(request, contract_id: int):
    contract = selectors.contract_get(request.user, contract_id)
    advice = credit.recommend(contract)
    facts = advice.facts
    return {
        "grade": facts.grade,
        "country_risk_class": facts.risk_class,
        "exposure": facts.exposure,
        "limit_amount": facts.limit.limit_amount if facts.limit else None,
        "chosen_terms": advice.chosen.text if advice.chosen else None,
        "verdict": advice.verdict.status if advice.verdict else None,
        "verdict_reasons": list(advice.verdict.reasons) if advice.verdict else [],
        "ranking": [
            {
                "rank": row["rank"],
                "category": str(row["category"]),
                "label": row["category"].label,
                "status": str(row["assessment"].status),
                "reasons": list(row["assessment"].reasons),
                "conditions": list(row["assessment"].conditions),
            }
            for row in advice.ranking
        ],
    }


@router.post(
    "/contracts/{contract_id}/ready",
    response={200: ContractOut, 422: NotReadyOut},
    summary="Ready to sign: refused with every problem",
)
def contract_ready(request, contract_id: int):
    try:
        services.contract_mark_ready(actor=request.user, contract_id=contract_id)
    except NotReady as exc:
        return _not_ready(exc)
    return selectors.contract_get(request.user, contract_id)


@router.post(
    "/contracts/{contract_id}/send", response={200: ContractOut, 422: NotReadyOut},
    summary="Mark as sent for signature",
)  # fmt: skip
def contract_send(request, contract_id: int):
    try:
        services.contract_send(actor=request.user, contract_id=contract_id)
    except NotReady as exc:
        return _not_ready(exc)
    return selectors.contract_get(request.user, contract_id)


@router.post(
    "/contracts/{contract_id}/sign",
    response=ContractOut,
    summary="Record the signature: upload the countersigned PDF (multipart field 'file')",
)
def contract_sign(request, contract_id: int, file: UploadedFile | None = File(None)):  # noqa: B008
    selectors.contract_get(request.user, contract_id)  # 404 before anything else
    services.contract_sign(actor=request.user, contract_id=contract_id, file=file)
    return selectors.contract_get(request.user, contract_id)


@router.post(
    "/contracts/{contract_id}/amend", response=ContractOut,
    summary="Open an amendment of a signed contract",
)  # fmt: skip
def contract_amend(request, contract_id: int, payload: AmendIn):
    services.contract_amend(actor=request.user, contract_id=contract_id, reason=payload.reason)
    return selectors.contract_get(request.user, contract_id)


@router.get("/contracts/{contract_id}/pdf", summary="The contract as a PDF")
def contract_pdf(request, contract_id: int):
    contract = selectors.contract_get(request.user, contract_id)
    response = HttpResponse(pdf.render_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(contract)}"'
    return response
