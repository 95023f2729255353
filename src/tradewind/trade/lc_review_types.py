"""The records of an L/C check: the contract's terms, the credit's terms and each finding.

Used by :mod:`tradewind.trade.lc_review` (the check) and :mod:`tradewind.trade.lc_review_documents`
(the text checks of 45A / 46A / 44E / 44F).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.lc import LetterOfCredit
from tradewind.trade.money import round_money

#: Days from the end of production to the goods being on board (trucking, customs, cut-offs).
DEFAULT_TRANSIT_BUFFER_DAYS = 7


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


class FindingCode(StrEnum):
    CURRENCY = "currency"
    AMOUNT_SHORT = "amount_short"
    AMOUNT_OVER = "amount_over"
    AMOUNT_NO_QUANTITY_ROOM = "amount_no_quantity_room"
    GOODS_LINE_MISSING = "goods_line_missing"
    GOODS_QUANTITY = "goods_quantity"
    INCOTERM = "incoterm"
    INCOTERM_MISSING = "incoterm_missing"
    NAMED_PLACE = "named_place"
    FREIGHT_NOTATION = "freight_notation"
    PORT_OF_LOADING = "port_of_loading"
    PORT_OF_DISCHARGE = "port_of_discharge"
    INSURANCE_MISSING = "insurance_missing"
    INSURANCE_NOT_OURS = "insurance_not_ours"
    INSURANCE_COVER = "insurance_cover"
    SHIPMENT_TOO_SOON = "shipment_too_soon"
    SHIPMENT_EARLIER = "shipment_earlier_than_contract"
    EXPIRED = "expired"
    EXPIRY_ABROAD = "expiry_abroad"
    SHIPMENT_AFTER_EXPIRY = "shipment_after_expiry"
    SHORT_PRESENTATION_WINDOW = "short_presentation_window"
    PARTIAL_SHIPMENT = "partial_shipment"
    TRANSHIPMENT = "transhipment"
    TENOR = "tenor"
    CONFIRMATION = "confirmation"
    CHARGES = "charges"
    SOFT_CLAUSE = "soft_clause"


@dataclass(frozen=True)
class Finding:
    code: FindingCode
    severity: Severity
    tag: str  # the MT700 field, e.g. "32B"
    lc_says: str
    contract_says: str
    ask_for: str  # what to ask the applicant to amend
    message: str  # in English; ``params`` lets a user interface word it in its own language
    params: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def is_blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


@dataclass(frozen=True)
class ContractLine:
    description: str
    quantity: int
    unit: str = "pc"
    model: str = ""


@dataclass(frozen=True, kw_only=True)
class ContractTerms:
    currency: str
    total_amount: Decimal
    lc_amount: Decimal | None = None  # the credit's share of the total; None → the total
    quantity_tolerance_percent: Decimal = Decimal(0)
    incoterm: str
    named_place: str = ""
    port_of_loading: str = ""
    destination_port: str = ""
    latest_shipment_date: dt.date | None = None
    production_lead_time_days: int | None = None
    partial_shipment_allowed: bool = False
    transhipment_allowed: bool = True
    seller_insures: bool | None = None  # None → as the Incoterm says
    insurance_percent: Decimal = Decimal(110)
    lines: tuple[ContractLine, ...] = ()
    lc_tenor_days: int | None = None  # 0 = at sight; None = the payment terms do not say
    confirmation_required: bool = False

    @property
    def expected_lc_amount(self) -> Decimal:
        return self.total_amount if self.lc_amount is None else self.lc_amount


@dataclass(frozen=True, kw_only=True)
class CreditTerms:
    """The credit as recorded (MT700 tags in comments); narratives as received."""

    currency: str  # 32B
    amount: Decimal  # 32B
    tolerance_plus_percent: Decimal = Decimal(0)  # 39A
    tolerance_minus_percent: Decimal = Decimal(0)
    expiry_date: dt.date  # 31D
    expiry_place: str = ""
    expiry_country: str = "CN"
    issue_date: dt.date | None = None  # 31C
    latest_shipment_date: dt.date | None = None  # 44C
    presentation_period_days: int | None = None  # 48
    partial_shipments: str = "allowed"  # 43P: allowed / not_allowed / conditional
    transhipment: str = "allowed"  # 43T
    port_of_loading: str = ""  # 44E
    port_of_discharge: str = ""  # 44F
    goods_description: str = ""  # 45A
    documents_required: str = ""  # 46A
    additional_conditions: str = ""  # 47A
    charges: str = ""  # 71D
    available_by: str = ""  # 41a: payment / acceptance / negotiation / deferred_payment / …
    drafts_at: str = ""  # 42C
    confirmation: str = "without"  # 49: confirm / may_add / without

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> CreditTerms:
        """Build from a mapping that may hold more (an MT700 reading, a model's fields);
        empty texts become ``""`` and missing optional terms keep their defaults."""
        names = {f.name for f in fields(cls)}
        chosen = {k: v for k, v in values.items() if k in names and v is not None}
        return cls(**chosen)

    def core(self) -> LetterOfCredit:
        """The same credit as the UCP 600 rules of :mod:`tradewind.trade.lc` take it."""
        return LetterOfCredit(
            expiry_date=self.expiry_date,
            expiry_country=self.expiry_country or "CN",
            issue_date=self.issue_date,
            latest_shipment_date=self.latest_shipment_date,
            presentation_period_days=self.presentation_period_days,
            partial_shipments_allowed=self.partial_shipments != "not_allowed",
            transhipment_allowed=self.transhipment != "not_allowed",
            amount=self.amount,
            amount_tolerance_percent=self.tolerance_plus_percent or None,
        )


def money_text(currency: str, amount: Decimal) -> str:
    return f"{currency} {round_money(amount, currency):,}"


def upper_words(text: str) -> str:
    return " ".join((text or "").upper().split())
