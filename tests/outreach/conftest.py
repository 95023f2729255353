"""Fixtures of the outreach tests."""

from tests.outreach.imap_server import imap_folder, imap_mailbox, imap_server  # noqa: F401
from tests.outreach.letter_data import buyer, cadence, letter_template, mailbox  # noqa: F401
from tests.outreach.smtp_servers import (  # noqa: F401
    sink_mailbox,
    smtp_auth_server,
    smtp_sink,
    tls_smtp_server,
)
