import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.choices import Language
from tradewind.accounts.services import login_failed, login_locked, login_succeeded


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request else None


class LoginForm(AuthenticationForm):
    """Log-in with lock-out after repeated failures. Unknown and known user names get the same
    answers, so the form does not tell which accounts exist."""

    error_messages = {
        "invalid_login": _("Wrong user name or password. Both are case-sensitive."),
        "inactive": _("Wrong user name or password. Both are case-sensitive."),
        "locked": _(
            "Too many failed log-ins. Wait %(minutes)d minutes, or reset your password by email."
        ),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        ip_address = client_ip(self.request)
        if username and login_locked(username=username, ip_address=ip_address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failed(username=username, ip_address=ip_address)
            raise
        login_succeeded(username=username)
        return cleaned


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    signature = forms.CharField(
        label=_("Email signature"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False)
