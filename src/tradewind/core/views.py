"""Workspace settings pages: exchange rates, the company profile and team minimum margins.
Each view parses input, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tradewind.core import fx, workspace
from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.core.forms import CompanyProfileForm, FxRateForm, TeamMarginForm
from tradewind.core.images import content_type_for
from tradewind.core.models import CompanyProfile

SERVICE_ERRORS = (DomainError, ValidationError)


@login_required
def fx_rates(request):
    """Every currency's latest rate, one currency's history, and (managers, admins) a form."""
    can_set = fx.can_set_rates(request.user)
    form = FxRateForm(request.POST or None) if can_set else None
    if request.method == "POST":
        if not can_set:
            raise Forbidden
        if form.is_valid():
            try:
                rate = fx.fx_rate_set(actor=request.user, **form.cleaned_data)
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(currency)s on %(day)s: %(rate)s RMB saved.")
                    % {
                        "currency": rate.currency,
                        "day": rate.date.isoformat(),
                        "rate": fx.rate_text(rate.rmb_per_unit),
                    },
                )
                return redirect(f"{request.path}?currency={rate.currency}")
    latest = fx.latest_rates()
    codes = [rate.currency for rate in latest]
    selected = (request.GET.get("currency") or "").upper()[:3]
    if selected not in codes:
        selected = codes[0] if codes else ""
    history = fx.rate_history(selected) if selected else []
    for rate in (*latest, *history):
        rate.rate_text = fx.rate_text(rate.rmb_per_unit)
    context = {
        "latest": latest,
        "selected": selected,
        "history": history,
        "form": form,
        "can_set": can_set,
        "common_currencies": fx.COMMON_CURRENCIES,
        "today": fx.workspace_today(),
    }
    return render(request, "core/fx.html", context)


@login_required
def company_profile(request):
    """Admins edit the letterhead and bank details; everyone else reads them."""
    profile = CompanyProfile.current()
    can_edit = workspace.can_edit_workspace(request.user)
    form = None
    if can_edit:
        form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if not can_edit:
            raise Forbidden
        if form.is_valid():
            data = dict(form.cleaned_data)
            logo, remove = data.pop("logo_file"), data.pop("remove_logo")
            try:
                workspace.company_profile_update(
                    actor=request.user, logo=logo, remove_logo=remove, **data
                )
            except SERVICE_ERRORS as exc:
                if isinstance(exc, DomainError) and exc.field == "logo":
                    exc.field = "logo_file"
                add_error_to_form(form, exc)
            else:
                messages.success(request, _("Company profile saved."))
                return redirect("workspace:company-profile")
        profile.refresh_from_db()
    context = {"profile": profile, "form": form, "can_edit": can_edit}
    return render(request, "core/company_profile.html", context)


@login_required
@require_GET
def company_logo(request):
    """The logo, for signed-in users (media files are not served publicly)."""
    profile = CompanyProfile.current()
    if not profile.logo:
        raise Http404
    try:
        handle = profile.logo.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(profile.logo.name))
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def teams(request):
    """Each team's minimum margin: admins set it, a manager sees their own teams'."""
    user = request.user
    if not (user.is_workspace_admin or user.is_manager):
        raise Forbidden
    can_edit = workspace.can_edit_workspace(user)
    failed = None
    if request.method == "POST":
        if not can_edit:
            raise Forbidden
        failed = TeamMarginForm(request.POST)
        if failed.is_valid():
            try:
                team = workspace.team_min_margin_set(
                    actor=user,
                    team_id=failed.cleaned_data["team"],
                    min_margin_percent=failed.cleaned_data["min_margin_percent"],
                )
            except SERVICE_ERRORS as exc:
                add_error_to_form(failed, exc)
            else:
                messages.success(
                    request,
                    _("Minimum margin of %(team)s set to %(margin)s %%.")
                    % {"team": team.name, "margin": team.min_margin_percent},
                )
                return redirect("workspace:teams")
    rows = []
    for team in workspace.visible_teams(user):
        form = None
        if can_edit:
            is_failed = failed is not None and str(failed.data.get("team")) == str(team.pk)
            initial = {"team": team.pk, "min_margin_percent": team.min_margin_percent}
            form = failed if is_failed else TeamMarginForm(initial=initial)
        rows.append({"team": team, "form": form})
    context = {"rows": rows, "can_edit": can_edit}
    return render(request, "core/teams.html", context)
