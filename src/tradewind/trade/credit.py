"""Which payment terms a buyer may be offered: each term of the risk ranking with its reasons.

:func:`recommend_terms` assesses every :class:`~tradewind.trade.payment_terms.RiskCategory`
(DOMAIN.md §5 ranking) for a :class:`BuyerCredit` under a :class:`CreditPolicy` and returns, for
each, a status — ``refused``, ``allowed`` or ``recommended`` — with the reasons and any
conditions. :func:`assess_terms` does the same for one concrete :class:`PaymentTerms`.

The rules (all thresholds live in :class:`CreditPolicy`, so a company can set its own):

* **Grade** caps the riskiest term: A up to O/A, B up to deposit + balance against B/L copy,
  C / D / E T/T before shipment only ("C-grade buyers full T/T only").
* **Country risk class** (0 = lowest … 7, the OECD scale or your own) caps the riskiest term and
  may demand a T/T deposit (high-risk countries: ≥ 50 % prepaid). A deposit is a *condition* on
  the other terms, not a refusal.
* **Payment history**: an overdue item now caps at sight L/C; repeated late payments in the last
  12 months cap at usance L/C.
* **Credit insurance** (Sinosure): D/P, D/A and O/A only when a valid limit exists, exposure +
  the new invoice stay within it, and the credit days stay within the approved period
  (DOMAIN.md §5). No limit means prepayment or L/C only.
* **Recommended** is the most generous term that every rule allows (the best the buyer
  qualifies for); every lower-risk term is also allowed and the reasons say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.checks import require_int, require_range, to_optional_decimal
from tradewind.trade.errors import PaymentTermsError
from tradewind.trade.payment_terms import PaymentTerms, RiskCategory

_R = RiskCategory
INSURED_CATEGORIES = frozenset({_R.DP_SIGHT, _R.DP_USANCE, _R.DA, _R.OA})
CREDIT_DAY_CATEGORIES = frozenset({_R.DP_USANCE, _R.DA, _R.OA})


@dataclass(frozen=True)
class CountryRule:
    max_category: RiskCategory
    min_prepaid_percent: Decimal = Decimal(0)


def _default_country_rules() -> dict[int, CountryRule]:
    rules = dict.fromkeys(range(3), CountryRule(_R.OA))
    rules.update(dict.fromkeys((3, 4), CountryRule(_R.DP_USANCE)))
    rules[5] = CountryRule(_R.LC_USANCE, Decimal(30))
    rules.update(dict.fromkeys((6, 7), CountryRule(_R.LC_SIGHT_CONFIRMED, Decimal(50))))
    return rules


@dataclass(frozen=True)
class CreditPolicy:
    max_category_by_grade: Mapping[str, RiskCategory] = field(
        default_factory=lambda: {
            "A": _R.OA,
            "B": _R.TT_AGAINST_BL_COPY,
            "C": _R.TT_BEFORE_SHIPMENT,
            "D": _R.TT_BEFORE_SHIPMENT,
            "E": _R.TT_BEFORE_SHIPMENT,
        }
    )
    country_rules: Mapping[int, CountryRule] = field(default_factory=_default_country_rules)
    overdue_max_category: RiskCategory = _R.LC_SIGHT
    late_payments_threshold: int = 2
    late_payments_max_category: RiskCategory = _R.LC_USANCE


DEFAULT_POLICY = CreditPolicy()


@dataclass(frozen=True, kw_only=True)
class BuyerCredit:
    grade: str
    country_risk_class: int
    overdue_now: bool = False
    late_payments_12m: int = 0
    insured_limit: Decimal | None = None  # Sinosure approved amount, in the invoice currency
    insured_credit_days: int | None = None  # approved credit period
    limit_valid_until: dt.date | None = None
    as_of: dt.date | None = None  # needed when limit_valid_until is given
    exposure: Decimal = Decimal(0)  # outstanding insured receivables
    new_invoice_amount: Decimal = Decimal(0)
    requested_credit_days: int = 60

    def __post_init__(self) -> None:
        if not isinstance(self.grade, str) or not self.grade.strip():
            raise PaymentTermsError("grade: give the buyer's grade (A–E)", field="grade")
        object.__setattr__(self, "grade", self.grade.strip().upper())
        require_int(
            self.country_risk_class,
            field="country_risk_class",
            error=PaymentTermsError,
            minimum=0,
            maximum=7,
        )
        require_int(
            self.late_payments_12m, field="late_payments_12m", error=PaymentTermsError, minimum=0
        )
        require_int(
            self.requested_credit_days,
            field="requested_credit_days",
            error=PaymentTermsError,
            minimum=0,
            maximum=360,
        )
        if self.insured_credit_days is not None:
            require_int(
                self.insured_credit_days,
                field="insured_credit_days",
                error=PaymentTermsError,
                minimum=0,
                maximum=360,
            )
        for name in ("insured_limit", "exposure", "new_invoice_amount"):
            value = to_optional_decimal(getattr(self, name), field=name, error=PaymentTermsError)
            if value is not None:
                require_range(value, field=name, error=PaymentTermsError, minimum=0)
            object.__setattr__(self, name, value)
        if self.limit_valid_until is not None and self.as_of is None:
            raise PaymentTermsError(
                "as_of: give today's date to check the credit limit's validity", field="as_of"
            )


class TermStatus(StrEnum):
    REFUSED = "refused"
    ALLOWED = "allowed"
    RECOMMENDED = "recommended"


@dataclass(frozen=True)
class TermAssessment:
    category: RiskCategory
    status: TermStatus
    reasons: tuple[str, ...]
    conditions: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return self.category.rank

    @property
    def label(self) -> str:
        return self.category.label


@dataclass(frozen=True)
class TermsRecommendation:
    assessments: tuple[TermAssessment, ...]  # in risk order, low → high

    @property
    def recommended(self) -> TermAssessment | None:
        return next((a for a in self.assessments if a.status is TermStatus.RECOMMENDED), None)

    def for_category(self, category: RiskCategory | str) -> TermAssessment:
        wanted = RiskCategory(category)
        return next(a for a in self.assessments if a.category is wanted)


def _caps(buyer: BuyerCredit, policy: CreditPolicy) -> list[tuple[RiskCategory, str]]:
    grades = policy.max_category_by_grade
    if buyer.grade not in grades:
        raise PaymentTermsError(
            f"grade: {buyer.grade!r} is not a grade of the policy ({', '.join(grades)})",
            field="grade",
        )
    if buyer.country_risk_class not in policy.country_rules:
        raise PaymentTermsError(
            f"country_risk_class: the policy has no rule for class {buyer.country_risk_class}",
            field="country_risk_class",
        )
    country = policy.country_rules[buyer.country_risk_class]
    caps = [
        (grades[buyer.grade], f"grade {buyer.grade}"),
        (country.max_category, f"country risk class {buyer.country_risk_class}"),
    ]
    if buyer.overdue_now:
        caps.append((policy.overdue_max_category, "an overdue payment is open"))
    if buyer.late_payments_12m >= policy.late_payments_threshold:
        caps.append(
            (
                policy.late_payments_max_category,
                f"{buyer.late_payments_12m} late payments in 12 months",
            )
        )
    return caps


def _insurance_reasons(buyer: BuyerCredit, category: RiskCategory) -> tuple[bool, str]:
    limit = buyer.insured_limit
    if limit is None or limit == 0:
        return False, "no credit-insurance limit: prepayment or L/C only"
    if buyer.limit_valid_until is not None and buyer.as_of > buyer.limit_valid_until:
        return False, f"the credit-insurance limit expired on {buyer.limit_valid_until}"
    needed = buyer.exposure + buyer.new_invoice_amount
    if needed > limit:
        return False, (
            f"exposure {buyer.exposure} + new invoice {buyer.new_invoice_amount} = {needed} "
            f"exceeds the credit-insurance limit {limit} by {needed - limit}"
        )
    approved = buyer.insured_credit_days
    days = buyer.requested_credit_days
    if category in CREDIT_DAY_CATEGORIES and approved is not None and days > approved:
        return False, f"{days} credit days exceed the approved {approved} days"
    return True, f"within the credit-insurance limit: {needed} of {limit} used"


def recommend_terms(
    buyer: BuyerCredit, policy: CreditPolicy = DEFAULT_POLICY
) -> TermsRecommendation:
    """Every term of the risk ranking with its status and reasons."""
    caps = _caps(buyer, policy)
    country = policy.country_rules[buyer.country_risk_class]
    drafts: list[tuple[RiskCategory, bool, list[str], tuple[str, ...]]] = []
    for category in RiskCategory:
        reasons, ok = [], True
        for cap, source in caps:
            if category.rank > cap.rank:
                ok = False
                reasons.append(f"{source} allows at most {cap.label}")
            else:
                reasons.append(f"{source} allows up to {cap.label}")
        if category in INSURED_CATEGORIES:
            covered, why = _insurance_reasons(buyer, category)
            ok = ok and covered
            reasons.append(why)
        conditions: tuple[str, ...] = ()
        prepaid_terms = (_R.TT_ADVANCE, _R.TT_BEFORE_SHIPMENT)
        if country.min_prepaid_percent and category not in prepaid_terms:
            conditions = (
                f"country risk class {buyer.country_risk_class} needs at least "
                f"{country.min_prepaid_percent} % paid by T/T before shipment",
            )
        drafts.append((category, ok, reasons, conditions))
    best = max((d[0] for d in drafts if d[1]), key=lambda c: c.rank, default=None)
    assessments = []
    for category, ok, reasons, conditions in drafts:
        status = TermStatus.ALLOWED if ok else TermStatus.REFUSED
        if category is best:
            status = TermStatus.RECOMMENDED
            reasons = [
                *reasons,
                "the most generous term this buyer qualifies for; lower-risk terms are also fine",
            ]
        assessments.append(TermAssessment(category, status, tuple(reasons), conditions))
    return TermsRecommendation(tuple(assessments))


def assess_terms(
    terms: PaymentTerms, buyer: BuyerCredit, policy: CreditPolicy = DEFAULT_POLICY
) -> TermAssessment:
    """One concrete set of terms: its risk category's assessment plus the deposit condition."""
    recommendation = recommend_terms(buyer, policy)
    base = recommendation.for_category(terms.category)
    reasons = [f"{terms.text} ranks as {terms.category.label}", *base.reasons]
    status = base.status
    needed = policy.country_rules[buyer.country_risk_class].min_prepaid_percent
    if status is not TermStatus.REFUSED and terms.prepaid_percent < needed:
        status = TermStatus.REFUSED
        reasons.append(
            f"only {terms.prepaid_percent} % is paid before shipment; country risk class "
            f"{buyer.country_risk_class} needs {needed} %"
        )
    if status is TermStatus.RECOMMENDED:
        status = TermStatus.ALLOWED
    return TermAssessment(terms.category, status, tuple(reasons), ())
