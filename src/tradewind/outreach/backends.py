"""System mail (digests, password resets) through the workspace mailbox.

``EMAIL_BACKEND`` is ``WorkspaceMailboxBackend``. When an admin has set up an active workspace
mailbox, mail goes through its SMTP server, log-in and security, and mail sent from the default
sender (``DEFAULT_FROM_EMAIL``) is sent from the mailbox's own address instead (mail servers
refuse senders they do not host). Without one, the backend named by
``TRADEWIND_FALLBACK_EMAIL_BACKEND`` takes over: Django's SMTP backend with the ``EMAIL_*``
settings, or — with no mail server configured — files in ``$TRADEWIND_DATA_DIR/sent-mail``.

The workspace mailbox is looked up when a batch of mail is sent (one query), so a change on the
settings page applies at once to every process. System mail is not outreach: it does not go
through the outbox, the suppression list or the daily cap.
"""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from tradewind.outreach.choices import Security
from tradewind.outreach.secrets import decrypt_password


class WorkspaceMailboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self._kwargs = kwargs
        self._inner = None
        self._sender = None

    def _choose(self):
        from tradewind.outreach.mailboxes import workspace_mailbox

        mailbox = workspace_mailbox()
        if mailbox is None:
            return get_connection(
                settings.TRADEWIND_FALLBACK_EMAIL_BACKEND,
                fail_silently=self.fail_silently,
                **self._kwargs,
            ), None
        backend = SmtpBackend(
            host=mailbox.smtp_host,
            port=mailbox.smtp_port,
            username=mailbox.smtp_username,
            password=decrypt_password(mailbox.smtp_password_encrypted),
            use_tls=mailbox.smtp_security == Security.STARTTLS,
            use_ssl=mailbox.smtp_security == Security.SSL,
            timeout=settings.EMAIL_TIMEOUT,
            fail_silently=self.fail_silently,
        )
        return backend, formataddr((mailbox.from_name, mailbox.from_email))

    def open(self):
        if self._inner is None:
            self._inner, self._sender = self._choose()
        return self._inner.open()

    def close(self):
        if self._inner is not None:
            try:
                self._inner.close()
            finally:
                self._inner = None

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        opened_here = self._inner is None
        if opened_here:
            self._inner, self._sender = self._choose()
        try:
            if self._sender:
                for message in email_messages:
                    if message.from_email in ("", None, settings.DEFAULT_FROM_EMAIL):
                        message.from_email = self._sender
            return self._inner.send_messages(email_messages)
        finally:
            if opened_here:
                self.close()
