"""Real SMTP servers for the outbox and mailbox tests (aiosmtpd on loopback ports).

- ``smtp_sink``: accepts everything, except the addresses told to answer otherwise
  (``sink.answers["gone@buyer.example"] = "550 5.1.1 User unknown"``); records each message.
- ``smtp_auth_server``: the same, but requires a log-in (plain text allowed on loopback).
- ``tls_smtp_server``: implicit TLS (port-465 style) with a self-signed certificate made here
  with ``cryptography``; ``tls_smtp_server.ca_file`` trusts it.
"""

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SINK_USER, SINK_PASSWORD = "lily@exporter.example", "app-password-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    content: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.content, policy=email.policy.default)


@dataclass
class Sink:
    """What a server received, and how it answers RCPT per address."""

    port: int = 0
    answers: dict = field(default_factory=dict)
    received: list = field(default_factory=list)
    rcpt_log: list = field(default_factory=list)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ca_file: str = ""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_log.append(address)
        answer = self.answers.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 2.0.0 Message accepted for delivery"

    def messages(self):
        return [item.message for item in self.received]


def _authenticator(server, session, envelope, mechanism, auth_data):
    good = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == SINK_USER and auth_data.password.decode() == SINK_PASSWORD
    )
    return AuthResult(success=good, handled=False)


class QuietController(Controller):
    """Log-in without TLS is what these loopback tests want; aiosmtpd warns about it."""

    def factory(self):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


def _start(sink: Sink, **kwargs) -> Controller:
    sink.port = free_port()
    controller = QuietController(sink, hostname="127.0.0.1", port=sink.port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = _start(sink)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp_auth_server():
    sink = Sink()
    controller = _start(
        sink, auth_required=True, auth_require_tls=False, authenticator=_authenticator
    )
    try:
        yield sink
    finally:
        controller.stop()


def self_signed_certificate(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate for ``host`` signed by its own key (PEM files: cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tradewind test mail server")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_smtp_server(tmp_path):
    cert_file, key_file = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    sink = Sink(ca_file=str(cert_file))
    controller = _start(sink, ssl_context=context)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def sink_mailbox(rep, smtp_sink):
    """Lily's mailbox, pointed at the sink: plain SMTP, no cap worth mentioning, no throttle."""
    from tradewind.outreach.mailboxes import mailbox_save

    return mailbox_save(
        actor=rep,
        from_name="Lily Zhang",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=smtp_sink.port,
        smtp_security="none",
        daily_cap=1000,
        min_interval_seconds=0,
    )
