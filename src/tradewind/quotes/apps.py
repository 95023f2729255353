from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "tradewind.quotes"
    label = "quotes"
    verbose_name = _("Inquiries, quotations and samples")

    def ready(self):
        # Each area registers its signal receivers and My day panels by importing its module.
        from tradewind.quotes import (  # noqa: F401
            inquiries,
            panels_inquiries,
            panels_quotations,
            panels_samples,
        )
