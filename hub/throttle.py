"""Throttling of failed authentication, per credential key and per client address.

Only *failures* count: each wrong secret (or unknown key) is one hit on the key's limit and one
on the client address's limit (``HUB_AUTH_FAILURES_PER_KEY``, ``HUB_AUTH_FAILURES_PER_ADDRESS``,
in the ``limits`` notation ``"10/minute"``). Once either limit is spent, every request naming
that key or coming from that address answers 429 with ``Retry-After`` until the moving window
frees a slot, *even with the right secret*: answering 200 to a locked-out key would let a guesser
go on and recognise the right secret among the 429s.

xAPI 1.0.3 Communication §3.2 (3.2.s3.b13) names 429 for requests refused "due to too many
requests being received by a particular Client or set of credentials"; §3.2.s3.b17 asks that an
LRS be configurable to accept any reasonable rate: a good credential is never counted, and
``off`` disables either limit.

The cost for a good credential is nil in the common case: until some request of this process has
failed within the longest window, :meth:`AuthThrottle.check` returns without looking anything
up; after a failure, it is two in-memory look-ups (the key's window and the address's), no
store writes and no locks taken. The windows live in the ``limits`` library's memory storage, so
they are per process: with N gunicorn workers a guesser gets up to N times the limit, which
still turns 100 guesses in 0.1 s into a handful per minute.
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from hub.errors import TooManyRequests

#: A real key is ``k_`` + 24 hex digits; a longer one is a guess, and its window needs no more.
KEY_CHARS = 64

#: The setting's value that turns a limit off.
OFF = "off"


def parse_limit(name: str, value: str) -> RateLimitItem | None:
    """A limit setting as ``limits`` parses it (``"10/minute"``), or None for ``off``; a value
    it cannot parse stops the hub at start-up naming the setting."""
    if value.strip().lower() == OFF:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a rate like '10/minute' or 'off'") from exc


class AuthThrottle:
    """Moving windows of failed authentications, one per key and one per client address."""

    def __init__(self, per_key: RateLimitItem | None, per_address: RateLimitItem | None) -> None:
        self.per_key = per_key
        self.per_address = per_address
        # A moving window: a burst at the edge of two fixed windows cannot double the rate.
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.longest = max((item.get_expiry() for item in (per_key, per_address) if item),
                           default=0)
        #: time.monotonic() until which some failure of this process may still be in a window.
        self._failures_until = 0.0

    def _windows(self, key: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        pairs = [(self.per_key, "key", key[:KEY_CHARS]), (self.per_address, "address", address)]
        return [(item, kind, who) for item, kind, who in pairs if item is not None]

    def check(self, key: str, address: str) -> None:
        """429 (``TooManyRequests`` with ``Retry-After``) when the key or the address has used
        up its failures; called before the secret is checked."""
        if time.monotonic() >= self._failures_until:
            return  # no failure in any window: the common path touches nothing
        for item, kind, who in self._windows(key, address):
            if not self.limiter.test(item, kind, who):
                reset = self.limiter.get_window_stats(item, kind, who).reset_time
                retry_after = max(1, math.ceil(reset - time.time()))
                raise TooManyRequests(
                    f"too many failed authentications for this {kind}; retry in "
                    f"{retry_after} s", headers={"Retry-After": str(retry_after)},
                    retry_after=retry_after,
                )

    def failed(self, key: str, address: str) -> None:
        """Count one failed authentication against the key and the address."""
        self._failures_until = time.monotonic() + self.longest
        for item, kind, who in self._windows(key, address):
            self.limiter.hit(item, kind, who)


def init_app(app: Flask, config: Any) -> None:
    """Build the process's throttle from the settings (a bad value fails here, at start-up)."""
    app.extensions["hub.throttle"] = AuthThrottle(
        parse_limit("HUB_AUTH_FAILURES_PER_KEY", config.auth_failures_per_key),
        parse_limit("HUB_AUTH_FAILURES_PER_ADDRESS", config.auth_failures_per_address),
    )
