"""Writes to customer records. Each service is atomic, checks the actor may act, records an audit
event, and leaves side effects to ``transaction.on_commit``."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.core.audit import audit_event, audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers import geo
from tradewind.customers.dedup import policy as duplicate_policy
from tradewind.customers.dedup.engine import Candidate
from tradewind.customers.dedup.keys import refresh_company_keys
from tradewind.customers.icp.scoring import rescore_company
from tradewind.customers.models import Activity, Company, Contact, Tag, Task
from tradewind.customers.normalize import normalize_company_name, phone_to_e164, website_domain
from tradewind.customers.signals import activities_logged

COMPANY_FIELDS = (
    "name",
    "address",
    "products_of_interest",
    "country",
    "website",
    "time_zone",
    "customer_type",
    "size",
    "source",
    "grade",
    "stage",
    "lost_reason",
    "owner",
    "notes",
)
CONTACT_FIELDS = (
    "name",
    "title",
    "email",
    "phone",
    "whatsapp",
    "linkedin",
    "is_decision_maker",
    "notes",
)
ACTIVITY_FIELDS = ("kind", "direction", "summary", "occurred_at", "contact")
TASK_FIELDS = ("title", "due_at", "assignee", "contact", "done_at")


def _visible_company(actor, company_id: int) -> Company:
    """The company for a write, locked; a company the actor cannot see does not exist for them."""
    company = (
        Company.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=company_id)
        .first()
    )
    if company is None:
        raise NotFound(_("No such customer."))
    return company


def _check_owner(actor, owner) -> None:
    if owner is None or owner == actor:
        return
    if not User.objects.filter(visible_users_q(actor), pk=owner.pk).exists():
        raise PermissionDenied(
            _("You can only give customers to members of your own team."), field="owner"
        )


def _check_contact(company: Company, contact) -> None:
    if contact is not None and contact.company_id != company.pk:
        raise DomainError(_("That contact works for another company."), field="contact")


def set_owner(company: Company, owner, *, now=None) -> None:
    """Give the company to ``owner`` (None: the public pool), keeping the ownership history the
    pool rules read. Saves nothing: the caller saves inside its transaction."""
    if owner == company.owner and company.pk:
        return
    now = now or timezone.now()
    if company.owner_id:
        company.previous_owner_id = company.owner_id
    company.owner = owner
    company.owner_since = now if owner else None
    if owner is None:
        company.released_at = now


def company_changed(company: Company) -> None:
    """Keep what is derived from a company current: its duplicate keys and its fit score."""
    refresh_company_keys(company)
    rescore_company(company)


def _set_tags(company: Company, tag_names) -> list[str]:
    names = sorted({name.strip()[:40] for name in tag_names if name.strip()})
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    company.tags.set(tags)
    return names


def _prepare_company(company: Company) -> None:
    company.name = company.name.strip()
    company.country = company.country.strip().upper()
    if company.country and not geo.is_country(company.country):
        raise DomainError(
            _("“%(code)s” is not a country code — pick the country from the list.")
            % {"code": company.country},
            field="country",
        )
    company.website = company.website.strip()
    company.website_domain = website_domain(company.website)
    company.name_normalized = normalize_company_name(company.name)
    if company.stage != "lost":
        company.lost_reason = ""
    company.full_clean(exclude=["tags"])


@transaction.atomic
def company_create(
    *,
    actor,
    tags=(),
    confirm_duplicate: bool = False,
    first_contact: dict | None = None,
    **fields,
) -> Company:
    """Create a company; the actor owns it unless they give it to a team member or the pool.

    The workspace's duplicate policy applies first (dedup/policy.py): a likely duplicate raises
    ``DuplicateCompany`` unless the actor confirmed it (``confirm_duplicate``) and the policy is
    not "block". The matches let through are on ``company.duplicate_matches``. ``first_contact``
    (name, email, phone) is created with the company and takes part in the duplicate check."""
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise DomainError(f"Unknown company fields: {', '.join(sorted(unknown))}")
    owner = fields.pop("owner", actor)
    _check_owner(actor, owner)
    company = Company(**fields)
    set_owner(company, owner)
    _prepare_company(company)
    person = {k: (v or "").strip() for k, v in (first_contact or {}).items()}
    company.duplicate_matches = duplicate_policy.enforce(
        Candidate(
            name=company.name,
            country=company.country,
            website=company.website,
            emails=tuple(filter(None, [person.get("email")])),
            phones=tuple(filter(None, [person.get("phone")])),
        ),
        confirmed=confirm_duplicate,
    )
    company.save()
    names = _set_tags(company, tags)
    changes = snapshot(company, COMPANY_FIELDS) | {"tags": names}
    if company.duplicate_matches:
        changes["confirmed_duplicates"] = [m.company_id for m in company.duplicate_matches]
    audit_record(
        actor=actor, action="create", instance=company, changes=changes, company_id=company.pk
    )
    if any(person.values()):
        _create_first_contact(actor, company, person)
    company_changed(company)
    return company


def _create_first_contact(actor, company: Company, person: dict) -> None:
    """The contact typed with a new company; its errors name the form's contact_* fields."""
    contact = Contact(company=company, **person)
    try:
        try:
            _prepare_contact(contact, company)
        except ValidationError as exc:
            raise raise_as_domain(exc) from exc
    except DomainError as exc:
        raise DomainError(exc.message, field=f"contact_{exc.field or 'name'}") from exc
    contact.save()
    audit_record(
        actor=actor,
        action="create",
        instance=contact,
        changes=snapshot(contact, CONTACT_FIELDS),
        company_id=company.pk,
    )


@transaction.atomic
def company_update(*, actor, company_id: int, tags=None, **fields) -> Company:
    """Change a company's fields (and tags when given); only what changed is audited."""
    company = _visible_company(actor, company_id)
    before = snapshot(company, COMPANY_FIELDS) | {
        "tags": sorted(company.tags.values_list("name", flat=True))
    }
    if "owner" in fields and fields["owner"] != company.owner:
        _check_owner(actor, fields["owner"])
        set_owner(company, fields.pop("owner"))
    for name, value in fields.items():
        if name not in COMPANY_FIELDS:
            raise DomainError(f"Unknown company field: {name}")
        setattr(company, name, value)
    _prepare_company(company)
    if (company.name_normalized, company.website_domain) != (
        normalize_company_name(before["name"]),
        website_domain(before["website"]),
    ):  # renamed or moved: only the "block" policy applies (dedup/policy.py)
        duplicate_policy.enforce(
            Candidate(name=company.name, country=company.country, website=company.website),
            confirmed=True,
            exclude_company_id=company.pk,
        )
    company.save()
    after = snapshot(company, COMPANY_FIELDS) | {
        "tags": _set_tags(company, tags) if tags is not None else before["tags"]
    }
    company_changed(company)
    changes = diff(before, after)
    if changes:
        audit_record(
            actor=actor, action="update", instance=company, changes=changes, company_id=company.pk
        )
    return company


@transaction.atomic
def company_delete(*, actor, company_id: int) -> None:
    """Delete a company with its contacts, timeline and tasks; owners, managers and admins only."""
    company = _visible_company(actor, company_id)
    if actor.role == Role.SALES and company.owner_id != actor.pk:
        raise PermissionDenied(_("Only the owner or a manager can delete a customer."))
    changes = snapshot(company, COMPANY_FIELDS) | {
        "contacts": company.contacts.count(),
        "activities": company.activities.count(),
        "tasks": company.tasks.count(),
    }
    audit_record(
        actor=actor, action="delete", instance=company, changes=changes, company_id=company.pk
    )
    company.delete()


def _prepare_contact(contact: Contact, company: Company) -> None:
    contact.name = contact.name.strip()
    contact.email = contact.email.strip().lower()
    contact.phone = phone_to_e164(contact.phone, company.country, field="phone")
    contact.whatsapp = phone_to_e164(contact.whatsapp, company.country, field="whatsapp")
    contact.full_clean()


@transaction.atomic
def contact_create(*, actor, company_id: int, **fields) -> Contact:
    company = _visible_company(actor, company_id)
    contact = Contact(company=company, **fields)
    _prepare_contact(contact, company)
    contact.save()
    company_changed(company)
    audit_record(
        actor=actor,
        action="create",
        instance=contact,
        changes=snapshot(contact, CONTACT_FIELDS),
        company_id=company.pk,
    )
    return contact


def _visible_child(model, actor, pk: int):
    row = model.objects.visible_to(actor).select_related("company").filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such record."))
    return row


@transaction.atomic
def contact_update(*, actor, contact_id: int, **fields) -> Contact:
    contact = _visible_child(Contact, actor, contact_id)
    before = snapshot(contact, CONTACT_FIELDS)
    for name, value in fields.items():
        if name not in CONTACT_FIELDS:
            raise DomainError(f"Unknown contact field: {name}")
        setattr(contact, name, value)
    _prepare_contact(contact, contact.company)
    contact.save()
    company_changed(contact.company)
    changes = diff(before, snapshot(contact, CONTACT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            instance=contact,
            changes=changes,
            company_id=contact.company_id,
        )
    return contact


@transaction.atomic
def contact_delete(*, actor, contact_id: int) -> None:
    contact = _visible_child(Contact, actor, contact_id)
    audit_record(
        actor=actor,
        action="delete",
        instance=contact,
        changes=snapshot(contact, CONTACT_FIELDS),
        company_id=contact.company_id,
    )
    contact.delete()
    company_changed(contact.company)


@transaction.atomic
def activity_log(*, actor, company_id: int, **fields) -> Activity:
    """Put an activity on the timeline and move the company's last-activity time forward."""
    company = _visible_company(actor, company_id)
    fields.setdefault("occurred_at", timezone.now())
    activity = Activity(company=company, user=actor, **fields)
    _check_contact(company, activity.contact)
    activity.summary = activity.summary.strip()
    activity.full_clean()
    if activity.occurred_at > timezone.now() + timezone.timedelta(minutes=5):
        raise DomainError(
            _("An activity cannot happen in the future — plan it as a follow-up task instead."),
            field="occurred_at",
        )
    activity.save()
    if company.last_activity_at is None or activity.occurred_at > company.last_activity_at:
        Company.objects.filter(pk=company.pk).update(last_activity_at=activity.occurred_at)
    audit_record(
        actor=actor,
        action="create",
        instance=activity,
        changes=snapshot(activity, ACTIVITY_FIELDS),
        company_id=company.pk,
    )
    activities_logged.send(sender=Activity, activities=[activity])
    return activity


@transaction.atomic
def activity_log_many(activities: list[Activity]) -> list[Activity]:
    """Put many activities on their timelines at once (the outbox files sent mail this way):
    the same rows and audit events as ``activity_log``, and each company's last-activity time
    moved forward, in a fixed number of queries. The caller has checked that each activity's
    author (``activity.user``) may see its customer and that its contact belongs to it."""
    if not activities:
        return []
    Activity.objects.bulk_create(activities)
    AuditEvent.objects.bulk_create(
        audit_event(
            actor=activity.user,
            action="create",
            instance=activity,
            changes=snapshot(activity, ACTIVITY_FIELDS),
            company_id=activity.company_id,
        )
        for activity in activities
    )
    latest: dict[int, datetime] = {}
    for activity in activities:
        known = latest.get(activity.company_id)
        if known is None or activity.occurred_at > known:
            latest[activity.company_id] = activity.occurred_at
    _move_last_activity_forward(latest)
    activities_logged.send(sender=Activity, activities=activities)
    return activities


def _move_last_activity_forward(latest: dict[int, datetime]) -> None:
    """Each company's last-activity time becomes the given time unless it is already later:
    one prepared UPDATE run for every company (a CASE over all of them costs the outbox, which
    files mail in batches, about a fifth of a millisecond per letter inside the write lock)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(Company._meta.db_table)
    column = connection.ops.quote_name(Company._meta.get_field("last_activity_at").column)
    # Names come from the model and are quoted; values go as parameters.
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s AND ({column} IS NULL OR {column} < %s)"  # noqa: S608
    rows = []
    for company_id, when in latest.items():
        value = connection.ops.adapt_datetimefield_value(when)
        rows.append((value, company_id, value))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def activity_delete(*, actor, activity_id: int) -> None:
    activity = _visible_child(Activity, actor, activity_id)
    if actor.role == Role.SALES and activity.user_id != actor.pk:
        raise PermissionDenied(_("Only the person who logged an activity can delete it."))
    audit_record(
        actor=actor,
        action="delete",
        instance=activity,
        changes=snapshot(activity, ACTIVITY_FIELDS),
        company_id=activity.company_id,
    )
    activity.delete()


def _check_assignee(actor, company: Company, assignee) -> None:
    if assignee == actor:
        return
    allowed = User.objects.filter(visible_users_q(actor) | Q(pk=company.owner_id), pk=assignee.pk)
    if not allowed.exists():
        raise PermissionDenied(
            _("You can assign follow-ups to yourself, the customer's owner or your team."),
            field="assignee",
        )


@transaction.atomic
def task_create(*, actor, company_id: int, **fields) -> Task:
    company = _visible_company(actor, company_id)
    fields.setdefault("assignee", actor)
    task = Task(company=company, **fields)
    _check_contact(company, task.contact)
    _check_assignee(actor, company, task.assignee)
    task.title = task.title.strip()
    task.full_clean()
    task.save()
    audit_record(
        actor=actor,
        action="create",
        instance=task,
        changes=snapshot(task, TASK_FIELDS),
        company_id=company.pk,
    )
    return task


@transaction.atomic
def task_update(*, actor, task_id: int, **fields) -> Task:
    task = _visible_child(Task, actor, task_id)
    before = snapshot(task, TASK_FIELDS)
    old_assignee_id = task.assignee_id
    for name, value in fields.items():
        if name not in TASK_FIELDS:
            raise DomainError(f"Unknown task field: {name}")
        setattr(task, name, value)
    if task.assignee_id != old_assignee_id:
        _check_assignee(actor, task.company, task.assignee)
    _check_contact(task.company, task.contact)
    task.full_clean()
    task.save()
    changes = diff(before, snapshot(task, TASK_FIELDS))
    if changes:
        action = "complete" if set(changes) == {"done_at"} and task.done_at else "update"
        audit_record(
            actor=actor, action=action, instance=task, changes=changes, company_id=task.company_id
        )
    return task


def task_complete(*, actor, task_id: int, when: datetime | None = None) -> Task:
    return task_update(actor=actor, task_id=task_id, done_at=when or timezone.now())


@transaction.atomic
def task_delete(*, actor, task_id: int) -> None:
    task = _visible_child(Task, actor, task_id)
    audit_record(
        actor=actor,
        action="delete",
        instance=task,
        changes=snapshot(task, TASK_FIELDS),
        company_id=task.company_id,
    )
    task.delete()


def raise_as_domain(exc: ValidationError) -> DomainError:
    """The first message of a model ValidationError as a DomainError naming its field."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return DomainError(errors[0].messages[0], field=None if field == "__all__" else field)
    return DomainError(exc.messages[0])
