"""The pricing bridge: every stored price is the trade core's, the DOMAIN.md §3 worked example
comes out of a quotation, and shipment charges and freight are split so they sum back."""

from decimal import Decimal

import pytest

from tests.quotes.quotation_helpers import WORKED_LINE, current, make_quotation
from tradewind.core.errors import DomainError
from tradewind.quotes import pricing, shipment_costs
from tradewind.quotes.models import QuotationRevision
from tradewind.trade.pricing import (
    ChargeBasis,
    DomesticCharge,
    FreightPerContainer,
    PriceInputs,
    build_price,
)

pytestmark = pytest.mark.django_db

SECOND_LINE = {
    "description": "LED tube T8 1200mm",
    "quantity": 3000,
    "unit_cost_rmb": Decimal("9.80"),
    "vat_percent": Decimal(13),
    "rebate_percent": Decimal(13),
    "pcs_per_carton": 25,
    "carton_length_cm": Decimal(125),
    "carton_width_cm": Decimal(30),
    "carton_height_cm": Decimal(20),
    "carton_gross_weight_kg": Decimal(11),
}


def test_the_worked_example_comes_out_of_a_quotation(rep, company):
    revision = current(make_quotation(rep, company))
    line = revision.lines.get()
    assert line.unit_price == Decimal("16.72")  # CIF, add-on convention
    assert line.total == Decimal("167200.00")
    assert revision.total_amount == Decimal("167200.00")
    assert line.swap_cost == Decimal("6.3897")
    assert line.profit_rate_percent == Decimal("11.12")
    assert line.units_per_container == 10_000
    prices = {p["key"]: Decimal(p["unit_price"]) for p in line.working["prices"]
              if p["convention"] == "addon"}  # fmt: skip
    assert prices["FOB"] == Decimal("16.37")
    assert prices["CFR"] == Decimal("16.67")
    textbook = {p["key"]: p["unit_price"] for p in line.working["prices"]
                if p["convention"] == "textbook"}  # fmt: skip
    assert textbook["CIF"] == "16.76"
    labels = [row["label"] for row in line.working["lines"]]
    assert "Export VAT rebate" in labels and "Swap cost (换汇成本)" in labels
    assert revision.priced_at is not None


def test_commission_inclusive_price_is_stored_when_a_commission_is_given(rep, company):
    revision = current(make_quotation(rep, company, commission_percent=Decimal(5)))
    line = revision.lines.get()
    assert line.working["chosen"] == "CIFC5"
    assert line.unit_price == Decimal("17.60")
    assert line.total == Decimal("176000.00")


def test_margin_on_cost_prices_the_fob_of_the_worked_example(rep, company):
    revision = current(make_quotation(rep, company, incoterm="FOB", margin_basis="cost"))
    line = revision.lines.get()
    assert line.unit_price == Decimal("16.21")
    # 10 % on cost is 9.091 % of the price: that is what the minimum is compared with.
    assert revision.lowest_margin_percent == Decimal("9.091")


def test_each_stored_price_equals_build_price_of_the_same_inputs(rep, company):
    quotation = make_quotation(
        rep,
        company,
        lines=[dict(WORKED_LINE), dict(SECOND_LINE, margin_percent=Decimal(18))],
        commission_percent=Decimal(3),
        convention="textbook",
    )
    revision = current(quotation)
    inputs, _shipment = pricing.revision_inputs(revision)
    assert len(inputs) == 2
    for line, price_inputs, _notes in inputs:
        stored = revision.lines.get(pk=line.pk)
        build = build_price(price_inputs, convention="textbook")
        chosen = build.price("CIFC3")
        assert stored.unit_price == chosen.unit_price
        assert stored.total == chosen.total
        assert stored.swap_cost == build.swap_cost
        assert stored.profit_rate_percent == build.profit_rate_percent
        stored_prices = {(p["key"], p["convention"]): p["unit_price"]
                         for p in stored.working["prices"]}  # fmt: skip
        assert stored_prices == {
            (p.key, p.convention.value): str(p.unit_price) for p in build.prices
        }
    assert revision.total_amount == sum(line.total for line in revision.lines.all())


def test_independent_inputs_reproduce_the_stored_worked_example(rep, company):
    revision = current(make_quotation(rep, company, incoterm="FOB"))
    by_hand = PriceInputs(
        quantity=10_000,
        purchase_price_rmb=Decimal(113),
        vat_percent=13,
        rebate_percent=9,
        domestic_charges=(DomesticCharge("trucking", Decimal(6000), ChargeBasis.PER_SHIPMENT),),
        fx_rmb_per_unit=Decimal("7.10"),
        margin_percent=10,
        freight=FreightPerContainer(Decimal(3000), 10_000, "40HQ"),
        insurance_rate_percent=Decimal("0.3"),
    )
    assert revision.lines.get().unit_price == build_price(by_hand).price("FOB").unit_price


def test_shipment_charges_split_by_volume_sum_back_to_the_charge(rep, company):
    quotation = make_quotation(
        rep, company, lines=[dict(WORKED_LINE), dict(SECOND_LINE)], incoterm="FOB"
    )
    revision = current(quotation)
    inputs, _shipment = pricing.revision_inputs(revision)
    shares = [price_inputs.domestic_charges[0].amount_rmb for _line, price_inputs, _n in inputs]
    assert sum(shares) == Decimal(6000)
    volumes = [Decimal("0.12") * 500, Decimal("0.075") * 120]  # CBM × cartons
    assert shares[0] / shares[1] == pytest.approx(volumes[0] / volumes[1])


def test_shipment_charges_split_by_value(rep, company):
    quotation = make_quotation(
        rep,
        company,
        lines=[dict(WORKED_LINE), dict(SECOND_LINE)],
        incoterm="FOB",
        charge_allocation="value",
    )
    inputs, _shipment = pricing.revision_inputs(current(quotation))
    shares = [price_inputs.domestic_charges[0].amount_rmb for _line, price_inputs, _n in inputs]
    assert sum(shares) == Decimal(6000)
    values = [Decimal(113) * 10_000, Decimal("9.80") * 3000]
    assert shares[0] / shares[1] == pytest.approx(values[0] / values[1])


def test_per_unit_charges_reach_every_line_as_they_are(rep, company):
    charges = [{"label": "Inspection", "amount_rmb": "0.15", "basis": "per_unit"}]
    quotation = make_quotation(
        rep,
        company,
        lines=[dict(WORKED_LINE), dict(SECOND_LINE)],
        incoterm="FOB",
        domestic_charges=charges,
    )
    inputs, _shipment = pricing.revision_inputs(current(quotation))
    for _line, price_inputs, _notes in inputs:
        (charge,) = price_inputs.domestic_charges
        assert charge.basis is ChargeBasis.PER_UNIT and charge.amount_rmb == Decimal("0.15")


def test_split_gives_the_remainder_to_the_last_share():
    shares = shipment_costs.split(Decimal(100), [Decimal(1), Decimal(1), Decimal(1)])
    assert sum(shares) == Decimal(100)
    assert shares[0] == shares[1]


def test_fcl_with_several_lines_plans_the_containers_and_splits_freight_by_volume(rep, company):
    quotation = make_quotation(rep, company, lines=[dict(WORKED_LINE), dict(SECOND_LINE)])
    revision = current(quotation)
    shipment = revision.working["shipment"]
    assert shipment["plan"] == "2×40HQ"  # 500 + 120 cartons: one full container and a bit
    assert Decimal(shipment["freight_total"]) == Decimal(6000)
    inputs, _shipment = pricing.revision_inputs(revision)
    freight = [
        price_inputs.freight.amount * price_inputs.quantity for _l, price_inputs, _n in inputs
    ]
    assert sum(freight) == Decimal(6000)
    first = revision.lines.order_by("position").first()
    assert any("Freight" in note["label"] for note in first.working["allocation"])


def test_lcl_freight_uses_the_freight_tons_of_the_whole_shipment(rep, company):
    small = dict(WORKED_LINE, quantity=400)  # 20 cartons = 2.4 CBM, 440 kg
    other = dict(SECOND_LINE, quantity=250)  # 10 cartons = 0.75 CBM, 110 kg
    quotation = make_quotation(
        rep,
        company,
        lines=[small, other],
        freight_basis="lcl",
        freight_rate=Decimal(65),
        container_type="",
    )
    revision = current(quotation)
    shipment = revision.working["shipment"]
    assert shipment["freight_tons"] == "3.150"
    assert Decimal(shipment["freight_total"]) == Decimal("204.75")
    inputs, _shipment = pricing.revision_inputs(revision)
    total = sum(p.freight.amount * p.quantity for _l, p, _n in inputs)
    assert total == Decimal("204.75")


def test_lcl_with_one_line_charges_the_minimum_freight_ton(rep, company):
    revision = current(
        make_quotation(
            rep,
            company,
            lines=[dict(WORKED_LINE, quantity=20)],  # one carton, 0.12 CBM
            freight_basis="lcl",
            freight_rate=Decimal(65),
        )
    )
    line = revision.lines.get()
    freight = next(row for row in line.working["lines"] if row["label"] == "Freight per unit (F)")
    assert Decimal(freight["value"]) == Decimal("3.250000")  # 65 × 1 W/M / 20 pcs


def test_per_unit_freight_is_taken_as_given(rep, company):
    revision = current(
        make_quotation(rep, company, freight_basis="per_unit", freight_rate=Decimal("0.30"))
    )
    assert revision.lines.get().unit_price == Decimal("16.72")


def test_the_alternatives_are_every_term_side_by_side(rep, company):
    revision = current(make_quotation(rep, company))
    result = pricing.preview(revision)
    assert list(result.lines[0].alternatives) == ["EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP"]
    assert result.term_keys == ["EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP"]


def test_preview_saves_nothing(rep, company):
    revision = current(make_quotation(rep, company))
    QuotationRevision.objects.filter(pk=revision.pk).update(margin_percent=Decimal(20))
    revision.refresh_from_db()
    result = pricing.preview(revision)
    assert result.lines[0].chosen.unit_price > Decimal("16.72")
    assert revision.lines.get().unit_price == Decimal("16.72")
    assert not pricing.is_current(revision)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"freight_basis": "none"}, "freight_basis", "includes the freight"),
        ({"insurance_rate_percent": None}, "insurance_rate_percent", "insurance rate"),
        ({"incoterm": "DDP"}, "incoterm", "destination costs"),
        ({"fx_rmb_per_unit": Decimal(0)}, "fx_rmb_per_unit", "exchange rate"),
        ({"currency": "XYZ"}, "currency", "not a known currency"),
        ({"freight_rate": None}, "freight_rate", "freight rate"),
    ],
)
def test_incomplete_revisions_name_what_to_fill(rep, company, change, field, words):
    revision = current(make_quotation(rep, company))
    for name, value in change.items():
        setattr(revision, name, value)
    with pytest.raises(DomainError) as error:
        pricing.preview(revision)
    assert error.value.field == field
    assert words in error.value.message


def test_missing_packing_names_the_line_for_fcl(rep, company):
    revision = current(make_quotation(rep, company))
    line = revision.lines.get()
    line.pcs_per_carton = None
    with pytest.raises(DomainError) as error:
        pricing.preview(revision, [line])
    assert "Line 1 (LED panel 600x600 40W)" in error.value.message
    assert "packing" in error.value.message
    assert error.value.field == "pcs_per_carton"


def test_missing_purchase_price_names_the_line(rep, company):
    revision = current(make_quotation(rep, company))
    line = revision.lines.get()
    line.unit_cost_rmb = Decimal(0)
    with pytest.raises(DomainError) as error:
        pricing.preview(revision, [line])
    assert error.value.field == "unit_cost_rmb"
    assert "Line 1" in error.value.message


def test_an_absurd_line_margin_is_refused(rep, company):
    revision = current(make_quotation(rep, company))
    line = revision.lines.get()
    line.margin_percent = Decimal(100)
    with pytest.raises(DomainError) as error:
        pricing.preview(revision, [line])
    assert error.value.field == "margin_percent"


def test_a_carton_too_big_for_the_container_is_named(rep, company):
    revision = current(make_quotation(rep, company))
    line = revision.lines.get()
    line.carton_length_cm = line.carton_width_cm = line.carton_height_cm = Decimal(300)
    with pytest.raises(DomainError) as error:
        pricing.preview(revision, [line])
    assert "fits in none" in error.value.message or "does not fit" in error.value.message


def test_pricing_a_frozen_revision_is_refused(rep, company):
    revision = current(make_quotation(rep, company))
    QuotationRevision.objects.filter(pk=revision.pk).update(status="sent")
    with pytest.raises(DomainError) as error:
        pricing.price_revision(revision, actor=rep)
    assert error.value.code == "frozen"


def test_hostile_charge_rows_are_refused_with_their_row_number():
    with pytest.raises(DomainError, match="Domestic charge 2"):
        shipment_costs.parse_charges(
            [
                {"label": "Trucking", "amount_rmb": "800"},
                {"label": "Broker", "amount_rmb": "-5"},
            ]
        )
    with pytest.raises(DomainError, match="Domestic charge 1"):
        shipment_costs.parse_charges([{"label": "<script>", "amount_rmb": "1e400"}])
    with pytest.raises(DomainError, match="Domestic charge 1"):
        shipment_costs.parse_charges(
            [{"label": "Fee", "amount_rmb": "10", "block": "main_carriage"}]
        )
    assert shipment_costs.parse_charges(None) == []
