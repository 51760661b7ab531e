"""MongoDB repositories of capacity-building plans (:mod:`storage.ports.plans`).

``department_learners`` (``_id`` = ``"<org_id>|<learner_id>"``, so the pair is unique) and
``plans`` (``_id`` = plan id); a plan is replaced with one conditional ``replace_one`` on its
``row_version``, atomic on one document.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo.database import Database

from storage.errors import ConcurrentUpdate
from storage.mongodb.errors import translate_errors
from storage.ports import Document

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """Listings go by organisation: learners by id (also within one designation or
    position, the filters of ``page``), plans oldest first."""
    db.department_learners.create_index([("org_id", 1), ("learner_id", 1)], name="org_learner")
    for field in ("designation", "position"):
        db.department_learners.create_index([("org_id", 1), (field, 1), ("learner_id", 1)],
                                            name=f"org_{field}_learner")
    db.plans.create_index([("org_id", 1), ("created_at", 1)], name="org_created")


def _learner_key(org_id: str, learner_id: str) -> str:
    return f"{org_id}|{learner_id}"


class MongoDepartmentLearnerRepository:
    """A department's learner directory on one collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.learners = db.department_learners

    @translate_errors
    def put(self, learner: Document) -> bool:
        """One upsert; True when it inserted."""
        key = _learner_key(learner["org_id"], learner["learner_id"])
        result = self.learners.replace_one({"_id": key}, {"_id": key, **learner}, upsert=True)
        return result.upserted_id is not None

    @translate_errors
    def get(self, org_id: str, learner_id: str) -> Document | None:
        """One learner, or None."""
        return self.learners.find_one({"_id": _learner_key(org_id, learner_id)}, NO_ID)

    @translate_errors
    def list(self, org_id: str) -> builtins.list[Document]:
        """By learner id."""
        return list(self.learners.find({"org_id": org_id}, NO_ID).sort("learner_id", 1))

    @translate_errors
    def delete(self, org_id: str, learner_id: str) -> bool:
        """Remove one learner."""
        key = _learner_key(org_id, learner_id)
        return self.learners.delete_one({"_id": key}).deleted_count == 1

    @translate_errors
    def page(self, org_id: str, limit: int, after: str | None = None, *,
             designation: str | None = None, position: str | None = None,
             ) -> builtins.list[Document]:
        """Keyset page by learner id on the ``org_*_learner`` indexes."""
        query: dict[str, Any] = {"org_id": org_id}
        if designation is not None:
            query["designation"] = designation
        if position is not None:
            query["position"] = position
        if after is not None:
            query["learner_id"] = {"$gt": after}
        return list(self.learners.find(query, NO_ID).sort("learner_id", 1).limit(limit))

    @translate_errors
    def put_many(self, learners: Iterable[Document]) -> int:
        """One ordered bulk of upserts (the last document of a repeated key wins)."""
        latest: dict[str, Document] = {}
        for learner in learners:
            latest[_learner_key(learner["org_id"], learner["learner_id"])] = learner
        if not latest:
            return 0
        result = self.learners.bulk_write(
            [pymongo.ReplaceOne({"_id": key}, {"_id": key, **doc}, upsert=True)
             for key, doc in latest.items()])
        return result.upserted_count


class MongoPlanRepository:
    """Plans on one collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.plans = db.plans

    @translate_errors
    def add(self, plan: Document) -> None:
        """Insert with ``row_version`` 1 (``DuplicateKey`` when the id exists)."""
        self.plans.insert_one({"_id": plan["id"], **plan, "row_version": 1})

    @translate_errors
    def get(self, plan_id: str) -> Document | None:
        """One plan, or None."""
        return self.plans.find_one({"_id": plan_id}, NO_ID)

    @translate_errors
    def list(self, org_id: str, state: str | None = None) -> builtins.list[Document]:
        """Oldest first."""
        query: dict[str, Any] = {"org_id": org_id}
        if state is not None:
            query["state"] = state
        return list(self.plans.find(query, NO_ID).sort([("created_at", 1), ("_id", 1)]))

    @translate_errors
    def replace(self, plan: Document, expected_row_version: int) -> Document:
        """One ``replace_one`` matching the expected ``row_version`` (the owner kept)."""
        stored = self.plans.find_one({"_id": plan["id"]}, {"org_id": 1})
        doc = {**plan, "row_version": expected_row_version + 1}
        if stored is not None:
            doc["org_id"] = stored["org_id"]
        result = self.plans.replace_one(
            {"_id": plan["id"], "row_version": expected_row_version}, {"_id": plan["id"], **doc})
        if result.matched_count != 1:
            raise ConcurrentUpdate(f"plan {plan['id']} changed (or is absent)")
        return doc


def attach(store: MongoStore) -> None:
    """``store.department_learners`` and ``store.plans``."""
    store.department_learners = MongoDepartmentLearnerRepository(store.db)
    store.plans = MongoPlanRepository(store.db)
