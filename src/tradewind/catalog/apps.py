from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tradewind.catalog"
    label = "catalog"
    verbose_name = _("Products")

    def ready(self):
        from tradewind.core.audit_display import EXTRA_LABELS

        # Photo changes are recorded on the product as {"photos": [old, new]}; "photos" is a
        # reverse relation, which the history cannot label by itself.
        EXTRA_LABELS.setdefault("photos", _("Photos"))
