"""Reads for the new-inquiries inbox, always through ``InboundMessage.objects.visible_to``."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from tradewind.customers.models import Company
from tradewind.customers.selectors import Page
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.models import InboundMessage

INBOX_VIEWS = {
    "new": (InboundStatus.NEW_INQUIRY,),
    "dismissed": (InboundStatus.DISMISSED,),
    "done": (InboundStatus.CONVERTED, InboundStatus.MATCHED),
}
PAGE_SIZE = 25


def inbox_page(user, *, show: str = "new", page: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of the user's inbox (``show``: new, dismissed or done), newest first, without
    counting the whole table."""
    statuses = INBOX_VIEWS.get(show, INBOX_VIEWS["new"])
    rows = (
        InboundMessage.objects.visible_to(user)
        .filter(status__in=statuses)
        .select_related("mailbox", "company")
        .defer("body_text", "references")
        .order_by("-received_at", "-id")
    )
    start = (page - 1) * size
    items = list(rows[start : start + size + 1])
    return Page(items=items[:size], number=page, size=size, has_next=len(items) > size)


def inbox_new_count(user) -> int:
    return InboundMessage.objects.visible_to(user).filter(status=InboundStatus.NEW_INQUIRY).count()


def inbox_message(user, pk: int) -> InboundMessage:
    """One message the user may see, or 404."""
    message = (
        InboundMessage.objects.visible_to(user)
        .select_related("mailbox__owner", "company__owner", "contact", "reply_to_message")
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404(_("No such message."))
    return message


def dismissed_message(user, pk: int) -> InboundMessage | None:
    """The message just dismissed, for the inbox's "Undo" banner (None if not dismissed)."""
    return (
        InboundMessage.objects.visible_to(user)
        .filter(pk=pk, status=InboundStatus.DISMISSED)
        .only("pk", "from_name", "from_email", "subject")
        .first()
    )


def visible_company_ids(user, company_ids) -> set[int]:
    """Which of ``company_ids`` the user may open (duplicate matches show every owner, but only
    visible customers get a link and the "file it there" button)."""
    ids = [pk for pk in company_ids if pk]
    if not ids:
        return set()
    return set(Company.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
