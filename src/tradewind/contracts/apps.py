from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tradewind.contracts"
    label = "contracts"
    verbose_name = _("Contracts and letters of credit")

    def ready(self):
        # My day panel and readable audit actions.
        from tradewind.contracts import panels  # noqa: F401
