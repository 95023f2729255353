"""The public-pool rules as functions of the workspace policy and a given ``now``.

Nothing here reads the clock or writes: services and the nightly job pass ``now`` in, so tests
can walk the calendar. Judgement calls:

- **Nightly, day-granular release.** The release job runs once a day at ``RELEASE_LOCAL_TIME``
  (02:00) in the workspace time zone (``settings.TRADEWIND_WORKSPACE_TIME_ZONE``, else the
  default user zone, Asia/Shanghai). A customer whose deadline passes at 15:00 returns to the
  pool in the next night's run, and that run's date is the "release date" shown to the owner and
  used to key the reminder. The run compares deadlines with the scheduled moment (02:00 of the
  run date), not with the time a worker happens to pick the job up, so the date shown is exact.
- **Idle rule.** N days without a follow-up counts from the later of the last activity and the
  moment the current owner got the customer (claiming or receiving a customer restarts the
  clock; an old owner's activity does not count for the new one). Rows older than the ownership
  history (``owner_since`` empty) count from their creation.
- **No-deal rule.** M days after the current owner got it, unless the customer reached a
  protected stage by then.
- **Exempt.** Customers in ``PROTECTED_STAGES`` (quoted … repeat: a deal in progress or an
  order) and those a manager marked ``is_protected`` are never released by the rules. Lost and
  dormant customers are released like leads: in the pool a colleague may revive them.
- **0 turns a rule off** (both release rules, the reminder, the cooldown); a claim limit or a
  holding limit of 0 means "no limit".
- The daily claim limit counts claims in the claiming rep's own local day.
"""

import functools
import operator
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradewind.customers.choices import PROTECTED_STAGES

RELEASE_LOCAL_TIME = time(2, 0)


class ReleaseReason(models.TextChoices):
    IDLE = "idle", _("no follow-up")
    NO_DEAL = "no_deal", _("no deal")
    MANUAL = "manual", _("released by hand")


@dataclass(frozen=True)
class ReleaseForecast:
    """When an owned customer falls due for the pool, why, and the nightly run that releases it."""

    due_at: datetime
    reason: str
    release_on: date


def workspace_zone() -> zoneinfo.ZoneInfo:
    name = getattr(settings, "TRADEWIND_WORKSPACE_TIME_ZONE", "") or settings.DEFAULT_USER_TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def run_moment(run_date: date) -> datetime:
    """The scheduled moment of the nightly run of ``run_date`` (02:00 workspace time)."""
    return datetime.combine(run_date, RELEASE_LOCAL_TIME, tzinfo=workspace_zone())


def run_date_at(now: datetime) -> date | None:
    """The run date whose nightly run may go ahead at ``now``; None before 02:00 local."""
    local = now.astimezone(workspace_zone())
    return local.date() if local.time() >= RELEASE_LOCAL_TIME else None


def release_date_for(due_at: datetime) -> date:
    """The date of the first nightly run at or after ``due_at``."""
    local = due_at.astimezone(workspace_zone())
    if local <= run_moment(local.date()):
        return local.date()
    return local.date() + timedelta(days=1)


def is_exempt(company) -> bool:
    return bool(company.is_protected) or company.stage in PROTECTED_STAGES


def owned_since(company) -> datetime | None:
    return company.owner_since or company.created_at


def idle_since(company) -> datetime | None:
    """The later of the last activity and the start of the current ownership."""
    moments = [m for m in (owned_since(company), company.last_activity_at) if m is not None]
    return max(moments) if moments else None


def forecast(company, policy) -> ReleaseForecast | None:
    """When the rules will return this owned customer to the pool; None when they never will."""
    if company.owner_id is None or is_exempt(company):
        return None
    candidates = []
    if policy.release_after_idle_days and idle_since(company):
        due = idle_since(company) + timedelta(days=policy.release_after_idle_days)
        candidates.append((due, ReleaseReason.IDLE.value))
    if policy.release_after_no_deal_days and owned_since(company):
        due = owned_since(company) + timedelta(days=policy.release_after_no_deal_days)
        candidates.append((due, ReleaseReason.NO_DEAL.value))
    if not candidates:
        return None
    due_at, reason = min(candidates)
    return ReleaseForecast(due_at=due_at, reason=reason, release_on=release_date_for(due_at))


def _owned_before_q(cutoff: datetime) -> Q:
    return Q(owner_since__lte=cutoff) | Q(owner_since__isnull=True, created_at__lte=cutoff)


def due_q(policy, cutoff: datetime) -> Q:
    """Companies the rules release at ``cutoff`` — the database form of ``forecast(...) <=``."""
    parts = []
    if policy.release_after_idle_days:
        idle_cutoff = cutoff - timedelta(days=policy.release_after_idle_days)
        no_recent_activity = Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=idle_cutoff)
        parts.append(_owned_before_q(idle_cutoff) & no_recent_activity)
    if policy.release_after_no_deal_days:
        parts.append(_owned_before_q(cutoff - timedelta(days=policy.release_after_no_deal_days)))
    if not parts:
        return Q(pk__in=[])
    owned_and_not_exempt = Q(owner__isnull=False, is_protected=False) & ~Q(
        stage__in=PROTECTED_STAGES
    )
    return owned_and_not_exempt & functools.reduce(operator.or_, parts)


def reminder_window(policy, run_date: date) -> tuple[datetime, datetime] | None:
    """(after, until]: the deadlines the reminder run of ``run_date`` warns about."""
    if not policy.release_reminder_days:
        return None
    start = run_moment(run_date)
    return start, start + timedelta(days=policy.release_reminder_days)


def cooldown_ends_at(company, user, policy) -> datetime | None:
    """When ``user`` may claim ``company`` again after releasing it; None when no wait applies."""
    if not policy.reclaim_cooldown_days or company.previous_owner_id != user.pk:
        return None
    if company.released_at is None:
        return None
    return company.released_at + timedelta(days=policy.reclaim_cooldown_days)


def local_day_bounds(now: datetime, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the calendar day around ``now`` in ``zone``, as aware datetimes."""
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0, 0), tzinfo=zone)
    end = datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=zone)
    return start, end


def over_limit(count_after: int, limit: int) -> bool:
    """Would ``count_after`` pass ``limit``? (0 = no limit.)"""
    return bool(limit) and count_after > limit
