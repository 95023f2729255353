"""The text checks of an L/C review: goods (45A), Incoterm and freight (45A/46A), ports
(44E/44F) and the insurance document (46A). See :mod:`tradewind.trade.lc_review`."""

from __future__ import annotations

import re

from tradewind.trade.incoterms import Incoterm, get_rule
from tradewind.trade.lc_review_types import (
    ContractLine,
    ContractTerms,
    CreditTerms,
    Finding,
    FindingCode,
    Severity,
)
from tradewind.trade.lc_review_types import upper_words as _upper
from tradewind.trade.lc_soft_clauses import split_items

# --- goods -------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    {"THE", "AND", "WITH", "FOR", "OF", "IN", "TO", "AN", "AS", "PER", "ON", "BY", "OR", "AT",
     "FROM", "EACH", "INCL", "INCLUDING", "PCS", "PC", "SET", "SETS"}
)  # fmt: skip
_UNIT_WORDS = (
    r"PCS|PIECES?|PC|SETS?|UNITS?|CARTONS?|CTNS|PAIRS?|PRS|DOZENS?|DOZ|ROLLS?|BOXES|BOX|BAGS?|"
    r"METERS?|METRES?|MTRS?|KGS?|TONS?|MT|NOS|NUMBERS"
)
_QUANTITY = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+|\d+)\s*(?:{_UNIT_WORDS})\b")


def _words(text: str) -> set[str]:
    """Letter runs and digit runs: ``600x600mm`` → 600, X, MM (units stick to numbers)."""
    return set(re.findall(r"[A-Z]+|\d+", _upper(text)))


def _line_described(line: ContractLine, goods_words: set[str], goods: str) -> bool:
    if line.model and _upper(line.model) in goods:
        return True
    wanted = [
        w for w in _words(line.description) if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())
    ]
    if not wanted:
        return True
    hits = sum(1 for w in wanted if w in goods_words)
    return hits * 3 >= len(wanted) * 2


def check_goods(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    goods = _upper(credit.goods_description)
    if not goods or not contract.lines:
        return []
    goods_words = _words(goods)
    stated = {int(q.replace(",", "")) for q in _QUANTITY.findall(goods)}
    findings = []
    for line in contract.lines:
        wanted = f"{line.quantity:,} {line.unit} {line.description}"
        if not _line_described(line, goods_words, goods):
            findings.append(
                Finding(
                    FindingCode.GOODS_LINE_MISSING,
                    Severity.WARNING,
                    "45A",
                    clip(credit.goods_description),
                    wanted,
                    f"add to 45A: {wanted}",
                    f"45A does not describe “{line.description}”: the invoice must match 45A, "
                    "so the goods must be described there as in the contract",
                    params={"description": line.description},
                )
            )
        elif stated and line.quantity not in stated:
            says = ", ".join(f"{q:,}" for q in sorted(stated))
            findings.append(
                Finding(
                    FindingCode.GOODS_QUANTITY,
                    Severity.WARNING,
                    "45A",
                    f"quantities {says}",
                    wanted,
                    f"45A quantity for “{line.description}”: {line.quantity:,} {line.unit}",
                    f"45A does not state the contract quantity {line.quantity:,} "
                    f"for “{line.description}”",
                    params={"description": line.description, "quantity": f"{line.quantity:,}"},
                )
            )
    return findings


def clip(text: str, limit: int = 200) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- Incoterm, freight, ports ------------------------------------------------------------------

_TERM_ALIASES = {
    "C&F": "CFR", "CNF": "CFR", "C AND F": "CFR", "COST AND FREIGHT": "CFR",
    "COST INSURANCE AND FREIGHT": "CIF", "COST, INSURANCE AND FREIGHT": "CIF",
    "FREE ON BOARD": "FOB", "FREE CARRIER": "FCA", "EX WORKS": "EXW", "EX-WORKS": "EXW",
}  # fmt: skip
_TERM_RE = re.compile(
    r"\b(" + "|".join(
        [r"\.?".join(code) for code in Incoterm]
        + [re.escape(alias) for alias in sorted(_TERM_ALIASES, key=len, reverse=True)]
    ) + r")\b\.?(?:\s+([A-Z][A-Z .\-']{1,40}))?"
)  # fmt: skip
_PLACE_STOP = re.compile(r"\b(PORT|INCOTERMS?|AS|PER|IN|ACCORDING|PROFORMA|CONTRACT|AND|DATED)\b")
_GENERIC_PLACE = frozenset(
    {"PORT", "OF", "ANY", "SEAPORT", "SEA", "MAIN", "AIRPORT", "CITY", "THE"}
)


def incoterms_in(text: str) -> list[tuple[str, str]]:
    """``[(code, named place), …]`` mentioned in ``text`` (``C&F`` counts as CFR)."""
    found = []
    for match in _TERM_RE.finditer(_upper(text)):
        raw = match.group(1).replace(".", "")
        code = _TERM_ALIASES.get(match.group(1), raw)
        place = _PLACE_STOP.split(match.group(2) or "")[0].strip(" .,-")
        if code in Incoterm.__members__:
            found.append((code, place))
    return found


def _place_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Z]+", _upper(text)) if w not in _GENERIC_PLACE}


def same_place(ours: str, theirs: str) -> bool:
    """Do two port or place names name the same place (``Hamburg`` ~ ``HAMBURG, GERMANY``)?"""
    mine, other = _place_words(ours), _place_words(theirs)
    if not mine or not other:
        return True
    return mine <= other or other <= mine or bool(mine & other)


def check_incoterm(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    agreed = f"{contract.incoterm} {contract.named_place}".strip()
    terms = incoterms_in(credit.goods_description) or incoterms_in(credit.additional_conditions)
    if not terms:
        return [
            Finding(
                FindingCode.INCOTERM_MISSING,
                Severity.WARNING,
                "45A",
                "—",
                agreed,
                f"state “{agreed} (Incoterms 2020)” in 45A",
                "45A names no Incoterm: the invoice will carry the contract's price term",
            )
        ]
    codes = {code for code, _place in terms}
    says = ", ".join(f"{code} {place}".strip() for code, place in terms)
    if contract.incoterm not in codes:
        return [
            Finding(
                FindingCode.INCOTERM,
                Severity.BLOCKING,
                "45A",
                says,
                agreed,
                f"amend 45A to “{agreed} (Incoterms 2020)”",
                f"the credit is on {'/'.join(sorted(codes))} terms, the contract on "
                f"{contract.incoterm}: costs and documents differ",
                params={"lc_terms": "/".join(sorted(codes)), "contract_term": contract.incoterm},
            )
        ]
    places = [place for code, place in terms if code == contract.incoterm and place]
    if (
        contract.named_place
        and places
        and not any(same_place(contract.named_place, p) for p in places)
    ):
        return [
            Finding(
                FindingCode.NAMED_PLACE,
                Severity.WARNING,
                "45A",
                says,
                agreed,
                f"amend 45A to “{agreed}”",
                f"the named place differs: {places[0]} in the credit, {contract.named_place} in "
                "the contract",
                params={"lc_place": places[0], "contract_place": contract.named_place},
            )
        ]
    return []


def check_freight(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    docs = _upper(credit.documents_required)
    rule = get_rule(contract.incoterm)
    seller_pays = rule.main_carriage_paid_by.value == "seller"
    wrong = "FREIGHT COLLECT" if seller_pays else "FREIGHT PREPAID"
    right = "FREIGHT PREPAID" if seller_pays else "FREIGHT COLLECT"
    if wrong not in docs:
        return []
    return [
        Finding(
            FindingCode.FREIGHT_NOTATION,
            Severity.BLOCKING,
            "46A",
            wrong,
            f"{contract.incoterm}: freight paid by the {rule.main_carriage_paid_by.value}",
            f"amend the B/L in 46A to be marked “{right}”",
            f"the transport document must be marked {wrong.lower()}, which does not fit "
            f"{contract.incoterm}",
            params={"notation": wrong, "term": contract.incoterm},
        )
    ]


def _any_chinese_port(text: str) -> bool:
    words = set(re.findall(r"[A-Z]+", _upper(text)))
    return "ANY" in words and bool({"CHINA", "CHINESE", "PRC"} & words)


def check_ports(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    findings = []
    pairs = (
        ("44E", FindingCode.PORT_OF_LOADING, credit.port_of_loading, contract.port_of_loading),
        ("44F", FindingCode.PORT_OF_DISCHARGE, credit.port_of_discharge, contract.destination_port),
    )
    for tag, code, theirs, ours in pairs:
        if not theirs or not ours or same_place(ours, theirs):
            continue
        if tag == "44E" and _any_chinese_port(theirs):
            continue
        findings.append(
            Finding(
                code,
                Severity.BLOCKING,
                tag,
                theirs,
                ours,
                f"amend {tag} to “{ours.upper()}”",
                f"the credit names {theirs}, the contract {ours}: the B/L must show the credit's "
                "port, so we could not ship as agreed",
                params={"lc_port": theirs, "contract_port": ours},
            )
        )
    return findings


# --- insurance ---------------------------------------------------------------------------------

_INSURANCE_DOC = re.compile(
    r"INSURANCE\s+(POLICY|POLICIES|CERTIFICATE|DOCUMENT)|CERTIFICATE\s+OF\s+INSURANCE|"
    r"(POLICY|POLICIES)\s+OR\s+CERTIFICATE|OPEN\s+COVER\s+DECLARATION"
)
_BUYER_INSURES = re.compile(
    r"INSURANCE\s+[^+]{0,40}?(COVERED|EFFECTED|ARRANGED)\s+BY\s+(THE\s+)?(APPLICANT|BUYER)"
)
_COVER = re.compile(
    r"(\d{2,3})\s*(?:%|PCT|PERCENT|PER\s+CENT)\s+OF\s+(?:THE\s+)?(?:FULL\s+|TOTAL\s+)?"
    r"(?:CIF|CIP|INVOICE)"
)


def insurance_document_required(documents: str) -> bool:
    """Does 46A call for an insurance document from the beneficiary?"""
    for item in split_items(documents or ""):
        upper = item.upper()
        if _INSURANCE_DOC.search(upper) and not _BUYER_INSURES.search(upper):
            return True
    return False


def _seller_insures(contract: ContractTerms) -> bool | None:
    if contract.seller_insures is not None:
        return contract.seller_insures
    rule = get_rule(contract.incoterm)
    if rule.insurance is not None:
        return True
    return None if rule.seller_insures_own_risk else False


def check_insurance(credit: CreditTerms, contract: ContractTerms) -> list[Finding]:
    required = insurance_document_required(credit.documents_required)
    ours = _seller_insures(contract)
    cover = f"{contract.insurance_percent.normalize():f} %"
    if ours is True and not required:
        return [
            Finding(
                FindingCode.INSURANCE_MISSING,
                Severity.BLOCKING,
                "46A",
                "no insurance document",
                f"{contract.incoterm}: we insure, {cover} of invoice",
                f"add to 46A: insurance policy/certificate for {cover} of the invoice value",
                f"under {contract.incoterm} we insure, but 46A does not call for the insurance "
                "document: the credit looks issued on other terms",
                params={"term": contract.incoterm},
            )
        ]
    if ours is False and required:
        return [
            Finding(
                FindingCode.INSURANCE_NOT_OURS,
                Severity.BLOCKING,
                "46A",
                "insurance policy/certificate required",
                f"{contract.incoterm}: the buyer insures",
                "delete the insurance document from 46A (insurance covered by the buyer)",
                f"under {contract.incoterm} the buyer insures, but the credit asks us for an "
                "insurance document — an extra cost not in the price",
                params={"term": contract.incoterm},
            )
        ]
    if ours and required:
        asked = [int(p) for p in _COVER.findall(_upper(credit.documents_required))]
        if asked and max(asked) != contract.insurance_percent:
            return [
                Finding(
                    FindingCode.INSURANCE_COVER,
                    Severity.WARNING,
                    "46A",
                    f"{max(asked)} % cover",
                    cover,
                    f"amend the insurance cover in 46A to {cover} of the invoice value",
                    "the insured amount differs from the contract's",
                    params={"asked": str(max(asked)), "cover": cover},
                )
            ]
    return []
