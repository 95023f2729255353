"""Choice lists for customer records, in SOP order."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    INQUIRY = "inquiry", _("Inquiry")
    QUOTED = "quoted", _("Quoted")
    SAMPLE = "sample", _("Sample")
    NEGOTIATION = "negotiation", _("Negotiation")
    ORDERED = "ordered", _("Ordered")
    REPEAT = "repeat", _("Repeat customer")
    DORMANT = "dormant", _("Dormant")
    LOST = "lost", _("Lost")


# The SOP stage (DESIGN.md) each customer stage belongs to, for navigation.
SOP_STAGE_OF = {
    Stage.LEAD: 1,
    Stage.CONTACTED: 2,
    Stage.INQUIRY: 3,
    Stage.QUOTED: 3,
    Stage.SAMPLE: 3,
    Stage.NEGOTIATION: 4,
    Stage.ORDERED: 5,
    Stage.REPEAT: 6,
    Stage.DORMANT: 6,
    Stage.LOST: 6,
}


class Grade(models.TextChoices):
    A = "A", _("A · ordering")
    B = "B", _("B · sample or trial order")
    C = "C", _("C · high-potential prospect")
    D = "D", _("D · ordinary prospect")


class CustomerType(models.TextChoices):
    IMPORTER = "importer", _("Importer")
    WHOLESALER = "wholesaler", _("Wholesaler / distributor")
    RETAILER = "retailer", _("Retailer")
    BRAND = "brand", _("Brand owner")
    PROJECT = "project", _("Project buyer")
    TRADER = "trader", _("Trading company")
    OTHER = "other", _("Other")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("1–10 staff")
    SMALL = "small", _("11–50 staff")
    MEDIUM = "medium", _("51–250 staff")
    LARGE = "large", _("More than 250 staff")


class Source(models.TextChoices):
    B2B = "b2b", _("B2B platform")
    SEARCH = "search", _("Search engine")
    SOCIAL = "social", _("Social media")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Our website")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    CHAT = "chat", _("WhatsApp / IM")
    LINKEDIN = "linkedin", _("LinkedIn")
    VISIT = "visit", _("Visit")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    NOTE = "note", _("Note")


class Direction(models.TextChoices):
    OUTBOUND = "out", _("Outbound")
    INBOUND = "in", _("Inbound")
    INTERNAL = "internal", _("Internal")


class Screening(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")


class DuplicatePolicy(models.TextChoices):
    BLOCK = "block", _("Block: a likely duplicate cannot be created")
    WARN = "warn", _("Warn: show the match, let the rep decide")


class AutoAssign(models.TextChoices):
    OFF = "off", _("Off: new leads stay with whoever creates or imports them")
    REGION = "region", _("By country or region (assignment rules)")
    ROTATION = "rotation", _("Rotation among the team's salespeople")


# Stages at which a customer has a deal in progress or an order: never released to the pool.
PROTECTED_STAGES = ("quoted", "sample", "negotiation", "ordered", "repeat")
