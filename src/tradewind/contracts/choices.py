"""Choice lists for contracts: kinds, the signing lifecycle and its transitions, clause keys,
approvals and deposits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    PI = "PI", _("Proforma invoice")
    SC = "SC", _("Sales contract")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready to sign")
    SENT = "sent", _("Sent for signature")
    SIGNED = "signed", _("Signed")
    AMENDING = "amending", _("Amendment in draft")
    CANCELLED = "cancelled", _("Cancelled")


# Which status may follow which (django-oscar's pattern: refuse anything else by name).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.READY, ContractStatus.CANCELLED}),
    ContractStatus.READY: frozenset(
        {
            ContractStatus.SENT,
            ContractStatus.DRAFT,
            ContractStatus.AMENDING,
            ContractStatus.CANCELLED,
        }
    ),
    ContractStatus.SENT: frozenset(
        {
            ContractStatus.SIGNED,
            ContractStatus.DRAFT,
            ContractStatus.AMENDING,
            ContractStatus.CANCELLED,
        }
    ),
    ContractStatus.SIGNED: frozenset({ContractStatus.AMENDING}),
    ContractStatus.AMENDING: frozenset({ContractStatus.READY}),
    ContractStatus.CANCELLED: frozenset(),
}

# Statuses in which the contract's terms, lines and clauses may be changed.
EDITABLE_STATUSES = frozenset({ContractStatus.DRAFT, ContractStatus.AMENDING})


class ClauseKey(models.TextChoices):
    """The clauses every contract needs, in the order they are printed; CUSTOM for extras."""

    GOODS = "goods", _("Goods, specification and quantity")
    PRICE = "price", _("Unit price and total amount")
    QUALITY = "quality", _("Quality standard")
    PACKING = "packing", _("Packing and shipping marks")
    SHIPMENT = "shipment", _("Time and port of shipment")
    INSURANCE = "insurance", _("Insurance")
    PAYMENT = "payment", _("Payment")
    INSPECTION = "inspection", _("Inspection")
    CLAIMS = "claims", _("Claims")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    BREACH = "breach", _("Liability for breach")
    DISPUTES = "disputes", _("Arbitration and governing law")
    BANK = "bank", _("Beneficiary bank details")
    CUSTOM = "custom", _("Other clause")


REQUIRED_CLAUSES: tuple[str, ...] = tuple(key for key in ClauseKey.values if key != "custom")


class ShipmentPermission(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    PROHIBITED = "prohibited", _("Not allowed")


class InsuredBy(models.TextChoices):
    SELLER = "seller", _("Seller")
    BUYER = "buyer", _("Buyer")


class InspectionBy(models.TextChoices):
    SELLER_QC = "seller_qc", _("Seller's QC")
    BUYER = "buyer", _("Buyer or its agent")
    THIRD_PARTY = "third_party", _("Third party (SGS, BV, Intertek …)")
    CUSTOMS = "customs", _("China Customs (statutory inspection)")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
