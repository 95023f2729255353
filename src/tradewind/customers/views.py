"""Customer pages. Each view parses input, calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.customers import geo, selectors, services
from tradewind.customers.dedup import selectors as duplicate_selectors
from tradewind.customers.dedup.forms import FirstContactForm
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.customers.forms import (
    ActivityForm,
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    TaskForm,
)
from tradewind.customers.models import Activity, Contact, Task

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@login_required
def company_list(request):
    form = CompanyFilterForm(request.GET or None, actor=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CompanyFilters(
        **{k: (v if k == "min_score" else v or "") for k, v in data.items()}
    )
    size = _int(request.GET.get("size"), 20)
    page = selectors.company_list(
        request.user, filters, page=_int(request.GET.get("page")), size=size
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "page_sizes": selectors.PAGE_SIZES,
    }
    template = "customers/_company_rows.html" if request.htmx else "customers/company_list.html"
    return render(request, template, context)


def _duplicate_context(request, exc: Exception | None) -> dict:
    """What the form's live duplicate check shows after a POST the policy refused."""
    if not isinstance(exc, DuplicateCompany):
        return {"dup_matches": [], "dup_blocked": False}
    return {
        "dup_matches": duplicate_selectors.mark_visible(request.user, exc.matches),
        "dup_blocked": exc.blocked,
    }


@login_required
def company_create(request):
    form = CompanyForm(request.POST or None, actor=request.user)
    contact_form = FirstContactForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid() and contact_form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags")
        try:
            company = services.company_create(
                actor=request.user,
                tags=tags,
                confirm_duplicate=contact_form.cleaned_data["confirm_duplicate"],
                first_contact=contact_form.first_contact(),
                **data,
            )
        except SERVICE_ERRORS as exc:
            refused = exc
            on_contact = (getattr(exc, "field", None) or "").startswith("contact_")
            add_error_to_form(contact_form if on_contact else form, exc)
        else:
            messages.success(request, _("Customer “%(name)s” created.") % {"name": company.name})
            return redirect("customers:company-detail", company.pk)
    context = {"form": form, "contact_form": contact_form} | _duplicate_context(request, refused)
    return render(request, "customers/company_form.html", context)


@login_required
def company_edit(request, pk: int):
    company = selectors.company_get(request.user, pk)
    form = CompanyForm(request.POST or None, instance=company, actor=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags")
        try:
            services.company_update(actor=request.user, company_id=pk, tags=tags, **data)
        except SERVICE_ERRORS as exc:
            refused = exc
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:company-detail", pk)
    context = {"form": form, "company": company} | _duplicate_context(request, refused)
    return render(request, "customers/company_form.html", context)


@login_required
def company_delete(request, pk: int):
    company = selectors.company_get(request.user, pk)
    if request.method == "POST":
        try:
            services.company_delete(actor=request.user, company_id=pk)
        except SERVICE_ERRORS as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
            return redirect("customers:company-detail", pk)
        messages.success(request, _("Customer “%(name)s” deleted.") % {"name": company.name})
        return redirect("customers:company-list")
    return render(request, "customers/company_confirm_delete.html", {"company": company})


def _detail_context(request, company, **forms):
    contacts = list(company.contacts.all())
    zone = geo.buyer_time_zone(company, contacts)
    return {
        "company": company,
        "country_name": geo.country_name(company.country, request.LANGUAGE_CODE),
        "buyer_zone": zone,
        "buyer_now": geo.local_now(zone, timezone.now()) if zone else None,
        "contacts": contacts,
        "timeline": selectors.company_timeline(company),
        **dict(zip(("open_tasks", "done_tasks"), selectors.company_tasks(company), strict=True)),
        "audit": selectors.company_audit(company),
        "activity_form": forms.get("activity_form") or ActivityForm(company=company),
        "task_form": forms.get("task_form") or TaskForm(company=company, actor=request.user),
        "now": timezone.now(),
    }


@login_required
def company_detail(request, pk: int):
    company = selectors.company_get(request.user, pk)
    return render(request, "customers/company_detail.html", _detail_context(request, company))


@login_required
def contact_create(request, pk: int):
    company = selectors.company_get(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, company_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Contact added."))
            return redirect("customers:company-detail", pk)
    return render(request, "customers/contact_form.html", {"form": form, "company": company})


@login_required
def contact_edit(request, pk: int):
    contact = selectors.visible_or_404(Contact, request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("customers:company-detail", contact.company_id)
    context = {"form": form, "company": contact.company, "contact": contact}
    return render(request, "customers/contact_form.html", context)


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = selectors.visible_or_404(Contact, request.user, pk)
    services.contact_delete(actor=request.user, contact_id=pk)
    messages.success(request, _("Contact “%(name)s” deleted.") % {"name": contact.name})
    return redirect("customers:company-detail", contact.company_id)


def _company_section(request, company, section: str, **forms):
    """After an htmx quick-add: the refreshed section, else back to the company page."""
    if request.htmx:
        context = _detail_context(request, company, **forms) | {"oob_history": True}
        return render(request, f"customers/_{section}.html", context)
    return redirect(reverse("customers:company-detail", args=[company.pk]) + f"#{section}")


@login_required
@require_POST
def activity_create(request, pk: int):
    company = selectors.company_get(request.user, pk)
    form = ActivityForm(request.POST, company=company)
    if form.is_valid():
        try:
            services.activity_log(actor=request.user, company_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            return _company_section(request, company, "timeline")
    context = _detail_context(request, company, activity_form=form)
    template = "customers/_timeline.html" if request.htmx else "customers/company_detail.html"
    return render(request, template, context, status=422 if request.htmx else 200)


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = selectors.visible_or_404(Activity, request.user, pk)
    try:
        services.activity_delete(actor=request.user, activity_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("customers:company-detail", args=[activity.company_id]) + "#timeline")


@login_required
@require_POST
def task_create(request, pk: int):
    company = selectors.company_get(request.user, pk)
    form = TaskForm(request.POST, company=company, actor=request.user)
    if form.is_valid():
        try:
            services.task_create(actor=request.user, company_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            return _company_section(request, company, "tasks")
    context = _detail_context(request, company, task_form=form)
    template = "customers/_tasks.html" if request.htmx else "customers/company_detail.html"
    return render(request, template, context, status=422 if request.htmx else 200)


@login_required
def task_edit(request, pk: int):
    task = selectors.visible_or_404(Task, request.user, pk)
    form = TaskForm(request.POST or None, instance=task, company=task.company, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect(reverse("customers:company-detail", args=[task.company_id]) + "#tasks")
    return render(request, "customers/task_form.html", {"form": form, "task": task})


@login_required
@require_POST
def task_complete(request, pk: int):
    task = selectors.visible_or_404(Task, request.user, pk)
    if request.POST.get("undo"):
        services.task_update(actor=request.user, task_id=pk, done_at=None)
    else:
        services.task_complete(actor=request.user, task_id=pk)
    target = request.POST.get("next")
    if target == "tasks":
        return redirect("customers:task-list")
    if target == "my-day":
        return redirect("web:my-day")
    return _company_section(request, task.company, "tasks")


@login_required
@require_POST
def task_delete(request, pk: int):
    task = selectors.visible_or_404(Task, request.user, pk)
    services.task_delete(actor=request.user, task_id=pk)
    messages.success(request, _("Follow-up deleted."))
    return redirect(reverse("customers:company-detail", args=[task.company_id]) + "#tasks")


@login_required
def task_list(request):
    show = "done" if request.GET.get("show") == "done" else "open"
    page = selectors.task_list(request.user, show=show, page=_int(request.GET.get("page")))
    return render(
        request, "customers/task_list.html", {"page": page, "show": show, "now": timezone.now()}
    )
