"""Forms of the duplicate check: the first contact and "create anyway" on the new-customer form,
the live check's query, and the merge confirmation. They parse input only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.customers.dedup.engine import Candidate


class FirstContactForm(forms.Form):
    """Shown under the company fields of a new customer: optional, and part of the check."""

    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Any common format; the country above is used when no +code is typed."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Create anyway — this is a different buyer"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        has_details = cleaned.get("contact_email") or cleaned.get("contact_phone")
        if has_details and not (cleaned.get("contact_name") or "").strip():
            self.add_error(
                "contact_name", _("Give the contact's name, or leave email and phone empty.")
            )
        return cleaned

    def first_contact(self) -> dict | None:
        data = self.cleaned_data
        if not any(data.get(f"contact_{part}") for part in ("name", "email", "phone")):
            return None
        return {
            "name": data["contact_name"],
            "email": data["contact_email"],
            "phone": data["contact_phone"],
        }


class CheckForm(forms.Form):
    """The live check's query string: what has been typed so far (all optional, clipped)."""

    name = forms.CharField(max_length=200, required=False)
    country = forms.CharField(max_length=2, required=False)
    website = forms.CharField(max_length=200, required=False)
    contact_email = forms.CharField(max_length=254, required=False)
    contact_phone = forms.CharField(max_length=40, required=False)
    exclude = forms.IntegerField(required=False, min_value=1)

    def candidate(self) -> Candidate | None:
        """None when the query is unusable (too long, malformed) or nothing is typed yet."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        candidate = Candidate(
            name=data["name"],
            country=data["country"].upper(),
            website=data["website"],
            emails=tuple(filter(None, [data["contact_email"]])),
            phones=tuple(filter(None, [data["contact_phone"]])),
        )
        return candidate if len(data["name"].strip()) >= 2 or candidate.website or \
            candidate.emails or candidate.phones else None  # fmt: skip


class MergeForm(forms.Form):
    """Which of the two companies survives; the other is merged into it."""

    survivor = forms.IntegerField(min_value=1)
    duplicate = forms.IntegerField(min_value=1)

    def __init__(self, *args, company_ids: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.company_ids = set(company_ids)

    def clean(self):
        cleaned = super().clean()
        chosen = {cleaned.get("survivor"), cleaned.get("duplicate")}
        if not self.errors and chosen != self.company_ids:
            raise forms.ValidationError(_("Pick which of the two customers stays."))
        return cleaned
