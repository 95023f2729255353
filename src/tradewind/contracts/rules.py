"""What a contract needs before it can be signed: every clause present and complete, and the
terms consistent with each other and with the lines.

:func:`check` works on :class:`ContractFacts` — plain data read from a contract, its lines and
clauses — and returns every :class:`Problem` at once, so "Ready to sign" can be refused with the
whole list. No database access here; the payment verdict (credit rules need the database) is
worked out by :mod:`tradewind.contracts.credit` and passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tradewind.contracts.choices import REQUIRED_CLAUSES, ClauseKey, InsuredBy
from tradewind.contracts.clauses import unknown_placeholders

CENT = Decimal("0.01")
SWIFT_RE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
INSURING_TERMS = {"CIF": "ICC (C)", "CIP": "ICC (A)"}
PORT_NAMED = {"FOB", "FAS"}  # the named place is the port of loading
DESTINATION_NAMED = {"CFR", "CIF", "CPT", "CIP"}  # the named place is the destination
MIN_INSURED_PERCENT = Decimal(110)
MAX_MARK_LINES = 4


@dataclass(frozen=True)
class LineFacts:
    position: int
    description: str
    model: str
    specification: str
    quantity: int | None
    unit_price: Decimal | None
    total: Decimal | None


@dataclass(frozen=True)
class ClauseFacts:
    key: str
    title: str
    body: str


@dataclass(frozen=True)
class PaymentVerdict:
    """How the credit rules judge the chosen terms: allowed, refused, needs_approval, approved."""

    status: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    clause: str = ""  # the ClauseKey the problem belongs to
    field: str = ""  # the contract field to fix, when there is one


@dataclass(frozen=True, kw_only=True)
class ContractFacts:
    number: str = ""
    contract_date: dt.date | None = None
    buyer_name: str = ""
    currency: str = "USD"
    total_amount: Decimal | None = None
    incoterm: str = ""
    named_place: str = ""
    port_of_loading: str = ""
    destination_port: str = ""
    latest_shipment_date: dt.date | None = None
    production_lead_time_days: int | None = None
    partial_shipment: str = ""
    transhipment: str = ""
    quantity_tolerance_percent: Decimal = Decimal(0)
    quality_standard: str = ""
    packing: str = ""
    shipping_marks: str = ""
    insured_by: str = ""
    insurance_cover: str = ""
    insurance_percent: Decimal | None = None
    inspection_by: str = ""
    inspection_when: str = ""
    inspection_certificate: str = ""
    claims_period_days: int | None = None
    arbitration_institution: str = ""
    arbitration_seat: str = ""
    governing_law: str = ""
    beneficiary_name: str = ""
    bank_name: str = ""
    bank_address: str = ""
    bank_account: str = ""
    bank_swift: str = ""
    payment_terms: tuple = ()
    payment_terms_text: str = ""
    payment_schedule: tuple = ()
    payment_verdict: PaymentVerdict | None = None
    lines: tuple[LineFacts, ...] = ()
    clauses: tuple[ClauseFacts, ...] = ()
    today: dt.date | None = None
    check_dates: bool = True  # an amendment of a shipped contract may keep a past date

    @classmethod
    def from_contract(cls, contract, *, verdict=None, today=None, **overrides) -> ContractFacts:
        names = [f.name for f in cls.__dataclass_fields__.values()]
        skip = {"payment_terms", "payment_schedule", "payment_verdict", "lines", "clauses", "today",
                "check_dates"}  # fmt: skip
        values = {name: getattr(contract, name) for name in names if name not in skip}
        values["payment_terms"] = tuple(contract.payment_terms or ())
        values["payment_schedule"] = tuple(contract.payment_schedule or ())
        values["lines"] = tuple(
            LineFacts(
                line.position,
                line.description,
                line.model,
                line.specification,
                line.quantity,
                line.unit_price,
                line.total,
            )
            for line in contract.lines.all()
        )
        values["clauses"] = tuple(
            ClauseFacts(clause.key, clause.title, clause.body) for clause in contract.clauses.all()
        )
        return cls(**values, payment_verdict=verdict, today=today, **overrides)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _same_place(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    return bool(x and y) and (x in y or y in x)


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return (unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def check_clauses(facts: ContractFacts) -> list[Problem]:
    problems = []
    present = {clause.key: clause for clause in facts.clauses}
    labels = dict(ClauseKey.choices)
    for key in REQUIRED_CLAUSES:
        clause = present.get(key)
        if clause is None:
            problems.append(
                Problem(
                    "clause_missing",
                    _("The “%(clause)s” clause is missing — add it from the template.")
                    % {"clause": labels[key]},
                    clause=key,
                )
            )
        elif _blank(clause.body):
            problems.append(
                Problem(
                    "clause_empty",
                    _("The “%(clause)s” clause has no wording.") % {"clause": clause.title},
                    clause=key,
                )
            )
    for clause in facts.clauses:
        unknown = unknown_placeholders(clause.body)
        if unknown:
            problems.append(
                Problem(
                    "clause_unknown_placeholder",
                    _(
                        "The “%(clause)s” clause names %(names)s, which is not a contract field "
                        "— correct the name in braces or remove the braces."
                    )
                    % {"clause": clause.title, "names": ", ".join(f"{{{n}}}" for n in unknown)},
                    clause=clause.key,
                )
            )
    return problems


def check_goods(facts: ContractFacts) -> list[Problem]:
    if not facts.lines:
        return [
            Problem("no_lines", _("The contract has no goods — add at least one line."), "goods")
        ]
    problems = []
    lines_sum = Decimal(0)
    for number, line in enumerate(facts.lines, start=1):
        where = {"line": number, "goods": line.description or "—"}
        if _blank(line.description):
            problems.append(
                Problem("line_description", _("Line %(line)s has no description.") % where, "goods")
            )
        if _blank(line.model) and _blank(line.specification):
            problems.append(
                Problem(
                    "line_specification",
                    _("Line %(line)s (%(goods)s) needs a model or a specification.") % where,
                    "goods",
                )
            )
        if not line.quantity or line.quantity < 1:
            problems.append(
                Problem("line_quantity", _("Line %(line)s has no quantity.") % where, "goods")
            )
        if line.unit_price is None or line.unit_price <= 0:
            problems.append(
                Problem("line_price", _("Line %(line)s has no unit price.") % where, "price")
            )
            continue
        if line.unit_price != line.unit_price.quantize(CENT):
            problems.append(
                Problem(
                    "line_price_precision",
                    _("Line %(line)s: the unit price %(price)s has more than 2 decimals.")
                    % (where | {"price": line.unit_price}),
                    "price",
                )
            )
        if line.quantity:
            expected = line_total(line.unit_price, line.quantity)
            if line.total != expected:
                problems.append(
                    Problem(
                        "line_total_mismatch",
                        _(
                            "Line %(line)s: the amount %(total)s is not unit price × quantity "
                            "(%(expected)s)."
                        )
                        % (where | {"total": line.total, "expected": expected}),
                        "price",
                    )
                )
            lines_sum += expected
    if not problems and facts.total_amount != lines_sum:
        problems.append(
            Problem(
                "total_mismatch",
                _("The total %(currency)s %(total)s does not match the lines (%(sum)s).")
                % {"currency": facts.currency, "total": facts.total_amount, "sum": lines_sum},
                "price",
                "total_amount",
            )
        )
    tolerance = facts.quantity_tolerance_percent
    if tolerance is None or tolerance < 0 or tolerance > 10:
        problems.append(
            Problem(
                "tolerance_range",
                _("The quantity tolerance must be between 0 and 10 %."),
                "goods",
                "quantity_tolerance_percent",
            )
        )
    return problems


def _required(facts, names: dict[str, str], clause: str, code: str) -> list[Problem]:
    return [
        Problem(code, message, clause, name)
        for name, message in names.items()
        if _blank(getattr(facts, name))
    ]


def check_parties(facts: ContractFacts) -> list[Problem]:
    problems = _required(
        facts,
        {
            "buyer_name": _("The buyer's name is missing."),
            "beneficiary_name": _("The beneficiary's name is missing."),
            "bank_name": _("The beneficiary's bank is missing."),
            "bank_account": _("The beneficiary's account number is missing."),
            "bank_swift": _("The bank's SWIFT code is missing."),
        },
        "bank",
        "bank_missing",
    )
    swift = (facts.bank_swift or "").strip().upper()
    if swift and not SWIFT_RE.match(swift):
        problems.append(
            Problem(
                "swift_invalid",
                _(
                    "“%(swift)s” is not a SWIFT code: it has 8 or 11 letters and digits, "
                    "e.g. BKCHCNBJ300."
                )
                % {"swift": facts.bank_swift},
                "bank",
                "bank_swift",
            )
        )
    return problems


def check_quality_packing(facts: ContractFacts) -> list[Problem]:
    problems = _required(
        facts,
        {"quality_standard": _("Say which quality standard the goods must meet.")},
        "quality",
        "quality_missing",
    )
    problems += _required(
        facts,
        {
            "packing": _("Describe the packing."),
            "shipping_marks": _("Give the shipping marks (or “N/M” if there are none)."),
        },
        "packing",
        "packing_missing",
    )
    lines = [line for line in (facts.shipping_marks or "").splitlines() if line.strip()]
    if len(lines) > MAX_MARK_LINES:
        problems.append(
            Problem(
                "marks_too_long",
                _("Shipping marks have %(count)s lines; use at most 4 (UN/ECE Rec. 15).")
                % {"count": len(lines)},
                "packing",
                "shipping_marks",
            )
        )
    return problems


def check_shipment(facts: ContractFacts) -> list[Problem]:
    problems = _required(
        facts,
        {
            "latest_shipment_date": _("The latest shipment date is missing."),
            "port_of_loading": _("The port of loading is missing."),
            "destination_port": _("The destination is missing."),
            "partial_shipment": _("Say whether partial shipments are allowed."),
            "transhipment": _("Say whether transhipment is allowed."),
            "named_place": _("The Incoterm's named place is missing."),
        },
        "shipment",
        "shipment_missing",
    )
    latest, start = facts.latest_shipment_date, facts.contract_date
    if latest and facts.check_dates and facts.today and latest < facts.today:
        problems.append(
            Problem(
                "shipment_date_past",
                _("The latest shipment date %(date)s has passed.") % {"date": latest},
                "shipment",
                "latest_shipment_date",
            )
        )
    if latest and start and facts.production_lead_time_days:
        ready = start + dt.timedelta(days=facts.production_lead_time_days)
        if latest < ready:
            problems.append(
                Problem(
                    "shipment_before_production",
                    _(
                        "The latest shipment date %(date)s is before production can finish: "
                        "contract date + %(days)s days = %(ready)s."
                    )
                    % {"date": latest, "days": facts.production_lead_time_days, "ready": ready},
                    "shipment",
                    "latest_shipment_date",
                )
            )
    problems += _named_place_problems(facts)
    return problems


def _named_place_problems(facts: ContractFacts) -> list[Problem]:
    """F-rules name the port of loading, C-rules the destination (Incoterms® 2020)."""
    term, place = facts.incoterm, facts.named_place
    if term in PORT_NAMED:
        port = facts.port_of_loading
        message = _(
            "%(term)s names the port of loading, but the named place is %(place)s "
            "and the port of loading %(port)s."
        )
    elif term in DESTINATION_NAMED:
        port = facts.destination_port
        message = _(
            "%(term)s names the destination, but the named place is %(place)s "
            "and the destination %(port)s."
        )
    else:
        return []
    if not port or not place or _same_place(place, port):
        return []
    values = {"term": term, "place": place, "port": port}
    return [Problem("named_place_mismatch", message % values, "shipment", "named_place")]


def check_insurance(facts: ContractFacts) -> list[Problem]:
    term = facts.incoterm
    problems = []
    if _blank(facts.insured_by):
        if term in INSURING_TERMS:
            message = _("%(term)s needs an insurance clause: the seller insures.") % {"term": term}
        else:
            message = _("Say who insures the goods.")
        return [Problem("insurance_who_missing", message, "insurance", "insured_by")]
    if term in INSURING_TERMS and facts.insured_by != InsuredBy.SELLER:
        problems.append(
            Problem(
                "insurance_seller_required",
                _("Under %(term)s the seller insures the goods, not the buyer.") % {"term": term},
                "insurance",
                "insured_by",
            )
        )
    seller_insures = facts.insured_by == InsuredBy.SELLER
    if seller_insures and _blank(facts.insurance_cover):
        problems.append(
            Problem(
                "insurance_cover_missing",
                _("Say which cover the insurance gives, e.g. %(cover)s.")
                % {"cover": INSURING_TERMS.get(term, "ICC (A)")},
                "insurance",
                "insurance_cover",
            )
        )
    percent = facts.insurance_percent
    if seller_insures and (percent is None or percent < MIN_INSURED_PERCENT):
        problems.append(
            Problem(
                "insurance_amount_low",
                _("Insure at least 110 %% of the invoice value (now %(percent)s %%).")
                % {"percent": percent if percent is not None else "—"},
                "insurance",
                "insurance_percent",
            )
        )
    cover = _norm(facts.insurance_cover)
    if term == "CIP" and seller_insures and cover and "a" not in cover.split():
        problems.append(
            Problem(
                "insurance_cip_cover",
                _("CIP requires the widest cover, Institute Cargo Clauses (A)."),
                "insurance",
                "insurance_cover",
            )
        )
    return problems


def check_payment(facts: ContractFacts) -> list[Problem]:
    if not facts.payment_terms:
        return [
            Problem(
                "payment_missing",
                _("Choose the payment terms — the schedule is built from them."),
                "payment",
                "payment_terms",
            )
        ]
    problems = []
    scheduled = sum((Decimal(str(row["amount"])) for row in facts.payment_schedule), Decimal(0))
    if not facts.payment_schedule or scheduled != facts.total_amount:
        problems.append(
            Problem(
                "schedule_mismatch",
                _(
                    "The payment schedule adds up to %(scheduled)s, not the total %(total)s "
                    "— choose the payment terms again to rebuild it."
                )
                % {"scheduled": scheduled, "total": facts.total_amount},
                "payment",
                "payment_terms",
            )
        )
    verdict = facts.payment_verdict
    if verdict is not None and verdict.status == "refused":
        problems.append(
            Problem(
                "payment_refused",
                _("These payment terms are refused for this buyer: %(reasons)s.")
                % {"reasons": "; ".join(verdict.reasons)},
                "payment",
                "payment_terms",
            )
        )
    elif verdict is not None and verdict.status == "needs_approval":
        problems.append(
            Problem(
                "payment_needs_approval",
                _(
                    "D/A or O/A beyond the credit-insurance limit needs a manager's approval: "
                    "%(reasons)s."
                )
                % {"reasons": "; ".join(verdict.reasons)},
                "payment",
                "payment_terms",
            )
        )
    return problems


def check_inspection_claims_disputes(facts: ContractFacts) -> list[Problem]:
    problems = _required(
        facts,
        {
            "inspection_by": _("Say who inspects the goods."),
            "inspection_when": _("Say when the goods are inspected."),
            "inspection_certificate": _("Say which inspection certificate is issued."),
        },
        "inspection",
        "inspection_missing",
    )
    if not facts.claims_period_days:
        problems.append(
            Problem(
                "claims_missing",
                _("Give the claims period in days after arrival."),
                "claims",
                "claims_period_days",
            )
        )
    problems += _required(
        facts,
        {
            "arbitration_institution": _("Name the arbitration institution."),
            "arbitration_seat": _("Name the seat of arbitration."),
            "governing_law": _("Name the governing law."),
        },
        "disputes",
        "disputes_missing",
    )
    return problems


CHECKS = (
    check_clauses,
    check_goods,
    check_quality_packing,
    check_shipment,
    check_insurance,
    check_payment,
    check_inspection_claims_disputes,
    check_parties,
)


def check(facts: ContractFacts) -> list[Problem]:
    """Every problem that stops the contract from being signed, in clause order."""
    problems: list[Problem] = []
    for rule in CHECKS:
        problems.extend(rule(facts))
    return problems


@dataclass
class ChecklistRow:
    key: str
    label: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def checklist(problems: list[Problem]) -> list[ChecklistRow]:
    """One row per required clause, with its problems (the contract page's checklist)."""
    rows = {key: ChecklistRow(key, label) for key, label in ClauseKey.choices if key != "custom"}
    for problem in problems:
        rows.get(problem.clause, rows["goods"]).problems.append(problem)
    return list(rows.values())
