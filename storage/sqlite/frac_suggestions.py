"""SQLite repository of competency-suggestion decisions
(:class:`storage.ports.frac_suggestions.SuggestionDecisionRepository`).

One row per (course, competency): the primary key is the lookup, and ``INSERT OR REPLACE``
makes a later decision replace an earlier one in one statement.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS frac_suggestion_decisions (
        course TEXT NOT NULL, competency TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (course, competency))""",
)


class SqliteSuggestionDecisionRepository:
    """Decisions in ``frac_suggestion_decisions``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def record(self, decision: Document) -> None:
        """Insert or replace the decision of (course, competency)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO frac_suggestion_decisions VALUES (?, ?, ?, ?)",
                (decision["course"], decision["competency"], decision["at"], dumps(decision)))

    def get(self, course_id: str, competency_id: str) -> Document | None:
        """One decision, or None."""
        rows = self.store.query(
            "SELECT doc FROM frac_suggestion_decisions WHERE course = ? AND competency = ?",
            (course_id, competency_id))
        return loads(rows[0][0]) if rows else None

    def list_for_course(self, course_id: str) -> builtins.list[Document]:
        """A course's decisions, oldest first (the primary key's prefix finds them)."""
        rows = self.store.query(
            "SELECT doc FROM frac_suggestion_decisions WHERE course = ? "
            "ORDER BY at, competency", (course_id,))
        return [loads(r[0]) for r in rows]


def attach(store: SqliteStore) -> None:
    """``store.frac_suggestions``."""
    store.frac_suggestions = SqliteSuggestionDecisionRepository(store)
