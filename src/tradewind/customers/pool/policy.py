"""Writes to the workspace's pool settings: the policy row and the assignment rules.

Managers and admins only. A manager may point a rule only at their own teams' people; an admin
at anyone. Each change is audited (``update`` of the policy with old → new values; ``create`` /
``delete`` / ``update`` of a rule).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from tradewind.accounts.models import Team, User
from tradewind.accounts.visibility import visible_users_q
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers import geo
from tradewind.customers.icp.regions import REGION_COUNTRIES
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool.models import AssignmentRule
from tradewind.customers.pool.services import is_pool_manager

POLICY_FIELDS = (
    "duplicate_policy",
    "release_after_idle_days",
    "release_after_no_deal_days",
    "release_reminder_days",
    "reclaim_cooldown_days",
    "daily_claim_limit",
    "max_holdings",
    "auto_assign",
)
RULE_FIELDS = ("position", "countries", "regions", "assignee", "team", "is_active")
MAX_DAYS = 3650


def _require_manager(actor) -> None:
    if not is_pool_manager(actor):
        raise PermissionDenied(_("Only a sales manager can change the pool rules."))


def _check_policy(policy: WorkspacePolicy) -> None:
    for name in ("release_after_idle_days", "release_after_no_deal_days", "reclaim_cooldown_days"):
        if getattr(policy, name) > MAX_DAYS:
            raise DomainError(_("At most %(max)d days.") % {"max": MAX_DAYS}, field=name)
    shortest = min(
        days
        for days in (policy.release_after_idle_days, policy.release_after_no_deal_days, 10**6)
        if days
    )
    if policy.release_reminder_days and policy.release_reminder_days >= shortest:
        raise DomainError(
            _(
                "The reminder must come before the release: fewer than %(days)d days, the "
                "shortest release rule."
            )
            % {"days": shortest},
            field="release_reminder_days",
        )


@transaction.atomic
def policy_update(*, actor, **fields) -> WorkspacePolicy:
    """Change the workspace policy; only the fields that changed are audited."""
    _require_manager(actor)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(f"Unknown policy fields: {', '.join(sorted(unknown))}")
    WorkspacePolicy.current()
    policy = WorkspacePolicy.objects.select_for_update().get(pk=1)
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    _check_policy(policy)
    policy.save()
    changes = diff(before, snapshot(policy, POLICY_FIELDS))
    if changes:
        audit_record(actor=actor, action="update", instance=policy, changes=changes)
    return policy


def _clean_places(countries, regions) -> tuple[list[str], list[str]]:
    codes = sorted({code.strip().upper() for code in countries if code.strip()})
    wrong = [code for code in codes if not geo.is_country(code)]
    if wrong:
        raise DomainError(
            _("Unknown country: %(codes)s.") % {"codes": ", ".join(wrong)}, field="countries"
        )
    keys = sorted({key for key in regions if key})
    if any(key not in REGION_COUNTRIES for key in keys):
        raise DomainError(_("Unknown region."), field="regions")
    return codes, keys


def _check_target(actor, assignee, team) -> None:
    if (assignee is None) == (team is None):
        raise DomainError(
            _("Choose either one salesperson or a team to take turns — not both."),
            field="assignee",
        )
    if (
        assignee is not None
        and not User.objects.filter(visible_users_q(actor), pk=assignee.pk).exists()
    ):
        raise PermissionDenied(
            _("You can only send leads to active members of your own team."), field="assignee"
        )
    if team is not None and not actor.is_workspace_admin and team.manager_id != actor.pk:
        raise PermissionDenied(_("You can only send leads to a team you manage."), field="team")


@transaction.atomic
def assignment_rule_create(
    *,
    actor,
    countries=(),
    regions=(),
    assignee: User | None = None,
    team: Team | None = None,
    position: int = 0,
    is_active: bool = True,
) -> AssignmentRule:
    _require_manager(actor)
    _check_target(actor, assignee, team)
    codes, keys = _clean_places(countries, regions)
    rule = AssignmentRule(
        countries=codes,
        regions=keys,
        assignee=assignee,
        team=team,
        position=position,
        is_active=is_active,
    )
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action="create", instance=rule, changes=snapshot(rule, RULE_FIELDS))
    return rule


def _rule_for(actor, rule_id: int) -> AssignmentRule:
    rule = AssignmentRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such assignment rule."))
    if not actor.is_workspace_admin:
        target_team_manager = rule.team.manager_id if rule.team_id else None
        assignee_ok = (
            rule.assignee_id
            and User.objects.filter(visible_users_q(actor), pk=rule.assignee_id).exists()
        )
        if target_team_manager != actor.pk and not assignee_ok:
            raise PermissionDenied(_("This rule sends leads to another team; ask its manager."))
    return rule


@transaction.atomic
def assignment_rule_set_active(*, actor, rule_id: int, is_active: bool) -> AssignmentRule:
    _require_manager(actor)
    rule = _rule_for(actor, rule_id)
    if rule.is_active != is_active:
        rule.is_active = is_active
        rule.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="update",
            instance=rule,
            changes={"is_active": [not is_active, is_active]},
        )
    return rule


@transaction.atomic
def assignment_rule_delete(*, actor, rule_id: int) -> None:
    _require_manager(actor)
    rule = _rule_for(actor, rule_id)
    audit_record(actor=actor, action="delete", instance=rule, changes=snapshot(rule, RULE_FIELDS))
    rule.delete()
