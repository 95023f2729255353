"""``{% load icp %}``: the company page's fit and screening panel, and fit reasons as text.

The company page includes ``icp/_company_panel.html``, which calls ``{% icp_company_panel %}``:
the panel fetches its own data from the page's ``company``, so the customers views need no
change. ``{{ company.icp_reasons|icp_reasons_text }}`` renders the reasons on one line in the
reader's language (for the list's tooltip).
"""

from django import template

from tradewind.customers.icp import display, selectors
from tradewind.customers.icp.forms import ScreeningForm

register = template.Library()


def panel_context(request, company, form: ScreeningForm | None = None, **extra) -> dict:
    panel = selectors.fit_panel(request.user, company)
    return {
        "panel": panel,
        "company": company,
        "form": form or ScreeningForm(company=company),
        "request": request,
        "user": request.user,
        **extra,
    }


@register.inclusion_tag("icp/_fit_panel.html", takes_context=True)
def icp_company_panel(context):
    context_data = panel_context(context["request"], context["company"])
    context_data["csrf_token"] = context.get("csrf_token")
    return context_data


@register.filter
def icp_reasons_text(reasons) -> str:
    return display.reasons_summary(reasons)


@register.filter
def icp_points(points) -> str:
    try:
        return display.points_text(int(points))
    except (TypeError, ValueError):
        return ""
