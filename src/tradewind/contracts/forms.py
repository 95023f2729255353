"""Contract forms parse input only; the services enforce the rules. Every edit form carries the
contract's ``lock_version`` so a save made by someone else in between is noticed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.contracts.choices import ClauseKey, ContractKind, InspectionBy
from tradewind.contracts.clauses import DEFAULTABLE_FIELDS
from tradewind.contracts.models import Clause, Contract, ContractLine
from tradewind.contracts.services import EDITABLE_FIELDS, LINE_EDIT_FIELDS
from tradewind.customers.forms import blank_choices_as_dash, country_field
from tradewind.trade.payment_terms import TEMPLATES, Instrument, Milestone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TERMS_LABELS = {
    "TT_100_ADVANCE": _("100% T/T in advance"),
    "TT_30_70_BEFORE_SHIPMENT": _("30% T/T deposit, 70% T/T 7 days before shipment"),
    "TT_30_70_BL_COPY": _("30% T/T deposit, 70% T/T against B/L copy"),
    "LC_SIGHT_CONFIRMED": _("100% confirmed L/C at sight"),
    "LC_SIGHT": _("100% L/C at sight"),
    "TT_30_LC_SIGHT_70": _("30% T/T deposit, 70% L/C at sight"),
    "LC_USANCE_90": _("100% usance L/C, 90 days after B/L date"),
    "DP_SIGHT": _("100% D/P at sight"),
    "DP_60": _("100% D/P 60 days after B/L date"),
    "DA_60_BL": _("100% D/A 60 days after B/L date"),
    "OA_30": _("100% O/A 30 days after B/L date"),
}
CUSTOM_ROWS = 3


class VersionedForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ContractCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=ContractKind.choices,
        initial=ContractKind.PI,
        widget=forms.RadioSelect,
    )


class ContractTermsForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Contract
        fields = [name for name in EDITABLE_FIELDS]
        widgets = {
            "contract_date": DATE,
            "latest_shipment_date": DATE,
            "buyer_address": forms.Textarea(attrs={"rows": 2}),
            "bank_address": forms.Textarea(attrs={"rows": 2}),
            "shipping_marks": forms.Textarea(attrs={"rows": 4, "class": "tw-mono"}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, instance=contract, **kwargs)
        self.fields["contact"].queryset = contract.company.contacts.all()
        self.fields["inspection_by"].choices = [("", "—"), *InspectionBy.choices]
        if not self.is_bound:
            self.initial["lock_version"] = contract.lock_version
        blank_choices_as_dash(self)


class LineForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ContractLine
        fields = list(LINE_EDIT_FIELDS)
        widgets = {"specification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_price"].decimal_places = 2
        self.fields["unit_price"].min_value = 0
        if not self.is_bound:
            self.initial["lock_version"] = contract.lock_version
            if self.instance.unit_price is not None:  # stored with 4 places, priced with 2
                self.initial["unit_price"] = self.instance.unit_price.quantize(Decimal("0.01"))


class ClauseForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Clause
        fields = ["title", "body", "body_zh"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "body_zh": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = True
        if not self.is_bound:
            self.initial["lock_version"] = contract.lock_version


class ClauseAddForm(VersionedForm):
    key = forms.ChoiceField(label=_("Clause"), choices=ClauseKey.choices)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    body = forms.CharField(
        label=_("Wording"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class PaymentTermsForm(VersionedForm):
    code = forms.ChoiceField(label=_("Payment terms"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            *((code, TERMS_LABELS.get(code, code)) for code in TEMPLATES),
            ("custom", _("Custom instalments (below)")),
        ]
        instruments = [(str(i), str(i)) for i in Instrument]
        milestones = [
            (str(Milestone.ORDER), _("with order")),
            (str(Milestone.SHIPMENT), _("shipment")),
            (str(Milestone.BL), _("B/L date")),
            (str(Milestone.ARRIVAL), _("arrival")),
        ]
        for row in range(1, CUSTOM_ROWS + 1):
            self.fields[f"share_{row}"] = forms.DecimalField(
                label=_("Share %"), required=False, min_value=0, max_value=100, decimal_places=2
            )
            self.fields[f"instrument_{row}"] = forms.ChoiceField(
                label=_("Instrument"), required=False, choices=[("", "—"), *instruments]
            )
            self.fields[f"due_{row}"] = forms.ChoiceField(
                label=_("Due at"), required=False, choices=[("", "—"), *milestones]
            )
            self.fields[f"days_{row}"] = forms.IntegerField(
                label=_("Days after (−before)"), required=False, min_value=-90, max_value=360
            )
            self.fields[f"confirmed_{row}"] = forms.BooleanField(
                label=_("Confirmed L/C"), required=False
            )

    def rows(self):
        return [
            [self[f"{name}_{row}"] for name in ("share", "instrument", "due", "days", "confirmed")]
            for row in range(1, CUSTOM_ROWS + 1)
        ]

    def instalments(self) -> list[dict] | None:
        if self.cleaned_data.get("code") != "custom":
            return None
        rows = []
        for row in range(1, CUSTOM_ROWS + 1):
            share = self.cleaned_data.get(f"share_{row}")
            if not share:
                continue
            instrument = self.cleaned_data.get(f"instrument_{row}")
            due = self.cleaned_data.get(f"due_{row}")
            if not instrument or not due:
                self.add_error(f"instrument_{row}", _("Choose the instrument and when it is due."))
                continue
            rows.append(
                {
                    "share_percent": str(share),
                    "instrument": instrument,
                    "due": due,
                    "days": self.cleaned_data.get(f"days_{row}") or 0,
                    "confirmed": bool(self.cleaned_data.get(f"confirmed_{row}")),
                }
            )
        return rows


class SignForm(forms.Form):
    file = forms.FileField(
        label=_("Countersigned contract (PDF)"),
        help_text=_("The contract signed by both sides, scanned or saved as a PDF, up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the contract amended?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the buyer asked for 200 more pieces and a later shipment date."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class DepositSlipForm(forms.Form):
    reference = forms.CharField(label=_("Bank slip reference"), max_length=80, required=False)


class DepositCreditForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount credited"), max_digits=14, decimal_places=2)
    value_date = forms.DateField(label=_("Value date"), widget=DATE)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)


class ApprovalRequestForm(forms.Form):
    comment = forms.CharField(
        label=_("Why these terms?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApprovalDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CountryRiskForm(forms.Form):
    country = country_field(label=_("Country"))
    risk_class = forms.IntegerField(label=_("Risk class (0–7)"), min_value=0, max_value=7)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True


class BuyerCreditForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=80, initial="Sinosure")
    buyer_code = forms.CharField(label=_("Insurer's buyer code"), max_length=40, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    limit_amount = forms.DecimalField(
        label=_("Approved limit"), max_digits=14, decimal_places=2, min_value=0
    )
    approved_credit_days = forms.IntegerField(
        label=_("Approved credit period (days)"), min_value=0, max_value=360, required=False
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class ClauseTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Wording (English)"), widget=forms.Textarea(attrs={"rows": 8}))
    body_zh = forms.CharField(
        label=_("Wording (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    is_active = forms.BooleanField(label=_("Used for new contracts"), required=False)

    def __init__(self, *args, default_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in default_names:
            if name in DEFAULTABLE_FIELDS:
                label = Contract._meta.get_field(name).verbose_name
                self.fields[f"default_{name}"] = forms.CharField(
                    label=_("Default: %(field)s") % {"field": label},
                    required=False,
                    max_length=300,
                )

    def defaults(self) -> dict:
        return {
            key.removeprefix("default_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("default_") and value not in (None, "")
        }
