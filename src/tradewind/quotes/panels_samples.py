"""What samples add to the shared registries, imported from ``QuotesConfig.ready``:

* the "Samples to chase" card on My day — my delivered samples still waiting for the buyer's
  feedback, and my shipped samples not delivered after ten days (lost, or held in customs?);
* the label of the item list recorded in a sample's creation event.
"""

from django.utils.translation import gettext_lazy

from tradewind.core.audit_display import EXTRA_LABELS
from tradewind.quotes import sample_selectors as selectors
from tradewind.web.panels import register_my_day_panel


def samples_panel(request):
    user = request.user
    awaiting = selectors.awaiting_feedback(user)
    stuck = selectors.stuck_in_transit(user)
    if not awaiting and not stuck:
        return None
    context = {"awaiting": awaiting, "stuck": stuck, "days": selectors.IN_TRANSIT_ALERT_DAYS}
    return "quotes/samples/_my_day_panel.html", context


register_my_day_panel(order=40, panel=samples_panel)
EXTRA_LABELS.setdefault("item_list", gettext_lazy("Items"))
