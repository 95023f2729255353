"""Demo quotations: a handful of offers in the states a sales team meets — priced drafts from
ready inquiries, one waiting for the manager's margin approval, one sent, one sent and expired,
one with a second revision to compare, and an LCL trial order.

Written through the services as each customer's owner (so numbers, FX from the rate table,
prices, approvals and audit trail are real). Sending belongs to quotes documents (outbox, PDF);
the demo freezes its "sent" revisions directly, without mail. Running it twice adds nothing
twice: it seeds only into a workspace without quotations.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tradewind.catalog.models import Product
from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError
from tradewind.customers.models import Company
from tradewind.quotes import approvals, quotations
from tradewind.quotes.checklist import missing_items
from tradewind.quotes.choices import QuotationStatus, RevisionStatus
from tradewind.quotes.models import Inquiry, Quotation, QuotationRevision

CANDIDATE_STAGES = ("quoted", "negotiation", "sample", "inquiry")
FALLBACK_FX = Decimal("7.1012")
DESTINATIONS = ("Hamburg", "Rotterdam", "Felixstowe", "Los Angeles", "Melbourne", "Dubai")
CHARGES = [
    {"label": "Trucking Yuyao–Ningbo port", "amount_rmb": "1800", "basis": "per_shipment"},
    {"label": "THC and port charges", "amount_rmb": "1250", "basis": "per_shipment",
     "block": "origin_terminal"},
    {"label": "Customs broker and documents", "amount_rmb": "600", "basis": "per_shipment",
     "block": "export_clearance"},
    {"label": "Bank charges", "amount_rmb": "0.05", "basis": "per_unit", "block": "goods"},
]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    story: str
    models: tuple[str, ...]
    quantities: tuple[int, ...]
    terms: dict
    days_ago: int


PLANS = (
    Plan("pending_approval", ("LED-P6060-40W",), (2000,),
         {"incoterm": "CIF", "margin_percent": Decimal(6), "freight_basis": "container",
          "container_type": "40HQ", "freight_rate": Decimal(2650),
          "insurance_rate_percent": Decimal("0.3")}, 3),
    Plan("sent", ("LED-DL-R6-12W", "LED-A60-9W"), (4000, 20000),
         {"incoterm": "FOB", "margin_percent": Decimal(14)}, 9),
    Plan("expired", ("FUR-ST-4545-OAK",), (300,),
         {"incoterm": "CFR", "margin_percent": Decimal(16), "freight_basis": "container",
          "container_type": "40GP", "freight_rate": Decimal(2300)}, 45),
    Plan("revised", ("LED-T8-18W-120", "LED-FL-100W"), (6000, 600),
         {"incoterm": "CIF", "margin_percent": Decimal(15), "freight_basis": "container",
          "container_type": "40HQ", "freight_rate": Decimal(2800),
          "insurance_rate_percent": Decimal("0.25"), "commission_percent": Decimal(3)}, 14),
    Plan("lcl", ("LED-DESK-08",), (500,),
         {"incoterm": "CFR", "margin_percent": Decimal(18), "freight_basis": "lcl",
          "freight_rate": Decimal(65)}, 5),
)  # fmt: skip


def _products() -> dict[str, Product]:
    return {p.model: p for p in Product.objects.filter(is_active=True).select_related("hs_code")}


def _fx_terms(currency: str = "USD") -> dict:
    """Take the rate table's rate; without one (no catalogue demo) type a typical rate."""
    try:
        quotations.fx_rate_on(currency, timezone.localdate())
    except DomainError:
        return {"fx_rmb_per_unit": FALLBACK_FX}
    return {}


def _backdate(quotation: Quotation, when: dt.datetime) -> None:
    Quotation.objects.filter(pk=quotation.pk).update(created_at=when)
    QuotationRevision.objects.filter(quotation=quotation).update(created_at=when)


def _mark_sent(revision: QuotationRevision, actor, when: dt.datetime) -> None:
    """What sending does to the records (without the mail): the revision frozen, the quotation
    sent. Only a revision the sending gate would let through."""
    approvals.ensure_sendable(revision)
    QuotationRevision.objects.filter(pk=revision.pk).update(
        status=RevisionStatus.SENT, sent_at=when, sent_by=actor
    )
    QuotationRevision.objects.filter(
        quotation=revision.quotation, status=RevisionStatus.SENT, created_at__lt=when
    ).exclude(pk=revision.pk).update(status=RevisionStatus.SUPERSEDED)
    Quotation.objects.filter(pk=revision.quotation_id).update(status=QuotationStatus.SENT)
    audit_record(
        actor=actor,
        action="send",
        instance=revision,
        changes={"sent_at": when.isoformat()},
        company_id=revision.quotation.company_id,
    )


def _lines(plan: Plan, products: dict[str, Product]) -> list[dict]:
    rows = []
    for model, quantity in zip(plan.models, plan.quantities, strict=True):
        product = products.get(model)
        if product is not None:
            rows.append({"product": product, "quantity": quantity})
    return rows


def _seed_plan(plan: Plan, company: Company, products, rng, now) -> Quotation | None:
    lines = _lines(plan, products)
    if not lines:
        return None
    actor = company.owner
    terms = dict(plan.terms) | _fx_terms()
    terms.setdefault("destination_port", rng.choice(DESTINATIONS))
    terms["named_place"] = "Ningbo" if terms["incoterm"] == "FOB" else terms["destination_port"]
    terms["port_of_loading"] = "Ningbo"
    terms["domestic_charges"] = CHARGES
    terms["lead_time_days"] = rng.choice((25, 30, 35, 45))
    terms["packing"] = "Export cartons, shipping marks as per buyer"
    contact = company.contacts.order_by("-is_decision_maker", "id").first()
    quotation = quotations.quotation_create(
        actor=actor, company_id=company.pk, contact=contact, lines=lines, **terms
    )
    revision = quotations.latest_revision(quotation)
    created = now - dt.timedelta(days=plan.days_ago, hours=rng.randint(1, 6))
    if plan.story == "pending_approval":
        approvals.approval_request(
            actor=actor,
            revision_id=revision.pk,
            comment="Competing offer from a Vietnamese factory at about 4 % below us; the buyer "
            "promises 2 × 40HQ a quarter if the first order goes well.",
        )
    elif plan.story in ("sent", "expired", "revised"):
        _mark_sent(revision, actor, created + dt.timedelta(hours=2))
    if plan.story == "expired":
        QuotationRevision.objects.filter(pk=revision.pk).update(
            valid_until=(created + dt.timedelta(days=30)).date()
        )
    _backdate(quotation, created)
    if plan.story == "revised":
        rev_b = quotations.revision_new(actor=actor, quotation_id=quotation.pk)
        quotations.revision_update(
            actor=actor,
            revision_id=rev_b.pk,
            margin_percent=Decimal(12),
            remarks="Revised after the buyer's counter-offer: 3 % lower, same terms.",
        )
    return quotation


def _from_ready_inquiries(now, limit: int = 2) -> int:
    created = 0
    ready = Inquiry.objects.filter(status="open", quotations__isnull=True).select_related(
        "company", "assignee"
    )
    for inquiry in ready.order_by("id"):
        if created >= limit:
            break
        if missing_items(inquiry):
            continue
        try:
            quotations.quotation_create_from_inquiry(
                actor=inquiry.assignee, inquiry_id=inquiry.pk, **_fx_terms(inquiry.currency)
            )
        except DomainError:
            continue  # an inquiry the demo left incomplete in another way: skip it
        created += 1
    return created


def seed_quotations(*, seed: int = 7, now: dt.datetime | None = None) -> dict[str, int]:
    """Create the demo quotations; returns counts by story (empty when the workspace already
    has quotations or no owned customers)."""
    if Quotation.objects.exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    now = now or timezone.now()
    products = _products()
    companies = list(
        Company.objects.filter(owner__isnull=False, owner__is_active=True)
        .filter(stage__in=CANDIDATE_STAGES)
        .select_related("owner")
        .order_by("id")[:60]
    )
    rng.shuffle(companies)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for plan, company in zip(PLANS, companies, strict=False):
            if _seed_plan(plan, company, products, rng, now) is not None:
                counts[plan.story] = counts.get(plan.story, 0) + 1
        counts["from_inquiry"] = _from_ready_inquiries(now)
    counts["quotations"] = Quotation.objects.count()
    return counts
