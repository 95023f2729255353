"""Choice lists of the outreach app: mail security, message states, sequence steps and stops."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Security(models.TextChoices):
    NONE = "none", _("None (plain)")
    STARTTLS = "starttls", _("STARTTLS")
    SSL = "ssl", _("SSL/TLS")


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced (address invalid)")
    COMPLAINT = "complaint", _("Complained")
    MANUAL = "manual", _("Added by hand")


class StepKind(models.TextChoices):
    EMAIL = "email", _("Email")
    CALL = "call", _("Call task")
    WHATSAPP = "whatsapp", _("WhatsApp task")
    LINKEDIN = "linkedin", _("LinkedIn task")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class StopReason(models.TextChoices):
    REPLIED = "replied", _("The buyer replied")
    BOUNCED = "bounced", _("The address bounced")
    UNSUBSCRIBED = "unsubscribed", _("The buyer unsubscribed")
    INQUIRY = "inquiry", _("The customer reached the inquiry stage")
    MANUAL = "manual", _("Stopped by hand")


class InboundStatus(models.TextChoices):
    MATCHED = "matched", _("Filed on a customer's timeline")
    NEW_INQUIRY = "new_inquiry", _("New inquiry from an unknown sender")
    CONVERTED = "converted", _("Turned into a lead")
    DISMISSED = "dismissed", _("Dismissed")
