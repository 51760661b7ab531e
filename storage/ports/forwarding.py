"""The port of xAPI statement forwarding: downstream LRS registrations and their durable outbox."""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class ForwardingRepository(Protocol):
    """``store.forwarding``: where an organisation's statements are forwarded (``xapi/forwarding``).

    A forwarder: ``{"id", "org_id", "url", "username", "password", "verbs": [...],
    "activity_prefixes": [...], "active": bool, "label", "created_at", "created_by", "sent": int,
    "failed": int, "attempts": int (consecutive failures), "last_error", "last_error_at",
    "last_sent_at", "next_attempt_at", "lease_owner", "lease_until"}``.

    Outbox entries: ``{"forwarder_id", "statement_id", "statement": {...}, "enqueued_at"}``; the
    repository assigns ``seq`` (ascending in enqueue order per forwarder). A dead letter is an
    entry the downstream refused for good: kept with its ``error``, never pending again.
    """

    def add(self, forwarder: Document) -> None: ...
    def get(self, forwarder_id: str) -> Document | None: ...
    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Forwarders of one organisation (all when None), oldest first."""
        ...

    def active_for_org(self, org_id: str) -> builtins.list[Document]:
        """The active forwarders of an organisation (read on every ingested batch: indexed)."""
        ...

    def update(self, forwarder_id: str, changes: Document,
               inc: dict[str, int] | None = None) -> bool:
        """Set ``changes`` and add ``inc`` to counters in one write; False when absent."""
        ...

    def enqueue(self, entries: builtins.list[Document]) -> None:
        """Append outbox entries. On SQLite it joins the caller's open transaction (the one
        that stores the statements), so both commit or neither."""
        ...

    def pending(self, forwarder_id: str, limit: int) -> builtins.list[Document]:
        """The oldest ``limit`` live (not dead) entries of a forwarder, each with its ``seq``."""
        ...

    def remove(self, forwarder_id: str, seqs: builtins.list[int]) -> int:
        """Delete delivered entries; returns how many were deleted."""
        ...

    def bury(self, forwarder_id: str, seq: int, error: str) -> None:
        """Make an entry a dead letter with the downstream's error."""
        ...

    def counts(self, forwarder_id: str) -> tuple[int, int]:
        """(pending entries, dead letters) of a forwarder."""
        ...

    def due(self, now: str) -> builtins.list[str]:
        """Ids of active forwarders with pending entries whose ``next_attempt_at`` is unset or
        not after ``now``."""
        ...

    def lease(self, forwarder_id: str, owner: str, now: str, until: str) -> bool:
        """Compare-and-set: take the forwarder for ``owner`` until ``until`` when nobody holds
        it or the holder's lease ended before ``now``. True when taken."""
        ...

    def release(self, forwarder_id: str, owner: str) -> None:
        """Give the lease back (only when ``owner`` still holds it)."""
        ...

    def revive(self, forwarder_id: str) -> int:
        """Make every dead letter pending again (after the downstream was fixed); returns
        how many."""
        ...

    def delete(self, forwarder_id: str) -> bool:
        """Remove a forwarder and its whole outbox; False when absent."""
        ...
