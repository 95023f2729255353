"""Forms parse input only; the services enforce the rules, and their errors land on the fields."""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import User
from tradewind.accounts.visibility import visible_users_q
from tradewind.customers import geo
from tradewind.customers.choices import ActivityKind, Grade, Screening, Source, Stage
from tradewind.customers.models import Activity, Company, Contact, Task

COUNTRY_LABEL = _("Country")


class LongSelect(forms.Select):
    """A select of many plain options (the ~250 countries), joined in Python: Django renders a
    template per option, about 9 ms a page for the country list; this takes 1–2 ms
    (benchmarks/customer_list.py). No option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label)
             for key, label in self.choices),
        )  # fmt: skip
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, options)


def country_field(label=COUNTRY_LABEL, blank="—") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=lambda: [("", blank), *geo.country_choices(get_language() or "en")],
        widget=LongSelect,
    )


def blank_choices_as_dash(form: forms.BaseForm) -> None:
    """Show empty choices as "—" instead of Django's "---------"."""
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if isinstance(field, forms.TypedChoiceField) and choices and choices[0][0] == "":
            field.choices = [("", "—"), *choices[1:]]


class CompanyForm(forms.ModelForm):
    country = country_field()
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. LED, distributor, Canton Fair."),
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "country",
            "website",
            "customer_type",
            "size",
            "source",
            "grade",
            "stage",
            "lost_reason",
            "owner",
            "time_zone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = User.objects.filter(visible_users_q(actor)).order_by("username")
        owner.empty_label = _("Nobody — public pool")
        owner.required = False
        if self.instance.pk:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        else:
            self.initial.setdefault("owner", actor.pk)
        blank_choices_as_dash(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == Stage.LOST and not (cleaned.get("lost_reason") or "").strip():
            self.add_error(
                "lost_reason", _("Say why the customer was lost, so the team can learn from it.")
            )
        return cleaned

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]

    def _post_clean(self):
        """Model validation runs in the service, which also normalises the fields first."""


class ContactForm(forms.ModelForm):
    linkedin = forms.URLField(label=_("LinkedIn"), required=False, assume_scheme="https")

    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "email",
            "phone",
            "whatsapp",
            "linkedin",
            "is_decision_maker",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "phone": _("With country code, e.g. +49 30 1234567, or local to the company's country.")
        }

    def _post_clean(self):
        """Validated (and phones put in E.164) by the service."""


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)


class ActivityForm(forms.ModelForm):
    occurred_at = LocalDateTimeField(label=_("When"), required=False)

    class Meta:
        model = Activity
        fields = ["kind", "direction", "contact", "summary", "occurred_at"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = company.contacts.all()
        self.fields["contact"].required = False
        self.fields["contact"].empty_label = "—"
        if not self.is_bound:
            self.initial.setdefault("kind", ActivityKind.EMAIL)

    def clean_occurred_at(self):
        return self.cleaned_data["occurred_at"] or timezone.now()

    def _post_clean(self):
        """Validated by the service."""


def default_due() -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))


class TaskForm(forms.ModelForm):
    due_at = LocalDateTimeField(label=_("Due"))

    class Meta:
        model = Task
        fields = ["title", "due_at", "assignee", "contact"]

    def __init__(self, *args, company: Company, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = company.contacts.all()
        self.fields["contact"].required = False
        self.fields["contact"].empty_label = "—"
        assignee = self.fields["assignee"]
        company_owner = Q(pk=company.owner_id) if company.owner_id else Q(pk__in=[])
        assignee.queryset = User.objects.filter(visible_users_q(actor) | company_owner).order_by(
            "username"
        )
        if not self.instance.pk:
            self.initial.setdefault("assignee", actor.pk)
            self.initial.setdefault("due_at", default_due())

    def _post_clean(self):
        """Validated by the service."""


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    country = country_field(label=_("Country"), blank=_("All countries"))
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All grades")), *Grade.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Source.choices]
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False)
    screening = forms.ChoiceField(
        label=_("Screening"),
        required=False,
        choices=[("", _("Any screening")), *Screening.choices],
    )
    min_score = forms.IntegerField(
        label=_("Fit score at least"), required=False, min_value=0, max_value=100
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("recent", _("Recently active")),
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("newest", _("Newest")),
            ("country", _("Country")),
            ("stage", _("Stage")),
            ("score", _("Best fit first")),
        ],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        users = (
            User.objects.filter(visible_users_q(actor)).exclude(pk=actor.pk).order_by("username")
        )
        self.fields["owner"].choices = [
            ("", _("Everyone I can see")),
            ("me", _("Mine")),
            ("pool", _("Public pool")),
            *[(str(user.pk), str(user)) for user in users],
        ]
