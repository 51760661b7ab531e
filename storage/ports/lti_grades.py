"""The port of the tool side's LTI Advantage services: what an LMS's launch offered (AGS line
items, NRPS roster) and the outbox of scores the hub passes back to LMSes, each sent once."""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class GradeRepository(Protocol):
    """``store.lti_grades``: pass-back targets, launch contexts and the score outbox
    (``lti/tool_services``, ``lti/score_sender``).

    A target (one per learner and resource link of a platform registration, refreshed by every
    launch): ``{"id", "org_id", "registration_id", "deployment_id", "issuer", "client_id",
    "learner_id", "sub", "activity_id", "course_id", "resource_link_id", "context_id",
    "lineitems", "lineitem", "scopes": [...], "updated_at"}``. ``lineitem`` is set when the
    launch named one, or once the hub found or created it (AGS 2.0 §3.2).

    A context (one per platform registration and LTI context): ``{"registration_id",
    "context_id", "org_id", "title", "memberships_url", "service_versions": [...],
    "updated_at"}`` (NRPS 2.0 §3.6.1).

    An outbox entry: ``{"key", "org_id", "target_id", "statement_id", "score": {...},
    "status": "pending" | "sent" | "dead", "attempts", "next_attempt_at", "last_error",
    "created_at", "sent_at", "lease_owner", "lease_until"}``; ``key`` is unique, so the same
    completion enqueued twice is sent once.
    """

    def remember(self, target: Document) -> None:
        """Insert the target, or replace the one with its ``id``."""
        ...

    def get_target(self, target_id: str) -> Document | None: ...

    def targets(self, org_id: str, learner_id: str, activity_id: str) -> builtins.list[Document]:
        """The targets of a learner and a course activity in one organisation (read for each
        completion statement: indexed), oldest first."""
        ...

    def update_target(self, target_id: str, changes: Document) -> bool:
        """Set fields of a target; False when absent."""
        ...

    def remember_context(self, context: Document) -> None:
        """Insert or replace the context of ``(registration_id, context_id)``."""
        ...

    def get_context(self, registration_id: str, context_id: str) -> Document | None: ...

    def enqueue(self, entries: builtins.list[Document]) -> int:
        """Add outbox entries, skipping any whose ``key`` is already there; returns how many
        were added. On SQLite it joins the caller's open transaction (the one that stores the
        statements), so both commit or neither."""
        ...

    def get_entry(self, key: str) -> Document | None: ...

    def claim(self, owner: str, now: str, until: str, limit: int) -> builtins.list[Document]:
        """Lease up to ``limit`` pending entries whose ``next_attempt_at`` is unset or not after
        ``now`` and whose lease is free or ended before ``now``, to ``owner`` until ``until``;
        returns them, oldest first. Each entry is taken by one claimer only."""
        ...

    def settle(self, key: str, owner: str, changes: Document) -> bool:
        """Set ``changes`` (status, attempts, next_attempt_at, last_error, sent_at) and free
        the lease, when ``owner`` still holds it; False otherwise."""
        ...

    def entries(self, org_id: str | None = None,
                status: str | None = None) -> builtins.list[Document]:
        """Outbox entries of one organisation (all when None), optionally of one status,
        oldest first."""
        ...
