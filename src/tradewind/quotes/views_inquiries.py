"""Inquiry pages. Each view parses input, calls one service or selector, and renders; the rules
are in ``quotes.inquiries``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.customers import geo
from tradewind.customers import selectors as customer_selectors
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.quotes import inquiries
from tradewind.quotes import inquiry_selectors as selectors
from tradewind.quotes.checklist import checklist
from tradewind.quotes.choices import IncotermChoice
from tradewind.quotes.forms_inquiries import (
    FILLABLE_ITEMS,
    CloseForm,
    FillForm,
    InquiryFilterForm,
    InquiryForm,
    InquiryLineForm,
    RespondForm,
    UnwaiveForm,
    WaiveForm,
)

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _error_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    return "; ".join(getattr(exc, "messages", [str(exc)]))


def _detail_url(inquiry_id: int, anchor: str = "") -> str:
    url = reverse("inquiries:detail", args=[inquiry_id])
    return f"{url}#{anchor}" if anchor else url


def quotation_url(inquiry) -> str | None:
    """The quotations area's "create from inquiry" page, once that area provides it."""
    try:
        return reverse("quotations:create-from-inquiry", args=[inquiry.pk])
    except NoReverseMatch:
        return None


# --- List and create -----------------------------------------------------------------------------


@login_required
def inquiry_list(request):
    form = InquiryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "open") if request.GET else "open"
    filters = selectors.InquiryFilters(
        scope=data.get("scope") or "mine",
        status=status or "",
        overdue=bool(data.get("overdue")),
        q=data.get("q") or "",
    )
    if not request.GET:
        form = InquiryFilterForm(initial={"status": "open", "scope": "mine"})
    page = selectors.inquiry_list(request.user, filters, page=_int(request.GET.get("page")))
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "can_see_team": selectors.can_see_team(request.user),
        "now": timezone.now(),
    }
    template = "quotes/inquiries/_rows.html" if request.htmx else "quotes/inquiries/list.html"
    return render(request, template, context)


@login_required
def inquiry_pick_customer(request):
    """A new inquiry starts from the customer: search the customers you can see."""
    term = (request.GET.get("q") or "").strip()[:200]
    context = {"companies": selectors.visible_companies(request.user, term), "q": term}
    if request.htmx:
        return render(request, "quotes/inquiries/_customer_choices.html", context)
    return render(request, "quotes/inquiries/pick_customer.html", context)


@login_required
def inquiry_create(request, pk: int):
    company = customer_selectors.company_get(request.user, pk)
    form = InquiryForm(request.POST or None, company=company, actor=request.user)
    if request.method == "POST" and form.is_valid():
        line = form.first_line()
        try:
            inquiry = inquiries.inquiry_create(
                actor=request.user,
                company_id=company.pk,
                lines=[line] if line else [],
                **form.inquiry_fields(),
            )
        except SERVICE_ERRORS as exc:
            if isinstance(exc, DomainError) and exc.field in (
                "description",
                "specification",
                "material",
                "quantity",
                "unit",
                "target_price",
            ):
                exc.field = f"line_{exc.field}"
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Inquiry “%(s)s” created.") % {"s": inquiry.subject})
            return redirect("inquiries:detail", inquiry.pk)
    return render(request, "quotes/inquiries/form.html", {"form": form, "company": company})


@login_required
@require_POST
def inquiry_from_message(request, pk: int):
    """The inbox's "Create inquiry": a waiting message becomes a lead (with the lead form the
    page shows) and an inquiry; a filed message gives its customer."""
    from tradewind.outreach import views_inbox
    from tradewind.outreach.choices import InboundStatus
    from tradewind.outreach.forms_inbox import LeadForm
    from tradewind.outreach.inbound import selectors as inbox_selectors

    message = inbox_selectors.inbox_message(request.user, pk)
    lead_form = None
    lead, confirm = None, False
    if message.status == InboundStatus.NEW_INQUIRY:
        lead_form = LeadForm(request.POST)
        if not lead_form.is_valid():
            return views_inbox._render_message(request, message, lead_form)
        lead, confirm = lead_form.service_fields(), lead_form.cleaned_data["confirm_duplicate"]
    try:
        inquiry = inquiries.inquiry_create_from_message(
            actor=request.user, message_id=pk, lead=lead, confirm_duplicate=confirm
        )
    except DuplicateCompany as exc:
        add_error_to_form(lead_form, exc)
        return views_inbox._render_message(request, message, lead_form, exc.matches)
    except SERVICE_ERRORS as exc:
        if lead_form is not None:
            add_error_to_form(lead_form, exc)
            return views_inbox._render_message(request, message, lead_form)
        messages.error(request, _error_text(exc))
        return redirect("outreach:inbox-message", pk)
    messages.success(
        request,
        _("Inquiry “%(s)s” created for %(c)s — confirm the details, then quote.")
        % {"s": inquiry.subject, "c": inquiry.company.name},
    )
    return redirect("inquiries:detail", inquiry.pk)


# --- One inquiry ---------------------------------------------------------------------------------


def _zones(request, inquiry) -> dict:
    contacts = list(inquiry.company.contacts.all())
    buyer_zone = geo.buyer_time_zone(inquiry.company, contacts)
    due = inquiry.first_response_due_at
    return {
        "buyer_zone": buyer_zone,
        "due_buyer_time": geo.local_now(buyer_zone, due) if buyer_zone and due else None,
        "due_handler_time": geo.local_now(inquiry.assignee.time_zone, due) if due else None,
    }


def _open_form(error, typed) -> str:
    if not error:
        return ""
    return "waive" if isinstance(typed, dict) and "reason" in typed else "fill"


def _detail_context(request, inquiry, **forms) -> dict:
    now = timezone.now()
    rows = checklist(inquiry)
    errors, typed = forms.get("row_errors") or {}, forms.get("row_values") or {}
    checklist_rows = [
        {
            "row": row,
            "error": errors.get(row.item, ""),
            "typed": typed.get(row.item) or {},
            "fillable": row.item in FILLABLE_ITEMS,
            # Which inline form to show open again after a refused attempt.
            "open": _open_form(errors.get(row.item), typed.get(row.item)),
        }
        for row in rows
    ]
    return {
        "inquiry": inquiry,
        "company": inquiry.company,
        "lines": list(inquiry.lines.all()),
        "rows": rows,
        "missing_count": sum(1 for row in rows if row.is_missing),
        "is_closed": inquiry.status in inquiries.CLOSED_STATUSES,
        "is_overdue": (
            inquiry.first_responded_at is None
            and inquiry.status == "open"
            and inquiry.first_response_due_at < now
        ),
        "line_form": forms.get("line_form") or InquiryLineForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "respond_form": forms.get("respond_form") or RespondForm(),
        "checklist_rows": checklist_rows,
        "checklist_error": errors.get("", ""),
        "incoterm_choices": IncotermChoice.choices,
        "quotation_url": quotation_url(inquiry),
        "now": now,
        **_zones(request, inquiry),
    }


@login_required
def inquiry_detail(request, pk: int):
    inquiry = selectors.inquiry_get(request.user, pk)
    return render(request, "quotes/inquiries/detail.html", _detail_context(request, inquiry))


@login_required
def inquiry_edit(request, pk: int):
    inquiry = selectors.inquiry_get(request.user, pk)
    form = InquiryForm(
        request.POST or None, instance=inquiry, company=inquiry.company, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            inquiries.inquiry_update(actor=request.user, inquiry_id=pk, **form.inquiry_fields())
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inquiries:detail", pk)
    context = {"form": form, "company": inquiry.company, "inquiry": inquiry}
    return render(request, "quotes/inquiries/form.html", context)


def _checklist_response(request, pk: int, *, item: str = "", error: str = "", value=None):
    """After a checklist action: the refreshed card (htmx), else back to the page."""
    if request.htmx:
        inquiry = selectors.inquiry_get(request.user, pk)
        context = _detail_context(
            request,
            inquiry,
            row_errors={item: error} if error else {},
            row_values={item: value} if error and value is not None else {},
        )
        return render(
            request, "quotes/inquiries/_checklist.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, error)
    return redirect(_detail_url(pk, "checklist"))


@login_required
@require_POST
def checklist_fill(request, pk: int):
    selectors.inquiry_get(request.user, pk)
    form = FillForm(request.POST)
    if not form.is_valid():
        return _checklist_response(
            request, pk, item=request.POST.get("item", ""), error=_("Check what you typed.")
        )
    item = form.cleaned_data["item"]
    try:
        inquiries.inquiry_update(actor=request.user, inquiry_id=pk, **form.service_fields())
    except SERVICE_ERRORS as exc:
        return _checklist_response(
            request, pk, item=item, error=_error_text(exc), value=form.cleaned_data
        )
    return _checklist_response(request, pk, item=item)


@login_required
@require_POST
def checklist_waive(request, pk: int):
    selectors.inquiry_get(request.user, pk)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        return _checklist_response(
            request, pk, item="", error=_("Pick a detail from the checklist.")
        )
    item, reason = form.cleaned_data["item"], form.cleaned_data["reason"]
    try:
        inquiries.inquiry_waive(actor=request.user, inquiry_id=pk, item=item, reason=reason)
    except SERVICE_ERRORS as exc:
        return _checklist_response(
            request, pk, item=item, error=_error_text(exc), value={"reason": reason}
        )
    return _checklist_response(request, pk, item=item)


@login_required
@require_POST
def checklist_unwaive(request, pk: int):
    selectors.inquiry_get(request.user, pk)
    form = UnwaiveForm(request.POST)
    if form.is_valid():
        try:
            inquiries.inquiry_unwaive(
                actor=request.user, inquiry_id=pk, item=form.cleaned_data["item"]
            )
        except SERVICE_ERRORS as exc:
            return _checklist_response(
                request, pk, item=form.cleaned_data["item"], error=_error_text(exc)
            )
    return _checklist_response(request, pk)


@login_required
@require_POST
def inquiry_respond(request, pk: int):
    inquiry = selectors.inquiry_get(request.user, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            inquiries.record_first_response(
                inquiry, form.cleaned_data["when"] or timezone.now(), actor=request.user
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("First reply recorded."))
            return redirect("inquiries:detail", pk)
    context = _detail_context(request, inquiry, respond_form=form)
    return render(request, "quotes/inquiries/detail.html", context, status=422)


@login_required
@require_POST
def inquiry_close(request, pk: int):
    inquiry = selectors.inquiry_get(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            inquiries.inquiry_close(actor=request.user, inquiry_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Inquiry closed."))
            return redirect("inquiries:detail", pk)
    context = _detail_context(request, inquiry, close_form=form)
    return render(request, "quotes/inquiries/detail.html", context, status=422)


@login_required
@require_POST
def inquiry_reopen(request, pk: int):
    selectors.inquiry_get(request.user, pk)
    try:
        inquiries.inquiry_reopen(actor=request.user, inquiry_id=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Inquiry reopened."))
    return redirect("inquiries:detail", pk)


# --- Lines ---------------------------------------------------------------------------------------


@login_required
@require_POST
def line_add(request, pk: int):
    inquiry = selectors.inquiry_get(request.user, pk)
    form = InquiryLineForm(request.POST)
    if form.is_valid():
        try:
            inquiries.inquiry_line_add(actor=request.user, inquiry_id=pk, **form.service_fields())
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Line added."))
            return redirect(_detail_url(pk, "lines"))
    context = _detail_context(request, inquiry, line_form=form)
    return render(request, "quotes/inquiries/detail.html", context, status=422)


@login_required
def line_edit(request, pk: int):
    line = selectors.line_get(request.user, pk)
    form = InquiryLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            inquiries.inquiry_line_update(actor=request.user, line_id=pk, **form.service_fields())
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Line saved."))
            return redirect(_detail_url(line.inquiry_id, "lines"))
    context = {"form": form, "line": line, "inquiry": line.inquiry, "company": line.inquiry.company}
    return render(request, "quotes/inquiries/line_form.html", context)


@login_required
@require_POST
def line_delete(request, pk: int):
    line = selectors.line_get(request.user, pk)
    try:
        inquiries.inquiry_line_remove(actor=request.user, line_id=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Line removed."))
    return redirect(_detail_url(line.inquiry_id, "lines"))
