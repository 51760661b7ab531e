"""MongoDB repository of competency-suggestion decisions
(:class:`storage.ports.frac_suggestions.SuggestionDecisionRepository`).

``frac_suggestion_decisions`` holds one document per (course, competency), kept unique by an
index; ``replace_one(..., upsert=True)`` makes a later decision replace an earlier one in one
single-document write.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports import Document

NO_ID = {"_id": 0}

if TYPE_CHECKING:
    from storage.mongodb import MongoStore


def ensure_indexes(db: Database[Any]) -> None:
    """The unique (course, competency) key, which also serves a course's list."""
    db.frac_suggestion_decisions.create_index([("course", 1), ("competency", 1)],
                                              name="course_competency", unique=True)


class MongoSuggestionDecisionRepository:
    """Decisions on one collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.decisions = db.frac_suggestion_decisions

    @translate_errors
    def record(self, decision: Document) -> None:
        """Upsert the decision of (course, competency)."""
        self.decisions.replace_one(
            {"course": decision["course"], "competency": decision["competency"]},
            dict(decision), upsert=True)

    @translate_errors
    def get(self, course_id: str, competency_id: str) -> Document | None:
        """One decision, or None."""
        return self.decisions.find_one({"course": course_id, "competency": competency_id},
                                       NO_ID)

    @translate_errors
    def list_for_course(self, course_id: str) -> builtins.list[Document]:
        """A course's decisions, oldest first."""
        return list(self.decisions.find({"course": course_id}, NO_ID)
                    .sort([("at", 1), ("competency", 1)]))


def attach(store: MongoStore) -> None:
    """``store.frac_suggestions``."""
    store.frac_suggestions = MongoSuggestionDecisionRepository(store.db)
