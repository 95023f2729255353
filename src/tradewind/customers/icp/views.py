"""Profile pages (managers write, everyone reads) and the company page's screening form.

Each view parses input, calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.customers import selectors as customer_selectors
from tradewind.customers.icp import selectors, services
from tradewind.customers.icp.forms import ProfileForm, ScreeningForm
from tradewind.customers.icp.screening import screening_update
from tradewind.customers.icp.templatetags.icp import panel_context

SERVICE_ERRORS = (DomainError, ValidationError)


def _require_editor(user) -> None:
    if not services.can_edit_profiles(user):
        raise PermissionDenied


@login_required
def profile_list(request):
    context = {
        "rows": selectors.profile_rows(),
        "can_edit": services.can_edit_profiles(request.user),
        "rescoring": selectors.rescore_pending(),
    }
    return render(request, "icp/profile_list.html", context)


@login_required
def rescore_status(request):
    """The "scores are being updated" banner, polled by the profile page until it is done."""
    context = {"rescoring": selectors.rescore_pending(), "polled": True}
    return render(request, "icp/_rescore_banner.html", context)


def _saved_message(request, profile) -> None:
    if selectors.rescore_pending():
        text = _("Profile “%(name)s” saved. Scores are being updated in the background.")
    else:
        text = _("Profile “%(name)s” saved. Every customer's fit score is up to date.")
    messages.success(request, text % {"name": profile.name})


@login_required
def profile_create(request):
    _require_editor(request.user)
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            _saved_message(request, profile)
            return redirect("icp:profile-list")
    return render(request, "icp/profile_form.html", {"form": form})


@login_required
def profile_edit(request, pk: int):
    _require_editor(request.user)
    profile = selectors.profile_get(pk)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, profile_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            _saved_message(request, profile)
            return redirect("icp:profile-list")
    return render(request, "icp/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def profile_set_active(request, pk: int):
    _require_editor(request.user)
    active = request.POST.get("active") == "1"
    try:
        profile = services.profile_set_active(actor=request.user, profile_id=pk, active=active)
    except SERVICE_ERRORS as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else str(exc))
        return redirect("icp:profile-list")
    if active:
        _saved_message(request, profile)
    else:
        messages.success(request, _("Profile “%(name)s” deactivated.") % {"name": profile.name})
    return redirect("icp:profile-list")


@login_required
@require_POST
def screening(request, pk: int):
    """Save the screening checklist and status of a company (htmx: answers with the panel)."""
    company = customer_selectors.company_get(request.user, pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            company = screening_update(actor=request.user, company_id=pk, **data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Screening saved."))
                return redirect(reverse("customers:company-detail", args=[pk]) + "#fit")
            context = panel_context(
                request,
                company,
                audit=customer_selectors.company_audit(company),
                saved=True,
                oob_history=True,
            )
            return render(request, "icp/_fit_panel.html", context)
    if not request.htmx:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(reverse("customers:company-detail", args=[pk]) + "#fit")
    return render(request, "icp/_fit_panel.html", panel_context(request, company, form), status=422)
