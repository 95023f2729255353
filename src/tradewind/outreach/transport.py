"""Opening SMTP and IMAP connections with a mailbox's settings.

One place decides how "SSL/TLS", "STARTTLS" and "none" are spoken, with certificate checks on
(the system's trusted authorities; no option turns verification off). Used by the outbox, the
system-mail backend and the connection test.
"""

import imaplib
import smtplib
import ssl
from dataclasses import dataclass

from django.core.mail.utils import DNS_NAME

from tradewind.outreach.choices import Security
from tradewind.outreach.secrets import decrypt_password

DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class ServerSettings:
    """Where and how to reach one mail server; the password is decrypted only in memory."""

    host: str
    port: int
    security: str
    username: str = ""
    password: str = ""
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    def __repr__(self) -> str:  # never print the password
        return f"ServerSettings({self.host}:{self.port}, {self.security}, user={self.username!r})"


def smtp_settings(mailbox, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> ServerSettings:
    return ServerSettings(
        host=mailbox.smtp_host.strip(),
        port=mailbox.smtp_port,
        security=mailbox.smtp_security,
        username=mailbox.smtp_username,
        password=decrypt_password(mailbox.smtp_password_encrypted),
        timeout_seconds=timeout_seconds,
    )


def imap_settings(mailbox, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> ServerSettings:
    """An IMAP log-in left empty is the SMTP one (most company mailboxes share it)."""
    if mailbox.imap_username:
        username, stored = mailbox.imap_username, mailbox.imap_password_encrypted
    else:
        username, stored = mailbox.smtp_username, mailbox.smtp_password_encrypted
    return ServerSettings(
        host=mailbox.imap_host.strip(),
        port=mailbox.imap_port,
        security=mailbox.imap_security,
        username=username,
        password=decrypt_password(stored),
        timeout_seconds=timeout_seconds,
    )


def tls_context() -> ssl.SSLContext:
    """Verify the server's certificate and name against the system's trusted authorities."""
    return ssl.create_default_context()


def smtp_connect(server: ServerSettings) -> smtplib.SMTP:
    """Connected and secured as configured, not yet logged in."""
    if server.security == Security.SSL:
        return smtplib.SMTP_SSL(
            server.host,
            server.port,
            local_hostname=str(DNS_NAME),
            timeout=server.timeout_seconds,
            context=tls_context(),
        )
    connection = smtplib.SMTP(
        server.host, server.port, local_hostname=str(DNS_NAME), timeout=server.timeout_seconds
    )
    if server.security == Security.STARTTLS:
        try:
            connection.starttls(context=tls_context())
        except BaseException:
            connection.close()
            raise
    return connection


def smtp_open(server: ServerSettings) -> smtplib.SMTP:
    """Connected, secured and logged in (when a user name is set): ready to send."""
    connection = smtp_connect(server)
    try:
        if server.username:
            connection.login(server.username, server.password)
    except BaseException:
        connection.close()
        raise
    return connection


def imap_connect(server: ServerSettings) -> imaplib.IMAP4:
    """Connected and secured as configured, not yet logged in."""
    if server.security == Security.SSL:
        return imaplib.IMAP4_SSL(
            server.host, server.port, ssl_context=tls_context(), timeout=server.timeout_seconds
        )
    connection = imaplib.IMAP4(server.host, server.port, timeout=server.timeout_seconds)
    if server.security == Security.STARTTLS:
        try:
            connection.starttls(ssl_context=tls_context())
        except BaseException:
            connection.shutdown()
            raise
    return connection
