"""Check a received letter of credit against the contract (DOMAIN.md §1 A, §5).

An incoming L/C is checked against the contract within 1–3 days and amended before production.
:func:`review_credit` lists **every** mismatch as a :class:`Finding`: the MT700 tag, what the
credit says, what the contract says, and what to ask for in an amendment. ``blocking`` findings
must be amended (or accepted explicitly) before production; ``warning`` findings deserve a look.

Checks, in order: currency and amount (32B/39A) against the contract total — or the L/C share of
it when the payment terms mix a T/T deposit with the credit; the goods (45A) against the contract
lines; the Incoterm and freight notation (45A/46A); the ports (44E/44F); the insurance document
(46A) against who insures under the Incoterm; the latest shipment date (44C) against today +
production lead time + transit to the port; the expiry (31D) against shipment + presentation
period and its place (via :func:`tradewind.trade.lc.credit_term_issues`); partial shipment and
transhipment (43P/43T); the tenor (42C/41a) and confirmation (49) against the payment terms;
charges (71D); soft clauses in 46A/47A (:mod:`tradewind.trade.lc_soft_clauses`).

Judgement calls:

* An amount *above* the contract beyond the tolerance is a warning (it does not stop us being
  paid); one that cannot cover the contract is blocking. When the contract allows a quantity
  tolerance, a credit that cannot cover the upper end is a warning.
* Goods: a contract line counts as described when its model number, or at least two thirds of
  its description's words, appear in 45A. A missing line or a different quantity is a warning:
  45A is often a summary, but the invoice must match it word for word.
* A latest shipment date production cannot meet is blocking; one merely earlier than the
  contract's but still achievable is a warning.
* D-rules put no duty to insure on anyone, so an insurance document is not checked for them.
"""

from __future__ import annotations

import datetime as dt
import re

from tradewind.trade.lc import TermIssueCode, credit_term_issues
from tradewind.trade.lc_review_documents import (
    check_freight,
    check_goods,
    check_incoterm,
    check_insurance,
    check_ports,
    clip,
    incoterms_in,
    insurance_document_required,
    same_place,
)
from tradewind.trade.lc_review_types import (
    DEFAULT_TRANSIT_BUFFER_DAYS,
    ContractLine,
    ContractTerms,
    CreditTerms,
    Finding,
    FindingCode,
    Severity,
)
from tradewind.trade.lc_review_types import money_text as _money
from tradewind.trade.lc_review_types import upper_words as _upper
from tradewind.trade.lc_soft_clauses import find_soft_clauses
from tradewind.trade.money import percent_to_fraction

# --- amount ------------------------------------------------------------------------------------


def _check_amount(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    if credit.currency != contract.currency:
        wanted = _money(contract.currency, contract.expected_lc_amount)
        return [
            Finding(
                FindingCode.CURRENCY,
                Severity.BLOCKING,
                "32B",
                f"{credit.currency} {credit.amount:,}",
                wanted,
                f"32B in {contract.currency}: {wanted}",
                f"the credit is in {credit.currency}, the contract in {contract.currency}",
                params={"lc_currency": credit.currency, "contract_currency": contract.currency},
            )
        ]
    expected = contract.expected_lc_amount
    cur = credit.currency
    most = credit.amount * (1 + percent_to_fraction(credit.tolerance_plus_percent))
    least = credit.amount * (1 - percent_to_fraction(credit.tolerance_minus_percent))
    tolerance = f"±{credit.tolerance_plus_percent}/{credit.tolerance_minus_percent} %"
    says = f"{_money(cur, credit.amount)} {tolerance}"
    share = "" if contract.lc_amount is None else " (the L/C share of the contract)"
    if most < expected:
        return [
            Finding(
                FindingCode.AMOUNT_SHORT,
                Severity.BLOCKING,
                "32B",
                says,
                f"{_money(cur, expected)}{share}",
                f"increase 32B to {_money(cur, expected)}",
                f"the credit allows drawing at most {_money(cur, most)}, "
                f"{_money(cur, expected - most)} short of the contract",
                params={"most": _money(cur, most), "short": _money(cur, expected - most)},
            )
        ]
    if least > expected:
        return [
            Finding(
                FindingCode.AMOUNT_OVER,
                Severity.WARNING,
                "32B",
                says,
                f"{_money(cur, expected)}{share}",
                f"reduce 32B to {_money(cur, expected)} (or leave it: we can draw less)",
                f"the credit is for {_money(cur, credit.amount - expected)} more than the "
                "contract: check it is for this contract",
                params={"over": _money(cur, credit.amount - expected)},
            )
        ]
    upper = expected * (1 + percent_to_fraction(contract.quantity_tolerance_percent))
    if most < upper:
        return [
            Finding(
                FindingCode.AMOUNT_NO_QUANTITY_ROOM,
                Severity.WARNING,
                "39A",
                says,
                f"±{contract.quantity_tolerance_percent} % quantity: up to {_money(cur, upper)}",
                f"39A of at least {contract.quantity_tolerance_percent}/"
                f"{contract.quantity_tolerance_percent}",
                "shipping the contract's extra quantity would overdraw the credit",
            )
        ]
    return []


# --- dates -------------------------------------------------------------------------------------


def _check_shipment_date(
    credit: CreditTerms, contract: ContractTerms, today: dt.date, buffer_days: int
) -> list[Finding]:
    latest = credit.latest_shipment_date or credit.expiry_date
    tag = "44C" if credit.latest_shipment_date else "31D"
    if contract.production_lead_time_days is not None:
        ready = today + dt.timedelta(days=contract.production_lead_time_days + buffer_days)
        if latest < ready:
            period = credit.core().period_days
            return [
                Finding(
                    FindingCode.SHIPMENT_TOO_SOON,
                    Severity.BLOCKING,
                    tag,
                    f"ship by {latest} ({(latest - today).days} days from today)",
                    f"production {contract.production_lead_time_days} days + {buffer_days} days to "
                    f"the port: on board {ready} at the earliest",
                    f"extend 44C to {ready} or later and 31D to "
                    f"{ready + dt.timedelta(days=period)} or later",
                    "the latest shipment date cannot be met with the production lead time",
                    params={"latest": str(latest), "ready": str(ready)},
                )
            ]
    agreed = contract.latest_shipment_date
    if credit.latest_shipment_date and agreed and credit.latest_shipment_date < agreed:
        return [
            Finding(
                FindingCode.SHIPMENT_EARLIER,
                Severity.WARNING,
                "44C",
                str(credit.latest_shipment_date),
                str(agreed),
                f"extend 44C to {agreed}",
                "the credit wants shipment earlier than the contract",
            )
        ]
    return []


_TERM_ISSUE_CODES = {
    TermIssueCode.EXPIRY_ABROAD: FindingCode.EXPIRY_ABROAD,
    TermIssueCode.SHIPMENT_AFTER_EXPIRY: FindingCode.SHIPMENT_AFTER_EXPIRY,
    TermIssueCode.SHORT_PRESENTATION_WINDOW: FindingCode.SHORT_PRESENTATION_WINDOW,
}


def _check_expiry(credit: CreditTerms, today: dt.date) -> list[Finding]:
    core = credit.core()
    place = f"{credit.expiry_date} {credit.expiry_place}".strip()
    if credit.expiry_date < today:
        return [
            Finding(
                FindingCode.EXPIRED,
                Severity.BLOCKING,
                "31D",
                place,
                f"valid after {today}",
                "extend 31D",
                "the credit has already expired",
            )
        ]
    findings = []
    for issue in credit_term_issues(core):
        if issue.code is TermIssueCode.EXPIRY_ABROAD:
            ask, ours = "31D place of expiry: CHINA", "expiry in China"
        else:
            latest = credit.latest_shipment_date
            need = latest + dt.timedelta(days=core.period_days) if latest else credit.expiry_date
            ask, ours = (
                f"extend 31D to {need}",
                f"{core.period_days} days to present after shipment",
            )
        findings.append(
            Finding(
                _TERM_ISSUE_CODES[issue.code],
                Severity.WARNING,
                issue.field,
                place,
                ours,
                ask,
                issue.message,
                params=_term_issue_params(issue.code, credit, core),
            )
        )
    return findings


def _term_issue_params(code: TermIssueCode, credit: CreditTerms, core) -> dict[str, str]:
    latest = credit.latest_shipment_date
    if code is TermIssueCode.EXPIRY_ABROAD:
        return {"country": core.expiry_country}
    if code is TermIssueCode.SHIPMENT_AFTER_EXPIRY:
        return {"latest": str(latest), "expiry": str(credit.expiry_date)}
    window = (credit.expiry_date - latest).days if latest else 0
    return {"window": str(window), "period": str(core.period_days)}


# --- shipment terms, payment terms, charges ----------------------------------------------------


def _check_shipment_terms(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    findings = []
    pairs = (
        (
            "43P",
            FindingCode.PARTIAL_SHIPMENT,
            credit.partial_shipments,
            contract.partial_shipment_allowed,
            "partial shipments",
            "",
        ),
        (
            "43T",
            FindingCode.TRANSHIPMENT,
            credit.transhipment,
            contract.transhipment_allowed,
            "transhipment",
            " (in containers under one B/L it is acceptable anyway, UCP 600 art. 20(c))",
        ),
    )
    for tag, code, says, allowed, what, note in pairs:
        if says == "allowed" or (says == "not_allowed" and not allowed):
            continue
        if says == "conditional":
            message = f"{what} only under the conditions in 47A — check they can be met"
        else:
            message = f"the credit prohibits {what}, the contract allows them{note}"
        findings.append(
            Finding(
                code,
                Severity.WARNING,
                tag,
                says.replace("_", " "),
                "allowed" if allowed else "not allowed",
                f"{tag}: ALLOWED",
                message,
                params={"state": says},
            )
        )
    return findings


def tenor_days(credit: CreditTerms) -> int | None:
    """0 for a sight credit, N for ``AT N DAYS …``, None when 42C/41a do not say."""
    drafts = _upper(credit.drafts_at)
    if "SIGHT" in drafts and not re.search(r"\d+\s*DAYS", drafts):
        return 0
    match = re.search(r"(\d{1,3})\s*DAYS", drafts)
    if match:
        return int(match.group(1))
    if credit.available_by in ("payment", "negotiation") and not drafts:
        return 0
    return None


def _check_payment(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    findings = []
    wanted = contract.lc_tenor_days
    days = tenor_days(credit)
    if wanted is not None and days is not None and days > wanted:
        agreed = "at sight" if wanted == 0 else f"at {wanted} days"
        findings.append(
            Finding(
                FindingCode.TENOR,
                Severity.BLOCKING,
                "42C",
                credit.drafts_at or credit.available_by,
                f"L/C {agreed}",
                f"amend 42C to drafts {agreed.upper()}",
                f"the credit pays {days} days later than agreed ({agreed})",
                params={"days": str(days), "agreed_days": str(wanted)},
            )
        )
    if contract.confirmation_required and credit.confirmation != "confirm":
        findings.append(
            Finding(
                FindingCode.CONFIRMATION,
                Severity.BLOCKING,
                "49",
                credit.confirmation.replace("_", " ").upper(),
                "confirmed L/C",
                "49: CONFIRM, with a bank in China acceptable to us",
                "the contract calls for a confirmed credit, this one is not confirmed",
            )
        )
    charges = _upper(credit.charges)
    if re.search(r"\bALL\b[^.]{0,60}CHARGES[^.]{0,80}BENEFICIARY", charges) and not re.search(
        r"OUTSIDE|EXCEPT|OTHER\s+THAN", charges
    ):
        findings.append(
            Finding(
                FindingCode.CHARGES,
                Severity.WARNING,
                "71D",
                clip(credit.charges),
                "each party pays its own bank's charges",
                "71D: charges outside the issuing bank's country for the beneficiary",
                "all bank charges, the issuing bank's too, are for our account",
            )
        )
    return findings


def _check_soft_clauses(credit: CreditTerms) -> list[Finding]:
    findings = []
    for tag, text in (("46A", credit.documents_required), ("47A", credit.additional_conditions)):
        for clause in find_soft_clauses(text, tag):
            findings.append(
                Finding(
                    FindingCode.SOFT_CLAUSE,
                    Severity.BLOCKING,
                    tag,
                    clause.excerpt,
                    "documents we can present on our own",
                    clause.ask_for,
                    f"soft clause: {clause.risk}",
                    params={"key": clause.key},
                )
            )
    return findings


def review_credit(
    credit: CreditTerms,
    contract: ContractTerms,
    *,
    today: dt.date,
    transit_buffer_days: int = DEFAULT_TRANSIT_BUFFER_DAYS,
) -> tuple[Finding, ...]:
    """Every mismatch between the credit and the contract, blocking ones first."""
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise TypeError(f"today: expected a datetime.date, got {type(today).__name__}")
    findings = [
        *_check_amount(credit, contract),
        *check_goods(credit, contract),
        *check_incoterm(credit, contract),
        *check_freight(credit, contract),
        *check_ports(credit, contract),
        *check_insurance(credit, contract),
        *_check_shipment_date(credit, contract, today, transit_buffer_days),
        *_check_expiry(credit, today),
        *_check_shipment_terms(credit, contract),
        *_check_payment(credit, contract),
        *_check_soft_clauses(credit),
    ]
    order = {Severity.BLOCKING: 0, Severity.WARNING: 1}
    return tuple(sorted(findings, key=lambda f: order[f.severity]))


__all__ = [
    "DEFAULT_TRANSIT_BUFFER_DAYS",
    "ContractLine",
    "ContractTerms",
    "CreditTerms",
    "Finding",
    "FindingCode",
    "Severity",
    "incoterms_in",
    "insurance_document_required",
    "review_credit",
    "same_place",
    "tenor_days",
]
