"""The history panel reads audit events as sentences with labels, choice names and local times."""

import pytest
from django.utils import translation

from tradewind.core.audit_display import describe
from tradewind.core.models import AuditEvent


def event(action, changes, object_type="customers.company"):
    return AuditEvent(action=action, object_type=object_type, object_id=1, object_repr="Acme",
                      changes=changes)  # fmt: skip


def test_update_rows_use_field_labels_and_choice_names():
    with translation.override("en"):
        row = describe(event("update", {"stage": ["lead", "quoted"], "grade": ["", "B"]}))
    assert row.is_update and row.verb == "changed" and row.object_label == "company"
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Stage", "Lead", "Quoted"),
        ("Grade", "—", "B · sample or trial order"),
    ]


def test_owner_moves_read_as_changes_and_reasons_get_their_label():
    with translation.override("en"):
        row = describe(event("release", {"owner": ["Lily Zhang", None], "reason": "manual"}))
    assert row.is_update and row.verb == "released to the public pool"
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Owner", "Lily Zhang", "—"),
        ("Reason", None, "released by hand"),
    ]


def test_dates_are_shown_in_the_active_time_zone():
    from django.utils import timezone

    with translation.override("en"), timezone.override("Asia/Shanghai"):
        row = describe(event("create", {"due_at": "2026-03-10T02:00:00+00:00"}, "customers.task"))
    assert (row.changes[0].label, row.changes[0].new) == ("Due", "2026-03-10 10:00")


def test_empty_values_are_left_out_of_created_records_and_dicts_are_summarised():
    with translation.override("en"):
        row = describe(event("merge", {"merged_customer": "Acme GmbH", "filled": [],
                                       "removed": {"name": "Acme", "notes": ""}}))  # fmt: skip
    assert [(c.label, c.new) for c in row.changes] == [
        ("Merged in", "Acme GmbH"),
        ("Record removed", "Company name: Acme"),
    ]


@pytest.mark.parametrize("object_type", ["gone.model", "not-a-label"])
def test_unknown_models_and_actions_fall_back_to_their_raw_names(object_type):
    row = describe(event("teleport", {"x": 1}, object_type))
    assert row.verb == "teleport" and row.object_label == object_type
    assert [(c.label, c.new) for c in row.changes] == [("x", "1")]


def test_verbs_are_translated():
    with translation.override("zh-hans"):
        assert describe(event("claim", {})).verb == "认领了"
