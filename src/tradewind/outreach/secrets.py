"""Mailbox passwords, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, from
``cryptography``).

The key comes from ``TRADEWIND_MAILBOX_KEY``: one Fernet key (``Fernet.generate_key()``), or
several separated by commas — the first encrypts, any of them decrypts, so a key can be rotated
by putting the new one first and re-saving the mailboxes. When the setting is empty the key is
derived from ``SECRET_KEY`` with HKDF-SHA256 (a fixed salt and purpose label, so the same secret
key always gives the same mailbox key and no other use of the secret key gives this one).
Judgement call: that keeps a fresh install working with nothing to configure, at a price —
changing ``SECRET_KEY`` makes every stored mailbox password unreadable, and each user must enter
theirs again. ``decrypt_password`` then raises ``SecretUnreadable`` with a message saying so.

Passwords are never logged, audited or shown again; forms only say whether one is stored.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError

HKDF_SALT = b"tradewind.outreach.mailbox-passwords"
HKDF_INFO = b"fernet-key-v1"


class SecretUnreadable(DomainError):
    """A stored password cannot be decrypted with the keys configured now."""

    code = "secret_unreadable"


def derive_key(secret_key: str) -> bytes:
    """The Fernet key derived from ``SECRET_KEY`` (urlsafe base64 of 32 bytes)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@lru_cache(maxsize=4)
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        keys = [derive_key(secret_key).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise DomainError(
            "TRADEWIND_MAILBOX_KEY is not a Fernet key (32 url-safe base64-encoded bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from exc


def mailbox_fernet() -> MultiFernet:
    """The keys in force now (re-read when the settings change, as in tests)."""
    return _fernet(settings.TRADEWIND_MAILBOX_KEY, settings.SECRET_KEY)


def encrypt_password(plain: str) -> str:
    """The stored form of ``plain``; an empty password stays empty (no password)."""
    if not plain:
        return ""
    return mailbox_fernet().encrypt(plain.encode()).decode()


def decrypt_password(stored: str) -> str:
    """The password back from its stored form; raises ``SecretUnreadable`` if the key changed."""
    if not stored:
        return ""
    try:
        return mailbox_fernet().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            _(
                "The saved mailbox password cannot be read: the server's key has changed since "
                "it was saved. Enter the password again."
            ),
            field="smtp_password",
        ) from exc
