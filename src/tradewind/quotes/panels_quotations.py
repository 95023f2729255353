"""My day: margin approvals waiting for a manager, and answers a rep recently received.

Imported from ``QuotesConfig.ready``; it also gives the quotation services' audit actions their
readable names."""

from django.utils.translation import gettext_lazy as _

from tradewind.core.audit_display import ACTIONS
from tradewind.quotes import quotation_selectors as selectors
from tradewind.web.panels import register_my_day_panel

ACTIONS.setdefault("price", _("priced"))
ACTIONS.setdefault("request", _("asked for approval of"))
ACTIONS.setdefault("approve", _("approved"))
ACTIONS.setdefault("reject", _("rejected"))
ACTIONS.setdefault("withdraw", _("withdrew"))
ACTIONS.setdefault("cancel", _("cancelled"))
ACTIONS.setdefault("send", _("sent"))


def approvals_panel(request):
    user = request.user
    waiting = selectors.approvals_waiting(user, limit=10)
    decided = selectors.approvals_decided(user, days=7, limit=5)
    if not waiting and not decided:
        return None
    return (
        "quotes/quotations/_my_day_approvals.html",
        {"waiting": waiting, "decided": decided},
    )


register_my_day_panel(order=30, panel=approvals_panel)
