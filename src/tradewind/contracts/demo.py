"""Demo contracts: country-risk classes, a few buyer credit limits, and PIs / contracts made from
the demo's accepted quotations at every step of signing (draft, sent, signed with the deposit
credited, signed with only a bank slip). Everything goes through the real services."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tradewind.contracts import payments, pdf, services, workspace
from tradewind.contracts.models import BuyerCredit, Contract, CountryRisk
from tradewind.customers.models import Company
from tradewind.quotes.models import Quotation

# A company's own view, OECD-like: 0 lowest … 7 highest.
COUNTRY_RISK = {
    "DE": (0, "OECD high income"),
    "NL": (0, "OECD high income"),
    "GB": (0, "OECD high income"),
    "US": (0, "OECD high income"),
    "AU": (0, "OECD high income"),
    "FR": (0, "OECD high income"),
    "PL": (2, ""),
    "MX": (3, ""),
    "BR": (4, ""),
    "TR": (5, "Currency controls; ask for a deposit"),
    "NG": (6, "FX shortage; confirmed L/C or prepayment"),
    "PK": (7, "Prepayment or confirmed L/C only"),
}
STEPS = ("draft", "sent", "signed_credited", "signed_slip", "draft", "signed_credited")


def _manager():
    from tradewind.accounts.models import User

    return User.objects.filter(role__in=("manager", "admin"), is_active=True).order_by("id").first()


def _risks(actor) -> int:
    added = 0
    for country, (risk_class, note) in COUNTRY_RISK.items():
        if not CountryRisk.objects.filter(country=country).exists():
            workspace.country_risk_set(
                actor=actor, country=country, risk_class=risk_class, note=note
            )
            added += 1
    return added


def _credit_limits(actor, rng: random.Random, today: date) -> int:
    added = 0
    for company in Company.objects.filter(grade="A").order_by("id")[:4]:
        if BuyerCredit.objects.filter(company=company).exists():
            continue
        workspace.buyer_credit_set(
            actor=actor,
            company_id=company.pk,
            limit_amount=Decimal(rng.choice((50_000, 80_000, 150_000))),
            currency="USD",
            buyer_code=f"SIN-{rng.randint(100000, 999999)}",
            approved_credit_days=rng.choice((60, 90)),
            valid_until=today.replace(year=today.year + 1),
        )
        added += 1
    return added


def _advance(contract: Contract, step: str, today: date) -> None:
    actor = contract.owner
    if step == "draft":
        return
    try:
        services.contract_mark_ready(actor=actor, contract_id=contract.pk)
        services.contract_send(actor=actor, contract_id=contract.pk)
    except services.NotReady:
        return
    if step == "sent":
        return
    contract.refresh_from_db()
    signed = SimpleUploadedFile("signed.pdf", pdf.render_pdf(contract), "application/pdf")
    services.contract_sign(actor=actor, contract_id=contract.pk, file=signed)
    for deposit in contract.deposits.all():
        if step == "signed_slip":
            payments.deposit_record_slip(actor=actor, deposit_id=deposit.pk, reference="TT-SLIP-01")
        else:
            payments.deposit_credit(
                actor=actor, deposit_id=deposit.pk, amount=deposit.amount_due, value_date=today
            )


def seed_contracts(*, seed: int = 7, today: date | None = None, limit: int = 6) -> dict[str, int]:
    """Seed credit settings and contracts from accepted quotations; returns what was added."""
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    today = today or timezone.localdate()
    manager = _manager()
    counts = {"country_risks": 0, "credit_limits": 0, "contracts": 0}
    if manager is None:
        return counts
    with transaction.atomic():
        counts["country_risks"] = _risks(manager)
        counts["credit_limits"] = _credit_limits(manager, rng, today)
        accepted = (
            Quotation.objects.filter(status="accepted", accepted_revision__isnull=False)
            .exclude(contracts__isnull=False)
            .select_related("owner")
            .order_by("id")[:limit]
        )
        for index, quotation in enumerate(accepted):
            kind = "PI" if index % 2 == 0 else "SC"
            try:
                contract = services.contract_create_from_quotation(
                    actor=quotation.owner, quotation_id=quotation.pk, kind=kind
                )
                if not contract.payment_terms:
                    payments.contract_set_payment_terms(
                        actor=quotation.owner,
                        contract_id=contract.pk,
                        lock_version=contract.lock_version,
                        code="TT_30_70_BEFORE_SHIPMENT",
                    )
                contract.refresh_from_db()
                _advance(contract, STEPS[index % len(STEPS)], today)
            except services.DomainError:
                continue
            counts["contracts"] += 1
    return counts
