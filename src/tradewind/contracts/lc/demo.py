"""Demo letters of credit: for contracts paid by L/C, an MT700 as the buyer's bank would send it,
recorded and checked through the real services — one clean, one with discrepancies and an
amendment waiting for a decision, one shipped with its presentation deadline coming up.

When fewer demo contracts are paid by L/C than asked for, draft contracts are switched to
30 % T/T deposit + 70 % sight L/C first (through the contract services). Idempotent: a contract
that already has a credit is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tradewind.contracts import payments, schedule
from tradewind.contracts.lc import review, services
from tradewind.contracts.models import Contract
from tradewind.core.errors import DomainError
from tradewind.trade.incoterms import get_rule
from tradewind.trade.mt700 import read_mt700


def _yymmdd(day: dt.date) -> str:
    return day.strftime("%y%m%d")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def compose_mt700(contract: Contract, *, number: str, today: dt.date, flaws: bool = False) -> str:
    """An MT700 for ``contract``; with ``flaws``: 10 % short, the wrong port of discharge and an
    inspection certificate signed by the applicant."""
    terms = review.contract_terms_of(contract)
    amount = terms.expected_lc_amount * (Decimal("0.90") if flaws else 1)
    latest = contract.latest_shipment_date or today + dt.timedelta(days=45)
    latest = max(latest, today + dt.timedelta(days=(terms.production_lead_time_days or 30) + 10))
    rule = get_rule(contract.incoterm)
    freight = "PREPAID" if rule.main_carriage_paid_by.value == "seller" else "COLLECT"
    goods = "\n".join(
        f"+{line.quantity:,} {line.unit.upper()} {line.description.upper()}"
        + (f", MODEL {line.model.upper()}" if line.model else "")
        for line in terms.lines
    )
    documents = [
        "+SIGNED COMMERCIAL INVOICE IN 3 ORIGINALS INDICATING THIS L/C NUMBER",
        "+FULL SET OF CLEAN ON BOARD OCEAN BILLS OF LADING MADE OUT TO ORDER AND BLANK "
        f"ENDORSED, MARKED FREIGHT {freight} AND NOTIFY APPLICANT",
        "+PACKING LIST IN 3 FOLDS",
        "+CERTIFICATE OF ORIGIN ISSUED BY CCPIT",
    ]
    insures = terms.seller_insures if terms.seller_insures is not None else bool(rule.insurance)
    if insures:
        documents.insert(
            2,
            f"+INSURANCE POLICY OR CERTIFICATE FOR {terms.insurance_percent} PCT OF THE INVOICE "
            "VALUE, INSTITUTE CARGO CLAUSES",
        )
    if flaws:
        documents.append(
            "+INSPECTION CERTIFICATE ISSUED AND SIGNED BY APPLICANT'S AUTHORIZED REPRESENTATIVE"
        )
    discharge = "ANTWERP, BELGIUM" if flaws else contract.destination_port.upper()
    return "\n".join(
        [
            ":27:1/1",
            ":40A:IRREVOCABLE",
            f":20:{number}",
            f":31C:{_yymmdd(today - dt.timedelta(days=20))}",
            ":40E:UCP LATEST VERSION",
            f":31D:{_yymmdd(latest + dt.timedelta(days=15))}CHINA",
            f":50:{contract.buyer_name.upper()}",
            f":59:{(contract.beneficiary_name or 'THE BENEFICIARY').upper()}",
            f":32B:{contract.currency}{_amount(amount)}",
            ":39A:05/05",
            ":41D:ANY BANK IN CHINA\nBY NEGOTIATION",
            ":42C:AT SIGHT",
            ":43P:NOT ALLOWED" if not terms.partial_shipment_allowed else ":43P:ALLOWED",
            ":43T:ALLOWED",
            f":44E:{(contract.port_of_loading or 'NINGBO').upper()}, CHINA",
            f":44F:{discharge}",
            f":44C:{_yymmdd(latest)}",
            f":45A:{goods}\n{contract.incoterm} {contract.named_place.upper()} INCOTERMS 2020",
            ":46A:" + "\n".join(documents),
            ":47A:+ALL DOCUMENTS MUST BEAR THIS L/C NUMBER\n+A DISCREPANCY FEE OF USD 80.00 "
            "WILL BE DEDUCTED FOR EACH SET OF DISCREPANT DOCUMENTS",
            ":71D:ALL BANKING CHARGES OUTSIDE THE ISSUING BANK ARE FOR ACCOUNT OF BENEFICIARY",
            ":48:15/DAYS AFTER THE DATE OF SHIPMENT",
            ":49:WITHOUT",
        ]
    )


def _lc_contracts(limit: int) -> list[Contract]:
    candidates = (
        Contract.objects.exclude(status="cancelled")
        .filter(letters_of_credit__isnull=True)
        .select_related("owner")
        .order_by("id")
    )
    chosen = [c for c in candidates if schedule.needs_lc(c)][:limit]
    for contract in candidates:
        if len(chosen) >= limit:
            break
        if contract in chosen or contract.status != "draft":
            continue
        try:
            payments.contract_set_payment_terms(
                actor=contract.owner,
                contract_id=contract.pk,
                lock_version=contract.lock_version,
                code="TT_30_LC_SIGHT_70",
            )
        except DomainError:
            continue
        contract.refresh_from_db()
        chosen.append(contract)
    return chosen


def _record(contract: Contract, number: str, today: dt.date, *, flaws: bool = False):
    text = compose_mt700(contract, number=number, today=today, flaws=flaws)
    values = read_mt700(text).values
    values["received_on"] = today - dt.timedelta(days=1)
    return services.lc_create(
        actor=contract.owner, contract_id=contract.pk, raw_mt700=text, **values
    )


def seed_letters_of_credit(*, today: dt.date | None = None, limit: int = 3) -> dict[str, int]:
    """Record and check demo credits; returns how many credits, checks and amendments."""
    today = today or timezone.localdate()
    counts = {"letters_of_credit": 0, "checks": 0, "amendments": 0}
    with transaction.atomic():
        for index, contract in enumerate(_lc_contracts(limit)):
            number = f"DEMO{today:%y}LC{contract.pk:04d}"
            actor = contract.owner
            try:
                lc = _record(contract, number, today, flaws=index % 3 == 1)
                counts["letters_of_credit"] += 1
                services.lc_check(actor=actor, lc_id=lc.pk, today=today)
                counts["checks"] += 1
                if index % 3 == 1:
                    fix = {"amount": review.contract_terms_of(contract).expected_lc_amount}
                    fix["port_of_discharge"] = contract.destination_port.upper()
                    services.amendment_create(actor=actor, lc_id=lc.pk, amendment_date=today, **fix)
                    counts["amendments"] += 1
                elif index % 3 == 2:
                    services.lc_update(
                        actor=actor, lc_id=lc.pk, on_board_date=today - dt.timedelta(days=8)
                    )
            except DomainError:
                continue
    return counts
