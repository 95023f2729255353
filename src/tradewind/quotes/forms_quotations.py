"""Quotation forms parse input only; the services enforce the rules and their errors land on the
fields (tradewind.core.errors.add_error_to_form)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.catalog.models import CostBasis, Product
from tradewind.customers.forms import blank_choices_as_dash
from tradewind.quotes.choices import ChargeAllocation, QuotationStatus
from tradewind.quotes.models import QuotationLine, QuotationRevision
from tradewind.trade.incoterms import CostBlock
from tradewind.trade.pricing_inputs import ChargeBasis

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD", "CAD", "HKD", "AED", "CNY")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PERCENT = Decimal("99.999")


def plain_initial(form: forms.BaseForm) -> None:
    """Show stored decimals without their trailing zeros: 2800, not 2800.0000."""
    for name, value in list(form.initial.items()):
        if isinstance(value, Decimal):
            form.initial[name] = f"{value.normalize():f}"


def _decimal(label, *, required=False, places=4, help_text="", minimum=None, maximum=None):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=places,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


TERMS_FIELDS = [
    "currency",
    "incoterm",
    "named_place",
    "port_of_loading",
    "destination_port",
    "payment_terms",
    "lead_time_days",
    "valid_until",
    "packing",
    "remarks",
    "transport_mode",
    "freight_basis",
    "container_type",
    "freight_rate",
    "insurance_rate_percent",
    "insurance_markup_percent",
    "commission_percent",
    "margin_percent",
    "margin_basis",
    "convention",
    "fx_rmb_per_unit",
    "fx_buffer_percent",
    "charge_allocation",
]


class RevisionTermsForm(forms.ModelForm):
    """The terms and pricing inputs of a draft revision."""

    fx_rmb_per_unit = _decimal(
        _("Exchange rate (RMB per unit)"),
        places=6,
        help_text=_("Empty: the bank buying rate from the rate table, latest on or before today."),
    )
    refresh_fx = forms.BooleanField(
        label=_("Take today's rate from the rate table"), required=False
    )

    class Meta:
        model = QuotationRevision
        fields = TERMS_FIELDS
        widgets = {
            "valid_until": DATE,
            "remarks": forms.Textarea(attrs={"rows": 3}),
            "currency": forms.TextInput(
                attrs={"list": "currency-list", "maxlength": 3, "autocomplete": "off"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank_choices_as_dash(self)
        plain_initial(self)
        self.fields["margin_percent"].max_value = MAX_PERCENT
        self.fields["container_type"].help_text = _("Also the container of the loading quantity.")
        for name in ("lead_time_days",):
            self.fields[name].widget.attrs["min"] = 0

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def _post_clean(self):
        # The services validate and save; the instance only gives the form its initial data.
        pass

    def service_fields(self) -> dict:
        """The terms for ``revision_update``: a typed rate overrides the table, a cleared one
        (or the tick box) takes the table's rate again, an untouched one stays."""
        data = dict(self.cleaned_data)
        refresh = data.pop("refresh_fx", False)
        fx = data.pop("fx_rmb_per_unit", None)
        if "fx_rmb_per_unit" in self.changed_data:
            if fx is None:
                refresh = True
            else:
                data["fx_rmb_per_unit"] = fx
        return data | {"refresh_fx": refresh}


class QuotationCreateForm(forms.Form):
    """The few terms a new quotation needs; the rest are set on its cost sheet."""

    contact = forms.ModelChoiceField(label=_("Contact"), queryset=None, required=False)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="USD",
        widget=forms.TextInput(attrs={"list": "currency-list", "autocomplete": "off"}),
    )
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), choices=QuotationRevision._meta.get_field("incoterm").choices
    )
    named_place = forms.CharField(
        label=_("Named place"),
        max_length=120,
        help_text=_("The port or place of the Incoterm, e.g. Ningbo for FOB Ningbo."),
    )
    payment_terms = forms.CharField(label=_("Payment terms"), max_length=200)
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"), required=False, min_value=0, max_value=999
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    margin_percent = _decimal(
        _("Margin %"), required=True, places=3, minimum=Decimal(0), maximum=MAX_PERCENT
    )
    fx_rmb_per_unit = _decimal(
        _("Exchange rate (RMB per unit)"),
        places=6,
        help_text=_("Empty: the bank buying rate from the rate table."),
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = company.contacts.all()
        self.fields["contact"].empty_label = "—"

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


class FromInquiryForm(forms.Form):
    """Creating from an inquiry copies its terms; only these are asked."""

    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    margin_percent = _decimal(
        _("Margin %"), required=True, places=3, minimum=Decimal(0), maximum=MAX_PERCENT
    )


class ChargeForm(forms.Form):
    label = forms.CharField(label=_("Charge"), max_length=80, required=False)
    amount_rmb = _decimal(_("Amount (RMB)"), minimum=Decimal(0))
    basis = forms.ChoiceField(
        label=_("Per"),
        choices=[
            (ChargeBasis.PER_SHIPMENT.value, _("shipment")),
            (ChargeBasis.PER_UNIT.value, _("unit")),
        ],
    )
    block = forms.ChoiceField(
        label=_("Paid up to"),
        choices=[
            (CostBlock.INLAND_TO_PORT.value, _("Inland transport (FCA and later)")),
            (CostBlock.ORIGIN_TERMINAL.value, _("Port / THC (FOB and later)")),
            (CostBlock.EXPORT_CLEARANCE.value, _("Export clearance (FCA and later)")),
            (CostBlock.GOODS.value, _("Always (bank, finance)")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"
            field.widget.attrs["aria-label"] = field.label
            if name == "amount_rmb":
                field.widget.attrs["min"] = 0


class BaseChargeFormSet(forms.BaseFormSet):
    def charges(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data if form.is_valid() else {}
            if not data or not (data.get("label") or data.get("amount_rmb") is not None):
                continue
            amount = data.get("amount_rmb")
            rows.append(
                {
                    "label": data.get("label", ""),
                    "amount_rmb": "" if amount is None else str(amount),
                    "basis": data.get("basis"),
                    "block": data.get("block"),
                }
            )
        return rows


ChargeFormSet = forms.formset_factory(
    ChargeForm, formset=BaseChargeFormSet, extra=2, max_num=30, absolute_max=30
)


def charge_initial(revision: QuotationRevision) -> list[dict]:
    return [
        {
            "label": row.get("label", ""),
            "amount_rmb": row.get("amount_rmb"),
            "basis": row.get("basis", ChargeBasis.PER_SHIPMENT.value),
            "block": row.get("block", CostBlock.INLAND_TO_PORT.value),
        }
        for row in revision.domestic_charges or []
    ]


LINE_FIELDS = [
    "product",
    "quantity",
    "margin_percent",
    "model",
    "description",
    "description_zh",
    "specification",
    "hs_code",
    "unit",
    "cost_basis",
    "unit_cost_rmb",
    "vat_percent",
    "rebate_percent",
    "pcs_per_carton",
    "carton_length_cm",
    "carton_width_cm",
    "carton_height_cm",
    "carton_gross_weight_kg",
    "carton_net_weight_kg",
]
OVERRIDES = LINE_FIELDS[3:]


class LineForm(forms.ModelForm):
    """A line: a catalogue product (its cost, rates and packing are copied) and the overrides.
    Fields left empty take the product's value."""

    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(is_active=True).order_by("model"),
        required=False,
        empty_label=_("— not in the catalogue —"),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000_000)
    margin_percent = _decimal(
        _("Margin % (this line)"),
        places=3,
        minimum=Decimal(0),
        maximum=MAX_PERCENT,
        help_text=_("Empty: the quotation's margin."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=12, required=False)
    cost_basis = forms.ChoiceField(
        label=_("Cost basis"), choices=[("", "—"), *CostBasis.choices], required=False
    )
    unit_cost_rmb = _decimal(_("Purchase price / factory cost (RMB)"), minimum=Decimal(0))
    vat_percent = _decimal(_("VAT %"), places=3, minimum=Decimal(0), maximum=MAX_PERCENT)
    rebate_percent = _decimal(
        _("Export rebate %"), places=3, minimum=Decimal(0), maximum=MAX_PERCENT
    )
    pcs_per_carton = forms.IntegerField(label=_("Pieces per carton"), min_value=1, required=False)
    carton_length_cm = _decimal(_("Carton length (cm)"), places=2, minimum=Decimal("0.01"))
    carton_width_cm = _decimal(_("Carton width (cm)"), places=2, minimum=Decimal("0.01"))
    carton_height_cm = _decimal(_("Carton height (cm)"), places=2, minimum=Decimal("0.01"))
    carton_gross_weight_kg = _decimal(
        _("Gross weight per carton (kg)"), places=3, minimum=Decimal("0.001")
    )
    carton_net_weight_kg = _decimal(
        _("Net weight per carton (kg)"), places=3, minimum=Decimal("0.001")
    )

    class Meta:
        model = QuotationLine
        fields = LINE_FIELDS
        widgets = {"specification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_initial(self)
        self.fields["product"].label_from_instance = lambda p: f"{p.model} · {p.name_en}"
        self.fields["model"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("product") and not self.instance.pk:
            if not data.get("description"):
                self.add_error("description", _("Describe the product, or pick one above."))
            if data.get("unit_cost_rmb") in (None, ""):
                self.add_error(
                    "unit_cost_rmb", _("Enter the purchase price, or pick a catalogue product.")
                )
        return data

    def _post_clean(self):
        # The services validate and save; the model instance is only the form's initial data.
        pass

    def service_fields(self) -> dict:
        """For a new line: what was typed (empty fields take the product's values)."""
        data = {name: self.cleaned_data.get(name) for name in LINE_FIELDS}
        return {k: v for k, v in data.items() if v not in (None, "") or k == "product"}

    def changed_fields(self) -> dict:
        """For an edit: the product if it changed, and every field the user changed (on top of
        the new product's values) — or every field when the product stayed."""
        data = {name: self.cleaned_data.get(name) for name in LINE_FIELDS}
        product = data.pop("product")
        if "product" in self.changed_data:
            changed = {k: v for k, v in data.items() if k in self.changed_data}
            changed = {k: v for k, v in changed.items() if v not in (None, "")}
            return {"product": product, **changed}
        for name in ("description", "unit", "cost_basis", "model"):
            if data.get(name) in (None, ""):
                data.pop(name)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=300)


class ApprovalRequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Why this margin?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. a competing offer, a first trial order, a large volume."),
    )


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuotationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *QuotationStatus.choices]
    )
    expired = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[("", _("Any")), ("no", _("Still valid")), ("yes", _("Expired"))],
    )
    scope = forms.ChoiceField(label=_("Whose"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Everything I can see")), ("mine", _("Mine"))]
        if user.role == "manager":
            choices.append(("team", _("My team's")))
        self.fields["scope"].choices = choices


__all__ = [
    "COMMON_CURRENCIES",
    "ApprovalDecisionForm",
    "ApprovalRequestForm",
    "CancelForm",
    "ChargeAllocation",
    "ChargeFormSet",
    "FromInquiryForm",
    "LineForm",
    "QuotationCreateForm",
    "QuotationFilterForm",
    "RevisionTermsForm",
    "charge_initial",
]
