"""Forms of the workspace settings pages: they parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.core.fx import workspace_today
from tradewind.core.images import MAX_IMAGE_BYTES
from tradewind.core.models import CompanyProfile
from tradewind.core.workspace import PROFILE_FIELDS


class FxRateForm(forms.Form):
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        widget=forms.TextInput(
            attrs={
                "list": "currency-codes",
                "autocomplete": "off",
                "placeholder": "USD",
                "style": "text-transform: uppercase",
            }
        ),
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rmb_per_unit = forms.DecimalField(
        label=_("RMB per unit"),
        max_digits=12,
        decimal_places=6,
        help_text=_("The bank's buying rate for 1 unit (not per 100), e.g. 7.1012."),
        widget=forms.NumberInput(attrs={"step": "0.000001", "min": 0, "inputmode": "decimal"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=80,
        required=False,
        help_text=_("e.g. BOC (Bank of China), ICBC, the bank that settles your receipts."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": workspace_today(), "source": "BOC"})
        super().__init__(*args, **kwargs)


class CompanyProfileForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most %(mb)s MB. Shown on quotations and contracts.")
        % {"mb": MAX_IMAGE_BYTES // 2**20},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = CompanyProfile
        fields = list(PROFILE_FIELDS)
        widgets = {
            "address_en": forms.Textarea(attrs={"rows": 2}),
            "address_zh": forms.Textarea(attrs={"rows": 2}),
            "bank_address": forms.Textarea(attrs={"rows": 2}),
            "bank_swift": forms.TextInput(attrs={"style": "text-transform: uppercase"}),
        }
        help_texts = {
            "beneficiary_name": _("The account holder as the bank knows it, usually in English."),
            "bank_swift": _("8 or 11 characters, e.g. BKCHCNBJ92A."),
            "default_port_of_loading": _("e.g. Ningbo, Shenzhen (Yantian), Shanghai."),
        }

    def _post_clean(self):
        """Only parse: the service checks the values and explains what to fix."""


class TeamMarginForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    min_margin_percent = forms.DecimalField(
        label=_("Minimum margin %"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": 0, "max": 95, "inputmode": "decimal"}
        ),
    )
