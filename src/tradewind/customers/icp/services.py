"""Writes to ideal customer profiles, and the rescoring they trigger.

Managers and admins create, change, deactivate and reactivate profiles; sales reps only read
them. Every change that can move a score (anything but the description) rescores every company:
inline when the table is small (at most ``INLINE_RESCORE_LIMIT`` companies, so the manager sees
the new scores at once), else in the ``rescore_all_profiles`` background task, enqueued when the
change commits, and only when no pass is already waiting to start (a waiting pass reads the
profiles when it runs, so it covers this change too).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from tradewind.accounts.choices import Role
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.icp import scoring
from tradewind.customers.icp.models import WEIGHT_FIELDS, IdealCustomerProfile
from tradewind.customers.icp.selectors import rescore_pending
from tradewind.customers.icp.tasks import rescore_all_profiles
from tradewind.customers.models import Company

INLINE_RESCORE_LIMIT = 2000
LIST_FIELDS = (
    "countries",
    "regions",
    "customer_types",
    "sizes",
    "product_keywords",
    "keywords",
    "excluded_keywords",
)
PROFILE_FIELDS = (
    "name",
    "description",
    "is_active",
    *LIST_FIELDS,
    "check_website",
    "check_company_email",
    "check_decision_maker",
    *WEIGHT_FIELDS,
)
NOT_SCORED = frozenset({"description"})


def can_edit_profiles(user) -> bool:
    return bool(user.is_superuser or user.role in (Role.MANAGER, Role.ADMIN))


def _check_editor(actor) -> None:
    if not can_edit_profiles(actor):
        raise PermissionDenied(_("Only managers can change ideal customer profiles."))


def _unique_list(values, *, upper: bool = False) -> list:
    """Strip, drop empties and repeats (case-insensitively), keep the first spelling's order."""
    if not isinstance(values, list | tuple):
        raise DomainError(_("Expected a list."))
    seen, kept = set(), []
    for value in values:
        text = str(value).strip()
        text = text.upper() if upper else text
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept


def _prepare(profile: IdealCustomerProfile) -> None:
    profile.name = profile.name.strip()
    profile.description = profile.description.strip()
    for name in LIST_FIELDS:
        setattr(profile, name, _unique_list(getattr(profile, name), upper=name == "countries"))
    clash = IdealCustomerProfile.objects.filter(name__iexact=profile.name).exclude(pk=profile.pk)
    if profile.name and clash.exists():
        raise DomainError(
            _("A profile named “%(name)s” already exists.") % {"name": profile.name},
            field="name",
        )
    profile.full_clean(exclude=["created_by"])


def _set_fields(profile: IdealCustomerProfile, fields: dict) -> None:
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise DomainError(f"Unknown profile field: {name}")
        setattr(profile, name, value)


@transaction.atomic
def profile_create(*, actor, **fields) -> IdealCustomerProfile:
    """Create a profile and rescore every company against it."""
    _check_editor(actor)
    profile = IdealCustomerProfile(created_by=actor)
    _set_fields(profile, fields)
    _prepare(profile)
    profile.save()
    audit_record(
        actor=actor, action="create", instance=profile, changes=snapshot(profile, PROFILE_FIELDS)
    )
    if profile.is_active:
        schedule_rescore_all()
    return profile


@transaction.atomic
def profile_update(*, actor, profile_id: int, **fields) -> IdealCustomerProfile:
    """Change a profile (``is_active=False`` deactivates it); rescores when a score can move."""
    _check_editor(actor)
    profile = IdealCustomerProfile.objects.select_for_update().filter(pk=profile_id).first()
    if profile is None:
        raise NotFound(_("No such profile."))
    before = snapshot(profile, PROFILE_FIELDS)
    _set_fields(profile, fields)
    _prepare(profile)
    changes = diff(before, snapshot(profile, PROFILE_FIELDS))
    if not changes:
        return profile
    profile.save()
    audit_record(actor=actor, action="update", instance=profile, changes=changes)
    if set(changes) - NOT_SCORED and (profile.is_active or "is_active" in changes):
        schedule_rescore_all()
    return profile


def profile_set_active(*, actor, profile_id: int, active: bool) -> IdealCustomerProfile:
    return profile_update(actor=actor, profile_id=profile_id, is_active=active)


def _at_most(limit: int) -> bool:
    """Whether there are at most ``limit`` companies, without counting a big table."""
    return Company.objects.order_by().values("pk")[: limit + 1].count() <= limit


def schedule_rescore_all() -> str:
    """Rescore every company now ("inline") or after commit in the background ("queued")."""
    if _at_most(INLINE_RESCORE_LIMIT):
        scoring.rescore_all()
        return "inline"
    transaction.on_commit(_enqueue_unless_waiting)
    return "queued"


def _enqueue_unless_waiting() -> None:
    if not rescore_pending([TaskResultStatus.READY]):
        rescore_all_profiles.enqueue()
