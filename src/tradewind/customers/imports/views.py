"""Import and export pages. Each view parses input, calls one service or selector, and renders.

Uploads are cut off at the size limit while they stream in (``LimitedUploadHandler``): a file
over the limit is never stored, in memory or on disk, and the page says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.customers.forms import CompanyFilterForm
from tradewind.customers.imports import export, parsing, report, selectors, services, sheets
from tradewind.customers.imports.choices import JobStatus, Outcome
from tradewind.customers.imports.forms import MappingForm, UploadForm
from tradewind.customers.imports.mapping import column_letter
from tradewind.customers.selectors import CompanyFilters, company_queryset

SERVICE_ERRORS = (DomainError, ValidationError)


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the import size limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = parsing.max_upload_bytes()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@csrf_exempt
def upload(request):
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _upload(request)


@csrf_protect
@login_required
def _upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    too_large = getattr(request, "upload_too_large", False)
    if request.method == "POST" and too_large:
        form.is_valid()  # no file arrived: replace "required" with the reason
        form.errors["file"] = form.error_class([parsing.too_large_message()])
    elif request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=request.user, content=upload_file.read(), file_name=upload_file.name
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            return redirect("imports:mapping", job.pk)
    context = {
        "form": form,
        "jobs": selectors.recent_jobs(request.user),
        "max_mb": parsing.max_upload_bytes() // (1024 * 1024),
    }
    return render(request, "imports/upload.html", context, status=400 if form.errors else 200)


@login_required
def mapping(request, pk: int):
    job = selectors.job_get(request.user, pk)
    if job.status != JobStatus.MAPPING:
        return redirect("imports:job", job.pk)
    form = MappingForm(
        request.POST or None, headers=job.headers, mapping=job.mapping, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.import_job_start(
                actor=request.user,
                job_id=job.pk,
                mapping=form.mapping(),
                on_duplicate=data["on_duplicate"],
                owner_choice=data["owner_choice"],
                owner=data.get("owner"),
                dry_run=data["dry_run"],
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            return redirect("imports:job", job.pk)
    try:
        preview = services.job_preview(job)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:upload")
    context = {"job": job, "form": form, "preview": preview, "columns": _columns(form, preview)}
    return render(request, "imports/mapping.html", context, status=400 if form.errors else 200)


def _columns(form, preview) -> list[dict]:
    """Each column of the file: its letter, its select and a few example values."""
    columns = []
    for index, bound in enumerate(form.column_fields()):
        samples = [row[index] for row in preview.rows if row[index]][:3]
        columns.append(
            {"letter": column_letter(index), "field": bound, "samples": samples, "index": index}
        )
    return columns


def _job_context(request, job) -> dict:
    return {"job": job, "stalled": services.is_stalled(job), "counts": _counts(job)}


def _counts(job) -> list[tuple[str, str, int]]:
    labels = {outcome: label for outcome, label in Outcome.choices}
    if job.dry_run:
        from tradewind.customers.imports.choices import DRY_RUN_LABELS

        labels = {outcome: str(label) for outcome, label in DRY_RUN_LABELS.items()}
    return [(outcome, labels[outcome], count) for outcome, count in job.counts().items()]


@login_required
def job_detail(request, pk: int):
    job = selectors.job_get(request.user, pk)
    if job.status == JobStatus.MAPPING:
        return redirect("imports:mapping", job.pk)
    outcome = request.GET.get("outcome", "")
    page = selectors.job_rows(job, outcome=outcome, page=_int(request.GET.get("page")))
    for row in page.items:
        row.display_outcome = row.outcome_label(job.dry_run)
    context = _job_context(request, job) | {
        "page": page,
        "outcome": outcome if outcome in Outcome.values else "",
        "visible_ids": selectors.visible_company_ids(request.user, page.items),
    }
    return render(request, "imports/job.html", context)


@login_required
def job_progress(request, pk: int):
    """The progress card alone, polled by htmx every second while the job runs."""
    job = selectors.job_get(request.user, pk)
    response = render(request, "imports/_progress.html", _job_context(request, job))
    if job.status == JobStatus.DONE and request.GET.get("was") != JobStatus.DONE:
        response["HX-Refresh"] = "true"  # show the rows of the finished import
    return response


@require_POST
@login_required
def job_resume(request, pk: int):
    try:
        services.import_job_resume(actor=request.user, job_id=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
    return redirect("imports:job", pk)


@require_POST
@login_required
def job_run_for_real(request, pk: int):
    try:
        job = services.import_job_run_for_real(actor=request.user, job_id=pk)
    except SERVICE_ERRORS as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
        return redirect("imports:job", pk)
    return redirect("imports:job", job.pk)


@login_required
def job_report(request, pk: int):
    job = selectors.job_get(request.user, pk)
    header, rows = report.report_header(), report.report_rows(job)
    if request.GET.get("format") == "xlsx":
        filename = report.report_filename(job, "xlsx")
        return sheets.xlsx_response(filename, _("Import report"), header, rows)
    return sheets.csv_response(report.report_filename(job, "csv"), header, rows)


def _filters(request) -> tuple[CompanyFilterForm, CompanyFilters]:
    form = CompanyFilterForm(request.GET or None, actor=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    filters = CompanyFilters(**{k: (v if k == "min_score" else v or "") for k, v in data.items()})
    return form, filters


def _active_filters(form) -> list[tuple[str, str]]:
    """(label, shown value) of each filter in use, e.g. ("Stage", "Quoted")."""
    if not form.is_bound or not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if name == "sort" or value in (None, ""):
            continue
        choices = dict(getattr(form.fields[name], "choices", []) or [])
        shown.append((str(form.fields[name].label), str(choices.get(value, value))))
    return shown


@login_required
def export_customers(request):
    """With ``format=csv|xlsx`` the file; without, a page saying what will be exported."""
    form, filters = _filters(request)
    file_format = request.GET.get("format", "")
    language = request.LANGUAGE_CODE
    if file_format in ("csv", "xlsx"):
        rows = export.export_rows(request.user, filters, language)
        filename = export.export_filename(file_format)
        if file_format == "xlsx":
            return sheets.xlsx_response(filename, _("Customers"), export.export_header(), rows)
        return sheets.csv_response(filename, export.export_header(), rows)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    context = {
        "form": form,
        "count": company_queryset(request.user, filters).count(),
        "query": query.urlencode(),
        "active_filters": _active_filters(form),
    }
    return render(request, "imports/export.html", context)
