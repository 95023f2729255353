"""Forms of the profiles and the screening panel. They parse input only; the services judge it.

Countries are typed, not picked from a 250-line list: ISO codes or names in English or Chinese,
separated by commas ("DE, France, 荷兰"). Keywords are separated by commas (also the Chinese
"，" and "、"), semicolons or new lines.
"""

import functools
import re

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.customers import geo
from tradewind.customers.choices import CompanySize, CustomerType, Screening
from tradewind.customers.icp.fit import fold
from tradewind.customers.icp.models import (
    DEFAULT_WEIGHTS,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    WEIGHT_FIELDS,
    IdealCustomerProfile,
)
from tradewind.customers.icp.regions import Region

SEPARATORS = re.compile(r"[,，、;；\n\r]+")
MAX_LIST_INPUT = 5000  # characters of one list field


@functools.cache
def _country_lookup() -> dict[str, str]:
    """Folded code, English or Chinese name → ISO alpha-2 code."""
    lookup = {}
    for language in ("en", "zh-hans"):
        for code, name in geo.country_choices(language):
            lookup[fold(name)] = code
    for country in pycountry.countries:
        lookup[fold(country.name)] = country.alpha_2
        lookup[fold(country.alpha_3)] = country.alpha_2
        lookup[fold(country.alpha_2)] = country.alpha_2
    return lookup


def split_list(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


class ListField(forms.CharField):
    """A comma-separated list typed into one box."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_LIST_INPUT)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        return split_list(super().to_python(value))


class KeywordsField(ListField):
    widget = forms.Textarea(attrs={"rows": 2})

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_KEYWORDS:
            raise forms.ValidationError(
                _("At most %(limit)s keywords."), params={"limit": MAX_KEYWORDS}
            )
        for keyword in value:
            if len(keyword) > MAX_KEYWORD_LENGTH:
                raise forms.ValidationError(
                    _("Keep each keyword under %(limit)s characters."),
                    params={"limit": MAX_KEYWORD_LENGTH},
                )


class CountriesField(ListField):
    def to_python(self, value) -> list[str]:
        codes, unknown = [], []
        for part in super().to_python(value):
            code = _country_lookup().get(fold(part))
            (codes if code else unknown).append(code or part)
        if unknown:
            raise forms.ValidationError(
                _("Not a country we know: %(names)s. Use the ISO code (DE) or the name."),
                params={"names": ", ".join(unknown[:5])},
            )
        return codes


def _checks(choices, label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who this buyer is, in a sentence the team will recognise."),
    )
    countries = CountriesField(
        label=_("Target countries"),
        help_text=_("ISO codes or names, separated by commas: DE, France, 荷兰."),
    )
    regions = _checks(Region.choices, _("Target regions"))
    customer_types = _checks(CustomerType.choices, _("Customer types"))
    sizes = _checks(CompanySize.choices, _("Sizes"))
    product_keywords = KeywordsField(
        label=_("Product keywords"),
        help_text=_(
            "Looked for in the products of interest, name, notes and tags: LED panel, downlight."
        ),
    )
    keywords = KeywordsField(
        label=_("Other keywords"), help_text=_("e.g. distributor, wholesale, hotel project.")
    )
    excluded_keywords = KeywordsField(
        label=_("Excluded keywords"),
        help_text=_("Mentioning any of them takes points off: e.g. dropshipping, personal use."),
    )
    check_website = forms.BooleanField(label=_("Own website"), required=False)
    check_company_email = forms.BooleanField(
        label=_("Company email domain, not free mail"), required=False
    )
    check_decision_maker = forms.BooleanField(label=_("Decision-maker contact"), required=False)

    def __init__(self, *args, instance: IdealCustomerProfile | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        for name, key in WEIGHT_FIELDS.items():
            model_field = IdealCustomerProfile._meta.get_field(name)
            self.fields[name] = forms.IntegerField(
                label=str(model_field.verbose_name).capitalize(),
                min_value=0,
                max_value=100,
                initial=getattr(instance, name) if instance else getattr(DEFAULT_WEIGHTS, key),
                widget=forms.NumberInput(attrs={"class": "tw-input-narrow"}),
            )

    @property
    def weight_fields(self):
        return [self[name] for name in WEIGHT_FIELDS]

    @property
    def signal_fields(self):
        return [
            self[name] for name in ("check_website", "check_company_email", "check_decision_maker")
        ]


class ScreeningForm(forms.Form):
    """The checklist and status on the company page (prefixed: the page holds other forms)."""

    prefix = "screening"
    checked_website = forms.BooleanField(label=_("Own website checked"), required=False)
    checked_email_domain = forms.BooleanField(
        label=_("Company email domain checked"), required=False
    )
    checked_address = forms.BooleanField(label=_("Address checked"), required=False)
    checked_registry = forms.BooleanField(
        label=_("Registry or social presence checked"), required=False
    )
    status = forms.ChoiceField(label=_("Screening status"), choices=Screening.choices)
    reason = forms.CharField(label=_("Reason disqualified"), required=False, max_length=200)

    CHECK_NAMES = ("checked_website", "checked_email_domain", "checked_address", "checked_registry")

    def __init__(self, *args, company=None, **kwargs):
        if company is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "checked_website": company.checked_website,
                "checked_email_domain": company.checked_email_domain,
                "checked_address": company.checked_address,
                "checked_registry": company.checked_registry,
                "status": company.screening_status,
                "reason": company.disqualified_reason,
            }
        super().__init__(*args, **kwargs)

    @property
    def check_fields(self):
        return [self[name] for name in self.CHECK_NAMES]
