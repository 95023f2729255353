"""The "Inquiries to answer" card on My day: open inquiries past their first-reply deadline and
those falling due in the next working hours, with the deadline. A rep sees the ones they
handle; a manager (or admin) the team's. Nothing to show → no card."""

from django.utils import timezone

from tradewind.quotes import inquiry_selectors as selectors
from tradewind.web.panels import register_my_day_panel


def inquiries_panel(request):
    user = request.user
    now = timezone.now()
    team = selectors.can_see_team(user)
    overdue, soon = selectors.my_day_inquiries(user, now=now, team=team)
    if not overdue and not soon:
        return None
    context = {
        "overdue": overdue,
        "soon": soon,
        "team": team,
        "now": now,
        "soon_hours": selectors.DUE_SOON_WORKING_HOURS,
    }
    return "quotes/inquiries/_my_day_panel.html", context


register_my_day_panel(order=10, panel=inquiries_panel)
