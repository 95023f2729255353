"""Enrolling contacts in a sequence: one from the company page, or every match of the
customer-list filter.

Rules:

* only customers the actor can see (``customers.selectors.company_queryset``), and not those in
  the public pool (claim them first) or already at the inquiry stage or later;
* a contact needs an email address that is not on the suppression list, and every email step's
  merge fields must have a value for them (checked now, and again before each send);
* a contact is enrolled once per sequence, and not while in another active or paused sequence
  (two cadences at once would double-mail the buyer);
* from a filter: the decision maker of each company (else its first contact with an email), or
  every contact with an email; at most 2,000 customers at a time, reported as counts by reason;
* the first step is due the given number of the buyer's working days from now, in their
  morning window, spread by the contact's id.

The sequence row is locked while enrolling, so two enrolments into it cannot race.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers.models import Contact
from tradewind.customers.selectors import CompanyFilters, company_queryset
from tradewind.outreach import buyer_time, sharing, templating
from tradewind.outreach.choices import StepKind
from tradewind.outreach.letters import active_mailbox
from tradewind.outreach.models import Enrollment, Sequence
from tradewind.outreach.sequences import OPEN_STATUSES, due_after, past_first_contact
from tradewind.outreach.suppression import suppressed_among

MAX_BULK_COMPANIES = 2000
WHO_DECISION_MAKER, WHO_ALL = "decision_maker", "all"


@dataclass
class EnrolReport:
    """What an enrolment did, contact by contact, in counts (and a few examples of problems)."""

    enrolled: int = 0
    already: int = 0
    suppressed: int = 0
    no_email: int = 0
    missing: int = 0
    past_first_contact: int = 0
    pool: int = 0
    no_zone: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return (
            self.already
            + self.suppressed
            + self.no_email
            + self.missing
            + self.past_first_contact
            + self.pool
            + self.no_zone
        )


class _Skip(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


def _enrollable_sequence(actor, sequence_id: int) -> Sequence:
    sequence = sharing.usable_or_404(Sequence, actor, sequence_id, lock=True)
    if not sequence.is_active:
        raise DomainError(_("This sequence is switched off."), field="sequence")
    steps = list(sequence.steps.select_related("template"))
    if not steps:
        raise DomainError(_("This sequence has no steps yet."), field="sequence")
    sequence.step_list = steps
    return sequence


def _check_candidate(actor, sequence, contact, company, contacts, known) -> buyer_time.BuyerClock:
    """The buyer's clock if ``contact`` may be enrolled; _Skip saying why not."""
    name = contact.name
    if company.owner_id is None:
        raise _Skip("pool", _("%(c)s is in the public pool — claim it first.") % {"c": company})
    if past_first_contact(company.stage):
        raise _Skip(
            "past_first_contact",
            _("%(c)s is already at the %(stage)s stage.")
            % {"c": company, "stage": company.get_stage_display()},
        )
    if not contact.email:
        raise _Skip("no_email", _("%(name)s has no email address.") % {"name": name})
    if contact.email.lower() in known["suppressed"]:
        raise _Skip(
            "suppressed", _("%(email)s is on the do-not-mail list.") % {"email": contact.email}
        )
    if contact.pk in known["enrolled"]:
        raise _Skip(
            "already", _("%(name)s is already in this or another sequence.") % {"name": name}
        )
    try:
        clock = buyer_time.buyer_clock(company, contacts)
    except DomainError as exc:
        raise _Skip("no_zone", exc.message) from None
    for step in sequence.step_list:
        if step.kind == StepKind.EMAIL:
            context = templating.merge_context(
                contact=contact, company=company, me=actor, language=step.template.language
            )
            rendered = templating.render_template(step.template, context, allow_missing=True)
            if rendered.missing:
                message = templating.missing_message(rendered.missing[0], context)
                raise _Skip("missing", message)
    return clock


def _known(sequence, contacts) -> dict:
    suppressed = set(suppressed_among(c.email for c in contacts if c.email))
    ids = [c.pk for c in contacts]
    enrolled = set(
        Enrollment.objects.filter(contact_id__in=ids)
        .filter(Q(sequence=sequence) | Q(status__in=OPEN_STATUSES))
        .values_list("contact_id", flat=True)
    )
    return {"suppressed": suppressed, "enrolled": enrolled}


def first_due(clock, sequence, now: dt.datetime, spread_key: int) -> dt.datetime:
    delay = sequence.step_list[0].delay_working_days
    return due_after(clock, now, delay, spread_key)


def _enrol(actor, sequence, mailbox, pairs, now, report: EnrolReport) -> list[Enrollment]:
    """Enrol each (contact, company, contacts of the company) that passes the checks."""
    known = _known(sequence, [contact for contact, _c, _cs in pairs])
    rows = []
    for contact, company, contacts in pairs:
        try:
            clock = _check_candidate(actor, sequence, contact, company, contacts, known)
        except _Skip as skip:
            setattr(report, skip.reason, getattr(report, skip.reason) + 1)
            if len(report.problems) < 5:
                report.problems.append(skip.message)
            continue
        known["enrolled"].add(contact.pk)
        rows.append(
            Enrollment(
                sequence=sequence,
                company=company,
                contact=contact,
                mailbox=mailbox,
                enrolled_by=actor,
                next_position=1,
                next_due_at=first_due(clock, sequence, now, contact.pk),
            )
        )
    created = Enrollment.objects.bulk_create(rows)
    for enrollment in created:
        audit_record(
            actor=actor,
            action="create",
            instance=enrollment,
            changes={
                "sequence": sequence.name,
                "contact": enrollment.contact.name,
                "next_due_at": enrollment.next_due_at.isoformat(),
            },
            company_id=enrollment.company_id,
        )
    report.enrolled += len(created)
    return created


@transaction.atomic
def enroll_contact(*, actor, sequence_id: int, contact_id: int, now=None) -> Enrollment:
    """Enrol one contact (from the company page); DomainError saying why when it cannot be."""
    now = now or timezone.now()
    contact = Contact.objects.visible_to(actor).select_related("company").filter(pk=contact_id)
    contact = contact.first()
    if contact is None:
        raise NotFound(_("No such contact."))
    sequence = _enrollable_sequence(actor, sequence_id)
    mailbox = active_mailbox(actor)
    report = EnrolReport()
    contacts = list(contact.company.contacts.all())
    created = _enrol(actor, sequence, mailbox, [(contact, contact.company, contacts)], now, report)
    if not created:
        raise DomainError(report.problems[0], field="contact")
    return created[0]


def _pick_contacts(companies, who: str, report: EnrolReport):
    """(contact, company, its contacts) to enrol for each company, by the ``who`` rule."""
    by_company: dict[int, list[Contact]] = {c.pk: [] for c in companies}
    for contact in Contact.objects.filter(company__in=companies).order_by(
        "company_id", "-is_decision_maker", "name", "pk"
    ):
        by_company[contact.company_id].append(contact)
    pairs = []
    for company in companies:
        contacts = by_company[company.pk]
        for contact in contacts:
            contact.company = company
        with_email = [c for c in contacts if c.email]
        if not with_email:
            report.no_email += 1
            continue
        chosen = with_email if who == WHO_ALL else with_email[:1]
        pairs.extend((contact, company, contacts) for contact in chosen)
    return pairs


@transaction.atomic
def enroll_filtered(
    *, actor, sequence_id: int, filters: CompanyFilters, who: str = WHO_DECISION_MAKER, now=None
) -> EnrolReport:
    """Enrol the contacts of every customer matching the customer-list filter."""
    if who not in (WHO_DECISION_MAKER, WHO_ALL):
        raise DomainError(_("Choose whom to enrol."), field="who")
    now = now or timezone.now()
    sequence = _enrollable_sequence(actor, sequence_id)
    mailbox = active_mailbox(actor)
    companies = list(company_queryset(actor, filters)[: MAX_BULK_COMPANIES + 1])
    if len(companies) > MAX_BULK_COMPANIES:
        raise DomainError(
            _("More than %(max)s customers match — narrow the filter and enrol them in parts.")
            % {"max": f"{MAX_BULK_COMPANIES:,}"}
        )
    report = EnrolReport()
    _enrol(actor, sequence, mailbox, _pick_contacts(companies, who, report), now, report)
    return report


def filtered_company_count(actor, filters: CompanyFilters) -> int:
    return company_queryset(actor, filters).order_by().count()
