import os
import shutil

import pytest

from tests.factories import PASSWORD, CompanyFactory, UserFactory


def pytest_configure(config):
    import logging

    from django.conf import settings

    # aiosmtpd logs every SMTP command from its own thread, which can outlive pytest's capture.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    # Tests render {% static %} without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests that need a Debian program: (what marks them, the program, how to install it).
NEEDS_PROGRAM = (
    ("browser", "chromium", "apt-get install chromium"),
    ("imap_server", "dovecot", "apt-get install dovecot-imapd"),
)


def pytest_collection_modifyitems(config, items):
    """Outside CI, tests whose program is missing are skipped with the command that installs it.
    In CI (where `make test` installs them) they always run, and a missing program fails."""
    for needs, program, install in NEEDS_PROGRAM:
        marker = pytest.mark.skipif(
            not os.environ.get("CI") and shutil.which(program) is None
            and not os.path.exists(f"/usr/sbin/{program}"),
            reason=f"{program} is not installed ({install})",
        )  # fmt: skip
        for item in items:
            if needs in item.keywords or needs in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may be skipped: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not os.environ.get("CI") or reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped — a skip is a failure here.", red=True
        )
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the workspace default language. A request through the test client
    activates its user's language in the test's thread and Django leaves it active afterwards,
    so without this a test would see the language of whichever test ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def rep(db):
    return UserFactory(username="lily", team_name="Europe")


@pytest.fixture
def other_rep(db):
    return UserFactory(username="tom", team_name="Asia")


@pytest.fixture
def teammate(db):
    return UserFactory(username="jack", team_name="Europe")


@pytest.fixture
def manager(db):
    return UserFactory(username="boss", role="manager", team_name="Europe")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", role="admin", team_name="")


@pytest.fixture
def company(rep):
    return CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")


@pytest.fixture
def client_of(client):
    """Log a user in on the test client: ``client_of(rep).get(...)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


class _Inbox:
    """Collects what a real local SMTP server (aiosmtpd) receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email

        message = email.message_from_bytes(envelope.content)
        self.messages.append(
            {"from": envelope.mail_from, "to": envelope.rcpt_tos, "message": message}
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port, with Django's SMTP backend pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
