"""Sample pages. Each view parses input, calls one service or selector, and renders; another
rep's sample (or customer, inquiry, quotation) is a 404 before any input is read."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.quotes import couriers, samples
from tradewind.quotes import sample_selectors as selectors
from tradewind.quotes.choices import SampleStatus
from tradewind.quotes.forms_samples import (
    CancelForm,
    CompanyPickForm,
    DecideForm,
    DeliverForm,
    FeedbackForm,
    ItemForm,
    ItemFormSet,
    ReportFilterForm,
    SampleFilterForm,
    SampleForm,
    ShipForm,
    moment_on,
)
from tradewind.quotes.sample_report import sample_report as build_report

SERVICE_ERRORS = (DomainError, ValidationError)
_ITEM_FIELD = re.compile(r"^items-(\d+)-(\w+)$")


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


# --- List ----------------------------------------------------------------------------------


@login_required
def sample_list(request):
    form = SampleFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.SampleFilters(
        scope=data.get("scope") or "mine",
        status=data.get("status") or "",
        courier=data.get("courier") or "",
        awaiting_feedback=bool(data.get("awaiting")),
        q=data.get("q") or "",
    )
    page = selectors.sample_list(
        request.user,
        filters,
        page=_int(request.GET.get("page")),
        size=_int(request.GET.get("size"), 20),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "filters": filters, "query": query.urlencode()}
    return render(request, "quotes/samples/list.html", context)


# --- Create --------------------------------------------------------------------------------


def _origin(request):
    """(company, inquiry, quotation) from ?company= / ?inquiry= / ?quotation=; 404 for records
    the user cannot see; (None, None, None) when nothing was given."""
    inquiry = quotation = None
    if request.GET.get("quotation"):
        quotation = selectors.visible_quotation(request.user, request.GET["quotation"])
        if quotation is None:
            raise Http404
        return quotation.company, quotation.inquiry, quotation
    if request.GET.get("inquiry"):
        inquiry = selectors.visible_inquiry(request.user, request.GET["inquiry"])
        if inquiry is None:
            raise Http404
        return inquiry.company, inquiry, None
    if request.GET.get("company"):
        company = selectors.visible_company(request.user, request.GET["company"])
        if company is None:
            raise Http404
        return company, None, None
    return None, inquiry, quotation


def _put_error(form, formset, exc: Exception) -> None:
    """A service error on the field it names: an item's field in the item formset."""
    field = getattr(exc, "field", None) or ""
    match = _ITEM_FIELD.match(field)
    if match and isinstance(exc, DomainError):
        index, name = int(match[1]), match[2]
        if index < len(formset.forms):
            target = formset.forms[index]
            target.add_error(name if name in target.fields else None, exc.message)
            return
    if field == "items" and isinstance(exc, DomainError):
        form.add_error(None, exc.message)
        return
    add_error_to_form(form, exc)


@login_required
def sample_create(request):
    company, inquiry, quotation = _origin(request)
    if company is None:
        pick = CompanyPickForm(request.GET or None)
        term = pick.cleaned_data.get("q", "") if pick.is_valid() else ""
        context = {"form": pick, "companies": selectors.company_search(request.user, term)}
        return render(request, "quotes/samples/pick_company.html", context)
    initial = {
        "inquiry": inquiry.pk if inquiry else None,
        "quotation": quotation.pk if quotation else None,
        "contact": (quotation or inquiry).contact_id if (quotation or inquiry) else None,
    }
    data = request.POST if request.method == "POST" else None
    form = SampleForm(data, initial=initial, company=company, actor=request.user)
    formset = ItemFormSet(data, prefix="items")
    if data is not None and form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        try:
            sample = samples.sample_create(
                actor=request.user,
                company_id=company.pk,
                items=[item.spec() for item in formset.forms],
                **fields,
            )
        except SERVICE_ERRORS as exc:
            _put_error(form, formset, exc)
        else:
            messages.success(request, _("Sample %(number)s requested.") % {"number": sample.number})
            return redirect("samples:sample-detail", sample.pk)
    context = {
        "company": company,
        "inquiry": inquiry,
        "quotation": quotation,
        "form": form,
        "formset": formset,
    }
    return render(request, "quotes/samples/form.html", context)


@login_required
def sample_edit(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    initial = {
        "contact": sample.contact_id,
        "inquiry": sample.inquiry_id,
        "quotation": sample.quotation_id,
        "courier_payer": sample.courier_payer,
        "collect_account": sample.collect_account,
        "feedback_after_days": sample.feedback_after_days,
        "sample_cost_rmb": sample.sample_cost_rmb.quantize(samples.CENT),
        "courier_cost_rmb": sample.courier_cost_rmb.quantize(samples.CENT),
        "notes": sample.notes,
    }
    data = request.POST if request.method == "POST" else None
    form = SampleForm(data, initial=initial, company=sample.company, actor=request.user)
    if data is not None and form.is_valid():
        try:
            samples.sample_update(actor=request.user, sample_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("samples:sample-detail", pk)
    context = {"sample": sample, "company": sample.company, "form": form}
    return render(request, "quotes/samples/form.html", context)


# --- Detail and lifecycle actions ----------------------------------------------------------


def _stepper(sample, history) -> list[dict]:
    status = sample.status
    order = list(samples.LIFECYCLE)
    reached = order.index(status) if status in order else len(order)
    if status == SampleStatus.CANCELLED:
        reached = -1
    # A sample from stock ships straight from "requested": its production step was skipped.
    produced = any(
        (row.event.changes.get("status") or [None, None])[-1] == SampleStatus.IN_PRODUCTION
        for row in history
    )
    steps = []
    for index, step in enumerate(order):
        state = "done" if index < reached else "current" if index == reached else "todo"
        if step == SampleStatus.IN_PRODUCTION and state == "done" and not produced:
            state = "skipped"
        steps.append({"status": step, "label": SampleStatus(step).label, "state": state})
    if status in (SampleStatus.APPROVED, SampleStatus.REJECTED):
        final = {"label": SampleStatus(status).label, "state": status}
    else:
        final = {"label": _("Approved or rejected"), "state": "todo"}
    steps.append({"status": "decision", **final})
    return steps


def _detail(request, sample, *, status: int = 200, **forms):
    allowed = samples.allowed_next(sample.status)
    history = selectors.sample_history(sample)
    context = {
        "sample": sample,
        "company": sample.company,
        "items": selectors.sample_items(sample),
        "steps": _stepper(sample, history),
        "allowed": allowed,
        "items_editable": sample.status in samples.EDITABLE_ITEMS,
        "tracking_url": couriers.tracking_url(sample.courier, sample.awb_number),
        "courier_name": couriers.carrier_name(sample.courier) if sample.courier else "",
        "history": history,
        "total_cost": sample.sample_cost_rmb + sample.courier_cost_rmb,
        "ship_form": forms.get("ship_form") or ShipForm(),
        "deliver_form": forms.get("deliver_form") or DeliverForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm.for_sample(sample),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "item_form": forms.get("item_form") or ItemForm(prefix="item"),
        "open_form": forms.get("open_form", ""),
        "awb_formats": {key: couriers.expected_format(key) for key in couriers.FORMATS},
    }
    return render(request, "quotes/samples/detail.html", context, status=status)


@login_required
def sample_detail(request, pk: int):
    return _detail(request, selectors.sample_get(request.user, pk))


def _out_of_step(request, pk: int, exc: Exception):
    """A lifecycle error (the sample moved on, e.g. in another tab): said at the top of the
    page, since the form that was sent is no longer shown."""
    if isinstance(exc, DomainError) and exc.code == "invalid_transition":
        messages.error(request, exc.message)
        return redirect("samples:sample-detail", pk)
    return None


def _done(request, pk: int, message: str):
    messages.success(request, message)
    return redirect("samples:sample-detail", pk)


@login_required
@require_POST
def sample_status(request, pk: int):
    """Start production, or cancel (with an optional reason)."""
    sample = selectors.sample_get(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "production":
            samples.sample_start_production(actor=request.user, sample_id=pk)
            return _done(request, pk, _("Sample %(n)s is in production.") % {"n": sample.number})
        if action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            samples.sample_cancel(actor=request.user, sample_id=pk, reason=reason)
            return _done(request, pk, _("Sample %(n)s cancelled.") % {"n": sample.number})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("samples:sample-detail", pk)
    messages.error(request, _("Unknown action."))
    return redirect("samples:sample-detail", pk)


@login_required
@require_POST
def sample_ship(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    form = ShipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            samples.sample_ship(
                actor=request.user,
                sample_id=pk,
                courier=data["courier"],
                awb_number=data["awb_number"],
                shipped_at=moment_on(data["shipped_at"]),
                courier_cost_rmb=data["courier_cost_rmb"] or None,
            )
        except SERVICE_ERRORS as exc:
            if refused := _out_of_step(request, pk, exc):
                return refused
            add_error_to_form(form, exc)
        else:
            return _done(request, pk, _("Sample %(n)s shipped.") % {"n": sample.number})
    return _detail(request, sample, ship_form=form, open_form="ship")


@login_required
@require_POST
def sample_deliver(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    form = DeliverForm(request.POST)
    if form.is_valid():
        try:
            samples.sample_deliver(
                actor=request.user,
                sample_id=pk,
                delivered_at=moment_on(form.cleaned_data["delivered_at"]),
            )
        except SERVICE_ERRORS as exc:
            if refused := _out_of_step(request, pk, exc):
                return refused
            add_error_to_form(form, exc)
        else:
            return _done(
                request,
                pk,
                _("Sample %(n)s delivered. A follow-up to ask for feedback is on the list.")
                % {"n": sample.number},
            )
    return _detail(request, sample, deliver_form=form, open_form="deliver")


@login_required
@require_POST
def sample_feedback(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            samples.sample_record_feedback(
                actor=request.user,
                sample_id=pk,
                quality_rating=data["quality_rating"],
                appearance_rating=data["appearance_rating"] or None,
                packaging_rating=data["packaging_rating"] or None,
                price_acceptable=data["price_acceptable"],
                changes_requested=data["changes_requested"],
                feedback_notes=data["feedback_notes"],
            )
        except SERVICE_ERRORS as exc:
            if refused := _out_of_step(request, pk, exc):
                return refused
            add_error_to_form(form, exc)
        else:
            return _done(request, pk, _("Feedback recorded."))
    return _detail(request, sample, feedback_form=form, open_form="feedback")


@login_required
@require_POST
def sample_decide(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            samples.sample_decide(
                actor=request.user,
                sample_id=pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except SERVICE_ERRORS as exc:
            if refused := _out_of_step(request, pk, exc):
                return refused
            add_error_to_form(form, exc)
        else:
            done = sample.number
            if form.cleaned_data["decision"] == SampleStatus.APPROVED:
                return _done(request, pk, _("Sample %(n)s approved.") % {"n": done})
            return _done(request, pk, _("Sample %(n)s rejected.") % {"n": done})
    return _detail(request, sample, decide_form=form, open_form="decide")


@login_required
@require_POST
def sample_item_add(request, pk: int):
    sample = selectors.sample_get(request.user, pk)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            samples.sample_item_add(actor=request.user, sample_id=pk, **form.spec())
        except SERVICE_ERRORS as exc:
            field = getattr(exc, "field", None) or ""
            match = _ITEM_FIELD.match(field)
            if match and isinstance(exc, DomainError) and match[2] in form.fields:
                form.add_error(match[2], exc.message)
            else:
                add_error_to_form(form, exc)
        else:
            return redirect(reverse("samples:sample-detail", args=[pk]) + "#items")
    return _detail(request, sample, item_form=form, open_form="item")


@login_required
@require_POST
def sample_item_delete(request, pk: int):
    item = selectors.item_get(request.user, pk)
    try:
        samples.sample_item_delete(actor=request.user, item_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("samples:sample-detail", args=[item.sample_id]) + "#items")


# --- Report --------------------------------------------------------------------------------


@login_required
def sample_report(request):
    form = ReportFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    report = build_report(
        request.user,
        since=data.get("since"),
        until=data.get("until"),
        language=request.LANGUAGE_CODE,
    )
    return render(request, "quotes/samples/report.html", {"form": form, "report": report})
