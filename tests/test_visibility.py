"""The one visibility rule, proven over every URL and every API operation.

Another rep's customer — and its contacts, activities and tasks — must be a 404 on every page
and operation that takes its id, and absent from every list, search and count. A URL or API
operation that this file does not know about fails the test until it is covered here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import ActivityFactory, CompanyFactory, ContactFactory, TaskFactory
from tradewind.accounts.services import token_create
from tradewind.api.router import api
from tradewind.customers.models import Activity, Company, Contact, Task
from tradewind.quotes.models import (
    Inquiry,
    InquiryLine,
    MarginApproval,
    Quotation,
    QuotationLine,
    QuotationRevision,
    Sample,
    SampleItem,
)

SECRET = "Geheimhandel Lichttechnik"

# URL name → the kind of object its <pk> is, or "list" for pages that list or count customer data.
COVERED_URLS = {
    "web:my-day": "list",
    "customers:company-list": "list",
    "customers:task-list": "list",
    "customers:company-create": "list",
    "customers:company-detail": "company",
    "customers:company-edit": "company",
    "customers:company-delete": "company",
    "customers:contact-create": "company",
    "customers:activity-create": "company",
    "customers:task-create": "company",
    "customers:contact-edit": "contact",
    "customers:contact-delete": "contact",
    "customers:activity-delete": "activity",
    "customers:task-edit": "task",
    "customers:task-complete": "task",
    "customers:task-delete": "task",
    "inquiries:list": "list",
    "inquiries:create": "list",
    "inquiries:create-for-company": "company",
    "inquiries:detail": "inquiry",
    "inquiries:edit": "inquiry",
    "inquiries:checklist-fill": "inquiry",
    "inquiries:checklist-waive": "inquiry",
    "inquiries:checklist-unwaive": "inquiry",
    "inquiries:respond": "inquiry",
    "inquiries:close": "inquiry",
    "inquiries:reopen": "inquiry",
    "inquiries:line-add": "inquiry",
    "inquiries:line-edit": "inquiry_line",
    "inquiries:line-delete": "inquiry_line",
    "outreach:template-list": "list",
    "outreach:template-create": "list",
    "outreach:template-preview": "list",
    "outreach:letter-compose": "contact",
    "outreach:letter-cancel": "company",
    "outreach:sequence-list": "list",
    "outreach:sequence-create": "list",
    "outreach:enrollment-list": "list",
    "outreach:enrol-filter": "list",
    "outreach:enrol-contact": "company",
    "outreach:enrollment-action": "company",
    "outreach:mailbox": "list",
    "icp:profile-list": "list",
    "icp:screening": "company",
    "pool:claim": "company",
    "pool:release": "company",
    "pool:assign": "company",
    "dedup:pair-list": "list",
    # The live check names a matching customer and its owner by design, never its contacts or
    # notes (tests/dedup/test_live_check.py); without a query it lists nothing.
    "dedup:check": "list",
    "dedup:merge": "company",
    "dedup:dismiss": "company",
    "imports:upload": "list",
    "imports:export": "list",
    "outreach:inbox": "list",
    "samples:sample-list": "list",
    "samples:sample-create": "list",
    "samples:sample-report": "list",
    "samples:sample-detail": "sample",
    "samples:sample-edit": "sample",
    "samples:sample-status": "sample",
    "samples:sample-ship": "sample",
    "samples:sample-deliver": "sample",
    "samples:sample-feedback": "sample",
    "samples:sample-decide": "sample",
    "samples:sample-item-add": "sample",
    "samples:sample-item-delete": "sample_item",
    "quotations:quotation-list": "list",
    "quotations:approval-list": "list",
    "quotations:create": "company",
    "quotations:create-from-inquiry": "inquiry",
    "quotations:quotation-detail": "quotation",
    "quotations:quotation-cancel": "quotation",
    "quotations:revision-new": "quotation",
    "quotations:revision-detail": "revision",
    "quotations:revision-edit": "revision",
    "quotations:revision-price": "revision",
    "quotations:revision-compare": "revision",
    "quotations:line-add": "revision",
    "quotations:approval-request": "revision",
    "quotations:line-edit": "quotation_line",
    "quotations:line-delete": "quotation_line",
    "quotations:approval-decide": "approval",
    "quotations:revision-preview": "revision",
    "quotations:revision-pdf": "revision",
    "quotations:revision-xlsx": "revision",
    "quotations:revision-send": "revision",
    "quotations:quotation-decision": "quotation",
}
# Pages that never show customer data, and why.
INBOUND_MESSAGE = "<pk> is an incoming message; see tests/outreach/test_inbound_views.py"
IMPORT_JOB = (
    "<pk> is an import job: its creator's only, 404 for others (tests/imports/test_views.py)"
)
EXEMPT_URLS = {
    "accounts:login": "log-in form",
    "accounts:logout": "log-out",
    "accounts:preferences": "the user's own settings",
    "accounts:switch-language": "the user's own language",
    "accounts:password-change": "the user's own password",
    "accounts:password-reset": "password reset by email",
    "accounts:password-reset-sent": "password reset by email",
    "accounts:password-reset-confirm": "password reset by email",
    "accounts:password-reset-complete": "password reset by email",
    "set_language": "language cookie for signed-out visitors",
    "outreach:template-edit": "<pk> is a letter template, not a customer; only its owner (or an "
    "admin) may open it (tests/outreach/test_templating.py)",
    "outreach:template-delete": "<pk> is a letter template; owner or admin only",
    "outreach:template-attachment-add": "<pk> is a letter template; owner or admin only",
    "outreach:template-attachment-delete": "<pk> is a template attachment; owner or admin only",
    "outreach:sequence-edit": "<pk> is a sequence (steps and templates), not customer data; "
    "owner or admin only (tests/outreach/test_sequences.py)",
    "outreach:sequence-delete": "<pk> is a sequence; owner or admin only",
    "outreach:workspace-mailbox": "workspace mail settings, admins only (others 403)",
    "outreach:mailbox-test": "<pk> is a mailbox, not a customer: another user's is 404 "
    "(tests/outreach/test_mailbox_pages.py)",
    "outreach:suppression-list": "addresses that must not be mailed, managers and admins only "
    "(reps 403); no customer records",
    "outreach:suppression-remove": "<pk> is a suppression entry; managers and admins only",
    "outreach:unsubscribe": "public page for buyers; the signed token names one address",
    "icp:profile-create": "ideal customer profile form, managers only (reps 403); no customer data",
    "icp:profile-edit": "<pk> is a profile, not a customer; managers only (reps 403)",
    "icp:profile-set-active": "<pk> is a profile, not a customer; managers only (reps 403)",
    "icp:rescore-status": "says whether a rescoring pass is running; no customer data",
    "pool:rules": "workspace pool settings, managers only (reps 403); no customer data",
    "pool:rule-create": "assignment rule (workspace setting), managers only; no customer data",
    "pool:rule-toggle": "<pk> is an assignment rule, not a customer; managers only",
    "pool:rule-delete": "<pk> is an assignment rule, not a customer; managers only",
    "pool:transfer": "managers only (reps 403); counts of their own teams only "
    "(tests/pool/test_pages.py)",
    "pool:bulk": "POST-only, managers only; each id in the body goes through the visibility "
    "rule: another team's customer is 404 (tests/pool/test_bulk.py)",
    "imports:job": IMPORT_JOB,
    "imports:mapping": IMPORT_JOB,
    "imports:progress": IMPORT_JOB,
    "imports:resume": IMPORT_JOB,
    "imports:run-for-real": IMPORT_JOB,
    "imports:report": IMPORT_JOB,
    # <pk> is an incoming message: matched mail follows its customer's visibility, unmatched
    # mail its mailbox owner's (InboundMessage.objects.visible_to); another rep's message is 404
    # on every one of these (tests/outreach/test_inbound_views.py).
    "outreach:inbox-message": INBOUND_MESSAGE,
    "outreach:inbox-convert": INBOUND_MESSAGE,
    "outreach:inbox-file": INBOUND_MESSAGE,
    "outreach:inbox-dismiss": INBOUND_MESSAGE,
    "outreach:inbox-restore": INBOUND_MESSAGE,
    "inquiries:from-message": INBOUND_MESSAGE,
}
# The catalogue (products, photos, HS codes) and the workspace settings (exchange rates, company
# profile, team margins) belong to no customer: every signed-in user reads them. The one place a
# product shows customer data, its "recently quoted" card, goes through the visibility rule
# (tests/catalog/test_pages.py::test_product_page_lists_only_quotations_the_user_may_see).
CATALOG = "products, photos and HS codes are workspace-wide, not customer data"
EXEMPT_URLS.update(
    {
        "catalog:product-list": CATALOG,
        "catalog:product-create": CATALOG,
        "catalog:product-export": CATALOG + "; the export holds products only",
        "catalog:product-import": CATALOG,
        "catalog:product-import-run": CATALOG + "; the signed table is its uploader's only",
        "catalog:product-detail": CATALOG + "; quoted lines go through the visibility rule",
        "catalog:product-edit": CATALOG,
        "catalog:product-set-active": CATALOG + "; managers and admins only",
        "catalog:photo-add": CATALOG,
        "catalog:photo-file": CATALOG + "; any signed-in user may see product photos",
        "catalog:photo-delete": CATALOG,
        "catalog:photo-move": CATALOG,
        "catalog:hs-code-list": CATALOG,
        "catalog:hs-code-edit": CATALOG + "; managers and admins only (reps 403)",
        "workspace:fx": "exchange rates are workspace-wide; managers and admins add them",
        "workspace:company-profile": "the exporter's own letterhead and bank; admins edit",
        "workspace:company-logo": "the exporter's own logo, for signed-in users",
        "workspace:teams": "team minimum margins; admins edit, managers see their teams'",
    }
)
# The admin is for workspace admins only (is_staff); the API is covered operation by operation.
EXEMPT_NAMESPACES = {"admin", "api"}

# (method, path) → kind of object in the path, or "list".
COVERED_OPERATIONS = {
    ("get", "/api/companies"): "list",
    ("post", "/api/companies"): "create",
    ("get", "/api/companies/{company_id}"): "company",
    ("patch", "/api/companies/{company_id}"): "company",
    ("delete", "/api/companies/{company_id}"): "company",
    ("get", "/api/companies/{company_id}/contacts"): "company",
    ("post", "/api/companies/{company_id}/contacts"): "company",
    ("get", "/api/companies/{company_id}/activities"): "company",
    ("post", "/api/companies/{company_id}/activities"): "company",
    ("post", "/api/companies/{company_id}/tasks"): "company",
    ("get", "/api/contacts/{contact_id}"): "contact",
    ("patch", "/api/contacts/{contact_id}"): "contact",
    ("delete", "/api/contacts/{contact_id}"): "contact",
    ("delete", "/api/activities/{activity_id}"): "activity",
    ("get", "/api/tasks"): "list",
    ("get", "/api/tasks/{task_id}"): "task",
    ("patch", "/api/tasks/{task_id}"): "task",
    ("delete", "/api/tasks/{task_id}"): "task",
    ("get", "/api/inquiries"): "list",
    ("post", "/api/inquiries"): "create",
    ("get", "/api/inquiries/{inquiry_id}"): "inquiry",
    ("patch", "/api/inquiries/{inquiry_id}"): "inquiry",
    ("post", "/api/inquiries/{inquiry_id}/waivers"): "inquiry",
    ("post", "/api/companies/{company_id}/screening"): "company",
    ("get", "/api/profiles"): "list",
    ("post", "/api/profiles"): "create",
    ("get", "/api/samples"): "list",
    ("post", "/api/samples"): "create",
    ("get", "/api/samples/{sample_id}"): "sample",
    ("post", "/api/samples/{sample_id}/ship"): "sample",
    ("post", "/api/samples/{sample_id}/deliver"): "sample",
    ("post", "/api/samples/{sample_id}/feedback"): "sample",
    ("post", "/api/samples/{sample_id}/decide"): "sample",
    ("get", "/api/quotations"): "list",
    ("post", "/api/quotations"): "create",
    ("get", "/api/quotations/{quotation_id}"): "quotation",
    ("get", "/api/quotations/{quotation_id}/revisions/{revision_id}"): "revision",
    ("post", "/api/quotations/{quotation_id}/revisions/{revision_id}/price"): "revision",
    ("post", "/api/quotations/{quotation_id}/revisions/{revision_id}/lines"): "revision",
    ("post", "/api/quotations/{quotation_id}/revisions/{revision_id}/approval"): "revision",
    ("post", "/api/approvals/{approval_id}/decide"): "approval",
}
# Operations that never take a customer id nor return customer data, and why.
EXEMPT_OPERATIONS = {
    ("get", "/api/profiles/{profile_id}"): "a profile is workspace-wide, not customer data",
    ("patch", "/api/profiles/{profile_id}"): "a profile is workspace-wide; managers only (403)",
}


EXEMPT_OPERATIONS.update(
    {
        ("get", "/api/products"): CATALOG,
        ("post", "/api/products"): CATALOG,
        ("get", "/api/products/{product_id}"): CATALOG,
        ("patch", "/api/products/{product_id}"): CATALOG + "; deactivating: managers and admins",
        ("get", "/api/fx-rates"): "exchange rates are workspace-wide",
        ("post", "/api/fx-rates"): "exchange rates are workspace-wide; managers and admins",
    }
)


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in EXEMPT_NAMESPACES:
                continue
            yield from all_url_names(pattern, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Contracts: another rep's PI and everything hanging off it (see _secret_contract).
COVERED_URLS.update(
    {
        "contracts:contract-list": "list",
        "contracts:contract-create": "quotation",
        "contracts:contract-detail": "contract",
        "contracts:contract-edit": "contract",
        "contracts:contract-payment": "contract",
        "contracts:contract-ready": "contract",
        "contracts:contract-reopen": "contract",
        "contracts:contract-send": "contract",
        "contracts:contract-sign": "contract",
        "contracts:contract-amend": "contract",
        "contracts:contract-cancel": "contract",
        "contracts:contract-preview": "contract",
        "contracts:contract-pdf": "contract",
        "contracts:production-start": "contract",
        "contracts:clause-add": "contract",
        "contracts:approval-request": "contract",
        "contracts:line-edit": "contract_line",
        "contracts:clause-edit": "contract_clause",
        "contracts:clause-reset": "contract_clause",
        "contracts:clause-delete": "contract_clause",
        "contracts:version-file": "contract_version",
        "contracts:deposit-slip": "deposit",
        "contracts:deposit-credit": "deposit",
        "contracts:approval-decide": "term_approval",
        "contracts:credit-settings": "list",
        "contracts:buyer-credit-edit": "company",
        "contracts:template-list": "list",
    }
)
EXEMPT_URLS.update(
    {
        "contracts:country-risk-delete": "<country> is a country code (a workspace setting), "
        "managers only; no customer data",
        "contracts:template-edit": "<pk> is a company-wide clause template; admins only (403)",
    }
)
COVERED_OPERATIONS.update(
    {
        ("get", "/api/contracts"): "list",
        ("get", "/api/contracts/{contract_id}"): "contract",
        ("patch", "/api/contracts/{contract_id}"): "contract",
        ("put", "/api/contracts/{contract_id}/payment-terms"): "contract",
        ("get", "/api/contracts/{contract_id}/credit"): "contract",
        ("post", "/api/contracts/{contract_id}/ready"): "contract",
        ("post", "/api/contracts/{contract_id}/send"): "contract",
        ("post", "/api/contracts/{contract_id}/sign"): "contract",
        ("post", "/api/contracts/{contract_id}/amend"): "contract",
        ("get", "/api/contracts/{contract_id}/pdf"): "contract",
        ("post", "/api/quotations/{quotation_id}/contract"): "quotation",
    }
)


# L/C desk: another rep's letter of credit on the secret PI (see _secret_lc).
COVERED_URLS.update(
    {
        "lcdesk:lc-list": "list",
        "lcdesk:lc-create": "list",
        "lcdesk:lc-detail": "lc",
        "lcdesk:lc-edit": "lc",
        "lcdesk:lc-check": "lc",
        "lcdesk:lc-accept": "lc",
        "lcdesk:amendment-create": "lc",
        "lcdesk:amendment-decide": "lc",
        "lcdesk:lc-close": "lc",
    }
)
COVERED_OPERATIONS.update(
    {
        ("get", "/api/letters-of-credit"): "list",
        ("post", "/api/letters-of-credit"): "create",
        ("get", "/api/letters-of-credit/{lc_id}"): "lc",
        ("post", "/api/letters-of-credit/{lc_id}/check"): "lc",
    }
)


def _secret_lc(contract, other_rep) -> dict:
    """Another rep's letter of credit under the secret PI."""
    from tradewind.contracts.lc.models import LetterOfCredit

    today = timezone.localdate()
    lc = LetterOfCredit.objects.create(
        contract=contract, handler=other_rep, number="GEHEIM-LC-0001", received_on=today,
        expiry_date=today + timezone.timedelta(days=10), currency="USD", amount=1000,
        latest_shipment_date=today + timezone.timedelta(days=3),
        goods_description="Geheime Leuchte",
    )  # fmt: skip
    return {"lc": lc}


def _secret_contract(company, other_rep, quotation, revision) -> dict:
    """Another rep's signed PI with a line, a clause, a version, a deposit and an approval."""
    from tradewind.contracts.models import (
        Clause,
        Contract,
        ContractLine,
        ContractVersion,
        Deposit,
        PaymentTermApproval,
    )

    contract = Contract.objects.create(
        kind="PI", number="PI-2000-0001", company=company, quotation=quotation,
        quotation_revision=revision, owner=other_rep, status="signed",
        contract_date=timezone.localdate(), buyer_name=f"{SECRET} GmbH", currency="USD",
        total_amount=1000, incoterm="FOB", named_place="Ningbo",
    )  # fmt: skip
    line = ContractLine.objects.create(
        contract=contract, description="Geheime Leuchte", quantity=100, unit_price=10, total=1000
    )
    clause = Clause.objects.create(contract=contract, key="goods", title="Goods", body="Geheim")
    version = ContractVersion.objects.create(contract=contract, number=1, status="signed")
    deposit = Deposit.objects.create(contract=contract, currency="USD", amount_due=300)
    approval = PaymentTermApproval.objects.create(
        contract=contract, terms_code="OA_30", terms_text="100% O/A", amount=1000,
        currency="USD", requested_by=other_rep,
    )  # fmt: skip
    return {
        "contract": contract,
        "contract_line": line,
        "contract_clause": clause,
        "contract_version": version,
        "deposit": deposit,
        "term_approval": approval,
    }


@pytest.fixture
def secret_world(other_rep):
    """Another rep's customer with everything that hangs off it."""
    company = CompanyFactory(owner=other_rep, name=f"{SECRET} GmbH", tags=["geheim"])
    contact = ContactFactory(company=company, name="Greta Geheim", email="greta@geheim.de")
    activity = ActivityFactory(company=company, contact=contact, summary="Geheimes Telefonat")
    task = TaskFactory(
        company=company,
        title="Geheime Nachfrage",
        due_at=timezone.now() - timezone.timedelta(hours=2),
    )
    inquiry = Inquiry.objects.create(
        company=company,
        contact=contact,
        assignee=other_rep,
        subject="Geheime Nachfrage nach Leuchten",
        first_response_due_at=timezone.now(),
    )
    inquiry_line = InquiryLine.objects.create(inquiry=inquiry, description="Geheime Leuchte")
    quotation = Quotation.objects.create(
        number="QT-2000-0001", company=company, contact=contact, inquiry=inquiry, owner=other_rep
    )
    revision = QuotationRevision.objects.create(
        quotation=quotation,
        letter="A",
        named_place="Ningbo",
        payment_terms="30% T/T deposit, 70% against B/L copy",
        valid_until=timezone.localdate(),
        margin_percent=15,
        fx_rmb_per_unit="7.1",
    )
    line = QuotationLine.objects.create(
        revision=revision, description="Geheime Leuchte", quantity=100, unit_cost_rmb="10"
    )
    approval = MarginApproval.objects.create(
        revision=revision, requested_by=other_rep, margin_percent=3, minimum_percent=10
    )
    sample = Sample.objects.create(number="SMP-2000-0001", company=company, requested_by=other_rep)
    sample_item = SampleItem.objects.create(
        sample=sample, description="Geheime Leuchte", quantity=1
    )
    contract_world = _secret_contract(company, other_rep, quotation, revision)
    return (
        contract_world
        | _secret_lc(contract_world["contract"], other_rep)
        | {
            "company": company,
            "contact": contact,
            "activity": activity,
            "task": task,
            "inquiry": inquiry,
            "inquiry_line": inquiry_line,
            "quotation": quotation,
            "revision": revision,
            "quotation_line": line,
            "approval": approval,
            "sample": sample,
            "sample_item": sample_item,
        }
    )


def test_every_url_is_covered_by_the_visibility_test():
    names = set(all_url_names())
    unknown = names - set(COVERED_URLS) - set(EXEMPT_URLS)
    assert not unknown, f"Add these URLs to COVERED_URLS or EXEMPT_URLS: {sorted(unknown)}"
    assert not (set(COVERED_URLS) - names), "COVERED_URLS names URLs that no longer exist"


def test_every_api_operation_is_covered_by_the_visibility_test():
    schema = api.get_openapi_schema()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    unknown = operations - set(COVERED_OPERATIONS) - set(EXEMPT_OPERATIONS)
    assert not unknown, f"Add these API operations to COVERED_OPERATIONS: {sorted(unknown)}"


def _assert_secret_absent(response):
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    for word in (
        SECRET,
        "Greta Geheim",
        "Geheimes Telefonat",
        "Geheime Nachfrage",
        "Geheime Leuchte",
        "geheim.de",
        "QT-2000-0001",
        "SMP-2000-0001",
        "PI-2000-0001",
        "GEHEIM-LC-0001",
    ):
        assert word not in body, f"{word!r} leaked into {response.request['PATH_INFO']}"


def test_another_reps_records_are_404_on_every_page_and_absent_from_every_list(
    client_of, rep, secret_world
):
    client = client_of(rep)
    CompanyFactory(owner=rep, name="My Own Buyer Ltd")
    for name, kind in COVERED_URLS.items():
        if kind == "list":
            _assert_secret_absent(client.get(reverse(name)))
            continue
        url = reverse(name, args=[secret_world[kind].pk])
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"name": "x", "summary": "x", "kind": "note"}).status_code == 404, (
            name
        )
    owner_id = secret_world["company"].owner_id
    for query in (
        {"q": SECRET},
        {"q": "greta@geheim.de"},
        {"tag": "geheim"},
        {"owner": str(owner_id)},
        {"country": "DE", "sort": "name"},
    ):
        # The rows alone (as htmx fetches them): the search box itself echoes the typed term.
        rows = client.get(reverse("customers:company-list"), query, headers={"HX-Request": "true"})
        _assert_secret_absent(rows)
        assert secret_world["company"] not in rows.context["page"].items
    # Nothing was changed or deleted by the attempts.
    assert Company.objects.get(pk=secret_world["company"].pk).name == f"{SECRET} GmbH"
    assert Contact.objects.filter(pk=secret_world["contact"].pk).exists()
    assert Activity.objects.filter(pk=secret_world["activity"].pk).exists()
    assert Task.objects.get(pk=secret_world["task"].pk).done_at is None


def _path(template: str, world) -> str:
    return (
        template.replace("{company_id}", str(world["company"].pk))
        .replace("{contact_id}", str(world["contact"].pk))
        .replace("{activity_id}", str(world["activity"].pk))
        .replace("{task_id}", str(world["task"].pk))
        .replace("{inquiry_id}", str(world["inquiry"].pk))
        .replace("{quotation_id}", str(world["quotation"].pk))
        .replace("{revision_id}", str(world["revision"].pk))
        .replace("{approval_id}", str(world["approval"].pk))
        .replace("{sample_id}", str(world["sample"].pk))
        .replace("{contract_id}", str(world["contract"].pk))
        .replace("{lc_id}", str(world["lc"].pk))
    )


def test_another_reps_records_are_404_in_every_api_operation(client, rep, secret_world):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}
    for (method, template), kind in COVERED_OPERATIONS.items():
        path = _path(template, secret_world)
        if kind == "create":
            continue
        call = getattr(client, method)
        if kind == "list":
            response = call(path, headers=headers)
            _assert_secret_absent(response)
            for query in (
                {"q": SECRET},
                {"tag": "geheim"},
                {"owner": str(secret_world["company"].owner_id)},
            ):
                _assert_secret_absent(client.get(path, query, headers=headers))
            continue
        payload = {
            "name": "x",
            "kind": "note",
            "summary": "x",
            "title": "x",
            "due_at": timezone.now().isoformat(),
        }
        response = call(path, payload, content_type="application/json", headers=headers)
        assert response.status_code == 404, (method, template, response.status_code)
    assert Company.objects.filter(pk=secret_world["company"].pk).exists()
    assert Task.objects.get(pk=secret_world["task"].pk).done_at is None


def test_manager_sees_the_team_and_the_pool_but_not_other_teams(manager, rep, other_rep):
    mine = CompanyFactory(owner=rep, name="Team Buyer")
    pool = CompanyFactory(owner=rep, name="Pool Buyer")
    Company.objects.filter(pk=pool.pk).update(owner=None)
    CompanyFactory(owner=other_rep, name="Other Team Buyer")
    visible = set(Company.objects.visible_to(manager).values_list("name", flat=True))
    assert visible == {mine.name, pool.name}


def test_admin_sees_everything(admin_user, rep, other_rep):
    CompanyFactory(owner=rep)
    CompanyFactory(owner=other_rep)
    assert Company.objects.visible_to(admin_user).count() == 2


def test_inactive_and_anonymous_users_see_nothing(rep):
    from django.contrib.auth.models import AnonymousUser

    CompanyFactory(owner=None, actor=rep)
    assert Company.objects.visible_to(AnonymousUser()).count() == 0
    rep.is_active = False
    assert Company.objects.visible_to(rep).count() == 0
