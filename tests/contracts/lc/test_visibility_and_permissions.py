"""The one visibility rule on the L/C desk: another rep's credits are 404 and absent from lists,
counts, My day and the contract card; a manager sees the team's; writes check the actor."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.contracts.lc.conftest import lc_contract, record
from tests.factories import CompanyFactory
from tests.trade.lc_samples import mt700
from tradewind.accounts.services import token_create
from tradewind.contracts.lc import selectors, services
from tradewind.contracts.lc.models import LcCheck, LetterOfCredit
from tradewind.core.errors import DomainError, NotFound, PermissionDenied


@pytest.fixture
def theirs(other_rep):
    company = CompanyFactory(owner=other_rep, name="Geheimhandel Lichttechnik GmbH")
    contract = lc_contract(company)
    return record(other_rep, contract, mt700(timezone.localdate()), number="THEIR-LC-1")


LC_PAGES = (
    "lcdesk:lc-detail",
    "lcdesk:lc-edit",
    "lcdesk:lc-accept",
    "lcdesk:amendment-create",
)
LC_POSTS = ("lcdesk:lc-check", "lcdesk:amendment-decide", "lcdesk:lc-close")


def test_another_reps_credit_is_404_on_every_page(client_of, rep, theirs):
    client = client_of(rep)
    for name in LC_PAGES:
        url = reverse(name, args=[theirs.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"action": "save", "reason": "let me in"}).status_code == 404, name
    for name in LC_POSTS:
        response = client.post(reverse(name, args=[theirs.pk]), {"reason": "let me in"})
        assert response.status_code == 404, name
    assert not LcCheck.objects.exists()
    assert LetterOfCredit.objects.get(pk=theirs.pk).status == "open"


def test_another_reps_credit_is_absent_from_lists_searches_and_my_day(client_of, rep, theirs):
    client = client_of(rep)
    queries = (
        {},
        {"scope": "all"},
        {"scope": "all", "show": "all", "q": "Geheim"},
        {"scope": "all", "show": "to_check"},
        {"scope": "all", "show": "expiring"},
    )
    for query in queries:
        html = client.get(reverse("lcdesk:lc-list"), query).content.decode()
        assert "THEIR-LC-1" not in html and "Geheimhandel" not in html
    assert "THEIR-LC-1" not in client.get(reverse("web:my-day")).content.decode()
    assert selectors.upcoming_dates(rep, horizon_days=90, mine_only=False) == []


def test_another_reps_contract_cannot_take_a_credit(client_of, rep, theirs):
    client = client_of(rep)
    assert (
        client.get(reverse("lcdesk:lc-create"), {"contract": theirs.contract_id}).status_code == 404
    )
    with pytest.raises(NotFound):
        services.lc_create(
            actor=rep, contract_id=theirs.contract_id, number="X", expiry_date=timezone.localdate(),
            currency="USD", amount="1",
        )  # fmt: skip
    html = client.get(reverse("lcdesk:lc-create")).content.decode()
    assert theirs.contract.number not in html


def test_every_service_treats_another_reps_credit_as_missing(rep, theirs):
    calls = (
        lambda: services.lc_update(actor=rep, lc_id=theirs.pk, number="MINE"),
        lambda: services.lc_check(actor=rep, lc_id=theirs.pk),
        lambda: services.lc_close(actor=rep, lc_id=theirs.pk, reason="not mine to close"),
        lambda: services.discrepancies_accept(actor=rep, lc_id=theirs.pk, reason="not mine"),
        lambda: services.amendment_create(actor=rep, lc_id=theirs.pk, amount="1"),
    )
    for call in calls:
        with pytest.raises(NotFound):
            call()


def test_the_api_hides_another_reps_credit(client, rep, theirs):
    headers = {"Authorization": f"Bearer {token_create(actor=rep, user=rep)}"}
    assert client.get(f"/api/letters-of-credit/{theirs.pk}", headers=headers).status_code == 404
    response = client.post(f"/api/letters-of-credit/{theirs.pk}/check", headers=headers)
    assert response.status_code == 404
    listed = client.get("/api/letters-of-credit", {"scope": "all", "show": "all"}, headers=headers)
    assert listed.json()["items"] == []
    created = client.post(
        "/api/letters-of-credit",
        {"contract_id": theirs.contract_id, "mt700": mt700(timezone.localdate())},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 404
    assert LetterOfCredit.objects.count() == 1


def test_a_manager_sees_and_checks_the_teams_credits_but_not_other_teams(
    client_of, manager, rep, clean_lc, theirs
):
    page = selectors.lc_list(manager, scope="all")
    assert [lc.number for lc in page.items] == [clean_lc.number]
    assert (
        client_of(manager).get(reverse("lcdesk:lc-detail", args=[clean_lc.pk])).status_code == 200
    )
    assert services.lc_check(actor=manager, lc_id=clean_lc.pk).checked_by == manager
    with pytest.raises(NotFound):
        services.lc_check(actor=manager, lc_id=theirs.pk)


def test_a_teammate_does_not_see_a_colleagues_credit(client_of, teammate, clean_lc):
    response = client_of(teammate).get(reverse("lcdesk:lc-detail", args=[clean_lc.pk]))
    assert response.status_code == 404


def test_an_admin_sees_everything(admin_user, clean_lc, theirs):
    assert {lc.pk for lc in selectors.lc_list(admin_user, scope="all").items} == {
        clean_lc.pk,
        theirs.pk,
    }


def test_a_rep_can_hand_a_credit_only_to_themselves_and_a_manager_to_the_team(
    rep, other_rep, manager, teammate, contract
):
    text = mt700(timezone.localdate())
    with pytest.raises(PermissionDenied):
        record(rep, contract, text, handler=other_rep)
    lc = record(manager, contract, text, handler=teammate)
    assert lc.handler == teammate
    with pytest.raises(PermissionDenied):
        services.lc_update(actor=manager, lc_id=lc.pk, handler=other_rep)


def test_signed_out_visitors_are_sent_to_log_in_and_the_api_wants_a_token(client, clean_lc):
    response = client.get(reverse("lcdesk:lc-detail", args=[clean_lc.pk]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert client.get("/api/letters-of-credit").status_code == 401
    assert client.post(f"/api/letters-of-credit/{clean_lc.pk}/check").status_code == 401


def test_inactive_handler_cannot_be_given_a_credit(rep, manager, teammate, contract):
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        record(manager, contract, mt700(timezone.localdate()), handler=teammate)
