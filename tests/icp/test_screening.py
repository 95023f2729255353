"""Screening: the checklist rule, the allowed moves, the disqualification reason, who may screen."""

import pytest

from tests.factories import CompanyFactory
from tradewind.core.errors import NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.icp.screening import (
    CHECKS,
    ScreeningError,
    checklist_passes,
    next_statuses,
    screening_update,
)
from tradewind.customers.models import Company


@pytest.mark.parametrize(
    ("ticked", "passes"),
    [
        ({"checked_website": True, "checked_address": True}, True),
        ({"checked_registry": True, "checked_email_domain": True}, True),
        ({"checked_website": True, "checked_registry": True}, True),
        ({"checked_email_domain": True, "checked_address": True}, False),  # no public trace
        ({"checked_website": True}, False),  # one check proves little
        ({}, False),
        (dict.fromkeys(CHECKS, True), True),
    ],
)
def test_the_verification_rule(ticked, passes):
    assert checklist_passes(ticked) is passes


def test_the_allowed_moves_from_each_status():
    assert next_statuses("unverified") == ["verified", "disqualified"]
    assert next_statuses("verified") == ["unverified", "qualified", "disqualified"]
    assert next_statuses("qualified") == ["verified", "disqualified"]
    assert next_statuses("disqualified") == ["unverified"]
    assert next_statuses("nonsense") == []


def test_a_rep_verifies_then_qualifies_their_lead_and_each_step_is_audited(rep, company):
    screening_update(
        actor=rep,
        company_id=company.pk,
        checked_website=True,
        checked_address=True,
        status="verified",
    )
    screening_update(actor=rep, company_id=company.pk, status="qualified")
    company.refresh_from_db()
    assert company.screening_status == "qualified"
    assert company.checked_website and company.checked_address
    events = AuditEvent.objects.filter(company_id=company.pk, action="update").order_by("id")
    assert [e.changes for e in events] == [
        {
            "screening_status": ["unverified", "verified"],
            "checked_website": [False, True],
            "checked_address": [False, True],
        },
        {"screening_status": ["verified", "qualified"]},
    ]
    assert all(e.actor == rep for e in events)


def test_verifying_without_the_checklist_is_refused_and_changes_nothing(rep, company):
    with pytest.raises(ScreeningError) as caught:
        screening_update(
            actor=rep, company_id=company.pk, checked_email_domain=True, status="verified"
        )
    assert caught.value.code == "checklist_incomplete"
    company.refresh_from_db()
    assert company.screening_status == "unverified" and not company.checked_email_domain


def test_skipping_a_step_is_refused_with_a_named_error(rep, company):
    with pytest.raises(ScreeningError) as caught:
        screening_update(
            actor=rep,
            company_id=company.pk,
            checked_website=True,
            checked_registry=True,
            status="qualified",
        )
    assert caught.value.code == "invalid_transition" and caught.value.field == "status"
    with pytest.raises(ScreeningError):
        screening_update(actor=rep, company_id=company.pk, status="promoted")


def test_unticking_a_check_of_a_verified_lead_below_the_rule_is_refused(rep, company):
    screening_update(
        actor=rep,
        company_id=company.pk,
        checked_website=True,
        checked_address=True,
        status="verified",
    )
    with pytest.raises(ScreeningError):
        screening_update(actor=rep, company_id=company.pk, checked_website=False)
    screening_update(actor=rep, company_id=company.pk, checked_website=False, status="unverified")
    company.refresh_from_db()
    assert (company.screening_status, company.checked_website) == ("unverified", False)


def test_ticking_checks_alone_keeps_the_status(rep, company):
    screening_update(actor=rep, company_id=company.pk, checked_registry=True)
    company.refresh_from_db()
    assert company.checked_registry and company.screening_status == "unverified"


def test_disqualifying_needs_a_reason_and_reopening_clears_it(rep, company):
    for reason in (None, "", "   "):
        with pytest.raises(ScreeningError) as caught:
            screening_update(actor=rep, company_id=company.pk, status="disqualified", reason=reason)
        assert caught.value.field == "reason"
    with pytest.raises(ScreeningError):
        screening_update(actor=rep, company_id=company.pk, status="disqualified", reason="x" * 201)
    screening_update(
        actor=rep, company_id=company.pk, status="disqualified", reason="  Student project  "
    )
    company.refresh_from_db()
    assert company.disqualified_reason == "Student project"
    screening_update(actor=rep, company_id=company.pk, status="unverified")
    company.refresh_from_db()
    assert (company.screening_status, company.disqualified_reason) == ("unverified", "")


def test_a_disqualified_lead_cannot_jump_back_to_verified(rep, company):
    screening_update(actor=rep, company_id=company.pk, status="disqualified", reason="Fake")
    with pytest.raises(ScreeningError):
        screening_update(
            actor=rep,
            company_id=company.pk,
            status="verified",
            checked_website=True,
            checked_registry=True,
        )


def test_nothing_changed_writes_no_audit_event(rep, company):
    before = AuditEvent.objects.count()
    screening_update(actor=rep, company_id=company.pk, status="unverified", checked_website=False)
    assert AuditEvent.objects.count() == before


def test_another_reps_customer_does_not_exist_for_a_rep(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        screening_update(actor=rep, company_id=theirs.pk, checked_website=True)
    assert not Company.objects.get(pk=theirs.pk).checked_website


def test_the_manager_screens_the_teams_customers_but_not_other_teams(manager, company, other_rep):
    screening_update(actor=manager, company_id=company.pk, checked_website=True)
    with pytest.raises(NotFound):
        screening_update(
            actor=manager, company_id=CompanyFactory(owner=other_rep).pk, checked_website=True
        )


def test_anyone_who_sees_a_pool_customer_may_screen_it(rep, other_rep):
    pool = CompanyFactory(owner=None, actor=other_rep)
    screening_update(actor=rep, company_id=pool.pk, checked_registry=True)
    screening_update(actor=other_rep, company_id=pool.pk, checked_address=True)
    pool.refresh_from_db()
    assert pool.checked_registry and pool.checked_address


def test_a_rep_who_can_see_a_customer_they_do_not_own_still_may_not_screen_it(
    rep, teammate, monkeypatch
):
    """Belt and braces: should visibility ever widen (shared accounts), only owners screen."""
    from tradewind.customers.icp import screening

    theirs = CompanyFactory(owner=teammate)
    monkeypatch.setattr(
        screening, "_locked_company", lambda actor, company_id: Company.objects.get(pk=company_id)
    )
    with pytest.raises(PermissionDenied):
        screening_update(actor=rep, company_id=theirs.pk, checked_website=True)
