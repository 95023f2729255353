"""Why two companies matched: short codes stored with a pair, sentences in the reader's language.

A reason is ``(code, detail)``: the key kind that both share and its value, or ``("fuzzy",
score)`` for similar names. Details are values the reader typed or may see (a website, a phone
number, a score) — never a contact's name or notes.
"""

from django.utils.translation import gettext_lazy as _

FUZZY = "fuzzy"
OTHER_COUNTRY = "country"

# Translated one at a time when shown (a batch of import rows shows thousands).
TEXTS = {
    "name": _("Same company name"),
    "web": _("Same website %(detail)s"),
    "email": _("Same email address %(detail)s"),
    "domain": _("Same company email domain %(detail)s"),
    "phone": _("Same phone number %(detail)s"),
    "ph8": _("Phone number ends in the same 8 digits (%(detail)s)"),
    FUZZY: _("Similar name (%(detail)s%% alike)"),
    OTHER_COUNTRY: _("but in another country (%(detail)s)"),
}


def describe(code: str, detail) -> str:
    """One reason as a sentence: ``("web", "nordlicht.de")`` → "Same website nordlicht.de"."""
    text = TEXTS.get(code)
    if text is None:
        return str(code)
    text = str(text)
    return text % {"detail": detail} if "%(detail)s" in text else text


def describe_all(reasons) -> tuple[str, ...]:
    return tuple(describe(code, detail) for code, detail in reasons)
