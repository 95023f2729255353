"""Workspace settings that quotations and contracts read: the exporter's company profile
(letterhead, bank details) and each team's minimum margin. Admins change them; the console
(``actor=None``) may too. Each service is atomic and audited.

Judgement calls:
- A SWIFT/BIC is 8 or 11 letters and digits (ISO 9362: bank, country, location, branch); it is
  stored in capitals without spaces.
- The logo is checked like a product photo (``core.images``); the old file is deleted once the
  change is committed.
- A team's minimum margin is between 0 and 95 % (a quotation's margin is at most 95 %).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from tradewind.accounts.models import Team
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.images import check_image
from tradewind.core.models import CompanyProfile

PROFILE_FIELDS = (
    "name_en",
    "name_zh",
    "address_en",
    "address_zh",
    "phone",
    "email",
    "website",
    "default_port_of_loading",
    "beneficiary_name",
    "bank_name",
    "bank_address",
    "bank_account",
    "bank_swift",
)
SWIFT = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_MIN_MARGIN = Decimal(95)


def can_edit_workspace(user) -> bool:
    return user is None or (user.is_active and user.is_workspace_admin)


def _require_admin(actor, message: str) -> None:
    if not can_edit_workspace(actor):
        raise PermissionDenied(message)


def _clean_profile(profile: CompanyProfile) -> None:
    for name in PROFILE_FIELDS:
        value = str(getattr(profile, name) or "").strip()
        if CONTROL_CHARACTERS.search(value):
            label = str(CompanyProfile._meta.get_field(name).verbose_name).capitalize()
            raise DomainError(
                _("%(label)s holds a control character; remove it.") % {"label": label},
                field=name,
            )
        setattr(profile, name, value)
    profile.bank_swift = re.sub(r"\s+", "", profile.bank_swift).upper()
    if profile.bank_swift and not SWIFT.match(profile.bank_swift):
        raise DomainError(
            _(
                "A SWIFT / BIC code has 8 or 11 letters and digits, e.g. BKCHCNBJ92A "
                "(bank, country, place, branch)."
            ),
            field="bank_swift",
        )
    profile.email = profile.email.lower()
    profile.full_clean(exclude=["logo"])


@transaction.atomic
def company_profile_update(
    *, actor, logo=None, remove_logo: bool = False, **fields
) -> CompanyProfile:
    """Change the letterhead and bank details; ``logo`` is an uploaded picture."""
    _require_admin(actor, _("Only an admin can change the company profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown company profile fields: {', '.join(sorted(unknown))}")
    CompanyProfile.current()
    profile = CompanyProfile.objects.select_for_update().get(pk=1)
    before = snapshot(profile, PROFILE_FIELDS) | {"logo": profile.logo.name or ""}
    for name, value in fields.items():
        setattr(profile, name, value)
    _clean_profile(profile)
    old_logo = profile.logo.name
    if logo is not None:
        checked = check_image(logo, field="logo")
        stored = checked.as_file()
        profile.logo.save(stored.name, stored, save=False)
    elif remove_logo:
        profile.logo = ""
    after = snapshot(profile, PROFILE_FIELDS) | {"logo": profile.logo.name or ""}
    changes = diff(before, after)
    if changes:
        profile.save()
        audit_record(actor=actor, action="update", instance=profile, changes=changes)
        if old_logo and old_logo != profile.logo.name:
            storage = profile.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return profile


def visible_teams(user):
    """Teams whose margin ``user`` may see: every team for an admin, a manager's own teams."""
    teams = Team.objects.select_related("manager").annotate(member_count=Count("members"))
    if user.is_workspace_admin:
        return teams.order_by("name")
    if user.is_manager:
        return teams.filter(manager=user).order_by("name")
    return Team.objects.none()


@transaction.atomic
def team_min_margin_set(*, actor, team_id: int, min_margin_percent) -> Team:
    """Set the margin below which a team's quotations need the manager's approval."""
    _require_admin(actor, _("Only an admin can change a team's minimum margin."))
    team = Team.objects.select_for_update().filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("No such team."))
    try:
        value = (
            min_margin_percent
            if isinstance(min_margin_percent, Decimal)
            else Decimal(str(min_margin_percent).strip())
        )
        if not value.is_finite() or isinstance(min_margin_percent, float | bool):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("Give the margin in percent, e.g. 12.5."), field="min_margin_percent"
        ) from None
    if not Decimal(0) <= value <= MAX_MIN_MARGIN or -value.normalize().as_tuple().exponent > 2:
        raise DomainError(
            _("A minimum margin is between 0 and 95 %, with at most 2 decimal places."),
            field="min_margin_percent",
        )
    value = value.quantize(Decimal("0.01"))
    if team.min_margin_percent != value:
        changes = {"min_margin_percent": [str(team.min_margin_percent), str(value)]}
        team.min_margin_percent = value
        team.save(update_fields=["min_margin_percent"])
        audit_record(actor=actor, action="update", instance=team, changes=changes)
    return team
