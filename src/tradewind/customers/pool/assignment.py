"""Auto-assignment of new leads: by country or region (assignment rules), or in rotation.

``WorkspacePolicy.auto_assign`` chooses the mode:
- ``off`` — ``pick_owner`` returns None; leads stay with whoever creates them (or the pool).
- ``region`` — the active ``AssignmentRule`` rows are tried in order; the first whose countries
  or regions contain the lead's country (or a rule with neither: the catch-all) names a rep, or
  a team whose salespeople take turns. No match: None (the lead stays in the pool).
- ``rotation`` — the salespeople of the given team (without a team: of the whole workspace)
  take turns.

Rotation is round-robin over the eligible reps in id order, with a stored pointer per rotation
(``RotationPointer``) locked with ``select_for_update``, so concurrent imports cannot hand two
leads to the same rep out of turn. Eligible: an active salesperson below the holding limit; a
rep at the limit is skipped, not given the lead.

Where it applies (judgement call): a lead created *without an owner* by a manager, an admin, an
import or the API — ``owner_for_new_lead`` — never a lead a rep creates for themselves, and not
a rep's deliberate "put it in the pool" (a rep cannot give customers to colleagues).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q

from tradewind.accounts.choices import Role
from tradewind.accounts.models import Team, User
from tradewind.accounts.visibility import visible_users_q
from tradewind.customers.choices import AutoAssign
from tradewind.customers.icp.regions import region_of
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool.models import AssignmentRule, RotationPointer


def eligible_reps(policy, *, team: Team | None = None, user_ids=None) -> list[User]:
    """Active salespeople (of ``team``, or among ``user_ids``) with room under the holding
    limit, in id order."""
    reps = User.objects.filter(is_active=True, role=Role.SALES)
    if team is not None:
        reps = reps.filter(team=team)
    if user_ids is not None:
        reps = reps.filter(pk__in=user_ids)
    reps = reps.annotate(held=Count("companies")).order_by("pk")
    return [rep for rep in reps if not policy.max_holdings or rep.held < policy.max_holdings]


def _rotate(scope: str, candidates: list[User]) -> User | None:
    """The next rep after the stored pointer (wrapping round), and move the pointer to them."""
    if not candidates:
        return None
    RotationPointer.objects.get_or_create(scope=scope)
    pointer = RotationPointer.objects.select_for_update().get(scope=scope)
    last = pointer.last_user_id or 0
    chosen = next((rep for rep in candidates if rep.pk > last), candidates[0])
    pointer.last_user = chosen
    pointer.save(update_fields=["last_user", "updated_at"])
    return chosen


def _by_rules(policy, *, team: Team | None, country: str) -> User | None:
    rules = AssignmentRule.objects.filter(is_active=True).select_related("assignee", "team")
    if team is not None:
        rules = rules.filter(Q(team=team) | Q(assignee__team=team))
    region = region_of(country) if country else ""
    for rule in rules:
        if not rule.matches(country, region):
            continue
        if rule.assignee_id:
            if eligible_reps(policy, user_ids=[rule.assignee_id]):
                return rule.assignee
            continue
        chosen = _rotate(f"rule:{rule.pk}", eligible_reps(policy, team=rule.team))
        if chosen is not None:
            return chosen
    return None


@transaction.atomic
def pick_owner(
    *, team: Team | None = None, country: str = "", now: datetime | None = None
) -> User | None:
    """The rep who should get a new lead under the workspace's auto-assign mode, or None.

    ``team`` narrows the choice to one team (its rules, its rotation); ``country`` is the
    lead's ISO code. Moves the rotation pointer: call it once per lead, inside the transaction
    that creates the lead. ``now`` is accepted for symmetry with the other pool services."""
    policy = WorkspacePolicy.current()
    country = (country or "").strip().upper()
    if policy.auto_assign == AutoAssign.REGION:
        return _by_rules(policy, team=team, country=country)
    if policy.auto_assign == AutoAssign.ROTATION:
        scope = f"team:{team.pk}" if team is not None else "workspace"
        return _rotate(scope, eligible_reps(policy, team=team))
    return None


def owner_for_new_lead(*, actor, country: str = "", now: datetime | None = None) -> User | None:
    """For a lead created without an owner: who gets it, or None to leave it in the pool.

    Applies when the creator is a manager, an admin or the system (``actor=None``: imports,
    scheduled jobs); a rep's own pool entries stay in the pool. A manager's leads only go to
    their own teams' reps."""
    if actor is not None and not (actor.is_manager or actor.is_workspace_admin):
        return None
    team = None
    if actor is not None and actor.is_manager and not actor.is_workspace_admin:
        teams = list(Team.objects.filter(manager=actor)[:2])
        if not teams:
            return None
        team = teams[0] if len(teams) == 1 else None
    chosen = pick_owner(team=team, country=country, now=now)
    if chosen is None or actor is None:
        return chosen
    return chosen if User.objects.filter(visible_users_q(actor), pk=chosen.pk).exists() else None
