"""Incoterms 2020 as data."""

import itertools
from decimal import Decimal as D

import pytest

from tradewind.trade.errors import IncotermError
from tradewind.trade.incoterms import (
    RULES,
    CostBlock,
    Incoterm,
    Party,
    check_transport_mode,
    get_rule,
    terms_for_mode,
)


def test_there_are_eleven_rules():
    assert len(RULES) == 11


@pytest.mark.parametrize(
    ("code", "group"),
    [("EXW", "E"), ("FCA", "F"), ("FAS", "F"), ("FOB", "F"), ("CPT", "C"), ("CIP", "C"),
     ("CFR", "C"), ("CIF", "C"), ("DAP", "D"), ("DPU", "D"), ("DDP", "D")],
)  # fmt: skip
def test_each_rule_has_its_group(code, group):
    assert get_rule(code).group == group


@pytest.mark.parametrize(
    ("code", "sea_only"),
    [("FAS", True), ("FOB", True), ("CFR", True), ("CIF", True), ("FCA", False), ("CIP", False)],
)
def test_sea_only_rules_are_marked(code, sea_only):
    assert get_rule(code).is_sea_only is sea_only


def test_cif_requires_icc_c_and_cip_icc_a_at_110_percent():
    assert get_rule("CIF").insurance.clauses == "ICC (C)"
    assert get_rule("CIP").insurance.clauses == "ICC (A)"
    assert get_rule("CIF").insurance.minimum_cover_percent == D(110)
    assert get_rule("CFR").insurance is None


def test_only_ddp_makes_the_seller_clear_import_and_pay_duty():
    for code, rule in RULES.items():
        expected = Party.SELLER if code is Incoterm.DDP else Party.BUYER
        assert rule.import_clearance_by is expected
        assert rule.import_duty_paid_by is expected


def test_exw_leaves_export_clearance_to_the_buyer():
    assert get_rule("EXW").export_clearance_by is Party.BUYER
    assert get_rule("FCA").export_clearance_by is Party.SELLER


def test_c_rules_pay_main_carriage_f_rules_do_not():
    assert get_rule("CFR").main_carriage_paid_by is Party.SELLER
    assert get_rule("FOB").main_carriage_paid_by is Party.BUYER


def test_seller_cost_blocks_grow_from_exw_to_ddp():
    order = ["EXW", "FCA", "FOB", "CFR", "CIF", "DAP", "DDP"]
    blocks = [get_rule(code).seller_cost_blocks for code in order]
    assert all(a < b for a, b in itertools.pairwise(blocks))
    assert get_rule("DDP").seller_pays(CostBlock.IMPORT_DUTY_AND_TAXES)
    assert get_rule("DPU").seller_pays(CostBlock.UNLOADING)
    assert not get_rule("DAP").seller_pays(CostBlock.UNLOADING)


def test_d_rules_insure_for_own_risk_without_a_duty():
    assert get_rule("DAP").seller_insures_own_risk
    assert not get_rule("CIF").seller_insures_own_risk


def test_buyer_blocks_are_the_rest():
    rule = get_rule("FOB")
    assert rule.buyer_cost_blocks | rule.seller_cost_blocks == frozenset(CostBlock)


@pytest.mark.parametrize(("code", "mode"), [("FOB", "air"), ("CIF", "rail"), ("CFR", "road")])
def test_sea_only_rule_with_air_or_rail_is_refused(code, mode):
    with pytest.raises(IncotermError) as error:
        check_transport_mode(code, mode)
    assert error.value.field == "transport_mode"
    assert "instead" in error.value.message


def test_fob_for_container_cargo_warns_to_use_fca():
    assert "FCA" in check_transport_mode("FOB", "sea", containerised=True)[0]


def test_fca_by_air_is_fine():
    assert check_transport_mode("fca", "AIR") == ()


def test_unknown_rule_and_mode_are_refused():
    with pytest.raises(IncotermError):
        get_rule("FOX")
    with pytest.raises(IncotermError):
        check_transport_mode("FOB", "pigeon")
    with pytest.raises(TypeError):
        get_rule(None)


def test_terms_for_air_exclude_the_sea_rules():
    assert set(terms_for_mode("air")) == set(Incoterm) - {Incoterm.FAS, Incoterm.FOB,
                                                          Incoterm.CFR, Incoterm.CIF}  # fmt: skip
