"""Duplicate-check pages: possible duplicates, merge, "not a duplicate", and the live check.
Each view parses input, calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.customers import selectors as customer_selectors
from tradewind.customers.choices import DuplicatePolicy
from tradewind.customers.dedup import selectors, services
from tradewind.customers.dedup.forms import CheckForm, MergeForm
from tradewind.customers.models import WorkspacePolicy


def _int(value, default: int = 1) -> int:
    try:
        return max(1, min(int(value), 10**12))
    except (TypeError, ValueError):
        return default


def _other_id(request, pk: int) -> int:
    """The second company of a merge or dismissal (``?with=`` or the form's ``other``)."""
    other = _int(request.GET.get("with") or request.POST.get("other"), 0)
    if not other or other == pk:
        raise Http404
    return other


@login_required
def pair_list(request):
    min_score = 95 if request.GET.get("certain") else 0
    page = selectors.duplicate_pairs(
        request.user, page=_int(request.GET.get("page")), min_score=min_score
    )
    context = {
        "page": page,
        "certain_only": bool(min_score),
        "may_merge": services.may_merge(request.user),
    }
    return render(request, "dedup/pair_list.html", context)


@login_required
def check(request):
    """The live check under the new-customer form (an htmx partial)."""
    form = CheckForm(request.GET)
    candidate = form.candidate()
    matches = []
    if candidate is not None:
        exclude = form.cleaned_data.get("exclude")
        matches = selectors.live_check(request.user, candidate, exclude_company_id=exclude)
    block = WorkspacePolicy.current().duplicate_policy == DuplicatePolicy.BLOCK
    blocked = block and any(checked.match.is_certain for checked in matches)
    context = {
        "matches": matches,
        "blocked": blocked,
        "editing": bool(form.is_valid() and form.cleaned_data.get("exclude")),
        "checked": candidate is not None,
        "confirmed": bool(request.GET.get("confirm_duplicate")),
        "oob": bool(getattr(request, "htmx", False)),
    }
    return render(request, "dedup/_check.html", context)


def _merge_error(request, exc: DomainError):
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, PermissionDenied):
        raise Forbidden(exc.message) from exc
    messages.error(request, exc.message)
    return redirect("dedup:pair-list")


@login_required
def merge(request, pk: int):
    customer_selectors.company_get(request.user, pk)  # a customer the user cannot see: 404
    other = _other_id(request, pk)
    if not services.may_merge(request.user):
        raise Forbidden(_("Only a manager or an admin can merge customers."))
    form = MergeForm(request.POST or None, company_ids=(pk, other))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survivor = services.company_merge(
                actor=request.user, survivor_id=data["survivor"], duplicate_id=data["duplicate"]
            )
        except DomainError as exc:
            return _merge_error(request, exc)
        messages.success(request, _("Merged into “%(name)s”.") % {"name": survivor.name})
        return redirect("customers:company-detail", survivor.pk)
    keep = _int(request.GET.get("keep"), min(pk, other))
    survivor_id = keep if keep in (pk, other) else min(pk, other)
    duplicate_id = other if survivor_id == pk else pk
    try:
        preview = services.merge_preview(
            actor=request.user, survivor_id=survivor_id, duplicate_id=duplicate_id
        )
    except DomainError as exc:
        return _merge_error(request, exc)
    context = preview | {"pk": pk, "other": other, "form": form}
    return render(request, "dedup/merge.html", context)


@login_required
@require_POST
def dismiss(request, pk: int):
    customer_selectors.company_get(request.user, pk)
    other = _other_id(request, pk)
    try:
        services.pair_dismiss(actor=request.user, first_id=pk, second_id=other)
    except DomainError as exc:
        return _merge_error(request, exc)
    messages.success(request, _("Marked as different customers; the pair will not show again."))
    target = request.POST.get("next") or reverse("dedup:pair-list")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("dedup:pair-list")
    return redirect(target)
