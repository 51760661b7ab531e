"""MongoDB repository of the tool side's LTI services
(:class:`storage.ports.lti_grades.GradeRepository`).

Targets live in ``lti_grade_targets`` (``_id`` = target id), contexts in ``lti_tool_contexts``
(``_id`` = ``registration_id|context_id``), the outbox in ``lti_score_outbox`` (``_id`` = the
entry's key, so a second enqueue of the same completion is a duplicate key, skipped). ``seq``
comes from the ``counters`` collection; claiming is one compare-and-set ``update_one`` per
entry, so two senders never take the same entry.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.mongodb import counters
from storage.mongodb.errors import translate_errors
from storage.ports import Document

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
HIDDEN = {"_id": 0, "seq": 0, "created_seq": 0}
#: Counters that order targets and outbox entries.
TARGET_COUNTER = "lti_grade_targets_seq"
OUTBOX_COUNTER = "lti_score_outbox_seq"


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes matching the completion hook's lookup and the sender's claim."""
    db.lti_grade_targets.create_index(
        [("org_id", 1), ("learner_id", 1), ("activity_id", 1), ("created_seq", 1)],
        name="learner")
    db.lti_score_outbox.create_index([("status", 1), ("next_attempt_at", 1), ("seq", 1)],
                                     name="due")
    db.lti_score_outbox.create_index([("org_id", 1), ("seq", 1)], name="org")


class MongoGradeRepository:
    """Targets, contexts and the score outbox on three collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.targets_ = db.lti_grade_targets
        self.contexts = db.lti_tool_contexts
        self.outbox = db.lti_score_outbox

    @translate_errors
    def remember(self, target: Document) -> None:
        """Replace by id (upsert); a new target takes the next ``created_seq``."""
        found = self.targets_.find_one({"_id": target["id"]}, {"created_seq": 1})
        seq = found["created_seq"] if found else counters.reserve(self.db, TARGET_COUNTER, 1)
        self.targets_.replace_one({"_id": target["id"]},
                                  {**target, "_id": target["id"], "created_seq": seq},
                                  upsert=True)

    @translate_errors
    def get_target(self, target_id: str) -> Document | None:
        """One target, or None."""
        return self.targets_.find_one({"_id": target_id}, HIDDEN)

    @translate_errors
    def targets(self, org_id: str, learner_id: str, activity_id: str) -> builtins.list[Document]:
        """Index ``learner``."""
        cursor = self.targets_.find(
            {"org_id": org_id, "learner_id": learner_id, "activity_id": activity_id}, HIDDEN)
        return list(cursor.sort("created_seq", ASCENDING))

    @translate_errors
    def update_target(self, target_id: str, changes: Document) -> bool:
        """One ``$set``."""
        fields = {k: v for k, v in changes.items() if k != "id"}
        if not fields:
            return self.targets_.count_documents({"_id": target_id}) == 1
        return self.targets_.update_one({"_id": target_id},
                                        {"$set": fields}).matched_count == 1

    @translate_errors
    def remember_context(self, context: Document) -> None:
        """Replace by (registration, context) (upsert)."""
        key = f"{context['registration_id']}|{context['context_id']}"
        self.contexts.replace_one({"_id": key}, {**context, "_id": key}, upsert=True)

    @translate_errors
    def get_context(self, registration_id: str, context_id: str) -> Document | None:
        """One context, or None."""
        return self.contexts.find_one({"_id": f"{registration_id}|{context_id}"}, NO_ID)

    @translate_errors
    def enqueue(self, entries: builtins.list[Document]) -> int:
        """One insert per entry; a duplicate key (already enqueued) is skipped."""
        if not entries:
            return 0
        first = counters.reserve(self.db, OUTBOX_COUNTER, len(entries))
        added = 0
        for i, entry in enumerate(entries):
            doc = {"status": "pending", "next_attempt_at": None, **entry, "_id": entry["key"],
                   "seq": first + i, "lease_owner": None, "lease_until": None}
            try:
                self.outbox.insert_one(doc)
            except DuplicateKeyError:
                continue
            added += 1
        return added

    @translate_errors
    def get_entry(self, key: str) -> Document | None:
        """One entry, or None."""
        return self.outbox.find_one({"_id": key}, HIDDEN)

    @translate_errors
    def claim(self, owner: str, now: str, until: str, limit: int) -> builtins.list[Document]:
        """Candidates by index ``due``, each taken by a compare-and-set on its lease."""
        due = {"status": "pending",
               "$and": [{"$or": [{"next_attempt_at": None}, {"next_attempt_at": {"$lte": now}}]},
                        {"$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]}]}
        taken = []
        for candidate in self.outbox.find(due, {"_id": 1}).sort("seq", ASCENDING).limit(limit):
            result = self.outbox.update_one(
                {"_id": candidate["_id"], **due},
                {"$set": {"lease_owner": owner, "lease_until": until}})
            if result.modified_count == 1:
                taken.append(candidate["_id"])
        if not taken:
            return []
        docs = {d["key"]: d for d in self.outbox.find({"_id": {"$in": taken}}, HIDDEN)}
        return [docs[k] for k in taken if k in docs]

    @translate_errors
    def settle(self, key: str, owner: str, changes: Document) -> bool:
        """One ``update_one`` filtered on the lease holder."""
        fields = {k: v for k, v in changes.items() if k not in ("key", "_id")}
        result = self.outbox.update_one(
            {"_id": key, "lease_owner": owner},
            {"$set": {**fields, "lease_owner": None, "lease_until": None}})
        return result.matched_count == 1

    @translate_errors
    def entries(self, org_id: str | None = None,
                status: str | None = None) -> builtins.list[Document]:
        """Oldest first."""
        query: dict[str, Any] = {}
        if org_id is not None:
            query["org_id"] = org_id
        if status is not None:
            query["status"] = status
        return list(self.outbox.find(query, HIDDEN).sort("seq", ASCENDING))


def attach(store: MongoStore) -> None:
    """``store.lti_grades``."""
    store.lti_grades = MongoGradeRepository(store.db)
