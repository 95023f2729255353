"""Writes to accounts: users, API tokens, preferences, and the log-in lock-out."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.accounts.models import ApiToken, LoginFailure, Team, User
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError

TOKEN_PREFIX = "tw_"  # noqa: S105 (a marker, not a secret)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    role: str = Role.SALES,
    team_name: str = "",
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "zh-hans",
    time_zone: str = "",
) -> User:
    """Create a user (and their team if it is new); a manager becomes the team's manager."""
    if role not in Role.values:
        raise DomainError(
            _("Unknown role “%(role)s” — use sales, manager or admin.") % {"role": role},
            field="role",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The user name “%(name)s” is taken.") % {"name": username}, field="username"
        )
    team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
    user = User(
        username=username,
        role=role,
        team=team,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        time_zone=time_zone or settings.DEFAULT_USER_TIME_ZONE,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if team and role == Role.MANAGER and team.manager_id is None:
        team.manager = user
        team.save(update_fields=["manager"])
    audit_record(
        actor=actor,
        action="create",
        instance=user,
        changes=snapshot(user, ["username", "role", "team", "email"]),
    )
    return user


@transaction.atomic
def user_update_preferences(*, actor: User, language: str, time_zone: str, signature: str) -> User:
    before = snapshot(actor, ["language", "time_zone", "signature"])
    actor.language, actor.time_zone, actor.signature = language, time_zone, signature
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=["language", "time_zone", "signature"])
    changes = diff(before, snapshot(actor, ["language", "time_zone", "signature"]))
    if changes:
        audit_record(actor=actor, action="update", instance=actor, changes=changes)
    return actor


@transaction.atomic
def token_create(*, actor, user: User, name: str = "cli") -> str:
    """Create an API token for ``user`` and return it; only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.hash(raw))
    audit_record(actor=actor, action="create", instance=token, changes={"user": user.username})
    return raw


def token_authenticate(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__team")
        .filter(digest=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_locked(*, username: str, ip_address: str | None) -> bool:
    """True after too many recent failures for this user name or from this address."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address may try a few more names than one name may be tried, then it is locked too.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def login_failed(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address)


def login_succeeded(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
