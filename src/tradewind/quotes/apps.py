from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "tradewind.quotes"
    label = "quotes"
    verbose_name = _("Inquiries, quotations and samples")
