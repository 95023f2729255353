"""Forms of the import pages: they parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.customers.imports.choices import OnDuplicate, OwnerChoice
from tradewind.customers.imports.mapping import FIELDS, column_letter
from tradewind.customers.models import WorkspacePolicy


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lead list"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8, GBK or GB18030)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )


def field_choices() -> list:
    company = [(field.key, field.label) for field in FIELDS if field.group == "company"]
    contact = [(field.key, field.label) for field in FIELDS if field.group == "contact"]
    return [
        ("", _("— Ignore this column —")),
        (_("Company"), company),
        (_("Contact"), contact),
    ]


def column_field_name(index: int) -> str:
    return f"column_{index}"


class MappingForm(forms.Form):
    """One select per column of the file, and the import's options."""

    on_duplicate = forms.ChoiceField(
        label=_("When a row looks like a customer you already have"),
        choices=OnDuplicate.choices,
        initial=OnDuplicate.SKIP,
        widget=forms.RadioSelect,
    )
    owner_choice = forms.ChoiceField(
        label=_("Owner of the new customers"), choices=(), widget=forms.RadioSelect
    )
    owner = forms.ModelChoiceField(
        label=_("Salesperson"), queryset=User.objects.none(), required=False
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and show the result, but change nothing"),
        required=False,
    )

    def __init__(self, *args, headers: list[str], mapping: dict, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            name = column_field_name(index)
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(letter)s") % {"letter": column_letter(index)},
                choices=field_choices(),
                required=False,
                initial=mapping.get(str(index), ""),
                widget=forms.Select(attrs={"class": "tw-input"}),
            )
        self._set_owner_choices(actor)

    def _set_owner_choices(self, actor: User) -> None:
        can_assign = actor.is_manager or actor.is_workspace_admin
        choices = [
            (OwnerChoice.ME, OwnerChoice.ME.label),
            (OwnerChoice.POOL, OwnerChoice.POOL.label),
        ]
        if can_assign:
            choices.insert(1, (OwnerChoice.USER, OwnerChoice.USER.label))
            self.fields["owner"].queryset = (
                User.objects.filter(visible_users_q(actor))
                .exclude(pk=actor.pk)
                .order_by("username")
            )
            if WorkspacePolicy.current().auto_assign != "off":
                choices.append((OwnerChoice.AUTO, OwnerChoice.AUTO.label))
        else:
            del self.fields["owner"]
        self.fields["owner_choice"].choices = choices
        self.fields["owner_choice"].initial = OwnerChoice.ME

    def column_fields(self):
        return [self[column_field_name(index)] for index in range(len(self.headers))]

    def mapping(self) -> dict[int, str]:
        return {
            index: self.cleaned_data.get(column_field_name(index)) or ""
            for index in range(len(self.headers))
        }
