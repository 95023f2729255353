from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from tradewind.api.router import api

admin.site.site_header = "Tradewind"

urlpatterns = [
    path("", include("tradewind.web.urls")),
    path("accounts/", include("tradewind.accounts.urls")),
    path("customers/duplicates/", include("tradewind.customers.dedup.urls")),
    path("customers/profiles/", include("tradewind.customers.icp.urls")),
    path("customers/pool/", include("tradewind.customers.pool.urls")),
    path("customers/import/", include("tradewind.customers.imports.urls")),
    path("customers/", include("tradewind.customers.urls")),
    path("outreach/", include("tradewind.outreach.urls")),
    path("products/", include("tradewind.catalog.urls")),
    path("inquiries/", include("tradewind.quotes.urls_inquiries")),
    path("quotations/", include("tradewind.quotes.urls_quotations")),
    path("samples/", include("tradewind.quotes.urls_samples")),
    path("lc/", include("tradewind.contracts.lc.urls")),
    path("contracts/", include("tradewind.contracts.urls")),
    path("settings/", include("tradewind.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
