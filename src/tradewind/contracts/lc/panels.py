"""My day: the coming L/C dates (latest shipment, last day for presentation, expiry) of the
credits I handle, and how many of my credits wait for a check."""

from tradewind.contracts.lc import selectors
from tradewind.contracts.lc.models import LetterOfCredit
from tradewind.web.panels import register_my_day_panel

HORIZON_DAYS = 14


def lc_dates_panel(request):
    user = request.user
    dates = selectors.upcoming_dates(user, horizon_days=HORIZON_DAYS)
    to_check = (
        selectors.with_check_state(LetterOfCredit.objects.visible_to(user).open())
        .filter(handler=user)
        .filter(selectors.needs_check_q())
        .count()
    )
    if not dates and not to_check:
        return None
    context = {"dates": dates[:10], "more": max(0, len(dates) - 10), "to_check": to_check,
               "horizon": HORIZON_DAYS}  # fmt: skip
    return "lcdesk/_my_day_panel.html", context


register_my_day_panel(order=40, panel=lc_dates_panel)
