"""Forwarding passwords sealed at rest.

The hub must send a downstream's password, so it cannot hash it; it encrypts it instead with a
:class:`hub.sealing.SecretBox` (Fernet under a key derived by HKDF-SHA256 from the hub's
secret: ``HUB_SECRET_KEY``, or when that is unset the random key the hub keeps in the blob
store, the one that signs search cursors), so a copy of the document store alone does not give
the passwords away. The sealed form is kept in ``password_sealed``; ``password``
is left empty. Registrations stored before sealing existed still carry ``password`` in plain
text: :func:`seal_plaintext_passwords` seals them when the hub starts, and until then the
worker reads them as they are.
"""

from __future__ import annotations

import logging
from typing import Any

from hub.sealing import SealedUnreadable, SecretBox, SecretSource
from storage.ports import Store

log = logging.getLogger(__name__)

#: HKDF ``info``: keys for other purposes derived from the same secret differ from this one.
KEY_PURPOSE = b"karmayogi-hub xapi forwarding password v1"


class PasswordUnreadable(SealedUnreadable):
    """A sealed password does not open with this hub's key (``HUB_SECRET_KEY`` changed)."""


class PasswordBox:
    """Seals and opens forwarding passwords: a :class:`hub.sealing.SecretBox` of purpose
    :data:`KEY_PURPOSE` (tokens sealed before the box was shared stay readable). ``secret`` is
    the hub's secret, or a callable returning it."""

    def __init__(self, secret: SecretSource) -> None:
        self._box = SecretBox(secret, KEY_PURPOSE)

    def seal(self, password: str) -> str:
        """The token to store for ``password``."""
        return self._box.seal(password)

    def open(self, token: str) -> str:
        """The password a token was sealed from; :class:`PasswordUnreadable` otherwise."""
        try:
            return self._box.open(token).decode()
        except (SealedUnreadable, UnicodeDecodeError):
            raise PasswordUnreadable from None

    def password_of(self, forwarder: dict[str, Any]) -> str | None:
        """The password to send for a registration: opened from ``password_sealed``, or the
        plain ``password`` of a registration stored before sealing (not upgraded yet)."""
        token = forwarder.get("password_sealed")
        if token:
            return self.open(token)
        plain = forwarder.get("password")
        return None if plain is None else str(plain)

    def sealed_fields(self, password: str | None) -> dict[str, Any]:
        """The stored fields for a new password (``None``: no password)."""
        return {"password": None,
                "password_sealed": None if password is None else self.seal(password)}


def seal_plaintext_passwords(store: Store, box: PasswordBox) -> int:
    """Seal every password stored in plain text (registrations from before sealing), in place;
    returns how many. Runs at start-up; safe to run again and from several processes (a row
    already sealed is skipped; sealing the same password twice stores an equivalent token)."""
    repo = store.forwarding
    upgraded = 0
    for forwarder in repo.list():
        if forwarder.get("password") is not None and not forwarder.get("password_sealed"):
            repo.update(forwarder["id"], box.sealed_fields(str(forwarder["password"])))
            upgraded += 1
    if upgraded:
        log.info("sealed %d forwarding password(s) stored in plain text", upgraded)
    return upgraded
