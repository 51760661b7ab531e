"""MongoDB repository of statement forwarding
(:class:`storage.ports.forwarding.ForwardingRepository`).

Forwarders live in ``xapi_forwarders`` (``_id`` = forwarder id). The outbox is
``xapi_outbox``, one document per (forwarder, statement); ``seq`` comes from the ``counters``
collection (one ``$inc`` per enqueued batch reserves a range), so each downstream receives its
statements in enqueue order. Counters and the lease are single-document atomic updates
(``$inc``; ``update_one`` filtered on the lease), which is all the worker needs on a replica set.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo.database import Database

from storage.mongodb import counters
from storage.mongodb.errors import translate_errors
from storage.ports import Document

NO_ID = {"_id": 0}
#: The counter document that hands out outbox sequence numbers.
SEQ_COUNTER = "xapi_outbox_seq"

if TYPE_CHECKING:
    from storage.mongodb import MongoStore


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes matching the worker's and the ingest path's queries."""
    db.xapi_forwarders.create_index([("org_id", 1), ("active", 1), ("created_at", 1)],
                                    name="org_active")
    db.xapi_forwarders.create_index([("active", 1), ("next_attempt_at", 1)], name="due")
    db.xapi_outbox.create_index([("forwarder_id", 1), ("dead", 1), ("seq", 1)],
                                name="pending", unique=True)


class MongoForwardingRepository:
    """Forwarders and their outbox on two collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.forwarders = db.xapi_forwarders
        self.outbox = db.xapi_outbox

    @translate_errors
    def add(self, forwarder: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.forwarders.insert_one({"_id": forwarder["id"], **forwarder})

    @translate_errors
    def get(self, forwarder_id: str) -> Document | None:
        """One forwarder, or None."""
        return self.forwarders.find_one({"_id": forwarder_id}, NO_ID)

    @translate_errors
    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Forwarders of one organisation (all when None), oldest first."""
        query = {} if org_id is None else {"org_id": org_id}
        return list(self.forwarders.find(query, NO_ID).sort([("created_at", 1), ("_id", 1)]))

    @translate_errors
    def active_for_org(self, org_id: str) -> builtins.list[Document]:
        """Active forwarders of an organisation (index ``org_active``)."""
        cursor = self.forwarders.find({"org_id": org_id, "active": True}, NO_ID)
        return list(cursor.sort("created_at", 1))

    @translate_errors
    def update(self, forwarder_id: str, changes: Document,
               inc: dict[str, int] | None = None) -> bool:
        """``$set`` and ``$inc`` in one single-document write."""
        ops: dict[str, Any] = {}
        if changes:
            ops["$set"] = dict(changes)
        if inc:
            ops["$inc"] = dict(inc)
        if not ops:
            return self.forwarders.count_documents({"_id": forwarder_id}) == 1
        return self.forwarders.update_one({"_id": forwarder_id}, ops).matched_count == 1

    @translate_errors
    def enqueue(self, entries: builtins.list[Document]) -> None:
        """Reserve ``len(entries)`` sequence numbers with one ``$inc``, then insert them."""
        if not entries:
            return
        first = counters.reserve(self.db, SEQ_COUNTER, len(entries))
        self.outbox.insert_many(
            [{**e, "seq": first + i, "dead": False, "error": None}
             for i, e in enumerate(entries)], ordered=True)

    @translate_errors
    def pending(self, forwarder_id: str, limit: int) -> builtins.list[Document]:
        """Oldest live entries first (index ``pending``)."""
        cursor = self.outbox.find({"forwarder_id": forwarder_id, "dead": False},
                                  {"_id": 0, "dead": 0, "error": 0})
        return list(cursor.sort("seq", pymongo.ASCENDING).limit(limit))

    @translate_errors
    def remove(self, forwarder_id: str, seqs: builtins.list[int]) -> int:
        """Delete delivered entries."""
        if not seqs:
            return 0
        result = self.outbox.delete_many({"forwarder_id": forwarder_id, "seq": {"$in": seqs}})
        return int(result.deleted_count)

    @translate_errors
    def bury(self, forwarder_id: str, seq: int, error: str) -> None:
        """Make one entry a dead letter."""
        self.outbox.update_one({"forwarder_id": forwarder_id, "seq": seq},
                               {"$set": {"dead": True, "error": error}})

    @translate_errors
    def counts(self, forwarder_id: str) -> tuple[int, int]:
        """(pending, dead letters)."""
        pending = self.outbox.count_documents({"forwarder_id": forwarder_id, "dead": False})
        dead = self.outbox.count_documents({"forwarder_id": forwarder_id, "dead": True})
        return pending, dead

    @translate_errors
    def due(self, now: str) -> builtins.list[str]:
        """Active forwarders past their back-off with something to send."""
        query = {"active": True,
                 "$or": [{"next_attempt_at": None}, {"next_attempt_at": {"$lte": now}}]}
        ids = [d["_id"] for d in self.forwarders.find(query, {"_id": 1}).sort("created_at", 1)]
        return [fid for fid in ids
                if self.outbox.find_one({"forwarder_id": fid, "dead": False}, {"_id": 1})]

    @translate_errors
    def lease(self, forwarder_id: str, owner: str, now: str, until: str) -> bool:
        """Compare-and-set on the lease fields in one ``update_one``."""
        free = {"$or": [{"lease_until": None}, {"lease_until": {"$lt": now}},
                        {"lease_owner": owner}]}
        result = self.forwarders.update_one(
            {"_id": forwarder_id, **free},
            {"$set": {"lease_owner": owner, "lease_until": until}})
        return result.modified_count == 1 or result.matched_count == 1

    @translate_errors
    def release(self, forwarder_id: str, owner: str) -> None:
        """Drop the lease if ``owner`` still holds it."""
        self.forwarders.update_one({"_id": forwarder_id, "lease_owner": owner},
                                   {"$set": {"lease_owner": None, "lease_until": None}})

    @translate_errors
    def revive(self, forwarder_id: str) -> int:
        """Dead letters back to pending, keeping their ``seq``."""
        result = self.outbox.update_many({"forwarder_id": forwarder_id, "dead": True},
                                         {"$set": {"dead": False, "error": None}})
        return int(result.modified_count)

    @translate_errors
    def delete(self, forwarder_id: str) -> bool:
        """The forwarder first (so no worker picks it up again), then its outbox."""
        deleted = self.forwarders.delete_one({"_id": forwarder_id}).deleted_count == 1
        self.outbox.delete_many({"forwarder_id": forwarder_id})
        return deleted


def attach(store: MongoStore) -> None:
    """``store.forwarding``."""
    store.forwarding = MongoForwardingRepository(store.db)
