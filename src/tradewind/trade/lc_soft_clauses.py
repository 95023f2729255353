"""Soft clauses (软条款) in a letter of credit: terms that put payment in the applicant's hands.

A credit is only as good as the beneficiary's power to present complying documents alone. A
clause that needs the applicant's signature, approval, instructions or goodwill takes that power
away: the applicant can refuse and the bank will not pay. :func:`find_soft_clauses` finds the
usual wordings in 46A (documents required) and 47A (additional conditions), item by item, and
says what to ask for in an amendment.

Judgement calls: the patterns look for the applicant (or buyer, opener, importer) *signing,
issuing, approving or instructing*; documents merely addressed to the applicant ("shipping
advice to applicant", "notify applicant") are ordinary and not flagged. One finding per item,
the first pattern that matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARTY = r"(?:THE\s+)?(?:APPLICANT|BUYER|OPENER|IMPORTER|ACCOUNTEE)(?:['’]?S)?"
_ITEM_START = re.compile(r"\n(?=\s*(?:\+|\d{1,2}\s*[.)]|-\s|\(\d{1,2}\)))")


@dataclass(frozen=True)
class SoftClausePattern:
    key: str
    pattern: re.Pattern[str]
    risk: str
    ask_for: str


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text)


PATTERNS: tuple[SoftClausePattern, ...] = (
    SoftClausePattern(
        "inspection_by_applicant",
        _p(
            rf"INSPECTION\s+CERTIFICATE[^+]{{0,80}}?(?:SIGNED|ISSUED|COUNTERSIGNED)\s+"
            rf"(?:AND\s+\w+\s+)?BY\s+{_PARTY}"
        ),
        "an inspection certificate only the applicant can sign: if they do not sign, the "
        "documents cannot comply and the bank will not pay",
        "delete it, or have an independent inspector (SGS, BV, Intertek, CCIC) issue the "
        "inspection certificate",
    ),
    SoftClausePattern(
        "signed_by_applicant",
        _p(
            rf"(?:SIGNED|ISSUED|COUNTERSIGNED|COUNTER-SIGNED|AUTHENTICATED|CERTIFIED|ENDORSED|"
            rf"APPROVED)\s+(?:AND\s+\w+\s+)?BY\s+{_PARTY}|{_PARTY}\s+(?:AUTHORI[SZ]ED\s+)?"
            rf"SIGNATURE|SIGNATURE\s+OF\s+{_PARTY}"
        ),
        "a document the applicant must sign or issue: payment depends on their cooperation",
        "delete the document, or let the beneficiary or an independent party issue it",
    ),
    SoftClausePattern(
        "applicant_approval",
        _p(
            rf"SUBJECT\s+TO\s+[^+]{{0,40}}?{_PARTY}\s+(?:PRIOR\s+|FINAL\s+|WRITTEN\s+)?"
            rf"(?:APPROVAL|CONSENT|CONFIRMATION|ACCEPTANCE|AUTHORI[SZ]ATION)|UPON\s+{_PARTY}\s+"
            rf"(?:APPROVAL|CONSENT|CONFIRMATION)|(?:APPROVAL|CONSENT|AUTHORI[SZ]ATION)\s+"
            rf"(?:OF|FROM|BY)\s+{_PARTY}"
        ),
        "the credit waits for the applicant's approval: they can withhold it",
        "delete the approval condition",
    ),
    SoftClausePattern(
        "shipment_on_applicant_instructions",
        _p(
            rf"(?:SHIPPING|SHIPMENT)\s+(?:ADVICE|INSTRUCTIONS?|APPROVAL|ORDER)\s+(?:ISSUED\s+|"
            rf"SENT\s+|GIVEN\s+)?(?:FROM|BY)\s+{_PARTY}|VESSEL\s+(?:NAME\s+)?(?:TO\s+BE\s+|WILL\s+"
            rf"BE\s+)?(?:NOMINATED|APPROVED|ADVISED)\s+BY\s+{_PARTY}|(?:NOMINATION|APPROVAL)\s+OF\s+"
            rf"(?:THE\s+)?(?:VESSEL|CARRIER)\s+BY\s+{_PARTY}"
        ),
        "shipment can only go on the applicant's instructions or nominated vessel: without them "
        "you cannot ship in time",
        "delete it, or name the vessel / forwarder and the booking deadline in the credit",
    ),
    SoftClausePattern(
        "not_operative",
        _p(
            r"NOT\s+(?:YET\s+)?OPERATIVE|INOPERATIVE|BECOMES?\s+OPERATIVE|OPERATIVE\s+ONLY|"
            r"(?:COME|COMES)\s+INTO\s+(?:FORCE|EFFECT)\s+ONLY"
        ),
        "the credit is not in force yet: it becomes operative only on a later notice",
        "get the amendment that makes the credit operative before starting production",
    ),
    SoftClausePattern(
        "import_licence",
        _p(
            r"SUBJECT\s+TO\s+[^+]{0,30}?(?:IMPORT\s+(?:LICEN[CS]E|PERMIT)|EXCHANGE\s+CONTROL|"
            r"FOREIGN\s+EXCHANGE\s+APPROVAL)"
        ),
        "payment depends on the buyer obtaining an import licence or exchange approval",
        "delete it: the buyer should hold the licence before issuing the credit",
    ),
    SoftClausePattern(
        "payment_after_goods",
        _p(
            rf"(?:PAYMENT|REIMBURSEMENT)\s+[^+]{{0,40}}?(?:AFTER|UPON|SUBJECT\s+TO)\s+"
            rf"[^+]{{0,30}}?(?:ARRIVAL|RECEIPT|INSPECTION|ACCEPTANCE)\s+(?:OF\s+(?:THE\s+)?GOODS|"
            rf"AT\s+(?:THE\s+)?DESTINATION|BY\s+{_PARTY})"
        ),
        "payment waits for the goods to arrive or be accepted by the buyer: that is not a "
        "documentary credit any more",
        "delete it: payment against complying documents only",
    ),
    SoftClausePattern(
        "original_bl_to_applicant",
        _p(
            rf"(?:1/3|ONE\s+OF\s+(?:THE\s+)?THREE|ONE)\s+ORIGINAL\s+(?:B/?L|BILLS?\s+OF\s+"
            rf"LADING)[^+]{{0,60}}?TO\s+{_PARTY}"
        ),
        "an original B/L sent straight to the applicant lets them take the goods before paying",
        "ask for the full set of original B/Ls to be presented through the bank",
    ),
)


@dataclass(frozen=True)
class SoftClause:
    key: str
    tag: str  # "46A" or "47A"
    excerpt: str  # the item of the field that holds it
    risk: str
    ask_for: str


def split_items(text: str) -> list[str]:
    """The numbered or ``+``-led items of a 46A / 47A narrative, whitespace collapsed."""
    return [" ".join(item.split()) for item in _ITEM_START.split(text) if item.strip()]


def find_soft_clauses(text: str, tag: str) -> tuple[SoftClause, ...]:
    """Every item of ``text`` (the field ``tag``) that holds a soft clause."""
    found: list[SoftClause] = []
    for item in split_items(text or ""):
        upper = item.upper().replace("+", " ")
        for rule in PATTERNS:
            if rule.pattern.search(upper):
                excerpt = item if len(item) <= 300 else item[:297] + "…"
                found.append(SoftClause(rule.key, tag, excerpt, rule.risk, rule.ask_for))
                break
    return tuple(found)


__all__ = ["PATTERNS", "SoftClause", "SoftClausePattern", "find_soft_clauses", "split_items"]
