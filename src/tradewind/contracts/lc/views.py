"""L/C desk pages. Each view parses input, calls one service or selector, and renders.

Recording a credit is one form: paste the MT700 and press "Read the MT700" to fill the fields
(nothing is stored), check them, then save.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.contracts.lc import selectors, services
from tradewind.contracts.lc.choices import AmendmentStatus
from tradewind.contracts.lc.forms import (
    AcceptForm,
    AmendmentForm,
    CloseForm,
    DecisionForm,
    LcForm,
)
from tradewind.contracts.lc.models import TERM_FIELDS, TERM_TAGS
from tradewind.contracts.lc.review import deadlines_of
from tradewind.contracts.lc.wording import deadline_rows
from tradewind.contracts.models import Contract
from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.trade.mt700 import Mt700Error, read_mt700, read_mt707

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, min(int(value), 100000))
    except (TypeError, ValueError):
        return default


@login_required
def lc_list(request):
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    show = request.GET.get("show", "open")
    show = show if show in selectors.SHOW_CHOICES else "open"
    q = request.GET.get("q", "")
    page = selectors.lc_list(
        request.user, scope=scope, show=show, q=q, page=_int(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "scope": scope, "show": show, "q": q, "query": query.urlencode()}
    return render(request, "lcdesk/lc_list.html", context)


def _form_values(values: dict) -> dict:
    """An MT700 reading as initial form values (the form shows dates and Decimals itself)."""
    return {name: value for name, value in values.items() if name in TERM_FIELDS}


def _read_into(request, form_class, form_kwargs, text_field: str, reader):
    """Fill a form from pasted SWIFT text: the typed values, with what the text gives on top.
    Returns (form, problems)."""
    typed = form_class(request.POST, **form_kwargs)
    typed.is_valid()  # only to collect what parses; its errors are not shown yet
    initial = {name: typed.cleaned_data.get(name, request.POST.get(name)) for name in typed.fields}
    for name in typed.fields:
        if name in typed.errors:
            initial[name] = request.POST.get(name, "")
    text = request.POST.get(text_field, "")
    problems = []
    try:
        reading = reader(text)
    except Mt700Error as exc:
        form = form_class(initial=initial, **form_kwargs)
        form.text_error = exc.message
        return form, problems
    initial.update(_form_values(reading.values))
    for key in ("number", "date"):
        if getattr(reading, key, None) is not None:
            initial[{"number": "amendment_number", "date": "amendment_date"}[key]] = getattr(
                reading, key
            )
    form = form_class(initial=initial, **form_kwargs)
    form.read_values = set(_form_values(reading.values))
    return form, list(reading.problems)


def _contract_for_create(request) -> Contract | None:
    contract_id = request.GET.get("contract")
    if not contract_id:
        return None
    contract = Contract.objects.visible_to(request.user).filter(pk=_int(contract_id, 0)).first()
    if contract is None:
        raise Http404
    return contract


@login_required
def lc_create(request):
    contract = _contract_for_create(request)
    kwargs = {"actor": request.user, "creating": True}
    problems = []
    if request.method == "POST" and request.POST.get("action") == "read":
        form, problems = _read_into(request, LcForm, kwargs, "raw_mt700", read_mt700)
    elif request.method == "POST":
        form = LcForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                lc = services.lc_create(
                    actor=request.user,
                    contract_id=form.cleaned_data["contract"].pk,
                    **form.service_fields(),
                )
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("L/C %(number)s recorded. Check it against the contract next.")
                    % {"number": lc.number},
                )
                return redirect("lcdesk:lc-detail", lc.pk)
    else:
        initial = {"received_on": timezone.localdate()}
        if contract is not None:
            initial.update(contract=contract.pk, currency=contract.currency)
        form = LcForm(initial=initial, **kwargs)
    context = {"form": form, "problems": problems, "contract": contract, "tags": TERM_TAGS}
    return render(request, "lcdesk/lc_form.html", context)


@login_required
def lc_edit(request, pk: int):
    lc = selectors.lc_get(request.user, pk)
    if not lc.is_open:
        messages.error(request, _("This letter of credit is closed. Reopen it to change it."))
        return redirect("lcdesk:lc-detail", pk)
    kwargs = {"actor": request.user, "creating": False, "instance": lc}
    problems = []
    if request.method == "POST" and request.POST.get("action") == "read":
        form, problems = _read_into(request, LcForm, kwargs, "raw_mt700", read_mt700)
    else:
        form = LcForm(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                services.lc_update(actor=request.user, lc_id=pk, **form.service_fields())
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("lcdesk:lc-detail", pk)
    context = {"form": form, "problems": problems, "lc": lc, "tags": TERM_TAGS}
    return render(request, "lcdesk/lc_form.html", context)


def _dates_context(lc) -> dict:
    result = deadlines_of(lc)
    return {
        "deadlines": result,
        "deadline_rows": deadline_rows(result),
        "calendar_country": lc.expiry_country,
    }


@login_required
def lc_detail(request, pk: int):
    lc = selectors.lc_get(request.user, pk)
    check = selectors.latest_check_with_discrepancies(lc)
    amendments = list(lc.amendments.select_related("decided_by").order_by("-number"))
    open_rows = [row for row in (check.rows if check else []) if row.is_open]
    context = {
        "lc": lc,
        "check": check,
        "open_rows": open_rows,
        "amendments": amendments,
        "pending": [a for a in amendments if a.status == AmendmentStatus.PENDING],
        "close_form": CloseForm(),
        "tags": TERM_TAGS,
        "terms": _terms_rows(lc),
        **_dates_context(lc),
    }
    return render(request, "lcdesk/lc_detail.html", context)


def _terms_rows(lc):
    from tradewind.contracts.lc.forms import SECTIONS

    sections = []
    for key, title, names in SECTIONS:
        rows = []
        for name in names:
            field = lc._meta.get_field(name)
            value = getattr(lc, name)
            if getattr(field, "choices", None):
                value = getattr(lc, f"get_{name}_display")()
            rows.append((TERM_TAGS[name], field.verbose_name, value, name))
        sections.append((key, title, rows))
    return sections


@login_required
@require_POST
def lc_check(request, pk: int):
    selectors.lc_get(request.user, pk)
    try:
        check = services.lc_check(actor=request.user, lc_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if check.blocking_count:
            messages.warning(
                request,
                _("Checked: %(count)s blocking discrepancies. Ask the buyer for an amendment.")
                % {"count": check.blocking_count},
            )
        else:
            messages.success(request, _("Checked: nothing blocks production."))
    return redirect(reverse("lcdesk:lc-detail", args=[pk]) + "#check")


@login_required
def lc_accept(request, pk: int):
    lc = selectors.lc_get(request.user, pk)
    check = selectors.latest_check_with_discrepancies(lc)
    open_rows = [row for row in (check.rows if check else []) if row.is_open]
    form = AcceptForm(request.POST or None, open_discrepancies=open_rows)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["discrepancies"] or None
        try:
            count = services.discrepancies_accept(
                actor=request.user,
                lc_id=pk,
                reason=form.cleaned_data["reason"],
                discrepancy_ids=ids,
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("%(count)s discrepancies accepted.") % {"count": count})
            return redirect(reverse("lcdesk:lc-detail", args=[pk]) + "#check")
    context = {"lc": lc, "check": check, "open_rows": open_rows, "form": form}
    return render(request, "lcdesk/lc_accept.html", context)


@login_required
def amendment_create(request, pk: int):
    lc = selectors.lc_get(request.user, pk)
    if not lc.is_open:
        messages.error(request, _("This letter of credit is closed. Reopen it to change it."))
        return redirect("lcdesk:lc-detail", pk)
    kwargs = {"instance": lc}
    problems = []
    if request.method == "POST" and request.POST.get("action") == "read":
        current = {name: getattr(lc, name) for name in TERM_FIELDS}

        def reader(text):
            return read_mt707(text, current)

        form, problems = _read_into(request, AmendmentForm, kwargs, "mt707", reader)
    else:
        form = AmendmentForm(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                services.amendment_create(
                    actor=request.user,
                    lc_id=pk,
                    amendment_number=form.cleaned_data["amendment_number"],
                    amendment_date=form.cleaned_data["amendment_date"],
                    raw_text=form.cleaned_data["mt707"],
                    **form.new_terms(),
                )
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(
                    request, _("Amendment recorded. Accept or reject it on the credit's page.")
                )
                return redirect(reverse("lcdesk:lc-detail", args=[pk]) + "#amendments")
    context = {"form": form, "problems": problems, "lc": lc, "tags": TERM_TAGS}
    return render(request, "lcdesk/amendment_form.html", context)


@login_required
@require_POST
def amendment_decide(request, pk: int):
    selectors.lc_get(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject."))
    else:
        try:
            amendment = services.amendment_decide(
                actor=request.user,
                lc_id=pk,
                amendment_id=form.cleaned_data["amendment"],
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if amendment.status == AmendmentStatus.ACCEPTED:
                messages.success(
                    request,
                    _("Amendment %(number)s accepted: the terms are updated. Check the credit "
                      "again.") % {"number": amendment.number},
                )  # fmt: skip
            else:
                messages.success(
                    request, _("Amendment %(number)s rejected.") % {"number": amendment.number}
                )
    return redirect(reverse("lcdesk:lc-detail", args=[pk]) + "#amendments")


@login_required
@require_POST
def lc_close(request, pk: int):
    lc = selectors.lc_get(request.user, pk)
    try:
        if lc.is_open:
            form = CloseForm(request.POST)
            reason = form.data.get("reason", "")
            services.lc_close(actor=request.user, lc_id=pk, reason=reason)
            messages.success(request, _("Letter of credit closed: no more reminders."))
        else:
            services.lc_reopen(actor=request.user, lc_id=pk)
            messages.success(request, _("Letter of credit reopened."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("lcdesk:lc-detail", pk)
