"""Choice lists for inquiries, quotations and samples."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncotermChoice(models.TextChoices):
    # Values are tradewind.trade.incoterms.Incoterm; FAS is not priced by the trade core.
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"


class InquirySource(models.TextChoices):
    EMAIL = "email", _("Email")
    B2B = "b2b", _("B2B platform")
    WEBSITE = "website", _("Our website")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("WhatsApp / IM")
    OTHER = "other", _("Other")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    QUOTED = "quoted", _("Quoted")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    CLOSED = "closed", _("Closed")


class ChecklistItem(models.TextChoices):
    """What the SOP says to confirm before quoting (询盘确认清单), in that order."""

    SPECIFICATION = "specification", _("Specification")
    MATERIAL = "material", _("Material")
    QUANTITY = "quantity", _("Quantity")
    PACKING = "packing", _("Packing")
    LEAD_TIME = "lead_time", _("Lead time")
    DESTINATION_PORT = "destination_port", _("Destination port")
    INCOTERM = "incoterm", _("Incoterm and named place")
    PAYMENT_TERMS = "payment_terms", _("Payment terms")
    CERTIFICATES = "certificates", _("Certificates")


class QuotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    SUPERSEDED = "superseded", _("Superseded")


class ApprovalStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    REQUIRED = "required", _("Approval required")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FreightBasis(models.TextChoices):
    NONE = "none", _("No freight (EXW / FCA / FOB only)")
    CONTAINER = "container", _("Full container (FCL)")
    LCL = "lcl", _("Less than container (LCL)")
    PER_UNIT = "per_unit", _("Per unit")


class ContainerChoice(models.TextChoices):
    GP20 = "20GP", "20GP"
    GP40 = "40GP", "40GP"
    HQ40 = "40HQ", "40HQ"


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    RAIL = "rail", _("Rail")
    ROAD = "road", _("Road")


class Convention(models.TextChoices):
    ADDON = "addon", _("Freight and insurance at cost")
    TEXTBOOK = "textbook", _("Margin on freight and insurance too")


class MarginBasis(models.TextChoices):
    PRICE = "price", _("Margin on price")
    COST = "cost", _("Markup on cost")


class ChargeAllocation(models.TextChoices):
    VOLUME = "volume", _("By volume")
    VALUE = "value", _("By value")


class Courier(models.TextChoices):
    DHL = "dhl", "DHL"
    FEDEX = "fedex", "FedEx"
    UPS = "ups", "UPS"
    TNT = "tnt", "TNT"
    SF = "sf", _("SF Express")
    EMS = "ems", "EMS"
    OTHER = "other", _("Other")


class CourierPayer(models.TextChoices):
    US = "us", _("Our account (prepaid)")
    BUYER = "buyer", _("Buyer's collect account")


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_PRODUCTION = "in_production", _("In production")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    FEEDBACK = "feedback", _("Feedback received")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class SampleCharge(models.TextChoices):
    FREE = "free", _("Free")
    CHARGED = "charged", _("Charged")
