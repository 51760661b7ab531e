"""MongoDB repository of the cmi5 runtime (:mod:`storage.ports.cmi5`).

Sessions live in ``cmi5_sessions`` (``_id`` = the token key, a unique index on ``fetch_hash``);
claiming the fetch is one ``find_one_and_update`` matching only an unused, unexpired session, so
exactly one of racing fetches wins. Registrations live in ``cmi5_registrations`` (``_id`` =
organisation, learner and course): an upsert with ``$setOnInsert`` keeps the first value.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.mongodb.counters import reserve
from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """A unique fetch hash; sessions by registration in insertion order."""
    db.cmi5_sessions.create_index("fetch_hash", name="fetch_hash", unique=True)
    db.cmi5_sessions.create_index([("org_id", ASCENDING), ("registration", ASCENDING),
                                   ("seq", ASCENDING)], name="registration")


class MongoCmi5Repository:
    """Content sessions and registrations."""

    def __init__(self, db: Database[Any]) -> None:
        self.sessions_ = db.cmi5_sessions
        self.registrations = db.cmi5_registrations
        self.db = db

    @translate_errors
    def add_session(self, session: Document) -> None:
        """Insert (``DuplicateKey`` on the key or the fetch hash); ``seq`` orders sessions."""
        seq = reserve(self.db, "cmi5_sessions", 1)
        self.sessions_.insert_one({"_id": session["key"], "seq": seq, "secret_hash": None,
                                   **session})

    @staticmethod
    def _shown(doc: Document | None) -> Document | None:
        if doc is None:
            return None
        doc.pop("seq", None)
        doc.pop("_id", None)
        return doc

    @translate_errors
    def claim_fetch(self, fetch_hash: str, secret_hash: str, now: str) -> Document | None:
        """One conditional ``find_one_and_update``."""
        return self._shown(self.sessions_.find_one_and_update(
            {"fetch_hash": fetch_hash, "secret_hash": None, "expires_at": {"$gt": now}},
            {"$set": {"secret_hash": secret_hash, "fetched_at": now}},
            return_document=ReturnDocument.AFTER))  # (mongomock drops a projected result)

    @translate_errors
    def get_by_fetch(self, fetch_hash: str) -> Document | None:
        """The session of a fetch hash."""
        return self._shown(self.sessions_.find_one({"fetch_hash": fetch_hash}, NO_ID))

    @translate_errors
    def get_session(self, key: str) -> Document | None:
        """The session of a token key."""
        return self._shown(self.sessions_.find_one({"_id": key}, NO_ID))

    @translate_errors
    def sessions(self, org_id: str, registration: str) -> builtins.list[Document]:
        """Sessions of a registration, oldest first (index ``registration``)."""
        found = self.sessions_.find({"org_id": org_id, "registration": registration},
                                    NO_ID).sort("seq", ASCENDING)
        return [doc for doc in (self._shown(d) for d in found) if doc is not None]

    @translate_errors
    def session_by_id(self, org_id: str, session_id: str) -> Document | None:
        """The session of a cmi5 session id."""
        return self._shown(self.sessions_.find_one({"org_id": org_id, "session_id": session_id},
                                                   NO_ID))

    @translate_errors
    def stale_sessions(self, created_before: str, limit: int) -> builtins.list[Document]:
        """Open sessions created before ``created_before``, oldest first."""
        found = self.sessions_.find({"created_at": {"$lt": created_before}, "closed_at": None},
                                    NO_ID).sort("seq", ASCENDING).limit(limit)
        return [doc for doc in (self._shown(d) for d in found) if doc is not None]

    @translate_errors
    def note_preferences_read(self, key: str, at: str) -> None:
        """One conditional ``update_one``: the first read's time stays."""
        self.sessions_.update_one({"_id": key, "preferences_read_at": None},
                                  {"$set": {"preferences_read_at": at}})

    @translate_errors
    def close_session(self, key: str, closed_at: str) -> bool:
        """One conditional ``update_one``."""
        done = self.sessions_.update_one({"_id": key, "closed_at": None},
                                         {"$set": {"closed_at": closed_at}})
        return done.modified_count == 1

    @translate_errors
    def registration(self, org_id: str, learner_id: str, course_id: str, new: str) -> str:
        """Upsert with ``$setOnInsert``: the first value stays."""
        doc_id = {"org": org_id, "learner": learner_id, "course": course_id}
        try:
            stored = self.registrations.find_one_and_update(
                {"_id": doc_id},
                {"$setOnInsert": {"registration": new, "created_at": utcnow()}},
                upsert=True, return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:  # a racing upsert inserted first: its value stands
            stored = self.registrations.find_one({"_id": doc_id})
        assert stored is not None  # inserted by the racing upsert, never deleted
        return str(stored["registration"])


def attach(store: MongoStore) -> None:
    """``store.cmi5``."""
    store.cmi5 = MongoCmi5Repository(store.db)
