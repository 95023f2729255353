"""Contract pages. Each view finds its record through the visibility rule (404 otherwise),
parses the form, calls one service and renders; service errors land on the form with what was
typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.contracts import clauses as clause_text
from tradewind.contracts import credit, payments, pdf, rules, schedule, selectors, services
from tradewind.contracts.amount_words import amount_in_words
from tradewind.contracts.choices import ClauseKey, ContractStatus
from tradewind.contracts.forms import (
    AmendForm,
    CancelForm,
    ClauseAddForm,
    ClauseForm,
    ContractCreateForm,
    ContractTermsForm,
    LineForm,
    PaymentTermsForm,
    SignForm,
)
from tradewind.contracts.models import Clause, ContractLine
from tradewind.contracts.services import NotReady, StaleContract
from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.quotes.models import Quotation

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _message(exc) -> str:
    return exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)


def _stale(form, exc: StaleContract, fresh, names) -> list[tuple[str, str]]:
    """Tell the loser of a simultaneous save, keep what they typed, and show what was saved."""
    form.data = form.data.copy()
    form.data["lock_version"] = str(exc.current_version)
    form.add_error(None, exc.message)
    saved = []
    for name in names:
        if name not in form.fields or not hasattr(fresh, name):
            continue
        typed = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        current = getattr(fresh, name)
        if str(typed if typed is not None else "") != str(current if current is not None else ""):
            label = form.fields[name].label
            shown = getattr(fresh, f"get_{name}_display", lambda c=current: c)()
            saved.append((label, shown if shown not in (None, "") else "—"))
    return saved


@login_required
def contract_list(request):
    filters = selectors.ContractFilters(
        q=request.GET.get("q", "")[:100],
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
    )
    page = selectors.contract_list(request.user, filters, page=_int(request.GET.get("page")))
    context = {"page": page, "filters": filters, "statuses": ContractStatus.choices}
    return render(request, "contracts/contract_list.html", context)


@login_required
def contract_create(request, pk: int):
    quotation = (
        Quotation.objects.visible_to(request.user)
        .select_related("company", "accepted_revision")
        .filter(pk=pk)
        .first()
    )
    if quotation is None:
        raise Http404
    form = ContractCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create_from_quotation(
                actor=request.user, quotation_id=pk, kind=form.cleaned_data["kind"]
            )
        except NotFound:
            raise Http404 from None
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request, _("%(number)s created from %(quotation)s.")
                % {"number": contract.number, "quotation": quotation.number},
            )  # fmt: skip
            return redirect("contracts:contract-detail", contract.pk)
    existing = list(quotation.contracts.exclude(status=ContractStatus.CANCELLED))
    context = {"quotation": quotation, "form": form, "existing": existing}
    return render(request, "contracts/contract_create.html", context)


def _detail_context(request, contract) -> dict:
    problems = []
    if contract.status in (ContractStatus.DRAFT, ContractStatus.AMENDING, ContractStatus.READY,
                           ContractStatus.SENT):  # fmt: skip
        problems = services.readiness(contract)
    recommendation = credit.recommend(contract) if contract.payment_terms else None
    clauses = [
        (clause, clause_text.fill(clause.body, contract, language="en"))  # as the buyer reads it
        for clause in contract.clauses.all()
    ]
    present = {clause.key for clause in contract.clauses.all()}
    return {
        "contract": contract,
        "company": contract.company,
        "lines": list(contract.lines.all()),
        "clauses": clauses,
        "missing_clauses": [
            (key, label)
            for key, label in ClauseKey.choices
            if key != "custom" and key not in present
        ],
        "problems": problems,
        "checklist": rules.checklist(problems),
        "recommendation": recommendation,
        "versions": list(contract.versions.all()),
        "amendment_changes": services.pending_amendment_changes(contract),
        "deposits": list(contract.deposits.all()),
        "approvals": list(contract.term_approvals.all()),
        "blockers": payments.production_blockers(contract),
        "lc_checked": payments.lc_checked(contract),
        "needs_lc": schedule.needs_lc(contract),
        "words": amount_in_words(contract.total_amount, contract.currency)
        if contract.total_amount
        else "",
        "add_clause_form": ClauseAddForm(initial={"lock_version": contract.lock_version}),
        "cancel_form": CancelForm(),
    }


@login_required
def contract_detail(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    return render(request, "contracts/contract_detail.html", _detail_context(request, contract))


@login_required
def contract_edit(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    if not contract.is_editable:
        messages.error(request, _("Only a draft or an amendment can be changed."))
        return redirect("contracts:contract-detail", pk)
    form = ContractTermsForm(request.POST or None, contract=contract)
    saved_meanwhile = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lock_version = data.pop("lock_version")
        try:
            services.contract_update(
                actor=request.user, contract_id=pk, lock_version=lock_version, **data
            )
        except StaleContract as exc:
            fresh = selectors.contract_get(request.user, pk)
            saved_meanwhile = _stale(form, exc, fresh, data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("contracts:contract-detail", pk)
    context = {"contract": contract, "form": form, "saved_meanwhile": saved_meanwhile}
    return render(request, "contracts/contract_form.html", context)


@login_required
def line_edit(request, pk: int):
    line = ContractLine.objects.visible_to(request.user).filter(pk=pk).first()
    if line is None:
        raise Http404
    contract = selectors.contract_get(request.user, line.contract_id)
    form = LineForm(request.POST or None, instance=line, contract=contract)
    saved_meanwhile = []
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.LINE_EDIT_FIELDS}
        try:
            services.line_update(
                actor=request.user,
                line_id=pk,
                lock_version=form.cleaned_data["lock_version"],
                **data,
            )
        except StaleContract as exc:
            fresh = ContractLine.objects.get(pk=pk)
            saved_meanwhile = _stale(form, exc, fresh, data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Line saved; the total and the payment schedule follow."))
            return redirect("contracts:contract-detail", contract.pk)
    context = {"contract": contract, "line": line, "form": form,
               "saved_meanwhile": saved_meanwhile}  # fmt: skip
    return render(request, "contracts/line_form.html", context)


@login_required
def clause_edit(request, pk: int):
    clause = Clause.objects.visible_to(request.user).filter(pk=pk).first()
    if clause is None:
        raise Http404
    contract = selectors.contract_get(request.user, clause.contract_id)
    form = ClauseForm(request.POST or None, instance=clause, contract=contract)
    saved_meanwhile = []
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_update(
                actor=request.user,
                clause_id=pk,
                lock_version=form.cleaned_data["lock_version"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                body_zh=form.cleaned_data["body_zh"],
            )
        except StaleContract as exc:
            fresh = Clause.objects.get(pk=pk)
            saved_meanwhile = _stale(form, exc, fresh, ["title", "body", "body_zh"])
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Clause saved for this contract."))
            return redirect(f"{contract_url(contract)}#clause-{pk}")
    context = {
        "contract": contract,
        "clause": clause,
        "form": form,
        "saved_meanwhile": saved_meanwhile,
        "placeholders": clause_text.placeholder_help(),
        "preview": clause_text.fill(clause.body, contract),
    }
    return render(request, "contracts/clause_form.html", context)


def contract_url(contract) -> str:
    return reverse("contracts:contract-detail", args=[contract.pk])


def _post_action(request, pk: int, action, success: str):
    """A POST button on the contract page: run the service, report, go back to the page."""
    contract = selectors.contract_get(request.user, pk)
    try:
        action(contract)
    except NotReady as exc:
        messages.error(request, _("Not ready to sign yet — fix the items in the checklist."))
        for problem in exc.problems:
            messages.warning(request, problem.message)
    except NotFound:
        raise Http404 from None
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, success)
    return redirect("contracts:contract-detail", pk)


@login_required
@require_POST
def contract_ready(request, pk: int):
    return _post_action(
        request, pk,
        lambda c: services.contract_mark_ready(actor=request.user, contract_id=c.pk),
        _("Ready to sign: download the PDF and send it to the buyer."),
    )  # fmt: skip


@login_required
@require_POST
def contract_reopen(request, pk: int):
    return _post_action(
        request, pk,
        lambda c: services.contract_reopen(actor=request.user, contract_id=c.pk),
        _("Back to drafting: make your changes, then mark it ready again."),
    )  # fmt: skip


@login_required
@require_POST
def contract_send(request, pk: int):
    return _post_action(
        request, pk,
        lambda c: services.contract_send(actor=request.user, contract_id=c.pk),
        _("Marked as sent for signature. Upload the countersigned PDF when it comes back."),
    )  # fmt: skip


@login_required
@require_POST
def contract_cancel(request, pk: int):
    reason = request.POST.get("reason", "")[:300]
    return _post_action(
        request, pk,
        lambda c: services.contract_cancel(actor=request.user, contract_id=c.pk, reason=reason),
        _("Contract cancelled."),
    )  # fmt: skip


@login_required
@require_POST
def production_start(request, pk: int):
    return _post_action(
        request, pk,
        lambda c: payments.production_start(actor=request.user, contract_id=c.pk),
        _("Production started."),
    )  # fmt: skip


@login_required
@require_POST
def clause_add(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    form = ClauseAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a clause to add."))
        return redirect("contracts:contract-detail", pk)
    return _post_action(
        request, contract.pk,
        lambda c: services.clause_add(actor=request.user, contract_id=c.pk, **form.cleaned_data),
        _("Clause added."),
    )  # fmt: skip


def _clause_action(request, pk: int, action, success: str):
    clause = Clause.objects.visible_to(request.user).filter(pk=pk).first()
    if clause is None:
        raise Http404
    lock_version = request.POST.get("lock_version")
    return _post_action(
        request, clause.contract_id,
        lambda c: action(actor=request.user, clause_id=pk, lock_version=lock_version),
        success,
    )  # fmt: skip


@login_required
@require_POST
def clause_reset(request, pk: int):
    return _clause_action(request, pk, services.clause_reset, _("Company wording restored."))


@login_required
@require_POST
def clause_delete(request, pk: int):
    return _clause_action(request, pk, services.clause_delete, _("Clause removed."))


@login_required
def contract_payment(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    initial = {"lock_version": contract.lock_version, "code": contract.payment_terms_code}
    form = PaymentTermsForm(request.POST or None, initial=initial)
    saved_meanwhile = []
    if request.method == "POST" and form.is_valid():
        rows = form.instalments()
        if not form.errors:
            try:
                payments.contract_set_payment_terms(
                    actor=request.user,
                    contract_id=pk,
                    lock_version=form.cleaned_data["lock_version"],
                    code=form.cleaned_data["code"],
                    instalments=rows,
                )
            except StaleContract as exc:
                saved_meanwhile = _stale(form, exc, contract, [])
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(request, _("Payment terms set and the schedule built."))
                return redirect("contracts:contract-payment", pk)
    approvals = list(contract.term_approvals.all())
    context = {
        "contract": contract,
        "form": form,
        "recommendation": credit.recommend(contract),
        "saved_meanwhile": saved_meanwhile,
        "approvals": approvals,
        "approval_pending": any(
            a.decision == "pending" and a.version == contract.version for a in approvals
        ),
    }
    return render(request, "contracts/contract_payment.html", context)


@login_required
def contract_sign(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_sign(
                actor=request.user, contract_id=pk, file=form.cleaned_data["file"]
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Signed. The countersigned PDF is kept with this version."))
            return redirect("contracts:contract-detail", pk)
    return render(request, "contracts/contract_sign.html", {"contract": contract, "form": form})


@login_required
def contract_amend(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_amend(
                actor=request.user, contract_id=pk, reason=form.cleaned_data["reason"]
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Amendment opened: change what was agreed, then sign it again.")
            )
            return redirect("contracts:contract-detail", pk)
    return render(request, "contracts/contract_amend.html", {"contract": contract, "form": form})


@login_required
def contract_preview(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    return HttpResponse(pdf.render_html(contract))


@login_required
def contract_pdf(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    response = HttpResponse(pdf.render_pdf(contract), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{pdf.filename(contract)}"'
    return response


@login_required
def version_file(request, pk: int):
    version = selectors.version_get(request.user, pk)
    if not version.countersigned_pdf:
        raise Http404
    with version.countersigned_pdf.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    name = f"{version.contract.number}-v{version.number}-countersigned.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
