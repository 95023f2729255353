"""The ``tradewind`` console command: createuser, token, worker."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tradewind.accounts.models import ApiToken, User
from tradewind.accounts.services import token_authenticate


def test_createuser_creates_a_salesperson_in_a_team(db):
    out = StringIO()
    call_command(
        "createuser",
        "mei",
        "--role",
        "sales",
        "--team",
        "Europe",
        "--password",
        "long-enough-pass-77",
        stdout=out,
    )
    user = User.objects.get(username="mei")
    assert user.role == "sales" and user.team.name == "Europe"
    assert user.check_password("long-enough-pass-77")
    assert "Created mei" in out.getvalue()


def test_createuser_manager_becomes_the_teams_manager(db):
    call_command(
        "createuser",
        "chen",
        "--role",
        "manager",
        "--team",
        "Asia",
        "--password",
        "long-enough-pass-77",
        stdout=StringIO(),
    )
    assert User.objects.get(username="chen").managed_teams.get().name == "Asia"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mei", "--password", "123"], "too short"),
        (["mei", "--role", "boss", "--password", "long-enough-pass-77"], "invalid choice"),
    ],
)
def test_createuser_refuses_bad_input(db, args, message):
    with pytest.raises((CommandError, SystemExit)) as caught:
        call_command("createuser", *args, stdout=StringIO(), stderr=StringIO())
    assert message in str(caught.value) or isinstance(caught.value, SystemExit)
    assert not User.objects.filter(username="mei").exists()


def test_createuser_refuses_a_duplicate_name(rep):
    with pytest.raises(CommandError, match="taken"):
        call_command("createuser", "LILY", "--password", "long-enough-pass-77", stdout=StringIO())


def test_token_prints_a_working_token_alone_on_the_last_line(rep):
    out = StringIO()
    call_command("token", "lily", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("tw_") and " " not in last
    assert token_authenticate(last) == rep
    assert ApiToken.objects.filter(user=rep).count() == 1


def test_token_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "ghost", stdout=StringIO())


def test_console_entry_point_runs_django_commands(tmp_path):
    script = Path(sys.executable).parent / "tradewind"
    result = subprocess.run(
        [str(script), "help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"TRADEWIND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    for command in (
        "price",
        "load",
        "lc",
        "serve",
        "worker",
        "demo",
        "createuser",
        "token",
        "migrate",
    ):
        assert command in result.stdout


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_scheduled_digest_task(rep, company, smtp_server, settings):
    from django.utils import timezone

    from tests.factories import TaskFactory
    from tradewind.core import scheduler

    TaskFactory(company=company, due_at=timezone.now() - timezone.timedelta(hours=1))
    settings.DIGEST_LOCAL_TIME = "00:00"  # whatever the hour in Shanghai, the digest is due
    assert "followup-digest" in scheduler.tick()
    call_command("worker", "--batch", "--no-scheduler", stdout=StringIO(), stderr=StringIO())
    assert len(smtp_server.messages) == 1
