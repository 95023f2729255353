from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALES = "sales", _("Salesperson")
    MANAGER = "manager", _("Sales manager")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    CHINESE = "zh-hans", "中文"
    ENGLISH = "en", "English"
