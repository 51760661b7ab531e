"""MongoDB repository of the competency passbook (:class:`storage.ports.passbook.
PassbookRepository`).

``passbook_completions`` (``_id`` = ``org_id`` + statement id) and ``passbook_evidence``
(``_id`` = the de-duplication key ``(org_id, learner_id, competency, source)`` as one
sub-document). Evidence carries ``counts`` (proven and not withheld), so ``holders`` is one
range of the ``holders`` index ``(competency, counts, org_id, learner_id, level)`` and a
learner's rows one range of ``learner``. Without multi-document transactions a ``record`` is
one bulk write per collection: each row's replacement is atomic on its own, and a crash
between rows is repaired by ``hub passbook rebuild`` (the LRS is the source of truth).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.passbook import PROVEN_KINDS, strength

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0, "counts": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes of talent search, a learner's passbook and the review list."""
    db.passbook_evidence.create_index(
        [("competency", 1), ("counts", 1), ("org_id", 1), ("learner_id", 1), ("level", 1)],
        name="holders")
    db.passbook_evidence.create_index(
        [("org_id", 1), ("learner_id", 1), ("competency", 1), ("source", 1)], name="learner")
    db.passbook_evidence.create_index([("org_id", 1), ("statement_id", 1)], name="statement")
    db.passbook_completions.create_index(
        [("org_id", 1), ("flagged", 1), ("accepted_flag", 1), ("statement_id", 1)],
        name="flagged")


def _key(row: Document) -> dict[str, str]:
    return {"o": row["org_id"], "l": row["learner_id"], "c": row["competency"],
            "s": row["source"]}


def _counts(row: Document) -> bool:
    return row.get("kind") in PROVEN_KINDS and not row.get("withheld")


class MongoPassbookRepository:
    """Completions and evidence on two collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.completions = db.passbook_completions
        self.rows = db.passbook_evidence

    @translate_errors
    def record(self, completions: Iterable[Document], evidence: Iterable[Document]) -> None:
        """Replace completions; keep the stronger evidence row per source."""
        writes = [pymongo.ReplaceOne(
            {"_id": {"o": c["org_id"], "s": c["statement_id"]}},
            {**c, "accepted_flag": c.get("accepted") is not None}, upsert=True)
            for c in completions]
        if writes:
            self.completions.bulk_write(writes, ordered=False)
        merged: dict[tuple[str, ...], Document] = {}
        for row in evidence:
            key = tuple(_key(row).values())
            if key not in merged or strength(row) < strength(merged[key]):
                merged[key] = dict(row)
        if not merged:
            return
        old = {tuple(d["_id"].values()): d for d in self.rows.find(
            {"_id": {"$in": [_key(r) for r in merged.values()]}})}
        updates = [pymongo.ReplaceOne({"_id": _key(row)}, {**row, "counts": _counts(row)},
                                      upsert=True)
                   for key, row in merged.items()
                   if key not in old or strength(row) < strength(old[key])]
        if updates:
            self.rows.bulk_write(updates, ordered=False)

    @translate_errors
    def accept(self, org_id: str, statement_id: str, accepted: Document) -> bool:
        """Accept a pending flagged completion (one conditional update), then release the
        evidence it earned."""
        doc = self.completions.find_one_and_update(
            {"_id": {"o": org_id, "s": statement_id}, "flagged": True, "accepted_flag": False},
            {"$set": {"accepted": dict(accepted), "accepted_flag": True}})
        if doc is None:
            return False
        query = {"org_id": org_id, "learner_id": doc["learner_id"],
                 "statement_id": statement_id}
        for row in self.rows.find(query, {"_id": 1, "kind": 1}):
            self.rows.update_one({"_id": row["_id"]}, {"$set": {
                "withheld": False, "counts": row.get("kind") in PROVEN_KINDS}})
        return True

    @translate_errors
    def forget(self, org_id: str, statement_id: str) -> builtins.list[Document]:
        """Delete a voided statement's rows (index ``statement``)."""
        dropped: builtins.list[Document] = []
        done = self.completions.find_one_and_delete({"_id": {"o": org_id, "s": statement_id}},
                                                    {"_id": 0, "accepted_flag": 0})
        if done is not None:
            dropped.append(done)
        query = {"org_id": org_id, "statement_id": statement_id}
        dropped += list(self.rows.find(query, NO_ID).sort([("competency", 1), ("source", 1)]))
        self.rows.delete_many(query)
        return dropped

    @translate_errors
    def completion(self, org_id: str, statement_id: str) -> Document | None:
        """One completion row, or None."""
        return self.completions.find_one({"_id": {"o": org_id, "s": statement_id}},
                                         {"_id": 0, "accepted_flag": 0})

    @translate_errors
    def flagged(self, org_id: str, pending_only: bool = True, after: str | None = None,
                limit: int = 100) -> builtins.list[Document]:
        """Flagged completions by statement id (index ``flagged``)."""
        query: dict[str, Any] = {"org_id": org_id, "flagged": True}
        if pending_only:
            query["accepted_flag"] = False
        if after is not None:
            query["statement_id"] = {"$gt": after}
        cursor = self.completions.find(query, {"_id": 0, "accepted_flag": 0})
        return list(cursor.sort("statement_id", 1).limit(limit))

    @translate_errors
    def evidence(self, org_id: str, learner_id: str) -> builtins.list[Document]:
        """A learner's evidence rows, by competency then source (index ``learner``)."""
        cursor = self.rows.find({"org_id": org_id, "learner_id": learner_id}, NO_ID)
        return list(cursor.sort([("competency", 1), ("source", 1)]))

    @translate_errors
    def holders(self, org_id: str | None, competency: str, min_level: int,
                after: tuple[str, str] | None = None, limit: int = 100
                ) -> builtins.list[Document]:
        """Holders at ``min_level`` or above (index ``holders``, then a group per learner)."""
        match: dict[str, Any] = {"competency": competency, "counts": True,
                                 "level": {"$gte": min_level}}
        if org_id is not None:
            match["org_id"] = org_id
        if after is not None:
            match["$or"] = [{"org_id": {"$gt": after[0]}},
                            {"org_id": after[0], "learner_id": {"$gt": after[1]}}]
        pipeline: list[dict[str, Any]] = [
            {"$match": match},
            {"$group": {"_id": {"o": "$org_id", "l": "$learner_id"},
                        "level": {"$max": "$level"}}},
            {"$sort": {"_id.o": 1, "_id.l": 1}},
            {"$limit": limit},
        ]
        return [{"org_id": r["_id"]["o"], "learner_id": r["_id"]["l"], "level": r["level"]}
                for r in self.rows.aggregate(pipeline)]

    @translate_errors
    def held_levels(self, org_id: str, learner_ids: Iterable[str] | None = None
                    ) -> dict[str, dict[str, int]]:
        """Best counted level per learner and competency (index ``learner``)."""
        query: dict[str, Any] = {"org_id": org_id, "counts": True}
        if learner_ids is not None:
            query["learner_id"] = {"$in": list(dict.fromkeys(learner_ids))}
        held: dict[str, dict[str, int]] = {}
        for row in self.rows.find(query, {"_id": 0, "learner_id": 1, "competency": 1,
                                          "level": 1}):
            levels = held.setdefault(row["learner_id"], {})
            levels[row["competency"]] = max(levels.get(row["competency"], 0), row["level"])
        return held

    @translate_errors
    def clear(self, org_id: str | None = None) -> None:
        """Drop one organisation's rows (every row when None)."""
        query = {} if org_id is None else {"org_id": org_id}
        self.completions.delete_many(query)
        self.rows.delete_many(query)


def attach(store: MongoStore) -> None:
    """``store.passbook``."""
    store.passbook = MongoPassbookRepository(store.db)
