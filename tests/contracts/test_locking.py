"""Optimistic locking: every edit is ``UPDATE … WHERE lock_version = n``. Of two people saving
the same contract at once one wins; the other is told who saved, keeps what they typed, and
nothing is lost."""

import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from tests.contracts.factories import make_contract
from tests.factories import CompanyFactory
from tradewind.contracts import services
from tradewind.contracts.models import Contract


def test_the_second_save_from_the_same_version_is_refused_and_names_the_winner(
    contract, rep, manager
):
    loaded = contract.lock_version
    services.contract_update(
        actor=manager, contract_id=contract.pk, lock_version=loaded, packing="Pallets of 40 cartons"
    )
    with pytest.raises(services.StaleContract) as lost:
        services.contract_update(
            actor=rep, contract_id=contract.pk, lock_version=loaded, packing="Wooden cases"
        )
    assert str(manager) in lost.value.message
    assert lost.value.current_version == loaded + 1
    assert Contract.objects.get(pk=contract.pk).packing == "Pallets of 40 cartons"


def test_clause_line_and_terms_edits_share_the_contracts_version(contract, rep):
    loaded = contract.lock_version
    clause = contract.clauses.get(key="claims")
    services.clause_update(
        actor=rep,
        clause_id=clause.pk,
        lock_version=loaded,
        title="Claims",
        body="Within {claims_period_days} days.",
    )
    with pytest.raises(services.StaleContract):
        services.line_update(
            actor=rep, line_id=contract.lines.get().pk, lock_version=loaded, quantity=5
        )
    assert contract.lines.get().quantity == 1000


@pytest.mark.parametrize("bad", [None, "", "abc", "1.5"])
def test_a_form_without_a_version_is_refused(contract, rep, bad):
    with pytest.raises(services.DomainError, match="version"):
        services.contract_update(actor=rep, contract_id=contract.pk, lock_version=bad, packing="x")


def _terms_form(contract, **changes):
    from tradewind.contracts.forms import ContractTermsForm

    form = ContractTermsForm(contract=contract)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    return data | changes


def test_the_loser_of_a_page_save_is_told_and_keeps_what_they_typed(
    client_of, contract, rep, manager
):
    rep_form = _terms_form(contract, packing="Wooden cases, 20 pcs each")
    services.contract_update(
        actor=manager,
        contract_id=contract.pk,
        lock_version=contract.lock_version,
        packing="Pallets",
    )
    url = reverse("contracts:contract-edit", args=[contract.pk])
    response = client_of(rep).post(url, rep_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "saved this contract at" in html and str(manager) in html
    assert "Wooden cases, 20 pcs each" in html  # what the rep typed is still in the form
    assert "Saved by the other person" in html and "Pallets" in html
    assert f'name="lock_version" value="{contract.lock_version + 1}"' in html
    assert Contract.objects.get(pk=contract.pk).packing == "Pallets"
    # Having seen it, the rep saves again on purpose.
    rep_form["lock_version"] = contract.lock_version + 1
    response = client_of(rep).post(url, rep_form)
    assert response.status_code == 302
    assert Contract.objects.get(pk=contract.pk).packing == "Wooden cases, 20 pcs each"


class SharedDb:
    """On SQLite the threads use a file copy of the in-memory test database (WAL, BEGIN
    IMMEDIATE, busy timeout: how the app runs); on PostgreSQL the test database itself."""

    def __init__(self, path):
        self.path, self.settings = path, None

    def snapshot(self):
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        connection.connection.backup(target)
        target.close()
        self.settings = dict(connection.settings_dict, NAME=str(self.path))
        self.wrapper = type(connections["default"])

    def use(self):
        if self.settings is not None:
            connections["default"] = self.wrapper(dict(self.settings), "default")


def _run_together(shared, work, count):
    shared.snapshot()
    barrier = threading.Barrier(count)
    results, errors = {}, {}

    def runner(index):
        shared.use()
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as exc:  # reported by the test
            errors[index] = exc
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _read(shared, query):
    box = {}

    def reader():
        shared.use()
        try:
            box["value"] = query()
        finally:
            connections["default"].close()

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join(timeout=30)
    return box["value"]


@pytest.mark.django_db(transaction=True)
def test_two_users_saving_at_the_same_moment_lose_nothing(tmp_path, rep, manager):
    from tests.contracts.factories import bank_profile

    bank_profile()
    company = CompanyFactory(owner=rep, grade="A")
    contract = make_contract(company)
    shared = SharedDb(tmp_path / "contracts.sqlite3")
    people = [(rep, "Wooden cases"), (manager, "Pallets")]

    def save(index):
        actor, packing = people[index]
        services.contract_update(
            actor=actor,
            contract_id=contract.pk,
            lock_version=contract.lock_version,
            packing=packing,
        )
        return packing

    results, errors = _run_together(shared, save, 2)
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(next(iter(errors.values())), services.StaleContract)
    saved = _read(shared, lambda: Contract.objects.values_list("packing", "lock_version").get())
    assert saved == (next(iter(results.values())), contract.lock_version + 1)
