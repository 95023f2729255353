from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolConfig(AppConfig):
    name = "tradewind.customers.pool"
    label = "pool"
    verbose_name = _("Public pool")

    def ready(self):
        from tradewind.core.audit_display import register_value_labels
        from tradewind.customers.pool.rules import ReleaseReason

        register_value_labels("reason", ReleaseReason.choices)
