"""Forms of the new-inquiries inbox: turning a message into a lead. They parse input only; the
services check the rules (duplicates, phone numbers) and their errors land on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.customers.choices import Source
from tradewind.customers.forms import blank_choices_as_dash, country_field


class LeadForm(forms.Form):
    """The new customer and its first contact, prefilled from the message's sender."""

    name = forms.CharField(label=_("Company name"), max_length=200)
    country = country_field()
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    source = forms.TypedChoiceField(
        label=_("Source"), choices=[("", "—"), *Source.choices], required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=120)
    contact_email = forms.EmailField(label=_("Email"), max_length=254)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Create anyway — it is a different buyer"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank_choices_as_dash(self)
        self.fields["name"].widget.attrs["autofocus"] = True
        for name in ("name", "website", "contact_name", "contact_phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicate", None)
        return data


class FileOnCompanyForm(forms.Form):
    """File the message on an existing customer the user can see (picked from the matches)."""

    company = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
