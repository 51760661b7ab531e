"""MongoDB repository of FRAC frameworks (:class:`storage.ports.frac.FracRepository`).

Collections: ``frac_frameworks`` and ``frac_nodes`` (``_id`` = the document's id),
``frac_versions`` (unique on (framework, number)); code sequences are named counters of the
``counters`` collection. A node's history is embedded in the node document (``_events``),
so that :meth:`~MongoFracRepository.replace_node` (the compare-and-set on ``revision`` and the
event it appends) is one single-document write, atomic on a replica set without
transactions. A batch of new nodes is not one document: :meth:`~MongoFracRepository.add_nodes`
checks ids and codes first, inserts, and deletes what it inserted when the insert fails.
"""

from __future__ import annotations

import builtins
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import PyMongoError

from storage.errors import DuplicateKey
from storage.mongodb import counters
from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.frac import (
    FRAMEWORK_FIXED,
    VERSION_BODY,
    check_batch,
    code_order,
    highest_codes,
)

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
#: Hidden fields of a stored node: its history and the batch that inserted it.
NODE_FIELDS = {"_id": 0, "_events": 0, "_batch": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """Codes unique per framework (code-less foreign items excepted, like SQLite's NULLs);
    nodes filtered by framework, type and status; versions keyed (framework, number)."""
    db.frac_frameworks.create_index([("org_id", 1), ("created_at", 1)], name="org_created")
    db.frac_nodes.create_index([("framework", 1), ("code", 1)], name="framework_code",
                               unique=True,
                               partialFilterExpression={"code": {"$type": "string"}})
    db.frac_nodes.create_index([("framework", 1), ("type", 1), ("status", 1)], name="filter")
    db.frac_versions.create_index([("framework", 1), ("number", 1)], name="framework_number",
                                  unique=True)


def _sequence(framework_id: str, prefix: str) -> str:
    return f"frac_code:{framework_id}:{prefix}"


class MongoFracRepository:
    """Frameworks, nodes (with their events) and versions on three collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.frameworks = db.frac_frameworks
        self.nodes = db.frac_nodes
        self.versions = db.frac_versions

    # -- frameworks -------------------------------------------------------------------------

    @translate_errors
    def add_framework(self, doc: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.frameworks.insert_one({"_id": doc["id"], **doc})

    @translate_errors
    def get_framework(self, framework_id: str) -> Document | None:
        """One framework, or None."""
        return self.frameworks.find_one({"_id": framework_id}, NO_ID)

    @translate_errors
    def list_frameworks(self, org_id: str | None = None) -> builtins.list[Document]:
        """Frameworks of one organisation (all when None), oldest first."""
        query = {} if org_id is None else {"org_id": org_id}
        return list(self.frameworks.find(query, NO_ID).sort([("created_at", 1), ("_id", 1)]))

    @translate_errors
    def update_framework(self, framework_id: str, changes: Document) -> Document | None:
        """One ``$set`` (a single-document atomic write)."""
        fields = {k: v for k, v in changes.items() if k not in FRAMEWORK_FIXED}
        if not fields:
            return self.get_framework(framework_id)
        return self.frameworks.find_one_and_update({"_id": framework_id}, {"$set": fields},
                                                   NO_ID, return_document=ReturnDocument.AFTER)

    # -- nodes ------------------------------------------------------------------------------

    def _raise_sequences(self, nodes: builtins.list[Document]) -> None:
        # Before the node write: a raised sequence whose write then fails only skips numbers.
        for (framework_id, prefix), number in highest_codes(nodes).items():
            counters.raise_to(self.db, _sequence(framework_id, prefix), number)

    def _taken(self, nodes: builtins.list[Document]) -> str | None:
        ids = [n["id"] for n in nodes]
        found = self.nodes.find_one({"_id": {"$in": ids}}, {"_id": 1})
        if found is not None:
            return f"node id {found['_id']!r} exists"
        codes: dict[str, list[str]] = defaultdict(list)
        for node in nodes:
            if node.get("code") is not None:
                codes[node["framework"]].append(node["code"])
        for framework_id, framework_codes in codes.items():
            found = self.nodes.find_one({"framework": framework_id,
                                         "code": {"$in": framework_codes}}, {"code": 1})
            if found is not None:
                return f"code {found['code']!r} exists in framework {framework_id!r}"
        return None

    @translate_errors
    def add_nodes(self, nodes: builtins.list[Document], events: builtins.list[Document]) -> None:
        """Check the batch and the stored ids and codes, then ``insert_many``; a racing writer
        that took an id or code in between makes the insert fail, and the nodes this batch
        did insert (marked with its ``_batch`` token) are deleted again: all or nothing."""
        check_batch(nodes, events)
        if not nodes:
            return
        taken = self._taken(nodes)
        if taken is not None:
            raise DuplicateKey(taken)
        self._raise_sequences(nodes)
        history: dict[str, list[Document]] = defaultdict(list)
        for event in events:
            history[event["node"]].append(event)
        batch = uuid.uuid4().hex
        try:
            self.nodes.insert_many([{"_id": n["id"], **n, "_events": history[n["id"]],
                                     "_batch": batch} for n in nodes], ordered=True)
        except PyMongoError:
            self.nodes.delete_many({"_id": {"$in": [n["id"] for n in nodes]}, "_batch": batch})
            raise

    @translate_errors
    def get_node(self, node_id: str) -> Document | None:
        """One node, or None (without its history)."""
        return self.nodes.find_one({"_id": node_id}, NODE_FIELDS)

    @translate_errors
    def list_nodes(self, framework_id: str, *, types: tuple[str, ...] | None = None,
                   statuses: tuple[str, ...] | None = None) -> builtins.list[Document]:
        """Index ``filter``; sorted in code order."""
        query: dict[str, Any] = {"framework": framework_id}
        if types is not None:
            query["type"] = {"$in": list(types)}
        if statuses is not None:
            query["status"] = {"$in": list(statuses)}
        return sorted(self.nodes.find(query, NODE_FIELDS), key=code_order)

    @translate_errors
    def replace_node(self, node: Document, *, expected_revision: int,
                     event: Document | None) -> bool:
        """One ``update_one`` filtered on ``revision`` (the compare-and-set) that sets the new
        fields, unsets the dropped ones and pushes the event onto ``_events``."""
        current = self.nodes.find_one({"_id": node["id"]}, NODE_FIELDS)
        if current is None or current.get("revision") != expected_revision:
            return False
        doc = {k: v for k, v in node.items() if k not in NODE_FIELDS}
        doc.update(framework=current["framework"], revision=expected_revision + 1)
        update: dict[str, Any] = {"$set": doc}
        dropped = set(current) - set(doc)
        if dropped:
            update["$unset"] = dict.fromkeys(dropped, "")
        if event is not None:
            update["$push"] = {"_events": event}
        self._raise_sequences([doc])
        result = self.nodes.update_one({"_id": node["id"], "revision": expected_revision}, update)
        return result.matched_count == 1

    @translate_errors
    def list_node_events(self, node_id: str) -> builtins.list[Document]:
        """The embedded history, in push order (oldest first)."""
        found = self.nodes.find_one({"_id": node_id}, {"_events": 1})
        return list(found.get("_events") or []) if found else []

    @translate_errors
    def next_code_number(self, framework_id: str, prefix: str) -> int:
        """One atomic ``$inc`` of the (framework, prefix) counter."""
        return counters.reserve(self.db, _sequence(framework_id, prefix), 1)

    # -- versions ---------------------------------------------------------------------------

    @translate_errors
    def add_version(self, doc: Document) -> None:
        """Insert (``DuplicateKey`` from the unique (framework, number) index)."""
        self.versions.insert_one(dict(doc))

    @translate_errors
    def get_version(self, framework_id: str, number: int | None = None) -> Document | None:
        """By (framework, number); the latest is the first in descending number order."""
        if number is not None:
            return self.versions.find_one({"framework": framework_id, "number": number}, NO_ID)
        cursor = self.versions.find({"framework": framework_id}, NO_ID)
        return next(iter(cursor.sort("number", pymongo.DESCENDING).limit(1)), None)

    @translate_errors
    def list_versions(self, framework_id: str) -> builtins.list[Document]:
        """Summaries (the node tree projected away), oldest first."""
        projection = {"_id": 0, **dict.fromkeys(VERSION_BODY, 0)}
        cursor = self.versions.find({"framework": framework_id}, projection)
        return list(cursor.sort("number", pymongo.ASCENDING))

    @translate_errors
    def latest_version_numbers(self) -> dict[str, int]:
        """``$sort`` on the (framework, number) index then ``$group`` with ``$first``: the
        server answers it with a distinct scan of the index, no version document read."""
        rows = self.versions.aggregate([
            {"$sort": {"framework": 1, "number": -1}},
            {"$group": {"_id": "$framework", "number": {"$first": "$number"}}},
        ])
        return {r["_id"]: int(r["number"]) for r in rows}


def attach(store: MongoStore) -> None:
    """``store.frac``."""
    store.frac = MongoFracRepository(store.db)
