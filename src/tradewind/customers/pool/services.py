"""Ownership changes: claim from the pool, release to it, assign and transfer in bulk.

Every service is atomic, locks the customer rows it changes (``select_for_update``; on SQLite
the IMMEDIATE transactions serialise writers), re-checks the rules under the lock, and records
one audit event per customer: ``claim``, ``release``, ``assign`` (from the pool to a rep) or
``transfer`` (from one rep to another), with ``changes = {"owner": [old, new]}``.

Judgement calls:
- Claiming twice is harmless: a rep claiming what is already theirs gets it back unchanged.
- When a claim loses a race, the loser is told who won ("Tom claimed it a moment ago") if the
  winner's claim is recent (``CLAIM_RACE_WINDOW``); otherwise a customer the rep cannot see is
  simply not found, as everywhere else.
- The daily claim limit, the cooldown of the previous owner and the holding limit bind claims.
  Managers' assignments and transfers are deliberate decisions: they skip the cooldown and the
  claim limit but respect the holding limit, so the limit means what it says.
- Reps cannot assign or transfer; they may release their own customers, except those a
  manager protected. Managers act within their teams (others' customers are "not found"),
  admins across teams.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.models import Company, WorkspacePolicy
from tradewind.customers.pool import rules
from tradewind.customers.pool.models import PoolClaim
from tradewind.customers.services import set_owner

CLAIM_RACE_WINDOW = timedelta(minutes=15)
MAX_BULK = 1000
OWNERSHIP_FIELDS = ["owner", "owner_since", "previous_owner", "released_at", "updated_at"]


@dataclass(frozen=True)
class BulkResult:
    changed: int
    unchanged: int = 0


def is_pool_manager(user) -> bool:
    return bool(user.is_authenticated) and (user.is_manager or user.is_workspace_admin)


def _require_manager(actor) -> None:
    if not is_pool_manager(actor):
        raise PermissionDenied(_("Only a sales manager can assign or transfer customers."))


def _name(user) -> str | None:
    return str(user) if user is not None else None


def _record(actor, action: str, company: Company, old_owner, new_owner, **extra) -> None:
    changes = {"owner": [_name(old_owner), _name(new_owner)], **extra}
    audit_record(
        actor=actor, action=action, instance=company, changes=changes, company_id=company.pk
    )


def _save_ownership(companies: list[Company], now: datetime) -> None:
    for company in companies:
        company.updated_at = now
    Company.objects.bulk_update(companies, OWNERSHIP_FIELDS)


def _date(moment: datetime, user) -> str:
    return formats.date_format(moment.astimezone(user.zone), "DATE_FORMAT")


# --- claim -------------------------------------------------------------------------------------


def _refuse_owned(actor, company: Company, now: datetime) -> None:
    """The customer has an owner by the time the claim holds the lock: say who, or not found."""
    latest = (
        PoolClaim.objects.filter(company=company, user_id=company.owner_id)
        .order_by("-claimed_at")
        .first()
    )
    owner = User.objects.filter(pk=company.owner_id).first()
    if latest is not None and latest.claimed_at >= now - CLAIM_RACE_WINDOW:
        raise DomainError(
            _("%(name)s claimed it a moment ago.") % {"name": owner}, code="already_claimed"
        )
    if Company.objects.visible_to(actor).filter(pk=company.pk).exists():
        raise DomainError(
            _("%(name)s owns this customer; it is not in the public pool.") % {"name": owner},
            code="not_in_pool",
        )
    raise NotFound(_("No such customer."))


def _check_claim_rules(actor, company: Company, policy, now: datetime) -> None:
    cooldown_end = rules.cooldown_ends_at(company, actor, policy)
    if cooldown_end is not None and now < cooldown_end:
        raise DomainError(
            _(
                "You released this customer on %(released)s; you can claim it again from "
                "%(from)s. Until then a colleague can take it."
            )
            % {"released": _date(company.released_at, actor), "from": _date(cooldown_end, actor)},
            code="cooldown",
        )
    start, end = rules.local_day_bounds(now, actor.zone)
    today = PoolClaim.objects.filter(user=actor, claimed_at__gte=start, claimed_at__lt=end).count()
    if rules.over_limit(today + 1, policy.daily_claim_limit):
        raise DomainError(
            _(
                "You have claimed %(count)d customers today, the daily limit. "
                "Follow up the ones you have; you can claim more tomorrow."
            )
            % {"count": today},
            code="daily_limit",
        )
    _check_holdings(actor, policy, adding=1)


def _check_holdings(user, policy, *, adding: int) -> None:
    if not policy.max_holdings or adding <= 0:
        return
    held = Company.objects.filter(owner=user).count()
    if rules.over_limit(held + adding, policy.max_holdings):
        raise DomainError(
            _(
                "%(name)s owns %(held)d customers; %(adding)d more would pass the limit of "
                "%(limit)d per salesperson. Release some to the pool first."
            )
            % {"name": user, "held": held, "adding": adding, "limit": policy.max_holdings},
            field="owner",
            code="max_holdings",
        )


def _lock_user(user) -> None:
    """Serialise one rep's ownership changes, so parallel claims cannot both pass a limit."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


@transaction.atomic
def company_claim(*, actor, company_id: int, now: datetime | None = None) -> Company:
    """Take a customer out of the public pool; exactly one of two simultaneous claims wins."""
    now = now or timezone.now()
    company = Company.objects.select_for_update(of=("self",)).filter(pk=company_id).first()
    if company is None or not actor.is_authenticated:
        raise NotFound(_("No such customer."))
    if company.owner_id == actor.pk:
        return company
    if company.owner_id is not None:
        _refuse_owned(actor, company, now)
    _lock_user(actor)
    policy = WorkspacePolicy.current()
    _check_claim_rules(actor, company, policy, now)
    set_owner(company, actor, now=now)
    _save_ownership([company], now)
    PoolClaim.objects.create(user=actor, company=company, claimed_at=now)
    _record(actor, "claim", company, None, actor)
    return company


# --- release -----------------------------------------------------------------------------------


def _locked_visible(actor, company_ids) -> list[Company]:
    """The customers for a bulk write, locked; any the actor cannot see fails the whole call."""
    ids = sorted({int(pk) for pk in company_ids})
    if not ids:
        raise DomainError(_("Select at least one customer."), code="empty_selection")
    if len(ids) > MAX_BULK:
        raise DomainError(
            _("Select at most %(max)d customers at a time.") % {"max": MAX_BULK},
            code="too_many",
        )
    companies = list(
        Company.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(companies) != len(ids):
        raise NotFound(_("No such customer."))
    return companies


def _owners(companies: list[Company]) -> dict[int, User]:
    return User.objects.in_bulk({c.owner_id for c in companies if c.owner_id})


@transaction.atomic
def companies_release(*, actor, company_ids, now: datetime | None = None) -> BulkResult:
    """Return customers to the public pool: reps their own, managers their team's."""
    now = now or timezone.now()
    companies = _locked_visible(actor, company_ids)
    owned = [c for c in companies if c.owner_id is not None]
    if actor.role == Role.SALES and not actor.is_superuser:
        if any(c.owner_id != actor.pk for c in owned):
            raise PermissionDenied(_("You can only release your own customers."))
        protected = [c.name for c in owned if c.is_protected]
        if protected:
            raise PermissionDenied(
                _("A manager protected “%(name)s”; ask them before it goes to the pool.")
                % {"name": protected[0]}
            )
    owners = _owners(owned)
    for company in owned:
        set_owner(company, None, now=now)
    _save_ownership(owned, now)
    for company in owned:
        old = owners.get(company.previous_owner_id)
        _record(actor, "release", company, old, None, reason=rules.ReleaseReason.MANUAL.value)
    return BulkResult(changed=len(owned), unchanged=len(companies) - len(owned))


def company_release(*, actor, company_id: int, now: datetime | None = None) -> Company:
    result = companies_release(actor=actor, company_ids=[company_id], now=now)
    if not result.changed:
        raise DomainError(_("This customer is already in the public pool."), code="in_pool")
    return Company.objects.get(pk=company_id)


# --- assign and transfer -----------------------------------------------------------------------


def _target(actor, user) -> User:
    """A rep the actor may hand customers to: active and in the actor's teams (admins: any)."""
    if user is None:
        raise DomainError(_("Choose who gets the customers."), field="owner", code="no_owner")
    found = User.objects.filter(visible_users_q(actor), pk=getattr(user, "pk", user)).first()
    if found is None:
        raise PermissionDenied(
            _("You can only give customers to active members of your own team."), field="owner"
        )
    return found


@transaction.atomic
def companies_assign(*, actor, company_ids, owner, now: datetime | None = None) -> BulkResult:
    """Give the selected customers to ``owner``: pool customers are assigned, others'
    customers transferred. Managers and admins only; all or nothing."""
    now = now or timezone.now()
    _require_manager(actor)
    owner = _target(actor, owner)
    companies = _locked_visible(actor, company_ids)
    moving = [c for c in companies if c.owner_id != owner.pk]
    _lock_user(owner)
    _check_holdings(owner, WorkspacePolicy.current(), adding=len(moving))
    old_owners = _owners(moving)
    before = {c.pk: c.owner_id for c in moving}
    for company in moving:
        set_owner(company, owner, now=now)
    _save_ownership(moving, now)
    for company in moving:
        old = old_owners.get(before[company.pk])
        _record(actor, "assign" if old is None else "transfer", company, old, owner)
    return BulkResult(changed=len(moving), unchanged=len(companies) - len(moving))


def transfer_sources_q(actor) -> Q:
    """Whose customers the actor may transfer: like ``visible_users_q`` but including reps who
    left (deactivated), whose customers are the usual reason for a transfer."""
    if actor.is_workspace_admin:
        return Q()
    return Q(team__manager=actor) | Q(pk=actor.pk)


@transaction.atomic
def companies_transfer(
    *, actor, from_owner, to_owner, company_ids=None, now: datetime | None = None
) -> BulkResult:
    """Move customers of one rep to another: the selected ones, or all of them."""
    now = now or timezone.now()
    _require_manager(actor)
    source = User.objects.filter(
        transfer_sources_q(actor), pk=getattr(from_owner, "pk", from_owner)
    ).first()
    if source is None:
        raise NotFound(_("No such salesperson in your team."), field="from_owner")
    target = _target(actor, to_owner)
    if target.pk == source.pk:
        raise DomainError(_("Choose a different salesperson to receive them."), field="to_owner")
    if company_ids is None:
        company_ids = list(
            Company.objects.visible_to(actor).filter(owner=source).values_list("pk", flat=True)
        )
        if not company_ids:
            return BulkResult(changed=0)
    companies = _locked_visible(actor, company_ids)
    if any(c.owner_id != source.pk for c in companies):
        raise DomainError(
            _("Some of the selected customers do not belong to %(name)s.") % {"name": source},
            code="wrong_owner",
        )
    _lock_user(target)
    _check_holdings(target, WorkspacePolicy.current(), adding=len(companies))
    for company in companies:
        set_owner(company, target, now=now)
    _save_ownership(companies, now)
    for company in companies:
        _record(actor, "transfer", company, source, target)
    return BulkResult(changed=len(companies))
