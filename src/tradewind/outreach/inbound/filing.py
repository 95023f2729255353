"""Filing one fetched message: store it once, put it on the customer's timeline, stop the
buyer's sequences and ask the owner to answer.

Exactly once: the ``InboundMessage`` row — unique per (mailbox, UIDVALIDITY, UID) — is inserted
first, inside the same transaction as everything the message causes. Two pollers that fetched
the same message race on that insert; the loser's IntegrityError rolls back its whole filing, so
the timeline entry, the stopped sequence and the follow-up task exist once. A message whose
Message-ID this mailbox already stored (a UIDVALIDITY change renumbered the folder) is skipped.

Judgement calls:
- The poller is the system, not a person: audit events name no actor. The timeline entry is
  credited to the rep whose mailbox received the message (the customer's owner for the
  workspace mailbox).
- The same message reaching two reps' mailboxes (Cc) is stored for each mailbox but goes on a
  customer's timeline once.
- A reply to one of our letters, or any message from a contact enrolled in a sequence, stops the
  contact's sequences ("replied") and creates "Answer <name>'s reply" for the customer's owner
  (the mailbox owner for a pool customer), due within two of the assignee's office hours
  (Mon–Fri 09:00–18:00 in their zone). One open answer task per customer and assignee is enough:
  a buyer writing three times in an hour gets one task. Auto-replies and delivery reports are
  filed but change nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record, snapshot
from tradewind.customers.choices import ActivityKind, Direction
from tradewind.customers.models import Activity, Company, Contact, Task
from tradewind.customers.services import ACTIVITY_FIELDS, TASK_FIELDS
from tradewind.outreach.choices import EnrollmentStatus, InboundStatus, StopReason
from tradewind.outreach.inbound.matching import MailMatch, is_own_mail, match_message
from tradewind.outreach.inbound.parsing import ParsedMail, timeline_summary
from tradewind.outreach.models import Enrollment, InboundMessage, Mailbox

logger = logging.getLogger(__name__)

OFFICE_START = dt.time(9, 0)
OFFICE_END = dt.time(18, 0)
ANSWER_WITHIN = dt.timedelta(hours=2)
WEEKEND = (5, 6)
EARLIEST_PLAUSIBLE_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def received_at(parsed: ParsedMail, internal_date: dt.datetime | None, now: dt.datetime):
    """When the buyer wrote: the Date header when it is plausible, else the server's arrival
    time, else now; never in the future."""
    for moment in (parsed.sent_at, internal_date):
        aware = moment is not None and moment.tzinfo is not None
        if aware and EARLIEST_PLAUSIBLE_DATE <= moment <= now + FUTURE_TOLERANCE:
            return min(moment, now)
    return now


def _office_day_start(day: dt.date, zone) -> dt.datetime:
    while day.weekday() in WEEKEND:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, OFFICE_START, tzinfo=zone)


def answer_due_at(now: dt.datetime, zone) -> dt.datetime:
    """``ANSWER_WITHIN`` of office time (Mon–Fri 09:00–18:00 in ``zone``) after ``now``."""
    local = now.astimezone(zone)
    if local.weekday() in WEEKEND or local.time() >= OFFICE_END:
        start = _office_day_start(local.date() + dt.timedelta(days=1), zone)
    elif local.time() < OFFICE_START:
        start = _office_day_start(local.date(), zone)
    else:
        start = local
    closing = dt.datetime.combine(start.date(), OFFICE_END, tzinfo=zone)
    if start + ANSWER_WITHIN <= closing:
        return start + ANSWER_WITHIN
    left_over = start + ANSWER_WITHIN - closing
    return _office_day_start(start.date() + dt.timedelta(days=1), zone) + left_over


def record_on_timeline(
    inbound: InboundMessage, *, company: Company, contact: Contact | None, actor, user, now
) -> Activity:
    """The message as an inbound email on the company's timeline (audited; ``actor`` None is
    the system)."""
    with translation.override(getattr(user, "language", None)):
        summary = timeline_summary(inbound.subject, inbound.body_text, no_subject=_("(no subject)"))
    activity = Activity(
        company=company,
        contact=contact,
        kind=ActivityKind.EMAIL,
        direction=Direction.INBOUND,
        summary=summary,
        occurred_at=min(inbound.received_at, now),
        user=user,
    )
    activity.full_clean()
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
    return activity


def _is_enrolled(contact: Contact | None) -> bool:
    if contact is None:
        return False
    live = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)
    return Enrollment.objects.filter(contact=contact, status__in=live).exists()


def _stop_sequences(match: MailMatch, from_email: str) -> None:
    from tradewind.outreach.sequences import stop_enrollments

    if match.contact is not None:
        stop_enrollments(contact=match.contact, reason=StopReason.REPLIED)
    elif match.reply_to is not None and match.reply_to.contact_id:
        stop_enrollments(contact=match.reply_to.contact, reason=StopReason.REPLIED)
    elif from_email:
        stop_enrollments(email=from_email, reason=StopReason.REPLIED)


def _answer_task(match: MailMatch, mailbox: Mailbox, from_name: str, now) -> Task | None:
    assignee = match.company.owner or mailbox.owner
    if assignee is None:
        return None
    name = (match.contact.name if match.contact else "") or from_name or _("the buyer")
    with translation.override(assignee.language):
        title = _("Answer %(name)s's reply") % {"name": name}
    open_answer = Task.objects.filter(
        company=match.company, assignee=assignee, title=title, done_at__isnull=True
    )
    if open_answer.exists():
        return None
    task = Task(
        company=match.company,
        contact=match.contact,
        title=title[:200],
        due_at=answer_due_at(now, assignee.zone),
        assignee=assignee,
    )
    task.full_clean()
    task.save()
    audit_record(
        actor=None,
        action="create",
        instance=task,
        changes=snapshot(task, TASK_FIELDS),
        company_id=match.company.pk,
    )
    return task


def _already_on_timeline(inbound: InboundMessage, company: Company) -> bool:
    if not inbound.message_id:
        return False
    same = InboundMessage.objects.filter(message_id=inbound.message_id, company=company)
    return same.exclude(pk=inbound.pk).exists()


def _file_matched(inbound: InboundMessage, match: MailMatch, parsed: ParsedMail, now) -> None:
    if _already_on_timeline(inbound, match.company):
        return
    user = inbound.mailbox.owner or match.company.owner
    record_on_timeline(
        inbound, company=match.company, contact=match.contact, actor=None, user=user, now=now
    )
    if parsed.is_automatic:
        return
    if match.reply_to is not None or _is_enrolled(match.contact):
        _stop_sequences(match, parsed.from_email)
        _answer_task(match, inbound.mailbox, parsed.from_name, now)


@transaction.atomic
def file_message(
    *,
    mailbox: Mailbox,
    uidvalidity: int,
    uid: int,
    parsed: ParsedMail,
    internal_date: dt.datetime | None,
    now: dt.datetime,
) -> InboundMessage | None:
    """Store one fetched message and act on it, exactly once; None when it was skipped (ours,
    already stored, or an unmatched automatic message)."""
    if is_own_mail(parsed, mailbox):
        return None
    stored = InboundMessage.objects.filter(mailbox=mailbox)
    if parsed.message_id and stored.filter(message_id=parsed.message_id).exists():
        return None
    match = match_message(parsed, mailbox)
    if match is None and parsed.is_automatic:
        return None
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                mailbox=mailbox,
                imap_uidvalidity=uidvalidity,
                imap_uid=uid,
                message_id=parsed.message_id[:300],
                in_reply_to=parsed.in_reply_to[:300],
                references=" ".join(parsed.references),
                from_email=parsed.from_email,
                from_name=parsed.from_name,
                subject=parsed.subject,
                body_text=parsed.body_text,
                received_at=received_at(parsed, internal_date, now),
                status=InboundStatus.MATCHED if match else InboundStatus.NEW_INQUIRY,
                company=match.company if match else None,
                contact=match.contact if match else None,
                reply_to_message=match.reply_to if match else None,
            )
    except IntegrityError:
        logger.info("mailbox %s uid %s/%s: filed by another poller", mailbox.pk, uidvalidity, uid)
        return None
    if match is not None:
        _file_matched(inbound, match, parsed, now)
    return inbound
