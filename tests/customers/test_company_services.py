from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ActivityFactory, CompanyFactory, ContactFactory, TaskFactory
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers import services
from tradewind.customers.models import Company


def test_company_create_normalises_name_and_website_and_audits(rep):
    company = services.company_create(
        actor=rep,
        name="  Müller Licht GmbH & Co. KG ",
        country="de",
        website="HTTPS://www.mueller-licht.de/en/",
        tags=["LED", " LED ", "Fair 2026"],
    )
    assert company.name == "Müller Licht GmbH & Co. KG"
    assert company.name_normalized == "muller licht"
    assert company.country == "DE"
    assert company.website_domain == "mueller-licht.de"
    assert company.owner == rep
    assert sorted(company.tags.values_list("name", flat=True)) == ["Fair 2026", "LED"]
    event = AuditEvent.objects.get(object_type="customers.company", object_id=company.pk)
    assert event.action == "create" and event.actor == rep and event.company_id == company.pk
    assert event.changes["name"] == "Müller Licht GmbH & Co. KG"


def test_company_create_rejects_an_unknown_country_code(rep):
    with pytest.raises(DomainError) as caught:
        services.company_create(actor=rep, name="Acme", country="XX")
    assert caught.value.field == "country"
    assert not Company.objects.exists()


def test_company_create_rejects_a_blank_name_and_keeps_nothing(rep):
    with pytest.raises(ValidationError) as caught:
        services.company_create(actor=rep, name="   ")
    assert "name" in caught.value.message_dict
    assert not Company.objects.exists()
    assert not AuditEvent.objects.filter(object_type="customers.company").exists()


def test_company_create_rejects_an_oversized_name(rep):
    with pytest.raises(ValidationError):
        services.company_create(actor=rep, name="x" * 201)


def test_lost_customer_needs_a_reason(company, rep):
    with pytest.raises(ValidationError) as caught:
        services.company_update(actor=rep, company_id=company.pk, stage="lost")
    assert "lost_reason" in caught.value.message_dict
    updated = services.company_update(
        actor=rep,
        company_id=company.pk,
        stage="lost",
        lost_reason="Chose a Vietnamese supplier on price",
    )
    assert updated.stage == "lost"


def test_update_audits_only_changed_fields(company, rep):
    services.company_update(actor=rep, company_id=company.pk, grade="B", name=company.name)
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"grade": ["", "B"]}


def test_update_without_changes_writes_no_audit_event(company, rep):
    services.company_update(actor=rep, company_id=company.pk, name=company.name)
    assert not AuditEvent.objects.filter(action="update").exists()


def test_rep_cannot_touch_another_reps_customer(company, other_rep):
    with pytest.raises(NotFound):
        services.company_update(actor=other_rep, company_id=company.pk, grade="A")
    with pytest.raises(NotFound):
        services.contact_create(actor=other_rep, company_id=company.pk, name="Spy")
    with pytest.raises(NotFound):
        services.company_delete(actor=other_rep, company_id=company.pk)


def test_rep_cannot_give_a_customer_to_someone_outside_their_reach(rep, other_rep):
    with pytest.raises(PermissionDenied) as caught:
        services.company_create(actor=rep, name="Acme", owner=other_rep)
    assert caught.value.field == "owner"


def test_manager_can_assign_to_a_team_member(manager, rep):
    company = services.company_create(actor=manager, name="Acme Lighting Ltd", owner=rep)
    assert company.owner == rep


def test_pool_customer_can_be_worked_by_any_rep(rep, other_rep):
    pool = services.company_create(actor=rep, name="Open Buyer SA", owner=None)
    activity = services.activity_log(
        actor=other_rep, company_id=pool.pk, kind="call", summary="Called the buyer"
    )
    assert activity.company == pool


def test_rep_cannot_delete_a_pool_customer_they_do_not_own(rep, other_rep):
    pool = services.company_create(actor=rep, name="Open Buyer SA", owner=None)
    with pytest.raises(PermissionDenied):
        services.company_delete(actor=other_rep, company_id=pool.pk)


def test_delete_keeps_an_audit_snapshot_after_the_customer_is_gone(company, rep):
    ContactFactory(company=company)
    ActivityFactory(company=company)
    services.company_delete(actor=rep, company_id=company.pk)
    assert not Company.objects.filter(pk=company.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="customers.company")
    assert event.changes["name"] == "Nordlicht Leuchten GmbH"
    assert event.changes["contacts"] == 1 and event.changes["activities"] == 1
    # The history of the deleted customer is still there.
    assert AuditEvent.objects.filter(company_id=company.pk).count() >= 3


def test_activity_moves_last_activity_forward_but_never_back(company, rep):
    now = timezone.now()
    ActivityFactory(company=company, occurred_at=now - timedelta(days=1))
    ActivityFactory(company=company, occurred_at=now - timedelta(days=10))
    company.refresh_from_db()
    assert company.last_activity_at == now - timedelta(days=1)


def test_activity_in_the_future_is_refused(company, rep):
    with pytest.raises(DomainError) as caught:
        ActivityFactory(company=company, occurred_at=timezone.now() + timedelta(days=2))
    assert caught.value.field == "occurred_at"


def test_activity_with_a_contact_of_another_company_is_refused(company, rep):
    stranger = ContactFactory(company=CompanyFactory(owner=rep))
    with pytest.raises(DomainError) as caught:
        ActivityFactory(company=company, contact=stranger)
    assert caught.value.field == "contact"


def test_only_the_author_rep_may_delete_an_activity(company, rep, teammate, manager):
    activity = ActivityFactory(company=company)
    services.company_update(actor=manager, company_id=company.pk, owner=teammate)
    with pytest.raises(NotFound):
        services.activity_delete(actor=rep, activity_id=activity.pk)
    services.activity_delete(actor=manager, activity_id=activity.pk)


def test_task_complete_is_audited_as_completion(company, rep):
    task = TaskFactory(company=company)
    done = services.task_complete(actor=rep, task_id=task.pk)
    assert done.done_at is not None
    assert AuditEvent.objects.filter(action="complete", object_id=task.pk).exists()


def test_task_cannot_be_assigned_to_a_rep_of_another_team(company, rep, other_rep):
    with pytest.raises(PermissionDenied):
        TaskFactory(company=company, assignee=other_rep)


def test_is_overdue_only_for_open_tasks_past_due(company):
    task = TaskFactory(company=company, due_at=timezone.now() - timedelta(hours=1))
    assert task.is_overdue
    task.done_at = timezone.now()
    assert not task.is_overdue


def test_unknown_fields_are_refused(company, rep):
    with pytest.raises(DomainError):
        services.company_update(actor=rep, company_id=company.pk, owner_id=5)


def test_activity_log_many_writes_rows_audit_and_moves_last_activity_forward_only(rep):
    from tradewind.customers.models import Activity

    now = timezone.now()
    first, second = CompanyFactory(owner=rep), CompanyFactory(owner=rep, name="Sol Iluminación")
    ActivityFactory(company=second, occurred_at=now - timedelta(hours=1))
    rows = [
        Activity(company=first, kind="email", summary="a", occurred_at=now - timedelta(days=2),
                 user=rep),
        Activity(company=first, kind="email", summary="b", occurred_at=now - timedelta(days=1),
                 user=rep),
        Activity(company=second, kind="email", summary="c", occurred_at=now - timedelta(days=3),
                 user=rep),
    ]  # fmt: skip
    services.activity_log_many(rows)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.last_activity_at == now - timedelta(days=1)
    assert second.last_activity_at == now - timedelta(hours=1)  # never moved back
    events = AuditEvent.objects.filter(object_type="customers.activity", action="create")
    assert events.filter(object_id__in=[row.pk for row in rows], actor=rep).count() == 3
    assert services.activity_log_many([]) == []
