"""Company-wide contract settings: clause templates (admins), country-risk classes and buyer
credit-insurance limits (managers). Each write is atomic and audited like every service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from tradewind.accounts.choices import Role
from tradewind.contracts import clauses as clause_text
from tradewind.contracts.choices import InspectionBy
from tradewind.contracts.clause_services import check_clause_text
from tradewind.contracts.creation import ensure_clause_templates
from tradewind.contracts.models import BuyerCredit, ClauseTemplate, CountryRisk
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers import geo
from tradewind.customers.models import Company


def is_manager(user) -> bool:
    return user.is_superuser or user.role in (Role.MANAGER, Role.ADMIN)


def is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _require_manager(actor) -> None:
    if not is_manager(actor):
        raise PermissionDenied(_("Only managers can change credit settings."))


def _default(name: str, value):
    """A template's starting value for a contract field, checked like the field itself."""
    if name not in clause_text.DEFAULTABLE_FIELDS:
        raise DomainError(_("%(name)s cannot have a default.") % {"name": name}, field="defaults")
    text = str(value).strip()
    bad = DomainError(
        _("“%(value)s” is not a valid default for %(name)s.") % {"value": text, "name": name},
        field=f"default_{name}",
    )
    if name == "claims_period_days":
        if not text.isdigit() or not 1 <= int(text) <= 3650:
            raise bad
        return int(text)
    if name == "quantity_tolerance_percent":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise bad from None
        if not number.is_finite() or not 0 <= number <= 10:
            raise bad
        return text
    if name == "inspection_by" and text not in InspectionBy.values:
        raise bad
    return text[:300]


@transaction.atomic
def clause_template_update(
    *, actor, template_id: int, title: str, body: str, body_zh: str = "", defaults=None,
    is_active: bool = True,
) -> ClauseTemplate:  # fmt: skip
    """Change the company-wide wording; contracts already made keep theirs."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only administrators can change the company-wide clauses."))
    ensure_clause_templates()
    template = ClauseTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("No such clause template."))
    check_clause_text(title, body)
    check_clause_text(title, body_zh)
    clean_defaults = {
        name: _default(name, value)
        for name, value in (defaults or {}).items()
        if value not in (None, "")
    }
    fields = ("title", "body", "body_zh", "defaults", "is_active")
    before = snapshot(template, fields)
    template.title, template.body, template.body_zh = title.strip(), body.strip(), body_zh.strip()
    template.defaults, template.is_active = clean_defaults, is_active
    template.updated_by = actor
    template.full_clean()
    template.save()
    changes = diff(before, snapshot(template, fields))
    if changes:
        audit_record(actor=actor, action="update", instance=template, changes=changes)
    return template


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 2 or not geo.is_country(code):
        raise DomainError(
            _("“%(code)s” is not a country code — pick the country from the list.")
            % {"code": code},
            field="country",
        )
    return code


@transaction.atomic
def country_risk_set(*, actor, country: str, risk_class, note: str = "") -> CountryRisk:
    _require_manager(actor)
    code = _country(country)
    try:
        value = int(risk_class)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 7:
        raise DomainError(
            _("The risk class is a whole number from 0 (lowest) to 7 (highest)."),
            field="risk_class",
        )
    risk, created = CountryRisk.objects.select_for_update().get_or_create(
        country=code, defaults={"risk_class": value, "note": note[:300], "updated_by": actor}
    )
    before = snapshot(risk, ("risk_class", "note"))
    if not created:
        risk.risk_class, risk.note, risk.updated_by = value, note.strip()[:300], actor
        risk.save()
    changes = diff({} if created else before, snapshot(risk, ("risk_class", "note")))
    audit_record(actor=actor, action="create" if created else "update", instance=risk,
                 changes=changes)  # fmt: skip
    return risk


@transaction.atomic
def country_risk_delete(*, actor, country: str) -> None:
    _require_manager(actor)
    risk = CountryRisk.objects.filter(country=(country or "").upper()).first()
    if risk is None:
        raise NotFound(_("No such country risk."))
    audit_record(
        actor=actor, action="delete", instance=risk, changes={"risk_class": risk.risk_class}
    )
    risk.delete()


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Give the amount as a number."), field=field) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("999999999999"):
        raise DomainError(_("Give an amount from 0 up."), field=field)
    return amount.quantize(Decimal("0.01"))


CREDIT_FIELDS = ("insurer", "buyer_code", "currency", "limit_amount", "approved_credit_days",
                 "valid_until", "notes")  # fmt: skip


@transaction.atomic
def buyer_credit_set(
    *, actor, company_id: int, limit_amount, currency: str = "USD", insurer: str = "Sinosure",
    buyer_code: str = "", approved_credit_days: int | None = None,
    valid_until: dt.date | None = None, notes: str = "",
) -> BuyerCredit:  # fmt: skip
    """A buyer's credit-insurance limit; the customer must be visible, the actor a manager."""
    company = Company.objects.visible_to(actor).filter(pk=company_id).first()
    if company is None:
        raise NotFound(_("No such customer."))
    _require_manager(actor)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise DomainError(_("Give a 3-letter currency code, e.g. USD."), field="currency")
    if approved_credit_days is not None and not 0 <= int(approved_credit_days) <= 360:
        raise DomainError(_("The credit period is 0 to 360 days."), field="approved_credit_days")
    credit, created = BuyerCredit.objects.select_for_update().get_or_create(
        company=company, defaults={"limit_amount": Decimal(0)}
    )
    before = snapshot(credit, CREDIT_FIELDS)
    credit.limit_amount = _money(limit_amount, "limit_amount")
    credit.currency = currency
    credit.insurer = (insurer or "").strip()[:80] or "Sinosure"
    credit.buyer_code = (buyer_code or "").strip()[:40]
    credit.approved_credit_days = approved_credit_days
    credit.valid_until = valid_until
    credit.notes = (notes or "").strip()[:300]
    credit.updated_by = actor
    credit.save()
    changes = diff({} if created else before, snapshot(credit, CREDIT_FIELDS))
    audit_record(actor=actor, action="create" if created else "update", instance=credit,
                 changes=changes, company_id=company.pk)  # fmt: skip
    return credit
