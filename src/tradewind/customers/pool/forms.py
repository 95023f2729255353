"""Forms of the pool pages: they parse input; the services enforce the rules."""

import functools
import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.choices import Role
from tradewind.accounts.models import Team, User
from tradewind.accounts.visibility import visible_users_q
from tradewind.customers import geo
from tradewind.customers.forms import blank_choices_as_dash
from tradewind.customers.icp.regions import Region
from tradewind.customers.models import WorkspacePolicy
from tradewind.customers.pool.policy import POLICY_FIELDS
from tradewind.customers.pool.services import MAX_BULK, transfer_sources_q

OFF_HELP = _("0 turns this rule off.")
NO_LIMIT_HELP = _("0 means no limit.")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = WorkspacePolicy
        fields = list(POLICY_FIELDS)
        labels = {
            "release_after_idle_days": _("Days without follow-up"),
            "release_after_no_deal_days": _("Days owned without a deal"),
            "release_reminder_days": _("Remind the owner, days before"),
            "reclaim_cooldown_days": _("Previous owner waits, days"),
            "daily_claim_limit": _("Claims per rep per day"),
            "max_holdings": _("Customers one rep may own"),
        }
        help_texts = {
            "duplicate_policy": _("What happens when a new customer looks like one you have."),
            "release_after_idle_days": _(
                "Counted from the last activity on the timeline, or from when the owner got the "
                "customer if that is later. 0 turns this rule off."
            ),
            "release_after_no_deal_days": _(
                "Counted from when the owner got the customer; a quotation, sample, negotiation "
                "or order stops it. 0 turns this rule off."
            ),
            "release_reminder_days": _(
                "The owner gets an email and a follow-up task on My day. 0: no reminder."
            ),
            "reclaim_cooldown_days": _(
                "Gives colleagues a fair chance at a released customer. 0 turns this rule off."
            ),
            "daily_claim_limit": _("Counted in each rep's own time zone. 0 means no limit."),
            "max_holdings": _("Claims and assignments beyond it are refused. 0 means no limit."),
            "auto_assign": _(
                "Applies to leads that managers, imports or the API create without an owner."
            ),
        }
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
            for name in POLICY_FIELDS
            if name not in ("duplicate_policy", "auto_assign")
        }

    def _post_clean(self):
        """Validated by ``policy_update``, whose errors land on the fields."""


@functools.cache
def _country_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("en", "zh-hans"):
        for code, name in geo.country_choices(language):
            lookup[name.casefold()] = code
            lookup[code.casefold()] = code
    return lookup


def parse_countries(text: str) -> tuple[list[str], list[str]]:
    """(ISO codes, unrecognised words) from "DE, France, 德国; nl"."""
    codes, unknown = [], []
    for word in re.split(r"[,;，、\n]+", text):
        word = word.strip()
        if not word:
            continue
        code = _country_lookup().get(word.casefold())
        (codes if code else unknown).append(code or word)
    return sorted(set(codes)), unknown


class AssignmentRuleForm(forms.Form):
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=2000,
        help_text=_("ISO codes or names, in English or Chinese, separated by commas."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. DE, France, 荷兰")}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    assignee = forms.ModelChoiceField(
        label=_("Give to this salesperson"), queryset=User.objects.none(), required=False
    )
    team = forms.ModelChoiceField(
        label=_("…or rotate through this team"), queryset=Team.objects.none(), required=False
    )
    position = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=999, initial=10, help_text=_("Lower goes first.")
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            visible_users_q(actor), role=Role.SALES
        ).order_by("username")
        teams = Team.objects.all()
        if not actor.is_workspace_admin:
            teams = teams.filter(manager=actor)
        self.fields["team"].queryset = teams.order_by("name")
        for name in ("assignee", "team"):
            self.fields[name].empty_label = "—"

    def clean_countries(self) -> list[str]:
        codes, unknown = parse_countries(self.cleaned_data["countries"])
        if unknown:
            raise forms.ValidationError(
                _("Not a country we know: %(words)s. Use ISO codes such as DE or full names."),
                params={"words": ", ".join(unknown[:5])},
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assignee") and not cleaned.get("team"):
            self.add_error("assignee", _("Choose a salesperson, or a team to take turns."))
        elif cleaned.get("assignee") and cleaned.get("team"):
            self.add_error("team", _("Choose a salesperson or a team, not both."))
        return cleaned


class CompanyIdsField(forms.Field):
    """The ticked rows of the customer list: a list of positive ids, at most ``MAX_BULK``."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            ids = sorted({int(item) for item in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The selection is not valid; reload the page.")) from None
        if any(pk <= 0 for pk in ids):
            raise forms.ValidationError(_("The selection is not valid; reload the page."))
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(
                _("Select at most %(max)d customers at a time."), params={"max": MAX_BULK}
            )
        return ids

    def validate(self, value) -> None:
        if not value:
            raise forms.ValidationError(_("Tick at least one customer first."))


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("assign", _("Assign")), ("release", _("Release"))])
    company = CompanyIdsField()
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(visible_users_q(actor))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "assign" and not cleaned.get("owner"):
            self.add_error("owner", _("Choose who gets the selected customers."))
        return cleaned


class AssignOneForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(visible_users_q(actor))


class TransferForm(forms.Form):
    from_owner = forms.ModelChoiceField(
        label=_("From"), queryset=User.objects.none(), help_text=_("Including people who left.")
    )
    to_owner = forms.ModelChoiceField(label=_("To"), queryset=User.objects.none())

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_owner"].queryset = (
            User.objects.filter(transfer_sources_q(actor))
            .filter(~Q(role=Role.ADMIN))
            .order_by("username")
        )
        self.fields["to_owner"].queryset = User.objects.filter(visible_users_q(actor)).order_by(
            "username"
        )
        blank_choices_as_dash(self)
        for name in ("from_owner", "to_owner"):
            self.fields[name].empty_label = "—"

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from_owner"), cleaned.get("to_owner")
        if source and target and source == target:
            self.add_error("to_owner", _("Choose a different salesperson to receive them."))
        return cleaned
