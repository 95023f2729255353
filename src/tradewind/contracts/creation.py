"""Making a PI or sales contract from an accepted quotation revision: its number, the terms,
lines and clauses copied over, and the company-wide clause templates it starts from."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.contracts import clauses as clause_text
from tradewind.contracts import rules
from tradewind.contracts.choices import ContractKind, ContractStatus, InsuredBy
from tradewind.contracts.models import (
    Clause,
    ClauseTemplate,
    Contract,
    ContractLine,
    ContractVersion,
)
from tradewind.contracts.schedule import guess_terms_code, rebuild_schedule
from tradewind.contracts.services import CENT, _audit
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import CompanyProfile
from tradewind.core.numbering import next_number
from tradewind.quotes.choices import QuotationStatus
from tradewind.quotes.models import Quotation


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
