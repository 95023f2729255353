"""Forms of the catalogue pages: they parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.catalog.importing import Mode, OnExisting
from tradewind.catalog.models import HsCode, Product
from tradewind.catalog.selectors import SORTS
from tradewind.core.images import MAX_IMAGE_BYTES

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    supplier = forms.CharField(label=_("Supplier"), required=False, max_length=100)
    hs_code = forms.CharField(label=_("HS code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )
    packing = forms.ChoiceField(
        label=_("Packing"),
        required=False,
        choices=[("", _("Any")), ("complete", _("Complete")), ("missing", _("Missing"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("model", _("Model")),
            ("name", _("Name")),
            ("newest", _("Newest first")),
            ("updated", _("Recently changed")),
            ("cost", _("Cost, lowest first")),
            ("-cost", _("Cost, highest first")),
            ("supplier", _("Supplier")),
        ],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        values = {key: (data.get(key) or "") for key in ("q", "supplier", "hs_code", "packing")}
        values["status"] = data.get("status") or "active"
        values["sort"] = data.get("sort") if data.get("sort") in SORTS else "model"
        return values


class HsCodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HsCode) -> str:
        description = obj.description_zh or obj.description_en
        rates = _("VAT %(vat)s%%, rebate %(rebate)s%%") % {
            "vat": f"{obj.vat_percent:g}",
            "rebate": f"{obj.rebate_percent:g}",
        }
        return f"{obj.code} · {description} ({rates})" if description else f"{obj.code} ({rates})"


def _number(step: str, **attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": step, "min": 0, "inputmode": "decimal", **attrs})


class ServiceValidatedForm(forms.ModelForm):
    """A model form that only parses: the model's own checks (and its constraints, whose raw
    messages name no field) run in the service, which explains what to fix."""

    def _post_clean(self):
        pass


class ProductForm(ServiceValidatedForm):
    hs_code = HsCodeChoiceField(
        label=_("HS code"),
        queryset=HsCode.objects.order_by("code"),
        required=False,
        empty_label="—",
        help_text=_("Sets the VAT and export rebate rates used in the price."),
    )

    class Meta:
        model = Product
        fields = [
            "model",
            "name_en",
            "name_zh",
            "specification",
            "material",
            "hs_code",
            "unit",
            "cost_basis",
            "unit_cost_rmb",
            "supplier",
            "moq",
            "lead_time_days",
            "pcs_per_carton",
            "carton_length_cm",
            "carton_width_cm",
            "carton_height_cm",
            "carton_net_weight_kg",
            "carton_gross_weight_kg",
            "packing_notes",
            "notes",
        ]
        widgets = {
            "specification": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "unit_cost_rmb": _number("0.0001"),
            "carton_length_cm": _number("0.1"),
            "carton_width_cm": _number("0.1"),
            "carton_height_cm": _number("0.1"),
            "carton_net_weight_kg": _number("0.001"),
            "carton_gross_weight_kg": _number("0.001"),
            "moq": _number("1", inputmode="numeric"),
            "lead_time_days": _number("1", inputmode="numeric"),
            "pcs_per_carton": _number("1", inputmode="numeric"),
            "supplier": forms.TextInput(attrs={"list": "supplier-names", "autocomplete": "off"}),
        }
        labels = {
            "carton_length_cm": _("Length (cm)"),
            "carton_width_cm": _("Width (cm)"),
            "carton_height_cm": _("Height (cm)"),
            "carton_net_weight_kg": _("N.W. per carton (kg)"),
            "carton_gross_weight_kg": _("G.W. per carton (kg)"),
        }
        help_texts = {
            "model": _("Your item number as buyers see it, e.g. LED-P6060-40W."),
            "unit_cost_rmb": _("Per unit, in RMB. What it means depends on the cost basis."),
            "unit": _("e.g. pc, set, pair, m."),
            "lead_time_days": _("Days from deposit to goods ready."),
            "packing_notes": _("e.g. 1 pc/polybag, 4 pcs/inner box, export carton."),
        }


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most %(mb)s MB.") % {"mb": MAX_IMAGE_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class HsCodeForm(ServiceValidatedForm):
    class Meta:
        model = HsCode
        fields = ["code", "description_zh", "description_en", "vat_percent", "rebate_percent"]
        widgets = {
            "code": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "9405110000"}),
            "vat_percent": _number("0.01", max=100),
            "rebate_percent": _number("0.01", max=100),
        }
        help_texts = {
            "code": _("10 digits; dots and spaces are removed."),
            "rebate_percent": _("The export VAT rebate (出口退税率); at most the VAT rate."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The services check the code (dots and spaces allowed here) and its uniqueness.
        self.fields["code"].validators = []
        self.fields["code"].max_length = 20
        self.fields["code"].widget.attrs["maxlength"] = 20
        if self.instance.pk:
            self.fields["code"].disabled = True


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Product list"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, at most 5 MB and 5,000 products."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    on_existing = forms.ChoiceField(
        label=_("Models already in the catalogue"),
        choices=[
            (OnExisting.UPDATE, _("Update them with the file's values")),
            (OnExisting.SKIP, _("Skip them, leave them as they are")),
        ],
        initial=OnExisting.UPDATE,
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label=_("Rows with errors"),
        choices=[
            (Mode.GOOD_ROWS, _("Import the good rows, list the bad ones")),
            (Mode.ALL_OR_NOTHING, _("Import nothing unless every row is good")),
        ],
        initial=Mode.GOOD_ROWS,
        widget=forms.RadioSelect,
    )


class ImportRunForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    on_existing = forms.ChoiceField(choices=[(v, v) for v in OnExisting.CHOICES])
    mode = forms.ChoiceField(choices=[(v, v) for v in Mode.CHOICES])
