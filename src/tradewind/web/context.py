"""Navigation by SOP stage, shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
            ],
        },
        {
            "number": 2,
            "title": _("First contact"),
            "items": [
                (_("Contacted"), f"{customers}?stage=contacted&owner=me", "bi-envelope"),
                (_("Follow-ups"), reverse("customers:task-list"), "bi-check2-square"),
            ],
        },
        {
            "number": 3,
            "title": _("Quotation & samples"),
            "items": [
                (_("Inquiries"), f"{customers}?stage=inquiry&owner=me", "bi-question-circle"),
                (_("Quoted"), f"{customers}?stage=quoted&owner=me", "bi-receipt"),
                (_("Samples"), f"{customers}?stage=sample&owner=me", "bi-box-seam"),
            ],
        },
        {
            "number": 4,
            "title": _("Contract"),
            "items": [
                (_("Negotiation"), f"{customers}?stage=negotiation&owner=me", "bi-chat-left-text"),
                (_("Ordered"), f"{customers}?stage=ordered&owner=me", "bi-bag-check"),
            ],
        },
        {
            "number": 5,
            "title": _("Customer care"),
            "items": [
                (_("Repeat customers"), f"{customers}?stage=repeat&owner=me", "bi-arrow-repeat"),
                (_("Dormant"), f"{customers}?stage=dormant&owner=me", "bi-moon"),
            ],
        },
    ]
    full_path = request.get_full_path()
    for section in sections:
        section["items"] = [
            {"label": label, "url": url, "icon": icon, "active": full_path == url}
            for label, url, icon in section["items"]
        ]
    return {"nav_sections": sections}
