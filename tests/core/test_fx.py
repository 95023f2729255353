"""Exchange rates: entering them (service, page, console, API), the rules, and the rate in force
on a day."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tradewind.accounts.services import token_create
from tradewind.core import fx
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import AuditEvent, FxRate

DAY = date(2026, 3, 2)


def test_a_manager_enters_a_rate_and_it_is_audited(manager):
    rate = fx.fx_rate_set(
        actor=manager, currency=" usd ", date=DAY, rmb_per_unit="7.1012", source="BOC"
    )
    assert (rate.currency, rate.rmb_per_unit, rate.created_by) == (
        "USD",
        Decimal("7.1012"),
        manager,
    )
    event = AuditEvent.objects.get(object_type="core.fxrate")
    assert event.action == "create" and event.actor == manager
    assert event.changes["rmb_per_unit"] == "7.101200"


def test_a_second_rate_for_the_same_day_corrects_the_first(admin_user):
    fx.fx_rate_set(actor=admin_user, currency="USD", date=DAY, rmb_per_unit="7.1012")
    fx.fx_rate_set(actor=admin_user, currency="USD", date=DAY, rmb_per_unit="7.1", source="BOC")
    assert FxRate.objects.get().rmb_per_unit == Decimal("7.1")
    update = AuditEvent.objects.get(object_type="core.fxrate", action="update")
    assert update.changes == {"rmb_per_unit": ["7.101200", "7.100000"], "source": ["", "BOC"]}
    fx.fx_rate_set(actor=admin_user, currency="USD", date=DAY, rmb_per_unit="7.100", source="BOC")
    assert AuditEvent.objects.filter(object_type="core.fxrate").count() == 2


def test_reps_cannot_enter_rates(rep):
    with pytest.raises(PermissionDenied):
        fx.fx_rate_set(actor=rep, currency="USD", date=DAY, rmb_per_unit="7.1")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"currency": "CNY"}, "currency", "RMB itself"),
        ({"currency": "DOLLAR"}, "currency", "not a currency code"),
        ({"currency": "XYZ"}, "currency", "not a currency code"),
        ({"rmb_per_unit": "0"}, "rmb_per_unit", "more than 0"),
        ({"rmb_per_unit": "-7"}, "rmb_per_unit", "more than 0"),
        ({"rmb_per_unit": "seven"}, "rmb_per_unit", "as a number"),
        ({"rmb_per_unit": "Infinity"}, "rmb_per_unit", "as a number"),
        ({"rmb_per_unit": "7.10123456"}, "rmb_per_unit", "6 decimal places"),
        ({"date": "02/03/2026"}, "date", "YYYY-MM-DD"),
        ({"date": date(1999, 12, 31)}, "date", "2000"),
    ],
)
def test_bad_rates_are_refused_with_the_field_named(admin_user, fields, field, words):
    values = {"currency": "USD", "date": DAY, "rmb_per_unit": "7.1"} | fields
    with pytest.raises(DomainError) as caught:
        fx.fx_rate_set(actor=admin_user, **values)
    assert caught.value.field == field
    assert words in caught.value.message
    assert not FxRate.objects.exists()


def test_a_rate_dated_in_the_future_is_refused(admin_user):
    with pytest.raises(DomainError) as caught:
        fx.fx_rate_set(
            actor=admin_user,
            currency="EUR",
            date=fx.workspace_today() + timedelta(days=3),
            rmb_per_unit="7.7",
        )
    assert "in the future" in caught.value.message


def test_a_rate_typed_per_100_units_is_caught(admin_user):
    fx.fx_rate_set(actor=admin_user, currency="USD", date=DAY, rmb_per_unit="7.1012")
    with pytest.raises(DomainError) as caught:
        fx.fx_rate_set(
            actor=admin_user, currency="USD", date=DAY + timedelta(days=1), rmb_per_unit="710.12"
        )
    assert "per 100 units" in caught.value.message
    assert "710.12 is far from" in caught.value.message and "(7.1012)" in caught.value.message


def test_rate_on_takes_the_latest_rate_on_or_before_the_day(admin_user):
    for offset, value in ((0, "7.10"), (3, "7.12"), (7, "7.15")):
        fx.fx_rate_set(
            actor=admin_user, currency="USD", date=DAY + timedelta(days=offset), rmb_per_unit=value
        )
    fx.fx_rate_set(actor=admin_user, currency="EUR", date=DAY, rmb_per_unit="7.7")
    assert fx.rate_on("USD", DAY).rmb_per_unit == Decimal("7.10")
    assert fx.rate_on("usd", DAY + timedelta(days=5)).rmb_per_unit == Decimal("7.12")
    assert fx.rate_on("USD", DAY + timedelta(days=30)).rmb_per_unit == Decimal("7.15")
    assert [rate.currency for rate in fx.latest_rates()] == ["EUR", "USD"]
    assert fx.latest_rates()[1].rmb_per_unit == Decimal("7.15")


def test_no_rate_says_which_currency_which_day_and_how_to_add_one(admin_user):
    fx.fx_rate_set(actor=admin_user, currency="USD", date=DAY, rmb_per_unit="7.1")
    with pytest.raises(DomainError) as caught:
        fx.rate_on("USD", DAY - timedelta(days=1))
    message = caught.value.message
    assert caught.value.code == "no_fx_rate"
    assert "USD" in message and "2026-03-01" in message
    assert "Exchange rates" in message and "tradewind fx set USD" in message
    with pytest.raises(DomainError) as caught:
        fx.rate_on("GBP", DAY)
    assert "GBP" in caught.value.message


# --- Page ----------------------------------------------------------------------------------


def test_everyone_reads_the_page_and_managers_add_rates(client_of, rep, manager):
    url = reverse("workspace:fx")
    fx.fx_rate_set(actor=manager, currency="USD", date=DAY, rmb_per_unit="7.1012")
    response = client_of(rep).get(url)
    assert response.status_code == 200 and "7.1012" in response.content.decode()
    assert response.context["form"] is None
    assert client_of(rep).post(url, {"currency": "EUR"}).status_code == 403
    client = client_of(manager)
    day = fx.workspace_today().isoformat()
    response = client.post(url, {"currency": "eur", "date": day, "rmb_per_unit": "7.7185"})
    assert response.status_code == 302
    assert FxRate.objects.get(currency="EUR").rmb_per_unit == Decimal("7.7185")
    yesterday = (fx.workspace_today() - timedelta(days=1)).isoformat()
    response = client.post(url, {"currency": "EUR", "date": yesterday, "rmb_per_unit": "771.85"})
    body = response.content.decode()
    assert "per 100 units" in body and 'value="771.85"' in body
    history = client.get(url, {"currency": "USD"}).context["history"]
    assert [rate.rmb_per_unit for rate in history] == [Decimal("7.1012")]


# --- Console ---------------------------------------------------------------------------------


def test_the_console_sets_and_lists_rates(db, rep):
    out = StringIO()
    call_command(
        "fx", "set", "USD", "7.1012", "--date", "2026-03-02", "--source", "BOC", stdout=out
    )
    assert "USD 2026-03-02: 7.101200 RMB per unit (BOC)" in out.getvalue()
    assert FxRate.objects.get().created_by is None
    call_command("fx", "set", "EUR", "7.7", stdout=StringIO())
    assert FxRate.objects.get(currency="EUR").date == fx.workspace_today()
    out = StringIO()
    call_command("fx", "list", "--currency", "USD", stdout=out)
    assert "7.101200" in out.getvalue() and "EUR" not in out.getvalue()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["set", "USD", "abc"], "as a number"),
        (["set", "RMB", "1"], "RMB itself"),
        (["set", "USD", "7.1", "--date", "tomorrow"], "YYYY-MM-DD"),
        (["set", "USD", "7.1", "--user", "nobody"], "No active user"),
        (["list", "--currency", "ZZZ"], "not a currency code"),
    ],
)
def test_the_console_explains_bad_input(db, args, words):
    with pytest.raises(CommandError) as caught:
        call_command("fx", *args, stdout=StringIO())
    assert words in str(caught.value)
    assert not FxRate.objects.exists()


def test_the_console_records_the_user_it_is_told(manager):
    call_command("fx", "set", "GBP", "9.02", "--user", manager.username, stdout=StringIO())
    assert FxRate.objects.get().created_by == manager


# --- API -------------------------------------------------------------------------------------


def test_the_api_lists_and_sets_rates(client, rep, manager):
    def headers(user):
        return {"Authorization": f"Bearer {token_create(actor=user, user=user)}"}

    payload = {"currency": "USD", "date": "2026-03-02", "rmb_per_unit": "7.1012", "source": "BOC"}
    refused = client.post("/api/fx-rates", payload, content_type="application/json",
                          headers=headers(rep))  # fmt: skip
    assert refused.status_code == 403
    created = client.post("/api/fx-rates", payload, content_type="application/json",
                          headers=headers(manager))  # fmt: skip
    assert created.status_code == 201 and created.json()["currency"] == "USD"
    listed = client.get("/api/fx-rates", {"currency": "USD"}, headers=headers(rep)).json()
    assert [row["date"] for row in listed] == ["2026-03-02"]
    on = client.get("/api/fx-rates", {"currency": "USD", "on": "2026-03-09"}, headers=headers(rep))
    assert on.json()[0]["rmb_per_unit"] in ("7.101200", "7.1012")
    none = client.get("/api/fx-rates", {"currency": "USD", "on": "2026-01-01"},
                      headers=headers(rep))  # fmt: skip
    assert none.status_code == 422 and "tradewind fx set" in none.json()["detail"]
    bad = client.post("/api/fx-rates", payload | {"currency": "CNY"},
                      content_type="application/json", headers=headers(manager))  # fmt: skip
    assert bad.status_code == 422 and bad.json()["field"] == "currency"
