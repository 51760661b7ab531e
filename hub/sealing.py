"""Secrets sealed at rest: values the hub must use again, so it cannot hash them (a forwarding
password it sends downstream, the private keys that sign its LTI messages).

A :class:`SecretBox` encrypts with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``)
under a key derived by HKDF-SHA256 (RFC 5869) from the hub's secret, with the box's ``purpose``
as HKDF ``info``: boxes of different purposes never open each other's tokens. The secret is the
hub's token key (``HUB_SECRET_KEY``, or when that is unset the random key the hub keeps in the
blob store), so a copy of the document store alone does not give the sealed values away. The
factory puts that secret source in ``app.extensions[SECRET_SOURCE]``; :func:`app_box` builds a
box on it for the current app.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: ``app.extensions`` name of the hub's sealing secret (bytes, or a callable taking ``refresh``).
SECRET_SOURCE = "hub.sealing.secret"

SecretSource = bytes | Callable[[bool], bytes]


class SealedUnreadable(Exception):
    """A sealed value does not open with this hub's key (``HUB_SECRET_KEY`` changed, or the
    token was sealed for another purpose or altered)."""


def derive_key(secret: bytes, purpose: bytes) -> bytes:
    """The Fernet key of one ``purpose``, derived from the hub's secret (RFC 5869 HKDF)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return base64.urlsafe_b64encode(hkdf.derive(secret))


class SecretBox:
    """Seals and opens values of one ``purpose``. ``secret`` is the hub's secret, or a callable
    returning it (the blob-store key, read lazily and re-read once when a token does not open:
    another process may have created it first)."""

    def __init__(self, secret: SecretSource, purpose: bytes) -> None:
        self._secret = secret
        self.purpose = purpose

    def _fernet(self, refresh: bool = False) -> Fernet:
        secret = self._secret if isinstance(self._secret, bytes) else self._secret(refresh)
        return Fernet(derive_key(secret, self.purpose))

    def seal(self, data: bytes | str) -> str:
        """The token (ASCII) to store for ``data`` (a ``str`` is sealed as its UTF-8)."""
        raw = data.encode() if isinstance(data, str) else data
        return self._fernet().encrypt(raw).decode("ascii")

    def open(self, token: str) -> bytes:
        """The bytes a token was sealed from; :class:`SealedUnreadable` otherwise."""
        if not isinstance(token, str) or not token.isascii():
            raise SealedUnreadable
        try:
            return self._fernet().decrypt(token)
        except InvalidToken:
            if isinstance(self._secret, bytes):
                raise SealedUnreadable from None
        try:
            return self._fernet(refresh=True).decrypt(token)
        except InvalidToken:
            raise SealedUnreadable from None


def app_box(purpose: bytes) -> SecretBox:
    """A box of ``purpose`` on the current app's secret (inside an app context)."""
    from flask import current_app

    return SecretBox(current_app.extensions[SECRET_SOURCE], purpose)
