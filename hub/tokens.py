"""Opaque tokens the hub hands to clients and takes back: cursors and xAPI ``more`` links.

One mechanism for all of them: the payload's JSON, base64url, signed with itsdangerous
(HMAC-SHA256) under the hub's key with a salt per purpose, so a token of one kind is never
accepted as another and a client can neither forge nor edit one (a 400 naming the parameter).
A *private* token (:meth:`TokenCodec.seal`) is also encrypted (AES-GCM) before it is signed:
the public reviews cursor carries a learner id, which only its organisation may know.

The key is ``HUB_SECRET_KEY`` when set; otherwise a random key created once and shared through
the blob store (:class:`SharedKey`), so every worker of one hub accepts the others' tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from typing import Any

import orjson
from itsdangerous import BadSignature, Signer

from hub.errors import ValidationError

KeySource = bytes | Callable[..., bytes]


def b64(data: bytes) -> str:
    """base64url without padding (URL-safe, no ``=``)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    """The bytes of :func:`b64` text; ``ValueError`` when it is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SharedKey:
    """A signing key every process of one hub shares, kept in the blob store (created on first
    use) for when ``HUB_SECRET_KEY`` is unset: ``make run`` serves with several gunicorn
    workers, and a token issued by one must be accepted by the others."""

    BLOB = "hub/keys/catalogue-cursor.key"  # its first use; the name is kept for existing hubs

    def __init__(self, blobs: Any) -> None:
        self.blobs = blobs
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self, refresh: bool = False) -> bytes:
        """The key; ``refresh`` re-reads it (two workers may have raced to create it)."""
        with self._lock:
            if self._key is None or refresh:
                if not self.blobs.exists(self.BLOB):
                    self.blobs.put(self.BLOB, secrets.token_bytes(32))
                self._key = self.blobs.get(self.BLOB)
            return self._key


def key_source(secret_key: str | None, blobs: Any) -> KeySource:
    """The hub's token key: derived from ``HUB_SECRET_KEY``, else a :class:`SharedKey`."""
    if secret_key:
        return hashlib.sha256(b"hub.tokens\0" + secret_key.encode()).digest()
    return SharedKey(blobs)


class TokenCodec:
    """Signs (and, for private payloads, encrypts) tokens of one ``purpose``; a tampered,
    foreign or malformed token is a 400 naming ``field``."""

    def __init__(self, key: KeySource, purpose: str, field: str) -> None:
        self._key = key
        self.purpose = purpose
        self.field = field

    def _raw_key(self, refresh: bool = False) -> bytes:
        return self._key if isinstance(self._key, bytes) else self._key(refresh)

    def _signer(self, refresh: bool = False) -> Signer:
        return Signer(self._raw_key(refresh), salt="hub.tokens." + self.purpose,
                      key_derivation="hmac", digest_method=hashlib.sha256)

    def _cipher(self) -> Any:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = hmac.new(self._raw_key(), b"seal\0" + self.purpose.encode(), hashlib.sha256)
        return AESGCM(key.digest())

    def dumps(self, payload: Any) -> str:
        """A signed, URL-safe token for a JSON-serialisable payload (readable, not editable)."""
        return self._signer().sign(b64(orjson.dumps(payload))).decode()

    def seal(self, payload: Any) -> str:
        """A signed token whose payload is encrypted too (neither readable nor editable)."""
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._cipher().encrypt(nonce, orjson.dumps(payload), None)
        return self._signer().sign(b64(sealed)).decode()

    def _body(self, token: Any) -> bytes:
        if not isinstance(token, str) or not token.isascii():
            raise self._refused()
        try:
            body = self._signer().unsign(token)
        except BadSignature:
            if isinstance(self._key, bytes):
                raise self._refused() from None
            # A shared key may have been replaced by a racing worker at first use: re-read once.
            try:
                body = self._signer(refresh=True).unsign(token)
            except BadSignature:
                raise self._refused() from None
        try:
            return unb64(body.decode("ascii"))
        except (ValueError, binascii.Error):
            raise self._refused() from None

    def loads(self, token: Any) -> Any:
        """The payload of a :meth:`dumps` token of this purpose; 400 otherwise."""
        try:
            return orjson.loads(self._body(token))
        except orjson.JSONDecodeError:
            raise self._refused() from None

    def unseal(self, token: Any) -> Any:
        """The payload of a :meth:`seal` token of this purpose; 400 otherwise."""
        from cryptography.exceptions import InvalidTag

        sealed = self._body(token)
        try:
            return orjson.loads(self._cipher().decrypt(sealed[:12], sealed[12:], None))
        except (InvalidTag, ValueError):
            raise self._refused() from None

    def _refused(self) -> ValidationError:
        return ValidationError.for_field(self.field, "is not a token this hub issued")
