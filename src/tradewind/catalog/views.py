"""Catalogue pages: products, their photos and HS codes. Each view parses input, calls one
service or selector, and renders. Every signed-in user may view and edit products; managers and
admins deactivate them and edit HS codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewind.catalog import exporting, selectors, services
from tradewind.catalog.forms import HsCodeForm, PhotoForm, ProductFilterForm, ProductForm
from tradewind.catalog.models import ProductPhoto
from tradewind.catalog.packing import Packing, carton_cbm, container_loads, display_cbm
from tradewind.core.errors import DomainError, add_error_to_form
from tradewind.core.images import content_type_for

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _error_text(exc: Exception) -> str:
    return exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)


@login_required
@require_GET
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    filters = selectors.ProductFilters(**form.filters())
    size = _int(request.GET.get("size"), 20)
    page = selectors.product_list(filters, page=_int(request.GET.get("page")), size=size)
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.copy()
    export_query.pop("size", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_query": export_query.urlencode(),
        "filters": filters,
        "page_sizes": selectors.PAGE_SIZES,
        "can_manage": services.can_manage_catalog(request.user),
    }
    template = "catalog/_product_rows.html" if request.htmx else "catalog/product_list.html"
    return render(request, template, context)


@login_required
@require_GET
def product_export(request):
    form = ProductFilterForm(request.GET or None)
    filters = selectors.ProductFilters(**form.filters())
    return exporting.xlsx_response(filters, request.LANGUAGE_CODE)


def _form_context(form, product=None) -> dict:
    return {"form": form, "product": product, "suppliers": selectors.supplier_names()}


@login_required
def product_create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Product %(model)s added.") % {"model": product.model})
            return redirect("catalog:product-detail", product.pk)
    return render(request, "catalog/product_form.html", _form_context(form))


@login_required
def product_edit(request, pk: int):
    product = selectors.product_get(pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(actor=request.user, product_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalog:product-detail", pk)
    return render(request, "catalog/product_form.html", _form_context(form, product))


def _detail_context(request, product, photo_form=None) -> dict:
    packing = Packing.of(product)
    return {
        "product": product,
        "photos": list(product.photos.all()),
        "photo_form": photo_form or PhotoForm(),
        "max_photos": services.MAX_PHOTOS,
        "cbm": display_cbm(carton_cbm(packing)),
        "loads": container_loads(packing),
        "packing_started": any(
            (packing.length_cm, packing.gross_weight_kg, packing.pcs_per_carton)
        ),
        "history": selectors.product_history(product),
        "quoted": selectors.product_quotation_lines(request.user, product),
        "can_manage": services.can_manage_catalog(request.user),
    }


@login_required
@require_GET
def product_detail(request, pk: int):
    product = selectors.product_get(pk)
    return render(request, "catalog/product_detail.html", _detail_context(request, product))


@login_required
@require_POST
def product_set_active(request, pk: int):
    selectors.product_get(pk)
    active = request.POST.get("active") == "1"
    try:
        product = services.product_set_active(actor=request.user, product_id=pk, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = _("%(model)s is active again.") if active else _("%(model)s deactivated.")
        messages.success(request, text % {"model": product.model})
    return redirect("catalog:product-detail", pk)


@login_required
@require_POST
def photo_add(request, pk: int):
    product = selectors.product_get(pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                product_id=pk,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Photo added."))
            return redirect(reverse("catalog:product-detail", args=[pk]) + "#photos")
    context = _detail_context(request, product, photo_form=form)
    return render(request, "catalog/product_detail.html", context, status=422)


def _photo_or_404(pk: int) -> ProductPhoto:
    photo = ProductPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    return photo


@login_required
@require_GET
def photo_file(request, pk: int):
    """A product photo, for signed-in users only (media files are not served publicly)."""
    photo = _photo_or_404(pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(photo.image.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def photo_delete(request, pk: int):
    photo = _photo_or_404(pk)
    try:
        services.photo_remove(actor=request.user, photo_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Photo removed."))
    return redirect(reverse("catalog:product-detail", args=[photo.product_id]) + "#photos")


@login_required
@require_POST
def photo_move(request, pk: int):
    photo = _photo_or_404(pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    if request.POST.get("direction") == "first":
        offset = -services.MAX_PHOTOS
    try:
        services.photo_move(actor=request.user, photo_id=pk, offset=offset)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("catalog:product-detail", args=[photo.product_id]) + "#photos")


# --- HS codes -----------------------------------------------------------------------------


@login_required
def hs_code_list(request):
    can_manage = services.can_manage_catalog(request.user)
    form = HsCodeForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Forbidden
        if form.is_valid():
            try:
                hs = services.hs_code_create(actor=request.user, **form.cleaned_data)
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(request, _("HS code %(code)s added.") % {"code": hs.code})
                return redirect("catalog:hs-code-list")
    q = request.GET.get("q", "")[:100]
    context = {
        "codes": selectors.hs_code_list(q),
        "q": q,
        "form": form,
        "can_manage": can_manage,
        "show_form": request.method == "POST" or request.GET.get("add") == "1",
    }
    return render(request, "catalog/hs_code_list.html", context)


@login_required
def hs_code_edit(request, code: str):
    if not services.can_manage_catalog(request.user):
        raise Forbidden
    hs = selectors.hs_code_get(code)
    form = HsCodeForm(request.POST or None, instance=hs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code", None)
        try:
            services.hs_code_update(actor=request.user, code=hs.code, **data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("HS code %(code)s saved.") % {"code": hs.code})
            return redirect("catalog:hs-code-list")
    context = {
        "form": form,
        "hs": hs,
        "history": selectors.hs_code_history(hs),
        "product_count": hs.products.count(),
    }
    return render(request, "catalog/hs_code_form.html", context)
