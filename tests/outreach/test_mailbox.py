"""Mailboxes: encrypted passwords, who may change what, the audit trail, the connection test
against real servers (plain, log-in, TLS with a self-signed certificate, refused and silent
ports), and system mail through the workspace mailbox."""

import json
import socket
import ssl

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.outreach.smtp_servers import SINK_PASSWORD, SINK_USER, free_port
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.outreach import secrets as mailbox_secrets
from tradewind.outreach.mailboxes import (
    mailbox_get,
    mailbox_of,
    mailbox_save,
    mailbox_test_connection,
    workspace_mailbox,
)
from tradewind.outreach.models import Mailbox
from tradewind.outreach.secrets import SecretUnreadable, decrypt_password, encrypt_password


def save(actor, **fields):
    values = {
        "from_name": "Lily Zhang",
        "from_email": "lily@exporter.example",
        "smtp_host": "127.0.0.1",
        "smtp_port": 2525,
        "smtp_security": "none",
    } | fields
    return mailbox_save(actor=actor, **values)


# --- Passwords -------------------------------------------------------------------------------


def test_the_password_is_stored_encrypted_and_never_audited(rep):
    mailbox = save(rep, smtp_username="lily", smtp_password="s3cret-App-Pa55")
    stored = Mailbox.objects.get(pk=mailbox.pk).smtp_password_encrypted
    assert stored and "s3cret" not in stored
    assert decrypt_password(stored) == "s3cret-App-Pa55"
    events = AuditEvent.objects.filter(object_type="outreach.mailbox")
    assert events.count() == 1
    assert "s3cret" not in json.dumps(list(events.values_list("changes", flat=True)))
    assert events.get().changes["smtp_password"] == "set"


def test_an_empty_password_keeps_the_saved_one_and_a_blank_removes_it(rep):
    mailbox = save(rep, smtp_password="first-Pa55")
    mailbox_save(actor=rep, mailbox_id=mailbox.pk, smtp_port=587, smtp_password=None)
    mailbox.refresh_from_db()
    assert decrypt_password(mailbox.smtp_password_encrypted) == "first-Pa55"
    mailbox_save(actor=rep, mailbox_id=mailbox.pk, smtp_password="")
    mailbox.refresh_from_db()
    assert mailbox.smtp_password_encrypted == ""
    changes = AuditEvent.objects.filter(action="update").order_by("pk")
    assert changes[0].changes == {"smtp_port": [2525, 587]}
    assert changes[1].changes == {"smtp_password": [None, "removed"]}


def test_changing_the_secret_key_makes_saved_passwords_unreadable_with_a_clear_message(
    rep, settings
):
    mailbox = save(rep, smtp_password="Pa55-word")
    settings.SECRET_KEY = "a-completely-different-secret-key-" + "z" * 30
    with pytest.raises(SecretUnreadable) as caught:
        decrypt_password(mailbox.smtp_password_encrypted)
    assert "Enter the password again" in caught.value.message


def test_a_configured_key_is_used_and_old_keys_still_decrypt_after_rotation(settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TRADEWIND_MAILBOX_KEY = old
    stored = encrypt_password("rotate-me")
    assert Fernet(old).decrypt(stored.encode()) == b"rotate-me"
    settings.TRADEWIND_MAILBOX_KEY = f"{new},{old}"
    assert decrypt_password(stored) == "rotate-me"
    assert Fernet(new).decrypt(encrypt_password("fresh").encode()) == b"fresh"


def test_a_malformed_key_setting_says_how_to_make_one(settings):
    settings.TRADEWIND_MAILBOX_KEY = "not-a-fernet-key"
    with pytest.raises(DomainError, match=r"Fernet\.generate_key"):
        encrypt_password("x")


def test_the_derived_key_depends_on_the_secret_key_only():
    assert mailbox_secrets.derive_key("a" * 50) == mailbox_secrets.derive_key("a" * 50)
    assert mailbox_secrets.derive_key("a" * 50) != mailbox_secrets.derive_key("b" * 50)


# --- Who may change what ---------------------------------------------------------------------


def test_a_rep_cannot_see_or_change_another_reps_mailbox(rep, other_rep):
    mine = save(rep)
    with pytest.raises(NotFound):
        save(other_rep, mailbox_id=mine.pk, smtp_host="evil.example")
    with pytest.raises(NotFound):
        mailbox_get(other_rep, mine.pk)
    assert Mailbox.objects.get(pk=mine.pk).smtp_host == "127.0.0.1"
    assert mailbox_of(other_rep) is None and mailbox_of(rep) == mine


def test_only_an_admin_sets_up_the_workspace_mailbox(rep, manager, admin_user):
    for person in (rep, manager):
        with pytest.raises(PermissionDenied):
            save(person, workspace=True)
    box = save(admin_user, workspace=True, from_email="crm@exporter.example")
    assert box.is_workspace and box.owner is None
    again = save(admin_user, workspace=True, from_email="crm@exporter.example", smtp_port=25)
    assert again.pk == box.pk and workspace_mailbox() == again


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"smtp_port": 0}, "smtp_port"),
        ({"imap_port": 70000}, "imap_port"),
        ({"from_name": "Lily\r\nBcc: all@example.com"}, "from_name"),
        ({"from_email": "not an address"}, "from_email"),
        ({"smtp_security": "rot13"}, "smtp_security"),
        ({"smtp_host": "x" * 201}, "smtp_host"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(rep, fields, field):
    with pytest.raises((DomainError, Exception)) as caught:
        save(rep, **fields)
    error = caught.value
    named = getattr(error, "field", None) or next(iter(getattr(error, "message_dict", {})), None)
    assert named == field
    assert not Mailbox.objects.exists()


def test_unknown_fields_are_refused(rep):
    with pytest.raises(DomainError):
        save(rep, owner_id=1)


def test_changing_the_server_forgets_the_last_test(rep):
    mailbox = save(rep)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_test={"ok": True})
    save(rep, mailbox_id=mailbox.pk, daily_cap=50)
    assert Mailbox.objects.get(pk=mailbox.pk).last_test == {"ok": True}
    save(rep, mailbox_id=mailbox.pk, smtp_host="smtp.exporter.example")
    assert Mailbox.objects.get(pk=mailbox.pk).last_test == {}


# --- The connection test ---------------------------------------------------------------------


def steps(result):
    return [(step.stage, step.ok) for step in result.steps]


def test_a_working_server_with_log_in_passes_every_step(rep, smtp_auth_server):
    mailbox = save(
        rep,
        smtp_port=smtp_auth_server.port,
        smtp_username=SINK_USER,
        smtp_password=SINK_PASSWORD,
    )
    report = mailbox_test_connection(mailbox, timeout_seconds=3)
    assert report.ok and report.imap is None
    assert steps(report.smtp) == [("dns", True), ("connect", True), ("tls", True), ("login", True)]
    assert "235" in report.smtp.steps[-1].server_answer
    stored = Mailbox.objects.get(pk=mailbox.pk).last_test
    assert stored["ok"] is True and stored["smtp"]["steps"][-1]["stage"] == "login"
    assert smtp_auth_server.received == []  # the test sends no mail


def test_a_wrong_password_is_reported_as_a_log_in_failure_with_the_servers_answer(
    rep, smtp_auth_server
):
    mailbox = save(
        rep, smtp_port=smtp_auth_server.port, smtp_username=SINK_USER, smtp_password="wrong"
    )
    report = mailbox_test_connection(mailbox, timeout_seconds=3)
    failure = report.smtp.failure
    assert not report.ok and failure.stage == "login"
    assert "user name or password" in failure.message
    assert failure.server_answer.startswith("535")


def test_a_server_name_that_does_not_resolve_is_a_dns_failure(rep, monkeypatch):
    def no_such_host(*args, **kwargs):  # no DNS traffic leaves the test machine
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    mailbox = save(rep, smtp_host="smtp.no-such-exporter.example")
    failure = mailbox_test_connection(mailbox, timeout_seconds=3).smtp.failure
    assert failure.stage == "dns" and "smtp.no-such-exporter.example" in failure.message


def test_an_impossible_server_name_is_a_dns_failure_without_any_lookup(rep):
    mailbox = save(rep, smtp_host="a" * 64 + ".example")
    report = mailbox_test_connection(mailbox, timeout_seconds=3)
    assert steps(report.smtp) == [("dns", False)]


def test_a_closed_port_is_a_refused_connection(rep):
    port = free_port()
    mailbox = save(rep, smtp_port=port)
    failure = mailbox_test_connection(mailbox, timeout_seconds=3).smtp.failure
    assert failure.stage == "connect" and "refused" in failure.message
    assert str(port) in failure.message


def test_a_server_that_never_greets_is_a_greeting_timeout(rep):
    """The classic mistake: STARTTLS chosen for an implicit-TLS port; the server waits for TLS,
    the client for a greeting."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        mailbox = save(rep, smtp_port=silent.getsockname()[1], smtp_security="starttls")
        failure = mailbox_test_connection(mailbox, timeout_seconds=1).smtp.failure
    assert failure.stage == "greeting" and "SSL/TLS" in failure.message


def test_a_self_signed_certificate_is_a_tls_failure_that_says_so(rep, tls_smtp_server):
    mailbox = save(rep, smtp_port=tls_smtp_server.port, smtp_security="ssl")
    failure = mailbox_test_connection(mailbox, timeout_seconds=3).smtp.failure
    assert failure.stage == "tls"
    assert "certificate is not trusted" in failure.message
    assert "self-signed" in failure.message or "self signed" in failure.message


def test_tls_to_a_plain_port_is_a_tls_failure(rep, smtp_sink):
    mailbox = save(rep, smtp_port=smtp_sink.port, smtp_security="ssl")
    failure = mailbox_test_connection(mailbox, timeout_seconds=3).smtp.failure
    assert failure.stage == "tls" and "SSL/TLS is usual on port 465" in failure.message


def test_a_trusted_tls_server_passes_and_names_the_tls_version(rep, tls_smtp_server, monkeypatch):
    trusted = ssl.create_default_context(cafile=tls_smtp_server.ca_file)
    monkeypatch.setattr("tradewind.outreach.transport.tls_context", lambda: trusted)
    mailbox = save(rep, smtp_port=tls_smtp_server.port, smtp_security="ssl")
    report = mailbox_test_connection(mailbox, timeout_seconds=3)
    assert report.ok, report.as_dict()
    assert "TLSv1." in report.smtp.steps[2].message


def test_an_unreadable_saved_password_is_reported_not_raised(rep, settings, smtp_auth_server):
    mailbox = save(rep, smtp_port=smtp_auth_server.port, smtp_username=SINK_USER, smtp_password="x")
    settings.SECRET_KEY = "rotated-secret-key-" + "q" * 40
    report = mailbox_test_connection(mailbox, timeout_seconds=3)
    assert report.smtp.failure.stage == "login"
    assert "Enter the password again" in report.smtp.failure.message


def test_the_imap_server_is_tested_too_with_the_smtp_log_in_when_none_is_given(
    rep, smtp_sink, imap_server
):
    mailbox = save(
        rep,
        smtp_port=smtp_sink.port,
        smtp_username="",
        imap_host="127.0.0.1",
        imap_port=imap_server.port,
        imap_security="none",
        imap_username=imap_server.username,
        imap_password=imap_server.password,
    )
    report = mailbox_test_connection(mailbox, timeout_seconds=5)
    assert report.ok, report.as_dict()
    assert [s.stage for s in report.imap.steps] == ["dns", "connect", "tls", "login"]
    wrong = save(rep, mailbox_id=mailbox.pk, imap_password="not-it")
    failure = mailbox_test_connection(wrong, timeout_seconds=5).imap.failure
    assert failure.stage == "login" and "AUTHENTICATIONFAILED" in failure.server_answer.upper()


# --- System mail through the workspace mailbox ----------------------------------------------


@pytest.fixture
def workspace_backend(settings, tmp_path):
    settings.EMAIL_BACKEND = "tradewind.outreach.backends.WorkspaceMailboxBackend"
    settings.TRADEWIND_FALLBACK_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"
    return settings.EMAIL_FILE_PATH


def test_system_mail_goes_through_the_workspace_mailbox_from_its_address(
    admin_user, smtp_auth_server, workspace_backend
):
    save(
        admin_user,
        workspace=True,
        from_name="Brightway CRM",
        from_email="crm@exporter.example",
        smtp_port=smtp_auth_server.port,
        smtp_username=SINK_USER,
        smtp_password=SINK_PASSWORD,
    )
    assert send_mail("Your digest", "3 follow-ups today", None, ["lily@exporter.example"]) == 1
    [received] = smtp_auth_server.received
    assert received.mail_from == "crm@exporter.example"
    assert received.message["From"] == "Brightway CRM <crm@exporter.example>"
    assert not workspace_backend.exists()
    # An explicit sender is kept.
    EmailMessage("Hi", "x", "boss@exporter.example", ["lily@exporter.example"]).send()
    assert smtp_auth_server.received[1].mail_from == "boss@exporter.example"


def test_without_a_workspace_mailbox_system_mail_falls_back_to_the_settings(db, workspace_backend):
    assert send_mail("Reset your password", "link", None, ["lily@exporter.example"]) == 1
    [written] = list(workspace_backend.iterdir())
    assert b"Reset your password" in written.read_bytes()


def test_a_switched_off_workspace_mailbox_is_not_used(admin_user, smtp_sink, workspace_backend):
    save(admin_user, workspace=True, smtp_port=smtp_sink.port, is_active=False)
    send_mail("Digest", "x", None, ["lily@exporter.example"])
    assert smtp_sink.received == [] and len(list(workspace_backend.iterdir())) == 1


def test_the_password_reset_page_sends_through_the_workspace_mailbox(
    client, admin_user, smtp_sink, workspace_backend
):
    UserFactory(username="anna", email="anna@exporter.example")
    save(admin_user, workspace=True, from_email="crm@exporter.example", smtp_port=smtp_sink.port)
    client.post(reverse("accounts:password-reset"), {"email": "anna@exporter.example"})
    assert [r.rcpt_tos for r in smtp_sink.received] == [["anna@exporter.example"]]
    assert mail.outbox == []
