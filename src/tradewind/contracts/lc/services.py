"""Writes of the L/C desk: record a credit, edit it, check it against the contract, accept
discrepancies, record and decide amendments, close it.

Each service is atomic, takes ``actor=``, reaches the credit through the visibility rule (another
rep's credit does not exist for them), and records one audit event on the customer's history.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.contracts.lc import review
from tradewind.contracts.lc.choices import AmendmentStatus, LcStatus, Severity
from tradewind.contracts.lc.models import (
    NARRATIVE_MAX_CHARS,
    TERM_FIELDS,
    LcAmendment,
    LcCheck,
    LcDiscrepancy,
    LetterOfCredit,
)
from tradewind.contracts.models import Contract
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.trade.calendars import normalise_country
from tradewind.trade.errors import TradeError
from tradewind.trade.lc_review import review_credit
from tradewind.trade.money import normalise_currency
from tradewind.trade.mt700 import MAX_TEXT_CHARS

EXTRA_FIELDS = ("received_on", "on_board_date", "raw_mt700")
AUDIT_FIELDS = ("handler", *EXTRA_FIELDS, *TERM_FIELDS)
NARRATIVES = ("goods_description", "documents_required", "additional_conditions")
ONE_LINE_LIMITS = {"applicant": 400, "beneficiary": 400}
REASON_MAX_CHARS = 500
# Where the trade core's field names differ from the form's.
CORE_FIELDS = {"amount_tolerance_percent": "tolerance_plus_percent"}


class LcClosed(DomainError):
    code = "lc_closed"


# --- reads for writes --------------------------------------------------------------------------


def visible_lc(actor, lc_id, *, lock: bool = False) -> LetterOfCredit:
    """The credit for a write (locked when asked); another rep's credit does not exist."""
    query = LetterOfCredit.objects.visible_to(actor).filter(pk=lc_id)
    if lock:
        query = query.select_for_update(of=("self",))
    lc = query.select_related("contract").first()
    if lc is None:
        raise NotFound(_("No such letter of credit."))
    return lc


def _visible_contract(actor, contract_id) -> Contract:
    contract = Contract.objects.visible_to(actor).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("No such contract."), field="contract")
    return contract


def _require_open(lc: LetterOfCredit) -> None:
    if not lc.is_open:
        raise LcClosed(
            _("This letter of credit is closed. Reopen it to change it."), field="status"
        )


def _check_handler(actor, handler) -> None:
    if handler is None:
        raise DomainError(_("Choose who handles this letter of credit."), field="handler")
    if handler == actor:
        return
    if not User.objects.filter(visible_users_q(actor), pk=handler.pk).exists():
        raise PermissionDenied(
            _("You can only give letters of credit to members of your own team."),
            field="handler",
        )


# --- validation --------------------------------------------------------------------------------


def _clean_texts(lc: LetterOfCredit) -> None:
    for name in (*TERM_FIELDS, "raw_mt700"):
        value = getattr(lc, name)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise DomainError(_("This text holds a NUL character; paste plain text."), field=name)
        if name in NARRATIVES or name == "raw_mt700":
            value = "\n".join(line.rstrip() for line in value.strip().splitlines())
        else:
            value = " ".join(value.split()) if name not in ONE_LINE_LIMITS else value.strip()
        setattr(lc, name, value)
    for name in NARRATIVES:
        if len(getattr(lc, name)) > NARRATIVE_MAX_CHARS:
            raise DomainError(
                _("At most %(limit)s characters (SWIFT's own limit); this has %(count)s.")
                % {"limit": f"{NARRATIVE_MAX_CHARS:,}", "count": f"{len(getattr(lc, name)):,}"},
                field=name,
            )
    for name, limit in ONE_LINE_LIMITS.items():
        if len(getattr(lc, name)) > limit:
            raise DomainError(_("At most %(limit)s characters.") % {"limit": limit}, field=name)
    if len(lc.raw_mt700) > MAX_TEXT_CHARS:
        raise DomainError(
            _("The MT700 text is longer than %(limit)s characters; keep only the credit.")
            % {"limit": f"{MAX_TEXT_CHARS:,}"},
            field="raw_mt700",
        )


def _prepare(lc: LetterOfCredit) -> None:
    """Normalise and validate the terms; errors name the field at fault."""
    _clean_texts(lc)
    try:
        lc.currency = normalise_currency(lc.currency or "", field="currency")
        lc.expiry_country = normalise_country(lc.expiry_country or "", field="expiry_country")
    except TradeError as exc:
        if exc.field == "currency":
            message = _("“%(value)s” is not a currency code (e.g. USD, EUR).")
        else:
            message = _("“%(value)s” is not a two-letter country code (e.g. CN, DE).")
        raise DomainError(message % {"value": getattr(lc, exc.field)}, field=exc.field) from exc
    try:
        # Also turns typed values ("48600", "2026-03-09") into Decimals and dates.
        lc.full_clean(exclude=["contract", "handler", "created_by"], validate_unique=False)
    except ValidationError as exc:
        raise _as_domain(exc) from exc
    if lc.on_board_date and lc.issue_date and lc.on_board_date < lc.issue_date:
        raise DomainError(
            _("The goods cannot be on board before the credit was issued."), field="on_board_date"
        )
    try:
        review.credit_terms_of(lc).core()
    except TradeError as exc:
        field = CORE_FIELDS.get(exc.field or "", exc.field)
        raise DomainError(_core_message(exc), field=field) from exc


def _core_message(exc: TradeError) -> str:
    if exc.field == "expiry_date":
        return _("The expiry date is before the date of issue.")
    if exc.field == "latest_shipment_date":
        return _("The latest shipment date is before the date of issue.")
    return exc.message


def _as_domain(exc: ValidationError) -> DomainError:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    field, messages = next(iter(errors.items()))
    return DomainError(messages[0], field=None if field == "__all__" else field)


def _check_number_free(contract: Contract, number: str, *, exclude_id=None) -> None:
    taken = LetterOfCredit.objects.filter(contract=contract, number__iexact=number)
    if exclude_id:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise DomainError(
            _("L/C %(number)s is already recorded on this contract — open it instead.")
            % {"number": number},
            field="number",
            code="duplicate",
        )


def _audit(actor, action: str, lc: LetterOfCredit, changes: dict | None = None) -> None:
    audit_record(
        actor=actor, action=action, instance=lc, changes=changes, company_id=lc.contract.company_id
    )


# --- record and edit ---------------------------------------------------------------------------


@transaction.atomic
def lc_create(*, actor, contract_id: int, handler=None, **fields) -> LetterOfCredit:
    """Record a credit received under a contract the actor can see."""
    unknown = set(fields) - set(TERM_FIELDS) - set(EXTRA_FIELDS)
    if unknown:
        raise DomainError(f"Unknown L/C fields: {', '.join(sorted(unknown))}")
    contract = _visible_contract(actor, contract_id)
    if contract.status == "cancelled":
        raise DomainError(
            _("Contract %(number)s is cancelled; a letter of credit cannot be recorded on it.")
            % {"number": contract.number},
            field="contract",
        )
    handler = handler or actor
    _check_handler(actor, handler)
    fields.setdefault("received_on", timezone.localdate())
    lc = LetterOfCredit(contract=contract, handler=handler, created_by=actor, **fields)
    _prepare(lc)
    _check_number_free(contract, lc.number)
    try:
        with transaction.atomic():
            lc.save()
    except IntegrityError as exc:
        raise DomainError(
            _("L/C %(number)s is already recorded on this contract — open it instead.")
            % {"number": lc.number},
            field="number",
            code="duplicate",
        ) from exc
    _audit(actor, "create", lc, snapshot(lc, AUDIT_FIELDS) | {"contract": contract.number})
    return lc


@transaction.atomic
def lc_update(*, actor, lc_id: int, **fields) -> LetterOfCredit:
    """Correct the recorded terms (a typo, a field left out). A real change of the credit's
    terms comes as an amendment instead. Changing a term makes the last check outdated."""
    unknown = set(fields) - set(TERM_FIELDS) - set(EXTRA_FIELDS) - {"handler"}
    if unknown:
        raise DomainError(f"Unknown L/C fields: {', '.join(sorted(unknown))}")
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    before = snapshot(lc, AUDIT_FIELDS)
    if "handler" in fields:
        _check_handler(actor, fields["handler"])
    for name, value in fields.items():
        setattr(lc, name, value)
    _prepare(lc)
    _check_number_free(lc.contract, lc.number, exclude_id=lc.pk)
    changes = diff(before, snapshot(lc, AUDIT_FIELDS))
    if not changes:
        return lc
    if set(changes) & set(TERM_FIELDS):
        lc.terms_version += 1
    lc.save()
    _audit(actor, "update", lc, changes)
    return lc


@transaction.atomic
def lc_close(*, actor, lc_id: int, reason: str) -> LetterOfCredit:
    """Close the credit (paid, cancelled, lapsed unused): no more reminders, read-only."""
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    reason = _reason(reason, field="closed_reason")
    lc.status, lc.closed_reason, lc.closed_at = LcStatus.CLOSED, reason, timezone.now()
    lc.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    _audit(actor, "close", lc, {"reason": reason})
    return lc


@transaction.atomic
def lc_reopen(*, actor, lc_id: int) -> LetterOfCredit:
    lc = visible_lc(actor, lc_id, lock=True)
    if lc.is_open:
        return lc
    lc.status, lc.closed_reason, lc.closed_at = LcStatus.OPEN, "", None
    lc.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    _audit(actor, "reopen", lc)
    return lc


def _reason(text: str, *, field: str = "reason") -> str:
    reason = " ".join((text or "").split())
    if len(reason) < 5:
        raise DomainError(_("Give a reason of a few words."), field=field)
    if len(reason) > REASON_MAX_CHARS:
        raise DomainError(
            _("At most %(limit)s characters.") % {"limit": REASON_MAX_CHARS}, field=field
        )
    return reason


# --- check -------------------------------------------------------------------------------------


def _previous_acceptances(lc: LetterOfCredit) -> dict[tuple, LcDiscrepancy]:
    previous = lc.checks.order_by("-checked_at", "-id").first()
    if previous is None:
        return {}
    return {
        (d.code, d.tag, d.lc_says, d.contract_says): d
        for d in previous.discrepancies.filter(accepted_at__isnull=False)
    }


@transaction.atomic
def lc_check(*, actor, lc_id: int, today: dt.date | None = None) -> LcCheck:
    """Check the credit's current terms against the contract; record every discrepancy.

    A discrepancy accepted in the previous check and found again unchanged stays accepted."""
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    contract = Contract.objects.get(pk=lc.contract_id)
    today = today or timezone.localdate()
    findings = review_credit(
        review.credit_terms_of(lc),
        review.contract_terms_of(contract),
        today=today,
        transit_buffer_days=review.transit_buffer_days(),
    )
    kept = _previous_acceptances(lc)
    check = LcCheck.objects.create(
        lc=lc,
        terms_version=lc.terms_version,
        contract_version=contract.version,
        checked_on=today,
        checked_by=actor,
        blocking_count=sum(1 for f in findings if f.is_blocking),
        warning_count=sum(1 for f in findings if not f.is_blocking),
    )
    rows = []
    for position, finding in enumerate(findings):
        row = LcDiscrepancy(
            lc_check=check,
            position=position,
            code=finding.code.value,
            severity=finding.severity.value,
            tag=finding.tag,
            lc_says=finding.lc_says,
            contract_says=finding.contract_says,
            ask_for=finding.ask_for,
            message=finding.message,
            params=dict(finding.params),
        )
        earlier = kept.get((row.code, row.tag, row.lc_says, row.contract_says))
        if earlier is not None:
            row.accepted_at, row.accepted_by_id = earlier.accepted_at, earlier.accepted_by_id
            row.acceptance_reason = earlier.acceptance_reason
        rows.append(row)
    LcDiscrepancy.objects.bulk_create(rows)
    _audit(
        actor,
        "check",
        lc,
        {"blocking": check.blocking_count, "warnings": check.warning_count},
    )
    return check


@transaction.atomic
def discrepancies_accept(
    *, actor, lc_id: int, reason: str, discrepancy_ids: list[int] | None = None
) -> int:
    """Accept discrepancies of the latest check with a reason (all still open when no ids are
    given); returns how many were accepted."""
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    reason = _reason(reason)
    check = lc.checks.order_by("-checked_at", "-id").first()
    if check is None:
        raise DomainError(_("Check the letter of credit first."), field="discrepancies")
    if check.terms_version != lc.terms_version or check.contract_version != lc.contract.version:
        raise DomainError(
            _("The credit or the contract changed since the last check — check it again first."),
            field="discrepancies",
        )
    open_ones = check.discrepancies.filter(accepted_at__isnull=True)
    if discrepancy_ids is not None:
        wanted = {int(i) for i in discrepancy_ids}
        if not wanted:
            raise DomainError(_("Tick the discrepancies to accept."), field="discrepancies")
        open_ones = open_ones.filter(pk__in=wanted)
        if open_ones.count() != len(wanted):
            raise DomainError(
                _("Some of these discrepancies are not open in the latest check; reload the page."),
                field="discrepancies",
            )
    rows = list(open_ones)
    if not rows:
        raise DomainError(_("Nothing left to accept."), field="discrepancies")
    now = timezone.now()
    LcDiscrepancy.objects.filter(pk__in=[r.pk for r in rows]).update(
        accepted_at=now, accepted_by=actor, acceptance_reason=reason
    )
    _audit(
        actor,
        "accept_discrepancies",
        lc,
        {"reason": reason, "accepted": [f"{r.tag}: {r.message}" for r in rows]},
    )
    return len(rows)


# --- amendments --------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A term as JSON: dates ISO, Decimals without trailing zeros, the rest as is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(review.plain_percent(value), "f")
    return value


def _term_value(name: str, value: Any) -> Any:
    field = LetterOfCredit._meta.get_field(name)
    return field.to_python(value)


def amendment_changes(lc: LetterOfCredit, new_terms: dict) -> list[dict]:
    """``[{"field", "old", "new"}, …]`` for each term ``new_terms`` changes."""
    changes = []
    for name in TERM_FIELDS:
        if name not in new_terms:
            continue
        old, new = plain(getattr(lc, name)), plain(_term_value(name, new_terms[name]))
        if isinstance(new, str):
            new = new.strip()
        if (old or None) != (new or None):
            changes.append({"field": name, "old": old, "new": new})
    return changes


def _apply(lc: LetterOfCredit, changes: list[dict]) -> None:
    for change in changes:
        value = change["new"]
        field = LetterOfCredit._meta.get_field(change["field"])
        if value in (None, "") and field.null:
            value = None
        elif value is None:
            value = ""
        setattr(lc, change["field"], _term_value(change["field"], value))


@transaction.atomic
def amendment_create(
    *,
    actor,
    lc_id: int,
    amendment_number: int | None = None,
    amendment_date: dt.date | None = None,
    raw_text: str = "",
    **new_terms,
) -> LcAmendment:
    """Record an amendment (MT707) as received; it changes nothing until we accept it."""
    unknown = set(new_terms) - set(TERM_FIELDS)
    if unknown:
        raise DomainError(f"Unknown L/C fields: {', '.join(sorted(unknown))}")
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    if len(raw_text or "") > MAX_TEXT_CHARS:
        raise DomainError(
            _("The MT707 text is longer than %(limit)s characters.")
            % {"limit": f"{MAX_TEXT_CHARS:,}"},
            field="raw_text",
        )
    number = amendment_number
    if number is None:
        number = (lc.amendments.aggregate(top=Max("number"))["top"] or 0) + 1
    elif number < 1 or number > 999:
        raise DomainError(_("Amendment numbers run from 1 to 999."), field="amendment_number")
    if lc.amendments.filter(number=number).exists():
        raise DomainError(
            _("Amendment %(number)s is already recorded for this credit.") % {"number": number},
            field="amendment_number",
            code="duplicate",
        )
    try:
        changes = amendment_changes(lc, new_terms)
    except ValidationError as exc:
        raise _as_domain(exc) from exc
    if not changes:
        raise DomainError(
            _("The amendment changes nothing — change at least one term."), field="__all__"
        )
    probe = LetterOfCredit.objects.get(pk=lc.pk)
    _apply(probe, changes)
    _prepare(probe)  # refuse an amendment that would make the terms impossible
    amendment = LcAmendment.objects.create(
        lc=lc,
        number=number,
        amendment_date=amendment_date,
        changes=changes,
        raw_text=(raw_text or "").strip(),
        created_by=actor,
    )
    _audit(actor, "amendment", lc, {"amendment": number, "fields": [c["field"] for c in changes]})
    return amendment


@transaction.atomic
def amendment_decide(
    *, actor, lc_id: int, amendment_id: int, accept: bool, note: str = ""
) -> LcAmendment:
    """Accept (the terms change, the last check becomes outdated) or reject an amendment."""
    lc = visible_lc(actor, lc_id, lock=True)
    _require_open(lc)
    amendment = lc.amendments.select_for_update().filter(pk=amendment_id).first()
    if amendment is None:
        raise NotFound(_("No such amendment."), field="amendment")
    if amendment.status != AmendmentStatus.PENDING:
        raise DomainError(
            _("Amendment %(number)s was already %(decision)s.")
            % {"number": amendment.number, "decision": amendment.get_status_display().lower()},
            field="amendment",
        )
    note = " ".join((note or "").split())
    if len(note) > REASON_MAX_CHARS:
        raise DomainError(_("At most %(limit)s characters.") % {"limit": REASON_MAX_CHARS},
                          field="note")  # fmt: skip
    if accept:
        before = snapshot(lc, TERM_FIELDS)
        _apply(lc, amendment.changes)
        _prepare(lc)
        lc.terms_version += 1
        lc.save()
        changes = diff(before, snapshot(lc, TERM_FIELDS))
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.decided_by, amendment.decided_at = actor, timezone.now()
    amendment.decision_note = note
    amendment.save()
    action = "accept_amendment" if accept else "reject_amendment"
    _audit(actor, action, lc, (changes if accept else {}) | {"amendment": amendment.number})
    return amendment


def blocking_open(check: LcCheck) -> int:
    return check.discrepancies.filter(severity=Severity.BLOCKING, accepted_at__isnull=True).count()
