"""Settings: environment-driven, secret key never committed, deploy checks clean behind TLS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_tradewind(*args, env_extra=None, data_dir):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRADEWIND_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        {"TRADEWIND_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "tradewind.config.settings"}
    )
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "tradewind.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_tradewind(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "TRADEWIND_HTTPS": "1",
            "TRADEWIND_SECRET_KEY": "q8V#x2-LmZ0pT7wR4nY9sK1cB6jH3dF5gA8eU0iO2" * 2,
        },
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_served_without_tls_settings(tmp_path):
    result = run_tradewind("check", "--deploy", "--fail-level", "WARNING", data_dir=tmp_path)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_tradewind("shell", "-v", "0", "-c", code, data_dir=tmp_path)
    second = run_tradewind("shell", "-v", "0", "-c", code, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_debug_is_off_unless_asked_for(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    assert (
        run_tradewind("shell", "-v", "0", "-c", code, data_dir=tmp_path).stdout.strip() == "False"
    )
    on = run_tradewind(
        "shell", "-v", "0", "-c", code, data_dir=tmp_path, env_extra={"TRADEWIND_DEBUG": "1"}
    )
    assert on.stdout.strip() == "True"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = run_tradewind("shell", "-v", "0", "-c", code, data_dir=tmp_path)
    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr


def test_database_url_selects_postgresql_with_persistent_connections(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['NAME'])"
    )
    result = run_tradewind(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        data_dir=tmp_path,
        env_extra={"DATABASE_URL": "postgres://u@db.example:5432/tw"},
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "600", "tw"]


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_trade_core_never_imports_django():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
