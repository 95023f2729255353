"""Payment-term templates, exact schedules and the exporter-risk ranking."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.trade.errors import PaymentTermsError
from tradewind.trade.payment_terms import (
    RISK_RANKING,
    TEMPLATES,
    Instalment,
    Instrument,
    Milestone,
    MilestoneDates,
    PaymentTerms,
    RiskCategory,
    build_schedule,
)

DATES = MilestoneDates(
    order_date=dt.date(2026, 1, 5),
    shipment_date=dt.date(2026, 3, 1),
    bl_date=dt.date(2026, 3, 2),
    arrival_date=dt.date(2026, 4, 5),
)


def test_thirty_seventy_against_bl_copy_schedule():
    schedule = build_schedule("TT_30_70_BL_COPY", total=D("163700.00"), currency="USD", dates=DATES)
    amounts = [p.amount for p in schedule.payments]
    assert amounts == [D("49110.00"), D("114590.00")]
    assert [p.due_date for p in schedule.payments] == [dt.date(2026, 1, 5), dt.date(2026, 3, 2)]
    assert schedule.payments[1].due_text == "against B/L copy"


def test_remainder_goes_on_the_last_instalment():
    schedule = build_schedule("TT_30_70_BL_COPY", total=D("100.01"), currency="USD")
    assert [p.amount for p in schedule.payments] == [D("30.00"), D("70.01")]


def test_da_60_days_after_bl_is_due_60_days_after_the_bl_date():
    schedule = build_schedule("DA_60_BL", total=D(1000), currency="USD", dates=DATES)
    assert schedule.payments[0].due_date == dt.date(2026, 5, 1)
    assert schedule.payments[0].due_text == "60 days after B/L date"


def test_bl_date_defaults_to_the_shipment_date():
    dates = MilestoneDates(shipment_date=dt.date(2026, 3, 1))
    schedule = build_schedule("OA_30", total=D(1000), currency="USD", dates=dates)
    assert schedule.payments[0].due_date == dt.date(2026, 3, 31)


def test_unknown_milestone_leaves_the_due_date_open_with_its_rule():
    schedule = build_schedule("DP_SIGHT", total=D(1000), currency="USD")
    assert schedule.payments[0].due_date is None
    assert schedule.payments[0].due_text == "against documents at arrival"


def test_yen_instalments_are_whole_yen():
    shares = ("33.33", "33.33", "33.34")
    terms = PaymentTerms(
        "THIRDS", tuple(Instalment(D(s), Instrument.TT, Milestone.ORDER) for s in shares)
    )
    schedule = build_schedule(terms, total=D(1000), currency="JPY")
    assert [p.amount for p in schedule.payments] == [D(333), D(333), D(334)]


@given(
    st.integers(1, 10**10).map(lambda n: D(n) / 100),
    st.sampled_from(sorted(TEMPLATES)),
)
def test_instalments_always_sum_exactly_to_the_total(total, code):
    schedule = build_schedule(code, total=total, currency="USD")
    assert sum(p.amount for p in schedule.payments) == total
    assert all(p.amount == p.amount.quantize(D("0.01")) for p in schedule.payments)


def test_risk_ranking_follows_domain_order():
    assert [c.rank for c in RISK_RANKING] == list(range(1, 11))
    assert RISK_RANKING[0] is RiskCategory.TT_ADVANCE
    assert RISK_RANKING[-1] is RiskCategory.OA
    assert RiskCategory.LC_SIGHT_CONFIRMED.rank < RiskCategory.LC_SIGHT.rank
    assert RiskCategory.TT_AGAINST_BL_COPY.rank < RiskCategory.LC_USANCE.rank


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("TT_100_ADVANCE", RiskCategory.TT_ADVANCE),
        ("TT_30_70_BEFORE_SHIPMENT", RiskCategory.TT_BEFORE_SHIPMENT),
        ("TT_30_70_BL_COPY", RiskCategory.TT_AGAINST_BL_COPY),
        ("LC_SIGHT", RiskCategory.LC_SIGHT),
        ("LC_SIGHT_CONFIRMED", RiskCategory.LC_SIGHT_CONFIRMED),
        ("TT_30_LC_SIGHT_70", RiskCategory.LC_SIGHT),
        ("DP_SIGHT", RiskCategory.DP_SIGHT),
        ("DA_60_BL", RiskCategory.DA),
        ("OA_30", RiskCategory.OA),
    ],
)
def test_templates_rank_by_their_riskiest_instalment(code, category):
    assert TEMPLATES[code].category is category


def test_mixed_terms_report_their_prepaid_share_and_credit_days():
    terms = TEMPLATES["TT_30_LC_SIGHT_70"]
    assert terms.prepaid_percent == D(30)
    assert TEMPLATES["DA_60_BL"].credit_days == 60
    assert terms.text == "30% T/T with order, 70% L/C at sight against documents at B/L date"


def test_tt_after_the_bl_date_counts_as_open_account():
    late = Instalment(D(100), Instrument.TT, Milestone.BL, 30)
    assert late.category is RiskCategory.OA


@pytest.mark.parametrize(
    ("shares", "field"),
    [((D(30), D(60)), "instalments"), ((), "instalments"), ((D(0), D(100)), "share_percent")],
)
def test_shares_must_add_up_to_100(shares, field):
    with pytest.raises(PaymentTermsError) as error:
        PaymentTerms("X", tuple(Instalment(s, Instrument.TT, Milestone.ORDER) for s in shares))
    assert error.value.field == field


@pytest.mark.parametrize(
    ("total", "currency", "field"),
    [
        (D(0), "USD", "total"),
        (D("-1"), "USD", "total"),
        (D("10.001"), "USD", "total"),
        (D("10.5"), "JPY", "total"),
        (D(10), "XXX1", "currency"),
    ],
)
def test_bad_totals_are_refused(total, currency, field):
    with pytest.raises(PaymentTermsError) as error:
        build_schedule("LC_SIGHT", total=total, currency=currency)
    assert error.value.field == field


def test_unknown_template_and_instrument_are_refused():
    with pytest.raises(PaymentTermsError):
        build_schedule("BARTER", total=D(1), currency="USD")
    with pytest.raises(PaymentTermsError) as error:
        Instalment(D(100), "cheque", Milestone.ORDER)
    assert error.value.field == "instrument"


def test_shipment_before_order_is_impossible():
    with pytest.raises(PaymentTermsError) as error:
        MilestoneDates(order_date=dt.date(2026, 3, 1), shipment_date=dt.date(2026, 2, 1))
    assert error.value.field == "shipment_date"


def test_float_total_is_refused():
    with pytest.raises(TypeError):
        build_schedule("LC_SIGHT", total=100.5, currency="USD")
