"""Writes to contracts: create from an accepted quotation, edit terms, lines and clauses, and the
signing lifecycle (draft → ready → sent → signed → amended …).

Every service is atomic, takes ``actor=``, finds the contract through the visibility rule (another
rep's contract does not exist for them), records an audit event, and refuses a status change the
transition table does not allow. Edits are optimistic: the caller passes the ``lock_version`` its
form was loaded with and the UPDATE only matches that version, so of two people saving at once the
second is told (:class:`StaleContract`) instead of overwriting the first.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tradewind.contracts import rules, versions
from tradewind.contracts.choices import (
    EDITABLE_STATUSES,
    STATUS_TRANSITIONS,
    ContractStatus,
    VersionStatus,
)
from tradewind.contracts.credit import contract_verdict
from tradewind.contracts.models import (
    Contract,
    ContractLine,
    ContractVersion,
)
from tradewind.contracts.schedule import rebuild_schedule, sync_deposits
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent

CENT = Decimal("0.01")
MAX_PDF_BYTES = 20 * 1024 * 1024

# Fields a user may change on a contract that is being drafted or amended.
EDITABLE_FIELDS = (
    "contact",
    "contract_date",
    "buyer_reference",
    "buyer_name",
    "buyer_address",
    "incoterm",
    "named_place",
    "port_of_loading",
    "destination_port",
    "latest_shipment_date",
    "production_lead_time_days",
    "partial_shipment",
    "transhipment",
    "quantity_tolerance_percent",
    "quality_standard",
    "packing",
    "shipping_marks",
    "insured_by",
    "insurance_cover",
    "insurance_percent",
    "inspection_by",
    "inspection_when",
    "inspection_certificate",
    "claims_period_days",
    "arbitration_institution",
    "arbitration_seat",
    "governing_law",
    "beneficiary_name",
    "bank_name",
    "bank_address",
    "bank_account",
    "bank_swift",
    "bilingual_pdf",
    "remarks",
)
LINE_EDIT_FIELDS = ("model", "description", "description_zh", "specification", "hs_code",
                    "quantity", "unit", "unit_price")  # fmt: skip
# Changing these changes the payment schedule's amounts or dates.
SCHEDULE_FIELDS = {"contract_date", "latest_shipment_date"}


class StaleContract(DomainError):
    """Someone else saved the contract after this form was loaded."""

    code = "conflict"

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


class NotReady(DomainError):
    """The contract cannot be signed yet; ``problems`` lists everything to fix."""

    code = "not_ready"

    def __init__(self, problems: list[rules.Problem]):
        lines = "; ".join(problem.message for problem in problems)
        super().__init__(_("Not ready to sign: %(problems)s") % {"problems": lines})
        self.problems = problems


# Reads -----------------------------------------------------------------------------------------


def visible_contract(actor, contract_id, *, lock: bool = False) -> Contract:
    queryset = Contract.objects.visible_to(actor).select_related("company", "owner")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    contract = queryset.filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("No such contract."))
    return contract


def _audit(actor, action: str, instance, changes=None, *, contract: Contract) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes or {},
        company_id=contract.company_id,
    )


def _move(contract: Contract, status: str) -> None:
    if status not in STATUS_TRANSITIONS[contract.status]:
        raise DomainError(
            _("A contract that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": contract.get_status_display(),
                "next": ContractStatus(status).label,
            },
            field="status",
            code="invalid_transition",
        )
    contract.status = status


def _require_editable(contract: Contract) -> None:
    if contract.status in EDITABLE_STATUSES:
        return
    if contract.status in (ContractStatus.SIGNED,):
        message = _("%(number)s is signed: change it with an amendment.")
    elif contract.status == ContractStatus.CANCELLED:
        message = _("%(number)s is cancelled and cannot be changed.")
    else:
        message = _(
            "%(number)s is waiting for signature: take it back to draft before changing it."
        )
    raise DomainError(message % {"number": contract.number}, code="locked")


def _last_saver(contract: Contract) -> str:
    event = (
        AuditEvent.objects.filter(object_type="contracts.contract", object_id=contract.pk)
        .select_related("actor")
        .first()
    )
    if event is None or event.actor is None:
        return _("Someone else saved this contract while you were editing.")
    moment = formats.date_format(timezone.localtime(event.created_at), "H:i")
    return _("%(who)s saved this contract at %(time)s while you were editing.") % {
        "who": event.actor,
        "time": moment,
    }


def save_guarded(contract: Contract, expected: int, fields) -> None:
    """``UPDATE … SET fields, lock_version + 1 WHERE pk AND lock_version = expected``."""
    values = {name: getattr(contract, name) for name in fields}
    updated = Contract.objects.filter(pk=contract.pk, lock_version=expected).update(
        **values, lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Contract.objects.filter(pk=contract.pk).values_list("lock_version", flat=True)
        raise StaleContract(
            _last_saver(contract)
            + " "
            + _("Your changes are below and were not saved: check them and save again."),
            current_version=current.first() or 0,
        )
    contract.lock_version = expected + 1


def _expected(lock_version) -> int:
    try:
        return int(lock_version)
    except (TypeError, ValueError):
        raise DomainError(
            _("The form is missing its version number — reload the page."), field="lock_version"
        ) from None


# Edit ------------------------------------------------------------------------------------------


def _clean(contract: Contract, fields) -> None:
    exclude = [f.name for f in Contract._meta.fields if f.name not in fields]
    try:
        contract.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise exc


@transaction.atomic
def contract_update(*, actor, contract_id: int, lock_version, **changes) -> Contract:
    """Change the terms of a draft or an amendment; ``lock_version`` is the form's version."""
    contract = visible_contract(actor, contract_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    if changes.get("contact") is not None and changes["contact"].company_id != contract.company_id:
        raise DomainError(_("That contact works for another company."), field="contact")
    before = snapshot(contract, changes)
    for name, value in changes.items():
        if isinstance(value, str) and name not in ("shipping_marks",):
            value = value.strip()
        setattr(contract, name, value)
    contract.bank_swift = (contract.bank_swift or "").replace(" ", "").upper()
    _clean(contract, changes)
    fields = [*changes, "bank_swift"]
    if SCHEDULE_FIELDS & set(changes) and contract.payment_terms:
        rebuild_schedule(contract, code=contract.payment_terms_code)
        fields += ["payment_schedule", "deposit_amount", "deposit_due_date"]
    save_guarded(contract, expected, fields)
    changed = versions_diff = diff(before, snapshot(contract, changes))
    if versions_diff:
        _audit(actor, "update", contract, changed, contract=contract)
    return contract


def _contract_of_line(actor, line_id) -> tuple[ContractLine, Contract]:
    line = ContractLine.objects.visible_to(actor).filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("No such contract line."))
    return line, visible_contract(actor, line.contract_id)


@transaction.atomic
def line_update(*, actor, line_id: int, lock_version, **changes) -> ContractLine:
    """Change one line; its amount and the contract total (and schedule) follow."""
    line, contract = _contract_of_line(actor, line_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    unknown = set(changes) - set(LINE_EDIT_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    before = snapshot(line, changes)
    for name, value in changes.items():
        setattr(line, name, value.strip() if isinstance(value, str) else value)
    if line.unit_price is None or line.unit_price <= 0:
        raise DomainError(_("Give a unit price above zero."), field="unit_price")
    if line.unit_price != line.unit_price.quantize(CENT):
        raise DomainError(
            _("Round the unit price to 2 decimals (half-up), e.g. %(price)s.")
            % {"price": line.unit_price.quantize(CENT, rounding=ROUND_HALF_UP)},
            field="unit_price",
        )
    line.total = rules.line_total(line.unit_price, line.quantity or 0)
    line.full_clean(exclude=["contract", "quotation_line", "product"])
    line.save()
    contract.total_amount = sum(
        (row.total for row in ContractLine.objects.filter(contract=contract)), Decimal(0)
    )
    fields = ["total_amount"]
    if contract.payment_terms:
        rebuild_schedule(contract, code=contract.payment_terms_code)
        fields += ["payment_schedule", "deposit_amount", "deposit_due_date"]
    save_guarded(contract, expected, fields)
    changes_made = diff(before, snapshot(line, changes))
    if changes_made:
        _audit(actor, "update", line, changes_made, contract=contract)
    return line


# Lifecycle -------------------------------------------------------------------------------------


def readiness(contract: Contract, *, today=None) -> list[rules.Problem]:
    """Everything that stops ``contract`` from being signed (empty: ready)."""
    today = today or timezone.localdate()
    facts = rules.ContractFacts.from_contract(
        contract,
        verdict=contract_verdict(contract, today=today),
        today=today,
        check_dates=contract.version == 1,
    )
    return rules.check(facts)


@transaction.atomic
def contract_mark_ready(*, actor, contract_id: int) -> Contract:
    """ "Ready to sign": refused with the full list of what is missing or inconsistent."""
    contract = visible_contract(actor, contract_id, lock=True)
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.AMENDING):
        _move(contract, ContractStatus.READY)
    problems = readiness(contract)
    if problems:
        raise NotReady(problems)
    _move(contract, ContractStatus.READY)
    contract.ready_at = timezone.now()
    save_guarded(contract, contract.lock_version, ["status", "ready_at"])
    _audit(actor, "ready", contract, contract=contract)
    return contract


@transaction.atomic
def contract_reopen(*, actor, contract_id: int) -> Contract:
    """Take a contract waiting for signature back to drafting, to change it."""
    contract = visible_contract(actor, contract_id, lock=True)
    target = ContractStatus.DRAFT if contract.version == 1 else ContractStatus.AMENDING
    _move(contract, target)
    save_guarded(contract, contract.lock_version, ["status"])
    _audit(actor, "reopen", contract, contract=contract)
    return contract


@transaction.atomic
def contract_send(*, actor, contract_id: int) -> Contract:
    """Mark the contract as sent to the buyer for signature (checked again first)."""
    contract = visible_contract(actor, contract_id, lock=True)
    _move(contract, ContractStatus.SENT)
    problems = readiness(contract)
    if problems:
        raise NotReady(problems)
    contract.sent_at = timezone.now()
    save_guarded(contract, contract.lock_version, ["status", "sent_at"])
    _audit(actor, "send", contract, contract=contract)
    return contract


def _check_pdf(upload) -> tuple[bytes, str]:
    if upload is None:
        raise DomainError(_("Upload the countersigned contract as a PDF."), field="file")
    size = getattr(upload, "size", None) or 0
    if size > MAX_PDF_BYTES:
        raise DomainError(
            _("The file is %(size)s MB; the limit is 20 MB — scan at a lower resolution.")
            % {"size": round(size / 1024 / 1024, 1)},
            field="file",
        )
    upload.seek(0)
    content = upload.read(MAX_PDF_BYTES + 1)
    if len(content) > MAX_PDF_BYTES:
        raise DomainError(_("The file is larger than 20 MB."), field="file")
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if not content.startswith(b"%PDF-"):
        raise DomainError(
            _("That file is not a PDF. Scan or save the signed contract as a PDF and upload it."),
            field="file",
        )
    return content, hashlib.sha256(content).hexdigest()


@transaction.atomic
def contract_sign(*, actor, contract_id: int, file) -> ContractVersion:
    """Record the buyer's countersignature: the PDF is kept with this version, whose terms are
    frozen; deposits due under the schedule are set up."""
    contract = visible_contract(actor, contract_id, lock=True)
    _move(contract, ContractStatus.SIGNED)
    content, digest = _check_pdf(file)
    version = contract.versions.filter(number=contract.version).first() or ContractVersion(
        contract=contract, number=contract.version, created_by=actor
    )
    version.snapshot = versions.snapshot(contract)
    previous = contract.versions.filter(number=contract.version - 1).first()
    version.changes = versions.differences(previous.snapshot, version.snapshot) if previous else []
    version.status = VersionStatus.SIGNED
    version.signed_at = timezone.now()
    version.signed_recorded_by = actor
    version.countersigned_sha256 = digest
    from django.core.files.base import ContentFile

    version.countersigned_pdf.save(f"v{version.number}.pdf", ContentFile(content), save=False)
    version.save()
    contract.signed_at = version.signed_at
    save_guarded(contract, contract.lock_version, ["status", "signed_at"])
    sync_deposits(contract, actor=actor)
    _audit(
        actor,
        "sign",
        contract,
        {"version": version.number, "changes": [row["label"] for row in version.changes]},
        contract=contract,
    )
    return version


@transaction.atomic
def contract_amend(*, actor, contract_id: int, reason: str) -> ContractVersion:
    """Open an amendment of a signed contract: a new version to change, send and sign again."""
    contract = visible_contract(actor, contract_id, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the contract is amended."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("Keep the reason under 2,000 characters."), field="reason")
    _move(contract, ContractStatus.AMENDING)
    contract.version += 1
    save_guarded(contract, contract.lock_version, ["status", "version"])
    version = ContractVersion.objects.create(
        contract=contract, number=contract.version, reason=reason, created_by=actor
    )
    _audit(
        actor, "amend", contract, {"version": version.number, "reason": reason}, contract=contract
    )
    return version


@transaction.atomic
def contract_cancel(*, actor, contract_id: int, reason: str = "") -> Contract:
    contract = visible_contract(actor, contract_id, lock=True)
    if contract.version > 1 and contract.status != ContractStatus.SIGNED:
        raise DomainError(
            _("An amendment cannot be cancelled; finish it or take it back to draft.")
        )
    _move(contract, ContractStatus.CANCELLED)
    contract.cancelled_at = timezone.now()
    save_guarded(contract, contract.lock_version, ["status", "cancelled_at"])
    _audit(actor, "cancel", contract, {"reason": reason.strip()[:300]}, contract=contract)
    return contract


def pending_amendment_changes(contract: Contract) -> list[dict]:
    """What the amendment in progress changes against the last signed version."""
    if contract.version == 1:
        return []
    previous = contract.versions.filter(number=contract.version - 1).first()
    if previous is None or not previous.snapshot:
        return []
    return versions.differences(previous.snapshot, versions.snapshot(contract))


# Creation and clause edits live in their own modules (creation.py, clause_services.py); their
# services are reachable from here as well, so callers have one place to look.
from tradewind.contracts.clause_services import (  # noqa: E402, F401
    check_clause_text,
    clause_add,
    clause_delete,
    clause_reset,
    clause_update,
)
from tradewind.contracts.creation import (  # noqa: E402, F401
    contract_create_from_quotation,
    ensure_clause_templates,
)
