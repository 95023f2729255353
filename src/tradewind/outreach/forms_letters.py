"""Forms for templates, letters and sequences. They parse input only; the services
(``templates``, ``letters``, ``sequences``, ``enrolment``) enforce the rules, and their errors land
on the fields via ``core.errors.add_error_to_form``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.core.errors import DomainError
from tradewind.customers.forms import LocalDateTimeField
from tradewind.outreach import letters, templating
from tradewind.outreach.choices import StepKind
from tradewind.outreach.enrolment import WHO_ALL, WHO_DECISION_MAKER
from tradewind.outreach.models import EmailTemplate
from tradewind.outreach.sequences import MAX_STEPS, StepSpec

MERGE_HELP = _("Merge fields such as {{ contact.first_name }} are filled in for each buyer.")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "language", "subject", "body", "is_shared"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {"body": MERGE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].max_length = templating.MAX_SUBJECT_CHARS
        self.fields["body"].max_length = templating.MAX_BODY_CHARS
        if not self.instance.pk:
            self.initial.setdefault("language", "en")

    def _post_clean(self):
        """Validated by ``templates.template_save``."""


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=_("PDF, image, Word, Excel or PowerPoint; at most 10 MB."),
    )


def custom_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Custom fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "product = LED panel lights"}),
        help_text=_("One per line as name = value; use them as {{ custom.name }}."),
        **kwargs,
    )


class PreviewForm(forms.Form):
    """The template editor's live preview: the text so far and whom to preview it for."""

    subject = forms.CharField(required=False, max_length=templating.MAX_SUBJECT_CHARS + 1)
    body = forms.CharField(required=False, max_length=templating.MAX_BODY_CHARS + 1)
    language = forms.ChoiceField(required=False, choices=[("en", "en"), ("zh-hans", "zh-hans")])
    preview_contact = forms.IntegerField(required=False, min_value=1)
    custom = forms.CharField(required=False)

    def clean_custom(self):
        try:
            return templating.parse_custom_fields(self.cleaned_data["custom"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


class ComposeForm(forms.Form):
    """A one-off letter: the text (with merge fields), its custom values, and when to send."""

    WHEN_CHOICES = [
        (letters.WHEN_BEST, _("At the buyer's next good time")),
        (letters.WHEN_NOW, _("Now")),
        (letters.WHEN_AT, _("At a time I choose")),
    ]

    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    subject = forms.CharField(label=_("Subject"), max_length=templating.MAX_SUBJECT_CHARS)
    body = forms.CharField(
        label=_("Letter"),
        max_length=templating.MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MERGE_HELP,
    )
    custom = custom_field()
    when = forms.ChoiceField(
        label=_("Send"),
        choices=WHEN_CHOICES,
        initial=letters.WHEN_BEST,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    at = LocalDateTimeField(label=_("Date and time, in the buyer's zone"), required=False)

    def clean_custom(self):
        try:
            return templating.parse_custom_fields(self.cleaned_data["custom"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def draft(self) -> letters.Draft:
        data = self.cleaned_data
        return letters.Draft(subject=data["subject"], body=data["body"], custom=data["custom"])


class SequenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    is_shared = forms.BooleanField(label=_("Shared with the team"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"), required=False, choices=[("", "—"), *StepKind.choices]
    )
    delay_working_days = forms.IntegerField(
        label=_("Working days after the previous step"), min_value=0, max_value=60, initial=3
    )
    template = forms.TypedChoiceField(
        label=_("Template"), required=False, coerce=int, empty_value=None
    )
    task_title = forms.CharField(label=_("Task"), required=False, max_length=200)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "—"), *[(t.pk, t.name) for t in templates]]

    def spec(self) -> StepSpec:
        data = self.cleaned_data
        return StepSpec(
            kind=data["kind"],
            delay_working_days=data["delay_working_days"],
            template_id=data["template"],
            task_title=data["task_title"],
        )


class BaseStepFormSet(forms.BaseFormSet):
    """Rows left at "—" are ignored, so the two empty rows at the end cost nothing."""

    def specs(self) -> list[StepSpec]:
        return [
            form.spec()
            for form in self.forms
            if form.cleaned_data.get("kind") and not self._should_delete_form(form)
        ]


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=MAX_STEPS
)


class EnrolContactForm(forms.Form):
    contact = forms.TypedChoiceField(label=_("Contact"), coerce=int)
    sequence = forms.TypedChoiceField(label=_("Sequence"), coerce=int)

    def __init__(self, *args, contacts=(), sequences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [(c.pk, f"{c.name} <{c.email}>") for c in contacts]
        self.fields["sequence"].choices = [(s.pk, s.name) for s in sequences]


class EnrolFilterForm(forms.Form):
    sequence = forms.TypedChoiceField(label=_("Sequence"), coerce=int)
    who = forms.ChoiceField(
        label=_("Whom to enrol"),
        choices=[
            (WHO_DECISION_MAKER, _("The decision maker of each customer (else the first contact)")),
            (WHO_ALL, _("Every contact with an email address")),
        ],
        initial=WHO_DECISION_MAKER,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, sequences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sequence"].choices = [(s.pk, s.name) for s in sequences]


class EnrollmentActionForm(forms.Form):
    enrollment = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("pause", "pause"), ("resume", "resume"), ("stop", "stop")])


class CancelLetterForm(forms.Form):
    message = forms.IntegerField(min_value=1)
