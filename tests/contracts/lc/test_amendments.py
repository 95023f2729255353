"""Amendments (MT707): recorded as received, changing nothing until accepted; accepting applies
the new terms and makes the last check outdated; rejecting leaves the credit as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tradewind.contracts.lc import services
from tradewind.contracts.lc.choices import AmendmentStatus
from tradewind.contracts.lc.models import LcAmendment
from tradewind.contracts.lc.status import lc_checked
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent

FIXES = {
    "amount": Decimal("48600"),
    "goods_description": "+3,600 PCS LED PANEL LIGHT 600X600MM 40W, MODEL TW-P6060-40\n"
    "CIF HAMBURG INCOTERMS 2020",
    "port_of_discharge": "HAMBURG, GERMANY",
}


def test_an_amendment_changes_nothing_until_accepted(rep, planted_lc):
    amendment = services.amendment_create(
        actor=rep, lc_id=planted_lc.pk, amendment_date=timezone.localdate(), **FIXES
    )
    assert amendment.number == 1
    assert amendment.status == AmendmentStatus.PENDING
    assert {c["field"] for c in amendment.changes} == set(FIXES)
    amount = next(c for c in amendment.changes if c["field"] == "amount")
    assert (amount["old"], amount["new"]) == ("45000", "48600")
    planted_lc.refresh_from_db()
    assert planted_lc.amount == Decimal("45000") and planted_lc.terms_version == 1


def test_accepting_applies_the_terms_and_the_recheck_clears_them(rep, contract, planted_lc):
    services.lc_check(actor=rep, lc_id=planted_lc.pk)
    amendment = services.amendment_create(actor=rep, lc_id=planted_lc.pk, **FIXES)
    services.amendment_decide(
        actor=rep, lc_id=planted_lc.pk, amendment_id=amendment.pk, accept=True, note="As asked"
    )
    planted_lc.refresh_from_db()
    assert planted_lc.amount == Decimal("48600")
    assert planted_lc.port_of_discharge == "HAMBURG, GERMANY"
    assert planted_lc.terms_version == 2
    assert not lc_checked(contract)  # outdated until checked again
    check = services.lc_check(actor=rep, lc_id=planted_lc.pk)
    remaining = {d.code for d in check.discrepancies.all()}
    assert remaining == {"insurance_missing", "shipment_too_soon", "soft_clause"}
    event = AuditEvent.objects.get(action="accept_amendment")
    assert event.changes["amount"] == ["45000.0000", "48600"]
    assert event.changes["amendment"] == 1


def test_rejecting_leaves_the_credit_as_it_was(rep, planted_lc):
    amendment = services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="44000")
    services.amendment_decide(actor=rep, lc_id=planted_lc.pk, amendment_id=amendment.pk,
                              accept=False, note="Less than the contract")  # fmt: skip
    planted_lc.refresh_from_db()
    assert planted_lc.amount == Decimal("45000") and planted_lc.terms_version == 1
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REJECTED
    assert amendment.decision_note == "Less than the contract"
    with pytest.raises(DomainError, match="already rejected"):
        services.amendment_decide(
            actor=rep, lc_id=planted_lc.pk, amendment_id=amendment.pk, accept=True
        )


def test_numbers_run_on_and_a_duplicate_number_is_refused(rep, planted_lc):
    services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="46000")
    second = services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="47000")
    assert second.number == 2
    with pytest.raises(DomainError) as caught:
        services.amendment_create(
            actor=rep, lc_id=planted_lc.pk, amendment_number=2, amount="48000"
        )
    assert caught.value.field == "amendment_number" and caught.value.code == "duplicate"


def test_an_amendment_that_changes_nothing_is_refused(rep, planted_lc):
    with pytest.raises(DomainError, match="changes nothing"):
        services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="45000.00")


def test_an_amendment_that_makes_the_terms_impossible_is_refused(rep, planted_lc):
    with pytest.raises(DomainError) as caught:
        services.amendment_create(
            actor=rep, lc_id=planted_lc.pk, expiry_date=planted_lc.issue_date - dt.timedelta(days=1)
        )
    assert caught.value.field == "expiry_date"
    with pytest.raises(DomainError) as caught:
        services.amendment_create(actor=rep, lc_id=planted_lc.pk, currency="XXY")
    assert caught.value.field == "currency"
    assert not LcAmendment.objects.exists()


def test_a_decision_on_another_credits_amendment_is_not_found(rep, contract, planted_lc, clean_lc):
    amendment = services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="46000")
    with pytest.raises(DomainError, match="No such amendment"):
        services.amendment_decide(actor=rep, lc_id=clean_lc.pk, amendment_id=amendment.pk,
                                  accept=True)  # fmt: skip


MT707 = """:20:HH26LC0999
:26E:1
:30:{date}
:32B:USD3600,00
:44F:HAMBURG, GERMANY
:45B:/REPALL/+3,600 PCS LED PANEL LIGHT 600X600MM 40W, MODEL TW-P6060-40
CIF HAMBURG INCOTERMS 2020
:47B:/ADD/+SHIPMENT ADVICE TO APPLICANT WITHIN 3 DAYS
"""


def test_the_amendment_page_reads_an_mt707_then_records_it(client_of, rep, planted_lc):
    url = reverse("lcdesk:amendment-create", args=[planted_lc.pk])
    client = client_of(rep)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["mt707"] = MT707.format(date=timezone.localdate().strftime("%y%m%d"))
    read = client.post(url, data | {"action": "read"})
    assert read.status_code == 200
    initial = read.context["form"].initial
    assert initial["amount"] == Decimal("48600.00")
    assert initial["port_of_discharge"] == "HAMBURG, GERMANY"
    assert initial["amendment_number"] == 1
    assert "SHIPMENT ADVICE TO APPLICANT" in initial["additional_conditions"]
    assert not LcAmendment.objects.exists()
    form = read.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    saved = client.post(url, data | {"action": "save"})
    assert saved.status_code == 302, saved.context["form"].errors
    amendment = LcAmendment.objects.get()
    assert {c["field"] for c in amendment.changes} == {
        "amount",
        "port_of_discharge",
        "goods_description",
        "additional_conditions",
    }
    assert amendment.raw_text.startswith(":20:HH26LC0999")
    detail = client.get(reverse("lcdesk:lc-detail", args=[planted_lc.pk])).content.decode()
    assert "Amendment 1" in detail and "Accept amendment" in detail
    decide = client.post(
        reverse("lcdesk:amendment-decide", args=[planted_lc.pk]),
        {"amendment": amendment.pk, "decision": "accept", "note": ""},
    )
    assert decide.status_code == 302
    planted_lc.refresh_from_db()
    assert planted_lc.amount == Decimal("48600")


def test_a_closed_credit_takes_no_amendment(client_of, rep, planted_lc):
    services.lc_close(actor=rep, lc_id=planted_lc.pk, reason="Buyer paid by T/T instead")
    response = client_of(rep).get(reverse("lcdesk:amendment-create", args=[planted_lc.pk]))
    assert response.status_code == 302
    with pytest.raises(services.LcClosed):
        services.amendment_create(actor=rep, lc_id=planted_lc.pk, amount="48600")
