"""Export price build-up: DOMAIN.md §3 worked example, conventions, terms, bad input."""

from decimal import Decimal as D

import pytest

from tradewind.trade.errors import PricingError
from tradewind.trade.incoterms import CostBlock, Incoterm
from tradewind.trade.pricing import (
    ChargeBasis,
    Convention,
    CostBasis,
    DestinationCosts,
    DomesticCharge,
    FreightLCL,
    FreightPerContainer,
    FreightPerUnit,
    MarginBasis,
    PriceInputs,
    build_price,
)


def worked_example(**changes) -> PriceInputs:
    """DOMAIN.md §3: 10,000 pcs in 1×40HQ, P 113, VAT 13 %, rebate 9 %, X 7.10, m 10 %."""
    values = dict(
        quantity=10_000,
        purchase_price_rmb=D("113.00"),
        vat_percent=D(13),
        rebate_percent=D(9),
        domestic_charges=(
            DomesticCharge("Trucking, THC, customs", D(6000), ChargeBasis.PER_SHIPMENT),
        ),
        fx_rmb_per_unit=D("7.10"),
        margin_percent=D(10),
        freight=FreightPerContainer(D(3000), 10_000, "40HQ"),
        insurance_rate_percent=D("0.3"),
        commission_percent=D(5),
    )
    values.update(changes)
    return PriceInputs(**values)


@pytest.fixture(scope="module")
def example():
    return build_price(worked_example())


def line_value(build_up, label):
    return next(line.value for line in build_up.lines if line.label == label)


@pytest.mark.parametrize(
    ("label", "expected", "places"),
    [
        ("Export VAT rebate", D("9.00"), 2),
        ("Net cost (C)", D("104.00"), 2),
        ("Cost to FCA/FOB, RMB", D("104.60"), 2),
        ("Cost to FCA/FOB (G)", D("14.732394"), 6),
        ("FOB", D("16.369327"), 6),
        ("CFR (addon)", D("16.669327"), 6),
        ("CFR (textbook)", D("16.702660"), 6),
        ("CIF (addon)", D("16.724518"), 6),
        ("CIF (addon) insurance premium", D("0.055191"), 6),
        ("CIF (textbook)", D("16.764129"), 6),
        ("CIFC5", D("17.604756"), 6),
        ("CIFC5 commission", D("0.880238"), 6),
    ],
)
def test_worked_example_working_matches_domain_figures(example, label, expected, places):
    assert line_value(example, label).quantize(D(1).scaleb(-places)) == expected


@pytest.mark.parametrize(
    ("key", "convention", "unit_price"),
    [
        ("FOB", Convention.ADDON, D("16.37")),
        ("CFR", Convention.ADDON, D("16.67")),
        ("CFR", Convention.TEXTBOOK, D("16.70")),
        ("CIF", Convention.ADDON, D("16.72")),
        ("CIF", Convention.TEXTBOOK, D("16.76")),
        ("CIFC5", Convention.ADDON, D("17.60")),
    ],
)
def test_worked_example_unit_prices_match_domain(example, key, convention, unit_price):
    assert example.price(key, convention).unit_price == unit_price


def test_margin_on_cost_gives_fob_16_21():
    build_up = build_price(worked_example(margin_basis=MarginBasis.COST))
    assert build_up.price("FOB").unit_price == D("16.21")
    assert build_up.price("FOB").unit_price_exact.quantize(D("0.000001")) == D("16.205634")


def test_swap_cost_is_6_3897_rmb_per_usd(example):
    assert example.swap_cost == D("6.3897")


def test_profit_rate_is_11_12_percent(example):
    assert example.profit_rate_percent == D("11.12")


@pytest.mark.parametrize(("key", "total"), [("FOB", D("163700.00")), ("CIF", D("167200.00"))])
def test_total_is_rounded_unit_price_times_quantity(example, key, total):
    assert example.price(key).total == total


def test_cif_insures_110_percent_of_cif(example):
    cif = example.price("CIF")
    assert cif.insurance_premium_exact == cif.unit_price_exact * (D("1.1") * D("0.003"))
    cfr = example.price("CFR").unit_price_exact
    assert abs(cif.unit_price_exact - (cfr + cif.insurance_premium_exact)) < D("1e-20")


def test_commission_is_share_of_commission_inclusive_price(example):
    cifc5 = example.price("CIFC5")
    assert cifc5.commission_exact == cifc5.unit_price_exact * D("0.05")
    assert cifc5.unit_price_exact - cifc5.commission_exact == example.price("CIF").unit_price_exact


def test_shortcut_cif_times_1_05_recovers_less_than_the_commission(example):
    shortcut = example.price("CIF").unit_price_exact * D("1.05")
    assert shortcut * (1 - D("0.05")) < example.price("CIF").unit_price_exact


def test_every_result_is_decimal(example):
    for price in example.prices:
        assert isinstance(price.unit_price, D)
        assert isinstance(price.total, D)
    assert all(isinstance(line.value, D) for line in example.lines)


def test_exw_excludes_domestic_charges_booked_to_the_port(example):
    assert example.price("EXW").unit_price_exact == D("104") / D("7.10") / D("0.9")


def test_fca_excludes_origin_terminal_charges_but_fob_includes_them():
    charges = (
        DomesticCharge("Trucking", D("0.40"), block=CostBlock.INLAND_TO_PORT),
        DomesticCharge("THC", D("0.20"), block=CostBlock.ORIGIN_TERMINAL),
    )
    build_up = build_price(worked_example(domestic_charges=charges))
    assert build_up.price("FCA").unit_price_exact < build_up.price("FOB").unit_price_exact
    assert build_up.price("FOB").unit_price == D("16.37")


def test_unit_price_is_rounded_half_up_not_to_even():
    # FOB exact 1.125 → 1.13 half-up (banker's rounding would give 1.12)
    inputs = PriceInputs(
        quantity=1,
        purchase_price_rmb=D("1.125"),
        vat_percent=0,
        fx_rmb_per_unit=1,
        margin_percent=0,
    )
    assert build_price(inputs).price("FOB").unit_price == D("1.13")


def test_yen_prices_round_to_whole_yen():
    inputs = worked_example(fx_rmb_per_unit=D("0.048"), currency="jpy", freight=None)
    fob = build_price(inputs).price("FOB")
    assert fob.unit_price == fob.unit_price.quantize(D(1))
    assert fob.unit_price == D(2421)


def test_manufacturer_factory_cost_gives_the_same_net_cost_as_trading_company():
    build_up = build_price(
        worked_example(purchase_price_rmb=D(100), cost_basis=CostBasis.FACTORY_COST)
    )
    assert build_up.net_cost_rmb == D(104)
    assert build_up.price("FOB").unit_price == D("16.37")


def test_per_unit_domestic_charge_equals_per_shipment_divided_by_quantity():
    per_unit = worked_example(domestic_charges=(DomesticCharge("All", D("0.60")),))
    assert build_price(per_unit).price("CIF").unit_price == D("16.72")


@pytest.mark.parametrize(
    "freight",
    [
        FreightPerUnit(D("0.30")),
        FreightPerContainer(D(3000), 10_000),
        FreightLCL(D(30), volume_cbm=D(100), gross_weight_kg=D(8000)),
    ],
)
def test_freight_per_unit_container_and_lcl_give_the_same_cfr(freight):
    assert build_price(worked_example(freight=freight)).price("CFR").unit_price == D("16.67")


def test_lcl_freight_charges_the_heavier_of_volume_and_weight():
    freight = FreightLCL(D(50), volume_cbm=D(2), gross_weight_kg=D(3000))
    per_unit, text = freight.per_unit(1000)
    assert per_unit == D("0.15")  # 50 × 3 W/M / 1000
    assert "weight" in text


def test_fx_buffer_lowers_the_rate_used():
    build_up = build_price(worked_example(fx_buffer_percent=D(1)))
    expected = D("104.60") / (D("7.10") * D("0.99")) / D("0.9")
    assert build_up.price("FOB").unit_price_exact == expected


def test_cip_may_use_its_own_insurance_rate():
    build_up = build_price(worked_example(cip_insurance_rate_percent=D("0.5")))
    assert build_up.price("CIP").unit_price > build_up.price("CIF").unit_price


def test_destination_terms_are_priced_when_destination_costs_are_given():
    destination = DestinationCosts(
        charges_per_unit=D("0.20"),
        unloading_per_unit=D("0.05"),
        import_duty_percent=D(10),
        import_tax_percent=D(20),
        import_clearance_per_unit=D("0.10"),
    )
    build_up = build_price(worked_example(destination=destination, commission_percent=None))
    cip = build_up.price("CIP").unit_price_exact
    dap = build_up.price("DAP").unit_price_exact
    dpu = build_up.price("DPU").unit_price_exact
    ddp = build_up.price("DDP").unit_price_exact
    assert cip < dap < dpu
    cpt = build_up.price("CPT").unit_price_exact
    assert abs(dap - (cpt + D("0.20")) / D("0.9967")) < D("1e-20")
    import_charges = D("0.10") + cip * (D("0.10") + D("0.20") + D("0.02"))
    assert abs(ddp - (dap + import_charges / D("0.9967"))) < D("1e-20")


def test_destination_terms_are_skipped_with_a_reason_when_costs_are_missing(example):
    assert dict(example.skipped)["DDP"] == "no destination costs given"
    with pytest.raises(PricingError, match="no destination costs given") as error:
        example.price("DAP")
    assert error.value.field == "term"


def test_air_shipments_are_not_priced_fob_cfr_or_cif():
    build_up = build_price(worked_example(transport_mode="air"))
    keys = set(build_up.unit_prices())
    assert {"FOB", "CFR", "CIF"}.isdisjoint(keys)
    assert {"FCA", "CPT", "CIP"} <= keys
    assert build_up.swap_cost == D("6.3897")  # on FCA


def test_terms_without_freight_are_skipped():
    build_up = build_price(worked_example(freight=None))
    assert set(build_up.unit_prices(Convention.ADDON)) == {
        "EXW",
        "EXWC5",
        "FCA",
        "FCAC5",
        "FOB",
        "FOBC5",
    }


def test_swap_cost_at_or_above_the_exchange_rate_is_warned():
    build_up = build_price(worked_example(margin_percent=0))  # FOB 14.732394 → 14.73
    assert build_up.warnings and "does not earn money" in build_up.warnings[0]


def test_textbook_margin_plus_insurance_reaching_100_percent_is_refused():
    inputs = worked_example(margin_percent=D("99.9"), insurance_rate_percent=D(1))
    with pytest.raises(PricingError) as error:
        build_price(inputs, convention="textbook")
    assert error.value.field == "margin_percent"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purchase_price_rmb": D(-1)}, "purchase_price_rmb"),
        ({"purchase_price_rmb": D(0)}, "purchase_price_rmb"),
        ({"purchase_price_rmb": D("1e15")}, "purchase_price_rmb"),
        ({"purchase_price_rmb": "abc"}, "purchase_price_rmb"),
        ({"purchase_price_rmb": "NaN"}, "purchase_price_rmb"),
        ({"margin_percent": D(100)}, "margin_percent"),
        ({"margin_percent": D(-5)}, "margin_percent"),
        ({"margin_basis": "cost", "margin_percent": D(1000)}, "margin_percent"),
        ({"margin_basis": "revenue"}, "margin_basis"),
        ({"fx_rmb_per_unit": D(0)}, "fx_rmb_per_unit"),
        ({"vat_percent": D(100)}, "vat_percent"),
        ({"rebate_percent": D(14)}, "rebate_percent"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**10}, "quantity"),
        ({"insurance_markup_percent": D(100)}, "insurance_markup_percent"),
        ({"insurance_rate_percent": D(50)}, "insurance_rate_percent"),
        ({"commission_percent": D(0)}, "commission_percent"),
        ({"commission_percent": D(60)}, "commission_percent"),
        ({"currency": "XYZ"}, "currency"),
        ({"transport_mode": "teleport"}, "transport_mode"),
    ],
)
def test_bad_inputs_raise_pricing_error_naming_the_field(change, field):
    with pytest.raises(PricingError) as error:
        worked_example(**change)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purchase_price_rmb": 113.0}, "purchase_price_rmb"),
        ({"fx_rmb_per_unit": 7.1}, "fx_rmb_per_unit"),
        ({"quantity": 10_000.0}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"margin_percent": [10]}, "margin_percent"),
    ],
)
def test_floats_and_other_types_are_refused_with_type_error(change, field):
    with pytest.raises(TypeError, match=field):
        worked_example(**change)


def test_float_freight_is_refused():
    with pytest.raises(TypeError, match="freight"):
        FreightPerUnit(0.3)


def test_missing_required_inputs_raise_type_error():
    with pytest.raises(TypeError):
        PriceInputs(quantity=1, purchase_price_rmb=D(1), fx_rmb_per_unit=D(7))  # no margin


def test_freight_per_container_needs_at_least_one_unit():
    with pytest.raises(PricingError) as error:
        FreightPerContainer(D(3000), 0)
    assert error.value.field == "units_per_container"


def test_domestic_charge_cannot_be_booked_to_main_carriage():
    with pytest.raises(PricingError, match="domestic RMB charges"):
        DomesticCharge("Ocean freight", D(1), block=CostBlock.MAIN_CARRIAGE)


def test_a_price_that_rounds_to_zero_is_refused():
    with pytest.raises(PricingError, match=r"rounds to 0\.00") as error:
        build_price(worked_example(purchase_price_rmb=D("0.01"), domestic_charges=()))
    assert error.value.field == "purchase_price_rmb"


def test_unknown_term_lookup_is_refused(example):
    with pytest.raises(PricingError):
        example.price("XYZ")


def test_prices_follow_incoterm_order(example):
    order = [p.incoterm for p in example.prices if p.convention is Convention.ADDON]
    assert order[0] is Incoterm.EXW
    assert order.index(Incoterm.FOB) < order.index(Incoterm.CFR) < order.index(Incoterm.CIF)
