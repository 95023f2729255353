"""Screening a lead (SOP 1.3): is the buyer real, and worth the team's time?

Statuses and the moves between them (anything else is refused with a named error):

    unverified → verified | disqualified
    verified   → qualified | disqualified | unverified
    qualified  → verified | disqualified
    disqualified → unverified   (reopened; the ticked checks are kept)

The checklist has four checks, each ticked by the rep: own website, company email domain,
address, registry or social presence. Judgement call: "verified" (and so "qualified") needs at
least two of them, one of which is the website or the registry / social presence — an
independent public trace of the company. All four would shut out the many real small importers
who write from Gmail or have no web site; one alone proves little. Unticking a check so that a
verified or qualified lead no longer passes is refused: set it back to unverified first.

"Disqualified" needs a reason; leaving it clears the reason (the audit keeps the old one).

Who may screen: the owner, their managers and admins; a pool customer, anyone who can see it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers.choices import Screening
from tradewind.customers.models import Company

CHECKS = ("checked_website", "checked_email_domain", "checked_address", "checked_registry")
PUBLIC_TRACE_CHECKS = ("checked_website", "checked_registry")
VERIFY_MIN_CHECKS = 2
SCREENING_FIELDS = ("screening_status", *CHECKS, "disqualified_reason")
REASON_MAX_LENGTH = Company._meta.get_field("disqualified_reason").max_length

TRANSITIONS: dict[str, frozenset[str]] = {
    Screening.UNVERIFIED: frozenset({Screening.VERIFIED, Screening.DISQUALIFIED}),
    Screening.VERIFIED: frozenset(
        {Screening.QUALIFIED, Screening.DISQUALIFIED, Screening.UNVERIFIED}
    ),
    Screening.QUALIFIED: frozenset({Screening.VERIFIED, Screening.DISQUALIFIED}),
    Screening.DISQUALIFIED: frozenset({Screening.UNVERIFIED}),
}
NEEDS_CHECKLIST = frozenset({Screening.VERIFIED, Screening.QUALIFIED})


class ScreeningError(DomainError):
    code = "screening"


def checklist_passes(ticked: dict[str, bool]) -> bool:
    """The verification rule: enough checks, including an independent public trace."""
    count = sum(bool(ticked.get(name)) for name in CHECKS)
    trace = any(ticked.get(name) for name in PUBLIC_TRACE_CHECKS)
    return count >= VERIFY_MIN_CHECKS and trace


def next_statuses(current: str) -> list[str]:
    """The statuses a lead may move to from ``current``, in SOP order."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [value for value in Screening.values if value in allowed]


def can_screen(actor, company: Company) -> bool:
    """Sales reps screen their own and pool customers; managers and admins what they see."""
    if actor.role == Role.SALES and not actor.is_superuser:
        return company.owner_id in (None, actor.pk)
    return True


def _locked_company(actor, company_id: int) -> Company:
    company = (
        Company.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=company_id)
        .first()
    )
    if company is None:
        raise NotFound(_("No such customer."))
    return company


def _apply_status(company: Company, status: str | None, reason: str | None) -> None:
    current = company.screening_status
    if status and status != current:
        if status not in TRANSITIONS:
            raise ScreeningError(_("Unknown screening status “%(status)s”.") % {"status": status})
        if status not in TRANSITIONS[current]:
            raise ScreeningError(
                _("A lead that is “%(current)s” cannot become “%(target)s” directly.")
                % {
                    "current": Screening(current).label,
                    "target": Screening(status).label,
                },
                field="status",
                code="invalid_transition",
            )
        company.screening_status = status
    if company.screening_status == Screening.DISQUALIFIED:
        text = (reason if reason is not None else company.disqualified_reason).strip()
        if not text:
            raise ScreeningError(_("Say why the lead is disqualified."), field="reason")
        if len(text) > REASON_MAX_LENGTH:
            raise ScreeningError(
                _("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH},
                field="reason",
            )
        company.disqualified_reason = text
    else:
        company.disqualified_reason = ""


@transaction.atomic
def screening_update(
    *,
    actor,
    company_id: int,
    status: str | None = None,
    reason: str | None = None,
    checked_website: bool | None = None,
    checked_email_domain: bool | None = None,
    checked_address: bool | None = None,
    checked_registry: bool | None = None,
) -> Company:
    """Tick or untick checks and move the screening status; None leaves a value as it is."""
    company = _locked_company(actor, company_id)
    if not can_screen(actor, company):
        raise PermissionDenied(_("Only the owner or a manager can screen this customer."))
    before = snapshot(company, SCREENING_FIELDS)
    ticks = {
        "checked_website": checked_website,
        "checked_email_domain": checked_email_domain,
        "checked_address": checked_address,
        "checked_registry": checked_registry,
    }
    for name, value in ticks.items():
        if value is not None:
            setattr(company, name, bool(value))
    _apply_status(company, status, reason)
    if company.screening_status in NEEDS_CHECKLIST and not checklist_passes(
        {name: getattr(company, name) for name in CHECKS}
    ):
        raise ScreeningError(
            _(
                "To verify a buyer, tick at least two checks, including the website or a "
                "registry / social presence."
            ),
            field="status",
            code="checklist_incomplete",
        )
    changes = diff(before, snapshot(company, SCREENING_FIELDS))
    if changes:
        company.save(update_fields=[*SCREENING_FIELDS, "updated_at"])
        audit_record(
            actor=actor, action="update", instance=company, changes=changes, company_id=company.pk
        )
    return company
