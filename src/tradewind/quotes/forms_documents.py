"""Forms of the quotation documents pages: sending a revision, recording the buyer's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

OTHER_ADDRESS = "other"


class SendForm(forms.Form):
    """To whom and what to write; the PDF goes with it, the Excel file when asked."""

    contact = forms.ChoiceField(label=_("To"))
    to_email = forms.EmailField(
        label=_("Other address"),
        required=False,
        max_length=254,
        help_text=_("Only when sending to an address that is not one of the contacts."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 9}))
    attach_xlsx = forms.BooleanField(label=_("Attach the Excel file too"), required=False)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(contact.pk), f"{contact.name} <{contact.email}>")
            for contact in contacts
            if contact.email
        ]
        choices.append((OTHER_ADDRESS, _("Another address…")))
        self.fields["contact"].choices = choices
        self.fields["contact"].widget.attrs["class"] = "form-select"
        for name in ("to_email", "subject", "message"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["attach_xlsx"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("contact") == OTHER_ADDRESS and not data.get("to_email"):
            self.add_error("to_email", _("Type the address to send to."))
        return data

    def recipient(self) -> dict:
        """``contact_id`` or ``to_email`` for the sending service."""
        choice = self.cleaned_data["contact"]
        if choice == OTHER_ADDRESS:
            return {"to_email": self.cleaned_data["to_email"]}
        return {"contact_id": int(choice)}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The buyer's answer"),
        choices=[("accepted", _("Accepted")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Required for a rejection: price, lead time, payment terms, competitor …"),
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == "accepted"
