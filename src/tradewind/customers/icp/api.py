"""API operations on ideal customer profiles (everyone reads, managers write) and on a
company's screening. One schema per operation; the same services and visibility as the pages."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from tradewind.customers.choices import CompanySize, CustomerType, Screening
from tradewind.customers.icp import selectors, services
from tradewind.customers.icp.models import MAX_KEYWORDS
from tradewind.customers.icp.regions import Region
from tradewind.customers.icp.screening import screening_update

router = Router(tags=["profiles and screening"])

Keywords = list[str]
Weight = Field(None, ge=0, le=100)


class ProfileOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    countries: list[str]
    regions: list[str]
    customer_types: list[str]
    sizes: list[str]
    product_keywords: list[str]
    keywords: list[str]
    excluded_keywords: list[str]
    check_website: bool
    check_company_email: bool
    check_decision_maker: bool
    weight_market: int
    weight_customer_type: int
    weight_size: int
    weight_products: int
    weight_keywords: int
    weight_website: int
    weight_company_email: int
    weight_decision_maker: int
    weight_excluded_keyword: int
    created_at: datetime
    updated_at: datetime


class ProfileIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=2000)
    is_active: bool = True
    countries: list[str] = Field([], max_length=300, description="ISO 3166 alpha-2 codes")
    regions: list[Region] = Field([], max_length=20)
    customer_types: list[CustomerType] = Field([], max_length=20)
    sizes: list[CompanySize] = Field([], max_length=10)
    product_keywords: Keywords = Field([], max_length=MAX_KEYWORDS)
    keywords: Keywords = Field([], max_length=MAX_KEYWORDS)
    excluded_keywords: Keywords = Field([], max_length=MAX_KEYWORDS)
    check_website: bool = False
    check_company_email: bool = False
    check_decision_maker: bool = False
    weight_market: int | None = Weight
    weight_customer_type: int | None = Weight
    weight_size: int | None = Weight
    weight_products: int | None = Weight
    weight_keywords: int | None = Weight
    weight_website: int | None = Weight
    weight_company_email: int | None = Weight
    weight_decision_maker: int | None = Weight
    weight_excluded_keyword: int | None = Weight


class ProfilePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = None
    countries: list[str] | None = Field(None, max_length=300)
    regions: list[Region] | None = Field(None, max_length=20)
    customer_types: list[CustomerType] | None = Field(None, max_length=20)
    sizes: list[CompanySize] | None = Field(None, max_length=10)
    product_keywords: Keywords | None = Field(None, max_length=MAX_KEYWORDS)
    keywords: Keywords | None = Field(None, max_length=MAX_KEYWORDS)
    excluded_keywords: Keywords | None = Field(None, max_length=MAX_KEYWORDS)
    check_website: bool | None = None
    check_company_email: bool | None = None
    check_decision_maker: bool | None = None
    weight_market: int | None = Weight
    weight_customer_type: int | None = Weight
    weight_size: int | None = Weight
    weight_products: int | None = Weight
    weight_keywords: int | None = Weight
    weight_website: int | None = Weight
    weight_company_email: int | None = Weight
    weight_decision_maker: int | None = Weight
    weight_excluded_keyword: int | None = Weight


def _plain(data: dict) -> dict:
    """Choice enums as their values; weights left out when not given (the defaults apply)."""
    cleaned = {}
    for name, value in data.items():
        if name.startswith("weight_") and value is None:
            continue
        if isinstance(value, list):
            value = [str(getattr(item, "value", item)) for item in value]
        cleaned[name] = value
    return cleaned


@router.get("/profiles", response=list[ProfileOut], summary="The ideal customer profiles")
def list_profiles(request):
    return selectors.profile_list()


@router.post("/profiles", response={201: ProfileOut}, summary="Create a profile (managers)")
def create_profile(request, payload: ProfileIn):
    profile = services.profile_create(actor=request.user, **_plain(payload.dict()))
    return Status(201, profile)


@router.get("/profiles/{profile_id}", response=ProfileOut, summary="One profile")
def get_profile(request, profile_id: int):
    return selectors.profile_get(profile_id)


@router.patch(
    "/profiles/{profile_id}",
    response=ProfileOut,
    summary="Change, deactivate or reactivate a profile (managers)",
)
def update_profile(request, profile_id: int, payload: ProfilePatch):
    data = _plain(payload.dict(exclude_unset=True))
    return services.profile_update(actor=request.user, profile_id=profile_id, **data)


class ScreeningIn(Schema):
    status: Screening | None = Field(
        None, description="unverified → verified → qualified, or disqualified (needs a reason)"
    )
    reason: str | None = Field(None, max_length=200, description="Why it is disqualified.")
    checked_website: bool | None = None
    checked_email_domain: bool | None = None
    checked_address: bool | None = None
    checked_registry: bool | None = None


class ScreeningOut(Schema):
    id: int
    screening_status: str
    checked_website: bool
    checked_email_domain: bool
    checked_address: bool
    checked_registry: bool
    disqualified_reason: str
    icp_score: int | None
    icp_reasons: list


@router.post(
    "/companies/{company_id}/screening",
    response=ScreeningOut,
    summary="Tick screening checks and move the screening status of a customer",
)
def update_screening(request, company_id: int, payload: ScreeningIn):
    data = payload.dict(exclude_unset=True)
    if data.get("status") is not None:
        data["status"] = str(data["status"].value)
    return screening_update(actor=request.user, company_id=company_id, **data)
