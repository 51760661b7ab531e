"""The hub's signing keys: what signs every JWT the hub sends (id_tokens as a platform, client
assertions and Deep Linking responses as a tool), and the JWKS that publishes them.

LTI 1.3 §6 (Security Framework §5.1, §6.3): messages are JWTs signed with RS256 and the verifier
finds the key by ``kid`` in the sender's JWKS, so the hub can rotate its key without anyone
re-registering it, provided a key is published before it signs and stays published until what
it signed has expired:

- a key is created on first use (a unique ``generation`` per key in :mod:`storage.ports.lti_keys`
  makes racing processes agree on one);
- after ``HUB_LTI_KEY_ROTATION_DAYS`` the next key is created *ahead*: it is published at once
  and signs from :data:`PUBLISH_AHEAD` seconds later, so verifiers that cached the JWKS (up to
  :data:`JWKS_MAX_AGE`) see it before the first token it signs;
- the key it replaces stays published until every token it signed has expired
  (:data:`SIGNED_TOKEN_MAX_LIFETIME`, which :meth:`HubKeys.sign` enforces on ``exp``, plus the
  time another process may keep signing with its cached list), then is purged.

Private keys are kept sealed (:class:`hub.sealing.SecretBox`), never in clear, in the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from hub.errors import Unavailable
from hub.sealing import SealedUnreadable, SecretBox, app_box
from storage.errors import DuplicateKey
from storage.ports import Document, Store
from storage.timestamps import TIMESTAMP_FORMAT, format_timestamp

log = logging.getLogger(__name__)

ALG = "RS256"  # LTI 1.3 Security Framework §6.1: RS256 is the algorithm every party supports
KEY_BITS = 2048
#: HKDF purpose of the box that seals private keys (never opens forwarding passwords).
SEAL_PURPOSE = b"karmayogi-hub lti signing key v1"
#: The longest a token the hub signs may live (seconds from now to ``exp``).
SIGNED_TOKEN_MAX_LIFETIME = 3600
#: How long a process reuses the key list it read (seconds): another process's rotation is
#: seen within this time, so a retired key stays published this much longer.
KEY_CACHE_SECONDS = 60
#: ``Cache-Control: max-age`` of the JWKS (seconds).
JWKS_MAX_AGE = 300
#: A new key is published this long before it signs: longer than a verifier's JWKS cache.
PUBLISH_AHEAD = 2 * JWKS_MAX_AGE
#: Seconds a retired key stays published after it stopped signing.
RETIRED_GRACE = SIGNED_TOKEN_MAX_LIFETIME + KEY_CACHE_SECONDS


def _at(seconds: float) -> str:
    return format_timestamp(datetime.fromtimestamp(seconds, UTC))


def _seconds(timestamp: str) -> float:
    return datetime.strptime(timestamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC).timestamp()


class HubKeys:
    """The hub's keys over ``store.lti_keys``: sign, publish, rotate. One per app (see
    :func:`hub_keys`); safe to share between threads, and between processes through the store.
    ``clock`` (seconds since the epoch) is replaceable so tests can move time."""

    def __init__(self, store: Store, box: SecretBox, rotation_days: int = 90,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.box = box
        self.rotation_seconds = max(1, rotation_days) * 86400
        self.clock = clock
        self._lock = threading.Lock()
        self._keys: list[Document] = []
        self._read_at: float | None = None
        self._private: dict[str, RSAKey] = {}

    # -- reading -------------------------------------------------------------------------------

    def _list(self, fresh: bool = False) -> list[Document]:
        now = self.clock()
        with self._lock:
            if fresh or self._read_at is None or now - self._read_at >= KEY_CACHE_SECONDS:
                self._keys = self.store.lti_keys.list()
                self._read_at = now
            return self._keys

    def _signing_key(self) -> Document:
        """The key that signs now: the newest generation already active. Creates the first
        key, and the next one when the newest is older than the rotation period."""
        keys = self._list()
        now = self.clock()
        if not keys or now - _seconds(keys[0]["active_from"]) >= self.rotation_seconds:
            keys = self._list(fresh=True)  # another process may have done it already
        if not keys:
            self._add_next(keys, now, ahead=False)
            keys = self._list(fresh=True)
        elif now - _seconds(keys[0]["active_from"]) >= self.rotation_seconds:
            self._add_next(keys, now, ahead=True)
            keys = self._list(fresh=True)
        moment = _at(now)  # stored instants compare as text (storage.timestamps)
        active = [k for k in keys if k["active_from"] <= moment]
        return active[0] if active else keys[-1]

    def _private_key(self, doc: Document) -> RSAKey:
        kid = doc["kid"]
        key = self._private.get(kid)
        if key is None:
            try:
                pem = self.box.open(doc["private_sealed"])
            except SealedUnreadable:
                log.error("LTI signing key %s does not open with this hub's secret", kid)
                raise Unavailable("The hub's LTI signing key cannot be read (HUB_SECRET_KEY "
                                  "changed?); an operator must run 'hub lti rotate-keys "
                                  "--immediately'.") from None
            key = RSAKey.import_key(pem, {"kid": kid, "alg": ALG, "use": "sig"})
            self._private[kid] = key
        return key

    # -- writing -------------------------------------------------------------------------------

    def _add_next(self, keys: list[Document], now: float, ahead: bool) -> Document:
        """Insert the next generation; when another process inserted it first, theirs stands
        (``DuplicateKey``) and ours is dropped. The keys it replaces are retired from the
        moment it signs."""
        generation = (keys[0]["generation"] + 1) if keys else 1
        active_from = now + PUBLISH_AHEAD if ahead else now
        private = RSAKey.generate_key(KEY_BITS, private=True)
        kid = private.thumbprint()  # RFC 7638: stable, unique per key material
        public = RSAKey.import_key(private.as_dict(private=False),
                                   {"kid": kid, "alg": ALG, "use": "sig"})
        doc: Document = {"kid": kid, "alg": ALG, "generation": generation,
                         "public_jwk": public.as_dict(private=False),
                         "private_sealed": self.box.seal(private.as_pem(private=True)),
                         "created_at": _at(now), "active_from": _at(active_from),
                         "retired_at": None, "not_after": None}
        try:
            self.store.lti_keys.add(doc)
        except DuplicateKey:
            log.info("LTI key generation %d was created by another process", generation)
            return doc
        log.info("LTI signing key %s (generation %d) signs from %s", kid, generation,
                 doc["active_from"])
        for old in keys:
            if not old.get("retired_at"):
                self.store.lti_keys.retire(old["kid"], _at(active_from),
                                           _at(active_from + RETIRED_GRACE))
        self.store.lti_keys.purge(_at(now))
        return doc

    def rotate(self, immediately: bool = False) -> str:
        """Make a new key now (an operator's ``hub lti rotate-keys``): it is published at once
        and signs after :data:`PUBLISH_AHEAD` seconds, or at once when ``immediately`` (a key
        thought compromised, or one that no longer opens); the key(s) it replaces stay published
        until what they signed has expired. Returns the new key's ``kid``."""
        for _ in range(3):
            keys = self._list(fresh=True)
            doc = self._add_next(keys, self.clock(), ahead=bool(keys) and not immediately)
            if any(k["kid"] == doc["kid"] for k in self._list(fresh=True)):
                return str(doc["kid"])
        raise Unavailable("The LTI signing keys changed under three rotations in a row.")

    # -- the public face ------------------------------------------------------------------------

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        """A JWT of ``claims`` signed with the current key (JOSE header ``alg`` RS256, its
        ``kid``, ``typ`` JWT, plus ``headers``). ``exp`` is required and at most
        :data:`SIGNED_TOKEN_MAX_LIFETIME` seconds ahead (a retired key is published only that
        long); ``iat`` is set to now when absent (LTI 1.3 Security Framework §5.1.2)."""
        now = self.clock()
        exp = claims.get("exp")
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise ValueError("a token the hub signs needs an integer 'exp'")
        if exp > now + SIGNED_TOKEN_MAX_LIFETIME:
            raise ValueError(f"'exp' is more than {SIGNED_TOKEN_MAX_LIFETIME} s ahead")
        doc = self._signing_key()
        header = {**(headers or {}), "alg": ALG, "kid": doc["kid"]}
        header.setdefault("typ", "JWT")
        payload = {"iat": int(now), **claims}
        return jwt.encode(header, payload, self._private_key(doc), algorithms=[ALG])

    def jwks(self) -> dict[str, Any]:
        """The JWK Set to publish (RFC 7517 §5): the key that signs, the next one when it is
        published ahead, and retired keys until what they signed has expired. Read from the
        store each time: a key another process just created must be here before it signs."""
        self._signing_key()  # the first key exists before anyone asks for it
        now = _at(self.clock())
        keys = [k for k in self._list(fresh=True) if not k.get("not_after") or k["not_after"] > now]
        return {"keys": [dict(k["public_jwk"]) for k in keys]}


def hub_keys() -> HubKeys:
    """The :class:`HubKeys` of the current app (made on first use)."""
    from flask import current_app

    keys = current_app.extensions.get("lti.keys")
    if keys is None:
        with _app_lock:
            keys = current_app.extensions.get("lti.keys")
            if keys is None:
                config = current_app.extensions["hub.config"]
                keys = HubKeys(current_app.extensions["hub.store"], app_box(SEAL_PURPOSE),
                               rotation_days=config.lti_key_rotation_days)
                current_app.extensions["lti.keys"] = keys
    return keys  # type: ignore[no-any-return]


_app_lock = threading.Lock()
