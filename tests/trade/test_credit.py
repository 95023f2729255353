"""Recommended payment terms from grade, country risk, history and credit insurance."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tradewind.trade.credit import (
    BuyerCredit,
    CreditPolicy,
    TermStatus,
    assess_terms,
    recommend_terms,
)
from tradewind.trade.errors import PaymentTermsError
from tradewind.trade.payment_terms import (
    RISK_RANKING,
    TEMPLATES,
    Instalment,
    Instrument,
    Milestone,
    PaymentTerms,
    RiskCategory,
)


def insured_a_buyer(**changes) -> BuyerCredit:
    values = dict(
        grade="A",
        country_risk_class=1,
        insured_limit=D(200_000),
        insured_credit_days=90,
        exposure=D(50_000),
        new_invoice_amount=D(100_000),
        requested_credit_days=60,
    )
    values.update(changes)
    return BuyerCredit(**values)


def statuses(recommendation):
    return {a.category: a.status for a in recommendation.assessments}


def test_every_term_of_the_ranking_gets_a_status_and_reasons():
    result = recommend_terms(insured_a_buyer())
    assert [a.category for a in result.assessments] == list(RISK_RANKING)
    assert all(a.reasons for a in result.assessments)


def test_insured_a_grade_buyer_may_get_open_account():
    result = recommend_terms(insured_a_buyer())
    assert result.recommended.category is RiskCategory.OA
    assert set(statuses(result).values()) == {TermStatus.ALLOWED, TermStatus.RECOMMENDED}


def test_c_grade_buyer_gets_full_tt_only():
    result = recommend_terms(insured_a_buyer(grade="C"))
    allowed = [a.category for a in result.assessments if a.status is not TermStatus.REFUSED]
    assert allowed == [RiskCategory.TT_ADVANCE, RiskCategory.TT_BEFORE_SHIPMENT]
    refused = result.for_category(RiskCategory.LC_SIGHT)
    assert "grade C allows at most" in refused.reasons[0]


def test_no_credit_insurance_limit_means_prepayment_or_lc_only():
    result = recommend_terms(insured_a_buyer(insured_limit=None))
    assert result.recommended.category is RiskCategory.LC_USANCE
    da = result.for_category(RiskCategory.DA)
    assert da.status is TermStatus.REFUSED
    assert any("prepayment or L/C only" in reason for reason in da.reasons)


def test_exposure_over_the_limit_refuses_collections_and_open_account_with_the_numbers():
    result = recommend_terms(insured_a_buyer(exposure=D(150_000)))
    oa = result.for_category(RiskCategory.OA)
    assert oa.status is TermStatus.REFUSED
    assert any("exceeds the credit-insurance limit 200000 by 50000" in r for r in oa.reasons)


def test_credit_days_beyond_the_approved_period_refuse_usance_collections():
    result = recommend_terms(insured_a_buyer(requested_credit_days=120))
    assert result.for_category(RiskCategory.DA).status is TermStatus.REFUSED
    assert result.for_category(RiskCategory.DP_SIGHT).status is not TermStatus.REFUSED


def test_expired_limit_counts_as_no_limit():
    buyer = insured_a_buyer(limit_valid_until=dt.date(2026, 1, 31), as_of=dt.date(2026, 3, 1))
    assert recommend_terms(buyer).for_category(RiskCategory.OA).status is TermStatus.REFUSED


def test_high_risk_country_caps_terms_and_demands_a_deposit():
    result = recommend_terms(insured_a_buyer(country_risk_class=7))
    assert result.recommended.category is RiskCategory.LC_SIGHT_CONFIRMED
    assert "50 %" in result.recommended.conditions[0]
    assert result.for_category(RiskCategory.TT_ADVANCE).conditions == ()


def test_overdue_payment_caps_at_sight_lc():
    result = recommend_terms(insured_a_buyer(overdue_now=True))
    assert result.recommended.category is RiskCategory.LC_SIGHT
    assert any("overdue" in r for r in result.for_category(RiskCategory.OA).reasons)


def test_repeated_late_payments_cap_at_usance_lc():
    result = recommend_terms(insured_a_buyer(late_payments_12m=3))
    assert result.recommended.category is RiskCategory.LC_USANCE


def test_policy_is_configurable():
    generous = CreditPolicy(max_category_by_grade={"A": RiskCategory.OA, "C": RiskCategory.OA})
    result = recommend_terms(insured_a_buyer(grade="C"), generous)
    assert result.recommended.category is RiskCategory.OA


def test_concrete_terms_are_refused_when_the_deposit_is_too_small():
    buyer = insured_a_buyer(country_risk_class=7)
    mixed_terms = PaymentTerms(
        "TT_30_CONFIRMED_LC_70",
        (
            Instalment(D(30), Instrument.TT, Milestone.ORDER),
            Instalment(D(70), Instrument.LC_SIGHT, Milestone.BL, 0, True),
        ),
    )
    mixed = assess_terms(mixed_terms, buyer)
    assert mixed.status is TermStatus.REFUSED
    assert any("needs 50 %" in reason for reason in mixed.reasons)
    assert assess_terms(TEMPLATES["TT_100_ADVANCE"], buyer).status is TermStatus.ALLOWED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "Z"}, "grade"),
        ({"grade": ""}, "grade"),
        ({"country_risk_class": 9}, "country_risk_class"),
        ({"exposure": D(-1)}, "exposure"),
        ({"requested_credit_days": 1000}, "requested_credit_days"),
        ({"limit_valid_until": dt.date(2026, 1, 1)}, "as_of"),
    ],
)
def test_bad_credit_profiles_are_refused_naming_the_field(changes, field):
    with pytest.raises(PaymentTermsError) as error:
        recommend_terms(insured_a_buyer(**changes))
    assert error.value.field == field


def test_float_limit_is_refused():
    with pytest.raises(TypeError):
        insured_a_buyer(insured_limit=200000.0)
