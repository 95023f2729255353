"""Users, teams and API tokens."""

import hashlib
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.choices import Language, Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone “%(zone)s”."), params={"zone": value})


class Team(models.Model):
    """A sales team; its manager sees every customer its members own."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )
    min_margin_percent = models.DecimalField(
        _("minimum margin %"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_(
            "A quotation below this margin needs the manager's approval before it is sent."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A salesperson, manager or admin, with their language and time zone."""

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SALES)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_USER_TIME_ZONE,
        validators=[validate_time_zone],
    )
    signature = models.TextField(_("email signature"), blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_workspace_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, default="cli")
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} · {self.prefix}…"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed log-in, kept to lock out guessing by user name and by address."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "created_at"], name="loginfail_ip_idx")]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address}"
