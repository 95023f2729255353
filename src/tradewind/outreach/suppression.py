"""The suppression list and unsubscribing.

Rules:
- An address on the list is never mailed again by the outbox: the worker checks the list right
  before sending and cancels the message instead (``outbox``); enqueueing to a listed address
  makes a cancelled row at once. Addresses are compared in lower case.
- Addresses get on the list by unsubscribing (the link and the one-click ``List-Unsubscribe``
  header of bulk mail), by a permanent bounce (550 user unknown and the like), or by hand
  (managers and admins, audited). Adding an address already listed keeps the first reason.
- Listing an address also stops every sequence running to it (engineer O2's
  ``outreach.sequences.stop_for_address``, when present) and cancels the messages still waiting
  for it. Removing it (by hand) lets new mail through; cancelled messages stay cancelled.
- An unsubscribe link carries the address signed with the server's secret key: it cannot be
  forged for another address, needs no log-in, and never expires (the law in most buyers'
  countries wants it to work for a long time).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.core.audit import audit_record, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.selectors import Page
from tradewind.outreach.choices import MessageStatus, SuppressionReason
from tradewind.outreach.models import OutboundMessage, Suppression

logger = logging.getLogger(__name__)
TOKEN_SALT = "tradewind.outreach.unsubscribe"  # noqa: S105 - a signing namespace, not a secret
SUPPRESSION_FIELDS = ("email", "reason", "detail")
# Why a sequence stops when its address is listed (outreach.choices.StopReason values).
STOP_REASONS = {
    SuppressionReason.BOUNCED: "bounced",
    SuppressionReason.UNSUBSCRIBED: "unsubscribed",
    SuppressionReason.COMPLAINT: "unsubscribed",
    SuppressionReason.MANUAL: "manual",
}


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def suppression_reason(email: str) -> str | None:
    """Why the address is suppressed, or None when it may be mailed."""
    return (
        Suppression.objects.filter(email=normalize_email(email))
        .values_list("reason", flat=True)
        .first()
    )


def suppressed_among(emails) -> dict[str, str]:
    """``{address: reason}`` for those of ``emails`` on the list (one query)."""
    wanted = {normalize_email(email) for email in emails if email}
    if not wanted:
        return {}
    return dict(Suppression.objects.filter(email__in=wanted).values_list("email", "reason"))


def may_manage(user) -> bool:
    """Managers and admins keep the list by hand."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.role in (Role.MANAGER, Role.ADMIN) or user.is_superuser)
    )


def suppression_page(actor, *, q: str = "", page: int = 1, size: int = 50) -> Page:
    """The list, newest first, searched by address (one query; no count of the whole table)."""
    if not may_manage(actor):
        raise PermissionDenied(_("Only managers and admins can see the suppression list."))
    rows = Suppression.objects.order_by("-created_at", "-id")
    term = normalize_email(q)
    if term:
        rows = rows.filter(email__contains=term)
    page = max(1, page)
    found = list(rows[(page - 1) * size : page * size + 1])
    return Page(items=found[:size], number=page, size=size, has_next=len(found) > size)


def _check_manager(actor) -> None:
    if not may_manage(actor):
        raise PermissionDenied(_("Only managers and admins can change the suppression list."))


def stop_sequences_for(email: str, *, reason: str) -> None:
    """Stop the sequences mailing ``email`` — when the sequences module provides it."""
    try:
        from tradewind.outreach import sequences
    except ModuleNotFoundError as exc:
        if exc.name != "tradewind.outreach.sequences":
            raise
        return
    stop = getattr(sequences, "stop_for_address", None)
    if stop is not None:
        stop(email, reason=reason)


@transaction.atomic
def suppression_add(
    *,
    actor,
    email: str,
    reason: str,
    detail: str = "",
    company_id: int | None = None,
) -> Suppression:
    """Put ``email`` on the list (idempotent). ``actor`` None is the system (bounce, unsubscribe
    link); a person must be a manager or admin."""
    if actor is not None:
        _check_manager(actor)
    address = normalize_email(email)
    entry = Suppression(email=address, reason=reason, detail=(detail or "").strip()[:300])
    try:
        entry.full_clean(validate_unique=False)
    except ValidationError as exc:
        if "email" in exc.message_dict:
            raise DomainError(_("Enter a valid email address."), field="email") from exc
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from exc
    existing = Suppression.objects.select_for_update().filter(email=address).first()
    if existing is not None:
        return existing
    entry.save()
    audit_record(
        actor=actor,
        action="create",
        instance=entry,
        changes=snapshot(entry, SUPPRESSION_FIELDS),
        company_id=company_id,
    )
    OutboundMessage.objects.filter(to_email=address, status=MessageStatus.SCHEDULED).update(
        status=MessageStatus.CANCELLED,
        last_error=_("Not sent: the address is on the suppression list (%(reason)s).")
        % {"reason": entry.get_reason_display()},
    )
    stop_reason = STOP_REASONS.get(reason, "manual")
    with transaction.atomic():
        # A fault in stopping sequences must not lose the listing: the outbox honours the list
        # whatever the sequences do, so it is logged and the listing stands.
        try:
            stop_sequences_for(address, reason=stop_reason)
        except Exception:
            logger.exception("stopping the sequences of a suppressed address failed")
    return entry


@transaction.atomic
def suppression_remove(*, actor, suppression_id: int) -> None:
    _check_manager(actor)
    entry = Suppression.objects.select_for_update().filter(pk=suppression_id).first()
    if entry is None:
        raise NotFound(_("That address is not on the suppression list."))
    audit_record(
        actor=actor, action="delete", instance=entry, changes=snapshot(entry, SUPPRESSION_FIELDS)
    )
    entry.delete()


# --- Unsubscribe links -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnsubscribeRequest:
    email: str
    mailbox_id: int | None


class BadUnsubscribeLink(DomainError):
    code = "bad_link"


def unsubscribe_token(email: str, mailbox_id: int | None = None) -> str:
    payload = {"e": normalize_email(email)}
    if mailbox_id:
        payload["m"] = mailbox_id
    return signing.Signer(salt=TOKEN_SALT).sign_object(payload, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest:
    try:
        payload = signing.Signer(salt=TOKEN_SALT).unsign_object(token[:1000])
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadUnsubscribeLink(_("This unsubscribe link is not valid.")) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise BadUnsubscribeLink(_("This unsubscribe link is not valid."))
    mailbox_id = payload.get("m")
    return UnsubscribeRequest(
        email=payload["e"], mailbox_id=mailbox_id if isinstance(mailbox_id, int) else None
    )


def unsubscribe_url(email: str, mailbox_id: int | None = None) -> str:
    path = reverse("outreach:unsubscribe", args=[unsubscribe_token(email, mailbox_id)])
    return settings.TRADEWIND_BASE_URL.rstrip("/") + path


def unsubscribe(*, token: str, detail: str = "") -> Suppression:
    """The buyer asked to hear no more: list the address (no log-in; the link is the proof)."""
    request = read_unsubscribe_token(token)
    return suppression_add(
        actor=None,
        email=request.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        detail=detail or _("Unsubscribed through the link in an email."),
    )
