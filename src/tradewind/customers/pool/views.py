"""Pool pages and actions. Each view parses input, calls one service or selector, and renders.

Claim answers htmx with the list cell it replaces (422 with the reason when refused, so htmx
swaps it in); every other action redirects back with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.customers import selectors
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool import policy as pool_policy
from tradewind.customers.pool import rules as pool_rules
from tradewind.customers.pool import selectors as pool_selectors
from tradewind.customers.pool import services
from tradewind.customers.pool.forms import (
    AssignmentRuleForm,
    AssignOneForm,
    BulkActionForm,
    PolicyForm,
    TransferForm,
)

SERVICE_ERRORS = (DomainError, ValidationError)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _require_manager(request) -> None:
    if not services.is_pool_manager(request.user):
        raise Forbidden


def _error_text(exc: Exception) -> str:
    return exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)


@login_required
@require_POST
def claim(request, pk: int):
    detail = reverse("customers:company-detail", args=[pk])
    try:
        company = services.company_claim(actor=request.user, company_id=pk)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        if request.htmx:
            context = {"company_id": pk, "error": exc.message}
            return render(request, "pool/_claim_cell.html", context, status=422)
        messages.error(request, exc.message)
        return redirect(_next_url(request, detail))
    if request.htmx:
        return render(request, "pool/_claim_cell.html", {"company_id": pk, "claimed": company})
    messages.success(
        request, _("“%(name)s” is yours now. Follow it up soon.") % {"name": company.name}
    )
    return redirect(_next_url(request, detail))


@login_required
@require_POST
def release(request, pk: int):
    company = selectors.company_get(request.user, pk)
    try:
        services.company_release(actor=request.user, company_id=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("“%(name)s” is back in the public pool.") % {"name": company.name}
        )
    return redirect("customers:company-detail", pk)


@login_required
@require_POST
def assign(request, pk: int):
    selectors.company_get(request.user, pk)
    form = AssignOneForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose someone from your team."))
        return redirect("customers:company-detail", pk)
    owner = form.cleaned_data["owner"]
    try:
        services.companies_assign(actor=request.user, company_ids=[pk], owner=owner)
    except NotFound:
        raise Http404 from None
    except SERVICE_ERRORS as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Given to %(name)s.") % {"name": owner})
    return redirect("customers:company-detail", pk)


def _bulk_message(action: str, result, owner) -> str:
    if action == "release":
        return ngettext(
            "%(count)d customer released to the public pool.",
            "%(count)d customers released to the public pool.",
            result.changed,
        ) % {"count": result.changed}
    return ngettext(
        "%(count)d customer given to %(name)s.",
        "%(count)d customers given to %(name)s.",
        result.changed,
    ) % {"count": result.changed, "name": owner}


@login_required
@require_POST
def bulk(request):
    """The customer list's bulk bar: assign or transfer the ticked rows, or release them."""
    _require_manager(request)
    back = _next_url(request, reverse("customers:company-list"))
    form = BulkActionForm(request.POST, actor=request.user)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, errors[0])
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] == "release":
            result = services.companies_release(actor=request.user, company_ids=data["company"])
        else:
            result = services.companies_assign(
                actor=request.user, company_ids=data["company"], owner=data["owner"]
            )
    except NotFound:
        raise Http404 from None
    except SERVICE_ERRORS as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _bulk_message(data["action"], result, data["owner"]))
    return redirect(back)


@login_required
def transfer(request):
    """All customers of one rep to another (a rep leaves, a territory changes)."""
    _require_manager(request)
    form = TransferForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["from_owner"], form.cleaned_data["to_owner"]
        try:
            result = services.companies_transfer(
                actor=request.user, from_owner=source, to_owner=target
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d customer moved from %(from)s to %(to)s.",
                    "%(count)d customers moved from %(from)s to %(to)s.",
                    result.changed,
                )
                % {"count": result.changed, "from": source, "to": target},
            )
            return redirect("pool:transfer")
    context = {"form": form, "holdings": pool_selectors.team_holdings(request.user)}
    return render(request, "pool/transfer.html", context)


def _rules_page(request, *, policy_form=None, rule_form=None, status=200):
    context = {
        "policy_form": policy_form
        or PolicyForm(instance=WorkspacePolicy.current(), prefix="policy"),
        "rule_form": rule_form or AssignmentRuleForm(actor=request.user, prefix="rule"),
        "rules": pool_selectors.assignment_rules(),
        "workspace_zone": pool_rules.workspace_zone().key,
    }
    return render(request, "pool/rules.html", context, status=status)


@login_required
def rules(request):
    """The managers' page: the workspace policy and the assignment rules."""
    _require_manager(request)
    if request.method != "POST":
        return _rules_page(request)
    form = PolicyForm(request.POST, instance=WorkspacePolicy.current(), prefix="policy")
    if form.is_valid():
        try:
            pool_policy.policy_update(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Pool rules saved."))
            return redirect("pool:rules")
    return _rules_page(request, policy_form=form)


@login_required
@require_POST
def rule_create(request):
    _require_manager(request)
    form = AssignmentRuleForm(request.POST, actor=request.user, prefix="rule")
    if form.is_valid():
        try:
            pool_policy.assignment_rule_create(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Assignment rule added."))
            return redirect(reverse("pool:rules") + "#assignment")
    return _rules_page(request, rule_form=form)


def _rule_action(request, call) -> object:
    _require_manager(request)
    try:
        call()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("pool:rules") + "#assignment")


@login_required
@require_POST
def rule_toggle(request, pk: int):
    active = request.POST.get("active") == "1"
    return _rule_action(
        request,
        lambda: pool_policy.assignment_rule_set_active(
            actor=request.user, rule_id=pk, is_active=active
        ),
    )


@login_required
@require_POST
def rule_delete(request, pk: int):
    return _rule_action(
        request, lambda: pool_policy.assignment_rule_delete(actor=request.user, rule_id=pk)
    )
