"""Navigation by SOP stage, shared by every page."""

from urllib.parse import parse_qsl

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _location(path: str, params) -> tuple[str, frozenset]:
    """A page as its path and its non-empty query parameters (page and size aside)."""
    ignored = {"page", "size", "sort"}
    return path, frozenset((k, v) for k, v in params if v and k not in ignored)


def _location_of(url: str) -> tuple[str, frozenset]:
    path, _sep, query = url.partition("?")
    return _location(path, parse_qsl(query))


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    customers = reverse("customers:company-list")
    sections = [
        {
            "number": 1,
            "title": _("Customer development"),
            "items": [
                (_("All customers"), customers, "bi-people"),
                (_("New leads"), f"{customers}?stage=lead&owner=me", "bi-person-plus"),
                (_("Public pool"), f"{customers}?owner=pool", "bi-water"),
                (_("Import leads"), reverse("imports:upload"), "bi-upload"),
                (_("Ideal customer profiles"), reverse("icp:profile-list"), "bi-bullseye"),
                (_("Possible duplicates"), reverse("dedup:pair-list"), "bi-union"),
            ],
        },
        {
            "number": 2,
            "title": _("First contact"),
            "items": [
                (_("Contacted"), f"{customers}?stage=contacted&owner=me", "bi-envelope"),
                (_("Letters & templates"), reverse("outreach:template-list"), "bi-envelope-paper"),
                (_("Sequences"), reverse("outreach:sequence-list"), "bi-diagram-3"),
                (_("Follow-ups"), reverse("customers:task-list"), "bi-check2-square"),
                (_("New inquiries"), reverse("outreach:inbox"), "bi-inbox"),
            ],
        },
        {
            "number": 3,
            "title": _("Quotation & samples"),
            "items": [
                (_("Inquiries"), reverse("inquiries:list"), "bi-question-circle"),
                (_("Quotations"), reverse("quotations:quotation-list"), "bi-receipt"),
                (_("Samples"), reverse("samples:sample-list"), "bi-box-seam"),
                (_("Sample report"), reverse("samples:sample-report"), "bi-bar-chart"),
            ],
        },
        {
            "number": 4,
            "title": _("Contract"),
            "items": [
                (_("Negotiation"), f"{customers}?stage=negotiation&owner=me", "bi-chat-left-text"),
                (_("L/C desk"), reverse("lcdesk:lc-list"), "bi-bank"),
                (_("Contracts & PIs"), reverse("contracts:contract-list"), "bi-file-earmark-text"),
            ],
        },
        {
            "number": 5,
            "title": _("Order to cash"),
            "items": [
                (_("Ordered"), f"{customers}?stage=ordered&owner=me", "bi-bag-check"),
            ],
        },
        {
            "number": 6,
            "title": _("Customer care"),
            "items": [
                (_("Repeat customers"), f"{customers}?stage=repeat&owner=me", "bi-arrow-repeat"),
                (_("Dormant"), f"{customers}?stage=dormant&owner=me", "bi-moon"),
            ],
        },
    ]
    user = request.user
    if user.is_manager or user.is_workspace_admin:
        sections[0]["items"].append((_("Pool rules"), reverse("pool:rules"), "bi-sliders2"))
        sections[3]["items"].append(
            (_("Credit & country risk"), reverse("contracts:credit-settings"), "bi-shield-lock")
        )
        sections[2]["items"].append(
            (_("Approvals"), reverse("quotations:approval-list"), "bi-shield-check")
        )
    # Catalogue and the settings quotations read (catalog and core apps).
    sections[2]["items"] += [
        (_("Products"), reverse("catalog:product-list"), "bi-box"),
        (_("Exchange rates"), reverse("workspace:fx"), "bi-currency-exchange"),
    ]
    if user.is_workspace_admin:
        sections[2]["items"].append(
            (_("Company profile"), reverse("workspace:company-profile"), "bi-building")
        )
    if user.is_manager or user.is_workspace_admin:
        sections[2]["items"].append((_("Teams & margins"), reverse("workspace:teams"), "bi-people"))
    current = _location(request.path, request.GET.items())
    for section in sections:
        section["items"] = [
            {"label": label, "url": url, "icon": icon, "active": _location_of(url) == current}
            for label, url, icon in section["items"]
        ]
    return {"nav_sections": sections}
