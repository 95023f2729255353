"""API operations on workspace data: exchange rates (bank buying rate, RMB per unit)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from tradewind.core import fx
from tradewind.core.errors import DomainError

router = Router(tags=["exchange rates"])


class FxRateOut(Schema):
    id: int
    currency: str
    date: dt.date
    rmb_per_unit: Decimal = Field(description="RMB received for 1 unit (bank buying rate).")
    source: str
    created_at: dt.datetime


class FxRateIn(Schema):
    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217, e.g. USD")
    date: dt.date | None = Field(None, description="Defaults to today (workspace time zone).")
    rmb_per_unit: Decimal = Field(..., gt=0, description="For 1 unit, not per 100.")
    source: str = Field("", max_length=80, description="e.g. BOC")


class FxRateQuery(Schema):
    currency: str = Field("", max_length=3)
    on: dt.date | None = Field(
        None, description="Only the rate in force on this day (latest on or before it)."
    )
    limit: int = Field(100, ge=1, le=1000)


@router.get("/fx-rates", response=list[FxRateOut], summary="Exchange rates, newest first")
def list_fx_rates(request, query: Query[FxRateQuery]):
    if query.on is not None:
        if not query.currency:
            raise DomainError("Give the currency together with on.", field="currency")
        return [fx.rate_on(query.currency, query.on)]
    return fx.rate_list(currency=query.currency, limit=query.limit)


@router.post(
    "/fx-rates",
    response={201: FxRateOut},
    summary="Enter or correct a day's rate (managers and admins)",
)
def set_fx_rate(request, payload: FxRateIn):
    rate = fx.fx_rate_set(
        actor=request.user,
        currency=payload.currency,
        date=payload.date or fx.workspace_today(),
        rmb_per_unit=payload.rmb_per_unit,
        source=payload.source,
    )
    return Status(201, rate)
