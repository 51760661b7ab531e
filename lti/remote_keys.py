"""Other parties' public keys, fetched from their JWKS URLs and cached (LTI 1.3 §6.3; Security
Framework §6.3, "Key Set URL"): an LMS's keys for its id_tokens, a provider tool's keys for its
Deep Linking responses and client assertions.

- A fetched key set is kept for its ``Cache-Control: max-age``, bounded to
  [:data:`MIN_TTL`, :data:`MAX_TTL`] seconds (:data:`DEFAULT_TTL` without one): a sender cannot
  make the hub fetch on every launch (max-age=0) or keep a revoked key for ever.
- A token naming a ``kid`` the cached set lacks triggers ONE re-fetch (the sender rotated its
  keys, Security Framework §6.3: "the Tool SHOULD refresh its key set"), but at most one fetch
  per URL per :data:`REFETCH_INTERVAL` seconds, whatever the tokens say: an attacker sending
  random kids cannot make the hub hammer a JWKS URL (or make it an amplifier).
- A fetch that fails while a copy is held keeps the copy (an outage of the sender's key server
  does not stop launches signed with keys the hub already knows), and counts for the interval.
- Every fetch goes through :mod:`hub.outbound` (the destination guard, timeouts, size cap).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hub.outbound import OutboundClient, OutboundError, outbound_client
from lti.errors import LtiKeySetUnavailable, LtiTokenError

#: Bounds (seconds) of how long a fetched key set is trusted without fetching again.
MIN_TTL = 60
MAX_TTL = 24 * 3600
DEFAULT_TTL = 300
#: At most one fetch per URL in this many seconds (cache misses on unknown kids included).
REFETCH_INTERVAL = 30
#: Keys read from one set; a larger set is cut (a JWKS holds a few keys).
MAX_KEYS = 50

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\b", re.IGNORECASE)


def cache_seconds(cache_control: str | None) -> int:
    """Seconds to keep a key set given its ``Cache-Control`` (RFC 9111 §5.2.2), within the
    bounds: ``no-store``/``no-cache`` and small max-ages give :data:`MIN_TTL`."""
    if not cache_control:
        return DEFAULT_TTL
    if _NO_CACHE.search(cache_control):
        return MIN_TTL
    match = _MAX_AGE.search(cache_control)
    if match is None:
        return DEFAULT_TTL
    return max(MIN_TTL, min(MAX_TTL, int(match.group(1))))


def parse_key_set(document: Any) -> dict[str, dict[str, Any]]:
    """The signing keys of a JWKS document (RFC 7517 §5) by ``kid``; keys without ``kid``,
    marked for encryption (``use`` other than ``sig``) or not objects are left out.
    ``ValueError`` when the document is not a key set."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWK Set: no 'keys' array")
    keys: dict[str, dict[str, Any]] = {}
    for jwk in document["keys"][:MAX_KEYS]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        keys.setdefault(jwk["kid"], jwk)
    return keys


@dataclass
class _Entry:
    """One URL's cached keys and when they were fetched / may be fetched again."""

    keys: dict[str, dict[str, Any]]
    expires: float  # the keys are fresh until then
    attempted: float  # last fetch attempt, successful or not
    lock: threading.Lock


class RemoteKeySets:
    """A cache of JWKS documents by URL, shared by every thread of a process (see the module
    docstring). ``clock`` returns seconds (tests pass their own)."""

    def __init__(self, client: OutboundClient, *,
                 clock: Callable[[], float] = time.monotonic,
                 refetch_interval: float = REFETCH_INTERVAL) -> None:
        self.client = client
        self.clock = clock
        self.refetch_interval = refetch_interval
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.fetches = 0  # how many fetches were made (tests and logs read it)

    def _entry(self, url: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                entry = _Entry({}, expires=float("-inf"), attempted=float("-inf"),
                               lock=threading.Lock())
                self._entries[url] = entry
            return entry

    def key(self, url: str, kid: str) -> dict[str, Any]:
        """The public JWK named ``kid`` in the key set at ``url``.

        Fetches when the cached set is stale, or once when it lacks ``kid`` (rate-limited per
        URL). :class:`~lti.errors.LtiTokenError` naming ``header.kid`` when the key set has no
        such key; :class:`~lti.errors.LtiKeySetUnavailable` when there is no usable copy."""
        entry = self._entry(url)
        with entry.lock:  # one fetch per URL at a time; other threads wait and reuse it
            now = self.clock()
            # A stale set is always older than the interval (MIN_TTL > REFETCH_INTERVAL), so
            # one test covers both the refresh and the re-fetch for an unknown kid.
            wanted = now >= entry.expires or kid not in entry.keys
            if wanted and now - entry.attempted >= self.refetch_interval:
                self._fetch(url, entry, now)
            if kid in entry.keys:
                return entry.keys[kid]
            if entry.expires == float("-inf"):  # never fetched successfully: nothing to judge
                raise LtiKeySetUnavailable(f"the key set at {url} could not be fetched",
                                           url=url)
        raise LtiTokenError("header.kid", f"no key {kid!r} in the sender's key set")

    def _fetch(self, url: str, entry: _Entry, now: float) -> None:
        entry.attempted = now
        self.fetches += 1
        try:
            response = self.client.get_json(url)
            if not response.ok:
                raise OutboundError(f"{url} answered HTTP {response.status}", url=url)
            keys = parse_key_set(response.json)
        except (OutboundError, ValueError):
            if not entry.keys:
                raise LtiKeySetUnavailable(f"the key set at {url} could not be fetched",
                                           url=url) from None
            return  # keep the copy; it may be used again after the interval
        entry.keys = keys
        entry.expires = now + cache_seconds(response.headers.get("Cache-Control"))


_sets_lock = threading.Lock()


def remote_key_sets(app: Any = None) -> RemoteKeySets:
    """The app's cache (the current app's by default), made on first use over
    :func:`hub.outbound.outbound_client`."""
    if app is None:
        from flask import current_app

        app = current_app
    cache = app.extensions.get("lti.remote_keys")
    if cache is None:
        with _sets_lock:
            cache = app.extensions.get("lti.remote_keys")
            if cache is None:
                cache = RemoteKeySets(outbound_client(app))
                app.extensions["lti.remote_keys"] = cache
    return cache  # type: ignore[no-any-return]
