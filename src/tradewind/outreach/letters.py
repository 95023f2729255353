"""One-off development letters (开发信) composed on a customer's page.

The rep picks a contact and, optionally, a template; edits the subject and body (merge fields
included); previews them against that contact; and schedules the letter:

* ``best`` — at the buyer's next good time: 09:00–10:30 in their zone, on one of their country's
  working days (``outreach.buyer_time``);
* ``now`` — as soon as the outbox can send it (its daily cap and throttle still apply);
* ``at`` — at a time the rep chooses, given in the **buyer's** local time.

Rules:

* Never a blank: every merge field must have a value (``templating.MissingMergeValue``).
* The letter goes through the outbox (``outreach.outbox.enqueue_message``) with the idempotency
  key ``letter:<uuid>``; the UUID is made when the compose form is shown, so submitting the same
  form twice (a double click, a retry after a time-out) schedules one letter.
* The contact must have an email address that is not on the suppression list, their company
  must have an owner (a public-pool customer is claimed first, so two reps do not write to the
  same buyer), and the rep must have an active mailbox.
* A scheduled letter can be cancelled until the outbox claims it; one being sent is not
  stopped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.models import Contact
from tradewind.outreach import buyer_time, sharing, templating
from tradewind.outreach.choices import MessageStatus, SuppressionReason
from tradewind.outreach.mailboxes import mailbox_of
from tradewind.outreach.models import EmailTemplate, Mailbox, OutboundMessage
from tradewind.outreach.suppression import suppression_reason

WHEN_BEST, WHEN_NOW, WHEN_AT = "best", "now", "at"
KEY_PREFIX = "letter:"
PAST_GRACE = dt.timedelta(minutes=2)
MAX_AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class Draft:
    """What the rep wrote: a subject and body with merge fields, and their custom values."""

    subject: str
    body: str
    custom: dict

    @classmethod
    def from_template(cls, template: EmailTemplate) -> Draft:
        return cls(subject=template.subject, body=template.body, custom={})


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


def visible_contact(actor, contact_id: int) -> Contact:
    contact = (
        Contact.objects.visible_to(actor).select_related("company").filter(pk=contact_id).first()
    )
    if contact is None:
        raise NotFound(_("No such contact."))
    return contact


def active_mailbox(actor) -> Mailbox:
    mailbox = mailbox_of(actor)
    if mailbox is None or not mailbox.is_active:
        raise DomainError(
            _("Connect your mailbox first: letters go out from your own address."),
            code="no_mailbox",
        )
    return mailbox


def check_recipient(contact: Contact) -> None:
    if contact.company.owner_id is None:
        raise DomainError(
            _("%(name)s is in the public pool — claim the customer before writing to them.")
            % {"name": contact.company.name},
            field="contact",
        )
    if not contact.email:
        raise DomainError(
            _("%(name)s has no email address — add one to the contact first.")
            % {"name": contact.name},
            field="contact",
        )
    reason = suppression_reason(contact.email)
    if reason is not None:
        label = SuppressionReason(reason).label if reason in SuppressionReason.values else reason
        raise DomainError(
            _("%(email)s is on the do-not-mail list (%(reason)s) — Tradewind will not mail it.")
            % {"email": contact.email, "reason": str(label).lower()},
            field="contact",
        )


def letter_language(template: EmailTemplate | None) -> str:
    return template.language if template is not None else "en"


def render_letter(*, actor, contact: Contact, draft: Draft, template=None, allow_missing=False):
    """The draft merged for ``contact``; MissingMergeValue unless ``allow_missing``."""
    context = templating.merge_context(
        contact=contact, me=actor, custom=draft.custom, language=letter_language(template)
    )
    return templating.render_template(draft, context, allow_missing=allow_missing)


def letter_preview(*, actor, contact_id: int, draft: Draft, template_id: int | None = None):
    """The merged letter with empty fields marked ``[contact.title]`` and listed."""
    contact = visible_contact(actor, contact_id)
    template = usable_template(actor, template_id)
    return render_letter(
        actor=actor, contact=contact, draft=draft, template=template, allow_missing=True
    )


def usable_template(actor, template_id: int | None) -> EmailTemplate | None:
    if template_id is None:
        return None
    return sharing.usable_or_404(EmailTemplate, actor, template_id)


def _check_chosen(moment: dt.datetime, now: dt.datetime) -> dt.datetime:
    if moment < now - PAST_GRACE:
        raise DomainError(_("That time has passed — choose a later one."), field="at")
    if moment > now + MAX_AHEAD:
        raise DomainError(_("Schedule at most a year ahead."), field="at")
    return max(moment, now)


def send_moment(contact: Contact, when: str, at_local: dt.datetime | None, now: dt.datetime):
    """When the letter leaves, as aware UTC; a naive ``at_local`` is in the buyer's zone."""
    if when == WHEN_NOW:
        return now
    company = contact.company
    if when == WHEN_BEST:
        return buyer_time.send_slot(buyer_time.buyer_clock(company), now=now).send_at_utc
    if when != WHEN_AT:
        raise DomainError(_("Choose when to send the letter."), field="when")
    if at_local is None:
        raise DomainError(_("Choose the date and time to send."), field="at")
    if at_local.tzinfo is None:
        at_local = at_local.replace(tzinfo=buyer_time.buyer_clock(company).zone)
    return _check_chosen(at_local, now).astimezone(dt.UTC)


@transaction.atomic
def letter_schedule(
    *,
    actor,
    contact_id: int,
    draft: Draft,
    when: str,
    idempotency_key: str,
    template_id: int | None = None,
    at_local: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> OutboundMessage:
    """Put the merged letter in the outbox for its moment; the same key never schedules twice."""
    from tradewind.outreach.outbox import enqueue_message

    now = now or timezone.now()
    key = _letter_key(idempotency_key)
    existing = OutboundMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.created_by_id != actor.pk:
            raise PermissionDenied(_("This letter was sent by someone else."))
        return existing  # the same form submitted again
    contact = visible_contact(actor, contact_id)
    template = usable_template(actor, template_id)
    check_recipient(contact)
    mailbox = active_mailbox(actor)
    rendered = render_letter(actor=actor, contact=contact, draft=draft, template=template)
    scheduled_at = send_moment(contact, when, at_local, now)
    # The outbox writes the row and its audit event, and returns the first row for a key
    # that was used already (a simultaneous second submit).
    return enqueue_message(
        idempotency_key=key,
        mailbox=mailbox,
        to_email=contact.email,
        subject=rendered.subject,
        body_text=rendered.body,
        scheduled_at=scheduled_at,
        company=contact.company,
        contact=contact,
        template=template,
        is_bulk=False,
        created_by=actor,
    )


def _letter_key(raw: str) -> str:
    try:
        return KEY_PREFIX + str(uuid.UUID(str(raw)))
    except (ValueError, AttributeError):
        raise DomainError(
            _("This form is out of date — reload the page and try again."),
            field="idempotency_key",
        ) from None


@transaction.atomic
def letter_cancel(*, actor, company_id: int, message_id: int) -> OutboundMessage:
    """Cancel a scheduled one-off letter or sequence email of a customer the actor can see."""
    message = (
        OutboundMessage.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=message_id, company_id=company_id)
        .first()
    )
    if message is None:
        raise NotFound(_("No such letter."))
    cancelled = OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SCHEDULED
    ).update(
        status=MessageStatus.CANCELLED,
        last_error=_("Cancelled by %(name)s.") % {"name": actor},
        updated_at=timezone.now(),
    )
    if not cancelled:
        raise DomainError(
            _("This letter is already %(status)s; it can no longer be cancelled.")
            % {"status": message.get_status_display().lower()}
        )
    message.refresh_from_db()
    audit_record(
        actor=actor,
        action="update",
        instance=message,
        changes={"status": [MessageStatus.SCHEDULED, MessageStatus.CANCELLED]},
        company_id=company_id,
    )
    return message
