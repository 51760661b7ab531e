"""The port of the hub's LTI signing keys and of once-only values (nonces, states, ``jti``s).

Both serve every part of the LTI hub: the keys sign what the hub sends (id_tokens, client
assertions, Deep Linking responses; published at its JWKS URL), and :class:`OnceRepository`
makes a value usable once across every thread and process of the hub (OpenID Connect Core §3.1.2.1
``nonce``, RFC 7523 §3 ``jti``, the OIDC ``state`` of a login).
"""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class SigningKeyRepository(Protocol):
    """``store.lti_keys``: the hub's RSA signing keys, current and retired.

    A key: ``{"kid", "alg", "generation": int, "public_jwk": {...}, "private_sealed": str,
    "created_at", "active_from", "retired_at": str | None, "not_after": str | None}``.
    ``generation`` is unique: the key that follows generation ``n`` is inserted as ``n + 1``, so
    of two processes that create the first key (or rotate) at once, exactly one wins and the
    other reads the winner's.
    ``private_sealed`` is the private key sealed with :class:`hub.sealing.SecretBox`, never in
    clear. A key signs from ``active_from`` (it may be published ahead of it); a retired key stays
    listed (and published) until ``not_after``.
    """

    def add(self, key: Document) -> None:
        """Insert a key; ``DuplicateKey`` when its ``kid`` or its ``generation`` exists."""
        ...

    def list(self) -> builtins.list[Document]:
        """Every stored key, newest generation first."""
        ...

    def retire(self, kid: str, retired_at: str, not_after: str) -> bool:
        """Mark a current key retired (published until ``not_after``); False when absent or
        already retired (the first retirement's times stand)."""
        ...

    def purge(self, now: str) -> int:
        """Delete retired keys whose ``not_after`` is not after ``now``; returns how many."""
        ...


@runtime_checkable
class OnceRepository(Protocol):
    """``store.once``: values that may be used once, per ``scope`` (e.g. ``"lti.nonce"``)."""

    def consume(self, scope: str, value: str, expires_at: str) -> bool:
        """Record ``value`` as used until ``expires_at``: True the first time (atomic across
        threads and processes: of concurrent callers exactly one gets True), False while it is
        recorded and not expired. After ``expires_at`` it may be consumed again (by then the
        token that carried it is refused for its age)."""
        ...

    def purge(self, now: str) -> int:
        """Forget values whose ``expires_at`` is not after ``now``; returns how many."""
        ...
