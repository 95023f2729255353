"""Margin approval: the rule after pricing, request and decision by the right people only, the
reset when the offer changes, the mail to approver and rep (a real SMTP server), and the gate
the sending code calls."""

from datetime import timedelta
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, UserFactory
from tests.quotes.quotation_helpers import WORKED_LINE, current, make_quotation
from tradewind.accounts.models import Team
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.quotes import approvals, quotations
from tradewind.quotes.models import MarginApproval, QuotationRevision

pytestmark = pytest.mark.django_db

LOW = {"margin_percent": Decimal(6)}  # the Europe team's minimum is 10 %


@pytest.fixture
def low(rep, manager, company):
    """Rev. A of a quotation priced at 6 % against the team minimum of 10 %."""
    return current(make_quotation(rep, company, **LOW))


def ask(rep, revision, comment="Competing offer from Vietnam at USD 15.90"):
    return approvals.approval_request(actor=rep, revision_id=revision.pk, comment=comment)


def status(revision) -> str:
    return QuotationRevision.objects.get(pk=revision.pk).approval_status


# --- The rule -------------------------------------------------------------------------------


def test_a_margin_at_or_above_the_minimum_needs_no_approval(rep, manager, company):
    revision = current(make_quotation(rep, company, margin_percent=Decimal(10)))
    assert revision.lowest_margin_percent == Decimal(10)
    assert revision.approval_status == "not_required"
    approvals.ensure_sendable(revision)


def test_a_margin_below_the_minimum_requires_approval(low):
    assert low.lowest_margin_percent == Decimal(6)
    assert low.approval_status == "required"
    with pytest.raises(DomainError) as error:
        approvals.ensure_sendable(low)
    assert error.value.code == "approval_required"


def test_the_lowest_line_counts(rep, manager, company):
    lines = [dict(WORKED_LINE), dict(WORKED_LINE, description="Cheap line", margin_percent=4)]
    revision = current(make_quotation(rep, company, margin_percent=Decimal(20), lines=lines))
    assert revision.lowest_margin_percent == Decimal(4)
    assert revision.approval_status == "required"


def test_markup_on_cost_is_compared_as_a_share_of_price(rep, manager, company):
    # 10.5 % on cost is 9.502 % of the price: below a 10 % minimum.
    revision = current(
        make_quotation(rep, company, margin_percent=Decimal("10.5"), margin_basis="cost")
    )
    assert revision.lowest_margin_percent == Decimal("9.502")
    assert revision.approval_status == "required"


def test_the_teams_own_minimum_applies(rep, manager, company):
    Team.objects.filter(name="Europe").update(min_margin_percent=Decimal(5))
    revision = current(make_quotation(rep, company, **LOW))
    assert revision.approval_status == "not_required"


# --- Request and decision -------------------------------------------------------------------


def test_the_rep_asks_and_the_request_goes_to_the_team_manager(rep, manager, low):
    approval = ask(rep, low)
    assert approval.approver == manager
    assert (approval.margin_percent, approval.minimum_percent) == (Decimal(6), Decimal(10))
    assert status(low) == "pending"
    with pytest.raises(DomainError) as error:
        approvals.ensure_sendable(QuotationRevision.objects.get(pk=low.pk))
    assert error.value.code == "approval_pending"


def test_a_request_needs_a_reason(rep, manager, low):
    with pytest.raises(DomainError) as error:
        ask(rep, low, comment="   ")
    assert error.value.field == "comment"
    assert not MarginApproval.objects.exists()


def test_no_request_when_none_is_needed_or_one_is_waiting(rep, manager, company, low):
    fine = current(make_quotation(rep, company))
    with pytest.raises(DomainError):
        ask(rep, fine)
    ask(rep, low)
    with pytest.raises(DomainError):
        ask(rep, low)


def test_the_manager_approves_and_the_revision_can_be_sent(rep, manager, low):
    approval = ask(rep, low)
    approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    approval.refresh_from_db()
    assert (approval.decision, approval.decided_by) == ("approved", manager)
    revision = QuotationRevision.objects.get(pk=low.pk)
    assert revision.approval_status == "approved"
    approvals.ensure_sendable(revision)


def test_pricing_the_same_offer_again_keeps_the_approval(rep, manager, low):
    approval = ask(rep, low)
    approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    quotations.revision_price(actor=rep, revision_id=low.pk)
    assert status(low) == "approved"


def test_changing_an_approved_offer_still_below_the_minimum_resets_the_approval(rep, manager, low):
    approval = ask(rep, low)
    approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    quotations.revision_update(actor=rep, revision_id=low.pk, margin_percent=Decimal(7))
    assert status(low) == "required"


def test_raising_the_margin_above_the_minimum_clears_the_need(rep, manager, low):
    ask(rep, low)
    quotations.revision_update(actor=rep, revision_id=low.pk, margin_percent=Decimal(12))
    assert status(low) == "not_required"
    approval = MarginApproval.objects.get()
    assert approval.decision == "required" and "withdrawn" in approval.decision_comment


def test_changing_a_pending_offer_withdraws_the_request(rep, manager, low):
    approval = ask(rep, low)
    line = low.lines.get()
    quotations.line_update(actor=rep, line_id=line.pk, quantity=9000)
    approval.refresh_from_db()
    assert approval.decision == "required"  # withdrawn, kept for the record
    assert status(low) == "required"
    with pytest.raises(DomainError):
        approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)


def test_a_rejection_needs_a_comment_and_blocks_sending(rep, manager, low):
    approval = ask(rep, low)
    with pytest.raises(DomainError) as error:
        approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=False)
    assert error.value.field == "comment"
    approvals.approval_decide(
        actor=manager, approval_id=approval.pk, approve=False, comment="Too low for a new buyer"
    )
    revision = QuotationRevision.objects.get(pk=low.pk)
    assert revision.approval_status == "rejected"
    with pytest.raises(DomainError) as error:
        approvals.ensure_sendable(revision)
    assert error.value.code == "approval_rejected"
    ask(rep, revision, comment="They confirmed 20,000 pcs")  # may ask again
    assert status(low) == "pending"


def test_an_answered_request_cannot_be_answered_twice(rep, manager, low):
    approval = ask(rep, low)
    approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    with pytest.raises(DomainError):
        approvals.approval_decide(actor=manager, approval_id=approval.pk, approve=False,
                                  comment="changed my mind")  # fmt: skip


# --- Permissions ----------------------------------------------------------------------------


def test_the_rep_cannot_approve_their_own_request(rep, manager, low):
    approval = ask(rep, low)
    with pytest.raises(PermissionDenied):
        approvals.approval_decide(actor=rep, approval_id=approval.pk, approve=True)
    assert status(low) == "pending"


def test_a_teammate_cannot_see_the_request(rep, teammate, manager, low):
    approval = ask(rep, low)
    with pytest.raises(NotFound):
        approvals.approval_decide(actor=teammate, approval_id=approval.pk, approve=True)


def test_another_teams_manager_cannot_see_the_request(rep, manager, low):
    asia_boss = UserFactory(username="asia-boss", role="manager", team_name="Asia")
    approval = ask(rep, low)
    with pytest.raises(NotFound):
        approvals.approval_decide(actor=asia_boss, approval_id=approval.pk, approve=True)
    assert status(low) == "pending"


def test_another_teams_manager_who_sees_a_pool_customer_may_still_not_decide(rep, manager):
    asia_boss = UserFactory(username="asia-boss", role="manager", team_name="Asia")
    pool = CompanyFactory(owner=None, actor=rep, name="Pool Buyer")
    revision = current(make_quotation(rep, pool, **LOW))  # quoted by lily (Europe)
    approval = ask(rep, revision)
    assert approval.approver == manager
    with pytest.raises(PermissionDenied):
        approvals.approval_decide(actor=asia_boss, approval_id=approval.pk, approve=True)


def test_an_admin_may_decide(rep, manager, admin_user, low):
    approval = ask(rep, low)
    approvals.approval_decide(actor=admin_user, approval_id=approval.pk, approve=True)
    assert status(low) == "approved"


def test_without_a_team_manager_the_admins_decide(rep, admin_user, company):
    revision = current(make_quotation(rep, company, **LOW))  # Europe has no manager here
    approval = ask(rep, revision)
    assert approval.approver is None
    approvals.approval_decide(actor=admin_user, approval_id=approval.pk, approve=True)
    assert status(revision) == "approved"


# --- Mail -----------------------------------------------------------------------------------


def test_the_approver_is_mailed_on_request_and_the_rep_on_the_decision(
    rep, manager, low, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approval = ask(rep, low)
    (request_mail,) = smtp_server.messages
    assert request_mail["to"] == [manager.email]
    subject = request_mail["message"]["Subject"]
    assert low.quotation.number in subject and "approval" in subject.lower()
    body = request_mail["message"].get_payload(decode=True).decode()
    assert "Competing offer from Vietnam" in body
    assert f"/quotations/revisions/{low.pk}/" in body
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approval_decide(
            actor=manager, approval_id=approval.pk, approve=False, comment="Hold at 8 %"
        )
    decision_mail = smtp_server.messages[1]
    assert decision_mail["to"] == [rep.email]
    assert "rejected" in decision_mail["message"]["Subject"].lower()
    assert "Hold at 8 %" in decision_mail["message"].get_payload(decode=True).decode()


def test_mail_goes_out_in_the_recipients_language(
    rep, manager, low, smtp_server, django_capture_on_commit_callbacks
):
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(rep, low)
    raw = smtp_server.messages[0]["message"]["Subject"]
    subject = str(make_header(decode_header(raw)))
    assert low.quotation.number in subject
    assert "Margin approval needed" not in subject  # the Chinese catalogue's wording


def test_no_mail_when_the_request_is_refused(
    rep, manager, low, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        ask(rep, low, comment="")
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_does_not_undo_the_decision(
    rep, manager, low, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        ask(rep, low)
    assert status(low) == "pending"


# --- The sending gate -----------------------------------------------------------------------


def test_ensure_sendable_refuses_frozen_unpriced_and_expired_revisions(
    rep, manager, company, monkeypatch
):
    revision = current(make_quotation(rep, company))
    approvals.ensure_sendable(revision)
    later = revision.valid_until + timedelta(days=1)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
        with pytest.raises(DomainError) as error:
            approvals.ensure_sendable(revision)
    assert error.value.code == "expired"
    QuotationRevision.objects.filter(pk=revision.pk).update(margin_percent=Decimal(12))
    with pytest.raises(DomainError) as error:
        approvals.ensure_sendable(QuotationRevision.objects.get(pk=revision.pk))
    assert error.value.code == "not_priced"  # changed behind the prices' back
    QuotationRevision.objects.filter(pk=revision.pk).update(status="sent")
    with pytest.raises(DomainError) as error:
        approvals.ensure_sendable(QuotationRevision.objects.get(pk=revision.pk))
    assert error.value.code == "frozen"
