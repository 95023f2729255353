"""Merge fields in letters: ``Dear {{ contact.first_name }},`` filled from a real customer.

A letter's subject and body are parsed by a sandboxed Django template engine that has **no tags
and no filters at all** (no ``{% load %}``, ``{% include %}``, ``{% if %}``, ``|date``…), with
autoescape off because letters are plain text. Only ``{{ group.field }}`` variables from
:data:`MERGE_FIELDS` (plus ``{{ custom.<name> }}``) are accepted; anything else is refused
before it is saved or sent, with a message naming the offending piece. The context handed to
the engine is plain strings in plain dicts — never model instances — so no variable can reach
the database, settings or private attributes whatever it is called.

Rules and judgement calls:

* A merge value that is empty is **never** sent as a blank: :func:`render_template` raises
  :class:`MissingMergeValue` ("contact.first_name is empty for Anna Weber — fill it or change
  the letter"). Previews pass ``allow_missing=True`` and show ``[contact.first_name]`` instead.
* ``contact.first_name`` is the first word of the name after a courtesy title (Mr, Ms, Dr,
  Herr, Frau…); a name without spaces (王伟) is used whole. ``contact.last_name`` is the last
  word of a name of two words or more, else empty.
* ``company.country_name`` is in the letter's language (English or Chinese).
* Sizes: subject at most 200 characters, body at most 50,000, at most 200 merge fields, custom
  field names are identifiers of at most 40 characters, at most 20 custom fields of at most 500
  characters each.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, Variable, VariableNode
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.customers import geo

MAX_SUBJECT_CHARS = 200
MAX_BODY_CHARS = 50_000
MAX_MERGE_FIELDS = 200
MAX_CUSTOM_FIELDS = 20
MAX_CUSTOM_NAME_CHARS = 40
MAX_CUSTOM_VALUE_CHARS = 500
CUSTOM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

#: Every merge field a letter may use, with what it means (shown next to the editor).
MERGE_FIELDS: dict[str, str] = {
    "contact.first_name": "Anna",
    "contact.last_name": "Weber",
    "contact.name": "Anna Weber",
    "contact.title": "Head of Purchasing",
    "company.name": "Nordlicht Leuchten GmbH",
    "company.country_name": "Germany",
    "company.products_of_interest": "LED panel lights",
    "me.name": "Lily Zhang",
    "me.email": "lily.zhang@exporter.example",
    "me.signature": "Lily Zhang\nSales Manager",
}
COURTESY_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "herr",
    "frau",
    "sr",
    "sra",
    "m",
    "mme",
    "mlle",
    "sig",
    "dott",
}


class TemplateRefused(DomainError):
    """The letter uses something other than known merge fields, or is too large."""

    code = "template_refused"


class MissingMergeValue(DomainError):
    """A merge field of the letter has no value for this customer: never sent as a blank."""

    code = "missing_merge_value"

    def __init__(self, message: str, *, missing: tuple[str, ...]):
        super().__init__(message, field="body")
        self.missing = missing


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class MergeContext:
    """The values a letter may use, as plain strings, and whose they are (for error messages)."""

    values: dict[str, dict[str, str]]
    owners: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        group, _sep, key = name.partition(".")
        return self.values.get(group, {}).get(key, "")


class _MergeEngine(Engine):
    default_builtins: list[str] = []  # no tags, no filters: only {{ variables }}


_ENGINE = _MergeEngine(autoescape=False, libraries={}, builtins=[], string_if_invalid="")


def first_name(name: str) -> str:
    words = [w for w in name.split() if w.strip(".").lower() not in COURTESY_TITLES]
    return words[0] if words else ""


def last_name(name: str) -> str:
    words = [w for w in name.split() if w.strip(".").lower() not in COURTESY_TITLES]
    return words[-1] if len(words) >= 2 else ""


def merge_context(*, contact=None, company=None, me=None, custom=None, language="en"):
    """The merge values of a real contact, their company and the sending user."""
    company = company or (contact.company if contact is not None else None)
    values: dict[str, dict[str, str]] = {"contact": {}, "company": {}, "me": {}, "custom": {}}
    owners: dict[str, str] = {}
    if contact is not None:
        name = contact.name.strip()
        values["contact"] = {
            "first_name": first_name(name),
            "last_name": last_name(name),
            "name": name,
            "title": contact.title.strip(),
        }
        owners["contact"] = name
    if company is not None:
        values["company"] = {
            "name": company.name.strip(),
            "country_name": geo.country_name(company.country, language),
            "products_of_interest": company.products_of_interest.strip(),
        }
        owners["company"] = company.name
    if me is not None:
        values["me"] = {
            "name": (me.get_full_name() or me.username).strip(),
            "email": me.email.strip(),
            "signature": me.signature.strip(),
        }
        owners["me"] = _("you")
    values["custom"] = {key: str(value).strip() for key, value in (custom or {}).items()}
    return MergeContext(values=values, owners=owners)


def sample_context(me=None, custom=None, language="en") -> MergeContext:
    """Made-up customer values for a preview before any customer is chosen."""
    values: dict[str, dict[str, str]] = {"contact": {}, "company": {}, "me": {}, "custom": {}}
    for name, example in MERGE_FIELDS.items():
        group, _sep, key = name.partition(".")
        values[group][key] = example
    if me is not None:
        values["me"] = merge_context(me=me).values["me"]
    values["custom"] = {key: str(value) for key, value in (custom or {}).items()}
    return MergeContext(values=values, owners={"me": _("you"), "contact": "Anna Weber"})


def _describe_node(node) -> str:
    token = getattr(node, "token", None)
    return token.contents[:60] if token is not None else type(node).__name__


def _field_name(node: VariableNode) -> str:
    """``group.field`` of a merge variable, or TemplateRefused naming what was written."""
    written = node.token.contents.strip() if node.token else "?"
    expression = node.filter_expression
    var = expression.var
    if expression.filters or not isinstance(var, Variable) or var.lookups is None:
        raise TemplateRefused(_("“{{ %(written)s }}” is not a merge field.") % {"written": written})
    name = ".".join(var.lookups)
    if name in MERGE_FIELDS:
        return name
    group, _sep, key = name.partition(".")
    if group == "custom" and "." not in key and CUSTOM_NAME.match(key):
        if len(key) > MAX_CUSTOM_NAME_CHARS:
            raise TemplateRefused(_("Custom field names are at most 40 characters."))
        return name
    raise TemplateRefused(
        _("“{{ %(written)s }}” is not a merge field. Use one of: %(known)s, or custom.<name>.")
        % {"written": written, "known": ", ".join(MERGE_FIELDS)}
    )


@functools.lru_cache(maxsize=512)
def _compile(source: str, part: str):
    """The parsed template and the merge fields it uses (cached: sequences render it often)."""
    try:
        template = _ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(
            _("Only merge fields such as {{ contact.first_name }} are allowed (%(why)s).")
            % {"why": str(exc).split(". Did you")[0][:120]},
            field=part,
        ) from None
    used: list[str] = []
    for node in template.nodelist:
        if isinstance(node, TextNode):
            continue
        if not isinstance(node, VariableNode):  # pragma: no cover - no tags are registered
            raise TemplateRefused(
                _("“%(piece)s” is not allowed in letters.") % {"piece": _describe_node(node)},
                field=part,
            )
        try:
            used.append(_field_name(node))
        except TemplateRefused as exc:
            raise TemplateRefused(exc.message, field=part) from None
    if len(used) > MAX_MERGE_FIELDS:
        raise TemplateRefused(_("A letter may use at most 200 merge fields."), field=part)
    return template, tuple(dict.fromkeys(used))


def check_sizes(subject: str, body: str) -> None:
    if len(subject) > MAX_SUBJECT_CHARS:
        raise TemplateRefused(
            _("The subject is %(n)s characters long; keep it under %(max)s.")
            % {"n": len(subject), "max": MAX_SUBJECT_CHARS},
            field="subject",
        )
    if len(body) > MAX_BODY_CHARS:
        raise TemplateRefused(
            _("The letter is %(n)s characters long; the most is %(max)s.")
            % {"n": f"{len(body):,}", "max": f"{MAX_BODY_CHARS:,}"},
            field="body",
        )
    if "\n" in subject or "\r" in subject:
        raise TemplateRefused(_("The subject must fit on one line."), field="subject")


def fields_used(subject: str, body: str) -> tuple[str, ...]:
    """Every merge field of the letter, in order of first use; refuses anything else."""
    check_sizes(subject, body)
    used = _compile(subject, "subject")[1] + _compile(body, "body")[1]
    return tuple(dict.fromkeys(used))


def custom_fields_used(subject: str, body: str) -> tuple[str, ...]:
    return tuple(name[7:] for name in fields_used(subject, body) if name.startswith("custom."))


def missing_message(name: str, context: MergeContext) -> str:
    group = name.partition(".")[0]
    if group == "custom":
        return _("%(field)s has no value — fill it in the custom fields or change the letter") % {
            "field": name
        }
    if group == "me":
        return _(
            "%(field)s is empty for you — fill it in your preferences or change the letter"
        ) % {"field": name}
    return _("%(field)s is empty for %(who)s — fill it or change the letter") % {
        "field": name,
        "who": context.owners.get(group) or _("this customer"),
    }


def render_template(template, context: MergeContext, *, allow_missing: bool = False) -> Rendered:
    """The letter (anything with ``subject`` and ``body``) with its merge fields filled in.

    Raises :class:`MissingMergeValue` listing every empty field unless ``allow_missing``, in
    which case empty fields show as ``[group.field]`` and are listed in ``Rendered.missing``.
    """
    subject, body = template.subject or "", template.body or ""
    used = fields_used(subject, body)
    missing = tuple(name for name in used if not context.value(name))
    if missing and not allow_missing:
        raise MissingMergeValue(
            "; ".join(missing_message(name, context) for name in missing), missing=missing
        )
    values = {group: dict(fields) for group, fields in context.values.items()}
    for name in missing:
        group, _sep, key = name.partition(".")
        values.setdefault(group, {})[key] = f"[{name}]"
    data = Context(values, autoescape=False)
    return Rendered(
        subject=_compile(subject, "subject")[0].render(data).strip(),
        body=_compile(body, "body")[0].render(data),
        missing=missing,
    )


def parse_custom_fields(text: str) -> dict[str, str]:
    """``product = LED panels`` lines into ``{"product": "LED panels"}``; refuses bad lines."""
    values: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip().lower()
        if not sep or not CUSTOM_NAME.match(name) or len(name) > MAX_CUSTOM_NAME_CHARS:
            raise DomainError(
                _(
                    "Line %(n)s: write custom fields as “name = value”, the name in small "
                    "letters, digits and _ (e.g. product = LED panels)."
                )
                % {"n": number},
                field="custom",
            )
        if len(value.strip()) > MAX_CUSTOM_VALUE_CHARS:
            raise DomainError(
                _("Line %(n)s: a custom value is at most 500 characters.") % {"n": number},
                field="custom",
            )
        values[name] = value.strip()
    if len(values) > MAX_CUSTOM_FIELDS:
        raise DomainError(_("At most 20 custom fields."), field="custom")
    return values
