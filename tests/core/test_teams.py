"""Team minimum margins: admins set them, managers see their own teams', reps none."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tradewind.core import workspace
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import AuditEvent


def test_an_admin_sets_a_teams_minimum_margin(admin_user, rep):
    team = workspace.team_min_margin_set(
        actor=admin_user, team_id=rep.team_id, min_margin_percent="12.5"
    )
    assert team.min_margin_percent == Decimal("12.5")
    event = AuditEvent.objects.get(object_type="accounts.team")
    assert event.changes == {"min_margin_percent": ["10.00", "12.50"]}


@pytest.mark.parametrize("value", ["-1", "96", "abc", "12.345"])
def test_bad_margins_are_refused(admin_user, rep, value):
    with pytest.raises(DomainError) as caught:
        workspace.team_min_margin_set(
            actor=admin_user, team_id=rep.team_id, min_margin_percent=value
        )
    assert caught.value.field == "min_margin_percent"


def test_managers_cannot_set_margins(manager):
    with pytest.raises(PermissionDenied):
        workspace.team_min_margin_set(
            actor=manager, team_id=manager.team_id, min_margin_percent="5"
        )


def test_the_page_admins_edit_managers_read_their_team_reps_are_refused(
    client_of, rep, other_rep, manager, admin_user
):
    url = reverse("workspace:teams")
    assert client_of(rep).get(url).status_code == 403
    manager.team.manager = manager
    manager.team.save()
    rows = client_of(manager).get(url).context["rows"]
    assert [row["team"].name for row in rows] == ["Europe"] and rows[0]["form"] is None
    assert client_of(manager).post(url, {"team": rep.team_id}).status_code == 403
    client = client_of(admin_user)
    assert [row["team"].name for row in client.get(url).context["rows"]] == ["Asia", "Europe"]
    response = client.post(url, {"team": other_rep.team_id, "min_margin_percent": "99"})
    assert "between 0 and 95" in response.content.decode()
    response = client.post(url, {"team": other_rep.team_id, "min_margin_percent": "8"})
    assert response.status_code == 302
    other_rep.team.refresh_from_db()
    assert other_rep.team.min_margin_percent == Decimal(8)
