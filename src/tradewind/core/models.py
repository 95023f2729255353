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


class DocumentCounter(models.Model):
    """The last number issued for one kind of document in one year (QT-2026-0042).

    Numbers are gapless: :func:`tradewind.core.numbering.next_number` takes the next one inside
    the transaction that saves the document, so a rolled-back save gives its number back."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="document_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CompanyProfile(models.Model):
    """The exporter itself (one row): the letterhead and bank details on quotations, PIs and
    contracts, edited by an admin."""

    name_en = models.CharField(_("company name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("company name (Chinese)"), max_length=200, blank=True)
    address_en = models.TextField(_("address (English)"), blank=True)
    address_zh = models.TextField(_("address (Chinese)"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="profile/", blank=True)
    default_port_of_loading = models.CharField(
        _("usual port of loading"), max_length=80, blank=True
    )
    beneficiary_name = models.CharField(_("beneficiary"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_address = models.TextField(_("bank address"), blank=True)
    bank_account = models.CharField(_("account number"), max_length=60, blank=True)
    bank_swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name_en or self.name_zh or str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "CompanyProfile":
        return cls.objects.get_or_create(pk=1)[0]


class FxRate(models.Model):
    """The bank's buying rate on a day: RMB received for one unit of a foreign currency
    (现汇买入价). Quotations take the latest rate on or before their date."""

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rmb_per_unit = models.DecimalField(
        _("RMB per unit (bank buying)"), max_digits=12, decimal_places=6
    )
    source = models.CharField(_("source"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="fx_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rmb_per_unit__gt=0), name="fx_rate_positive"),
        ]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.rmb_per_unit}"
