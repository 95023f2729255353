"""Sample forms parse input only; the services (quotes/samples.py) enforce the rules, and their
errors land on the fields they name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradewind.catalog.models import Product
from tradewind.customers.models import Company
from tradewind.quotes.choices import Courier, CourierPayer, SampleCharge, SampleStatus
from tradewind.quotes.models import Inquiry, Quotation

RATINGS = [(str(n), str(n)) for n in range(1, 6)]
MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}


def moment_on(day: dt.date) -> dt.datetime:
    """A date typed by the user as a moment: now when it is today, else midday that day (in
    the user's zone, active for the request)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SampleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)  # the selector reads 100 characters
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("Mine")), ("team", _("Everyone I can see"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *SampleStatus.choices],
    )
    courier = forms.ChoiceField(
        label=_("Courier"), required=False, choices=[("", _("All couriers")), *Courier.choices]
    )
    awaiting = forms.BooleanField(label=_("Awaiting feedback"), required=False)


class CompanyPickForm(forms.Form):
    q = forms.CharField(label=_("Customer"), required=False)  # the selector reads 100


class SampleForm(forms.Form):
    """The request: whom for, linked to what, who pays the courier, costs and notes."""

    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=None, required=False, empty_label="—"
    )
    inquiry = forms.ModelChoiceField(
        label=_("For the inquiry"), queryset=None, required=False, empty_label="—"
    )
    quotation = forms.ModelChoiceField(
        label=_("For the quotation"), queryset=None, required=False, empty_label="—"
    )
    courier_payer = forms.ChoiceField(
        label=_("Courier paid by"),
        choices=CourierPayer.choices,
        initial=CourierPayer.US,
    )
    collect_account = forms.CharField(
        label=_("Buyer's courier account"),
        required=False,
        max_length=60,
        help_text=_("Their DHL, FedEx, UPS or TNT account number, for freight collect."),
    )
    feedback_after_days = forms.IntegerField(
        label=_("Ask for feedback after (working days)"),
        initial=5,
        min_value=1,
        max_value=60,
        help_text=_("A follow-up is created this many working days after delivery."),
    )
    sample_cost_rmb = forms.CharField(
        label=_("Sample cost (RMB)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    courier_cost_rmb = forms.CharField(
        label=_("Courier cost (RMB)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
        help_text=_("Leave at 0 when the buyer pays the courier."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, company: Company, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = company.contacts.all()
        self.fields["inquiry"].queryset = (
            Inquiry.objects.visible_to(actor).filter(company=company).order_by("-received_at")
        )
        self.fields["quotation"].queryset = (
            Quotation.objects.visible_to(actor).filter(company=company).order_by("-created_at")
        )
        self.fields["inquiry"].label_from_instance = lambda inquiry: (
            f"{inquiry.received_at:%Y-%m-%d} · {inquiry.subject[:80]}"
        )


class ItemForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Catalogue product"),
        queryset=Product.objects.filter(is_active=True).order_by("model"),
        required=False,
        empty_label=_("— not from the catalogue —"),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1)
    charge = forms.ChoiceField(
        label=_("Charge"), choices=SampleCharge.choices, initial=SampleCharge.FREE
    )
    unit_price = forms.CharField(
        label=_("Unit price"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    currency = forms.CharField(label=_("Currency"), initial="USD", max_length=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].label_from_instance = lambda product: (
            f"{product.model} · {product.name_en}"
        )
        self.fields["currency"].widget.attrs.update({"size": 4, "autocomplete": "off"})
        self.fields["quantity"].widget.attrs.update({"placeholder": "1"})

    def spec(self) -> dict:
        """The item for the service; {} for a row left empty."""
        if not self.has_changed():
            return {}
        data = self.cleaned_data
        return {
            "product": data.get("product"),
            "description": data.get("description", ""),
            "quantity": data.get("quantity"),
            "charge": data.get("charge") or SampleCharge.FREE,
            "unit_price": data.get("unit_price", ""),
            "currency": data.get("currency") or "USD",
        }


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=50, validate_max=True)


class ShipForm(forms.Form):
    courier = forms.ChoiceField(label=_("Courier"), choices=[("", "—"), *Courier.choices])
    awb_number = forms.CharField(
        label=_("AWB / tracking number"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    shipped_at = forms.DateField(label=_("Shipped on"), widget=DateInput)
    courier_cost_rmb = forms.CharField(
        label=_("Courier cost (RMB)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("shipped_at", timezone.localdate())


class DeliverForm(forms.Form):
    delivered_at = forms.DateField(label=_("Delivered on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_at", timezone.localdate())


class FeedbackForm(forms.Form):
    quality_rating = forms.ChoiceField(
        label=_("Quality"), choices=RATINGS, widget=forms.RadioSelect
    )
    appearance_rating = forms.ChoiceField(
        label=_("Appearance"), choices=RATINGS, required=False, widget=forms.RadioSelect
    )
    packaging_rating = forms.ChoiceField(
        label=_("Packaging"), choices=RATINGS, required=False, widget=forms.RadioSelect
    )
    price_acceptable = forms.TypedChoiceField(
        label=_("Is the price acceptable?"),
        required=False,
        choices=[("", _("Not said")), ("yes", _("Yes")), ("no", _("No, too high"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
    )
    changes_requested = forms.CharField(
        label=_("Changes requested"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Colour, size, material, logo, packaging … what the buyer wants changed."),
    )
    feedback_notes = forms.CharField(
        label=_("Buyer's comments"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_sample(cls, sample, data=None) -> FeedbackForm:
        initial = {}
        if sample.quality_rating:
            price = {True: "yes", False: "no"}.get(sample.price_acceptable, "")
            initial = {
                "quality_rating": str(sample.quality_rating),
                "appearance_rating": str(sample.appearance_rating or ""),
                "packaging_rating": str(sample.packaging_rating or ""),
                "price_acceptable": price,
                "changes_requested": sample.changes_requested,
                "feedback_notes": sample.feedback_notes,
            }
        return cls(data, initial=initial)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(SampleStatus.APPROVED, _("Approved")), (SampleStatus.REJECTED, _("Rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Required when rejected: what was wrong, so the factory can fix it."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel?"), required=False, max_length=300)


class ReportFilterForm(forms.Form):
    since = forms.DateField(label=_("Requested from"), required=False, widget=DateInput)
    until = forms.DateField(
        label=pgettext_lazy("date range", "to"), required=False, widget=DateInput
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
