import pytest
from django.utils import timezone

from tests.factories import CompanyFactory, ContactFactory, TaskFactory
from tradewind.accounts.models import ApiToken
from tradewind.accounts.services import token_create
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company


@pytest.fixture
def api(client, rep):
    token = token_create(actor=rep, user=rep)

    class Api:
        headers = {"Authorization": f"Bearer {token}"}

        def __getattr__(self, method):
            def call(path, data=None, **kwargs):
                fn = getattr(client, method)
                if method in ("post", "patch", "put") and data is not None:
                    return fn(path, data, content_type="application/json", headers=self.headers)
                return fn(path, data, headers=self.headers, **kwargs)

            return call

    return Api()


def test_a_request_without_a_token_gets_401(client, db):
    assert client.get("/api/companies").status_code == 401


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer tw_forged", "Token abc", "Bearer "])
def test_a_wrong_token_gets_401(client, rep, header):
    token_create(actor=rep, user=rep)
    assert client.get("/api/companies", headers={"Authorization": header}).status_code == 401


def test_a_revoked_token_or_inactive_user_gets_401(client, rep):
    raw = token_create(actor=rep, user=rep)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/companies", headers=headers).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/companies", headers=headers).status_code == 401
    ApiToken.objects.update(revoked_at=None)
    rep.is_active = False
    rep.save()
    assert client.get("/api/companies", headers=headers).status_code == 401


def test_only_the_token_hash_is_stored(rep):
    raw = token_create(actor=rep, user=rep)
    token = ApiToken.objects.get()
    assert raw not in (token.digest, token.prefix) and token.digest == ApiToken.hash(raw)


def test_create_read_update_delete_a_company_through_the_api(api, rep):
    created = api.post(
        "/api/companies",
        {
            "name": "Sol Iluminación S.A. de C.V.",
            "country": "MX",
            "website": "solilum.mx",
            "tags": ["LED"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner_id"] == rep.pk and body["tags"] == ["LED"] and body["stage"] == "lead"
    company_id = body["id"]
    assert api.get(f"/api/companies/{company_id}").json()["name"] == "Sol Iluminación S.A. de C.V."
    patched = api.patch(f"/api/companies/{company_id}", {"stage": "inquiry", "grade": "C"})
    assert patched.status_code == 200 and patched.json()["stage"] == "inquiry"
    assert AuditEvent.objects.filter(object_id=company_id, action="update").exists()
    assert api.delete(f"/api/companies/{company_id}").status_code == 204
    assert not Company.objects.filter(pk=company_id).exists()


def test_create_company_into_the_pool_with_an_explicit_null_owner(api):
    response = api.post("/api/companies", {"name": "Pool Buyer", "owner_id": None})
    assert response.status_code == 201 and response.json()["owner_id"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "A", "country": "XX"}, "country"),
        ({"name": "A", "stage": "lost"}, "lost_reason"),
        ({"name": "A", "owner_id": 999999}, "owner_id"),
        ({"name": "x" * 500}, "name"),
    ],
)
def test_bad_company_input_gets_422_naming_the_field(api, payload, field):
    response = api.post("/api/companies", payload)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Company.objects.exists()


def test_malformed_json_gets_a_4xx_not_a_500(client, rep):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}
    response = client.post(
        "/api/companies", "{not json", content_type="application/json", headers=headers
    )
    assert 400 <= response.status_code < 500


def test_list_filters_and_pages_without_counting(api, rep):
    for n in range(25):
        CompanyFactory(owner=rep, name=f"Buyer {n:02d}", country="DE" if n % 2 else "FR")
    page1 = api.get("/api/companies", {"sort": "name"}).json()
    assert len(page1["items"]) == 20 and page1["has_next"] is True
    page2 = api.get("/api/companies", {"sort": "name", "page": 2}).json()
    assert [c["name"] for c in page2["items"]] == [f"Buyer {n:02d}" for n in range(20, 25)]
    assert page2["has_next"] is False
    french = api.get("/api/companies", {"country": "FR", "size": 50}).json()["items"]
    assert len(french) == 13 and {c["country"] for c in french} == {"FR"}


def test_contacts_activities_and_tasks_through_the_api(api, rep, company):
    contact = api.post(
        f"/api/companies/{company.pk}/contacts",
        {"name": "Jonas Berg", "email": "JONAS@nordlicht.de", "phone": "030 7654321"},
    )
    assert contact.status_code == 201 and contact.json()["phone"] == "+49307654321"
    contact_id = contact.json()["id"]
    bad_phone = api.post(f"/api/companies/{company.pk}/contacts", {"name": "X", "phone": "abc"})
    assert bad_phone.status_code == 422 and bad_phone.json()["field"] == "phone"
    activity = api.post(
        f"/api/companies/{company.pk}/activities",
        {"kind": "call", "summary": "Discussed CIF Hamburg", "contact_id": contact_id},
    )
    assert activity.status_code == 201
    timeline = api.get(f"/api/companies/{company.pk}/activities").json()
    assert [a["summary"] for a in timeline] == ["Discussed CIF Hamburg"]
    task = api.post(
        f"/api/companies/{company.pk}/tasks",
        {"title": "Send CIF quote", "due_at": "2030-01-02T10:00:00+08:00"},
    )
    assert task.status_code == 201 and task.json()["assignee_id"] == rep.pk
    done = api.patch(f"/api/tasks/{task.json()['id']}", {"done": True})
    assert done.json()["done_at"] is not None
    assert api.get("/api/tasks", {"show": "done"}).json()[0]["title"] == "Send CIF quote"


def test_unknown_activity_kind_is_rejected(api, company):
    response = api.post(f"/api/companies/{company.pk}/activities", {"kind": "fax", "summary": "x"})
    assert response.status_code == 422


def test_contact_of_another_company_is_refused_for_an_activity(api, rep, company):
    other = ContactFactory(company=CompanyFactory(owner=rep))
    response = api.post(
        f"/api/companies/{company.pk}/activities",
        {"kind": "call", "summary": "x", "contact_id": other.pk},
    )
    assert response.status_code == 422 and response.json()["field"] == "contact_id"


def test_task_list_shows_only_my_open_tasks(api, rep, teammate, company):
    TaskFactory(company=company, title="Mine")
    TaskFactory(company=CompanyFactory(owner=teammate), title="Teammate's")
    assert [t["title"] for t in api.get("/api/tasks").json()] == ["Mine"]


def test_openapi_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assert "/static/ninja/" in html
