"""Choice lists of the L/C desk: the MT700 codes as stored, severities, amendment decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LcStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AvailableBy(models.TextChoices):
    """41a: how the credit is available."""

    PAYMENT = "payment", _("By payment")
    ACCEPTANCE = "acceptance", _("By acceptance")
    NEGOTIATION = "negotiation", _("By negotiation")
    DEFERRED_PAYMENT = "deferred_payment", _("By deferred payment")
    MIXED_PAYMENT = "mixed_payment", _("By mixed payment")


class ShipmentPermission(models.TextChoices):
    """43P / 43T."""

    ALLOWED = "allowed", pgettext_lazy("partial shipment or transhipment", "Allowed")
    NOT_ALLOWED = "not_allowed", pgettext_lazy("partial shipment or transhipment", "Not allowed")
    CONDITIONAL = "conditional", pgettext_lazy("partial shipment or transhipment", "Conditional")


class Confirmation(models.TextChoices):
    """49: confirmation instructions."""

    CONFIRM = "confirm", _("Confirm")
    MAY_ADD = "may_add", _("May add")
    WITHOUT = "without", _("Without")


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Blocking")
    WARNING = "warning", _("Warning")


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for our decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ReminderKind(models.TextChoices):
    LATEST_SHIPMENT = "latest_shipment", _("Latest shipment date")
    LAST_PRESENTATION = "last_presentation", _("Last day for presentation")
    EXPIRY = "expiry", _("Expiry")


class CheckState(models.TextChoices):
    """Where an L/C stands with its check (derived, not stored)."""

    NOT_CHECKED = "not_checked", _("Not checked yet")
    OUTDATED = "outdated", _("Changed since the check")
    BLOCKED = "blocked", _("Discrepancies to resolve")
    ACCEPTED = "accepted", _("Discrepancies accepted")
    CLEAR = "clear", _("Checked: matches the contract")
