"""Product import pages: upload → every row checked → report → import (good rows, or all or
nothing). The checked table waits in a signed form field (``importing.stage``), not on disk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.catalog import importing
from tradewind.catalog.forms import ImportForm, ImportRunForm
from tradewind.core.errors import DomainError, add_error_to_form

REPORT_OK_ROWS = 200  # good rows listed on the report; bad rows are always all listed


def _report_context(report, *, token: str = "", run_form=None) -> dict:
    shown = [row for row in report.rows if row.action != "error"][:REPORT_OK_ROWS]
    for row in shown:
        row.change_labels = importing.change_labels(row) if row.action == "update" else []
    return {
        "report": report,
        "error_rows": report.errors,
        "ok_rows": shown,
        "ok_rows_hidden": len(report.rows) - len(report.errors) - len(shown),
        "token": token,
        "run_form": run_form,
        "counts": {
            action: report.count(action)
            for action in ("create", "update", "unchanged", "skip", "error")
        },
    }


@login_required
def product_import(request):
    """Upload a file: every row is checked and reported; nothing is written yet."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            importing.check_size(upload.size)
            content = upload.read()
            table = importing.read_table(content, upload.name)
            report = importing.product_import(
                actor=request.user,
                table=table,
                mode=form.cleaned_data["mode"],
                on_existing=form.cleaned_data["on_existing"],
                dry_run=True,
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            token = importing.stage(request.user, table)
            run_form = ImportRunForm(
                initial={"token": token, "mode": report.mode, "on_existing": report.on_existing}
            )
            context = _report_context(report, token=token, run_form=run_form)
            return render(request, "catalog/import_report.html", context)
    return render(request, "catalog/import.html", {"form": form})


@login_required
@require_POST
def product_import_run(request):
    """Import the checked file: every row is checked again against the catalogue as it is now."""
    form = ImportRunForm(request.POST)
    if not form.is_valid():
        return _start_again(request, _("This import cannot be continued. Upload the file again."))
    try:
        table = importing.unstage(request.user, form.cleaned_data["token"])
        report = importing.product_import(
            actor=request.user,
            table=table,
            mode=form.cleaned_data["mode"],
            on_existing=form.cleaned_data["on_existing"],
        )
    except DomainError as exc:
        return _start_again(request, exc.message)
    return render(request, "catalog/import_report.html", _report_context(report))


def _start_again(request, message: str):
    messages.error(request, message)
    return render(request, "catalog/import.html", {"form": ImportForm()}, status=400)
