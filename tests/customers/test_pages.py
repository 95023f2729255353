"""Customer pages: list with filters and fixed query count, forms that keep input, company page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActivityFactory, CompanyFactory, ContactFactory, TaskFactory
from tradewind.customers.models import Activity, Company, Task

LIST = "/customers/"


@pytest.fixture
def many(rep, teammate):
    companies = []
    for n in range(30):
        company = CompanyFactory(
            owner=rep,
            name=f"Buyer {n:02d} Ltd",
            country="DE" if n % 3 else "PL",
            stage="lead" if n % 2 else "quoted",
            tags=["LED", f"t{n % 4}"],
        )
        ContactFactory(company=company)
        companies.append(company)
    CompanyFactory(owner=teammate, name="Teammate Buyer")
    return companies


@pytest.mark.parametrize("size", [20, 50, 100])
def test_list_query_count_does_not_grow_with_page_size(
    client_of, rep, many, size, django_assert_max_num_queries
):
    client = client_of(rep)
    client.get(LIST)  # warm up sessions and caches
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"size": size, "sort": "name", "country": "DE"})
    assert response.status_code == 200


def test_list_filters_sorts_and_pages(client_of, rep, many):
    client = client_of(rep)
    page = client.get(LIST, {"sort": "name", "stage": "quoted"}).context["page"]
    names = [c.name for c in page.items]
    assert names == sorted(names) and len(names) == 15
    assert all(c.stage == "quoted" for c in page.items)
    first = client.get(LIST, {"sort": "name"}).context["page"]
    assert first.has_next and len(first.items) == 20
    second = client.get(LIST, {"sort": "name", "page": 2}).context["page"]
    assert not second.has_next and second.items[0].name == "Buyer 20 Ltd"
    tagged = client.get(LIST, {"tag": "t1"}).context["page"].items
    assert {c.name for c in tagged} == {f"Buyer {n:02d} Ltd" for n in range(30) if n % 4 == 1}


def test_list_search_finds_by_name_domain_and_contact_email(client_of, rep, company):
    ContactFactory(company=company, email="einkauf@nordlicht-leuchten.de")
    client = client_of(rep)
    for term in ("nordlicht", "NORDLICHT LEUCHTEN", "einkauf@nordlicht-leuchten.de"):
        items = client.get(LIST, {"q": term}).context["page"].items
        assert [c.pk for c in items] == [company.pk], term


def test_bad_filter_values_are_ignored_not_500(client_of, rep, many):
    response = client_of(rep).get(
        LIST, {"page": "-3", "size": "9999", "stage": "bogus", "sort": "x"}
    )
    assert response.status_code == 200


def test_htmx_filter_returns_only_the_rows(client_of, rep, many):
    response = client_of(rep).get(LIST, {"stage": "lead"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_manager_filters_by_owner(client_of, manager, rep, teammate, many):
    items = client_of(manager).get(LIST, {"owner": str(teammate.pk)}).context["page"].items
    assert [c.name for c in items] == ["Teammate Buyer"]


def test_create_form_keeps_what_was_typed_and_explains_errors(client_of, rep):
    response = client_of(rep).post(
        "/customers/new/",
        {
            "name": "Lumen Trading",
            "country": "XX",
            "website": "lumen.example",
            "notes": "Met at Canton Fair",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "country" in form.errors
    html = response.content.decode()
    assert 'value="Lumen Trading"' in html and "Met at Canton Fair" in html
    assert not Company.objects.exists()


def test_create_company_redirects_to_its_page(client_of, rep):
    response = client_of(rep).post(
        "/customers/new/",
        {
            "name": "Lumen Trading GmbH",
            "country": "DE",
            "stage": "lead",
            "owner": rep.pk,
            "tags": "LED, fair",
        },
    )
    company = Company.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/{company.pk}/"
    assert company.owner == rep and sorted(company.tags.values_list("name", flat=True)) == [
        "LED",
        "fair",
    ]


def test_lost_without_reason_is_explained_on_the_field(client_of, rep, company):
    response = client_of(rep).post(
        f"/customers/{company.pk}/edit/", {"name": company.name, "stage": "lost", "owner": rep.pk}
    )
    assert "lost_reason" in response.context["form"].errors


def test_company_page_shows_contacts_timeline_tasks_audit_and_local_time(client_of, rep, company):
    ContactFactory(
        company=company, name="Anna Weber", phone="+49 30 1234567", whatsapp="+49 30 1234567"
    )
    ActivityFactory(
        company=company, summary="Sent catalogue", occurred_at=timezone.now() - timedelta(days=1)
    )
    TaskFactory(company=company, title="Call Anna", due_at=timezone.now() - timedelta(hours=3))
    response = client_of(rep).get(f"/customers/{company.pk}/")
    html = response.content.decode()
    for text in (
        "Anna Weber",
        "Sent catalogue",
        "Call Anna",
        "Europe/Berlin",
        "https://wa.me/49301234567",
    ):
        assert text in html, text
    assert response.context["buyer_now"].tzinfo.key == "Europe/Berlin"
    assert len(response.context["audit"]) >= 3


def test_company_page_query_count_does_not_grow_with_its_records(client_of, rep, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(rep)

    def queries() -> int:
        client.get(f"/customers/{company.pk}/")  # warm sessions and caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/customers/{company.pk}/").status_code == 200
        return len(captured)

    ContactFactory(company=company, email="first@nordlicht.de")
    small = queries()
    for n in range(10):
        ContactFactory(company=company)
        ActivityFactory(company=company, summary=f"note {n}")
        TaskFactory(company=company, title=f"task {n}")
    # Customer, contacts, timeline, tasks, audit, and one to three per deal card (inquiries,
    # quotations, samples, contracts, letters of credit): constant however many records.
    assert queries() == small <= 26


def test_quick_add_activity_by_htmx_returns_the_timeline(client_of, rep, company):
    response = client_of(rep).post(
        f"/customers/{company.pk}/activities/new/",
        {"kind": "call", "direction": "out", "summary": "Called about MOQ"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Called about MOQ" in response.content.decode()
    assert Activity.objects.get().user == rep


def test_quick_add_activity_with_errors_keeps_the_input(client_of, rep, company):
    future = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_of(rep).post(
        f"/customers/{company.pk}/activities/new/",
        {"kind": "call", "direction": "out", "summary": "Typed text kept", "occurred_at": future},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Typed text kept" in response.content.decode()
    assert not Activity.objects.exists()


def test_task_done_and_undo(client_of, rep, company):
    task = TaskFactory(company=company)
    client = client_of(rep)
    client.post(reverse("customers:task-complete", args=[task.pk]))
    assert Task.objects.get().done_at is not None
    client.post(reverse("customers:task-complete", args=[task.pk]), {"undo": "1"})
    assert Task.objects.get().done_at is None


def test_my_day_shows_overdue_and_today(client_of, rep, company):
    TaskFactory(company=company, title="Overdue chase", due_at=timezone.now() - timedelta(days=1))
    TaskFactory(company=company, title="Later today", due_at=timezone.now() + timedelta(minutes=1))
    TaskFactory(company=company, title="Next month", due_at=timezone.now() + timedelta(days=30))
    response = client_of(rep).get("/")
    assert [t.title for t in response.context["overdue"]] == ["Overdue chase"]
    assert [t.title for t in response.context["due_today"]] == ["Later today"]
    assert "Next month" not in response.content.decode()
