"""Draft → ready → sent → signed (countersigned PDF) → amended, each amendment a new version
shown with its differences and signed again; nothing signed changes except by an amendment."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.contracts.factories import tiny_pdf
from tradewind.contracts import services
from tradewind.contracts.models import Contract, ContractVersion
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent


def pdf_upload(content=None, name="signed.pdf"):
    return SimpleUploadedFile(name, tiny_pdf() if content is None else content, "application/pdf")


def fresh(contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def sign(contract, actor):
    services.contract_mark_ready(actor=actor, contract_id=contract.pk)
    services.contract_send(actor=actor, contract_id=contract.pk)
    return services.contract_sign(actor=actor, contract_id=contract.pk, file=pdf_upload())


def test_ready_to_sign_is_refused_with_the_list_of_what_is_missing(contract, rep):
    Contract.objects.filter(pk=contract.pk).update(
        incoterm="CIF", named_place="Hamburg", insured_by="", total_amount=Decimal("12000")
    )
    with pytest.raises(services.NotReady) as refused:
        services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    codes = [problem.code for problem in refused.value.problems]
    assert "insurance_who_missing" in codes and "total_mismatch" in codes
    assert "CIF needs an insurance clause" in refused.value.message
    assert fresh(contract).status == "draft"


def test_the_whole_signing_path(contract, rep):
    version = sign(contract, rep)
    contract = fresh(contract)
    assert contract.status == "signed" and contract.signed_at
    assert version.status == "signed" and version.countersigned_pdf.read().startswith(b"%PDF-")
    assert version.snapshot["fields"]["incoterm"] == "FOB"
    assert version.snapshot["lines"][0]["quantity"] == "1000"
    actions = set(
        AuditEvent.objects.filter(
            object_id=contract.pk, object_type="contracts.contract"
        ).values_list("action", flat=True)
    )
    assert {"create", "ready", "send", "sign"} <= actions


def test_a_signed_contract_cannot_be_edited(contract, rep):
    sign(contract, rep)
    contract = fresh(contract)
    with pytest.raises(DomainError, match="amendment"):
        services.contract_update(
            actor=rep,
            contract_id=contract.pk,
            lock_version=contract.lock_version,
            packing="Pallets",
        )
    with pytest.raises(DomainError, match="amendment"):
        services.line_update(
            actor=rep,
            line_id=contract.lines.get().pk,
            lock_version=contract.lock_version,
            quantity=5,
        )
    with pytest.raises(DomainError, match="amendment"):
        services.clause_update(
            actor=rep,
            clause_id=contract.clauses.first().pk,
            lock_version=contract.lock_version,
            title="x",
            body="y",
        )
    from tradewind.contracts import payments

    with pytest.raises(DomainError, match="amendment"):
        payments.contract_set_payment_terms(
            actor=rep, contract_id=contract.pk, lock_version=contract.lock_version, code="OA_30"
        )
    assert fresh(contract).packing == "10 pcs per export carton"


def test_a_contract_waiting_for_signature_must_go_back_to_draft_to_change(contract, rep):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    contract = fresh(contract)
    with pytest.raises(DomainError, match="back to draft"):
        services.contract_update(
            actor=rep,
            contract_id=contract.pk,
            lock_version=contract.lock_version,
            packing="Pallets",
        )
    services.contract_reopen(actor=rep, contract_id=contract.pk)
    contract = fresh(contract)
    services.contract_update(
        actor=rep, contract_id=contract.pk, lock_version=contract.lock_version, packing="Pallets"
    )
    assert fresh(contract).status == "draft"


def test_an_amendment_is_a_new_version_with_its_differences_signed_again(contract, rep):
    sign(contract, rep)
    version = services.contract_amend(
        actor=rep, contract_id=contract.pk, reason="Buyer wants 200 more and a later date"
    )
    contract = fresh(contract)
    assert (contract.status, contract.version, version.number) == ("amending", 2, 2)
    line = contract.lines.get()
    services.line_update(
        actor=rep, line_id=line.pk, lock_version=contract.lock_version, quantity=1200
    )
    contract = fresh(contract)
    later = contract.latest_shipment_date + timezone.timedelta(days=14)
    services.contract_update(
        actor=rep,
        contract_id=contract.pk,
        lock_version=contract.lock_version,
        latest_shipment_date=later,
    )
    pending = {row["field"] for row in services.pending_amendment_changes(fresh(contract))}
    assert {"total_amount", "latest_shipment_date", "line1.quantity", "line1.total"} <= pending
    signed = sign(contract, rep)
    contract = fresh(contract)
    assert contract.status == "signed" and contract.version == 2
    changes = {row["field"]: row for row in signed.changes}
    assert changes["line1.quantity"]["old"] == "1000" and changes["line1.quantity"]["new"] == "1200"
    assert changes["total_amount"]["new"] == "14820.00"
    assert ContractVersion.objects.filter(contract=contract, status="signed").count() == 2
    # The first version's PDF and terms stay as signed.
    first = ContractVersion.objects.get(contract=contract, number=1)
    assert first.snapshot["lines"][0]["quantity"] == "1000" and first.countersigned_pdf


def test_an_amendment_needs_a_reason(contract, rep):
    sign(contract, rep)
    with pytest.raises(DomainError, match="why"):
        services.contract_amend(actor=rep, contract_id=contract.pk, reason="   ")
    with pytest.raises(DomainError):
        services.contract_amend(actor=rep, contract_id=contract.pk, reason="x" * 2001)


def test_only_a_signed_contract_can_be_amended(contract, rep):
    with pytest.raises(DomainError, match="cannot become"):
        services.contract_amend(actor=rep, contract_id=contract.pk, reason="why not")


def test_signing_needs_the_contract_to_be_sent(contract, rep):
    with pytest.raises(DomainError, match="cannot become"):
        services.contract_sign(actor=rep, contract_id=contract.pk, file=pdf_upload())


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"GIF89a....", "not a PDF"), (b"<html>%PDF-</html>", "not a PDF")],
)
def test_the_countersigned_file_must_be_a_pdf(contract, rep, content, message):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    services.contract_send(actor=rep, contract_id=contract.pk)
    with pytest.raises(DomainError, match=message):
        services.contract_sign(actor=rep, contract_id=contract.pk, file=pdf_upload(content))
    assert fresh(contract).status == "sent"


def test_a_countersigned_pdf_over_20_mb_is_refused(contract, rep):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    services.contract_send(actor=rep, contract_id=contract.pk)
    big = pdf_upload(b"%PDF-1.4\n" + b"0" * (services.MAX_PDF_BYTES + 1))
    with pytest.raises(DomainError, match="20 MB"):
        services.contract_sign(actor=rep, contract_id=contract.pk, file=big)


def test_a_missing_file_is_refused(contract, rep):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    services.contract_send(actor=rep, contract_id=contract.pk)
    with pytest.raises(DomainError, match="Upload"):
        services.contract_sign(actor=rep, contract_id=contract.pk, file=None)


def test_sending_checks_the_contract_again(contract, rep):
    services.contract_mark_ready(actor=rep, contract_id=contract.pk)
    Contract.objects.filter(pk=contract.pk).update(bank_swift="")
    with pytest.raises(services.NotReady):
        services.contract_send(actor=rep, contract_id=contract.pk)
    assert fresh(contract).status == "ready"


def test_a_signed_contract_cannot_be_cancelled_and_a_draft_can(contract, rep):
    services.contract_cancel(actor=rep, contract_id=contract.pk, reason="Buyer went quiet")
    contract = fresh(contract)
    assert contract.status == "cancelled"
    with pytest.raises(DomainError):
        services.contract_update(
            actor=rep, contract_id=contract.pk, lock_version=contract.lock_version, packing="x"
        )


def test_a_clause_changed_for_one_contract_is_marked_and_can_be_reset(contract, rep):
    clause = contract.clauses.get(key="claims")
    services.clause_update(
        actor=rep,
        clause_id=clause.pk,
        lock_version=contract.lock_version,
        title=clause.title,
        body="Claims within {claims_period_days} days.",
    )
    clause.refresh_from_db()
    assert clause.is_customised
    services.clause_reset(actor=rep, clause_id=clause.pk, lock_version=fresh(contract).lock_version)
    clause.refresh_from_db()
    assert not clause.is_customised and clause.body == clause.template.body


@pytest.mark.parametrize("body", ["{unknown_field}", "{bank_swift.__class__}", "x" * 20001])
def test_hostile_or_oversized_clause_text_is_refused(contract, rep, body):
    clause = contract.clauses.get(key="claims")
    with pytest.raises(DomainError):
        services.clause_update(
            actor=rep,
            clause_id=clause.pk,
            lock_version=contract.lock_version,
            title="Claims",
            body=body,
        )


def test_a_missing_clause_can_be_added_back_and_an_own_clause_removed(contract, rep):
    contract.clauses.filter(key="force_majeure").delete()
    assert "clause_missing" in [p.code for p in services.readiness(fresh(contract))]
    services.clause_add(
        actor=rep,
        contract_id=contract.pk,
        lock_version=fresh(contract).lock_version,
        key="force_majeure",
    )
    with pytest.raises(DomainError, match="already"):
        services.clause_add(
            actor=rep,
            contract_id=contract.pk,
            lock_version=fresh(contract).lock_version,
            key="force_majeure",
        )
    own = services.clause_add(
        actor=rep,
        contract_id=contract.pk,
        lock_version=fresh(contract).lock_version,
        key="custom",
        title="Spare parts",
        body="1% free spare parts.",
    )
    services.clause_delete(actor=rep, clause_id=own.pk, lock_version=fresh(contract).lock_version)
    assert services.readiness(fresh(contract)) == []


def test_a_line_change_moves_the_total_and_the_schedule(contract, rep):
    line = contract.lines.get()
    services.line_update(
        actor=rep, line_id=line.pk, lock_version=contract.lock_version, unit_price=Decimal("12.00")
    )
    contract = fresh(contract)
    assert contract.total_amount == Decimal("12000.00")
    assert [r["amount"] for r in contract.payment_schedule] == ["3600.00", "8400.00"]


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-1"), Decimal("12.345")])
def test_a_bad_unit_price_is_refused(contract, rep, price):
    with pytest.raises(DomainError):
        services.line_update(
            actor=rep,
            line_id=contract.lines.get().pk,
            lock_version=contract.lock_version,
            unit_price=price,
        )


def test_fields_outside_the_form_cannot_be_changed(contract, rep):
    with pytest.raises(DomainError, match="cannot be changed"):
        services.contract_update(
            actor=rep, contract_id=contract.pk, lock_version=contract.lock_version, status="signed"
        )


def test_another_rep_cannot_touch_the_contract(contract, other_rep):
    from tradewind.core.errors import NotFound

    with pytest.raises(NotFound):
        services.contract_mark_ready(actor=other_rep, contract_id=contract.pk)
    with pytest.raises(NotFound):
        services.contract_update(
            actor=other_rep, contract_id=contract.pk, lock_version=0, packing="x"
        )
