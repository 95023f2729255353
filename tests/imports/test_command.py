"""``tradewind import-leads``: the JSON summary, dry run, duplicates and rejected files."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.imports.helpers import HEADER_EN, csv_bytes
from tradewind.cli import main
from tradewind.customers.imports.models import ImportJob
from tradewind.customers.models import Company

pytestmark = pytest.mark.django_db

ROWS = [
    HEADER_EN,
    ["Nordlicht Leuchten GmbH", "Anna", "anna@nordlicht.de", "", "DE", "", "", ""],
    ["Atlas Lighting LLC", "John", "john@", "", "US", "", "", ""],
    ["NORDLICHT LEUCHTEN", "Ben", "ben@nordlicht.de", "", "DE", "", "", ""],
]


@pytest.fixture
def lead_file(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(csv_bytes(ROWS))
    return path


def run_json(capsys, *args) -> dict:
    call_command("import_leads", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_the_command_prints_the_summary_as_json(capsys, rep, lead_file):
    result = run_json(capsys, str(lead_file), "--owner", rep.username)
    assert result == {
        "rows": 3,
        "created": 1,
        "updated": 0,
        "skipped_duplicates": 1,
        "errors": [{"row": 3, "reason": "“john@” is not a valid email address."}],
    }
    assert Company.objects.get().owner == rep


def test_fill_and_dry_run_options_reach_the_import(capsys, rep, lead_file):
    result = run_json(capsys, str(lead_file), "--owner", rep.username, "--on-duplicate", "fill",
                      "--dry-run")  # fmt: skip
    assert (result["created"], result["updated"]) == (1, 1)
    assert not Company.objects.exists()


def test_the_console_alias_runs_the_command(capsys, rep, lead_file):
    main(["tradewind", "import-leads", str(lead_file), "--owner", rep.username])
    assert "3 rows: 1 were created" in capsys.readouterr().out


def test_a_rejected_file_exits_with_an_error_and_changes_nothing(rep, tmp_path):
    fake = tmp_path / "leads.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    with pytest.raises(CommandError, match="not a spreadsheet"):
        call_command("import_leads", str(fake), "--owner", rep.username)
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(rep, tmp_path, settings):
    settings.IMPORT_MAX_MB = 1
    big = tmp_path / "big.csv"
    big.write_bytes(b"Company\n" + b"Acme GmbH\n" * 200_000)
    with pytest.raises(CommandError, match="limit is 1 MB"):
        call_command("import_leads", str(big), "--owner", rep.username)


def test_an_unknown_owner_or_file_is_an_error(rep, tmp_path, lead_file):
    with pytest.raises(CommandError, match="No active user named 'nobody'"):
        call_command("import_leads", str(lead_file), "--owner", "nobody")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_leads", str(tmp_path / "missing.csv"), "--owner", rep.username)
