"""What a development peer received, kept for tests (``GET /_received``), and its once-only
values (nonces, states, ``jti``): in memory, thread-safe, one peer per process is enough."""

from __future__ import annotations

import threading
import time
from typing import Any


class Ledger:
    """An append-only, thread-safe record of what a peer received, by kind (``launch``,
    ``score``, ``deep_link``...). Refusals are recorded too (kind ``<kind>_refused``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[dict[str, Any]] = []

    def record(self, kind: str, **item: Any) -> dict[str, Any]:
        """Append one entry and return it (with its ``kind`` and ``at`` time)."""
        entry = {"kind": kind, "at": time.time(), **item}
        with self._lock:
            self._items.append(entry)
        return entry

    def all(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every entry in order of arrival, or only those of ``kind``."""
        with self._lock:
            return [dict(i) for i in self._items if kind is None or i["kind"] == kind]

    def last(self, kind: str) -> dict[str, Any] | None:
        """The latest entry of ``kind``, or None."""
        found = self.all(kind)
        return found[-1] if found else None

    def clear(self) -> None:
        """Forget everything (between the steps of a test)."""
        with self._lock:
            self._items.clear()


class OnceSet:
    """Values accepted once within their lifetime (nonce, ``jti``, OIDC state): replay defence
    that the peers need to behave like strict real parties (LTI 1.3 §5.1.3, Security §5.1.1.1)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}

    def consume(self, value: str, lifetime: float = 3600.0) -> bool:
        """True the first time ``value`` is seen (and not expired), False on every replay."""
        now = time.time()
        with self._lock:
            for old in [v for v, until in self._seen.items() if until < now]:
                del self._seen[old]
            if value in self._seen:
                return False
            self._seen[value] = now + lifetime
            return True


class Pending:
    """Short-lived values keyed by an opaque id (OIDC state -> nonce, message hint -> launch),
    each taken once: a second take of the same key finds nothing."""

    def __init__(self, lifetime: float = 600.0) -> None:
        self._lock = threading.Lock()
        self._lifetime = lifetime
        self._items: dict[str, tuple[float, Any]] = {}

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` for the lifetime."""
        with self._lock:
            self._items[key] = (time.time() + self._lifetime, value)

    def take(self, key: str) -> Any | None:
        """The value and forget it; None when unknown, taken or expired."""
        with self._lock:
            until, value = self._items.pop(key, (0.0, None))
        return value if until >= time.time() else None

    def peek(self, key: str) -> Any | None:
        """The value without taking it; None when unknown or expired."""
        with self._lock:
            until, value = self._items.get(key, (0.0, None))
        return value if until >= time.time() else None
