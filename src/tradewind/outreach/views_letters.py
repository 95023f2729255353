"""Composing a one-off letter for a contact, and the actions of the company page's outreach
panel (enrol a contact, pause / resume / stop an enrollment, cancel a scheduled letter).

Every URL here takes the id of a contact or a company and answers 404 when the user cannot see
it, before reading anything else from the request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradewind.core.errors import DomainError, NotFound, add_error_to_form
from tradewind.customers.selectors import company_get
from tradewind.outreach import buyer_time, enrolment, letters, sequences, templating
from tradewind.outreach import letter_selectors as selectors
from tradewind.outreach.forms_letters import (
    CancelLetterForm,
    ComposeForm,
    EnrolContactForm,
    EnrollmentActionForm,
)

SERVICE_ERRORS = (DomainError, ValidationError)


def _visible_contact_or_404(user, pk: int):
    try:
        return letters.visible_contact(user, pk)
    except NotFound:
        raise Http404 from None


def _panel_url(company_id: int) -> str:
    return reverse("customers:company-detail", args=[company_id]) + "#outreach"


def _chosen_template(request, form: ComposeForm | None = None):
    raw = form.cleaned_data.get("template") if form is not None and form.is_valid() else None
    raw = raw or request.GET.get("template")
    try:
        return letters.usable_template(request.user, int(raw)) if raw else None
    except (NotFound, ValueError):
        return None


def _initial(request, template) -> dict:
    initial = {"idempotency_key": letters.new_idempotency_key(), "when": letters.WHEN_BEST}
    if template is not None:
        initial |= {"template": template.pk, "subject": template.subject, "body": template.body}
    return initial


def _compose_context(request, contact, form, template, rendered=None, error=None) -> dict:
    company = contact.company
    contacts = list(company.contacts.all())
    zone = selectors.buyer_zone_of(company, contacts)
    now = timezone.now()
    slot = selectors.send_slot_preview(company, contacts, now)
    mailbox = selectors.mailbox_of(request.user)
    language = get_language() or "en"
    return {
        "contact": contact,
        "company": company,
        "form": form,
        "template": template,
        "templates": list(selectors.usable_templates(request.user)),
        "attachments": list(template.attachments.all()) if template else [],
        "rendered": rendered,
        "preview_error": error,
        "buyer_zone": zone,
        "best_time": buyer_time.dual_time(slot.send_at_utc, zone, request.user, language)
        if slot
        else None,
        "buyer_now": buyer_time.dual_time(now, zone, request.user, language) if zone else None,
        "mailbox": mailbox,
        "usage": selectors.mailbox_usage(mailbox, request.user, now),
        "custom_used": _custom_used(form),
    }


def _custom_used(form) -> tuple[str, ...]:
    subject, body = form["subject"].value() or "", form["body"].value() or ""
    try:
        return templating.custom_fields_used(subject, body)
    except DomainError:
        return ()


def _preview(request, contact, draft, template):
    try:
        rendered = letters.render_letter(
            actor=request.user, contact=contact, draft=draft, template=template, allow_missing=True
        )
    except DomainError as exc:
        return None, exc.message
    return rendered, None


@login_required
def letter_compose(request, pk: int):
    """GET: the form, from a template when ``?template=`` is given. POST ``action=preview``:
    the merged letter (the preview card alone for htmx); ``action=schedule``: into the outbox."""
    contact = _visible_contact_or_404(request.user, pk)
    if request.method != "POST":
        template = _chosen_template(request)
        form = ComposeForm(initial=_initial(request, template))
        context = _compose_context(request, contact, form, template)
        return render(request, "outreach/letters/compose.html", context)
    form = ComposeForm(request.POST)
    template = _chosen_template(request, form)
    rendered = error = None
    if form.is_valid():
        draft = form.draft()  # kept: a refused schedule still shows what would have gone
        if request.POST.get("action") == "schedule":
            try:
                message = letters.letter_schedule(
                    actor=request.user,
                    contact_id=contact.pk,
                    draft=draft,
                    when=form.cleaned_data["when"],
                    at_local=form.cleaned_data["at"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    template_id=template.pk if template else None,
                )
            except SERVICE_ERRORS as exc:
                add_error_to_form(form, exc)
            else:
                return _scheduled(request, contact, message)
        rendered, error = _preview(request, contact, draft, template)
    context = _compose_context(request, contact, form, template, rendered, error)
    if request.htmx and request.POST.get("action") == "preview":
        return render(request, "outreach/letters/_letter_preview.html", context)
    return render(request, "outreach/letters/compose.html", context)


def _scheduled(request, contact, message):
    zone = selectors.buyer_zone_of(contact.company, list(contact.company.contacts.all()))
    when = buyer_time.dual_time(message.scheduled_at, zone, request.user, get_language() or "en")
    if when is not None:
        text = _("Letter to %(name)s scheduled for %(buyer)s in %(city)s · %(mine)s your time.") % {
            "name": contact.name,
            "buyer": dateformat.format(when.buyer, "D H:i"),
            "city": when.city,
            "mine": dateformat.format(when.mine, "H:i" if when.same_day else "D H:i"),
        }
    else:
        text = _("Letter to %(name)s scheduled.") % {"name": contact.name}
    messages.success(request, text)
    return redirect(_panel_url(contact.company_id))


@login_required
@require_POST
def letter_cancel(request, pk: int):
    company = company_get(request.user, pk)
    form = CancelLetterForm(request.POST)
    if form.is_valid():
        try:
            letters.letter_cancel(
                actor=request.user, company_id=company.pk, message_id=form.cleaned_data["message"]
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Letter cancelled; it will not be sent."))
    return redirect(_panel_url(company.pk))


@login_required
@require_POST
def enrol_contact(request, pk: int):
    """Enrol one contact of the customer in a sequence (the panel's form)."""
    company = company_get(request.user, pk)
    contacts = [c for c in company.contacts.all() if c.email]
    usable = list(selectors.usable_sequences(request.user).filter(is_active=True))
    form = EnrolContactForm(request.POST, contacts=contacts, sequences=usable)
    if not form.is_valid():
        messages.error(request, _("Choose a contact with an email address and a sequence."))
        return redirect(_panel_url(company.pk))
    try:
        enrollment = enrolment.enroll_contact(
            actor=request.user,
            sequence_id=form.cleaned_data["sequence"],
            contact_id=form.cleaned_data["contact"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s enrolled in “%(sequence)s”.")
            % {"name": enrollment.contact.name, "sequence": enrollment.sequence.name},
        )
    return redirect(_panel_url(company.pk))


ENROLLMENT_ACTIONS = {
    "pause": (sequences.enrollment_pause, gettext_lazy("Sequence paused for %(name)s.")),
    "resume": (sequences.enrollment_resume, gettext_lazy("Sequence resumed for %(name)s.")),
    "stop": (sequences.enrollment_stop, gettext_lazy("Sequence stopped for %(name)s.")),
}


@login_required
@require_POST
def enrollment_action(request, pk: int):
    """Pause, resume or stop one of the customer's enrollments."""
    company = company_get(request.user, pk)
    form = EnrollmentActionForm(request.POST)
    if form.is_valid():
        service, done = ENROLLMENT_ACTIONS[form.cleaned_data["action"]]
        enrollment = company.enrollments.select_related("contact").filter(
            pk=form.cleaned_data["enrollment"]
        )
        enrollment = enrollment.first()
        if enrollment is None:
            raise Http404
        try:
            service(actor=request.user, enrollment_id=enrollment.pk)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(done) % {"name": enrollment.contact.name})
    return redirect(_panel_url(company.pk))
