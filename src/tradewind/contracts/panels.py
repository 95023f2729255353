"""My day: deposits not yet credited and payment-term approvals. Imported from
``ContractsConfig.ready``, which also gives the contract services' audit actions readable names."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tradewind.contracts import selectors
from tradewind.core.audit_display import ACTIONS
from tradewind.web.panels import register_my_day_panel

ACTIONS.setdefault("ready", _("marked ready to sign"))
ACTIONS.setdefault("reopen", _("took back to draft"))
ACTIONS.setdefault("send", _("sent for signature"))
ACTIONS.setdefault("sign", _("recorded the signature of"))
ACTIONS.setdefault("amend", _("opened an amendment of"))
ACTIONS.setdefault("cancel", _("cancelled"))
ACTIONS.setdefault("request_approval", _("asked for approval of"))
ACTIONS.setdefault("approve", _("approved"))
ACTIONS.setdefault("reject", _("rejected"))
ACTIONS.setdefault("slip", _("recorded a bank slip for"))
ACTIONS.setdefault("credit", _("recorded the credit of"))
ACTIONS.setdefault("start_production", _("started production of"))


def contracts_panel(request):
    user = request.user
    panel = {
        "approvals": selectors.approvals_waiting(user),
        "mine": selectors.my_pending_approvals(user),
        "deposits": selectors.deposits_due(user),
        "today": timezone.localdate(),
    }
    if not (panel["approvals"] or panel["mine"] or panel["deposits"]):
        return None
    return ("contracts/_my_day_panel.html", panel)


register_my_day_panel(order=50, panel=contracts_panel)
