"""Records of the public pool (公海): claims, release reminders, nightly runs and assignment rules.

The pool itself needs no table: a company without an owner is in the pool. These models keep
what the rules need to be counted once and done once:

- ``PoolClaim`` — one row per claim; the daily claim limit counts them in the rep's local day,
  and "Tom claimed it a moment ago" is told from them.
- ``PoolReminder`` — unique per (company, release date): the reminder task and email for one
  coming release are made once, however often the reminder job runs.
- ``PoolRun`` — unique per (job, workspace-local date): the nightly release and the reminder
  job each run once a day even when several workers pick them up.
- ``AssignmentRule`` and ``RotationPointer`` — where new leads go when auto-assign is on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import Team


class PoolClaim(models.Model):
    """A rep took a customer out of the public pool."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "customers.Company", on_delete=models.CASCADE, related_name="pool_claims"
    )
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        verbose_name = _("pool claim")
        verbose_name_plural = _("pool claims")
        indexes = [
            models.Index(fields=["user", "claimed_at"], name="poolclaim_user_time_idx"),
            models.Index(fields=["company", "-claimed_at"], name="poolclaim_company_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} claimed {self.company} at {self.claimed_at:%Y-%m-%d %H:%M}"


class PoolReminder(models.Model):
    """The warning to an owner that a customer returns to the pool on ``release_on``."""

    company = models.ForeignKey(
        "customers.Company", on_delete=models.CASCADE, related_name="pool_reminders"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    release_on = models.DateField(_("release date"))
    release_at = models.DateTimeField(_("release due at"))
    reason = models.CharField(_("reason"), max_length=12)
    task = models.ForeignKey(
        "customers.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # The email goes out after the row is committed: claimed (with a lease), then marked sent.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pool reminder")
        verbose_name_plural = _("pool reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "release_on"], name="pool_reminder_once_per_release_date"
            )
        ]
        indexes = [models.Index(fields=["emailed_at", "owner"], name="poolreminder_unsent_idx")]

    def __str__(self) -> str:
        return f"{self.company} returns to the pool on {self.release_on}"


class PoolRun(models.Model):
    """One day's run of a pool job; the unique key lets only one worker run it."""

    job = models.CharField(max_length=20)
    run_date = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "run_date"], name="pool_run_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_date}"


class AssignmentRule(models.Model):
    """New leads from these countries or regions go to one rep, or rotate through a team.

    Rules are tried in ``position`` order; a rule with no countries and no regions matches every
    lead, so it belongs last as the catch-all."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team (in rotation)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False, team__isnull=True)
                | Q(assignee__isnull=True, team__isnull=False),
                name="assignment_rule_one_target",
            )
        ]

    def __str__(self) -> str:
        places = ", ".join([*self.regions, *self.countries]) or "*"
        return f"{places} → {self.assignee or self.team}"

    def matches(self, country: str, region: str) -> bool:
        if not self.countries and not self.regions:
            return True
        return bool(country) and (country in self.countries or (region and region in self.regions))


class RotationPointer(models.Model):
    """Who got the last lead of a rotation (a rule's, a team's or the workspace's)."""

    scope = models.CharField(max_length=40, unique=True)
    last_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.scope} → {self.last_user_id}"
