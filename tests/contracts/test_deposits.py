"""Deposits: due when signed, a bank slip is recorded but is not money, and production starts
only when the deposit is credited (and, under an L/C, when the L/C is checked)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.contracts.factories import make_contract, tiny_pdf
from tradewind.contracts import payments, services
from tradewind.contracts.models import Contract, Deposit
from tradewind.core.errors import DomainError, NotFound


def sign(contract, actor):
    services.contract_mark_ready(actor=actor, contract_id=contract.pk)
    services.contract_send(actor=actor, contract_id=contract.pk)
    upload = SimpleUploadedFile("signed.pdf", tiny_pdf(), "application/pdf")
    services.contract_sign(actor=actor, contract_id=contract.pk, file=upload)
    return Contract.objects.get(pk=contract.pk)


def test_signing_makes_the_deposit_due(contract, rep):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    assert (deposit.amount_due, deposit.currency) == (Decimal("3705.00"), "USD")
    assert deposit.due_date == contract.contract_date
    assert payments.production_blockers(contract) == ["The deposit has not been credited yet."]


def test_a_bank_slip_is_not_credit(contract, rep):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    payments.deposit_record_slip(actor=rep, deposit_id=deposit.pk, reference="TT 0412")
    blockers = payments.production_blockers(contract)
    assert blockers == ["A bank slip is not money: the deposit must be credited to our account."]
    with pytest.raises(DomainError, match="bank slip is not money"):
        payments.production_start(actor=rep, contract_id=contract.pk)
    assert Contract.objects.get(pk=contract.pk).production_started_at is None


def test_production_starts_once_the_deposit_is_credited(contract, rep):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    payments.deposit_credit(
        actor=rep,
        deposit_id=deposit.pk,
        amount="3,705.00",
        value_date=timezone.localdate(),
        bank_reference="BOC 77",
    )
    deposit.refresh_from_db()
    assert deposit.amount_credited == Decimal("3705.00") and deposit.is_credited
    payments.production_start(actor=rep, contract_id=contract.pk)
    assert Contract.objects.get(pk=contract.pk).production_started_at is not None
    with pytest.raises(DomainError, match="already"):
        payments.production_start(actor=rep, contract_id=contract.pk)


def test_a_short_payment_does_not_unblock_production(contract, rep):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    payments.deposit_credit(
        actor=rep, deposit_id=deposit.pk, amount="3650.00", value_date=timezone.localdate()
    )
    assert payments.production_blockers(contract) == ["The deposit has not been credited yet."]


def test_a_deposit_is_credited_once(contract, rep):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    payments.deposit_credit(
        actor=rep, deposit_id=deposit.pk, amount="3705", value_date=timezone.localdate()
    )
    with pytest.raises(DomainError, match="already"):
        payments.deposit_credit(
            actor=rep, deposit_id=deposit.pk, amount="3705", value_date=timezone.localdate()
        )


@pytest.mark.parametrize(
    ("amount", "value_date"),
    [
        ("0", None),
        ("-5", None),
        ("abc", None),
        ("1.005", None),
        ("1e30", None),
        ("100", dt.timedelta(days=3)),
        ("100", "2026-01-01"),
    ],
)
def test_bad_credit_input_is_refused(contract, rep, amount, value_date):
    contract = sign(contract, rep)
    deposit = contract.deposits.get()
    if value_date is None:
        when = timezone.localdate()
    elif isinstance(value_date, dt.timedelta):
        when = timezone.localdate() + value_date
    else:
        when = value_date
    with pytest.raises(DomainError):
        payments.deposit_credit(actor=rep, deposit_id=deposit.pk, amount=amount, value_date=when)
    assert not Deposit.objects.get(pk=deposit.pk).is_credited


def test_an_over_long_slip_reference_is_refused(contract, rep):
    contract = sign(contract, rep)
    with pytest.raises(DomainError):
        payments.deposit_record_slip(
            actor=rep, deposit_id=contract.deposits.get().pk, reference="x" * 81
        )


def test_another_reps_deposit_does_not_exist(contract, rep, other_rep):
    contract = sign(contract, rep)
    with pytest.raises(NotFound):
        payments.deposit_credit(
            actor=other_rep,
            deposit_id=contract.deposits.get().pk,
            amount="1",
            value_date=timezone.localdate(),
        )


def test_an_unsigned_contract_cannot_start_production(contract, rep):
    with pytest.raises(DomainError, match="not signed"):
        payments.production_start(actor=rep, contract_id=contract.pk)


def test_under_an_lc_production_waits_for_the_lc_check(company, profile, rep, monkeypatch):
    company.grade = "A"
    company.save()
    contract = sign(make_contract(company, terms="LC_SIGHT"), rep)
    assert not contract.deposits.exists()
    monkeypatch.setattr(payments, "lc_checked", lambda c: False)
    assert payments.production_blockers(contract) == [
        "The L/C has not been checked against the contract yet."
    ]
    monkeypatch.setattr(payments, "lc_checked", lambda c: True)
    payments.production_start(actor=rep, contract_id=contract.pk)


def test_a_deposit_plus_lc_needs_both(company, profile, rep, monkeypatch):
    company.grade = "A"
    company.save()
    contract = sign(make_contract(company, terms="TT_30_LC_SIGHT_70"), rep)
    monkeypatch.setattr(payments, "lc_checked", lambda c: True)
    assert payments.production_blockers(contract) == ["The deposit has not been credited yet."]


def test_lc_checked_answers_false_until_the_lc_desk_says_otherwise(contract):
    assert payments.lc_checked(contract) in (False, True)
    assert payments.lc_checked(contract) is False  # no L/C recorded for this contract


def test_an_amendment_updates_a_deposit_not_yet_paid(contract, rep):
    contract = sign(contract, rep)
    services.contract_amend(actor=rep, contract_id=contract.pk, reason="More panels")
    contract = Contract.objects.get(pk=contract.pk)
    services.line_update(
        actor=rep,
        line_id=contract.lines.get().pk,
        lock_version=contract.lock_version,
        quantity=2000,
    )
    contract = sign(Contract.objects.get(pk=contract.pk), rep)
    assert contract.deposits.get().amount_due == Decimal("7410.00")
