"""Demo inquiries: about fifteen buyers' requests in every state a rep meets — just in, overdue
for a first reply, answered, ready to quote, quoting with waivers, lost and closed.

Written through the services as each customer's owner, so deadlines follow the workspace policy,
customers move to the inquiry stage, and each row has its audit trail. Logging the first reply as
an outbound email goes through ``activity_log``, so the reply is recorded the way it is in use.
Running it twice adds nothing twice (a request already seeded is skipped).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tradewind.catalog.models import Product
from tradewind.customers import services as customer_services
from tradewind.quotes import inquiries
from tradewind.quotes.models import Inquiry

# subject, products (model prefixes or free descriptions), story
REQUESTS = (
    ("Price for LED panels 600×600, 2 containers", ["LED-P6060"], "overdue"),
    ("RFQ: 40W panels and downlights for a school project", ["LED-P6060", "Downlight"], "overdue"),
    ("Need your best price for floodlights 100W", ["Floodlight 100W IP66"], "overdue"),
    ("Inquiry from Canton Fair — ceramic tableware sets", ["Ceramic dinner set"], "new"),
    ("Quotation request: rattan baskets, private label", ["Rattan basket set"], "new"),
    ("Can you offer LED tubes T8 1200mm?", ["T8 LED tube 1200mm 18W"], "new"),
    ("Looking for a supplier of oak side tables", ["Oak side table"], "replied"),
    ("Follow-up: panel lights for our warehouse", ["LED-P6060"], "replied"),
    ("Trial order 500 pcs desk lamps", ["LED desk lamp"], "ready"),
    ("Repeat order LED panels — same spec as last year", ["LED-P6060"], "ready"),
    ("CIF Hamburg offer for metal shelving", ["Metal shelving unit"], "waived"),
    ("Samples and price for bamboo trays", ["Bamboo serving tray"], "waived"),
    ("Price check for LED strips", ["LED strip 5m"], "lost"),
    ("Downlights for a hotel refurbishment", ["Downlight 12W"], "lost"),
    ("General catalogue request", [], "closed"),
)
DETAILS = {
    "packing": "Export carton, 20 pcs/ctn, palletised",
    "lead_time": "30–35 days after deposit",
    "destination_port": "Hamburg",
    "incoterm": "FOB",
    "named_place": "Ningbo",
    "payment_terms": "30% T/T deposit, 70% against B/L copy",
    "certificates": "CE, RoHS",
}
PORTS = ("Hamburg", "Rotterdam", "Felixstowe", "Los Angeles", "Jebel Ali", "Santos", "Sydney")


def _line(products: dict, rng: random.Random, wanted: str, *, complete: bool) -> dict:
    product = next((p for model, p in products.items() if model.startswith(wanted)), None)
    line = {
        "product": product,
        "description": "" if product else wanted,
        "quantity": rng.choice((300, 500, 1000, 2000, 5000))
        if complete or rng.random() < 0.5
        else None,
        "target_price": None,
    }
    if not product:
        line["specification"] = "As per buyer's drawing" if complete else ""
        line["material"] = "Standard" if complete else ""
    return line


def _story(inquiry, story: str, owner, rng: random.Random, now: dt.datetime) -> None:
    if story in ("replied", "ready", "waived", "lost"):
        customer_services.activity_log(
            actor=owner,
            company_id=inquiry.company_id,
            kind="email",
            direction="out",
            contact=inquiry.contact,
            summary=f"Re: {inquiry.subject} — thanked the buyer, asked for the missing details",
            occurred_at=min(inquiry.received_at + dt.timedelta(hours=rng.randint(1, 5)), now),
        )
    if story == "waived":
        inquiries.inquiry_waive(
            actor=owner,
            inquiry_id=inquiry.pk,
            item="certificates",
            reason="The buyer's market needs no certificates for this product.",
        )
        inquiries.inquiry_waive(
            actor=owner,
            inquiry_id=inquiry.pk,
            item="lead_time",
            reason="Stock item: ships within a week of payment.",
        )
    if story == "lost":
        inquiries.inquiry_close(
            actor=owner,
            inquiry_id=inquiry.pk,
            status="lost",
            reason=rng.choice(
                ("Our price was 12% above their target.", "They bought from a local stockist.")
            ),
        )
    if story == "closed":
        inquiries.inquiry_close(
            actor=owner,
            inquiry_id=inquiry.pk,
            status="closed",
            reason="Only wanted the catalogue, no project yet.",
        )


def _received(story: str, rng: random.Random, now: dt.datetime) -> dt.datetime:
    if story == "overdue":  # two weeks back: past the reply deadline even over a holiday
        return now - dt.timedelta(days=rng.randint(14, 20), hours=rng.randint(0, 8))
    if story == "new":
        return now - dt.timedelta(minutes=rng.randint(20, 90))
    return now - dt.timedelta(days=rng.randint(15, 40), hours=rng.randint(0, 8))


def seed_inquiries(*, users, companies, now=None, seed: int = 7) -> dict[str, int]:
    """About fifteen inquiries on ``companies`` (owned ones; the owner handles them), in
    every state. ``users`` are the demo users (only used to fall back on when a customer has no
    owner). Returns counts by story."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    now = now or timezone.now()
    products = {p.model: p for p in Product.objects.filter(is_active=True)}
    owned = [c for c in companies if c.owner_id and not c.inquiries.exists()]
    rng.shuffle(owned)
    seeded = set(
        Inquiry.objects.filter(subject__in=[r[0] for r in REQUESTS]).values_list(
            "subject", flat=True
        )
    )
    todo = [request for request in REQUESTS if request[0] not in seeded]
    fallback = next(iter(users), None)
    counts: dict[str, int] = {}
    for (subject, wanted, story), company in zip(todo, owned, strict=False):
        owner = company.owner or fallback
        complete = story in ("ready", "waived")
        details = dict(DETAILS, destination_port=rng.choice(PORTS)) if complete else {}
        if story == "waived":
            details.pop("certificates")
            details.pop("lead_time")
        elif not complete and rng.random() < 0.6:
            details = {"incoterm": "FOB", "destination_port": rng.choice(PORTS)}
        contact = company.contacts.order_by("id").first()
        inquiry = inquiries.inquiry_create(
            actor=owner,
            company_id=company.pk,
            contact=contact,
            subject=subject,
            message=f"Dear Sirs,\n\n{subject}. Please send your best offer.\n\nBest regards",
            source=rng.choice(("email", "b2b", "website", "trade_fair")),
            received_at=_received(story, rng, now),
            lines=[_line(products, rng, w, complete=complete) for w in wanted],
            **details,
        )
        _story(inquiry, story, owner, rng, now)
        counts[story] = counts.get(story, 0) + 1
    counts["inquiries"] = Inquiry.objects.count()
    return counts
