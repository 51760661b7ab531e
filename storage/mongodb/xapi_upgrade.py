"""Bring xAPI collections written before organisations had their own LRS to the per-organisation
layout of :mod:`storage.mongodb.statements`, :mod:`storage.mongodb.documents` and
:mod:`storage.mongodb.activities` (run by ``ensure_indexes`` at start-up; idempotent, and
safe when several processes run it at once: each moved document is inserted under its new
``_id``, a duplicate of another process's insert ignored, then the old one deleted).

- statements: ``_id`` was the statement id; it becomes ``<organisation>|<id>`` with ``sid``.
- documents and activity definitions: nothing recorded who wrote them, so each goes to the
  organisation of the earliest statement naming its activity (State, Activity Profile,
  definitions) or its agent (Agent Profile) anywhere in the statement; with none, to no
  organisation (``""``: kept, but no credential reaches it). The SQLite adapter does the same
  (``storage.sqlite.xapi_upgrade``).
"""

from __future__ import annotations

import contextlib
from typing import Any

import pymongo
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from storage.mongodb.activities import activity_key
from storage.mongodb.documents import document_id
from storage.mongodb.statements import statement_key
from storage.ports.xapi import DocumentKey

_BATCH = 1000


def upgrade(db: Database[Any]) -> None:
    """Move every document still in the old layout (usually none: one indexed probe each)."""
    _move(db.xapi_statements, {"sid": {"$exists": False}},
          lambda d: {**d, "_id": statement_key(d.get("org_id"), d["_id"]), "sid": d["_id"]})
    owners: dict[str, str] = {}

    def owner(key: str) -> str:
        if key not in owners:
            first = db.xapi_statements.find_one(
                {"k": key}, {"org_id": 1},
                sort=[("stored", pymongo.ASCENDING), ("seq", pymongo.ASCENDING)])
            owners[key] = str((first or {}).get("org_id") or "")
        return owners[key]

    def document(d: dict[str, Any]) -> dict[str, Any]:
        org = owner("agent*|" + d["agent"] if d["kind"] == "agent-profile"
                    else "act*|" + d["activity_id"])
        key = DocumentKey(d["kind"], d["doc_id"], d["activity_id"], d["agent"],
                          d["registration"], org_id=org)
        return {**d, "_id": document_id(key), "org_id": org}

    _move(db.xapi_documents, {"org_id": {"$exists": False}}, document)

    def activity(d: dict[str, Any]) -> dict[str, Any]:
        org = owner("act*|" + d["_id"])
        return {"_id": activity_key(org, d["_id"]), "org_id": org, "aid": d["_id"],
                "body": d["body"]}

    _move(db.xapi_activities, {"org_id": {"$exists": False}}, activity)


def _move(coll: Collection[Any], old: dict[str, Any], convert: Any) -> None:
    """Re-insert each document matching ``old`` as ``convert`` makes it, then delete it."""
    while batch := list(coll.find(old).limit(_BATCH)):
        with contextlib.suppress(BulkWriteError):  # another process moved some of them first
            coll.insert_many([convert(d) for d in batch], ordered=False)
        coll.delete_many({"$and": [old, {"_id": {"$in": [d["_id"] for d in batch]}}]})
