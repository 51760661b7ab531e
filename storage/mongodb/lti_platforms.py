"""MongoDB repositories of the hub's tool side
(:mod:`storage.ports.lti_platforms`): platform registrations and learners.

``lti_platforms`` (``_id`` = registration id, unique index on ``(issuer, client_id)``) and
``lti_learners`` (unique index on ``(issuer, subject, org_id)``). A learner is resolved with
one upsert (``$setOnInsert`` of a fresh id), atomic on its own; a concurrent first upsert that
loses the unique-index race is retried once and then finds the winner's document.
"""

from __future__ import annotations

import builtins
import uuid
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo.database import Database

from storage.errors import DuplicateKey
from storage.mongodb.errors import translate_errors, translated
from storage.ports import Document
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
_ORDER = [("created_at", 1), ("_id", 1)]


def ensure_indexes(db: Database[Any]) -> None:
    """The unique keys of the port and the listing's order."""
    db.lti_platforms.create_index([("issuer", 1), ("client_id", 1)], name="issuer_client",
                                  unique=True)
    db.lti_platforms.create_index([("org_id", 1), ("created_at", 1)], name="org")
    db.lti_learners.create_index([("issuer", 1), ("subject", 1), ("org_id", 1)],
                                 name="subject", unique=True)
    db.lti_learners.create_index([("id", 1)], name="learner_id", unique=True)


class MongoPlatformRegistrationRepository:
    """Platform registrations in ``lti_platforms``."""

    def __init__(self, db: Database[Any]) -> None:
        self.platforms = db.lti_platforms

    @translate_errors
    def add(self, registration: Document) -> None:
        """Insert (``DuplicateKey`` when the id or ``(issuer, client_id)`` exists)."""
        self.platforms.insert_one({"_id": registration["id"], **registration})

    @translate_errors
    def get(self, registration_id: str) -> Document | None:
        """One registration, or None."""
        return self.platforms.find_one({"_id": registration_id}, NO_ID)

    @translate_errors
    def find(self, issuer: str, client_id: str) -> Document | None:
        """The registration of ``(issuer, client_id)``, or None."""
        return self.platforms.find_one({"issuer": issuer, "client_id": client_id}, NO_ID)

    @translate_errors
    def for_issuer(self, issuer: str) -> builtins.list[Document]:
        """Every registration of an issuer, oldest first."""
        return list(self.platforms.find({"issuer": issuer}, NO_ID).sort(_ORDER))

    @translate_errors
    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Registrations of one organisation (all when None), oldest first."""
        query = {} if org_id is None else {"org_id": org_id}
        return list(self.platforms.find(query, NO_ID).sort(_ORDER))

    @translate_errors
    def update(self, registration_id: str, changes: Document) -> bool:
        """One ``$set``; the unique index refuses a clash."""
        fields = {k: v for k, v in changes.items() if k != "id"}
        if not fields:
            return self.platforms.count_documents({"_id": registration_id}) == 1
        result = self.platforms.update_one({"_id": registration_id}, {"$set": fields})
        return result.matched_count == 1

    @translate_errors
    def delete(self, registration_id: str) -> bool:
        """Remove a registration; False when absent."""
        return self.platforms.delete_one({"_id": registration_id}).deleted_count == 1


class MongoLearnerRepository:
    """Learners in ``lti_learners``."""

    def __init__(self, db: Database[Any]) -> None:
        self.learners = db.lti_learners

    def resolve(self, issuer: str, subject: str, org_id: str, name: str | None = None,
                email: str | None = None) -> Document:
        """Upsert on the unique key; ``$setOnInsert`` gives the id only to a new learner."""
        given = {k: v for k, v in (("name", name), ("email", email)) if v is not None}
        update: dict[str, Any] = {"$setOnInsert": {
            "id": f"lrn_{uuid.uuid4().hex}", "created_at": utcnow()}}
        if given:
            update["$set"] = given
        key = {"issuer": issuer, "subject": subject, "org_id": org_id}
        for attempt in (1, 2):
            try:
                with translated():
                    doc = self.learners.find_one_and_update(
                        key, update, projection=NO_ID, upsert=True,
                        return_document=pymongo.ReturnDocument.AFTER)
                assert doc is not None  # an upsert returning AFTER always has the document
                return dict(doc)
            except DuplicateKey:
                # Two first launches raced on the unique index: the loser's retry matches
                # the winner's document (MongoDB manual, "Upsert with Unique Index").
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @translate_errors
    def get(self, learner_id: str) -> Document | None:
        """One learner, or None."""
        return self.learners.find_one({"id": learner_id}, NO_ID)


def attach(store: MongoStore) -> None:
    """``store.lti_platforms`` and ``store.learners``."""
    store.lti_platforms = MongoPlatformRegistrationRepository(store.db)
    store.learners = MongoLearnerRepository(store.db)
