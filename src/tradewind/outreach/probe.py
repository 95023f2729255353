"""The mailbox connection test: say exactly which step fails, with the server's own answer.

Each protocol is tried step by step — the server name (DNS, ``socket.getaddrinfo``), the TCP
connection (refused, timed out), the secure channel (TLS handshake, certificate), the greeting,
and the log-in — and stops at the first failure. Each step is a line a salesperson can act on
("The server refused the connection on port 587 — check the port") plus, where the server said
something, its reply verbatim (``535 5.7.8 Authentication failed``). The test sends no mail.

Judgement call: the DNS and TCP steps open their own socket before the mail library connects
again; one extra connection is cheap, and it is the only way to tell "name not found" from
"port closed" from "wrong security setting" reliably across smtplib and imaplib.
"""

import contextlib
import imaplib
import smtplib
import socket
import ssl
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from tradewind.outreach.choices import Security
from tradewind.outreach.transport import ServerSettings, imap_connect, smtp_connect


@dataclass(frozen=True)
class ProbeStep:
    stage: str  # dns, connect, tls, greeting, login
    ok: bool
    message: str
    server_answer: str = ""


@dataclass
class ProbeResult:
    protocol: str  # "smtp" or "imap"
    steps: list[ProbeStep] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def failure(self) -> ProbeStep | None:
        return next((step for step in self.steps if not step.ok), None)

    def as_dict(self) -> dict:
        return {"protocol": self.protocol, "ok": self.ok, "steps": [asdict(s) for s in self.steps]}


class _Stop(Exception):
    """A step failed; the result already says how."""


def _answer(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _resolve_and_connect(result: ProbeResult, server: ServerSettings) -> None:
    try:
        addresses = socket.getaddrinfo(server.host, server.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        result.steps.append(
            ProbeStep(
                "dns",
                False,
                _("The server name “%(host)s” was not found (DNS): %(error)s.")
                % {"host": server.host, "error": exc},
            )
        )
        raise _Stop from exc
    address = addresses[0][4][0]
    if address == server.host:
        message = _("%(ip)s is an IP address: no name to look up.") % {"ip": address}
    else:
        message = _("Found %(host)s at %(ip)s.") % {"host": server.host, "ip": address}
    result.steps.append(ProbeStep("dns", True, message))
    try:
        with socket.create_connection((server.host, server.port), server.timeout_seconds):
            pass
    except TimeoutError as exc:
        message = _(
            "No answer from %(host)s on port %(port)s within %(seconds)s seconds — "
            "a firewall may block the port, or the port is wrong."
        )
        result.steps.append(ProbeStep("connect", False, message % _where(server)))
        raise _Stop from exc
    except ConnectionRefusedError as exc:
        message = _("%(host)s refused the connection on port %(port)s — check the port.")
        result.steps.append(ProbeStep("connect", False, message % _where(server)))
        raise _Stop from exc
    except OSError as exc:
        message = _("Could not connect to %(host)s on port %(port)s: %(error)s.")
        result.steps.append(
            ProbeStep("connect", False, message % {**_where(server), "error": exc.strerror or exc})
        )
        raise _Stop from exc
    message = _("Connected to %(host)s on port %(port)s.")
    result.steps.append(ProbeStep("connect", True, message % _where(server)))


def _where(server: ServerSettings) -> dict:
    return {"host": server.host, "port": server.port, "seconds": f"{server.timeout_seconds:g}"}


def _tls_failure(exc: Exception, server: ServerSettings) -> ProbeStep:
    if isinstance(exc, ssl.SSLCertVerificationError):
        message = _("The server's certificate is not trusted: %(reason)s.") % {
            "reason": exc.verify_message or exc.reason
        }
    elif isinstance(exc, ssl.SSLError):
        message = _(
            "The secure connection (TLS) failed: %(reason)s — check the security setting: "
            "SSL/TLS is usual on port 465 (SMTP) and 993 (IMAP), STARTTLS on 587 and 143."
        ) % {"reason": exc.reason or exc}
    else:
        message = _("The server does not offer STARTTLS — choose SSL/TLS or check the port.")
    return ProbeStep("tls", False, message)


def _greeting_failure(exc: Exception, server: ServerSettings) -> ProbeStep:
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        message = _(
            "%(host)s accepted the connection on port %(port)s but did not answer within "
            "%(seconds)s seconds — on port 465 or 993 choose SSL/TLS."
        ) % _where(server)
    else:
        message = _("The server closed the connection before greeting: %(error)s.") % {"error": exc}
    return ProbeStep("greeting", False, message)


def probe_smtp(server: ServerSettings) -> ProbeResult:
    """Try the SMTP server step by step; never sends mail."""
    result = ProbeResult("smtp")
    try:
        _resolve_and_connect(result, server)
        connection = _smtp_secure(result, server)
        try:
            _smtp_login(result, server, connection)
        finally:
            connection.close()
    except _Stop:
        pass
    return result


def _smtp_secure(result: ProbeResult, server: ServerSettings) -> smtplib.SMTP:
    try:
        connection = smtp_connect(server)
    except (ssl.SSLError, smtplib.SMTPNotSupportedError) as exc:
        result.steps.append(_tls_failure(exc, server))
        raise _Stop from exc
    except smtplib.SMTPConnectError as exc:
        message = _("The server refused to talk to us.")
        result.steps.append(
            ProbeStep("greeting", False, message, _answer(exc.smtp_code, exc.smtp_error))
        )
        raise _Stop from exc
    except (OSError, smtplib.SMTPException) as exc:
        result.steps.append(_greeting_failure(exc, server))
        raise _Stop from exc
    result.steps.append(_secured_step(server, connection.sock))
    return connection


def _secured_step(server: ServerSettings, sock) -> ProbeStep:
    if server.security == Security.NONE:
        message = _("Connected without encryption: the password travels in clear text.")
        return ProbeStep("tls", True, message)
    version = sock.version() if hasattr(sock, "version") else "TLS"
    return ProbeStep("tls", True, _("Secure connection (%(version)s).") % {"version": version})


def _smtp_login(result: ProbeResult, server: ServerSettings, connection: smtplib.SMTP) -> None:
    if not server.username:
        message = _("No user name: the server is used without logging in.")
        result.steps.append(ProbeStep("login", True, message))
        return
    try:
        code, text = connection.login(server.username, server.password)
    except smtplib.SMTPAuthenticationError as exc:
        message = _("The server refused the user name or password.")
        result.steps.append(
            ProbeStep("login", False, message, _answer(exc.smtp_code, exc.smtp_error))
        )
        raise _Stop from exc
    except smtplib.SMTPNotSupportedError as exc:
        message = _(
            "The server does not offer log-in (AUTH) on this connection — many servers offer "
            "it only after STARTTLS or on SSL/TLS."
        )
        result.steps.append(ProbeStep("login", False, message))
        raise _Stop from exc
    except (OSError, smtplib.SMTPException) as exc:
        message = _("Logging in failed: %(error)s.") % {"error": exc}
        result.steps.append(ProbeStep("login", False, message))
        raise _Stop from exc
    message = _("Logged in as %(user)s.") % {"user": server.username}
    result.steps.append(ProbeStep("login", True, message, _answer(code, text)))


def probe_imap(server: ServerSettings) -> ProbeResult:
    """Try the IMAP server step by step: log in, then log out again."""
    result = ProbeResult("imap")
    try:
        _resolve_and_connect(result, server)
        try:
            connection = imap_connect(server)
        except (ssl.SSLError, imaplib.IMAP4.abort) as exc:
            result.steps.append(_tls_failure(exc, server))
            raise _Stop from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            result.steps.append(_greeting_failure(exc, server))
            raise _Stop from exc
        result.steps.append(_secured_step(server, connection.sock))
        try:
            _imap_login(result, server, connection)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                connection.logout()
    except _Stop:
        pass
    return result


def _imap_login(result: ProbeResult, server: ServerSettings, connection: imaplib.IMAP4) -> None:
    try:
        _status, data = connection.login(server.username, server.password)
    except imaplib.IMAP4.error as exc:
        message = _("The server refused the user name or password.")
        result.steps.append(ProbeStep("login", False, message, str(exc)))
        raise _Stop from exc
    message = _("Logged in as %(user)s.") % {"user": server.username}
    answer = b" ".join(data).decode("utf-8", "replace") if data else ""
    result.steps.append(ProbeStep("login", True, message, answer))
