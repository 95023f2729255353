"""Pages of the new-inquiries inbox. Each view parses input, calls one service or selector and
renders; the services (``inbound.leads``) hold the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.customers.dedup.engine import Candidate, find_duplicates
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.forms_inbox import FileOnCompanyForm, LeadForm
from tradewind.outreach.inbound import leads, selectors


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@login_required
def inbox_list(request):
    show = request.GET.get("show", "new")
    show = show if show in selectors.INBOX_VIEWS else "new"
    page = selectors.inbox_page(request.user, show=show, page=_int(request.GET.get("page")))
    undo = None
    if request.GET.get("dismissed"):
        undo = selectors.dismissed_message(request.user, _int(request.GET["dismissed"], 0))
    context = {
        "page": page,
        "show": show,
        "new_count": selectors.inbox_new_count(request.user),
        "undo": undo,
    }
    return render(request, "outreach/inbox/list.html", context)


def _candidate(data: dict) -> Candidate:
    return Candidate(
        name=data.get("name") or "",
        country=data.get("country") or "",
        website=data.get("website") or "",
        emails=tuple(filter(None, [data.get("contact_email")])),
        phones=tuple(filter(None, [data.get("contact_phone")])),
    )


def _render_message(request, message, form=None, matches=None, status=200):
    if form is None and message.status == InboundStatus.NEW_INQUIRY:
        form = LeadForm(initial=leads.suggest_lead(message).as_initial())
    if form is not None and matches is None:
        data = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
        matches = find_duplicates(_candidate(data))
    matches = matches or []
    visible = selectors.visible_company_ids(request.user, [m.company_id for m in matches])
    context = {
        "message": message,
        "form": form,
        "matches": [(match, match.company_id in visible) for match in matches],
        "company_visible": bool(
            message.company_id and selectors.visible_company_ids(request.user, [message.company_id])
        ),
    }
    return render(request, "outreach/inbox/detail.html", context, status=status)


@login_required
def inbox_message(request, pk: int):
    return _render_message(request, selectors.inbox_message(request.user, pk))


@login_required
@require_POST
def inbox_convert(request, pk: int):
    message = selectors.inbox_message(request.user, pk)
    form = LeadForm(request.POST)
    if form.is_valid():
        try:
            company = leads.inquiry_convert(
                actor=request.user,
                message_id=pk,
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                **form.service_fields(),
            )
        except DuplicateCompany as exc:
            add_error_to_form(form, exc)
            return _render_message(request, message, form, exc.matches)
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("“%(name)s” is a new lead; the message is on its timeline.")
                % {"name": company.name},
            )
            return redirect("customers:company-detail", company.pk)
    return _render_message(request, message, form)


@login_required
@require_POST
def inbox_file(request, pk: int):
    selectors.inbox_message(request.user, pk)
    form = FileOnCompanyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the customer to file the message on."))
        return redirect("outreach:inbox-message", pk)
    try:
        company = leads.inquiry_file_on(
            actor=request.user, message_id=pk, company_id=form.cleaned_data["company"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:inbox-message", pk)
    messages.success(request, _("The message is on %(name)s's timeline.") % {"name": company.name})
    return redirect("customers:company-detail", company.pk)


@login_required
@require_POST
def inbox_dismiss(request, pk: int):
    selectors.inbox_message(request.user, pk)
    try:
        leads.inquiry_dismiss(actor=request.user, message_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:inbox-message", pk)
    return redirect(f"{reverse('outreach:inbox')}?dismissed={pk}")


@login_required
@require_POST
def inbox_restore(request, pk: int):
    selectors.inbox_message(request.user, pk)
    try:
        leads.inquiry_restore(actor=request.user, message_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message is back in your inbox."))
    return redirect("outreach:inbox-message", pk)
