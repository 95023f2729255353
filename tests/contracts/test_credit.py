"""Payment terms by the buyer's credit: grade, country risk, payment history and the
credit-insurance limit against exposure, through the trade core; D/A or O/A beyond the limit
needs a manager's approval."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.contracts.factories import make_contract, tiny_pdf
from tests.factories import CompanyFactory
from tradewind.contracts import credit, payments, services, workspace
from tradewind.contracts.models import Contract, Deposit
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.trade.payment_terms import RiskCategory


def choose(contract, code, actor=None):
    contract.refresh_from_db()
    payments.contract_set_payment_terms(
        actor=actor or contract.owner,
        contract_id=contract.pk,
        lock_version=contract.lock_version,
        code=code,
    )
    contract.refresh_from_db()
    return credit.recommend(contract)


@pytest.fixture
def buyer(rep, manager):
    company = CompanyFactory(owner=rep, name="Amsterdam Light BV", country="NL", grade="A")
    workspace.country_risk_set(actor=manager, country="NL", risk_class=0)
    return company


def status_of(advice, category):
    return str(advice.result.for_category(category).status)


def test_no_credit_insurance_means_prepayment_or_lc_only(buyer):
    advice = credit.recommend(make_contract(buyer))
    assert advice.result.recommended.category is RiskCategory.LC_USANCE
    for category in (RiskCategory.DP_SIGHT, RiskCategory.DA, RiskCategory.OA):
        assert status_of(advice, category) == "refused"
        assert any(
            "no credit-insurance limit" in r for r in advice.result.for_category(category).reasons
        )


def test_an_a_grade_buyer_within_its_limit_may_get_open_account(buyer, manager):
    workspace.buyer_credit_set(
        actor=manager, company_id=buyer.pk, limit_amount="100000", approved_credit_days=90
    )
    advice = choose(make_contract(buyer), "OA_30")
    assert advice.result.recommended.category is RiskCategory.OA
    assert advice.verdict.status == "allowed"


def test_the_grade_caps_the_terms(buyer, manager):
    buyer.grade = "C"
    buyer.save()
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="100000")
    advice = choose(make_contract(buyer), "TT_30_70_BL_COPY")
    assert advice.result.recommended.category is RiskCategory.TT_BEFORE_SHIPMENT
    assert advice.verdict.status == "refused"
    assert any("grade C allows at most" in r for r in advice.verdict.reasons)


def test_an_ungraded_buyer_counts_as_grade_d(buyer):
    buyer.grade = ""
    buyer.save()
    advice = credit.recommend(make_contract(buyer))
    assert advice.facts.grade == "D" and advice.facts.grade_note
    assert advice.result.recommended.category is RiskCategory.TT_BEFORE_SHIPMENT


def test_an_unclassified_country_counts_as_class_four(rep):
    company = CompanyFactory(owner=rep, country="BR", grade="A")
    advice = credit.recommend(make_contract(company))
    assert advice.facts.risk_class == credit.UNCLASSIFIED_RISK_CLASS
    assert "class 4" in advice.facts.risk_note


def test_a_high_risk_country_needs_half_paid_before_shipment(rep, manager):
    company = CompanyFactory(owner=rep, country="NG", grade="A")
    workspace.country_risk_set(actor=manager, country="NG", risk_class=6)
    contract = make_contract(company)
    advice = choose(contract, "TT_30_LC_SIGHT_70")
    assert advice.verdict.status == "refused"
    assert any("country risk class 6 allows at most" in r for r in advice.verdict.reasons)
    advice = choose(contract, "LC_SIGHT_CONFIRMED")
    assert advice.verdict.status == "refused"
    assert any("needs 50" in r for r in advice.verdict.reasons)
    assert choose(contract, "TT_100_ADVANCE").verdict.status == "allowed"


def test_an_overdue_deposit_caps_the_buyer_at_sight_lc(buyer, manager):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="500000")
    old = make_contract(buyer)
    Deposit.objects.create(
        contract=old,
        currency="USD",
        amount_due=Decimal(100),
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    advice = credit.recommend(make_contract(buyer))
    assert advice.facts.overdue_now
    assert advice.result.recommended.category is RiskCategory.LC_SIGHT


def test_repeated_late_payments_cap_the_buyer_at_usance_lc(buyer, manager):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="500000")
    old = make_contract(buyer)
    today = timezone.localdate()
    for number in (1, 2):
        Deposit.objects.create(
            contract=old,
            instalment_number=number,
            currency="USD",
            amount_due=Decimal(100),
            due_date=today - dt.timedelta(days=60),
            credited_at=timezone.now(),
            credited_on=today - dt.timedelta(days=50),
            amount_credited=Decimal(100),
        )
    advice = credit.recommend(make_contract(buyer))
    assert advice.facts.late_payments_12m == 2
    assert advice.result.recommended.category is RiskCategory.LC_USANCE


def _signed_oa(buyer, total_lines):
    contract = make_contract(buyer, terms="OA_30", lines=total_lines)
    Contract.objects.filter(pk=contract.pk).update(status="signed")
    return contract


def test_exposure_counts_unpaid_insured_contracts(buyer, manager):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="20000")
    _signed_oa(buyer, (("Panel", 1000, "10.00"),))  # USD 10,000 open on O/A
    contract = make_contract(buyer)  # USD 12,350
    advice = choose(contract, "DA_60_BL")
    assert advice.facts.exposure == Decimal("10000.00")
    assert advice.verdict.status == "needs_approval"
    assert any("exceeds the credit-insurance limit" in r for r in advice.verdict.reasons)


def test_a_limit_in_another_currency_is_not_counted(buyer, manager):
    workspace.buyer_credit_set(
        actor=manager, company_id=buyer.pk, limit_amount="100000", currency="EUR"
    )
    advice = choose(make_contract(buyer), "OA_30")
    assert "EUR" in advice.facts.limit_note
    assert advice.verdict.status == "needs_approval"


def test_an_expired_limit_does_not_cover_new_credit(buyer, manager):
    workspace.buyer_credit_set(
        actor=manager,
        company_id=buyer.pk,
        limit_amount="100000",
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    advice = choose(make_contract(buyer), "OA_30")
    assert advice.verdict.status == "needs_approval"
    assert any("expired" in r for r in advice.verdict.reasons)


def test_d_a_beyond_the_limit_is_signed_only_after_a_manager_approves(buyer, manager, rep):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="5000")
    contract = make_contract(buyer)
    choose(contract, "DA_60_BL")
    problems = services.readiness(contract)
    assert [p.code for p in problems] == ["payment_needs_approval"]
    approval = payments.approval_request(actor=rep, contract_id=contract.pk, comment="Old friend")
    assert approval.approver == manager
    with pytest.raises(DomainError):  # only one request at a time
        payments.approval_request(actor=rep, contract_id=contract.pk)
    with pytest.raises(PermissionDenied):
        payments.approval_decide(actor=rep, approval_id=approval.pk, approve=True)
    payments.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    contract.refresh_from_db()
    assert credit.recommend(contract).verdict.status == "approved"
    assert services.readiness(contract) == []


def test_an_approval_does_not_cover_a_larger_amount(buyer, manager, rep):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="5000")
    contract = make_contract(buyer)
    choose(contract, "OA_30")
    approval = payments.approval_request(actor=rep, contract_id=contract.pk)
    payments.approval_decide(actor=manager, approval_id=approval.pk, approve=True)
    line = contract.lines.get()
    contract.refresh_from_db()
    services.line_update(
        actor=rep, line_id=line.pk, lock_version=contract.lock_version, quantity=2000
    )
    contract.refresh_from_db()
    assert credit.recommend(contract).verdict.status == "needs_approval"


def test_a_rejection_needs_a_reason(buyer, manager, rep):
    workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, limit_amount="5000")
    contract = make_contract(buyer)
    choose(contract, "OA_30")
    approval = payments.approval_request(actor=rep, contract_id=contract.pk)
    with pytest.raises(DomainError):
        payments.approval_decide(actor=manager, approval_id=approval.pk, approve=False)
    payments.approval_decide(
        actor=manager, approval_id=approval.pk, approve=False, comment="Limit is a limit"
    )
    assert credit.recommend(Contract.objects.get(pk=contract.pk)).verdict.status == "needs_approval"


def test_terms_refused_for_other_reasons_cannot_be_approved(buyer, rep):
    buyer.grade = "C"
    buyer.save()
    contract = make_contract(buyer)
    choose(contract, "DA_60_BL")
    with pytest.raises(DomainError, match="cannot approve"):
        payments.approval_request(actor=rep, contract_id=contract.pk)


def test_terms_that_are_allowed_need_no_approval(buyer, rep):
    contract = make_contract(buyer)
    choose(contract, "TT_100_ADVANCE")
    with pytest.raises(DomainError, match="do not need"):
        payments.approval_request(actor=rep, contract_id=contract.pk)


def test_the_ranking_lists_all_ten_terms_with_the_choice_marked(buyer):
    contract = make_contract(buyer)
    advice = choose(contract, "LC_SIGHT")
    ranking = advice.ranking
    assert [row["rank"] for row in ranking] == list(range(1, 11))
    assert [str(row["label"]) for row in ranking if row["chosen"]] == ["Sight L/C from a good bank"]


def test_custom_instalments_must_add_up_to_100(buyer, rep):
    contract = make_contract(buyer)
    rows = [
        {"share_percent": "40", "instrument": "T/T", "due": "order", "days": 0},
        {"share_percent": "50", "instrument": "T/T", "due": "shipment", "days": -7},
    ]
    with pytest.raises(DomainError, match="100"):
        payments.contract_set_payment_terms(
            actor=rep,
            contract_id=contract.pk,
            lock_version=contract.lock_version,
            code="custom",
            instalments=rows,
        )
    rows[1]["share_percent"] = "60"
    payments.contract_set_payment_terms(
        actor=rep,
        contract_id=contract.pk,
        lock_version=contract.lock_version,
        code="custom",
        instalments=rows,
    )
    contract.refresh_from_db()
    assert [r["amount"] for r in contract.payment_schedule] == ["4940.00", "7410.00"]
    assert contract.deposit_amount == Decimal("4940.00")
    assert contract.payment_terms_text == "40% T/T with order, 60% T/T 7 days before shipment"


def test_an_unknown_terms_code_is_refused(buyer, rep):
    contract = make_contract(buyer)
    with pytest.raises(DomainError, match="unknown template"):
        payments.contract_set_payment_terms(
            actor=rep,
            contract_id=contract.pk,
            lock_version=contract.lock_version,
            code="CASH_ON_DELIVERY",
        )


def test_credit_settings_are_for_managers(rep, buyer):
    with pytest.raises(PermissionDenied):
        workspace.country_risk_set(actor=rep, country="DE", risk_class=1)
    with pytest.raises(PermissionDenied):
        workspace.buyer_credit_set(actor=rep, company_id=buyer.pk, limit_amount="1")


@pytest.mark.parametrize(
    ("country", "risk_class"), [("XX", 1), ("", 1), ("DE", 8), ("DE", -1), ("DE", "high")]
)
def test_bad_country_risk_input_is_refused(manager, country, risk_class):
    with pytest.raises(DomainError):
        workspace.country_risk_set(actor=manager, country=country, risk_class=risk_class)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("limit_amount", "-5"),
        ("limit_amount", "lots"),
        ("limit_amount", "1e20"),
        ("currency", "DOLLARS"),
        ("approved_credit_days", 400),
    ],
)
def test_bad_credit_limit_input_is_refused(manager, buyer, field, value):
    values = {"limit_amount": "1000", "currency": "USD"} | {field: value}
    with pytest.raises(DomainError):
        workspace.buyer_credit_set(actor=manager, company_id=buyer.pk, **values)


def test_another_teams_buyer_credit_is_not_found(manager, other_rep):
    from tradewind.core.errors import NotFound

    company = CompanyFactory(owner=other_rep)
    with pytest.raises(NotFound):
        workspace.buyer_credit_set(actor=manager, company_id=company.pk, limit_amount="1")


def test_signing_the_pdf_is_needed_first(buyer):
    assert tiny_pdf().startswith(b"%PDF-")
