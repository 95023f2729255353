"""The buyer's answer to a sent quotation: accepted or rejected, with the reason.

Rules:

* Only a quotation that was sent and not yet decided takes an answer, and only for its sent
  revision — the one the buyer has (earlier ones are superseded, a draft was never seen).
* A rejection needs a reason (at most 300 characters), so the team learns why; an acceptance
  may carry one.
* Accepted: the quotation is ``accepted`` with that revision; the customer moves on to
  *negotiation* (the contract stage) unless already further; the inquiry it answers is *won*.
* Rejected: the quotation is ``rejected``; the customer keeps their stage (a new revision can
  still win them); the inquiry is *lost* with the same reason.
* Either way a note goes on the customer's timeline and an audit event on its history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.core import audit_display
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers import services as customer_services
from tradewind.customers.choices import ActivityKind, Direction, Stage
from tradewind.quotes.choices import InquiryStatus, QuotationStatus, RevisionStatus
from tradewind.quotes.models import Inquiry, Quotation, QuotationRevision

MAX_REASON = 300
# Stages an accepted quotation moves a customer on from (negotiation and later are kept).
STAGES_BEFORE_NEGOTIATION = (
    Stage.LEAD,
    Stage.CONTACTED,
    Stage.INQUIRY,
    Stage.QUOTED,
    Stage.SAMPLE,
)
OPEN_INQUIRY = (InquiryStatus.OPEN, InquiryStatus.QUOTED)
DECISION_FIELDS = ("status", "decided_at", "decision_reason", "accepted_revision")

audit_display.ACTIONS.update(
    {
        "accept": gettext_lazy("recorded the buyer's acceptance of"),
        "reject": gettext_lazy("recorded the buyer's rejection of"),
    }
)
audit_display.EXTRA_LABELS.setdefault("revision", gettext_lazy("Revision"))


def _visible_quotation(actor, quotation_id: int) -> Quotation:
    quotation = (
        Quotation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("company", "contact", "inquiry")
        .filter(pk=quotation_id)
        .first()
    )
    if quotation is None:
        raise NotFound(_("No such quotation."))
    return quotation


def _check_open(quotation: Quotation) -> None:
    if quotation.status == QuotationStatus.SENT:
        return
    if quotation.status == QuotationStatus.DRAFT:
        raise DomainError(
            _("Send the quotation first: the buyer can only answer what they received."),
            code="not_sent",
        )
    raise DomainError(
        _("This quotation is already %(status)s.")
        % {"status": quotation.get_status_display().lower()},
        code="decided",
    )


def sent_revision(quotation: Quotation, revision_id: int | None = None) -> QuotationRevision:
    """The revision the buyer answered: the one given, which must be this quotation's sent
    revision, or (none given) the sent one."""
    revisions = QuotationRevision.objects.filter(quotation=quotation)
    if revision_id is None:
        revision = revisions.filter(status=RevisionStatus.SENT).order_by("-sent_at").first()
        if revision is None:
            raise DomainError(_("No revision of this quotation was sent."), field="revision")
        return revision
    revision = revisions.filter(pk=revision_id).first()
    if revision is None:
        raise NotFound(_("No such revision of this quotation."))
    if revision.status != RevisionStatus.SENT:
        raise DomainError(
            _(
                "Rev. %(letter)s is %(status)s: only the revision the buyer has — the last one "
                "sent — can be accepted or rejected."
            )
            % {"letter": revision.letter, "status": revision.get_status_display().lower()},
            field="revision",
        )
    return revision


def _clean_reason(reason: str, *, accepted: bool) -> str:
    reason = " ".join(str(reason or "").split())
    if not accepted and not reason:
        raise DomainError(
            _("Say why the buyer rejected it (price, lead time, payment terms, …)."),
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("Keep the reason to %(max)s characters (it has %(n)s).")
            % {"max": MAX_REASON, "n": len(reason)},
            field="reason",
        )
    return reason


def _close_inquiry(actor, inquiry: Inquiry | None, *, accepted: bool, reason: str) -> None:
    if inquiry is None:
        return
    inquiry = Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry.pk)
    if inquiry.status not in OPEN_INQUIRY:
        return  # closed by hand already: its own answer stands
    before = snapshot(inquiry, ("status", "closed_reason"))
    inquiry.status = InquiryStatus.WON if accepted else InquiryStatus.LOST
    inquiry.closed_reason = "" if accepted else reason
    inquiry.save(update_fields=["status", "closed_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        instance=inquiry,
        changes=diff(before, snapshot(inquiry, ("status", "closed_reason"))),
        company_id=inquiry.company_id,
    )


def _timeline_note(quotation: Quotation, revision: QuotationRevision, accepted: bool, reason):
    values = {"quotation": quotation.number, "letter": revision.letter, "reason": reason}
    if accepted and reason:
        return (
            _("Quotation %(quotation)s Rev. %(letter)s accepted by the buyer: %(reason)s") % values
        )
    if accepted:
        return _("Quotation %(quotation)s Rev. %(letter)s accepted by the buyer.") % values
    return _("Quotation %(quotation)s Rev. %(letter)s rejected by the buyer: %(reason)s") % values


@transaction.atomic
def record_decision(
    *,
    actor,
    quotation_id: int,
    accepted: bool,
    reason: str = "",
    revision_id: int | None = None,
) -> Quotation:
    """Record the buyer's answer to the quotation's sent revision (rules in the module doc)."""
    quotation = _visible_quotation(actor, quotation_id)
    _check_open(quotation)
    revision = sent_revision(quotation, revision_id)
    reason = _clean_reason(reason, accepted=accepted)
    before = snapshot(quotation, DECISION_FIELDS)
    quotation.status = QuotationStatus.ACCEPTED if accepted else QuotationStatus.REJECTED
    quotation.decided_at = timezone.now()
    quotation.decision_reason = reason
    quotation.accepted_revision = revision if accepted else None
    quotation.save(update_fields=[*DECISION_FIELDS, "updated_at"])
    changes = diff(before, snapshot(quotation, DECISION_FIELDS))
    audit_record(
        actor=actor,
        action="accept" if accepted else "reject",
        instance=quotation,
        changes={
            "revision": str(revision),
            "status": changes["status"][1],
            "reason": reason,
        },
        company_id=quotation.company_id,
    )
    company = quotation.company
    if accepted and company.stage in STAGES_BEFORE_NEGOTIATION:
        customer_services.company_update(
            actor=actor, company_id=company.pk, stage=Stage.NEGOTIATION
        )
    _close_inquiry(actor, quotation.inquiry, accepted=accepted, reason=reason)
    contact = quotation.contact if quotation.contact_id else None
    if contact is not None and contact.company_id != company.pk:
        contact = None
    customer_services.activity_log(
        actor=actor,
        company_id=company.pk,
        kind=ActivityKind.NOTE,
        direction=Direction.INTERNAL,
        summary=_timeline_note(quotation, revision, accepted, reason),
        contact=contact,
    )
    return quotation
