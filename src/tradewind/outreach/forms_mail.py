"""Forms of the mail pages: the mailbox settings and the suppression list.

Password fields never show the stored password: left empty they keep it, and a tick box
removes it. The form only parses; ``mailboxes.mailbox_save`` decides and validates.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from tradewind.outreach.choices import Security, SuppressionReason
from tradewind.outreach.mailboxes import MAILBOX_FIELDS
from tradewind.outreach.models import Mailbox

# Well-known company mail services: the settings page fills the servers in from these.
PROVIDERS = [
    ("exmail", _("Tencent Exmail (腾讯企业邮)"), "smtp.exmail.qq.com", 465, "ssl",
     "imap.exmail.qq.com", 993, "ssl"),
    ("aliyun", _("Alibaba Mail (阿里企业邮)"), "smtp.qiye.aliyun.com", 465, "ssl",
     "imap.qiye.aliyun.com", 993, "ssl"),
    ("netease", _("NetEase Enterprise Mail (网易企业邮)"), "smtp.qiye.163.com", 465, "ssl",
     "imap.qiye.163.com", 993, "ssl"),
    ("gmail", _("Google Workspace / Gmail"), "smtp.gmail.com", 587, "starttls",
     "imap.gmail.com", 993, "ssl"),
    ("m365", _("Microsoft 365 / Outlook"), "smtp.office365.com", 587, "starttls",
     "outlook.office365.com", 993, "ssl"),
]  # fmt: skip


class MailboxForm(forms.ModelForm):
    smtp_password = forms.CharField(
        label=_("SMTP password"),
        required=False,
        strip=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_smtp_password = forms.BooleanField(label=_("Remove the saved password"), required=False)
    imap_password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        strip=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_imap_password = forms.BooleanField(label=_("Remove the saved password"), required=False)

    class Meta:
        model = Mailbox
        fields = list(MAILBOX_FIELDS)
        widgets = {
            "smtp_port": forms.NumberInput(attrs={"min": 1, "max": 65535}),
            "imap_port": forms.NumberInput(attrs={"min": 1, "max": 65535}),
            "smtp_host": forms.TextInput(attrs={"placeholder": "smtp.exmail.qq.com"}),
            "imap_host": forms.TextInput(attrs={"placeholder": "imap.exmail.qq.com"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("smtp_port", "imap_port", "daily_cap", "min_interval_seconds"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        self.fields["smtp_security"].choices = Security.choices
        self.fields["imap_security"].choices = Security.choices
        self.fields["daily_cap"].max_value = 10000
        self.fields["daily_cap"].widget.attrs["max"] = 10000
        self.fields["min_interval_seconds"].max_value = 3600
        self.fields["min_interval_seconds"].widget.attrs["max"] = 3600
        self.fields["imap_host"].help_text = _(
            "Needed to file buyers' replies on their timeline. Leave empty to send only."
        )
        self.fields["imap_username"].help_text = _("Leave empty to use the SMTP user name.")
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        stored = self.instance if self.instance.pk else None
        for protocol in ("smtp", "imap"):
            has_password = bool(stored and getattr(stored, f"{protocol}_password_encrypted"))
            field = self.fields[f"{protocol}_password"]
            if has_password:
                field.help_text = _("A password is saved. Leave this empty to keep it.")
                field.widget.attrs["placeholder"] = "••••••••"
            else:
                del self.fields[f"clear_{protocol}_password"]
        if not (stored and stored.imap_password_encrypted):
            self.fields["imap_password"].help_text = _("Leave empty to use the SMTP password.")

    def service_arguments(self) -> dict:
        """The cleaned data as ``mailbox_save`` takes it (None keeps a password)."""
        data = dict(self.cleaned_data)
        arguments = {name: data[name] for name in self.Meta.fields}
        for protocol in ("smtp", "imap"):
            typed = data.get(f"{protocol}_password") or None
            if data.get(f"clear_{protocol}_password"):
                typed = ""
            arguments[f"{protocol}_password"] = typed
        return arguments


class SuppressionAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "form-control", "placeholder": "name@buyer.com"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=SuppressionReason.choices,
        initial=SuppressionReason.MANUAL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    detail = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("e.g. asked by phone on 3 March")}
        ),
    )


class SuppressionSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=254)
