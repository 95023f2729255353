"""company_merge and pair_dismiss: what moves, who may, and what the audit keeps."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    TaskFactory,
    UserFactory,
)
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.dedup.engine import Candidate, find_duplicates
from tradewind.customers.dedup.models import DedupKey, DuplicatePair
from tradewind.customers.dedup.services import company_merge, pair_dismiss
from tradewind.customers.models import Activity, Company, Contact, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(rep, teammate):
    survivor = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH", website="", tags=["LED"])
    duplicate = CompanyFactory(
        owner=teammate,
        name="Nordlict Leuchten",
        country="DE",
        website="https://www.nordlicht.de",
        tags=["LED", "Hamburg fair"],
        confirm_duplicate=True,
    )
    Company.objects.filter(pk=duplicate.pk).update(
        address="Hafenstraße 1, Hamburg", notes="Prefers WhatsApp", checked_website=True
    )
    ContactFactory(company=duplicate, name="Anna Weber", email="anna@nordlicht.de")
    ActivityFactory(company=duplicate, summary="Called about the catalogue")
    TaskFactory(company=duplicate, title="Send the price list")
    return survivor, duplicate


def test_the_pair_is_found_when_the_second_record_is_created(twins):
    survivor, duplicate = twins
    pair = DuplicatePair.objects.get()
    assert (pair.company_a_id, pair.company_b_id) == (survivor.pk, duplicate.pk)
    assert pair.score >= 95 and pair.reasons[0][0] == "fuzzy"


def test_merge_moves_everything_fills_empty_fields_and_deletes_the_duplicate(manager, twins):
    survivor, duplicate = twins
    merged = company_merge(actor=manager, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert not Company.objects.filter(pk=duplicate.pk).exists()
    assert Contact.objects.get(name="Anna Weber").company_id == survivor.pk
    assert Activity.objects.get(summary="Called about the catalogue").company_id == survivor.pk
    assert Task.objects.get(title="Send the price list").company_id == survivor.pk
    assert sorted(merged.tags.values_list("name", flat=True)) == ["Hamburg fair", "LED"]
    merged.refresh_from_db()
    assert merged.website == "https://www.nordlicht.de"  # was empty: filled
    assert merged.address == "Hafenstraße 1, Hamburg"
    assert "Prefers WhatsApp" in merged.notes and "Nordlict Leuchten" in merged.notes
    assert merged.checked_website
    assert merged.name == "Nordlicht Leuchten GmbH" and merged.owner_id == survivor.owner_id
    assert merged.last_activity_at is not None


def test_merge_rekeys_the_survivor_and_drops_the_pair(manager, twins):
    survivor, duplicate = twins
    company_merge(actor=manager, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert not DedupKey.objects.filter(company_id=duplicate.pk).exists()
    assert not DuplicatePair.objects.exists()
    (match,) = find_duplicates(Candidate(emails=("anna@nordlicht.de",)))
    assert match.company_id == survivor.pk


def test_the_audit_records_both_ids_on_both_histories(manager, twins):
    survivor, duplicate = twins
    company_merge(actor=manager, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    events = AuditEvent.objects.filter(action="merge")
    assert {event.company_id for event in events} == {survivor.pk, duplicate.pk}
    for event in events:
        assert event.actor == manager
        assert event.changes["survivor_id"] == survivor.pk
        assert event.changes["duplicate_id"] == duplicate.pk
        assert {"contacts: 1", "tasks: 1", "activities: 1"} <= set(event.changes["moved"])
    on_duplicate = events.get(company_id=duplicate.pk)
    assert on_duplicate.changes["removed"]["name"] == "Nordlict Leuchten"
    # The duplicate's earlier history stays under its own id.
    assert AuditEvent.objects.filter(company_id=duplicate.pk, action="create").exists()


def test_a_pool_survivor_takes_the_duplicates_owner(manager, twins):
    survivor, duplicate = twins
    Company.objects.filter(pk=survivor.pk).update(owner=None)
    merged = company_merge(actor=manager, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert merged.owner_id == duplicate.owner_id


def test_a_sales_rep_cannot_merge_even_their_own_customers(rep, twins):
    survivor, duplicate = twins
    with pytest.raises(PermissionDenied):
        company_merge(actor=rep, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert Company.objects.filter(pk=duplicate.pk).exists()


def test_another_teams_manager_cannot_see_so_cannot_merge(other_rep, twins):
    asia_manager = UserFactory(username="asia-boss", role="manager", team_name="Asia")
    survivor, duplicate = twins
    with pytest.raises(NotFound):
        company_merge(actor=asia_manager, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    assert Company.objects.filter(pk=duplicate.pk).exists()


def test_an_admin_merges_across_teams(admin_user, rep, other_rep):
    ours = CompanyFactory(owner=rep, name="Lumen Verde", website="")
    theirs = CompanyFactory(owner=other_rep, name="Lumen Verde", confirm_duplicate=True)
    company_merge(actor=admin_user, survivor_id=theirs.pk, duplicate_id=ours.pk)
    assert list(Company.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_a_company_cannot_be_merged_into_itself(manager, company):
    with pytest.raises(DomainError):
        company_merge(actor=manager, survivor_id=company.pk, duplicate_id=company.pk)


def test_not_a_duplicate_hides_the_pair_for_good(manager, twins, rep):
    from tradewind.customers import services

    survivor, duplicate = twins
    moment = timezone.now()
    pair_dismiss(actor=manager, first_id=duplicate.pk, second_id=survivor.pk, now=moment)
    pair = DuplicatePair.objects.get()
    assert pair.dismissed_at == moment and pair.dismissed_by == manager
    # A later edit of either company recomputes the pairs but keeps the dismissal.
    services.company_update(actor=rep, company_id=survivor.pk, notes="still different")
    assert DuplicatePair.objects.get().dismissed_at == moment
    assert AuditEvent.objects.filter(action="not_duplicate").count() == 2


def test_a_rep_cannot_dismiss_a_pair(rep, twins):
    survivor, duplicate = twins
    with pytest.raises(PermissionDenied):
        pair_dismiss(actor=rep, first_id=survivor.pk, second_id=duplicate.pk)


# --- The pages -------------------------------------------------------------------------------


def merge_url(first, second, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"with": second.pk, **extra}.items())
    return reverse("dedup:merge", args=[first.pk]) + "?" + query


def test_the_merge_page_shows_what_moves_and_can_swap_the_survivor(client_of, manager, twins):
    survivor, duplicate = twins
    client = client_of(manager)
    body = client.get(merge_url(survivor, duplicate)).content.decode()
    for label in ("Contacts", "Activities", "Follow-up tasks", "Tags"):
        assert label in body
    assert "Company-tag" not in body
    assert "filled from the other record: website, address, notes" in body
    assert f'name="survivor" value="{survivor.pk}"' in body
    swapped = client.get(merge_url(survivor, duplicate, keep=duplicate.pk)).content.decode()
    assert f'name="survivor" value="{duplicate.pk}"' in swapped


def test_posting_the_merge_page_merges_and_opens_the_survivor(client_of, manager, twins):
    survivor, duplicate = twins
    client = client_of(manager)
    response = client.post(
        merge_url(survivor, duplicate), {"survivor": survivor.pk, "duplicate": duplicate.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("customers:company-detail", args=[survivor.pk])
    assert not Company.objects.filter(pk=duplicate.pk).exists()
    page = client.get(response.url)  # the survivor's history shows the merge
    assert page.status_code == 200
    assert "Nordlict Leuchten" in page.content.decode()


def test_the_merge_page_ignores_a_third_company_slipped_into_the_form(client_of, manager, twins):
    survivor, duplicate = twins
    third = CompanyFactory(owner=manager, name="Dritte Firma", website="")
    response = client_of(manager).post(
        merge_url(survivor, duplicate), {"survivor": survivor.pk, "duplicate": third.pk}
    )
    assert response.status_code == 200
    assert Company.objects.filter(pk=third.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_merge_page_is_403_for_reps_and_404_for_other_teams(client_of, rep, twins, method):
    survivor, duplicate = twins
    data = {"survivor": survivor.pk, "duplicate": duplicate.pk} if method == "post" else None
    call = getattr(client_of(rep), method)
    assert call(merge_url(survivor, duplicate), data).status_code == 403
    asia_manager = UserFactory(username="asia-boss", role="manager", team_name="Asia")
    call = getattr(client_of(asia_manager), method)
    assert call(merge_url(survivor, duplicate), data).status_code == 404
    assert Company.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_page_without_a_second_company_is_404(client_of, manager, company):
    url = reverse("dedup:merge", args=[company.pk])
    assert client_of(manager).get(url).status_code == 404
    assert client_of(manager).get(url + f"?with={company.pk}").status_code == 404
    assert client_of(manager).get(url + "?with=abc").status_code == 404


def test_the_dismiss_button_redirects_only_to_this_site(client_of, manager, twins):
    survivor, duplicate = twins
    url = reverse("dedup:dismiss", args=[survivor.pk])
    response = client_of(manager).post(url, {"other": duplicate.pk, "next": "https://evil.example"})
    assert response.status_code == 302 and response.url == reverse("dedup:pair-list")
    assert DuplicatePair.objects.get().dismissed_at is not None
