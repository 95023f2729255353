"""Quotation documents pages: the web preview, the PDF and Excel downloads, sending a revision
and recording the buyer's answer.

Every URL takes the id of a revision (or, for the answer, of a quotation) and answers 404 when
the user cannot see it — whatever the method — before reading anything else from the request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.outreach.mailboxes import mailbox_of
from tradewind.quotes import decisions, sending
from tradewind.quotes.choices import QuotationStatus, RevisionStatus
from tradewind.quotes.documents.context import (
    IMAGES_INLINE,
    build_document,
    require_priced,
    revision_for_document,
)
from tradewind.quotes.documents.pdf import render_html, render_pdf
from tradewind.quotes.documents.xlsx import render_xlsx
from tradewind.quotes.forms_documents import OTHER_ADDRESS, DecisionForm, SendForm
from tradewind.quotes.models import Quotation, QuotationRevision

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _revision_or_404(user, pk: int) -> QuotationRevision:
    try:
        return revision_for_document(user, pk)
    except NotFound:
        raise Http404 from None


def revision_url(revision: QuotationRevision) -> str:
    """The revision's own page (quotations pages), or its customer's page until that exists."""
    try:
        return reverse("quotations:revision-detail", args=[revision.pk])
    except NoReverseMatch:
        return reverse("customers:company-detail", args=[revision.quotation.company_id])


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def revision_preview(request, pk: int):
    """The document as the buyer will see it, in the page (the same template as the PDF)."""
    revision = _revision_or_404(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    document = build_document(revision, images=IMAGES_INLINE)
    context = {
        "revision": revision,
        "quotation": revision.quotation,
        "doc": document,
        "document_html": render_html(document, inline_css=True),
        "back_url": revision_url(revision),
        "can_send": revision.status == RevisionStatus.DRAFT,
        "can_decide": revision.status == RevisionStatus.SENT
        and revision.quotation.status == QuotationStatus.SENT,
    }
    return render(request, "quotes/documents/preview.html", context)


def _priced_document_or_redirect(request, pk: int):
    revision = _revision_or_404(request.user, pk)
    if request.method != "GET":
        return revision, None, HttpResponseNotAllowed(["GET"])
    document = build_document(revision)
    try:
        require_priced(document)
    except DomainError as exc:
        messages.error(request, exc.message)
        return revision, None, redirect("quotations:revision-preview", pk=revision.pk)
    return revision, document, None


@login_required
def revision_pdf(request, pk: int):
    _revision, document, refused = _priced_document_or_redirect(request, pk)
    if refused is not None:
        return refused
    return _download(render_pdf(document), "application/pdf", document.filename("pdf"))


@login_required
def revision_xlsx(request, pk: int):
    _revision, document, refused = _priced_document_or_redirect(request, pk)
    if refused is not None:
        return refused
    return _download(render_xlsx(document), XLSX_TYPE, document.filename("xlsx"))


# --- Sending ---------------------------------------------------------------------------------


def _send_initial(request, revision: QuotationRevision, document, contacts) -> dict:
    quotation = revision.quotation
    chosen = quotation.contact if quotation.contact_id and quotation.contact.email else None
    chosen = chosen or next((contact for contact in contacts if contact.email), None)
    subject, body = sending.default_letter(document, contact=chosen, sender=request.user)
    return {
        "contact": str(chosen.pk) if chosen else OTHER_ADDRESS,
        "subject": subject,
        "message": body,
    }


@login_required
def revision_send(request, pk: int):
    """GET: the letter to go with the quotation; POST: into the outbox with the PDF attached."""
    revision = _revision_or_404(request.user, pk)
    quotation = revision.quotation
    already = sending.sent_message(revision.pk)
    if already is not None:
        messages.info(
            request,
            _("Rev. %(letter)s was already sent to %(address)s.")
            % {"letter": revision.letter, "address": already.to_email},
        )
        return redirect(revision_url(revision))
    contacts = list(quotation.company.contacts.order_by("name"))
    document = build_document(revision)
    form = SendForm(request.POST or None, contacts=contacts)
    if request.method != "POST":
        form = SendForm(
            initial=_send_initial(request, revision, document, contacts), contacts=contacts
        )
    elif form.is_valid():
        try:
            message = sending.send_revision(
                actor=request.user,
                revision_id=revision.pk,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                attach_xlsx=form.cleaned_data["attach_xlsx"],
                **form.recipient(),
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(reference)s is in the outbox for %(address)s, with the PDF attached.")
                % {"reference": document.reference, "address": message.to_email},
            )
            return redirect(revision_url(revision))
    context = {
        "revision": revision,
        "quotation": quotation,
        "doc": document,
        "form": form,
        "back_url": revision_url(revision),
        "pdf_name": document.filename("pdf"),
        "mailbox": mailbox_of(request.user),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "quotes/documents/send.html", context, status=status)


# --- The buyer's answer ----------------------------------------------------------------------


def _quotation_or_404(user, pk: int) -> Quotation:
    quotation = (
        Quotation.objects.visible_to(user)
        .select_related("company", "contact")
        .filter(pk=pk)
        .first()
    )
    if quotation is None:
        raise Http404
    return quotation


@login_required
def quotation_decision(request, pk: int):
    """GET: the form; POST: record the buyer's acceptance or rejection of the sent revision."""
    quotation = _quotation_or_404(request.user, pk)
    revision = (
        quotation.revisions.filter(status=RevisionStatus.SENT).order_by("-sent_at", "-id").first()
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.record_decision(
                actor=request.user,
                quotation_id=quotation.pk,
                accepted=form.accepted,
                reason=form.cleaned_data["reason"],
                revision_id=revision.pk if revision else None,
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            if form.accepted:
                messages.success(
                    request,
                    _("%(number)s is accepted: the customer moved on to negotiation.")
                    % {"number": quotation.number},
                )
            else:
                messages.success(
                    request,
                    _("%(number)s is marked rejected; the reason is on the customer's timeline.")
                    % {"number": quotation.number},
                )
            return redirect(revision_url(revision))
    context = {
        "quotation": quotation,
        "revision": revision,
        "form": form,
        "back_url": revision_url(revision) if revision else _company_url(quotation),
        "is_open": quotation.status == QuotationStatus.SENT and revision is not None,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "quotes/documents/decision.html", context, status=status)


def _company_url(quotation: Quotation) -> str:
    return reverse("customers:company-detail", args=[quotation.company_id])
