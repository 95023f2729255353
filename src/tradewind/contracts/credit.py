"""The credit recommendation for a contract, read from the database and judged by the trade core
(:mod:`tradewind.trade.credit`).

The buyer's facts come from here: its grade (ungraded counts as D), its country's risk class
(:class:`CountryRisk`, or :data:`UNCLASSIFIED_RISK_CLASS` until a manager sets one), its payment
history (deposits overdue now, deposits credited late in the last 12 months), its
credit-insurance limit (:class:`BuyerCredit`) and the current exposure: what is still unpaid on
its other signed contracts under insured terms (D/P, D/A, O/A).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.contracts.choices import ApprovalDecision, ContractStatus
from tradewind.contracts.models import BuyerCredit, Contract, CountryRisk, Deposit
from tradewind.contracts.rules import PaymentVerdict
from tradewind.trade import credit as trade_credit
from tradewind.trade.errors import PaymentTermsError
from tradewind.trade.payment_terms import (
    RISK_RANKING,
    Instalment,
    PaymentTerms,
    RiskCategory,
    get_template,
)

# The trade core's ranking labels (English, RISK_LABELS), as the pages show them.
RISK_NAMES = {
    RiskCategory.TT_ADVANCE: gettext_lazy("100% T/T in advance"),
    RiskCategory.TT_BEFORE_SHIPMENT: gettext_lazy("Deposit + balance before shipment (T/T)"),
    RiskCategory.LC_SIGHT_CONFIRMED: gettext_lazy("Confirmed sight L/C"),
    RiskCategory.LC_SIGHT: gettext_lazy("Sight L/C from a good bank"),
    RiskCategory.TT_AGAINST_BL_COPY: gettext_lazy("Deposit + balance against B/L copy (T/T)"),
    RiskCategory.LC_USANCE: gettext_lazy("Usance L/C"),
    RiskCategory.DP_SIGHT: gettext_lazy("D/P at sight"),
    RiskCategory.DP_USANCE: gettext_lazy("D/P usance"),
    RiskCategory.DA: gettext_lazy("D/A (documents against acceptance)"),
    RiskCategory.OA: gettext_lazy("O/A (open account)"),
}
UNCLASSIFIED_RISK_CLASS = 4
UNGRADED = "D"
APPROVABLE = frozenset({RiskCategory.DA, RiskCategory.OA})
SIGNED_STATUSES = (ContractStatus.SIGNED, ContractStatus.AMENDING, ContractStatus.READY,
                   ContractStatus.SENT)  # fmt: skip


@dataclass
class BuyerFacts:
    """What the recommendation was based on, for the page to show beside it."""

    grade: str
    grade_note: str
    country: str
    risk_class: int
    risk_note: str
    overdue_now: bool
    late_payments_12m: int
    limit: BuyerCredit | None
    limit_note: str
    exposure: Decimal
    new_invoice: Decimal
    currency: str
    notes: list[str] = field(default_factory=list)


def terms_from_json(rows) -> PaymentTerms:
    """The chosen terms as stored on the contract (a list of instalment dicts)."""
    parts = tuple(
        Instalment(
            Decimal(str(row["share_percent"])),
            row["instrument"],
            row["due"],
            int(row.get("days", 0)),
            bool(row.get("confirmed", False)),
        )
        for row in rows
    )
    return PaymentTerms("custom", parts)


def terms_to_json(terms: PaymentTerms) -> list[dict]:
    return [
        {
            "share_percent": f"{part.share_percent.normalize():f}",
            "instrument": str(part.instrument),
            "due": str(part.due),
            "days": part.days,
            "confirmed": part.confirmed,
        }
        for part in terms.instalments
    ]


def resolve_terms(code: str, rows=None) -> PaymentTerms:
    """A template by code, or custom instalments; raises PaymentTermsError."""
    if code and code != "custom":
        return get_template(code)
    if not rows:
        raise PaymentTermsError("instalments: give at least one instalment", field="instalments")
    return terms_from_json(rows)


def _history(company_id: int, today: dt.date) -> tuple[bool, int]:
    deposits = Deposit.objects.filter(contract__company_id=company_id).exclude(
        contract__status=ContractStatus.CANCELLED
    )
    overdue = deposits.filter(due_date__lt=today, credited_at__isnull=True).exists()
    late = deposits.filter(
        due_date__gte=today - dt.timedelta(days=365),
        credited_on__isnull=False,
        credited_on__gt=F("due_date"),
    ).count()
    return overdue, late


def exposure_of(company_id: int, currency: str, *, exclude_id: int | None = None) -> Decimal:
    """Unpaid amounts on the buyer's other signed contracts under insured terms."""
    insured = trade_credit.INSURED_CATEGORIES
    total = Decimal(0)
    contracts = Contract.objects.filter(
        company_id=company_id, currency=currency, status__in=SIGNED_STATUSES
    ).exclude(pk=exclude_id)
    for contract in contracts.annotate(
        paid=Sum("deposits__amount_credited", filter=Q(deposits__credited_at__isnull=False))
    ):
        try:
            category = terms_from_json(contract.payment_terms).category
        except (PaymentTermsError, KeyError, TypeError, ValueError):
            continue
        if category in insured:
            total += max(contract.total_amount - (contract.paid or Decimal(0)), Decimal(0))
    return total


def buyer_facts(contract: Contract, *, today: dt.date | None = None) -> BuyerFacts:
    today = today or timezone.localdate()
    company = contract.company
    grade = (company.grade or "").upper()
    grade_note = "" if grade else _("not graded yet: treated as grade D")
    risk = CountryRisk.objects.filter(country=company.country).first() if company.country else None
    risk_class = risk.risk_class if risk else UNCLASSIFIED_RISK_CLASS
    risk_note = (
        risk.note
        if risk
        else _("country risk not classified yet: class %(risk)s assumed")
        % {"risk": UNCLASSIFIED_RISK_CLASS}
    )
    overdue, late = _history(company.pk, today)
    limit = BuyerCredit.objects.filter(company_id=company.pk).first()
    limit_note = ""
    if limit is not None and limit.currency != contract.currency:
        limit_note = _(
            "the credit-insurance limit is in %(limit)s but the contract in %(contract)s: "
            "not counted"
        ) % {"limit": limit.currency, "contract": contract.currency}
    return BuyerFacts(
        grade=grade or UNGRADED,
        grade_note=grade_note,
        country=company.country,
        risk_class=risk_class,
        risk_note=risk_note,
        overdue_now=overdue,
        late_payments_12m=late,
        limit=limit,
        limit_note=limit_note,
        exposure=_cents(exposure_of(company.pk, contract.currency, exclude_id=contract.pk)),
        new_invoice=_cents(contract.total_amount),
        currency=contract.currency,
    )


def _cents(amount: Decimal) -> Decimal:
    """Amounts are stored with 4 places; the advice reads them in cents."""
    return amount.quantize(Decimal("0.01"))


def _trade_buyer(facts: BuyerFacts, today: dt.date, credit_days: int, **overrides):
    limit = facts.limit if facts.limit and not facts.limit_note else None
    values = {
        "grade": facts.grade,
        "country_risk_class": facts.risk_class,
        "overdue_now": facts.overdue_now,
        "late_payments_12m": facts.late_payments_12m,
        "insured_limit": _cents(limit.limit_amount) if limit else None,
        "insured_credit_days": limit.approved_credit_days if limit else None,
        "limit_valid_until": limit.valid_until if limit else None,
        "as_of": today,
        "exposure": facts.exposure,
        "new_invoice_amount": facts.new_invoice,
        "requested_credit_days": credit_days,
    }
    values.update(overrides)
    return trade_credit.BuyerCredit(**values)


@dataclass
class Recommendation:
    facts: BuyerFacts
    result: trade_credit.TermsRecommendation
    chosen: PaymentTerms | None
    verdict: PaymentVerdict | None
    assessment: trade_credit.TermAssessment | None

    @property
    def chosen_name(self):
        return RISK_NAMES[self.chosen.category] if self.chosen else ""

    @property
    def ranking(self):
        """The exporter-risk ranking, low → high, each with its assessment for this buyer."""
        chosen = self.chosen.category if self.chosen else None
        return [
            {
                "category": category,
                "rank": category.rank,
                "label": RISK_NAMES[category],
                "assessment": self.result.for_category(category),
                "chosen": category is chosen,
            }
            for category in RISK_RANKING
        ]


# How the trade core words a rule that passed (tradewind.trade.credit).
_PASSING = (" allows up to ", "within the credit-insurance limit", " ranks as ", "most generous")


def failing_reasons(reasons) -> tuple[str, ...]:
    """The reasons that refused a term, without the rules it passed."""
    failing = tuple(r for r in reasons if not any(mark in r for mark in _PASSING))
    return failing or tuple(reasons)


def _approved(contract: Contract, terms: PaymentTerms) -> bool:
    text = terms.text
    return contract.term_approvals.filter(
        decision=ApprovalDecision.APPROVED,
        version=contract.version,
        terms_text=text,
        amount__gte=contract.total_amount,
    ).exists()


def verdict_for(
    contract: Contract, terms: PaymentTerms, facts: BuyerFacts, today: dt.date
) -> tuple[PaymentVerdict, trade_credit.TermAssessment]:
    buyer = _trade_buyer(facts, today, terms.credit_days)
    assessment = trade_credit.assess_terms(terms, buyer)
    if assessment.status is not trade_credit.TermStatus.REFUSED:
        return PaymentVerdict("allowed", assessment.reasons), assessment
    if terms.category in APPROVABLE:
        # Would the terms pass with an unlimited credit-insurance limit? Then the limit is the
        # only obstacle, and a manager may approve going beyond it.
        unlimited = _trade_buyer(
            facts,
            today,
            terms.credit_days,
            insured_limit=facts.exposure + facts.new_invoice + 1,
            insured_credit_days=None,
            limit_valid_until=None,
        )
        if (
            trade_credit.assess_terms(terms, unlimited).status
            is not trade_credit.TermStatus.REFUSED
        ):
            status = "approved" if _approved(contract, terms) else "needs_approval"
            return PaymentVerdict(status, failing_reasons(assessment.reasons)), assessment
    return PaymentVerdict("refused", failing_reasons(assessment.reasons)), assessment


def recommend(
    contract: Contract, *, terms: PaymentTerms | None = None, today: dt.date | None = None
) -> Recommendation:
    today = today or timezone.localdate()
    facts = buyer_facts(contract, today=today)
    chosen = terms
    if chosen is None and contract.payment_terms:
        try:
            chosen = terms_from_json(contract.payment_terms)
        except (PaymentTermsError, KeyError, TypeError, ValueError):
            chosen = None
    credit_days = chosen.credit_days if chosen and chosen.credit_days else 60
    result = trade_credit.recommend_terms(_trade_buyer(facts, today, credit_days))
    verdict = assessment = None
    if chosen is not None:
        verdict, assessment = verdict_for(contract, chosen, facts, today)
    return Recommendation(facts, result, chosen, verdict, assessment)


def contract_verdict(contract: Contract, today: dt.date | None = None) -> PaymentVerdict | None:
    """The verdict on the contract's chosen terms (None when none are chosen)."""
    return recommend(contract, today=today).verdict
