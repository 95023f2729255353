"""Records every app shares: the audit trail and the scheduler's run slots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain records: creation and last-change times, stored in UTC."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which record, and which fields changed (old → new)."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    # The customer the record belongs to, so the company page can show its whole history
    # (contacts, activities, tasks) and the visibility rule can filter audit rows.
    # No database constraint: the history outlives a deleted customer.
    company = models.ForeignKey(
        "customers.Company",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="audit_events",
        db_constraint=False,
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class ScheduledRun(models.Model):
    """One row per (job, slot): a periodic job is enqueued once per slot by however many workers."""

    name = models.CharField(max_length=80)
    slot = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot}"
