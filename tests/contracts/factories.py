"""Accepted quotations built straight with the ORM (the quotation services are someone else's,
still being written), and contracts made from them through the real contract services."""

from decimal import Decimal

from django.utils import timezone

from tradewind.contracts import payments, services
from tradewind.core.models import CompanyProfile
from tradewind.quotes.models import Quotation, QuotationLine, QuotationRevision

_counter = {"n": 0}


def bank_profile() -> CompanyProfile:
    profile = CompanyProfile.current()
    profile.name_en = "Ningbo Brightway Lighting Co., Ltd."
    profile.beneficiary_name = "Ningbo Brightway Lighting Co., Ltd."
    profile.bank_name = "Bank of China, Ningbo Branch"
    profile.bank_address = "139 Yaohang Street, Ningbo, China"
    profile.bank_account = "3581 2345 6789"
    profile.bank_swift = "BKCHCNBJ92A"
    profile.default_port_of_loading = "Ningbo"
    profile.save()
    return profile


def accepted_quotation(
    company,
    *,
    owner=None,
    incoterm="FOB",
    named_place="Ningbo",
    destination_port="Hamburg",
    payment_terms="30% T/T deposit, 70% against B/L copy",
    lines=(("LED panel 600x600 40W", 1000, "12.35"),),
    currency="USD",
    lead_time_days=30,
) -> Quotation:
    _counter["n"] += 1
    owner = owner or company.owner
    quotation = Quotation.objects.create(
        number=f"QT-2099-{_counter['n']:04d}",
        company=company,
        owner=owner,
        status="accepted",
        decided_at=timezone.now(),
    )
    revision = QuotationRevision.objects.create(
        quotation=quotation,
        letter="A",
        status="sent",
        currency=currency,
        incoterm=incoterm,
        named_place=named_place,
        port_of_loading="Ningbo",
        destination_port=destination_port,
        payment_terms=payment_terms,
        lead_time_days=lead_time_days,
        valid_until=timezone.localdate() + timezone.timedelta(days=30),
        packing="10 pcs per export carton",
        margin_percent=Decimal(12),
        fx_rmb_per_unit=Decimal("7.1"),
        created_by=owner,
    )
    for position, (description, quantity, price) in enumerate(lines, start=1):
        price = Decimal(price)
        QuotationLine.objects.create(
            revision=revision,
            position=position,
            model=f"NL-{position:03d}",
            description=description,
            specification="4000K, CRI>80, 100-240V",
            hs_code="9405420000",
            quantity=quantity,
            unit_cost_rmb=Decimal("60"),
            unit_price=price,
            total=price * quantity,
        )
    quotation.accepted_revision = revision
    quotation.save(update_fields=["accepted_revision"])
    return quotation


def make_contract(company, *, actor=None, kind="PI", terms=None, **quotation_kwargs):
    bank_profile()
    quotation = accepted_quotation(company, **quotation_kwargs)
    actor = actor or company.owner
    contract = services.contract_create_from_quotation(
        actor=actor, quotation_id=quotation.pk, kind=kind
    )
    if terms:
        payments.contract_set_payment_terms(
            actor=actor, contract_id=contract.pk, lock_version=contract.lock_version, code=terms
        )
        contract.refresh_from_db()
    return contract


def tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
