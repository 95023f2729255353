"""Quotation pages: list, create, the cost sheet of a revision (terms, lines, working,
alternatives, approval), terms and line forms, compare, approvals. Each view parses input, calls
one service or selector, and renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, PermissionDenied, add_error_to_form
from tradewind.customers.selectors import company_get
from tradewind.quotes import approvals, pricing, quotations
from tradewind.quotes import quotation_selectors as selectors
from tradewind.quotes.checklist import checklist
from tradewind.quotes.choices import ApprovalStatus, IncotermChoice, QuotationStatus
from tradewind.quotes.forms_quotations import (
    COMMON_CURRENCIES,
    ApprovalDecisionForm,
    ApprovalRequestForm,
    CancelForm,
    ChargeFormSet,
    FromInquiryForm,
    LineForm,
    QuotationCreateForm,
    QuotationFilterForm,
    RevisionTermsForm,
    charge_initial,
)
from tradewind.quotes.models import Inquiry

SERVICE_ERRORS = (DomainError, ValidationError)


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _revision_url(revision, anchor: str = "") -> str:
    url = reverse("quotations:revision-detail", args=[revision.pk])
    return f"{url}#{anchor}" if anchor else url


def _problem(request, problem: DomainError | None) -> None:
    if problem is not None:
        messages.warning(
            request, _("Saved, but not priced yet: %(problem)s") % {"problem": problem.message}
        )


# --- List -----------------------------------------------------------------------------------


@login_required
def quotation_list(request):
    form = QuotationFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.QuotationFilters(
        q=data.get("q", ""),
        status=data.get("status", ""),
        expired=data.get("expired", ""),
        scope=data.get("scope", ""),
    )
    page = selectors.quotation_list(
        request.user,
        filters,
        page=_int(request.GET.get("page")),
        size=_int(request.GET.get("size"), 20),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filters": filters}
    template = "quotes/quotations/_rows.html" if request.htmx else "quotes/quotations/list.html"
    return render(request, template, context)


# --- Create ---------------------------------------------------------------------------------


def _create_initial(request) -> dict:
    from tradewind.core.models import CompanyProfile

    place = CompanyProfile.current().default_port_of_loading
    return {
        "currency": "USD",
        "incoterm": "FOB",
        "named_place": place,
        "payment_terms": quotations.DEFAULT_PAYMENT_TERMS,
        "valid_until": timezone.localdate()
        + timezone.timedelta(days=quotations.DEFAULT_VALIDITY_DAYS),
        "margin_percent": quotations._default_margin(request.user),
    }


@login_required
def quotation_create(request, pk: int):
    company = company_get(request.user, pk)
    form = QuotationCreateForm(
        request.POST or None, company=company, initial=_create_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            quotation = quotations.quotation_create(
                actor=request.user, company_id=company.pk, **data
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Quotation %(number)s created. Add the lines to price it.")
                % {"number": quotation.number},
            )
            revision = quotations.latest_revision(quotation)
            return redirect(reverse("quotations:line-add", args=[revision.pk]))
    context = {"form": form, "company": company, "currencies": COMMON_CURRENCIES}
    return render(request, "quotes/quotations/create.html", context)


@login_required
def quotation_create_from_inquiry(request, pk: int):
    inquiry = (
        Inquiry.objects.visible_to(request.user)
        .select_related("company", "contact", "assignee")
        .prefetch_related("lines__product")
        .filter(pk=pk)
        .first()
    )
    if inquiry is None:
        raise Http404
    initial = _create_initial(request)
    form = FromInquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quotation = quotations.quotation_create_from_inquiry(
                actor=request.user, inquiry_id=inquiry.pk, **form.cleaned_data
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Quotation %(number)s created from the inquiry.") % {"number": quotation.number},
            )
            return redirect(_revision_url(quotations.latest_revision(quotation)))
    rows = checklist(inquiry)
    context = {
        "form": form,
        "inquiry": inquiry,
        "company": inquiry.company,
        "checklist": rows,
        "missing": [row for row in rows if row.is_missing],
        "terms": quotations.inquiry_terms(inquiry),
        "lines": list(inquiry.lines.all()),
    }
    return render(request, "quotes/quotations/create_from_inquiry.html", context)


@login_required
def quotation_detail(request, pk: int):
    quotation = selectors.quotation_get(request.user, pk)
    return redirect(_revision_url(quotations.latest_revision(quotation)))


@login_required
@require_POST
def quotation_cancel(request, pk: int):
    quotation = selectors.quotation_get(request.user, pk)
    form = CancelForm(request.POST)
    target = _revision_url(quotations.latest_revision(quotation))
    if not form.is_valid():
        messages.error(request, _("Say why the quotation is cancelled."))
        return redirect(target)
    try:
        quotations.quotation_cancel(
            actor=request.user, quotation_id=pk, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Quotation %(number)s cancelled.") % {"number": quotation})
    return redirect(target)


@login_required
@require_POST
def revision_new(request, pk: int):
    quotation = selectors.quotation_get(request.user, pk)
    try:
        revision = quotations.revision_new(
            actor=request.user, quotation_id=pk, force=bool(request.POST.get("force"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_revision_url(quotations.latest_revision(quotation)))
    text = _("Rev. %(letter)s started as a copy of the last one.")
    messages.success(request, text % {"letter": revision.letter})
    return redirect(_revision_url(revision))


# --- The cost sheet -------------------------------------------------------------------------


@dataclass
class SheetLine:
    line: object
    working: dict
    prices: dict = field(default_factory=dict)  # key → unit price (chosen convention)
    totals: dict = field(default_factory=dict)  # key → total (chosen convention)

    @property
    def chosen_price(self):
        return self.prices.get(self.working.get("chosen"))

    @property
    def chosen_total(self):
        return self.totals.get(self.working.get("chosen"))

    @property
    def margin(self):
        value = self.working.get("margin_percent")
        return Decimal(value) if value is not None else None

    @property
    def key_labels(self) -> set[str]:
        chosen = self.working.get("chosen", "")
        return {f"{chosen} unit price", f"{chosen} total"}


@dataclass
class Sheet:
    lines: list[SheetLine]
    terms: list[str]
    chosen: str
    shipment: dict
    total: Decimal | None
    lowest_margin: Decimal | None
    is_preview: bool = False
    problem: str = ""

    @property
    def base_terms(self) -> list[str]:
        """The Incoterms priced (EXW … CIP), without their commission-inclusive variants."""
        return [key for key in self.terms if key in IncotermChoice.values]

    @property
    def commission_suffix(self) -> str:
        """ "C5" when the prices include a 5 % commission (CIFC5), else ""."""
        return next((key[3:] for key in self.terms if key[:3] in IncotermChoice.values
                     and len(key) > 3), "")  # fmt: skip

    @property
    def chosen_base(self) -> str:
        return self.chosen[:3]


def _sheet_line(line, working: dict) -> SheetLine:
    convention = working.get("convention")
    chosen = [p for p in working.get("prices", []) if p["convention"] == convention]
    return SheetLine(
        line=line,
        working=working,
        prices={p["key"]: Decimal(p["unit_price"]) for p in chosen},
        totals={p["key"]: Decimal(p["total"]) for p in chosen},
    )


def cost_sheet(revision, lines) -> Sheet:
    """What the cost sheet shows: the stored prices when they are current (always for a frozen
    revision); for a draft whose prices are stale, a preview, or why it cannot be priced."""
    if revision.is_frozen or pricing.is_current(revision, lines):
        working = revision.working or {}
        return Sheet(
            lines=[_sheet_line(line, line.working or {}) for line in lines],
            terms=working.get("terms", []),
            chosen=working.get("chosen", pricing.chosen_key(revision)),
            shipment=working.get("shipment", {}),
            total=revision.total_amount,
            lowest_margin=revision.lowest_margin_percent,
        )
    try:
        result = pricing.preview(revision, lines)
    except DomainError as exc:
        return Sheet(
            lines=[SheetLine(line=line, working={}) for line in lines],
            terms=[],
            chosen=pricing.chosen_key(revision),
            shipment={},
            total=None,
            lowest_margin=None,
            problem=exc.message,
        )
    return Sheet(
        lines=[_sheet_line(p.line, p.working()) for p in result.lines],
        terms=result.term_keys,
        chosen=result.chosen_key,
        shipment=result.shipment,
        total=result.total,
        lowest_margin=result.lowest_margin_percent,
        is_preview=True,
    )


def documents_ready() -> bool:
    """Whether the document pages (preview, PDF, send) are installed: their buttons are
    included only then (quotes documents is built beside this module)."""
    try:
        for name in ("revision-preview", "revision-pdf", "revision-xlsx", "revision-send"):
            reverse(f"quotations:{name}", args=[1])
    except NoReverseMatch:
        return False
    return True


def _revision_context(request, revision, **forms) -> dict:
    quotation = revision.quotation
    lines = selectors.revision_lines(revision)
    sheet = cost_sheet(revision, lines)
    approval_rows = selectors.revision_approvals(revision)
    pending = next((a for a in approval_rows if a.decision == ApprovalStatus.PENDING), None)
    revisions = selectors.revisions_of(quotation)
    minimum = approvals.team_minimum(revision)
    return {
        "quotation": quotation,
        "revision": revision,
        "company": quotation.company,
        "revisions": revisions,
        "latest": revisions[-1] if revisions else revision,
        "sheet": sheet,
        "approvals": approval_rows,
        "pending": pending,
        "can_decide": pending is not None and approvals.can_decide(request.user, pending),
        "minimum": minimum,
        "below_minimum": (
            minimum is not None
            and sheet.lowest_margin is not None
            and sheet.lowest_margin < minimum
        ),
        "is_expired": selectors.is_expired(quotation.status, revision.valid_until),
        "is_editable": not revision.is_frozen
        and quotation.status not in (QuotationStatus.CANCELLED, QuotationStatus.ACCEPTED),
        "request_form": forms.get("request_form") or ApprovalRequestForm(),
        "decision_form": forms.get("decision_form") or ApprovalDecisionForm(),
        "cancel_form": CancelForm(),
        "other_revisions": [r for r in revisions if r.pk != revision.pk],
        "documents_ready": documents_ready(),
    }


@login_required
def revision_detail(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    context = _revision_context(request, revision)
    return render(request, "quotes/quotations/revision_detail.html", context)


@login_required
@require_POST
def revision_price(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    try:
        result = quotations.revision_price(actor=request.user, revision_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Priced: %(currency)s %(total)s in all.")
            % {"currency": revision.currency, "total": f"{result.total:,.2f}"},
        )
    return redirect(_revision_url(revision))


@login_required
def revision_edit(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    if revision.is_frozen:
        messages.error(request, _("This revision was sent and is frozen; make a new revision."))
        return redirect(_revision_url(revision))
    form = RevisionTermsForm(request.POST or None, instance=revision)
    charges = ChargeFormSet(
        request.POST or None, prefix="charges", initial=charge_initial(revision)
    )
    if request.method == "POST" and form.is_valid() and charges.is_valid():
        fields = form.service_fields()
        refresh = fields.pop("refresh_fx")
        try:
            _revision, problem = quotations.revision_update(
                actor=request.user,
                revision_id=pk,
                refresh_fx=refresh,
                domestic_charges=charges.charges(),
                **fields,
            )
        except SERVICE_ERRORS as exc:
            if getattr(exc, "field", None) == "domestic_charges":
                charges._non_form_errors = charges.error_class([exc.message])
            else:
                add_error_to_form(form, exc)
        else:
            messages.success(request, _("Terms saved."))
            _problem(request, problem)
            return redirect(_revision_url(revision))
    context = {
        "form": form,
        "charges": charges,
        "revision": revision,
        "quotation": revision.quotation,
        "company": revision.quotation.company,
        "currencies": COMMON_CURRENCIES,
    }
    return render(request, "quotes/quotations/revision_form.html", context)


# --- Lines ----------------------------------------------------------------------------------


def _line_form_context(revision, form, line=None) -> dict:
    return {
        "form": form,
        "revision": revision,
        "quotation": revision.quotation,
        "company": revision.quotation.company,
        "line": line,
    }


@login_required
def line_add(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    if revision.is_frozen:
        messages.error(request, _("This revision was sent and is frozen; make a new revision."))
        return redirect(_revision_url(revision))
    form = LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _line, problem = quotations.line_add(
                actor=request.user, revision_id=pk, **form.service_fields()
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Line added."))
            _problem(request, problem)
            if request.POST.get("another"):
                return redirect(reverse("quotations:line-add", args=[pk]))
            return redirect(_revision_url(revision, "lines"))
    return render(request, "quotes/quotations/line_form.html", _line_form_context(revision, form))


@login_required
def line_edit(request, pk: int):
    line = selectors.line_get(request.user, pk)
    revision = selectors.revision_get(request.user, line.revision_id)
    if revision.is_frozen:
        messages.error(request, _("This revision was sent and is frozen; make a new revision."))
        return redirect(_revision_url(revision))
    form = LineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            _line, problem = quotations.line_update(
                actor=request.user, line_id=pk, **form.changed_fields()
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Line saved."))
            _problem(request, problem)
            return redirect(_revision_url(revision, "lines"))
    return render(
        request, "quotes/quotations/line_form.html", _line_form_context(revision, form, line)
    )


@login_required
@require_POST
def line_delete(request, pk: int):
    line = selectors.line_get(request.user, pk)
    try:
        revision, problem = quotations.line_remove(actor=request.user, line_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_revision_url(line.revision))
    messages.success(request, _("Line removed."))
    _problem(request, problem)
    return redirect(_revision_url(revision, "lines"))


# --- Compare --------------------------------------------------------------------------------


@login_required
def revision_compare(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    others = [r for r in selectors.revisions_of(revision.quotation) if r.pk != revision.pk]
    other_id = request.GET.get("with")
    other = next((r for r in others if str(r.pk) == str(other_id)), None)
    if other is None and others:
        earlier = [r for r in others if (r.created_at, r.pk) < (revision.created_at, revision.pk)]
        other = earlier[-1] if earlier else others[0]
    comparison = quotations.revision_compare(other, revision) if other else None
    context = {
        "revision": revision,
        "quotation": revision.quotation,
        "company": revision.quotation.company,
        "others": others,
        "other": other,
        "comparison": comparison,
    }
    return render(request, "quotes/quotations/compare.html", context)


# --- Approvals ------------------------------------------------------------------------------


@login_required
@require_POST
def approval_request(request, pk: int):
    revision = selectors.revision_get(request.user, pk)
    form = ApprovalRequestForm(request.POST)
    if form.is_valid():
        try:
            approvals.approval_request(
                actor=request.user, revision_id=pk, comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Approval requested. Your manager gets an email."))
            return redirect(_revision_url(revision, "approval"))
    context = _revision_context(request, revision, request_form=form)
    return render(request, "quotes/quotations/revision_detail.html", context, status=422)


@login_required
@require_POST
def approval_decide(request, pk: int):
    approval = selectors.approval_get(request.user, pk)
    revision = selectors.revision_get(request.user, approval.revision_id)
    form = ApprovalDecisionForm(request.POST)
    if form.is_valid():
        try:
            approvals.approval_decide(
                actor=request.user,
                approval_id=pk,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            return redirect(_revision_url(revision, "approval"))
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Decision recorded. The rep gets an email."))
            if request.POST.get("next") == "approvals":
                return redirect("quotations:approval-list")
            return redirect(_revision_url(revision, "approval"))
    context = _revision_context(request, revision, decision_form=form)
    return render(request, "quotes/quotations/revision_detail.html", context, status=422)


@login_required
def approval_list(request):
    context = {
        "waiting": selectors.approvals_waiting(request.user, limit=200),
        "history": selectors.approvals_history(request.user),
        "decision_form": ApprovalDecisionForm(),
    }
    return render(request, "quotes/quotations/approval_list.html", context)
