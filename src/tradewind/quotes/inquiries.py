"""Writes to inquiries (询盘) and their product lines.

Each service is atomic, finds its records through the visibility rule (another rep's inquiry
does not exist for the actor: ``NotFound``), records an audit event on the customer's history,
and raises ``DomainError`` naming the field at fault.

Rules and judgement calls:

* An inquiry belongs to a customer the actor can see; its contact must work there. It is
  handled by the customer's owner unless the actor picks themselves, the owner or (manager) a
  team member — the same rule as follow-up tasks.
* The first reply is due ``WorkspacePolicy.inquiry_response_hours`` working hours after the
  inquiry arrived, counted in the handler's zone, working day and country (``workhours``). It
  is recomputed when the arrival time or the handler changes.
* A new inquiry moves a *lead* or *contacted* customer to the *inquiry* stage through
  ``customers.services.company_update`` (audited like any stage change); the follow-up sequence
  runner stops enrollments of customers at that stage before their next step. Customers already
  further on (quoted, sample, …) keep their stage.
* The first reply is the earliest outbound email, call or chat logged for the customer at or
  after the inquiry arrived (``on_activities_logged``), or what the rep records by hand.
* Waiving a checklist item needs a reason (at most 300 characters); a filled item cannot be
  waived. A lost, won or closed inquiry is read-only until reopened.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.core import audit_display
from tradewind.core.audit import audit_event, audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers import services as customer_services
from tradewind.customers.choices import ActivityKind, Direction, Stage
from tradewind.customers.models import Company, Contact, WorkspacePolicy
from tradewind.customers.signals import activities_logged
from tradewind.quotes import workhours
from tradewind.quotes.checklist import checklist
from tradewind.quotes.choices import ChecklistItem, InquirySource, InquiryStatus
from tradewind.quotes.models import Inquiry, InquiryLine

INQUIRY_FIELDS = (
    "subject",
    "message",
    "source",
    "received_at",
    "contact",
    "assignee",
    "packing",
    "lead_time",
    "destination_port",
    "incoterm",
    "named_place",
    "payment_terms",
    "certificates",
    "currency",
)
AUDIT_FIELDS = (*INQUIRY_FIELDS, "first_response_due_at", "status", "closed_reason")
LINE_FIELDS = (
    "product",
    "description",
    "specification",
    "material",
    "quantity",
    "unit",
    "target_price",
)
TEXT_FIELDS = (
    "subject",
    "message",
    "packing",
    "lead_time",
    "destination_port",
    "named_place",
    "payment_terms",
    "certificates",
)
# Stages a new inquiry moves a customer on from (later stages are kept).
STAGES_BEFORE_INQUIRY = (Stage.LEAD, Stage.CONTACTED)
CLOSED_STATUSES = (InquiryStatus.WON, InquiryStatus.LOST, InquiryStatus.CLOSED)
CLOSE_STATUSES = (InquiryStatus.LOST, InquiryStatus.CLOSED)
# Activities that count as the first reply to the buyer.
REPLY_KINDS = (ActivityKind.EMAIL, ActivityKind.CALL, ActivityKind.CHAT)
MAX_REASON = 300
MAX_LINES = 200
FUTURE_SLACK = dt.timedelta(minutes=5)

audit_display.ACTIONS.update(
    {
        "waive": gettext_lazy("waived a checklist item on"),
        "unwaive": gettext_lazy("took back a waiver on"),
        "respond": gettext_lazy("recorded the first reply to"),
        "close": gettext_lazy("closed"),
        "reopen": gettext_lazy("reopened"),
    }
)
audit_display.EXTRA_LABELS.setdefault("item", gettext_lazy("Checklist item"))
audit_display.EXTRA_LABELS.setdefault("products", gettext_lazy("Products asked for"))
audit_display.register_value_labels("item", ChecklistItem.choices)


# --- Lookups -----------------------------------------------------------------------------------


def _visible_company(actor, company_id) -> Company:
    company = (
        Company.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=company_id)
        .first()
    )
    if company is None:
        raise NotFound(_("No such customer."))
    return company


def _visible_inquiry(actor, inquiry_id) -> Inquiry:
    """The inquiry for a write, locked; another rep's inquiry does not exist for the actor."""
    inquiry = (
        Inquiry.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("company", "assignee")
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None:
        raise NotFound(_("No such inquiry."))
    return inquiry


def _editable_inquiry(actor, inquiry_id) -> Inquiry:
    inquiry = _visible_inquiry(actor, inquiry_id)
    if inquiry.status in CLOSED_STATUSES:
        raise DomainError(
            _("This inquiry is %(status)s — reopen it to change it.")
            % {"status": inquiry.get_status_display().lower()},
            code="inquiry_closed",
        )
    return inquiry


def _visible_line(actor, line_id) -> InquiryLine:
    line = (
        InquiryLine.objects.visible_to(actor)
        .select_related("inquiry", "inquiry__company")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise NotFound(_("No such inquiry line."))
    return line


# --- Rules -------------------------------------------------------------------------------------


def first_response_due(received_at: dt.datetime, assignee) -> dt.datetime:
    """When the first reply is due: the workspace's working hours in the handler's zone."""
    policy = WorkspacePolicy.current()
    zone = getattr(assignee, "time_zone", "") or "Asia/Shanghai"
    try:
        return workhours.response_due(
            received_at,
            policy.inquiry_response_hours,
            zone=zone,
            start_hour=policy.working_day_start,
            end_hour=policy.working_day_end,
            country=workhours.country_of_zone(zone),
        )
    except DomainError as exc:
        if exc.field == "working_day_start":
            raise DomainError(
                _(
                    "The workspace's working day (%(start)s:00–%(end)s:00) ends before it "
                    "starts — ask a manager to fix it in the workspace policy."
                )
                % {"start": policy.working_day_start, "end": policy.working_day_end},
                field="received_at",
            ) from exc
        raise


def _check_assignee(actor, company: Company, assignee) -> None:
    if assignee is None:
        raise DomainError(_("Say who handles the inquiry."), field="assignee")
    if assignee == actor or assignee.pk == company.owner_id:
        return
    if not User.objects.filter(visible_users_q(actor), pk=assignee.pk).exists():
        raise PermissionDenied(
            _("You can give an inquiry to yourself, the customer's owner or your team."),
            field="assignee",
        )


def _check_contact(company: Company, contact) -> None:
    if contact is not None and contact.company_id != company.pk:
        raise DomainError(_("That contact works for another company."), field="contact")


def _check_received(received_at) -> None:
    if received_at is None:
        raise DomainError(_("Say when the inquiry arrived."), field="received_at")
    if timezone.is_naive(received_at):
        raise DomainError(_("Give the arrival time with its time zone."), field="received_at")
    if received_at > timezone.now() + FUTURE_SLACK:
        raise DomainError(
            _("An inquiry cannot arrive in the future — check the date and time."),
            field="received_at",
        )


def _validate(instance, *, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise customer_services.raise_as_domain(exc) from exc


def _prepare_inquiry(inquiry: Inquiry) -> None:
    for name in TEXT_FIELDS:
        setattr(inquiry, name, (getattr(inquiry, name) or "").strip())
    inquiry.currency = (inquiry.currency or "USD").strip().upper()
    inquiry.incoterm = (inquiry.incoterm or "").strip().upper()
    if not inquiry.subject:
        raise DomainError(
            _("Give the inquiry a subject, e.g. what the buyer asks for."), field="subject"
        )
    _check_received(inquiry.received_at)
    _check_contact(inquiry.company, inquiry.contact)
    _validate(
        inquiry,
        exclude=["company", "assignee", "contact", "inbound_message", "first_response_due_at"],
    )


def _move_stage(actor, company: Company) -> None:
    """A lead or contacted customer with an inquiry is at the inquiry stage (sequences stop)."""
    if company.stage in STAGES_BEFORE_INQUIRY:
        customer_services.company_update(actor=actor, company_id=company.pk, stage=Stage.INQUIRY)
        company.stage = Stage.INQUIRY


def _audit(actor, action: str, instance, changes: dict, company_id: int) -> None:
    audit_record(
        actor=actor, action=action, instance=instance, changes=changes, company_id=company_id
    )


# --- Inquiries ---------------------------------------------------------------------------------


@transaction.atomic
def inquiry_create(*, actor, company_id: int, lines=(), inbound_message=None, **fields) -> Inquiry:
    """A new inquiry for a customer the actor can see, with its product lines (dicts of
    ``LINE_FIELDS``). The first reply's deadline follows the workspace policy."""
    unknown = set(fields) - set(INQUIRY_FIELDS)
    if unknown:
        raise DomainError(f"Unknown inquiry fields: {', '.join(sorted(unknown))}")
    company = _visible_company(actor, company_id)
    fields = {name: value for name, value in fields.items() if value is not None}
    fields.setdefault("received_at", timezone.now())
    assignee = fields.pop("assignee", None) or company.owner or actor
    _check_assignee(actor, company, assignee)
    inquiry = Inquiry(company=company, assignee=assignee, inbound_message=inbound_message, **fields)
    _prepare_inquiry(inquiry)
    inquiry.first_response_due_at = first_response_due(inquiry.received_at, assignee)
    inquiry.save()
    lines = list(lines or ())
    if len(lines) > MAX_LINES:
        raise DomainError(
            _("An inquiry has at most %(n)s lines.") % {"n": MAX_LINES}, field="lines"
        )
    created = [_new_line(inquiry, index, line) for index, line in enumerate(lines, start=1)]
    changes = snapshot(inquiry, AUDIT_FIELDS)
    changes["products"] = [line.description for line in created]
    _audit(actor, "create", inquiry, changes, company.pk)
    _move_stage(actor, company)
    return inquiry


@transaction.atomic
def inquiry_update(*, actor, inquiry_id: int, **fields) -> Inquiry:
    """Change an open inquiry's details; only what changed is audited."""
    inquiry = _editable_inquiry(actor, inquiry_id)
    before = snapshot(inquiry, AUDIT_FIELDS)
    old_received, old_assignee = inquiry.received_at, inquiry.assignee_id
    for name, value in fields.items():
        if name not in INQUIRY_FIELDS:
            raise DomainError(f"Unknown inquiry field: {name}")
        if name in ("assignee", "received_at") and value is None:
            continue
        setattr(inquiry, name, "" if value is None and name in TEXT_FIELDS else value)
    if inquiry.assignee_id != old_assignee:
        _check_assignee(actor, inquiry.company, inquiry.assignee)
    _prepare_inquiry(inquiry)
    if inquiry.received_at != old_received or inquiry.assignee_id != old_assignee:
        inquiry.first_response_due_at = first_response_due(inquiry.received_at, inquiry.assignee)
    if inquiry.first_responded_at and inquiry.first_responded_at < inquiry.received_at:
        raise DomainError(
            _("The first reply was sent before that — the inquiry must have arrived earlier."),
            field="received_at",
        )
    inquiry.save()
    changes = diff(before, snapshot(inquiry, AUDIT_FIELDS))
    if changes:
        _audit(actor, "update", inquiry, changes, inquiry.company_id)
    return inquiry


@transaction.atomic
def inquiry_waive(*, actor, inquiry_id: int, item: str, reason: str) -> Inquiry:
    """Quote without a checklist detail, saying why (required, at most 300 characters)."""
    inquiry = _editable_inquiry(actor, inquiry_id)
    if item not in ChecklistItem.values:
        raise DomainError(_("Pick a detail from the checklist."), field="item")
    reason = " ".join(str(reason or "").split())
    label = ChecklistItem(item).label
    if not reason:
        raise DomainError(
            _("Say why you can quote without “%(item)s”.") % {"item": label}, field="reason"
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("Keep the reason to %(max)s characters (it has %(n)s).")
            % {"max": MAX_REASON, "n": len(reason)},
            field="reason",
        )
    row = next(row for row in checklist(inquiry) if row.item == item)
    if row.is_filled:
        raise DomainError(
            _("“%(item)s” is already filled in — there is nothing to waive.") % {"item": label},
            field="item",
        )
    waivers = dict(inquiry.waivers or {})
    waivers[item] = reason
    inquiry.waivers = waivers
    inquiry.save(update_fields=["waivers", "updated_at"])
    _audit(actor, "waive", inquiry, {"item": item, "reason": reason}, inquiry.company_id)
    return inquiry


@transaction.atomic
def inquiry_unwaive(*, actor, inquiry_id: int, item: str) -> Inquiry:
    """Take a waiver back: the detail is to be confirmed again."""
    inquiry = _editable_inquiry(actor, inquiry_id)
    if item not in ChecklistItem.values:
        raise DomainError(_("Pick a detail from the checklist."), field="item")
    waivers = dict(inquiry.waivers or {})
    if item not in waivers:
        return inquiry
    reason = waivers.pop(item)
    inquiry.waivers = waivers
    inquiry.save(update_fields=["waivers", "updated_at"])
    _audit(actor, "unwaive", inquiry, {"item": item, "reason": reason}, inquiry.company_id)
    return inquiry


def _check_response_time(inquiry: Inquiry, when: dt.datetime) -> None:
    if when is None or timezone.is_naive(when):
        raise DomainError(_("Give the time of the reply with its time zone."), field="when")
    if when > timezone.now() + FUTURE_SLACK:
        raise DomainError(_("The reply cannot be in the future."), field="when")
    if when < inquiry.received_at:
        raise DomainError(
            _("The reply cannot come before the inquiry arrived (%(when)s).")
            % {"when": timezone.localtime(inquiry.received_at).strftime("%Y-%m-%d %H:%M")},
            field="when",
        )


@transaction.atomic
def record_first_response(inquiry, when=None, *, actor=None) -> Inquiry:
    """The first reply went out at ``when`` (default now). The earliest reply wins: a later one
    changes nothing. With ``actor``, the inquiry must be visible to them."""
    inquiry_id = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    if actor is not None:
        inquiry = _visible_inquiry(actor, inquiry_id)
    else:
        inquiry = Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry_id)
    when = when or timezone.now()
    _check_response_time(inquiry, when)
    if inquiry.first_responded_at is not None and inquiry.first_responded_at <= when:
        return inquiry
    inquiry.first_responded_at = when
    inquiry.save(update_fields=["first_responded_at", "updated_at"])
    changes = {"first_responded_at": when.isoformat()}
    _audit(actor, "respond", inquiry, changes, inquiry.company_id)
    return inquiry


@transaction.atomic
def inquiry_close(*, actor, inquiry_id: int, status: str, reason: str) -> Inquiry:
    """Close an inquiry as lost or closed (no deal to pursue), with the reason."""
    inquiry = _visible_inquiry(actor, inquiry_id)
    if status not in CLOSE_STATUSES:
        raise DomainError(_("Close an inquiry as lost or closed."), field="status")
    if inquiry.status in CLOSED_STATUSES:
        raise DomainError(
            _("This inquiry is already %(status)s.")
            % {"status": inquiry.get_status_display().lower()},
            code="inquiry_closed",
        )
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DomainError(_("Say why, so the team can learn from it."), field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("Keep the reason to %(max)s characters (it has %(n)s).")
            % {"max": MAX_REASON, "n": len(reason)},
            field="reason",
        )
    before = snapshot(inquiry, ("status", "closed_reason"))
    inquiry.status, inquiry.closed_reason = status, reason
    inquiry.save(update_fields=["status", "closed_reason", "updated_at"])
    changes = diff(before, snapshot(inquiry, ("status", "closed_reason")))
    _audit(actor, "update", inquiry, changes, inquiry.company_id)
    return inquiry


@transaction.atomic
def inquiry_reopen(*, actor, inquiry_id: int) -> Inquiry:
    """A lost or closed inquiry is open again (the buyer came back)."""
    inquiry = _visible_inquiry(actor, inquiry_id)
    if inquiry.status not in CLOSE_STATUSES:
        raise DomainError(_("Only a lost or closed inquiry can be reopened."), field="status")
    before = snapshot(inquiry, ("status", "closed_reason"))
    inquiry.status, inquiry.closed_reason = InquiryStatus.OPEN, ""
    inquiry.save(update_fields=["status", "closed_reason", "updated_at"])
    changes = diff(before, snapshot(inquiry, ("status", "closed_reason")))
    _audit(actor, "update", inquiry, changes, inquiry.company_id)
    return inquiry


# --- Lines -------------------------------------------------------------------------------------


def _prefill_from_product(line: InquiryLine) -> None:
    """Blank description, specification, material and unit come from the catalogue product."""
    product = line.product
    if product is None:
        return
    if not line.description:
        line.description = product.name_en[:300]
    if not line.specification:
        line.specification = product.specification
    if not line.material:
        line.material = product.material
    if not line.unit:
        line.unit = product.unit


def _prepare_line(line: InquiryLine) -> None:
    for name in ("description", "specification", "material", "unit"):
        setattr(line, name, (getattr(line, name) or "").strip())
    _prefill_from_product(line)
    line.unit = line.unit or "pc"
    if not line.description:
        raise DomainError(
            _("Describe the product, or pick it from the catalogue."), field="description"
        )
    if line.quantity is not None and (isinstance(line.quantity, bool) or int(line.quantity) < 1):
        raise DomainError(_("The quantity is a whole number of 1 or more."), field="quantity")
    if line.target_price is not None:
        try:
            price = Decimal(str(line.target_price))
        except (InvalidOperation, ValueError):
            raise DomainError(_("The target price is a number."), field="target_price") from None
        if not price.is_finite() or price < 0:
            raise DomainError(_("The target price cannot be negative."), field="target_price")
        line.target_price = price
    _validate(line, exclude=["inquiry", "product"])


def _new_line(inquiry: Inquiry, position: int, data: dict) -> InquiryLine:
    unknown = set(data) - set(LINE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown line fields: {', '.join(sorted(unknown))}", field="lines")
    line = InquiryLine(inquiry=inquiry, position=position, **data)
    try:
        _prepare_line(line)
    except DomainError as exc:
        raise DomainError(
            _("Line %(n)s: %(problem)s") % {"n": position, "problem": exc.message},
            field=exc.field,
        ) from exc
    line.save()
    return line


@transaction.atomic
def inquiry_line_add(*, actor, inquiry_id: int, **fields) -> InquiryLine:
    inquiry = _editable_inquiry(actor, inquiry_id)
    count = inquiry.lines.count()
    if count >= MAX_LINES:
        raise DomainError(
            _("An inquiry has at most %(n)s lines.") % {"n": MAX_LINES}, field="lines"
        )
    last = inquiry.lines.aggregate(last=Max("position"))["last"] or 0
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown line fields: {', '.join(sorted(unknown))}")
    line = InquiryLine(inquiry=inquiry, position=last + 1, **fields)
    _prepare_line(line)
    line.save()
    _audit(actor, "create", line, snapshot(line, LINE_FIELDS), inquiry.company_id)
    return line


@transaction.atomic
def inquiry_line_update(*, actor, line_id: int, **fields) -> InquiryLine:
    line = _visible_line(actor, line_id)
    _editable_inquiry(actor, line.inquiry_id)
    before = snapshot(line, LINE_FIELDS)
    for name, value in fields.items():
        if name not in LINE_FIELDS:
            raise DomainError(f"Unknown line field: {name}")
        setattr(line, name, value)
    _prepare_line(line)
    line.save()
    changes = diff(before, snapshot(line, LINE_FIELDS))
    if changes:
        _audit(actor, "update", line, changes, line.inquiry.company_id)
    return line


@transaction.atomic
def inquiry_line_remove(*, actor, line_id: int) -> Inquiry:
    line = _visible_line(actor, line_id)
    inquiry = _editable_inquiry(actor, line.inquiry_id)
    _audit(actor, "delete", line, snapshot(line, LINE_FIELDS), inquiry.company_id)
    line.delete()
    return inquiry


# --- From the new-inquiries inbox --------------------------------------------------------------


def _message_subject(message) -> str:
    subject = " ".join((message.subject or "").split())
    if subject:
        return subject[:300]
    sender = message.from_name or message.from_email or _("unknown sender")
    return (_("Inquiry from %(sender)s") % {"sender": sender})[:300]


@transaction.atomic
def inquiry_create_from_message(
    *, actor, message_id: int, lead: dict | None = None, confirm_duplicate: bool = False
) -> Inquiry:
    """An inquiry from a mail of the new-inquiries inbox.

    A message still waiting there (unknown sender) first becomes a lead through the inbox's
    own "create lead" (``lead``: its form's fields; the workspace's duplicate policy applies and
    may raise ``DuplicateCompany``), which marks the message handled. A message already filed
    on a customer (matched, or turned into a lead) gives its customer and contact."""
    from tradewind.outreach.choices import InboundStatus
    from tradewind.outreach.inbound import leads
    from tradewind.outreach.inbound.parsing import strip_quoted
    from tradewind.outreach.models import InboundMessage

    message = (
        InboundMessage.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound(_("No such message."))
    existing = Inquiry.objects.filter(inbound_message=message).first()
    if existing is not None:
        raise DomainError(
            _("This message is already the inquiry “%(subject)s”.") % {"subject": existing},
            code="inquiry_exists",
        )
    if message.status == InboundStatus.NEW_INQUIRY:
        company = leads.inquiry_convert(
            actor=actor, message_id=message.pk, confirm_duplicate=confirm_duplicate, **(lead or {})
        )
        message.refresh_from_db()
    elif message.status in (InboundStatus.MATCHED, InboundStatus.CONVERTED) and message.company_id:
        company = message.company
    else:
        raise DomainError(
            _("This message was dismissed — put it back in the inbox first."),
            code="inbox_state",
        )
    contact = Contact.objects.filter(pk=message.contact_id, company=company).first()
    return inquiry_create(
        actor=actor,
        company_id=company.pk,
        contact=contact,
        subject=_message_subject(message),
        message=strip_quoted(message.body_text or "")[:20000],
        source=InquirySource.EMAIL,
        received_at=min(message.received_at, timezone.now()),
        inbound_message=message,
    )


# --- The first reply, recorded from the timeline ----------------------------------------------


def _replies_by_company(activities) -> dict[int, list[tuple[dt.datetime, object]]]:
    replies: dict[int, list] = {}
    for activity in activities:
        if activity.direction == Direction.OUTBOUND and activity.kind in REPLY_KINDS:
            replies.setdefault(activity.company_id, []).append((activity.occurred_at, activity))
    return replies


@receiver(activities_logged, dispatch_uid="quotes.inquiries.first_response")
def on_activities_logged(sender, activities, **kwargs) -> None:
    """An outbound email, call or chat after an inquiry arrived is its first reply. Runs inside
    the logging transaction, in two queries and one bulk audit write whatever the batch size."""
    replies = _replies_by_company(activities)
    if not replies:
        return
    waiting = Inquiry.objects.filter(
        company_id__in=list(replies),
        first_responded_at__isnull=True,
        status__in=(InquiryStatus.OPEN, InquiryStatus.QUOTED),
        received_at__lte=max(when for rows in replies.values() for when, _act in rows),
    )
    answered, events = [], []
    for inquiry in waiting:
        after = [
            (when, act) for when, act in replies[inquiry.company_id] if when >= inquiry.received_at
        ]
        if not after:
            continue
        when, activity = min(after, key=lambda pair: pair[0])
        inquiry.first_responded_at = when
        answered.append(inquiry)
        events.append(
            audit_event(
                actor=activity.user,
                action="respond",
                instance=inquiry,
                changes={"first_responded_at": when.isoformat()},
                company_id=inquiry.company_id,
            )
        )
    if answered:
        Inquiry.objects.bulk_update(answered, ["first_responded_at"])
        AuditEvent.objects.bulk_create(events)
