"""Sequences: the list, the editor with its steps, the enrollments of a sequence, and enrolling
the customers of the current customer-list filter. Each view parses input, calls one service or
selector, and renders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.customers.forms import CompanyFilterForm
from tradewind.customers.selectors import CompanyFilters
from tradewind.outreach import enrolment, sequences
from tradewind.outreach import letter_selectors as selectors
from tradewind.outreach.choices import EnrollmentStatus
from tradewind.outreach.forms_letters import EnrolFilterForm, SequenceForm, StepFormSet
from tradewind.outreach.mailboxes import mailbox_of


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@login_required
def sequence_list(request):
    mailbox = mailbox_of(request.user)
    context = {
        "sequences": selectors.sequence_list(request.user),
        "mailbox": mailbox,
        "usage": selectors.mailbox_usage(mailbox, request.user),
    }
    return render(request, "outreach/sequences/sequence_list.html", context)


def _step_initial(sequence) -> list[dict]:
    return [
        {
            "kind": step.kind,
            "delay_working_days": step.delay_working_days,
            "template": step.template_id,
            "task_title": step.task_title,
        }
        for step in sequence.steps.order_by("position")
    ]


@login_required
def sequence_edit(request, pk: int | None = None):
    sequence = None
    if pk is not None:
        try:
            sequence = selectors.sequence_for_edit(request.user, pk)
        except NotFound:
            raise Http404 from None
    templates = list(selectors.usable_templates(request.user))
    initial = (
        {"name": sequence.name, "is_shared": sequence.is_shared, "is_active": sequence.is_active}
        if sequence
        else {"is_active": True}
    )
    form = SequenceForm(request.POST or None, initial=initial)
    steps = StepFormSet(
        request.POST or None,
        initial=_step_initial(sequence) if sequence else None,
        form_kwargs={"templates": templates},
        prefix="steps",
    )
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        try:
            saved = sequences.sequence_save(
                actor=request.user, sequence_id=pk, steps=steps.specs(), **form.cleaned_data
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Sequence “%(name)s” saved.") % {"name": saved.name})
            return redirect("outreach:sequence-list")
    context = {"sequence": sequence, "form": form, "steps": steps, "templates": templates}
    return render(request, "outreach/sequences/sequence_form.html", context)


@login_required
@require_POST
def sequence_delete(request, pk: int):
    try:
        sequence = selectors.sequence_for_edit(request.user, pk)
        sequences.sequence_delete(actor=request.user, sequence_id=pk)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:sequence-edit", pk)
    messages.success(request, _("Sequence “%(name)s” deleted.") % {"name": sequence.name})
    return redirect("outreach:sequence-list")


@login_required
def enrollment_list(request):
    """Enrollments the user can see (their customers'), of one sequence or all, by status."""
    sequence_id = _int(request.GET.get("sequence"), 0) or None
    status = request.GET.get("status", "")
    page = selectors.enrollment_list(
        request.user, sequence_id=sequence_id, status=status, page=_int(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "sequences": list(selectors.usable_sequences(request.user).order_by("name")),
        "sequence_id": sequence_id,
        "status": status,
        "statuses": EnrollmentStatus.choices,
        "query": query.urlencode(),
    }
    return render(request, "outreach/sequences/enrollment_list.html", context)


def _filters(query: QueryDict, user) -> tuple[CompanyFilters, CompanyFilterForm]:
    form = CompanyFilterForm(query, actor=user)
    data = form.cleaned_data if form.is_valid() else {}
    filters = CompanyFilters(**{k: (v if k == "min_score" else v or "") for k, v in data.items()})
    return filters, form


def _filter_summary(form: CompanyFilterForm) -> list[tuple[str, str]]:
    """(label, shown value) of each filter in use, for "Customers matching: …"."""
    if not form.is_bound or not form.is_valid():
        return []
    summary = []
    for name, value in form.cleaned_data.items():
        if value in ("", None) or name == "sort":
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", ())).get(value, value)
        summary.append((str(field.label), str(shown)))
    return summary


def _filter_query(filters: CompanyFilters) -> str:
    pairs = [(k, v) for k, v in vars(filters).items() if v not in ("", None) and k != "sort"]
    return urlencode(pairs)


@login_required
def enrol_filter(request):
    """Enrol the customers of the customer-list filter. From the list's button (htmx), answer
    with a redirect carrying the filter as it is *now* in the form, not as the page loaded."""
    if request.htmx and request.method == "GET":
        filters, _form = _filters(request.GET, request.user)
        response = HttpResponse(status=200)
        response["HX-Redirect"] = f"{reverse('outreach:enrol-filter')}?{_filter_query(filters)}"
        return response
    source = QueryDict(request.POST.get("filters", "")) if request.method == "POST" else request.GET
    filters, filter_form = _filters(source, request.user)
    usable = list(selectors.usable_sequences(request.user).filter(is_active=True).order_by("name"))
    form = EnrolFilterForm(request.POST or None, sequences=usable)
    if request.method == "POST" and form.is_valid():
        try:
            report = enrolment.enroll_filtered(
                actor=request.user,
                sequence_id=form.cleaned_data["sequence"],
                filters=filters,
                who=form.cleaned_data["who"],
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _report_text(report))
            for problem in report.problems:
                messages.warning(request, problem)
            url = reverse("outreach:enrollment-list")
            return redirect(f"{url}?sequence={form.cleaned_data['sequence']}")
    context = {
        "form": form,
        "filters": filters,
        "summary": _filter_summary(filter_form),
        "filter_query": _filter_query(filters),
        "count": enrolment.filtered_company_count(request.user, filters),
        "limit": enrolment.MAX_BULK_COMPANIES,
        "mailbox": mailbox_of(request.user),
    }
    return render(request, "outreach/sequences/enrol_filter.html", context)


def _report_text(report: enrolment.EnrolReport) -> str:
    parts = [_("%(n)s enrolled") % {"n": report.enrolled}]
    for count, label in (
        (report.already, _("already in a sequence")),
        (report.suppressed, _("on the do-not-mail list")),
        (report.no_email, _("without an email address")),
        (report.missing, _("missing a merge value")),
        (report.past_first_contact, _("already at the inquiry stage or later")),
        (report.pool, _("in the public pool")),
        (report.no_zone, _("without a country or time zone")),
    ):
        if count:
            parts.append(_("%(n)s skipped: %(why)s") % {"n": count, "why": label})
    return " · ".join(parts) + "."
