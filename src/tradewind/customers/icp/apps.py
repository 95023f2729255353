from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IcpConfig(AppConfig):
    name = "tradewind.customers.icp"
    label = "icp"
    verbose_name = _("Ideal customer profiles")
