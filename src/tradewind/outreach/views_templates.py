"""Letter templates: the "Letters & templates" page, the editor with its live preview, and
attachments. Each view parses input, calls one service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.outreach import letter_selectors as selectors
from tradewind.outreach import letters, templates, templating
from tradewind.outreach.forms_letters import AttachmentForm, PreviewForm, TemplateForm
from tradewind.outreach.models import EmailTemplate

SERVICE_ERRORS = (DomainError, ValidationError)


@login_required
def template_list(request):
    """Templates the user may use, and the user's letters still waiting in the outbox."""
    context = {
        "templates": selectors.template_list(request.user),
        "waiting": selectors.waiting_letters(request.user),
        "now": timezone.now(),
    }
    return render(request, "outreach/letters/template_list.html", context)


def _editor(request, template: EmailTemplate | None, form, attachment_form=None):
    context = {
        "template": template,
        "form": form,
        "attachment_form": attachment_form or AttachmentForm(),
        "attachments": list(template.attachments.order_by("pk")) if template else [],
        "merge_fields": templating.MERGE_FIELDS,
    }
    return render(request, "outreach/letters/template_form.html", context)


@login_required
def template_edit(request, pk: int | None = None):
    template = None
    if pk is not None:
        try:
            template = selectors.template_for_edit(request.user, pk)
        except NotFound:
            raise Http404 from None
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = templates.template_save(actor=request.user, template_id=pk, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": saved.name})
            return redirect("outreach:template-edit", saved.pk)
    return _editor(request, template, form)


@login_required
@require_POST
def template_delete(request, pk: int):
    try:
        template = selectors.template_for_edit(request.user, pk)
        templates.template_delete(actor=request.user, template_id=pk)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outreach:template-edit", pk)
    messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
    return redirect("outreach:template-list")


@login_required
@require_POST
def attachment_add(request, pk: int):
    try:
        template = selectors.template_for_edit(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            templates.attachment_add(
                actor=request.user, template_id=pk, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Attachment added."))
            return redirect("outreach:template-edit", pk)
    return _editor(request, template, TemplateForm(instance=template), attachment_form=form)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    try:
        templates.attachment_delete(actor=request.user, attachment_id=pk)
    except NotFound:
        raise Http404 from None
    template_id = request.POST.get("template", "")
    messages.success(request, _("Attachment removed."))
    if template_id.isdigit():
        return redirect("outreach:template-edit", int(template_id))
    return redirect("outreach:template-list")


@login_required
def template_preview(request):
    """The live preview of the editor (htmx): the text merged for a chosen contact of the
    user's, or for a made-up buyer. Another rep's contact is a 404."""
    form = PreviewForm(request.POST or request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    contact_id = data.get("preview_contact")
    draft = letters.Draft(
        subject=data.get("subject") or "",
        body=data.get("body") or "",
        custom=data.get("custom") or {},
    )
    language = data.get("language") or "en"
    context = {
        "contacts": selectors.preview_contacts(request.user),
        "chosen": contact_id,
        "form": form,
        "language": language,
    }
    try:
        if contact_id:
            contact = letters.visible_contact(request.user, contact_id)
            context["contact"] = contact
            merge = templating.merge_context(
                contact=contact, me=request.user, custom=draft.custom, language=language
            )
        else:
            merge = templating.sample_context(me=request.user, custom=draft.custom)
        context["rendered"] = templating.render_template(draft, merge, allow_missing=True)
        context["missing_messages"] = [
            templating.missing_message(name, merge) for name in context["rendered"].missing
        ]
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        context["error"] = exc.message
    return render(request, "outreach/letters/_template_preview.html", context)
