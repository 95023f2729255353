"""Reads for letters, templates and sequences, with their joins applied.

Templates and sequences follow ``outreach.sharing``; everything about a customer (scheduled
messages, enrollments and their counts) goes through ``visible_to(user)``, so another rep's
customers never appear in a list or a count — even in a sequence shared with the whole team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from tradewind.core.errors import DomainError
from tradewind.customers import geo
from tradewind.customers.models import Company, Contact
from tradewind.customers.selectors import Page
from tradewind.outreach import buyer_time, sharing
from tradewind.outreach.choices import EnrollmentStatus, MessageStatus
from tradewind.outreach.mailboxes import mailbox_of
from tradewind.outreach.models import (
    EmailTemplate,
    Enrollment,
    OutboundMessage,
    Sequence,
    SequenceStep,
)

WAITING = (MessageStatus.SCHEDULED, MessageStatus.SENDING)
PREVIEW_CONTACTS = 50


def usable_templates(user):
    return (
        EmailTemplate.objects.filter(sharing.usable_q(user))
        .select_related("owner")
        .order_by("name", "pk")
    )


def template_list(user) -> list[EmailTemplate]:
    return list(usable_templates(user).annotate(attachment_count=Count("attachments")))


def template_for_edit(user, template_id: int) -> EmailTemplate:
    return sharing.usable_or_404(EmailTemplate, user, template_id, for_change=True)


def usable_sequences(user):
    return Sequence.objects.filter(sharing.usable_q(user)).select_related("owner")


def sequence_list(user) -> list[Sequence]:
    """Sequences with their steps and, per status, how many of *visible* enrollments."""
    sequences = list(
        usable_sequences(user)
        .prefetch_related(
            Prefetch("steps", queryset=SequenceStep.objects.select_related("template"))
        )
        .order_by("name", "pk")
    )
    counts = (
        Enrollment.objects.visible_to(user)
        .filter(sequence__in=[s.pk for s in sequences])
        .values("sequence_id", "status")
        .annotate(n=Count("pk"))
    )
    by_sequence: dict[int, dict[str, int]] = {}
    for row in counts:
        by_sequence.setdefault(row["sequence_id"], {})[row["status"]] = row["n"]
    for sequence in sequences:
        sequence.counts = by_sequence.get(sequence.pk, {})
    return sequences


def sequence_for_edit(user, sequence_id: int) -> Sequence:
    return sharing.usable_or_404(Sequence, user, sequence_id, for_change=True)


def enrollment_list(user, *, sequence_id=None, status="", page=1, size=50) -> Page:
    qs = Enrollment.objects.visible_to(user).select_related(
        "sequence", "contact", "company", "company__owner"
    )
    if sequence_id:
        qs = qs.filter(sequence_id=sequence_id)
    if status in EnrollmentStatus.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("-created_at", "-pk")
    page = max(1, page)
    offset = (page - 1) * size
    rows = list(qs[offset : offset + size + 1])
    for row in rows:
        row.buyer_zone = geo.buyer_time_zone(row.company, [])
    return Page(items=rows[:size], number=page, size=size, has_next=len(rows) > size)


def waiting_letters(user, *, limit=100) -> list[OutboundMessage]:
    """The user's letters still in the outbox, soonest first, with their buyer's zone."""
    rows = list(
        OutboundMessage.objects.visible_to(user)
        .filter(created_by=user, status__in=WAITING)
        .select_related("company", "contact")
        .order_by("scheduled_at", "pk")[:limit]
    )
    for row in rows:
        row.buyer_zone = geo.buyer_time_zone(row.company, []) if row.company else ""
    return rows


def preview_contacts(user) -> list[Contact]:
    """Contacts with an email to preview a template against: the user's most recent ones."""
    return list(
        Contact.objects.visible_to(user)
        .filter(company__owner=user)
        .exclude(email="")
        .select_related("company")
        .order_by("-company__last_activity_at", "-pk")[:PREVIEW_CONTACTS]
    )


@dataclass
class CompanyPanel:
    """What the outreach panel of the company page shows."""

    contacts_with_email: list[Contact]
    waiting: list[OutboundMessage]
    enrollments: list[Enrollment]
    sequences: list[Sequence]
    mailbox: object
    buyer_zone: str
    step_counts: dict[int, int] = field(default_factory=dict)


def company_panel(user, company: Company, contacts: list[Contact], buyer_zone: str):
    """The panel's data in four queries, three when no contact has an email address (the page
    already has the company and its contacts)."""
    enrollments = list(
        company.enrollments.select_related("sequence", "contact")
        .annotate(step_count=Count("sequence__steps"))
        .order_by("-created_at", "-pk")[:20]
    )
    waiting = list(
        OutboundMessage.objects.filter(company=company, status__in=WAITING)
        .select_related("contact", "enrollment__sequence")
        .order_by("scheduled_at", "pk")[:20]
    )
    writable = [c for c in contacts if c.email]
    sequences = []
    if writable:  # nobody to enrol: no need for the sequence picker
        sequences = list(
            Sequence.objects.filter(sharing.usable_q(user), is_active=True).order_by("name", "pk")
        )
    return CompanyPanel(
        contacts_with_email=writable,
        waiting=waiting,
        enrollments=enrollments,
        sequences=sequences,
        mailbox=mailbox_of(user),
        buyer_zone=buyer_zone,
    )


def buyer_zone_of(company: Company, contacts) -> str:
    return geo.buyer_time_zone(company, contacts)


def mailbox_usage(mailbox, user, now: dt.datetime | None = None) -> dict:
    """Today's load of the user's own mailbox, for the cap line: {"sent": n, "due": n}.
    The day is the user's local day, as the outbox's daily cap counts it."""
    if mailbox is None:
        return {}
    now = now or timezone.now()
    day_start = now.astimezone(user.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + dt.timedelta(days=1)
    return OutboundMessage.objects.filter(mailbox=mailbox).aggregate(
        sent=Count("pk", filter=Q(status=MessageStatus.SENT, sent_at__gte=day_start)),
        due=Count("pk", filter=Q(status__in=WAITING, scheduled_at__lt=day_end)),
    )


def send_slot_preview(company: Company, contacts, now: dt.datetime):
    """The buyer's next good time, or None when their zone is unknown."""
    try:
        clock = buyer_time.buyer_clock(company, contacts)
        return buyer_time.send_slot(clock, now=now)
    except DomainError:
        return None
