"""Outreach records: mailboxes, the suppression list, templates, sequences, the outbox and the
inbox. The outbox row is the unit of exactly-once sending (see ``outreach.outbox``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.visibility import visible_customers_q
from tradewind.core.models import TimeStampedModel
from tradewind.customers.models import VisibleQuerySet
from tradewind.outreach.choices import (
    EnrollmentStatus,
    InboundStatus,
    MessageStatus,
    Security,
    StepKind,
    StopReason,
    SuppressionReason,
)


class Mailbox(TimeStampedModel):
    """A user's company mailbox (SMTP out, IMAP in), or the workspace mailbox for system mail.
    Passwords are stored encrypted (``outreach.secrets``) and never shown again."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mailboxes",
    )
    is_workspace = models.BooleanField(_("workspace mailbox"), default=False)
    from_name = models.CharField(_("sender name"), max_length=120)
    from_email = models.EmailField(_("sender address"))
    smtp_host = models.CharField(_("SMTP server"), max_length=200)
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=587)
    smtp_security = models.CharField(
        _("SMTP security"), max_length=10, choices=Security.choices, default=Security.STARTTLS
    )
    smtp_username = models.CharField(_("SMTP user name"), max_length=200, blank=True)
    smtp_password_encrypted = models.TextField(blank=True, editable=False)
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    imap_username = models.CharField(_("IMAP user name"), max_length=200, blank=True)
    imap_password_encrypted = models.TextField(blank=True, editable=False)
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    daily_cap = models.PositiveIntegerField(_("most messages a day"), default=200)
    min_interval_seconds = models.PositiveIntegerField(_("seconds between messages"), default=20)
    is_active = models.BooleanField(_("active"), default=True)
    last_test = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_workspace"],
                condition=Q(is_workspace=True),
                name="mailbox_one_workspace_mailbox",
            ),
            models.UniqueConstraint(
                fields=["owner", "from_email"], name="mailbox_unique_address_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_name} <{self.from_email}>"


class Suppression(models.Model):
    """An address that must never be mailed again (unsubscribed, bounced, complained)."""

    email = models.EmailField(_("email"), unique=True)
    reason = models.CharField(_("reason"), max_length=14, choices=SuppressionReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")

    def __str__(self) -> str:
        return self.email


class EmailTemplate(TimeStampedModel):
    """A development letter (开发信) or follow-up with merge fields ({{ contact.first_name }})."""

    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(
        _("language"), max_length=10, choices=[("en", "English"), ("zh-hans", "中文")]
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="email_templates",
    )
    is_shared = models.BooleanField(_("shared with the team"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")

    def __str__(self) -> str:
        return self.name


class TemplateAttachment(models.Model):
    """A file sent with every letter made from the template, such as a catalogue PDF."""

    template = models.ForeignKey(
        EmailTemplate, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="outreach/attachments/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    size_bytes = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.filename


class Sequence(TimeStampedModel):
    """A follow-up cadence: emails and tasks, each after a delay in the buyer's working days."""

    name = models.CharField(_("name"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="sequences",
    )
    is_shared = models.BooleanField(_("shared with the team"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")

    def __str__(self) -> str:
        return self.name


class SequenceStep(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("type"), max_length=10, choices=StepKind.choices)
    delay_working_days = models.PositiveSmallIntegerField(
        _("working days after the previous step"), default=0
    )
    template = models.ForeignKey(
        EmailTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task_title = models.CharField(_("task"), max_length=200, blank=True)

    class Meta:
        ordering = ["sequence", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "position"], name="sequence_step_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} #{self.position}"


class EnrollmentQuerySet(VisibleQuerySet):
    customer_path = "company"


class Enrollment(TimeStampedModel):
    """One contact going through one sequence."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    company = models.ForeignKey(
        "customers.Company", on_delete=models.CASCADE, related_name="enrollments"
    )
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, related_name="enrollments"
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="enrollments")
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
        db_index=True,
    )
    stop_reason = models.CharField(
        _("why it stopped"), max_length=14, choices=StopReason.choices, blank=True
    )
    next_position = models.PositiveSmallIntegerField(default=1)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "contact"], name="enrollment_once_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.sequence}"


class OutboundQuerySet(VisibleQuerySet):
    customer_path = "company"


class OutboundMessage(TimeStampedModel):
    """One message in the outbox. ``idempotency_key`` makes a retry or a second enqueue of the
    same letter impossible; the worker claims the row under a lease before sending it."""

    idempotency_key = models.CharField(max_length=120, unique=True)
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="outbound")
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_messages",
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    template = models.ForeignKey(
        EmailTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("body"))
    is_bulk = models.BooleanField(default=False, help_text="Carries an unsubscribe link.")
    scheduled_at = models.DateTimeField(_("scheduled for"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.SCHEDULED,
    )  # indexed first in outbound_due_idx and outbound_unfiled_status_idx
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the sent message was put on the customer's timeline (once; see outreach.timeline).
    filed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OutboundQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="outbound_due_idx"),
            # Filing on the timeline takes sent, unfiled rows oldest first. The condition is on
            # filed_at alone: SQLite uses a partial index only when the query's terms imply its
            # condition, and a status compared with a bound parameter never implies a literal.
            models.Index(
                fields=["status", "sent_at"],
                condition=Q(filed_at__isnull=True),
                name="outbound_unfiled_status_idx",
            ),
            # A mailbox's usage at claim time: sent today, in flight, the last sent.
            models.Index(fields=["mailbox", "status", "sent_at"], name="outbound_mailbox_use_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class OutboundAttachment(models.Model):
    """A file that goes with one outbox message only (a quotation PDF), kept as sent: the
    message's own attachments follow its template's (``outreach.mime``)."""

    message = models.ForeignKey(
        OutboundMessage, on_delete=models.CASCADE, related_name="own_attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size_bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.filename


class InboundQuerySet(VisibleQuerySet):
    customer_path = "company"

    def visible_to(self, user):
        """Matched mail follows its customer; unmatched mail is seen by its mailbox's owner
        (and the workspace mailbox's by managers and admins)."""
        matched = Q(company__isnull=False) & visible_customers_q(user, "company")
        if not getattr(user, "is_authenticated", False):
            return self.none()
        unmatched = Q(company__isnull=True) & Q(mailbox__owner=user)
        if user.role in ("manager", "admin") or user.is_superuser:
            unmatched |= Q(company__isnull=True, mailbox__is_workspace=True)
        return self.filter(matched | unmatched)


class InboundMessage(models.Model):
    """A message fetched from a mailbox by IMAP, filed on a customer or waiting in the inbox."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="inbound")
    imap_uid = models.BigIntegerField()
    imap_uidvalidity = models.BigIntegerField()
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    from_email = models.EmailField(_("from"))
    from_name = models.CharField(_("sender"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, db_index=True
    )
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    reply_to_message = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InboundQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incoming message")
        verbose_name_plural = _("inbox")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "imap_uidvalidity", "imap_uid"],
                name="inbound_once_per_imap_uid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_email}: {self.subject}"
