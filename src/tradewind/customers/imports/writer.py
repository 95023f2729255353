"""Writing one batch of decisions: new companies, their contacts and tags, fills of existing
companies, audit events and the ``ImportRow`` records — in bulk, inside the caller's
transaction (one per batch), then the duplicate-check keys and fit scores of every company the
batch touched.

Judgement calls:
- Fill means "fill what is empty": a field that has a value is never overwritten; tags are
  added only to a company without tags. A contact is the same person when the email, else the
  phone, else the name matches; the same person's empty fields are filled, a new person is added.
- A fill that would change nothing ends as "skipped as duplicate: nothing new to add".
- One audit event per created company (with its contacts and tags) and one per filled company
  and batch, written with ``bulk_create``; the job itself gets one event when it ends.
- In a dry run the same decisions are made and the same checks run, but only the ``ImportRow``
  records are written (they are the report).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import snapshot
from tradewind.core.models import AuditEvent
from tradewind.customers.choices import Stage
from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup.engine import bulk_index_companies
from tradewind.customers.dedup.models import DedupKey
from tradewind.customers.imports.choices import Outcome
from tradewind.customers.imports.fast_insert import insert_many
from tradewind.customers.imports.models import ImportJob, ImportRow
from tradewind.customers.imports.runner import Decision, Target
from tradewind.customers.imports.validation import CleanRow
from tradewind.customers.models import Company, Contact, Tag
from tradewind.customers.normalize import normalize_company_name, website_domain
from tradewind.customers.services import COMPANY_FIELDS, set_owner

FILLABLE_COMPANY_FIELDS = (
    "country",
    "website",
    "address",
    "customer_type",
    "source",
    "products_of_interest",
    "notes",
)
FILLABLE_CONTACT_FIELDS = ("title", "email", "phone", "whatsapp", "linkedin", "notes")
COMPANY_CHANGE_FIELDS = (*FILLABLE_COMPANY_FIELDS, "website_domain", "updated_at")
CONTACT_COLUMNS = ("name", "title", "email", "phone", "whatsapp", "linkedin", "is_decision_maker",
                   "notes")  # fmt: skip


@dataclass
class WriteContext:
    job: ImportJob
    actor: object
    owner_for: Callable[[str], object]  # country → owner of a new company (None: the pool)
    now: datetime
    dry_run: bool


@dataclass
class _Fill:
    """The changes the batch makes to one existing company."""

    company: Company
    changes: dict = field(default_factory=dict)  # field → [old, new]
    new_contacts: list = field(default_factory=list)
    changed_contacts: dict = field(default_factory=dict)  # id → Contact
    contact_changes: dict = field(default_factory=dict)  # id → {field: [old, new]}
    new_tags: list = field(default_factory=list)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


# --- Building ---------------------------------------------------------------------------------


def _new_company(row: CleanRow, owner, now: datetime) -> Company:
    data = row.company
    company = Company(
        name=data["name"],
        name_normalized=normalize_company_name(data["name"]),
        country=data["country"],
        website=data["website"],
        website_domain=website_domain(data["website"]),
        address=data["address"],
        customer_type=data["customer_type"],
        source=data["source"],
        products_of_interest=data["products_of_interest"],
        notes=data["notes"],
        stage=Stage.LEAD,
        created_at=now,
        updated_at=now,
    )
    set_owner(company, owner, now=now)
    return company


def _fill_fields(company: Company, row: CleanRow) -> dict:
    changes = {}
    for name in FILLABLE_COMPANY_FIELDS:
        new = row.company.get(name) or ""
        if new and not getattr(company, name):
            changes[name] = ["", new]
            setattr(company, name, new)
    if "website" in changes:
        company.website_domain = website_domain(company.website)
    return changes


def _same_person(contact, data: dict) -> bool:
    if data["email"] and contact.email:
        return contact.email == data["email"]
    if data["phone"] and contact.phone:
        return contact.phone == data["phone"]
    return contact.name.casefold() == data["name"].casefold()


def _merge_contact(contacts: list, data: dict | None, company: Company):
    """(a new Contact or None, an existing Contact whose empty fields were filled or None)."""
    if not data:
        return None, None
    same = next((contact for contact in contacts if _same_person(contact, data)), None)
    if same is None:
        contact = Contact(company=company, **data)
        contacts.append(contact)
        return contact, None
    changes = {}
    for name in FILLABLE_CONTACT_FIELDS:
        if data[name] and not getattr(same, name):
            changes[name] = ["", data[name]]
            setattr(same, name, data[name])
    same.import_changes = {**getattr(same, "import_changes", {}), **changes}
    return None, same if changes else None


def _fill_summary(changes: dict, contact_added, contact_filled, tags_added) -> str:
    parts = []
    if changes:
        names = ", ".join(_label(Company, name) for name in changes)
        parts.append(_("filled %(fields)s") % {"fields": names})
    if contact_added is not None:
        parts.append(_("added the contact %(name)s") % {"name": contact_added.name})
    if contact_filled is not None:
        parts.append(_("completed the contact %(name)s") % {"name": contact_filled.name})
    if tags_added:
        parts.append(_("added the tags %(tags)s") % {"tags": ", ".join(tags_added)})
    return "; ".join(parts)


def _apply_fill(decision: Decision, company: Company, contacts: list, tags: list, fill) -> None:
    """Fill ``company`` (and its contacts and tags) from the decision's row; set the outcome."""
    row = decision.row
    changes = _fill_fields(company, row)
    added, filled = _merge_contact(contacts, row.contact, company)
    new_tags = row.tags if row.tags and not tags else []
    tags.extend(new_tags)
    summary = _fill_summary(changes, added, filled, new_tags)
    if not summary:
        decision.outcome = Outcome.SKIPPED_DUPLICATE
        decision.reason = _("Nothing new to add. %(reason)s") % {"reason": decision.reason}
        return
    decision.reason = f"{summary[:1].upper()}{summary[1:]}. {decision.reason}"
    if fill is not None:
        for name, (old, new) in changes.items():
            fill.changes.setdefault(name, [old, new])[1] = new
        if added is not None:
            fill.new_contacts.append(added)
        if filled is not None and filled.pk:
            fill.changed_contacts[filled.pk] = filled
            fill.contact_changes[filled.pk] = filled.import_changes
        fill.new_tags.extend(new_tags)


# --- Writing ----------------------------------------------------------------------------------


def _load_fills(decisions: list[Decision]) -> dict[int, _Fill]:
    ids = {
        d.fill_into.pk
        for d in decisions
        if d.outcome == Outcome.UPDATED and not d.fill_into.is_pending
    }
    companies = Company.objects.filter(pk__in=ids).prefetch_related("contacts", "tags")
    return {company.pk: _Fill(company) for company in companies}


def plan_batch(decisions: list[Decision], wctx: WriteContext) -> tuple[list[Target], dict]:
    """Build the new companies and apply the fills in file order; nothing is saved yet."""
    created: list[Target] = []
    fills = _load_fills(decisions)
    for decision in decisions:
        if decision.outcome == Outcome.CREATED:
            target = decision.target
            row = decision.row
            target.company = _new_company(row, wctx.owner_for(row.company["country"]), wctx.now)
            target.contacts = []
            _merge_contact(target.contacts, row.contact, target.company)
            target.tags = list(row.tags)
            created.append(target)
        elif decision.outcome == Outcome.UPDATED:
            target = decision.fill_into
            if target.is_pending:
                _apply_fill(decision, target.company, target.contacts, target.tags, None)
                continue
            fill = fills.get(target.pk)
            if fill is None:  # deleted since the duplicate check
                decision.outcome = Outcome.SKIPPED_DUPLICATE
                continue
            contacts = list(fill.company.contacts.all()) + fill.new_contacts
            tags = [tag.name for tag in fill.company.tags.all()] + fill.new_tags
            _apply_fill(decision, fill.company, contacts, tags, fill)
    return created, fills


def _tag_ids(names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    missing = names - existing.keys()
    if missing:
        Tag.objects.bulk_create([Tag(name=name) for name in sorted(missing)], ignore_conflicts=True)
        existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    return existing


def _write_tags(pairs: list[tuple[int, list[str]]]) -> None:
    tag_ids = _tag_ids({name for _pk, names in pairs for name in names})
    through = Company.tags.through
    through.objects.bulk_create(
        [through(company_id=pk, tag_id=tag_ids[name]) for pk, names in pairs for name in names],
        ignore_conflicts=True,
    )


def _audit_events(created: list[Target], fills: dict[int, _Fill], wctx: WriteContext) -> list:
    actor = wctx.actor if getattr(wctx.actor, "pk", None) else None
    events = []
    for target in created:
        company = target.company
        changes = snapshot(company, COMPANY_FIELDS) | {
            "tags": sorted(target.tags),
            "contacts": [contact.name for contact in target.contacts],
        }
        events.append(_event(actor, "create", company, changes))
    for fill in fills.values():
        changes = dict(fill.changes)
        if fill.new_contacts:
            changes["contacts"] = [[], [contact.name for contact in fill.new_contacts]]
        if fill.new_tags:
            changes["tags"] = [[], sorted(fill.new_tags)]
        if changes:
            events.append(_event(actor, "update", fill.company, changes))
        for pk, contact in fill.changed_contacts.items():
            events.append(
                _event(actor, "update", fill.company, fill.contact_changes[pk], contact=contact)
            )
    return events


AUDIT_COLUMNS = [
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "company",
    "changes",
]


def _event(actor, action: str, company: Company, changes: dict, contact=None) -> tuple:
    """An ``AuditEvent`` row in the order of ``AUDIT_COLUMNS`` (its time is set on writing):
    about the company, or about one of its contacts."""
    actor_id = actor.pk if actor is not None else None
    record = contact if contact is not None else company
    label = record._meta.label_lower
    return (None, actor_id, action, label, record.pk, str(record)[:200], company.pk, changes)


def save_batch(
    created: list[Target], fills: dict[int, _Fill], wctx: WriteContext
) -> tuple[list[Target], list[int]]:
    """Save what ``plan_batch`` built; returns the created targets and the ids of the existing
    companies that changed."""
    Company.objects.bulk_create([target.company for target in created])
    for target in created:
        target.pk, target.written = target.company.pk, True
    new_contacts = [contact for target in created for contact in target.contacts]
    for contact in new_contacts:
        contact.company_id = contact.company.pk
    changed_companies = []
    for fill in fills.values():
        new_contacts.extend(fill.new_contacts)
        if fill.changes:
            fill.company.updated_at = wctx.now
            changed_companies.append(fill.company)
    moment = timezone.now()
    insert_many(
        Contact,
        ["created_at", "updated_at", "company", *CONTACT_COLUMNS],
        (
            (moment, moment, c.company_id, *(getattr(c, name) for name in CONTACT_COLUMNS))
            for c in new_contacts
        ),
    )
    if changed_companies:
        Company.objects.bulk_update(changed_companies, COMPANY_CHANGE_FIELDS)
    changed_contacts = [c for fill in fills.values() for c in fill.changed_contacts.values()]
    if changed_contacts:
        Contact.objects.bulk_update(changed_contacts, FILLABLE_CONTACT_FIELDS)
    _write_tags(
        [(t.pk, t.tags) for t in created if t.tags]
        + [(pk, fill.new_tags) for pk, fill in fills.items() if fill.new_tags]
    )
    insert_many(
        AuditEvent,
        AUDIT_COLUMNS,
        ((moment, *event[1:]) for event in _audit_events(created, fills, wctx)),
    )
    filled = [
        pk
        for pk, fill in fills.items()
        if fill.changes or fill.new_contacts or fill.changed_contacts or fill.new_tags
    ]
    return created, filled


def _write_keys(created: list[Target]) -> None:
    """The duplicate-check keys of new companies, computed by the engine's own ``keys_of`` from
    the stored values (as ``refresh_company_keys`` would)."""
    rows = []
    for target in created:
        company = target.company
        keys = dk.keys_of(
            name=company.name,
            country=company.country,
            website=company.website,
            emails=[contact.email for contact in target.contacts if contact.email],
            phones=[n for c in target.contacts for n in (c.phone, c.whatsapp) if n],
            normalized_name=company.name_normalized or None,
        )
        rows.extend((company.pk, kind, value) for kind, value in sorted(keys))
    insert_many(DedupKey, ["company", "kind", "value"], rows)


def refresh_derived(created: list[Target], filled: list[int], *, with_pairs: bool) -> None:
    """Duplicate-check keys and fit scores of the companies a batch created or filled.

    New companies get their keys written directly unless they were created although they look
    like duplicates (``with_pairs``): a company created because nothing matched it has no
    possible-duplicate pairs to find, and looking again would double the batch's cost.
    Filled companies go through ``bulk_index_companies`` (their keys and pairs change)."""
    created_ids = [target.pk for target in created]
    if with_pairs:
        bulk_index_companies(created_ids + filled)
    else:
        _write_keys(created)
        if filled:
            bulk_index_companies(filled)
    from tradewind.customers.icp import scoring

    rescore_many = getattr(scoring, "rescore_companies", None)
    if rescore_many is not None and (created_ids or filled):
        rescore_many(created_ids + filled)


def write_rows(decisions: list[Decision], job: ImportJob) -> None:
    rows = []
    for decision in decisions:
        target = decision.target
        company_id = target.pk if target is not None and not target.is_pending else None
        rows.append(
            (
                job.pk,
                decision.row_number,
                decision.outcome,
                decision.reason,
                decision.label[:200],
                company_id,
                decision.fingerprint,
            )
        )
    insert_many(
        ImportRow,
        ["job", "row_number", "outcome", "reason", "label", "company", "fingerprint"],
        rows,
    )
