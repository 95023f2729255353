"""Audit events made readable: field labels, choice names and local times in the user's language."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.core.models import AuditEvent

ACTIONS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "complete": gettext_lazy("completed"),
    "claim": gettext_lazy("claimed"),
    "release": gettext_lazy("released to the public pool"),
    "assign": gettext_lazy("assigned"),
    "transfer": gettext_lazy("transferred"),
    "merge": gettext_lazy("merged"),
    "import": gettext_lazy("imported"),
    "not_duplicate": gettext_lazy("marked as a different customer from"),
    "convert": gettext_lazy("turned into a lead"),
    "file": gettext_lazy("filed"),
    "dismiss": gettext_lazy("dismissed"),
    "restore": gettext_lazy("put back in the inbox"),
}
# Keys that services record beside model fields.
EXTRA_LABELS = {
    "reason": gettext_lazy("Reason"),
    "survivor_id": gettext_lazy("Kept customer (id)"),
    "duplicate_id": gettext_lazy("Merged customer (id)"),
    "merged_customer": gettext_lazy("Merged in"),
    "merged_into": gettext_lazy("Merged into"),
    "filled": gettext_lazy("Filled from the duplicate"),
    "removed": gettext_lazy("Record removed"),
    "moved": gettext_lazy("Moved over"),
    "confirmed_duplicates": gettext_lazy("Created despite possible duplicates (ids)"),
}
# Choice labels for recorded keys that are not model fields, registered by the apps that record
# them (e.g. the pool's release reasons) from their AppConfig.ready().
VALUE_LABELS: dict[str, dict[str, object]] = {}


def register_value_labels(key: str, choices) -> None:
    VALUE_LABELS.setdefault(key, {}).update(dict(choices))


# Actions whose changes are recorded as {field: [old, new]}.
CHANGE_ACTIONS = {"update", "claim", "release", "assign", "transfer"}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str | None  # None when the event records a value, not a change
    new: str


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    verb: str
    object_label: str
    changes: list[ChangeRow]

    @property
    def is_update(self) -> bool:
        return self.event.action in CHANGE_ACTIONS


def _model(event: AuditEvent):
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def _label(model, name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete:  # a reverse relation, e.g. a product's photos
        return capfirst(str(field.related_model._meta.verbose_name_plural))
    return capfirst(str(field.verbose_name))


def _value(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        parts = (f"{_label(model, key)}: {_value(model, key, item)}" for key, item in value.items()
                 if item not in (None, "", [], {}))  # fmt: skip
        return "; ".join(parts) or "—"
    field = None
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
    if isinstance(value, str) and value in VALUE_LABELS.get(name, {}):
        return str(VALUE_LABELS[name][value])
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "Y-m-d H:i")
    text = str(value)
    return text if len(text) <= 90 else text[:89] + "…"


def describe(event: AuditEvent) -> AuditRow:
    model = _model(event)
    changes = []
    for name, value in (event.changes or {}).items():
        is_change = event.action in CHANGE_ACTIONS
        if is_change and isinstance(value, list) and len(value) == 2:
            old, new = value
            changes.append(
                ChangeRow(_label(model, name), _value(model, name, old), _value(model, name, new))
            )
        elif value not in (None, "", [], 0):
            changes.append(ChangeRow(_label(model, name), None, _value(model, name, value)))
    object_label = str(model._meta.verbose_name) if model is not None else event.object_type
    return AuditRow(
        event=event,
        verb=str(ACTIONS.get(event.action, event.action)),
        object_label=object_label,
        changes=changes,
    )
