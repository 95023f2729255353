from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LcDeskConfig(AppConfig):
    name = "tradewind.contracts.lc"
    label = "lcdesk"
    verbose_name = _("L/C desk")

    def ready(self):
        from tradewind.contracts.lc import panels  # noqa: F401  (registers the My day panel)
        from tradewind.contracts.lc.choices import ReminderKind
        from tradewind.core.audit_display import register_value_labels

        register_value_labels("reminder_kind", ReminderKind.choices)
