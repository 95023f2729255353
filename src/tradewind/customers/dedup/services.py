"""Writes of the duplicate check: merging two companies, and marking a pair "not a duplicate".

Merge rules (``company_merge``):
- Managers merge their team's and pool customers, admins any; sales reps cannot merge. A company
  the actor cannot see does not exist for them (NotFound), as everywhere.
- Everything that hangs off the duplicate moves to the survivor: contacts, activities, tasks,
  tags, and the records of other parts of the product (outreach, pool reminders, import rows, …:
  every foreign key to Company, found from the model graph, so a new part is not forgotten).
  Rows that cannot move because the survivor already has their twin (a unique rule) stay with
  the duplicate and go with it; the audit says how many.
- Empty fields of the survivor are filled from the duplicate; both notes are kept (the
  duplicate's appended); the screening checks ticked on either stay ticked; the latest activity
  time wins. The survivor keeps its owner, stage and grade — a pool survivor takes the
  duplicate's owner.
- The audit records one "merge" event on each company's history, both naming both ids; the
  duplicate's own history stays under its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import ManyToOneRel
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.core.audit import audit_record, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers import services as customer_services
from tradewind.customers.dedup.models import DedupKey, DuplicatePair
from tradewind.customers.models import Company

FILL_FIELDS = (
    "country",
    "website",
    "time_zone",
    "customer_type",
    "size",
    "source",
    "grade",
    "address",
    "products_of_interest",
)
CHECK_FIELDS = ("checked_website", "checked_email_domain", "checked_address", "checked_registry")
# Relations that are rebuilt or deliberately left behind rather than moved.
NOT_MOVED = (AuditEvent, DedupKey, DuplicatePair)


@dataclass(frozen=True)
class MovedRecords:
    label: str  # "contacts", "activities", … in the reader's language
    count: int


def may_merge(user) -> bool:
    return user.is_superuser or user.role in (Role.MANAGER, Role.ADMIN)


def _check_may_merge(actor) -> None:
    if not may_merge(actor):
        raise PermissionDenied(_("Only a manager or an admin can merge customers."))


def _both(actor, first_id: int, second_id: int, *, lock: bool) -> tuple[Company, Company]:
    if first_id == second_id:
        raise DomainError(_("Pick two different customers to merge."))
    rows = Company.objects.visible_to(actor).filter(pk__in=[first_id, second_id])
    if lock:
        rows = rows.select_for_update(of=("self",)).order_by("pk")
    found = {company.pk: company for company in rows.select_related("owner")}
    if len(found) != 2:
        raise NotFound(_("No such customer."))
    return found[first_id], found[second_id]


def _relations():
    """Every one-to-many relation to Company that a merge moves."""
    for relation in Company._meta.get_fields(include_hidden=True):
        if (
            isinstance(relation, ManyToOneRel)
            and not relation.many_to_many
            and relation.related_model not in NOT_MOVED
            and not relation.related_model._meta.auto_created  # the tags' table: moved as tags
            and relation.field.concrete
        ):
            yield relation


def merge_preview(*, actor, survivor_id: int, duplicate_id: int) -> dict:
    """What a merge would do: the two companies, the records that move, the fields filled."""
    _check_may_merge(actor)
    survivor, duplicate = _both(actor, survivor_id, duplicate_id, lock=False)
    moving = []
    for relation in _relations():
        count = relation.related_model._base_manager.filter(
            **{relation.field.name: duplicate}
        ).count()
        if count:
            label = str(relation.related_model._meta.verbose_name_plural)
            moving.append(MovedRecords(label, count))
    tags = duplicate.tags.count()
    if tags:
        moving.append(MovedRecords(str(Company._meta.get_field("tags").verbose_name), tags))
    return {
        "survivor": survivor,
        "duplicate": duplicate,
        "moving": moving,
        "filled": [
            str(Company._meta.get_field(name).verbose_name)
            for name in _fillable(survivor, duplicate)
        ],
    }


def _fillable(survivor: Company, duplicate: Company) -> list[str]:
    names = [
        name for name in FILL_FIELDS if not getattr(survivor, name) and getattr(duplicate, name)
    ]
    if duplicate.notes.strip() and survivor.notes.strip() != duplicate.notes.strip():
        names.append("notes")
    if survivor.owner_id is None and duplicate.owner_id:
        names.append("owner")
    return names


def _move_records(survivor: Company, duplicate: Company) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in _relations():
        rows = relation.related_model._base_manager.filter(**{relation.field.name: duplicate})
        name = relation.get_accessor_name() or relation.related_model._meta.model_name
        if name.endswith("+"):
            name = relation.related_model._meta.model_name
        try:
            with transaction.atomic():
                count = rows.update(**{relation.field.name: survivor})
        except IntegrityError:
            moved[f"{name}_left_behind"] = rows.count()
            continue
        if count:
            moved[name] = count
    tags = list(duplicate.tags.all())
    if tags:
        survivor.tags.add(*tags)
        moved["tags"] = len(tags)
    return moved


def _fill(survivor: Company, duplicate: Company) -> list[str]:
    filled = _fillable(survivor, duplicate)
    for name in filled:
        if name == "notes":
            heading = _("From the merged customer “%(name)s”:") % {"name": duplicate.name}
            survivor.notes = "\n\n".join(
                part for part in (survivor.notes.strip(), f"{heading}\n{duplicate.notes}") if part
            )
        elif name == "owner":
            customer_services.set_owner(survivor, duplicate.owner)
        else:
            setattr(survivor, name, getattr(duplicate, name))
    for name in CHECK_FIELDS:
        setattr(survivor, name, getattr(survivor, name) or getattr(duplicate, name))
    if survivor.screening_status == "unverified" and duplicate.screening_status != "unverified":
        survivor.screening_status = duplicate.screening_status
        survivor.disqualified_reason = duplicate.disqualified_reason
    survivor.is_protected = survivor.is_protected or duplicate.is_protected
    latest = [t for t in (survivor.last_activity_at, duplicate.last_activity_at) if t]
    survivor.last_activity_at = max(latest) if latest else None
    return filled


@transaction.atomic
def company_merge(*, actor, survivor_id: int, duplicate_id: int) -> Company:
    """Merge ``duplicate`` into ``survivor`` and delete it; return the survivor."""
    _check_may_merge(actor)
    survivor, duplicate = _both(actor, survivor_id, duplicate_id, lock=True)
    removed = snapshot(duplicate, customer_services.COMPANY_FIELDS)
    moved = _move_records(survivor, duplicate)
    filled = _fill(survivor, duplicate)
    survivor.full_clean(exclude=["tags"])
    survivor.save()
    # "moved" is a list ("contacts: 2"), not keys named after relations: the history display
    # reads a key like "contacts" as the field of that name.
    record = {
        "survivor_id": survivor.pk,
        "duplicate_id": duplicate.pk,
        "moved": [f"{name}: {count}" for name, count in moved.items()],
    }
    audit_record(
        actor=actor,
        action="merge",
        instance=survivor,
        changes=record | {"merged_customer": duplicate.name, "filled": filled},
        company_id=survivor.pk,
    )
    audit_record(
        actor=actor,
        action="merge",
        instance=duplicate,
        changes=record | {"merged_into": survivor.name, "removed": removed},
        company_id=duplicate.pk,
    )
    duplicate.delete()
    customer_services.company_changed(survivor)
    return survivor


@transaction.atomic
def pair_dismiss(*, actor, first_id: int, second_id: int, now=None) -> DuplicatePair:
    """Mark two companies as "not a duplicate": the pair stops showing and does not come back."""
    _check_may_merge(actor)
    first, second = _both(actor, first_id, second_id, lock=False)
    low, high = sorted((first.pk, second.pk))
    pair, _created = DuplicatePair.objects.select_for_update().get_or_create(
        company_a_id=low, company_b_id=high, defaults={"score": 0, "reasons": []}
    )
    if pair.dismissed_at is None:
        pair.dismissed_at, pair.dismissed_by = now or timezone.now(), actor
        pair.save(update_fields=["dismissed_at", "dismissed_by"])
        for company in (first, second):
            other = second if company is first else first
            audit_record(
                actor=actor,
                action="not_duplicate",
                instance=company,
                changes={"not_duplicate_of": other.pk, "other_name": other.name},
                company_id=company.pk,
            )
    return pair
