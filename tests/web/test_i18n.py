"""zh-hans and en are complete: every message has a Chinese translation, and pages use it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "tradewind"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the tree finds no message the committed catalogue lacks."""
    work = tmp_path / "tradewind"
    shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "django-admin"),
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "*/migrations/*",
            "--ignore",
            "trade/*",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tradewind.config.settings"},
    )
    assert result.returncode == 0, result.stderr
    fresh = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue(work / "locale/zh_Hans/LC_MESSAGES/django.po")
        if message.id
    }
    committed = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue(PO)
        if message.id
    }
    missing = sorted(fresh - committed)
    assert not missing, f"Run makemessages and translate these: {missing[:10]}"


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    problems = []
    for message in catalogue(PO):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{len(problems)} untranslated or fuzzy, e.g. {problems[:5]}"


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("zh-hans", "客户", "All customers"), ("en", "All customers", "全部客户")],
)
def test_pages_follow_the_users_language(client_of, rep, language, expected, absent):
    rep.language = language
    rep.save()
    html = client_of(rep).get("/customers/").content.decode()
    assert expected in html
    assert absent not in html
