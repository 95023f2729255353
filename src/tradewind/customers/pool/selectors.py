"""Reads for the pool pages and panels, through the visibility rule where customers are shown."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from tradewind.accounts.choices import Role
from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.customers.icp.regions import Region
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool import rules
from tradewind.customers.pool.models import AssignmentRule
from tradewind.customers.pool.services import is_pool_manager, transfer_sources_q


def assignable_users(actor) -> list[User]:
    """Whom a manager may give customers to: active members of their teams (admins: anyone)."""
    if not is_pool_manager(actor):
        return []
    return list(
        User.objects.filter(visible_users_q(actor))
        .exclude(role=Role.ADMIN)
        .select_related("team")
        .order_by("team__name", "first_name", "username")
    )


def team_holdings(actor) -> list[User]:
    """The actor's people (including those who left) with how many customers each owns."""
    return list(
        User.objects.filter(transfer_sources_q(actor))
        .exclude(role=Role.ADMIN)
        .annotate(held=Count("companies"))
        .filter(Q(is_active=True) | Q(held__gt=0))
        .select_related("team")
        .order_by("-is_active", "team__name", "username")
    )


@dataclass(frozen=True)
class RuleRow:
    rule: AssignmentRule
    region_labels: list[str]


def assignment_rules() -> list[RuleRow]:
    labels = dict(Region.choices)
    rows = AssignmentRule.objects.select_related("assignee", "team").order_by("position", "id")
    return [RuleRow(rule, [str(labels.get(key, key)) for key in rule.regions]) for rule in rows]


@dataclass(frozen=True)
class CompanyPoolState:
    """What the company page's pool buttons need to know."""

    in_pool: bool
    can_claim: bool
    can_release: bool
    can_assign: bool
    forecast: rules.ReleaseForecast | None
    cooldown_until: datetime | None
    is_exempt: bool
    assignees: list[User]


def company_pool_state(company, user, *, now: datetime) -> CompanyPoolState:
    manager = is_pool_manager(user)
    in_pool = company.owner_id is None
    policy = WorkspacePolicy.current()
    cooldown = rules.cooldown_ends_at(company, user, policy) if in_pool else None
    if cooldown is not None and cooldown <= now:
        cooldown = None
    return CompanyPoolState(
        in_pool=in_pool,
        can_claim=in_pool and cooldown is None,
        can_release=not in_pool
        and (manager or (company.owner_id == user.pk and not company.is_protected)),
        can_assign=manager,
        forecast=None if in_pool else rules.forecast(company, policy),
        cooldown_until=cooldown,
        is_exempt=not in_pool and rules.is_exempt(company),
        assignees=assignable_users(user),
    )
