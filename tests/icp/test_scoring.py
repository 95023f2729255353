"""Stored fit scores: kept current when a company, its contacts or a profile change."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import CompanyFactory, ContactFactory
from tradewind.customers import services as customer_services
from tradewind.customers.icp import scoring, selectors, services
from tradewind.customers.icp.tasks import rescore_all_profiles
from tradewind.customers.models import Company


def stored(company) -> tuple:
    company.refresh_from_db()
    return company.icp_score, [(r["points"], r["rule"]) for r in company.icp_reasons]


def test_without_an_active_profile_a_company_has_no_score(rep):
    company = CompanyFactory(owner=rep)
    assert stored(company) == (None, [])


def test_creating_a_profile_scores_existing_companies(rep, make_profile):
    german = CompanyFactory(owner=rep, country="DE")
    brazilian = CompanyFactory(owner=rep, country="BR")
    make_profile(name="EU", regions=["eu"])
    assert stored(german) == (100, [(25, "region")])
    assert stored(brazilian) == (0, [(0, "market_miss")])
    german.refresh_from_db()
    assert german.icp_reasons[0] == {
        "points": 25,
        "rule": "region",
        "value": "DE",
        "region": "eu",
        "profile": "EU",
    }


def test_adding_a_contact_changes_the_score(rep, make_profile):
    make_profile(check_company_email=True, check_decision_maker=True)
    company = CompanyFactory(owner=rep)
    assert stored(company) == (0, [(0, "no_email"), (0, "decision_maker_missing")])
    contact = ContactFactory(company=company, email="li@gmail.com", phone="")
    assert stored(company) == (0, [(-10, "free_mail_only"), (0, "decision_maker_missing")])
    customer_services.contact_update(
        actor=rep, contact_id=contact.pk, email="li@nordlicht.de", is_decision_maker=True
    )
    assert stored(company) == (100, [(10, "company_email"), (10, "decision_maker")])
    customer_services.contact_delete(actor=rep, contact_id=contact.pk)
    assert stored(company)[0] == 0


def test_editing_the_company_rescores_it(rep, make_profile):
    make_profile(countries=["DE"], product_keywords=["LED panel"])
    company = CompanyFactory(owner=rep, country="BR")
    assert stored(company)[0] == 0
    customer_services.company_update(
        actor=rep, company_id=company.pk, country="DE", products_of_interest="LED panels"
    )
    assert stored(company) == (100, [(25, "country"), (20, "products")])


def test_tags_count_as_product_keywords(rep, make_profile):
    make_profile(product_keywords=["downlight"])
    company = CompanyFactory(owner=rep, tags=["Downlight"])
    assert stored(company)[0] == 100


def test_changing_deactivating_and_reactivating_a_profile_rescores_everyone(
    rep, manager, make_profile
):
    company = CompanyFactory(owner=rep, country="US")
    profile = make_profile(countries=["DE"])
    assert stored(company)[0] == 0
    services.profile_update(actor=manager, profile_id=profile.pk, countries=["DE", "US"])
    assert stored(company)[0] == 100
    services.profile_set_active(actor=manager, profile_id=profile.pk, active=False)
    assert stored(company) == (None, [])
    services.profile_set_active(actor=manager, profile_id=profile.pk, active=True)
    assert stored(company)[0] == 100


def test_a_description_change_does_not_rescore(rep, manager, make_profile, monkeypatch):
    profile = make_profile(countries=["DE"])
    calls = []
    monkeypatch.setattr(scoring, "rescore_all", lambda: calls.append(1))
    services.profile_update(actor=manager, profile_id=profile.pk, description="Our best buyers")
    assert calls == []


def test_the_best_active_profile_gives_the_score(rep, make_profile):
    company = CompanyFactory(owner=rep, country="US", website="https://acme.com")
    make_profile(name="EU", countries=["DE"])
    make_profile(name="US", countries=["US"], check_decision_maker=True)
    company.refresh_from_db()
    assert company.icp_score == 71  # 25 of 35
    assert {r["profile"] for r in company.icp_reasons} == {"US"}


@pytest.mark.django_db(transaction=True)
def test_on_a_big_table_a_profile_change_rescores_in_the_background_task(rep, manager, monkeypatch):
    monkeypatch.setattr(services, "INLINE_RESCORE_LIMIT", 1)
    companies = [CompanyFactory(owner=rep, country="DE") for _ in range(3)]
    profile = services.profile_create(actor=manager, name="EU", countries=["DE"])
    assert [stored(c)[0] for c in companies] == [None, None, None]
    queued = DBTaskResult.objects.filter(task_path=rescore_all_profiles.module_path)
    assert queued.count() == 1
    assert selectors.rescore_pending()
    # A second change while the first pass still waits does not queue another pass.
    services.profile_update(actor=manager, profile_id=profile.pk, countries=["DE", "FR"])
    assert queued.count() == 1
    assert rescore_all_profiles.call() == 3
    assert [stored(c)[0] for c in companies] == [100, 100, 100]


def test_rescore_pending_ignores_finished_and_long_dead_passes(db):
    from django.utils import timezone

    result = rescore_all_profiles.enqueue()
    assert selectors.rescore_pending()
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.SUCCESSFUL)
    assert not selectors.rescore_pending()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, enqueued_at=timezone.now() - timezone.timedelta(days=1)
    )
    assert not selectors.rescore_pending()


def test_rescore_companies_scores_only_the_given_ones_and_reports_changes(rep, make_profile):
    make_profile(countries=["DE"])
    a, b = CompanyFactory(owner=rep, country="DE"), CompanyFactory(owner=rep, country="DE")
    Company.objects.update(icp_score=None, icp_reasons=[])
    assert scoring.rescore_companies([a.pk, a.pk, 999_999]) == 1
    assert stored(a)[0] == 100 and stored(b)[0] is None
    assert scoring.rescore_companies([a.pk]) == 0  # nothing changed, nothing written


def test_bulk_rescoring_takes_a_fixed_number_of_queries_per_chunk(
    rep, make_profile, django_assert_max_num_queries
):
    make_profile(countries=["DE"], product_keywords=["LED"], check_decision_maker=True)
    ids = []
    for n in range(30):
        company = CompanyFactory(owner=rep, country="DE", tags=[f"t{n}"])
        ContactFactory(company=company)
        ids.append(company.pk)
    Company.objects.update(icp_score=None, icp_reasons=[])
    with django_assert_max_num_queries(8):
        assert scoring.rescore_companies(ids) == 30


def test_rescore_all_walks_the_table_in_chunks(rep, make_profile, monkeypatch):
    monkeypatch.setattr(scoring, "CHUNK", 2)
    companies = [CompanyFactory(owner=rep, country="DE") for _ in range(5)]
    make_profile(countries=["DE"])
    Company.objects.update(icp_score=None, icp_reasons=[])
    assert scoring.rescore_all() == 5
    assert {stored(c)[0] for c in companies} == {100}


def test_a_score_change_does_not_touch_the_company_updated_time(rep, make_profile):
    company = CompanyFactory(owner=rep, country="DE")
    company.refresh_from_db()
    before = company.updated_at
    make_profile(countries=["DE"])
    company.refresh_from_db()
    assert company.icp_score == 100 and company.updated_at == before


def test_changing_only_the_tags_rescores_the_company(rep, make_profile):
    make_profile(product_keywords=["downlight"])
    company = CompanyFactory(owner=rep)
    customer_services.company_update(actor=rep, company_id=company.pk, tags=["downlight"])
    assert stored(company)[0] == 100


def test_deferred_rescoring_scores_the_batch_once_at_the_end(rep, make_profile):
    make_profile(countries=["DE"])
    with scoring.defer_rescoring():
        companies = [CompanyFactory(owner=rep, country="DE") for _ in range(3)]
        with scoring.defer_rescoring():  # nested: still waits for the outer block
            ContactFactory(company=companies[0])
        assert {stored(c)[0] for c in companies} == {None}
    assert {stored(c)[0] for c in companies} == {100}
    # Outside the block the services score at once again.
    assert stored(CompanyFactory(owner=rep, country="DE"))[0] == 100


def test_deferred_rescoring_still_scores_what_was_written_when_the_block_fails(rep, make_profile):
    make_profile(countries=["DE"])
    with pytest.raises(RuntimeError), scoring.defer_rescoring():
        company = CompanyFactory(owner=rep, country="DE")
        raise RuntimeError("row 2 is broken")
    assert stored(company)[0] == 100
