"""Mail pages: my mailbox, the workspace mailbox, the connection test, the suppression list and
the public unsubscribe page. Each view parses input, calls one service or selector, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tradewind.core.errors import DomainError, NotFound, PermissionDenied, add_error_to_form
from tradewind.outreach import mail_selectors, mailboxes, suppression
from tradewind.outreach.forms_mail import (
    PROVIDERS,
    MailboxForm,
    SuppressionAddForm,
    SuppressionSearchForm,
)
from tradewind.outreach.models import Mailbox

SERVICE_ERRORS = (DomainError, ValidationError)


def _page_number(value) -> int:
    try:
        return min(max(1, int(value)), 10_000)
    except (TypeError, ValueError):
        return 1


# --- Mailboxes -------------------------------------------------------------------------------


def _new_mailbox(user, workspace: bool) -> Mailbox:
    if workspace:
        return Mailbox(is_workspace=True, from_name="Tradewind")
    return Mailbox(
        owner=user,
        from_name=user.get_full_name() or user.username,
        from_email=user.email,
        smtp_username=user.email,
    )


def _mailbox_page(request, mailbox: Mailbox | None, *, workspace: bool):
    instance = mailbox or _new_mailbox(request.user, workspace)
    form = MailboxForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            mailboxes.mailbox_save(
                actor=request.user,
                mailbox_id=mailbox.pk if mailbox and not workspace else None,
                workspace=workspace,
                **form.service_arguments(),
            )
        except SERVICE_ERRORS as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Mailbox saved. Test the connection to check the settings work.")
            )
            return redirect("outreach:workspace-mailbox" if workspace else "outreach:mailbox")
    context = {
        "form": form,
        "mailbox": mailbox,
        "workspace": workspace,
        "providers": PROVIDERS,
        "stats": mail_selectors.mailbox_stats(mailbox, now=timezone.now()) if mailbox else None,
        "problems": mail_selectors.recent_problems(request.user, mailbox) if mailbox else [],
    }
    return render(request, "outreach/mail/mailbox_form.html", context)


@login_required
def my_mailbox(request):
    return _mailbox_page(request, mailboxes.mailbox_of(request.user), workspace=False)


@login_required
def workspace_mailbox(request):
    if not request.user.is_workspace_admin:
        raise HttpForbidden(_("Only an admin can set up the workspace mailbox."))
    mailbox = Mailbox.objects.filter(is_workspace=True).first()
    return _mailbox_page(request, mailbox, workspace=True)


@login_required
@require_POST
def mailbox_test(request, pk: int):
    try:
        mailbox = mailboxes.mailbox_get(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    report = mailboxes.mailbox_test_connection(mailbox)
    if not request.htmx:
        page = "outreach:workspace-mailbox" if mailbox.is_workspace else "outreach:mailbox"
        return redirect(page)
    return render(request, "outreach/mail/_test_result.html", {"result": report.as_dict()})


# --- The suppression list --------------------------------------------------------------------


@login_required
def suppression_list(request):
    if not suppression.may_manage(request.user):
        raise HttpForbidden(_("Only managers and admins can see the suppression list."))
    add_form = SuppressionAddForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        try:
            entry = suppression.suppression_add(actor=request.user, **add_form.cleaned_data)
        except SERVICE_ERRORS as exc:
            add_error_to_form(add_form, exc)
        else:
            messages.success(
                request, _("%(email)s will not be mailed again.") % {"email": entry.email}
            )
            return redirect("outreach:suppression-list")
    search = SuppressionSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = suppression.suppression_page(
        request.user, q=q, page=_page_number(request.GET.get("page"))
    )
    context = {"add_form": add_form, "search": search, "q": q, "page": page}
    status = 422 if add_form.errors else 200
    return render(request, "outreach/mail/suppression_list.html", context, status=status)


@login_required
@require_POST
def suppression_remove(request, pk: int):
    try:
        suppression.suppression_remove(actor=request.user, suppression_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    messages.success(request, _("The address was taken off the list: it may be mailed again."))
    return redirect("outreach:suppression-list")


# --- Unsubscribe (public, no log-in) ---------------------------------------------------------


@csrf_exempt  # mail clients POST the one-click form (RFC 8058); the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        wanted = suppression.read_unsubscribe_token(token)
    except suppression.BadUnsubscribeLink:
        return render(request, "outreach/mail/unsubscribe.html", {"bad_link": True}, status=404)
    sender = Mailbox.objects.filter(pk=wanted.mailbox_id).first() if wanted.mailbox_id else None
    context = {"email": wanted.email, "sender": sender, "token": token}
    if request.method == "POST":
        suppression.unsubscribe(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
        context["done"] = True
    else:
        context["done"] = suppression.suppression_reason(wanted.email) is not None
    response = render(request, "outreach/mail/unsubscribe.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
