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

from tradewind.contracts import clauses as clause_text
from tradewind.contracts import rules, versions
from tradewind.contracts.choices import (
    EDITABLE_STATUSES,
    STATUS_TRANSITIONS,
    ClauseKey,
    ContractKind,
    ContractStatus,
    InsuredBy,
    VersionStatus,
)
from tradewind.contracts.credit import contract_verdict
from tradewind.contracts.models import (
    Clause,
    ClauseTemplate,
    Contract,
    ContractLine,
    ContractVersion,
)
from tradewind.contracts.schedule import rebuild_schedule, sync_deposits
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent, CompanyProfile
from tradewind.core.numbering import next_number
from tradewind.quotes.choices import QuotationStatus
from tradewind.quotes.models import Quotation

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


# Create ----------------------------------------------------------------------------------------


def ensure_clause_templates() -> list[ClauseTemplate]:
    """The company-wide templates; the standard set is created the first time it is needed."""
    templates = list(ClauseTemplate.objects.filter(is_active=True))
    if not ClauseTemplate.objects.exists():
        for position, (key, title, body, body_zh, defaults) in enumerate(
            clause_text.DEFAULT_TEMPLATES
        ):
            templates.append(
                ClauseTemplate.objects.create(
                    key=key,
                    title=title,
                    body=body,
                    body_zh=body_zh,
                    defaults=defaults,
                    position=(position + 1) * 10,
                )
            )
    return templates


def _accepted_quotation(actor, quotation_id) -> Quotation:
    quotation = (
        Quotation.objects.visible_to(actor)
        .select_related("company", "accepted_revision", "contact")
        .filter(pk=quotation_id)
        .first()
    )
    if quotation is None:
        raise NotFound(_("No such quotation."))
    if quotation.status != QuotationStatus.ACCEPTED or quotation.accepted_revision is None:
        raise DomainError(
            _(
                "%(number)s is not accepted yet: only an accepted quotation revision can become "
                "a contract."
            )
            % {"number": quotation.number},
            code="not_accepted",
        )
    return quotation


def _check_no_duplicate(quotation: Quotation, kind: str) -> None:
    existing = (
        Contract.objects.filter(quotation=quotation, kind=kind)
        .exclude(status=ContractStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        raise DomainError(
            _("%(quotation)s already has %(number)s — open it instead of making another.")
            % {"quotation": quotation.number, "number": existing.number},
            field="kind",
            code="duplicate",
        )


def _prefill(contract: Contract, revision, profile: CompanyProfile) -> None:
    contract.currency = revision.currency
    contract.incoterm = revision.incoterm
    contract.named_place = revision.named_place
    contract.port_of_loading = revision.port_of_loading or profile.default_port_of_loading
    contract.destination_port = revision.destination_port
    contract.production_lead_time_days = revision.lead_time_days
    if revision.lead_time_days:
        days = timezone.timedelta(days=revision.lead_time_days + 7)
        contract.latest_shipment_date = contract.contract_date + days
    contract.packing = revision.packing
    contract.payment_terms_text = revision.payment_terms[:300]
    if revision.incoterm in rules.INSURING_TERMS:
        contract.insured_by = InsuredBy.SELLER
        contract.insurance_cover = "Institute Cargo Clauses " + (
            "(A)" if revision.incoterm == "CIP" else "(C)"
        )
        contract.insurance_percent = revision.insurance_markup_percent or Decimal(110)
    elif revision.incoterm in ("EXW", "FCA", "FOB", "CFR", "CPT"):
        contract.insured_by = InsuredBy.BUYER
    for name in ("beneficiary_name", "bank_name", "bank_address", "bank_account", "bank_swift"):
        setattr(contract, name, getattr(profile, name))
    contract.beneficiary_name = contract.beneficiary_name or profile.name_en


def _copy_lines(contract: Contract, revision) -> Decimal:
    total = Decimal(0)
    lines = list(revision.lines.all())
    if not lines:
        raise DomainError(_("The accepted revision has no lines to put in a contract."))
    for position, source in enumerate(lines, start=1):
        if source.unit_price is None:
            raise DomainError(
                _("Line %(line)s of the accepted revision has no price — price it first.")
                % {"line": position}
            )
        unit = source.unit_price.quantize(CENT, rounding=ROUND_HALF_UP)
        amount = rules.line_total(unit, source.quantity)
        ContractLine.objects.create(
            contract=contract,
            position=position,
            quotation_line=source,
            product=source.product,
            model=source.model,
            description=source.description,
            description_zh=source.description_zh,
            specification=source.specification,
            hs_code=source.hs_code,
            quantity=source.quantity,
            unit=source.unit,
            unit_price=unit,
            total=amount,
        )
        total += amount
    return total


def _apply_template_defaults(contract: Contract, templates) -> None:
    """Company-wide starting values for the fields the quotation did not fill."""
    for template in templates:
        for name, value in (template.defaults or {}).items():
            if name not in clause_text.DEFAULTABLE_FIELDS or value in (None, ""):
                continue
            if name == "insurance_cover" and contract.insured_by != InsuredBy.SELLER:
                continue
            if name == "quantity_tolerance_percent":
                contract.quantity_tolerance_percent = Decimal(str(value))
            elif not getattr(contract, name):
                setattr(contract, name, int(value) if name == "claims_period_days" else value)


def _copy_clauses(contract: Contract, templates) -> None:
    Clause.objects.bulk_create(
        Clause(
            contract=contract,
            key=template.key,
            template=template,
            title=template.title,
            body=template.body,
            body_zh=template.body_zh,
            position=template.position,
        )
        for template in templates
    )


@transaction.atomic
def contract_create_from_quotation(
    *, actor, quotation_id: int, kind: str = ContractKind.PI, contract_date=None
) -> Contract:
    """A PI or sales contract pre-filled from the quotation's accepted revision."""
    quotation = _accepted_quotation(actor, quotation_id)
    if kind not in ContractKind.values:
        raise DomainError(_("Choose PI or sales contract."), field="kind")
    _check_no_duplicate(quotation, kind)
    revision = quotation.accepted_revision
    profile = CompanyProfile.current()
    today = contract_date or timezone.localdate()
    company = quotation.company
    contract = Contract(
        kind=kind,
        number=next_number(kind, today.year),
        company=company,
        contact=quotation.contact,
        quotation=quotation,
        quotation_revision=revision,
        owner=actor,
        created_by=actor,
        contract_date=today,
        buyer_name=company.name,
        buyer_address=company.address,
    )
    _prefill(contract, revision, profile)
    templates = ensure_clause_templates()
    _apply_template_defaults(contract, templates)
    contract.save()
    contract.total_amount = _copy_lines(contract, revision)
    contract.shipping_marks = clause_text.shipping_marks_for(
        company.name, contract.number, contract.destination_port
    )
    from tradewind.contracts.schedule import guess_terms_code

    code = guess_terms_code(revision.payment_terms)
    if code:
        rebuild_schedule(contract, code=code)
    contract.save()
    _copy_clauses(contract, templates)
    ContractVersion.objects.create(contract=contract, number=1, created_by=actor)
    _audit(
        actor,
        "create",
        contract,
        {"quotation": quotation.number, "revision": revision.letter, "kind": kind},
        contract=contract,
    )
    return contract


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


def _contract_of_clause(actor, clause_id) -> tuple[Clause, Contract]:
    clause = Clause.objects.visible_to(actor).filter(pk=clause_id).first()
    if clause is None:
        raise NotFound(_("No such clause."))
    return clause, visible_contract(actor, clause.contract_id)


def _check_clause_text(title: str, body: str) -> None:
    if not title.strip():
        raise DomainError(_("Give the clause a title."), field="title")
    if len(body) > 20000:
        raise DomainError(_("The clause is too long (at most 20,000 characters)."), field="body")
    unknown = clause_text.unknown_placeholders(body)
    if unknown:
        raise DomainError(
            _(
                "%(names)s is not a contract field. Use one of the names listed beside the "
                "wording, or write the value without braces."
            )
            % {"names": ", ".join(f"{{{name}}}" for name in unknown)},
            field="body",
        )


@transaction.atomic
def clause_update(
    *, actor, clause_id: int, lock_version, title: str, body: str, body_zh: str = ""
) -> Clause:
    """Change a clause's wording for this contract only."""
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    _check_clause_text(title, body)
    _check_clause_text(title, body_zh)
    before = snapshot(clause, ("title", "body", "body_zh"))
    clause.title, clause.body, clause.body_zh = title.strip(), body.strip(), body_zh.strip()
    template = clause.template
    clause.is_customised = template is None or (
        clause.body != template.body or clause.title != template.title
    )
    clause.save()
    save_guarded(contract, expected, [])
    changes = diff(before, snapshot(clause, ("title", "body", "body_zh")))
    if changes:
        _audit(actor, "update", clause, changes, contract=contract)
    return clause


@transaction.atomic
def clause_reset(*, actor, clause_id: int, lock_version) -> Clause:
    """Put the company-wide wording back."""
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    template = clause.template or ClauseTemplate.objects.filter(key=clause.key).first()
    if template is None or clause.key == ClauseKey.CUSTOM:
        raise DomainError(_("This clause has no company-wide template to go back to."))
    clause.title, clause.body, clause.body_zh = template.title, template.body, template.body_zh
    clause.template, clause.is_customised = template, False
    clause.save()
    save_guarded(contract, expected, [])
    _audit(actor, "update", clause, {"body": ["…", _("company wording")]}, contract=contract)
    return clause


@transaction.atomic
def clause_add(
    *, actor, contract_id: int, lock_version, key: str, title: str = "", body: str = ""
) -> Clause:
    """Add a missing standard clause from its template, or an extra clause of our own."""
    contract = visible_contract(actor, contract_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    if key not in ClauseKey.values:
        raise DomainError(_("Unknown clause."), field="key")
    position = (contract.clauses.order_by("-position").values_list("position", flat=True)
                .first() or 0) + 10  # fmt: skip
    if key == ClauseKey.CUSTOM:
        _check_clause_text(title, body)
        clause = Clause.objects.create(
            contract=contract, key=key, title=title.strip(), body=body.strip(),
            position=position, is_customised=True,
        )  # fmt: skip
    else:
        if contract.clauses.filter(key=key).exists():
            raise DomainError(_("The contract already has this clause."), field="key")
        template = ensure_clause_templates() and ClauseTemplate.objects.filter(key=key).first()
        if template is None:
            raise DomainError(_("There is no company-wide wording for this clause."), field="key")
        clause = Clause.objects.create(
            contract=contract, key=key, template=template, title=template.title,
            body=template.body, body_zh=template.body_zh, position=template.position,
        )  # fmt: skip
    save_guarded(contract, expected, [])
    _audit(actor, "create", clause, {"title": clause.title}, contract=contract)
    return clause


@transaction.atomic
def clause_delete(*, actor, clause_id: int, lock_version) -> None:
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    _audit(actor, "delete", clause, {"title": clause.title}, contract=contract)
    clause.delete()
    save_guarded(contract, expected, [])


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
