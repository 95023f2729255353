"""Forms of the L/C desk. They parse input only; the services enforce the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.contracts.lc.models import TERM_FIELDS, TERM_TAGS, LetterOfCredit
from tradewind.contracts.lc.review import plain_percent
from tradewind.contracts.models import Contract

# The form groups the terms as an MT700 prints them.
SECTIONS: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("credit", _("The credit"), ("number", "form_of_credit", "issue_date", "applicable_rules",
                                 "expiry_date", "expiry_place", "expiry_country")),
    ("parties", _("Parties"), ("applicant", "beneficiary", "issuing_bank")),
    ("amount", _("Amount"), ("currency", "amount", "tolerance_plus_percent",
                             "tolerance_minus_percent")),
    ("availability", _("Availability and drafts"), ("available_with", "available_by", "drafts_at",
                                                    "drawee")),
    ("shipment", _("Shipment"), ("partial_shipments", "transhipment", "place_of_receipt",
                                 "port_of_loading", "port_of_discharge", "final_destination",
                                 "latest_shipment_date", "shipment_period")),
    ("goods", _("Goods, documents and conditions"), ("goods_description", "documents_required",
                                                     "additional_conditions")),
    ("presentation", _("Charges, presentation and confirmation"), (
        "charges", "presentation_period_days", "presentation_period_text", "confirmation")),
)  # fmt: skip
WIDE_FIELDS = frozenset(
    {"applicant", "beneficiary", "goods_description", "documents_required",
     "additional_conditions", "charges", "shipment_period", "presentation_period_text",
     "available_with"}
)  # fmt: skip
NARRATIVE_ROWS = {"goods_description": 5, "documents_required": 9, "additional_conditions": 6}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _term_widgets() -> dict:
    widgets = {
        name: DateInput()
        for name in ("issue_date", "expiry_date", "latest_shipment_date", "received_on",
                     "on_board_date")
    }  # fmt: skip
    for name, rows in NARRATIVE_ROWS.items():
        widgets[name] = forms.Textarea(
            attrs={"rows": rows, "class": "tw-mono", "spellcheck": "false"}
        )
    for name in ("applicant", "beneficiary"):
        widgets[name] = forms.Textarea(attrs={"rows": 3})
    widgets["raw_mt700"] = forms.Textarea(
        attrs={"rows": 8, "class": "tw-mono", "spellcheck": "false",
               "placeholder": ":20:LC2026001\n:31C:260315\n:31D:260615CHINA\n:32B:USD48600,00\n…"}
    )  # fmt: skip
    widgets["currency"] = forms.TextInput(attrs={"maxlength": 3, "autocapitalize": "characters",
                                                 "placeholder": "USD"})  # fmt: skip
    widgets["expiry_country"] = forms.TextInput(attrs={"maxlength": 2, "placeholder": "CN"})
    return widgets


class TermsForm(forms.ModelForm):
    """The terms of a credit; shared by the record, edit and amendment forms."""

    class Meta:
        model = LetterOfCredit
        fields = list(TERM_FIELDS)
        widgets = _term_widgets()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # 45000.0000 and 5.000 as stored read 45000 and 5, as typed.
            for name in ("amount", "tolerance_plus_percent", "tolerance_minus_percent"):
                value = self.initial.get(name)
                if isinstance(value, Decimal):
                    self.initial[name] = plain_percent(value)
        for name, field in self.fields.items():
            if name in TERM_TAGS:
                field.tag = TERM_TAGS[name]
            if isinstance(field, forms.TypedChoiceField) and field.choices[0][0] == "":
                field.choices = [("", "—"), *field.choices[1:]]

    def sections(self):
        """``[(key, title, [bound fields])]`` in MT700 order, for the template."""
        return [
            (key, title, [self[name] for name in names if name in self.fields])
            for key, title, names in SECTIONS
        ]


class LcForm(TermsForm):
    """Record or correct a credit: the contract (when recording), who handles it, and its terms."""

    contract = forms.ModelChoiceField(
        label=_("Contract"),
        queryset=Contract.objects.none(),
        empty_label=_("Choose the contract the credit is for"),
    )
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none())

    class Meta(TermsForm.Meta):
        fields = ["received_on", "on_board_date", "raw_mt700", *TERM_FIELDS]

    def __init__(self, *args, actor, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(visible_users_q(actor)).order_by(
            "first_name", "username"
        )
        if creating:
            self.fields["contract"].queryset = (
                Contract.objects.visible_to(actor)
                .exclude(status="cancelled")
                .select_related("company")
                .order_by("-created_at")
            )
            self.fields["contract"].label_from_instance = lambda c: f"{c.number} · {c.company.name}"
            self.fields.pop("on_board_date")
        else:
            self.fields.pop("contract")
        self.fields["raw_mt700"].label = _("MT700 text from the advising bank")
        if not self.is_bound and not self.initial.get("handler"):
            self.initial["handler"] = actor.pk

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("contract", None)
        return data


class AmendmentForm(TermsForm):
    """An amendment as received: its number and date, and the terms as they would read."""

    amendment_number = forms.IntegerField(
        label=_("Amendment number"), min_value=1, max_value=999, required=False,
        help_text=_("Field 26E. Leave empty for the next number."),
    )  # fmt: skip
    amendment_date = forms.DateField(label=_("Date of amendment"), required=False,
                                     widget=DateInput())  # fmt: skip
    mt707 = forms.CharField(
        label=_("Paste the MT707 (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "tw-mono", "spellcheck": "false",
                                     "placeholder": ":26E:1\n:30:260320\n:32B:USD3600,00\n…"}),
    )  # fmt: skip

    def new_terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in TERM_FIELDS if name in self.cleaned_data}


class AcceptForm(forms.Form):
    reason = forms.CharField(
        label=_("Why accept them"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Buyer confirmed by email on 12 March that the amendment follows; "
                    "agreed with our manager.”"),
    )  # fmt: skip
    discrepancies = forms.TypedMultipleChoiceField(
        label=_("Discrepancies"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, open_discrepancies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discrepancies"].choices = [(d.pk, str(d.pk)) for d in open_discrepancies]


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close it"),
        max_length=200,
        help_text=_("E.g. “Paid on 2 June”, “Cancelled: buyer paid by T/T instead”."),
    )


class DecisionForm(forms.Form):
    amendment = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
