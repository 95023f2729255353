"""Pages about money and credit: deposits, payment-term approvals, the credit settings
(country risk, buyer credit limits) and the company-wide clause templates."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.contracts import payments, workspace
from tradewind.contracts.choices import ClauseKey
from tradewind.contracts.clauses import DEFAULTABLE_FIELDS, placeholder_help
from tradewind.contracts.forms import (
    ApprovalDecideForm,
    ApprovalRequestForm,
    BuyerCreditForm,
    ClauseTemplateForm,
    CountryRiskForm,
    DepositCreditForm,
    DepositSlipForm,
)
from tradewind.contracts.models import (
    BuyerCredit,
    ClauseTemplate,
    CountryRisk,
    Deposit,
    PaymentTermApproval,
)
from tradewind.contracts.services import ensure_clause_templates
from tradewind.core.errors import DomainError, NotFound, PermissionDenied, add_error_to_form
from tradewind.customers import geo
from tradewind.customers.models import Company

SERVICE_ERRORS = (DomainError, ValidationError)
# Which contract fields each clause template may give a default.
TEMPLATE_DEFAULTS = {
    ClauseKey.GOODS: ("quantity_tolerance_percent",),
    ClauseKey.QUALITY: ("quality_standard",),
    ClauseKey.PACKING: ("packing",),
    ClauseKey.INSURANCE: ("insurance_cover",),
    ClauseKey.INSPECTION: ("inspection_by", "inspection_when", "inspection_certificate"),
    ClauseKey.CLAIMS: ("claims_period_days",),
    ClauseKey.DISPUTES: ("arbitration_institution", "arbitration_seat", "governing_law"),
}


def _message(exc) -> str:
    return exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)


def _deposit(request, pk: int) -> Deposit:
    deposit = Deposit.objects.visible_to(request.user).filter(pk=pk).first()
    if deposit is None:
        raise Http404
    return deposit


@login_required
@require_POST
def deposit_slip(request, pk: int):
    deposit = _deposit(request, pk)
    form = DepositSlipForm(request.POST)
    form.is_valid()
    try:
        payments.deposit_record_slip(
            actor=request.user, deposit_id=pk, reference=form.cleaned_data.get("reference", "")
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.info(
            request,
            _("Bank slip recorded. It is not money yet: record the credit when the bank confirms."),
        )
    return redirect("contracts:contract-detail", deposit.contract_id)


@login_required
def deposit_credit(request, pk: int):
    deposit = _deposit(request, pk)
    amount = deposit.amount_due.quantize(Decimal("0.01"))  # stored with 4 places
    initial = {"amount": amount, "value_date": timezone.localdate()}
    form = DepositCreditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payments.deposit_credit(actor=request.user, deposit_id=pk, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Deposit credited."))
            return redirect("contracts:contract-detail", deposit.contract_id)
    context = {"deposit": deposit, "contract": deposit.contract, "form": form}
    return render(request, "contracts/deposit_credit.html", context)


@login_required
@require_POST
def approval_request(request, pk: int):
    from tradewind.contracts.selectors import contract_get

    contract = contract_get(request.user, pk)
    form = ApprovalRequestForm(request.POST)
    form.is_valid()
    try:
        payments.approval_request(
            actor=request.user, contract_id=pk, comment=form.cleaned_data.get("comment", "")
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Approval requested from your manager."))
    return redirect("contracts:contract-payment", contract.pk)


@login_required
@require_POST
def approval_decide(request, pk: int):
    approval = PaymentTermApproval.objects.visible_to(request.user).filter(pk=pk).first()
    if approval is None:
        raise Http404
    form = ApprovalDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("contracts:contract-payment", approval.contract_id)
    try:
        payments.approval_decide(
            actor=request.user,
            approval_id=pk,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("contracts:contract-payment", approval.contract_id)


@login_required
def credit_settings(request):
    """Country-risk classes and the buyer credit limits the user can see; managers edit."""
    can_edit = workspace.is_manager(request.user)
    form = CountryRiskForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                workspace.country_risk_set(actor=request.user, **form.cleaned_data)
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(request, _("Country risk saved."))
                return redirect("contracts:credit-settings")
    language = request.LANGUAGE_CODE or "en"
    risks = [(risk, geo.country_name(risk.country, language)) for risk in CountryRisk.objects.all()]
    credits = list(
        BuyerCredit.objects.visible_to(request.user)
        .select_related("company")
        .order_by("company__name")[:200]
    )
    context = {"form": form, "risks": risks, "credits": credits, "can_edit": can_edit}
    return render(request, "contracts/credit_settings.html", context)


@login_required
@require_POST
def country_risk_delete(request, country: str):
    try:
        workspace.country_risk_delete(actor=request.user, country=country)
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Country risk removed: its buyers count as unclassified."))
    return redirect("contracts:credit-settings")


@login_required
def buyer_credit_edit(request, pk: int):
    company = Company.objects.visible_to(request.user).filter(pk=pk).first()
    if company is None:
        raise Http404
    if not workspace.is_manager(request.user):
        raise DjangoPermissionDenied
    current = BuyerCredit.objects.filter(company=company).first()
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in workspace.CREDIT_FIELDS}
        initial["limit_amount"] = current.limit_amount.quantize(Decimal("0.01"))
    form = BuyerCreditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workspace.buyer_credit_set(actor=request.user, company_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Credit limit saved."))
            return redirect("customers:company-detail", pk)
    return render(request, "contracts/buyer_credit_form.html", {"company": company, "form": form})


@login_required
def template_list(request):
    ensure_clause_templates()
    templates = list(ClauseTemplate.objects.all())
    context = {"templates": templates, "can_edit": workspace.is_admin(request.user)}
    return render(request, "contracts/template_list.html", context)


@login_required
def template_edit(request, pk: int):
    if not workspace.is_admin(request.user):
        raise DjangoPermissionDenied
    template = ClauseTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404
    names = [n for n in TEMPLATE_DEFAULTS.get(template.key, ()) if n in DEFAULTABLE_FIELDS]
    initial = {
        "title": template.title,
        "body": template.body,
        "body_zh": template.body_zh,
        "is_active": template.is_active,
        **{f"default_{name}": (template.defaults or {}).get(name, "") for name in names},
    }
    form = ClauseTemplateForm(request.POST or None, initial=initial, default_names=names)
    if request.method == "POST" and form.is_valid():
        try:
            workspace.clause_template_update(
                actor=request.user,
                template_id=pk,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                body_zh=form.cleaned_data["body_zh"],
                is_active=form.cleaned_data["is_active"],
                defaults=form.defaults(),
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Company-wide clause saved; new contracts use it."))
            return redirect("contracts:template-list")
    context = {"template": template, "form": form, "placeholders": placeholder_help()}
    return render(request, "contracts/template_form.html", context)
