"""A real IMAP server for the inbound-mail tests: Debian's dovecot (``dovecot-imapd``) started as a
child process on a free loopback port, once per test session (per xdist worker).

The configuration is written into a temporary folder: plaintext log-in without TLS on
127.0.0.1, one user in a passwd-file, maildir storage, base_dir, state and log in the folder.

Running as root (the sandbox and CI): dovecot refuses to run its log-in process as root and a
mail user with uid 0, so the log-in process runs as ``dovenull`` and the internal processes and
the mail user as ``dovecot`` — both created by the Debian package — and the folder is made
traversable for them. Running as an ordinary user: dovecot runs everything as that user.

Each test works in its own IMAP folder (``imap_folder`` fixture), so tests share the server but
never each other's messages. Messages are delivered with IMAP APPEND.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

IMAP_USER = "buyer-mail@tradewind.test"
IMAP_PASSWORD = "imap-secret-Pa55"
START_TIMEOUT_SECONDS = 15


def _dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot",) if os.access(path, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users() -> dict:
    """Who runs what: (login user, internal user, mail uid, mail gid)."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return {"login": me.pw_name, "internal": me.pw_name, "uid": me.pw_uid, "gid": me.pw_gid}
    internal = pwd.getpwnam("dovecot")
    return {
        "login": "dovenull",
        "internal": "dovecot",
        "uid": internal.pw_uid,
        "gid": internal.pw_gid,
    }


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    username: str
    password: str
    root: Path

    def client(self):
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(self.username, self.password)
        return client

    def create_folder(self, name: str) -> None:
        with self.connected() as client:
            client.create_folder(name)

    def recreate_folder(self, name: str) -> None:
        """Delete and create the folder again: the server gives it a new UIDVALIDITY."""
        with self.connected() as client:
            before = client.select_folder(name)[b"UIDVALIDITY"]
            client.close_folder()
            client.delete_folder(name)
            client.create_folder(name)
            after = client.select_folder(name)[b"UIDVALIDITY"]
        assert before != after, "dovecot kept the UIDVALIDITY"

    def deliver(self, folder: str, raw: bytes, *, when: dt.datetime | None = None) -> int:
        """APPEND one message; returns its UID."""
        with self.connected() as client:
            answer = client.append(folder, raw, msg_time=when)
        found = re.search(rb"APPENDUID \d+ (\d+)", answer)
        assert found, answer
        return int(found.group(1))

    def flags(self, folder: str, uid: int) -> tuple:
        with self.connected() as client:
            client.select_folder(folder, readonly=True)
            return client.get_flags([uid]).get(uid, ())

    @contextmanager
    def connected(self):
        client = self.client()
        try:
            yield client
        finally:
            client.logout()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_until_listening(process, port: int, root: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text(errors="replace") if root.exists() else ""
            pytest.fail(f"dovecot exited with {process.returncode}:\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                if connection.recv(200).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"dovecot did not answer on port {port} within {START_TIMEOUT_SECONDS} s")


def _write_config(root: Path, port: int) -> Path:
    users = _users()
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir()
    if os.geteuid() == 0:
        root.chmod(0o755)  # the log-in and internal users must reach base_dir and the sockets
        os.chown(root / "mail", users["uid"], users["gid"])
    (root / "passwd").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port, **users))
    return config


@pytest.fixture(scope="session")
def imap_server():
    """Dovecot on a loopback port for the whole session; stopped at the end."""
    binary = _dovecot_binary()
    if binary is None:  # outside CI such tests are skipped at collection (tests/conftest.py)
        pytest.fail("dovecot is missing: apt-get install dovecot-imapd (make test does)")
    root = Path(tempfile.mkdtemp(prefix="tw-dovecot-"))
    port = _free_port()
    config = _write_config(root, port)
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(process, port, root)
        yield ImapServer("127.0.0.1", port, IMAP_USER, IMAP_PASSWORD, root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_folder(imap_server) -> str:
    """A fresh IMAP folder of the test's own."""
    name = f"T{uuid.uuid4().hex[:12]}"
    imap_server.create_folder(name)
    return name


@pytest.fixture
def imap_mailbox(rep, imap_server, imap_folder):
    """Lily's mailbox, reading her own test folder on the local dovecot."""
    from tradewind.outreach.choices import Security
    from tradewind.outreach.models import Mailbox
    from tradewind.outreach.secrets import encrypt_password

    return Mailbox.objects.create(
        owner=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_security=Security.NONE,
        imap_username=imap_server.username,
        imap_password_encrypted=encrypt_password(imap_server.password),
        imap_folder=imap_folder,
    )
