"""The port of the platform side's LTI Advantage services: what the hub, as a platform, keeps
for the tools it launches (AGS 2.0, NRPS 2.0) and the access tokens it grants them.

Everything is scoped to one tool registration: a tool sees only the contexts it was launched
in, their members, line items and results (AGS §3.2: the line items container belongs to the
context *and* the tool).
"""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class PlatformContextRepository(Protocol):
    """``store.lti_contexts``: contexts, memberships, line items, results and access tokens.

    - A context (LTI 1.3 §5.4.1): ``{"tool_id", "context_id", "org_id" (whose learners and
      LRS), "course_id", "title", "created_at"}``; unique (tool_id, context_id).
    - A member (NRPS §2.1): ``{"tool_id", "context_id", "user_id" (the hub learner id, the
      id_token's ``sub``), "roles": [...], "agent", "registration" (xAPI registration of the
      latest launch), "name"?, "email"?, "status", "updated_at"}``; unique
      (tool_id, context_id, user_id).
    - A line item (AGS §3.2): ``{"id", "tool_id", "context_id", "org_id", "course_id",
      "label", "score_maximum", "resource_link_id"?, "resource_id"?, "tag"?,
      "start_date_time"?, "end_date_time"?, "grades_released"?, "created_at", "updated_at"}``;
      ``id`` unique.
    - A result (AGS §3.4/§3.5): the latest score of one user on one line item:
      ``{"line_item_id", "user_id", "timestamp" (stored timestamp format), "score_given"?,
      "score_maximum"?, "comment"?, "activity_progress", "grading_progress", "updated_at"}``;
      unique (line_item_id, user_id).
    - An access token (RFC 6749 §4.4): ``{"token_hash", "tool_id", "client_id", "scopes": [...],
      "expires_at", "created_at"}``; only the hash of the token is ever stored.
    """

    # -- contexts and members ------------------------------------------------------------

    def ensure_context(self, context: Document) -> Document:
        """Insert the context unless (tool_id, context_id) exists; the stored one either way
        (two first launches racing make one context)."""
        ...

    def get_context(self, tool_id: str, context_id: str) -> Document | None:
        """One context of a tool, or None."""
        ...

    def put_member(self, member: Document) -> None:
        """Insert or replace the member (tool_id, context_id, user_id) in one write."""
        ...

    def get_member(self, tool_id: str, context_id: str, user_id: str) -> Document | None:
        """One member, or None."""
        ...

    def members(self, tool_id: str, context_id: str, *, role: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """Members of a context ordered by ``user_id``, those after ``after`` (a page cursor),
        at most ``limit``; with ``role`` only those holding it."""
        ...

    # -- line items and results ----------------------------------------------------------

    def add_line_item(self, item: Document) -> None:
        """Insert; ``DuplicateKey`` when the id exists."""
        ...

    def get_line_item(self, tool_id: str, context_id: str, item_id: str) -> Document | None:
        """One line item of a tool's context, or None (another tool's or context's: None)."""
        ...

    def line_items(self, tool_id: str, context_id: str, *, resource_link_id: str | None = None,
                   resource_id: str | None = None, tag: str | None = None,
                   after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """Line items of a context ordered by ``id``, after ``after``, at most ``limit``,
        filtered by each given field (AGS §3.2.6)."""
        ...

    def update_line_item(self, tool_id: str, context_id: str, item_id: str,
                         changes: Document) -> Document | None:
        """Set ``changes`` in one write (never the ids or the owner); the updated item, or
        None when absent."""
        ...

    def delete_line_item(self, tool_id: str, context_id: str, item_id: str) -> bool:
        """Remove a line item and its results; False when absent."""
        ...

    def put_result(self, result: Document) -> bool:
        """Store the score as the user's result unless the stored one's ``timestamp`` is the
        same or later (AGS §3.4.4: a platform must not update a result with an older score);
        True when stored. Compare-and-set: of two racing scores the later one wins."""
        ...

    def results(self, line_item_id: str, *, user_id: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """Results of a line item ordered by ``user_id``, after ``after``, at most ``limit``;
        with ``user_id`` only that user's."""
        ...

    # -- access tokens -------------------------------------------------------------------

    def add_token(self, token: Document) -> None:
        """Insert a granted token (its hash); ``DuplicateKey`` when the hash exists."""
        ...

    def get_token(self, token_hash: str) -> Document | None:
        """The token with this hash, expired or not, or None."""
        ...

    def purge_tokens(self, now: str) -> int:
        """Delete tokens that expired before ``now``; returns how many."""
        ...
