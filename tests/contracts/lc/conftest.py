"""An LED-panel contract to receive letters of credit under: one 40HQ, 3,600 panels at USD 13.50,
CIF Hamburg from Ningbo, 100 % L/C at sight, 30 days of production — made by the contract
services from an accepted quotation, then pinned to these terms."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.contracts.factories import make_contract
from tests.trade.lc_samples import mt700, planted_mt700
from tradewind.contracts.lc import services
from tradewind.contracts.models import Contract, ContractLine
from tradewind.trade.mt700 import read_mt700

LINE = "LED panel light 600x600 mm, 40 W"


def lc_contract(company, *, actor=None) -> Contract:
    contract = make_contract(
        company,
        actor=actor,
        incoterm="CIF",
        named_place="Hamburg",
        destination_port="Hamburg",
        payment_terms="100% irrevocable L/C at sight",
        lines=((LINE, 3600, "13.50"),),
        terms="LC_SIGHT",
    )
    today = timezone.localdate()
    Contract.objects.filter(pk=contract.pk).update(
        total_amount=Decimal("48600.00"),
        port_of_loading="Ningbo",
        destination_port="Hamburg",
        named_place="Hamburg",
        incoterm="CIF",
        insured_by="seller",
        insurance_percent=Decimal(110),
        production_lead_time_days=30,
        latest_shipment_date=today + dt.timedelta(days=60),
        partial_shipment="prohibited",
        transhipment="allowed",
        quantity_tolerance_percent=Decimal(0),
    )
    ContractLine.objects.filter(contract=contract).update(model="TW-P6060-40", unit="pcs")
    contract.refresh_from_db()
    return contract


@pytest.fixture
def contract(company):
    return lc_contract(company)


def record(actor, contract, text: str, **overrides):
    values = read_mt700(text).values | overrides
    return services.lc_create(actor=actor, contract_id=contract.pk, raw_mt700=text, **values)


@pytest.fixture
def clean_lc(rep, contract):
    return record(rep, contract, mt700(timezone.localdate()))


@pytest.fixture
def planted_lc(rep, contract):
    return record(rep, contract, planted_mt700(timezone.localdate()), number="HH26LC0999")
