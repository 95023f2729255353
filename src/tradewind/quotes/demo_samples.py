"""Demo samples: about ten samples across the lifecycle, for customers already in the demo
workspace, created through the services with real-format AWB numbers (valid check digits).

Call ``seed_samples(seed=…)`` after the customers exist (inside the demo's transaction). Times
are moved into the past after each step, so My day shows samples awaiting feedback and one stuck
in transit, and the sample report has costs and a conversion.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tradewind.catalog.models import Product
from tradewind.customers import services as customer_services
from tradewind.customers.models import Company
from tradewind.demo.data import PRODUCT_LINES
from tradewind.quotes import samples
from tradewind.quotes.couriers import s10_check_digit, ups_check_digit
from tradewind.quotes.models import Sample

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CANDIDATE_STAGES = ("inquiry", "quoted", "sample", "negotiation")


@dataclass(frozen=True)
class Plan:
    """One demo sample: where it ends, with which courier, and how many days ago each step."""

    end: str
    courier: str = ""
    requested: int = 20
    shipped: int | None = None
    delivered: int | None = None
    feedback: int | None = None
    payer: str = "us"
    reason: str = ""


PLANS = (
    Plan("requested", requested=1),
    Plan("in_production", requested=6),
    Plan("shipped", "dhl", requested=8, shipped=3),
    Plan("shipped", "fedex", requested=20, shipped=14),  # stuck in transit: on My day
    Plan("delivered", "ups", requested=12, shipped=7, delivered=2, payer="buyer"),
    Plan("delivered", "ems", requested=25, shipped=18, delivered=9),  # follow-up overdue
    Plan("feedback", "sf", requested=30, shipped=26, delivered=22, feedback=15),
    Plan("approved", "dhl", requested=60, shipped=55, delivered=51, feedback=45),
    Plan(
        "rejected",
        "tnt",
        requested=50,
        shipped=46,
        delivered=42,
        feedback=35,
        reason="Colour temperature too cold; buyer wants 3000K",
    ),
    Plan("cancelled", requested=15, reason="Buyer postponed the project to next season"),
)


def awb_number(rng: random.Random, courier: str) -> str:
    """A number in the carrier's real format, check digit included where one is defined."""

    def digits(n: int) -> str:
        return "".join(rng.choice(DIGITS) for _ in range(n))

    if courier == "dhl":
        return digits(10)
    if courier == "fedex":
        return digits(12)
    if courier == "ups":
        body = "".join(rng.choice(DIGITS + LETTERS) for _ in range(6)) + "01" + digits(7)
        return f"1Z{body}{ups_check_digit(body)}"
    if courier == "tnt":
        return digits(9)
    if courier == "sf":
        return "SF" + digits(13)
    serial = digits(8)
    return f"E{rng.choice(LETTERS)}{serial}{s10_check_digit(serial)}CN"


def _items(rng: random.Random, products: list[Product], charged: bool) -> list[dict]:
    if products:
        chosen = rng.sample(products, min(len(products), rng.choice((1, 2))))
        rows = [{"product": product, "quantity": rng.choice((1, 2, 3))} for product in chosen]
    else:
        line = rng.choice(PRODUCT_LINES)
        names = rng.sample(line.items, min(len(line.items), rng.choice((1, 2))))
        rows = [{"description": en, "quantity": rng.choice((1, 2, 3))} for en, _zh in names]
    if charged:
        rows[0] |= {"charge": "charged", "unit_price": f"{rng.randint(8, 60)}.00"}
    return rows


def _backdate(sample: Sample, now: dt.datetime, **days_ago: int | None) -> None:
    fields = {
        name: now - dt.timedelta(days=days) for name, days in days_ago.items() if days is not None
    }
    Sample.objects.filter(pk=sample.pk).update(**fields)
    for name, value in fields.items():
        setattr(sample, name, value)


def _candidates(count: int) -> list[Company]:
    companies = list(
        Company.objects.filter(owner__isnull=False, owner__is_active=True)
        .filter(stage__in=CANDIDATE_STAGES)
        .select_related("owner")
        .order_by("id")
    )
    return companies[:count] if len(companies) >= count else companies


def seed_samples(*, seed: int = 7, now: dt.datetime | None = None) -> list[Sample]:
    """Create the demo samples; returns them (fewer when the workspace has few customers, none
    when it has samples already)."""
    if Sample.objects.exists():
        return []
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    now = now or timezone.now()
    pool = _candidates(40)
    rng.shuffle(pool)
    products = list(Product.objects.filter(is_active=True)[:30])
    created = []
    for plan, company in zip(PLANS, pool, strict=False):
        created.append(_seed_one(rng, plan, company, products, now))
    return created


def _seed_one(rng, plan: Plan, company: Company, products, now) -> Sample:
    actor = company.owner
    sample = samples.sample_create(
        actor=actor,
        company_id=company.pk,
        items=_items(rng, products, charged=plan.end == "approved"),
        contact=company.contacts.order_by("-is_decision_maker", "id").first(),
        courier_payer=plan.payer,
        collect_account=f"96{rng.randint(1000000, 9999999)}" if plan.payer == "buyer" else "",
        sample_cost_rmb=Decimal(rng.randrange(80, 650, 10)),
        feedback_after_days=rng.choice((3, 5, 5, 7)),
    )
    _backdate(sample, now, created_at=plan.requested)
    if plan.end == "cancelled":
        samples.sample_cancel(actor=actor, sample_id=sample.pk, reason=plan.reason)
        return sample
    if plan.end != "requested" and plan.shipped is None:
        samples.sample_start_production(actor=actor, sample_id=sample.pk)
    if plan.shipped is None:
        return sample
    courier_cost = Decimal(rng.randrange(160, 480, 5)) if plan.payer == "us" else None
    samples.sample_ship(
        actor=actor,
        sample_id=sample.pk,
        courier=plan.courier,
        awb_number=awb_number(rng, plan.courier),
        shipped_at=now - dt.timedelta(days=plan.shipped),
        courier_cost_rmb=courier_cost,
    )
    if plan.delivered is None:
        return sample
    samples.sample_deliver(
        actor=actor, sample_id=sample.pk, delivered_at=now - dt.timedelta(days=plan.delivered)
    )
    if plan.feedback is None:
        return sample
    approved = plan.end != "rejected"
    samples.sample_record_feedback(
        actor=actor,
        sample_id=sample.pk,
        quality_rating=rng.choice((4, 5)) if approved else 2,
        appearance_rating=rng.choice((3, 4, 5)),
        packaging_rating=rng.choice((3, 4, 5)),
        price_acceptable=approved,
        changes_requested="" if approved else "Warmer light (3000K), matt white frame",
        feedback_notes="The buyer's QC tested the samples for a week.",
        feedback_at=now - dt.timedelta(days=plan.feedback),
    )
    if plan.end in ("approved", "rejected"):
        samples.sample_decide(
            actor=actor, sample_id=sample.pk, decision=plan.end, reason=plan.reason
        )
        _backdate(sample, now, decided_at=plan.feedback - 2)
    if plan.end == "approved":  # the trial order that followed: a conversion in the report
        customer_services.company_update(actor=actor, company_id=company.pk, stage="ordered")
    return sample
