"""Forms of the inquiry pages. They parse input only; the services (``quotes.inquiries``) check
the rules, and their errors land on these fields."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.catalog.models import Product
from tradewind.customers.forms import LocalDateTimeField, blank_choices_as_dash
from tradewind.quotes.choices import ChecklistItem, IncotermChoice, InquiryStatus
from tradewind.quotes.inquiries import MAX_REASON
from tradewind.quotes.models import Inquiry, InquiryLine

DETAIL_FIELDS = (
    "packing",
    "lead_time",
    "destination_port",
    "incoterm",
    "named_place",
    "payment_terms",
    "certificates",
)
LINE_FORM_FIELDS = (
    "product",
    "description",
    "specification",
    "material",
    "quantity",
    "unit",
    "target_price",
)
# Checklist items filled on the inquiry itself (the rest are on its lines).
FILLABLE_ITEMS = (
    ChecklistItem.PACKING,
    ChecklistItem.LEAD_TIME,
    ChecklistItem.DESTINATION_PORT,
    ChecklistItem.INCOTERM,
    ChecklistItem.PAYMENT_TERMS,
    ChecklistItem.CERTIFICATES,
)


class InquiryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *InquiryStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Only overdue replies"), required=False)
    scope = forms.ChoiceField(
        label=_("Whose"),
        required=False,
        choices=[("mine", _("Mine")), ("team", _("My team's"))],
    )


def product_choices():
    return Product.objects.filter(is_active=True).only("pk", "model", "name_en").order_by("model")


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.model} · {obj.name_en}"


class InquiryForm(forms.ModelForm):
    """The inquiry's header and the details to confirm; on a new inquiry, its first line."""

    received_at = LocalDateTimeField(
        label=_("Received"),
        required=False,
        help_text=_("Empty means now. The first reply is due within working hours from it."),
    )
    line_product = ProductChoiceField(
        label=_("Product from the catalogue"), queryset=Product.objects.none(), required=False
    )
    line_description = forms.CharField(label=_("Description"), max_length=300, required=False)
    line_specification = forms.CharField(
        label=_("Specification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    line_material = forms.CharField(label=_("Material"), max_length=200, required=False)
    line_quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    line_unit = forms.CharField(label=_("Unit"), max_length=12, required=False, initial="pc")
    line_target_price = forms.DecimalField(
        label=_("Target price"), min_value=0, max_digits=16, decimal_places=4, required=False
    )

    class Meta:
        model = Inquiry
        fields = [
            "subject",
            "contact",
            "assignee",
            "source",
            "received_at",
            "message",
            *DETAIL_FIELDS,
            "currency",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "packing": forms.TextInput(),
        }
        help_texts = {
            "named_place": _("The port or place the Incoterm names, e.g. FOB Ningbo."),
        }

    def __init__(self, *args, company, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["contact"].queryset = company.contacts.all()
        self.fields["contact"].required = False
        self.fields["contact"].empty_label = "—"
        owner = Q(pk=company.owner_id) if company.owner_id else Q(pk__in=[])
        assignee = self.fields["assignee"]
        assignee.queryset = User.objects.filter(
            visible_users_q(actor) | owner | Q(pk=actor.pk)
        ).order_by("username")
        assignee.required = False
        assignee.empty_label = _("The customer's owner")
        self.fields["incoterm"].choices = [("", "—"), *IncotermChoice.choices]
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "style": "max-width: 7rem"})
        self.fields["subject"].widget.attrs["autofocus"] = True
        if self.instance.pk:
            for name in [n for n in self.fields if n.startswith("line_")]:
                del self.fields[name]
        else:
            self.fields["line_product"].queryset = product_choices()
            self.fields["line_product"].empty_label = "—"
        blank_choices_as_dash(self)

    def inquiry_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("line_")}
        if not data.get("received_at"):
            data.pop("received_at", None)
        return data

    def first_line(self) -> dict | None:
        line = {name: self.cleaned_data.get(f"line_{name}") for name in LINE_FORM_FIELDS}
        typed = {k: v for k, v in line.items() if v not in (None, "")}
        if not typed or set(typed) == {"unit"}:
            return None
        line["unit"] = line["unit"] or ""
        for name in ("description", "specification", "material"):
            line[name] = line[name] or ""
        return line

    def _post_clean(self):
        """Validated by the service."""


class InquiryLineForm(forms.ModelForm):
    product = ProductChoiceField(
        label=_("Product from the catalogue"), queryset=Product.objects.none(), required=False
    )

    class Meta:
        model = InquiryLine
        fields = list(LINE_FORM_FIELDS)
        widgets = {"specification": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "description": _(
                "Leave description, specification and material empty to take them from the "
                "catalogue product."
            ),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "line")
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = product_choices()
        self.fields["product"].empty_label = "—"
        self.fields["description"].required = False
        self.fields["unit"].required = False
        self.fields["target_price"].min_value = 0

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("description", "specification", "material", "unit"):
            data[name] = data.get(name) or ""
        return data

    def _post_clean(self):
        """Validated by the service."""


class FillForm(forms.Form):
    """One inquiry-level checklist detail typed straight into the checklist."""

    item = forms.ChoiceField(choices=[(item.value, item.label) for item in FILLABLE_ITEMS])
    value = forms.CharField(label=_("Value"), max_length=300, required=False)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), choices=[("", "—"), *IncotermChoice.choices], required=False
    )
    named_place = forms.CharField(label=_("Named place"), max_length=120, required=False)

    def service_fields(self) -> dict:
        item = self.cleaned_data["item"]
        if item == ChecklistItem.INCOTERM:
            return {
                "incoterm": self.cleaned_data["incoterm"],
                "named_place": self.cleaned_data["named_place"],
            }
        return {item: self.cleaned_data["value"]}


class WaiveForm(forms.Form):
    item = forms.ChoiceField(choices=ChecklistItem.choices)
    # No max_length here: the service says how long the reason is and keeps what was typed.
    reason = forms.CharField(
        label=_("Why can you quote without it?"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_REASON}),
    )


class UnwaiveForm(forms.Form):
    item = forms.ChoiceField(choices=ChecklistItem.choices)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(InquiryStatus.LOST, _("Lost")), (InquiryStatus.CLOSED, _("Closed"))],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.TextInput(attrs={"maxlength": MAX_REASON})
    )


class RespondForm(forms.Form):
    when = LocalDateTimeField(label=_("Reply sent"), required=False)
