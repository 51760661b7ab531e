"""The port of competency-suggestion decisions: what a reviewer accepted or rejected."""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class SuggestionDecisionRepository(Protocol):
    """``store.frac_suggestions``: one decision per (course, competency), the latest wins.

    A decision: ``{"course": course id, "competency": competency (sub-theme) id, "code",
    "org_id": the course's provider, "decision": "accept"|"reject", "level": 1..5 | None,
    "score": the model's score when decided | None, "framework", "version", "by": credential
    key, "at": timestamp}``.
    """

    def record(self, decision: Document) -> None:
        """Store ``decision``, replacing an earlier one for the same course and competency."""
        ...

    def get(self, course_id: str, competency_id: str) -> Document | None:
        """The decision on one competency of one course, or None."""
        ...

    def list_for_course(self, course_id: str) -> builtins.list[Document]:
        """Every decision on a course, oldest first (ties by competency id)."""
        ...
