"""Payment terms: templates, exact instalment schedules, and the exporter-risk ranking.

A :class:`PaymentTerms` is a list of :class:`Instalment` (share, instrument, milestone, days);
:data:`TEMPLATES` holds the common ones and any mix can be built. :func:`build_schedule` turns
terms + a total into amounts and due dates: every instalment but the last is rounded half-up to
the currency's minor unit and the last takes the remainder, so the schedule sums exactly to the
total. The credit recommendation is in :mod:`tradewind.trade.credit`.

Judgement calls:

* Due dates are milestone date + days; an unknown milestone date leaves the due date empty and
  the text ("60 days after B/L date") says when it will fall. Without a B/L date the shipment
  (on-board) date is used, because an on-board B/L carries that date.
* T/T due at shipment with days ≤ 0 is "before shipment"; T/T at the B/L date with 0 days is
  "against B/L copy"; T/T later than that, or at arrival, is open account for the ranking.
* A mix is ranked by its riskiest instalment (30 % T/T deposit + 70 % sight L/C ranks as a
  sight L/C); the deposit shows in :attr:`PaymentTerms.prepaid_percent`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.checks import require_int, require_range, to_decimal
from tradewind.trade.errors import MoneyError, PaymentTermsError
from tradewind.trade.money import HUNDRED, normalise_currency, percent_to_fraction, round_money


class Instrument(StrEnum):
    TT = "T/T"
    LC_SIGHT = "L/C at sight"
    LC_USANCE = "usance L/C"
    DP_SIGHT = "D/P at sight"
    DP_USANCE = "D/P usance"
    DA = "D/A"
    OA = "O/A"


class Milestone(StrEnum):
    ORDER = "order"
    SHIPMENT = "shipment"
    BL = "bl"
    ARRIVAL = "arrival"


_MILESTONE_TEXT = {
    Milestone.ORDER: "order",
    Milestone.SHIPMENT: "shipment",
    Milestone.BL: "B/L date",
    Milestone.ARRIVAL: "arrival",
}


class RiskCategory(StrEnum):
    """DOMAIN.md §5 exporter risk, low → high, in declaration order."""

    TT_ADVANCE = "tt_advance"
    TT_BEFORE_SHIPMENT = "tt_before_shipment"
    LC_SIGHT_CONFIRMED = "lc_sight_confirmed"
    LC_SIGHT = "lc_sight"
    TT_AGAINST_BL_COPY = "tt_against_bl_copy"
    LC_USANCE = "lc_usance"
    DP_SIGHT = "dp_sight"
    DP_USANCE = "dp_usance"
    DA = "da"
    OA = "oa"

    @property
    def rank(self) -> int:
        """1 (lowest exporter risk) … 10 (highest)."""
        return list(RiskCategory).index(self) + 1

    @property
    def label(self) -> str:
        return RISK_LABELS[self]


RISK_LABELS = {
    RiskCategory.TT_ADVANCE: "100% T/T in advance",
    RiskCategory.TT_BEFORE_SHIPMENT: "deposit + balance before shipment (T/T)",
    RiskCategory.LC_SIGHT_CONFIRMED: "confirmed sight L/C",
    RiskCategory.LC_SIGHT: "sight L/C from a good bank",
    RiskCategory.TT_AGAINST_BL_COPY: "deposit + balance against B/L copy (T/T)",
    RiskCategory.LC_USANCE: "usance L/C",
    RiskCategory.DP_SIGHT: "D/P at sight",
    RiskCategory.DP_USANCE: "D/P usance",
    RiskCategory.DA: "D/A",
    RiskCategory.OA: "O/A",
}
RISK_RANKING: tuple[RiskCategory, ...] = tuple(RiskCategory)


@dataclass(frozen=True)
class Instalment:
    share_percent: Decimal
    instrument: Instrument
    due: Milestone
    days: int = 0
    confirmed: bool = False  # an L/C confirmed by a bank in China

    def __post_init__(self) -> None:
        share = to_decimal(self.share_percent, field="share_percent", error=PaymentTermsError)
        require_range(
            share,
            field="share_percent",
            error=PaymentTermsError,
            minimum=0,
            minimum_inclusive=False,
            maximum=100,
        )
        object.__setattr__(self, "share_percent", share)
        object.__setattr__(self, "instrument", _enum(Instrument, self.instrument, "instrument"))
        object.__setattr__(self, "due", _enum(Milestone, self.due, "due"))
        require_int(self.days, field="days", error=PaymentTermsError, minimum=-90, maximum=360)

    @property
    def category(self) -> RiskCategory:
        kind = self.instrument
        if kind is Instrument.TT:
            if self.due is Milestone.ORDER:
                return RiskCategory.TT_ADVANCE
            if self.due is Milestone.SHIPMENT and self.days <= 0:
                return RiskCategory.TT_BEFORE_SHIPMENT
            if self.due in (Milestone.SHIPMENT, Milestone.BL) and self.days == 0:
                return RiskCategory.TT_AGAINST_BL_COPY
            return RiskCategory.OA
        if kind is Instrument.LC_SIGHT:
            return RiskCategory.LC_SIGHT_CONFIRMED if self.confirmed else RiskCategory.LC_SIGHT
        return {
            Instrument.LC_USANCE: RiskCategory.LC_USANCE,
            Instrument.DP_SIGHT: RiskCategory.DP_SIGHT,
            Instrument.DP_USANCE: RiskCategory.DP_USANCE,
            Instrument.DA: RiskCategory.DA,
            Instrument.OA: RiskCategory.OA,
        }[kind]

    @property
    def is_prepaid(self) -> bool:
        return self.category in (RiskCategory.TT_ADVANCE, RiskCategory.TT_BEFORE_SHIPMENT)

    @property
    def due_text(self) -> str:
        where = _MILESTONE_TEXT[self.due]
        if self.days == 0:
            if self.due is Milestone.ORDER:
                return "with order"
            if self.instrument is not Instrument.TT:
                return f"against documents at {where}"
            return "against B/L copy" if self.due is Milestone.BL else f"at {where}"
        if self.days < 0:
            return f"{-self.days} days before {where}"
        return f"{self.days} days after {where}"

    @property
    def text(self) -> str:
        confirmed = " (confirmed)" if self.confirmed else ""
        return f"{_plain(self.share_percent)}% {self.instrument}{confirmed} {self.due_text}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _enum(kind, value, name):
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise PaymentTermsError(f"{name}: {value!r} is not one of {allowed}", field=name) from None


@dataclass(frozen=True)
class PaymentTerms:
    code: str
    instalments: tuple[Instalment, ...]

    def __post_init__(self) -> None:
        parts = tuple(self.instalments)
        if not parts:
            raise PaymentTermsError(
                "instalments: give at least one instalment", field="instalments"
            )
        total = sum((part.share_percent for part in parts), Decimal(0))
        if total != HUNDRED:
            raise PaymentTermsError(
                f"instalments: shares add up to {_plain(total)} %, they must add up to 100 %",
                field="instalments",
            )
        object.__setattr__(self, "instalments", parts)

    @property
    def text(self) -> str:
        return ", ".join(part.text for part in self.instalments)

    @property
    def category(self) -> RiskCategory:
        return max((part.category for part in self.instalments), key=lambda c: c.rank)

    @property
    def prepaid_percent(self) -> Decimal:
        return sum((p.share_percent for p in self.instalments if p.is_prepaid), Decimal(0))

    @property
    def credit_days(self) -> int:
        """Longest credit after shipment / B/L among the instalments (0 if none)."""
        after = [p.days for p in self.instalments if p.due in (Milestone.SHIPMENT, Milestone.BL)]
        return max([0, *after])


def _terms(code: str, *parts: tuple) -> PaymentTerms:
    return PaymentTerms(code, tuple(Instalment(Decimal(p[0]), *p[1:]) for p in parts))


_TT, _BL, _ORDER, _SHIP = Instrument.TT, Milestone.BL, Milestone.ORDER, Milestone.SHIPMENT
TEMPLATES: dict[str, PaymentTerms] = {
    terms.code: terms
    for terms in (
        _terms("TT_100_ADVANCE", (100, _TT, _ORDER)),
        _terms("TT_30_70_BEFORE_SHIPMENT", (30, _TT, _ORDER), (70, _TT, _SHIP, -7)),
        _terms("TT_30_70_BL_COPY", (30, _TT, _ORDER), (70, _TT, _BL)),
        _terms("LC_SIGHT_CONFIRMED", (100, Instrument.LC_SIGHT, _BL, 0, True)),
        _terms("LC_SIGHT", (100, Instrument.LC_SIGHT, _BL)),
        _terms("TT_30_LC_SIGHT_70", (30, _TT, _ORDER), (70, Instrument.LC_SIGHT, _BL)),
        _terms("LC_USANCE_90", (100, Instrument.LC_USANCE, _BL, 90)),
        _terms("DP_SIGHT", (100, Instrument.DP_SIGHT, Milestone.ARRIVAL)),
        _terms("DP_60", (100, Instrument.DP_USANCE, _BL, 60)),
        _terms("DA_60_BL", (100, Instrument.DA, _BL, 60)),
        _terms("OA_30", (100, Instrument.OA, _BL, 30)),
    )
}


def get_template(code: str) -> PaymentTerms:
    key = code.strip().upper() if isinstance(code, str) else code
    if key not in TEMPLATES:
        raise PaymentTermsError(
            f"terms: unknown template {code!r}; use one of {', '.join(TEMPLATES)}", field="terms"
        )
    return TEMPLATES[key]


@dataclass(frozen=True)
class MilestoneDates:
    order_date: dt.date | None = None
    shipment_date: dt.date | None = None
    bl_date: dt.date | None = None
    arrival_date: dt.date | None = None

    def __post_init__(self) -> None:
        for name in ("order_date", "shipment_date", "bl_date", "arrival_date"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, dt.datetime) or not isinstance(value, dt.date)
            ):
                raise TypeError(f"{name}: expected a datetime.date, got {type(value).__name__}")
        order, ship, arrival = self.order_date, self.shipment_date, self.arrival_date
        if order and ship and ship < order:
            raise PaymentTermsError(
                f"shipment date {ship} is before the order date {order}", field="shipment_date"
            )
        if ship and arrival and arrival < ship:
            raise PaymentTermsError(
                f"arrival date {arrival} is before the shipment date {ship}", field="arrival_date"
            )

    def for_milestone(self, milestone: Milestone) -> dt.date | None:
        if milestone is Milestone.BL:
            return self.bl_date or self.shipment_date
        return {
            Milestone.ORDER: self.order_date,
            Milestone.SHIPMENT: self.shipment_date,
            Milestone.ARRIVAL: self.arrival_date,
        }[milestone]


@dataclass(frozen=True)
class ScheduledPayment:
    number: int
    instalment: Instalment
    amount: Decimal
    due_date: dt.date | None
    due_text: str


@dataclass(frozen=True)
class PaymentSchedule:
    terms: PaymentTerms
    currency: str
    total: Decimal
    payments: tuple[ScheduledPayment, ...]


def build_schedule(
    terms: PaymentTerms | str,
    *,
    total: object,
    currency: str,
    dates: MilestoneDates | None = None,
) -> PaymentSchedule:
    """Amounts and due dates; the last instalment takes the rounding remainder."""
    chosen = get_template(terms) if isinstance(terms, str) else terms
    try:
        code = normalise_currency(currency)
    except MoneyError as error:
        raise PaymentTermsError(error.message, field="currency") from None
    amount = to_decimal(total, field="total", error=PaymentTermsError)
    require_range(
        amount, field="total", error=PaymentTermsError, minimum=0, minimum_inclusive=False
    )
    if round_money(amount, code) != amount:
        raise PaymentTermsError(
            f"total {amount} has more decimals than {code} allows; round it first", field="total"
        )
    known = dates or MilestoneDates()
    payments: list[ScheduledPayment] = []
    allotted = Decimal(0)
    last = len(chosen.instalments) - 1
    for index, part in enumerate(chosen.instalments):
        if index == last:
            share = amount - allotted
        else:
            share = round_money(amount * percent_to_fraction(part.share_percent), code)
        allotted += share
        base = known.for_milestone(part.due)
        due = None if base is None else base + dt.timedelta(days=part.days)
        payments.append(ScheduledPayment(index + 1, part, share, due, part.due_text))
    return PaymentSchedule(chosen, code, amount, tuple(payments))
