"""Quotation numbers QT-YYYY-NNNN are gapless per year, even when reps save at the same moment.

Each saver runs in its own thread with its own database connection. On PostgreSQL they share the
test database and queue on the counter row's lock. On SQLite the in-memory test database would
answer a second writer with "table is locked" at once instead of waiting, so the threads use a
file copy of it (the SQLite backup API) opened with the project's real settings — WAL,
``BEGIN IMMEDIATE`` and a busy timeout — which is how the app runs."""

import sqlite3
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.factories import CompanyFactory, UserFactory
from tests.quotes.quotation_helpers import WORKED_TERMS, make_quotation
from tradewind.core.errors import DomainError
from tradewind.core.models import DocumentCounter
from tradewind.core.numbering import next_number
from tradewind.quotes import quotations
from tradewind.quotes.models import Quotation

pytestmark = pytest.mark.django_db(transaction=True)

SAVERS = 4


def year() -> int:
    return timezone.localdate().year


class SharedDb:
    """The database the saving threads share. On SQLite: a file copy of the test database,
    taken when the threads start (after the test made its customers)."""

    def __init__(self, path):
        self.path, self.settings = path, None

    def snapshot(self) -> None:
        if connection.vendor != "sqlite" or self.settings is not None:
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        connection.connection.backup(target)
        target.close()
        self.settings = dict(connection.settings_dict, NAME=str(self.path))
        self.wrapper = type(connections["default"])

    def use(self) -> None:
        """Point the calling thread's connection at the shared database."""
        if self.settings is not None:
            connections["default"] = self.wrapper(dict(self.settings), "default")


@pytest.fixture
def shared_db(tmp_path):
    return SharedDb(tmp_path / "numbers.sqlite3")


def run_in_threads(shared_db, work, count):
    """Run ``work(i)`` in ``count`` threads released together; results and errors by index."""
    shared_db.snapshot()
    barrier = threading.Barrier(count)
    results, errors = {}, {}

    def runner(index):
        shared_db.use()
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


def in_shared_db(shared_db, query):
    """Read from the savers' database (a thread of its own on SQLite)."""
    result = {}

    def reader():
        shared_db.use()
        try:
            result["value"] = query()
        finally:
            connections["default"].close()

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def test_reps_saving_at_the_same_moment_get_consecutive_numbers(shared_db):
    reps = [UserFactory(username=f"saver{i}", team_name="Europe") for i in range(SAVERS)]
    companies = [CompanyFactory(owner=rep, name=f"Buyer {i} GmbH") for i, rep in enumerate(reps)]

    def save(index):
        return make_quotation(reps[index], companies[index]).number

    results, errors = run_in_threads(shared_db, save, SAVERS)
    assert errors == {}
    expected = [f"QT-{year()}-{n:04d}" for n in range(1, SAVERS + 1)]
    assert sorted(results.values()) == expected
    saved = in_shared_db(
        shared_db, lambda: sorted(Quotation.objects.values_list("number", flat=True))
    )
    assert saved == expected
    counter = in_shared_db(
        shared_db, lambda: DocumentCounter.objects.get(prefix="QT", year=year()).last_number
    )
    assert counter == SAVERS


def test_a_save_that_rolls_back_gives_its_number_to_the_one_waiting(shared_db):
    rep = UserFactory(username="lily", team_name="Europe")
    company = CompanyFactory(owner=rep)
    took_number = threading.Event()
    order = []

    def work(index):
        if index == 0:  # takes a number, holds it while the other saver queues, then fails
            with transaction.atomic():
                order.append(("failing", next_number("QT", year())))
                took_number.set()
                threading.Event().wait(0.5)
                raise DomainError("the save failed")
        took_number.wait(timeout=10)
        number = make_quotation(rep, company).number
        order.append(("saved", number))
        return number

    results, errors = run_in_threads(shared_db, work, 2)
    assert isinstance(errors.get(0), DomainError)
    assert results[1] == f"QT-{year()}-0001"
    assert order[0] == ("failing", f"QT-{year()}-0001")
    assert in_shared_db(shared_db, lambda: Quotation.objects.count()) == 1


def test_a_refused_quotation_takes_no_number(rep_with_fx):
    rep, company = rep_with_fx
    with pytest.raises(DomainError):
        quotations.quotation_create(
            actor=rep, company_id=company.pk, **(WORKED_TERMS | {"margin_percent": Decimal(120)})
        )
    assert make_quotation(rep, company).number == f"QT-{year()}-0001"


def test_numbers_restart_each_year():
    with transaction.atomic():
        assert next_number("QT", 2031) == "QT-2031-0001"
        assert next_number("QT", 2031) == "QT-2031-0002"
        assert next_number("QT", 2032) == "QT-2032-0001"


@pytest.fixture
def rep_with_fx():
    rep = UserFactory(username="lily", team_name="Europe")
    return rep, CompanyFactory(owner=rep)
