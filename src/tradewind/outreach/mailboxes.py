"""Mailboxes: each user's own company mailbox, and the workspace mailbox for system mail.

Rules:
- A user edits only their own mailboxes; the workspace mailbox (one at most) only admins.
- Passwords: ``None`` keeps the stored one, ``""`` removes it, anything else replaces it. They are
  stored encrypted (``outreach.secrets``) and the audit trail records only *that* one changed.
- An IMAP log-in left empty means the SMTP log-in (``transport.imap_settings``).
- Changing the servers or log-ins forgets the last connection test, which no longer applies.
- The connection test (``mailbox_test_connection``) is a reading, not a change: it stores its
  result on the mailbox for the settings page and writes no audit event.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.outreach.models import Mailbox
from tradewind.outreach.probe import ProbeResult, ProbeStep, probe_imap, probe_smtp
from tradewind.outreach.secrets import SecretUnreadable, encrypt_password
from tradewind.outreach.transport import imap_settings, smtp_settings

MAILBOX_FIELDS = (
    "from_name",
    "from_email",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
    "imap_folder",
    "daily_cap",
    "min_interval_seconds",
    "is_active",
)
CONNECTION_FIELDS = {
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
}
TEST_TIMEOUT_SECONDS = 10.0


# --- Reads -----------------------------------------------------------------------------------


def mailbox_of(user) -> Mailbox | None:
    """The user's own mailbox (the first one they set up), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Mailbox.objects.filter(owner=user, is_workspace=False).order_by("pk").first()


def workspace_mailbox() -> Mailbox | None:
    """The active workspace mailbox for system mail, or None (then Django's EMAIL_* settings)."""
    return Mailbox.objects.filter(is_workspace=True, is_active=True).first()


def mailbox_get(actor, mailbox_id: int) -> Mailbox:
    """A mailbox the actor may use and edit: their own, or the workspace one for admins."""
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None or not _may_edit(actor, mailbox):
        raise NotFound(_("No such mailbox."))
    return mailbox


def _may_edit(actor, mailbox: Mailbox) -> bool:
    if mailbox.is_workspace:
        return bool(getattr(actor, "is_workspace_admin", False))
    return mailbox.owner_id == getattr(actor, "pk", None)


# --- Writes ----------------------------------------------------------------------------------


def _mailbox_for_write(actor, mailbox_id: int | None, workspace: bool) -> Mailbox:
    if workspace:
        if not actor.is_workspace_admin:
            raise PermissionDenied(_("Only an admin can set up the workspace mailbox."))
        found = Mailbox.objects.select_for_update().filter(is_workspace=True).first()
        return found or Mailbox(is_workspace=True, owner=None)
    if mailbox_id is None:
        return Mailbox(owner=actor)
    found = Mailbox.objects.select_for_update().filter(pk=mailbox_id).first()
    if found is None or found.is_workspace or not _may_edit(actor, found):
        raise NotFound(_("No such mailbox."))
    return found


def _set_password(mailbox: Mailbox, attribute: str, new: str | None) -> str | None:
    """Apply a password change; returns what the audit says about it (never the password)."""
    if new is None:
        return None
    old_stored = getattr(mailbox, attribute)
    if new == "":
        setattr(mailbox, attribute, "")
        return "removed" if old_stored else None
    setattr(mailbox, attribute, encrypt_password(new))
    return "changed" if old_stored else "set"


def _prepare(mailbox: Mailbox) -> None:
    mailbox.from_name = mailbox.from_name.strip()
    mailbox.from_email = mailbox.from_email.strip().lower()
    for name in ("smtp_host", "imap_host", "smtp_username", "imap_username", "imap_folder"):
        setattr(mailbox, name, getattr(mailbox, name).strip())
    for name in ("smtp_port", "imap_port"):
        if not 1 <= int(getattr(mailbox, name)) <= 65535:
            raise DomainError(_("A port is a number from 1 to 65535."), field=name)
    if "\n" in mailbox.from_name or "\r" in mailbox.from_name:
        raise DomainError(_("The sender name must be one line."), field="from_name")
    mailbox.full_clean()


@transaction.atomic
def mailbox_save(
    *,
    actor,
    mailbox_id: int | None = None,
    workspace: bool = False,
    smtp_password: str | None = None,
    imap_password: str | None = None,
    **fields,
) -> Mailbox:
    """Create or change the actor's mailbox (or, for admins, the workspace mailbox)."""
    unknown = set(fields) - set(MAILBOX_FIELDS)
    if unknown:
        raise DomainError(f"Unknown mailbox fields: {', '.join(sorted(unknown))}")
    mailbox = _mailbox_for_write(actor, mailbox_id, workspace)
    is_new = mailbox.pk is None
    before = snapshot(mailbox, MAILBOX_FIELDS)
    for name, value in fields.items():
        setattr(mailbox, name, value)
    password_notes = {
        "smtp_password": _set_password(mailbox, "smtp_password_encrypted", smtp_password),
        "imap_password": _set_password(mailbox, "imap_password_encrypted", imap_password),
    }
    _prepare(mailbox)
    after = snapshot(mailbox, MAILBOX_FIELDS)
    changes = diff(before, after)
    if CONNECTION_FIELDS & set(changes) or any(password_notes.values()):
        mailbox.last_test = {}
    mailbox.save()
    notes = {name: note for name, note in password_notes.items() if note}
    if is_new:
        audit_record(actor=actor, action="create", instance=mailbox, changes=after | notes)
    elif changes or notes:
        changes |= {name: [None, note] for name, note in notes.items()}
        audit_record(actor=actor, action="update", instance=mailbox, changes=changes)
    return mailbox


# --- The connection test ---------------------------------------------------------------------


@dataclass
class ConnectionReport:
    """What the test found, server by server; ``imap`` is None when no IMAP server is set."""

    tested_at: datetime
    smtp: ProbeResult
    imap: ProbeResult | None

    @property
    def ok(self) -> bool:
        return self.smtp.ok and (self.imap is None or self.imap.ok)

    def as_dict(self) -> dict:
        return {
            "tested_at": self.tested_at.isoformat(),
            "ok": self.ok,
            "smtp": self.smtp.as_dict(),
            "imap": self.imap.as_dict() if self.imap else None,
        }


def _probe(protocol: str, make_settings, probe) -> ProbeResult:
    try:
        server = make_settings()
    except SecretUnreadable as exc:
        return ProbeResult(protocol, [ProbeStep("login", False, exc.message)])
    return probe(server)


def mailbox_test_connection(
    mailbox: Mailbox, *, timeout_seconds: float = TEST_TIMEOUT_SECONDS, now=None
) -> ConnectionReport:
    """Try the SMTP (and IMAP) server of ``mailbox`` and keep the result on it."""
    smtp = _probe(
        "smtp", lambda: smtp_settings(mailbox, timeout_seconds=timeout_seconds), probe_smtp
    )
    imap = None
    if mailbox.imap_host.strip():
        imap = _probe(
            "imap", lambda: imap_settings(mailbox, timeout_seconds=timeout_seconds), probe_imap
        )
    report = ConnectionReport(tested_at=now or timezone.now(), smtp=smtp, imap=imap)
    mailbox.last_test = report.as_dict()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_test=mailbox.last_test)
    return report
