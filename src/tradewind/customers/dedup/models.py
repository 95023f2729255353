"""Duplicate-check tables: the keys each company is recognised by, and the pairs of companies
that look like the same buyer (with a manager's "not a duplicate" when they are not)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewind.customers.models import Company


class KeyKind(models.TextChoices):
    NAME = "name", _("Company name")
    TOKEN = "tok", _("Word of the name")
    PREFIX = "pfx", _("Start of the name")
    WEB = "web", _("Website")
    EMAIL = "email", _("Email address")
    DOMAIN = "domain", _("Email domain")
    PHONE = "phone", _("Phone")
    PHONE_TAIL = "ph8", _("Last 8 digits of a phone")


class DedupKey(models.Model):
    """One ``(kind, value)`` a company is recognised by (see keys.py for the kinds).

    Rebuilt by ``refresh_company_keys``; looked up by (kind, value) with the company id in the
    same index, so a block's newest companies are read from the index alone."""

    # Indexed by the unique constraint below, which starts with the company.
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="dedup_keys", db_index=False
    )
    kind = models.CharField(max_length=8, choices=KeyKind.choices)
    value = models.CharField(max_length=254)

    class Meta:
        verbose_name = _("duplicate-check key")
        verbose_name_plural = _("duplicate-check keys")
        indexes = [
            models.Index(fields=["kind", "value", "company"], name="dedup_key_lookup_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "value"], name="dedup_key_once_per_company"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class DuplicatePair(models.Model):
    """Two companies that look like the same buyer; ``company_a`` has the smaller id.

    Kept current by ``refresh_pairs`` whenever either company's keys change; a manager's
    dismissal ("not a duplicate") stays, so the pair does not come back."""

    company_a = models.ForeignKey(  # indexed by the unique constraint, which starts with it
        Company, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    company_b = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("match score"))
    # [[code, detail], …]: what the two share, rendered in the reader's language (reasons.py).
    reasons = models.JSONField(_("reasons"), default=list)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    dismissed_at = models.DateTimeField(_("marked not a duplicate"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        indexes = [
            models.Index(fields=["-score", "-id"], name="dedup_pair_rank_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company_a", "company_b"], name="dedup_pair_once"),
            models.CheckConstraint(
                condition=models.Q(company_a__lt=models.F("company_b")),
                name="dedup_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_a_id} ~ {self.company_b_id} ({self.score})"
