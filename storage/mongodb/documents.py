"""``storage.ports.xapi.DocumentRepository`` on MongoDB: State, Activity Profile and Agent
Profile documents in ``xapi_documents``, one MongoDB document per key, its ``_id`` the whole key
(organisation first)."""

from __future__ import annotations

from typing import Any

import orjson
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.errors import ConcurrentUpdate
from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.xapi import DocumentKey


def ensure_indexes(db: Database[Any]) -> None:
    """The scope index of the documents (created at start-up, idempotent)."""
    if "scope_updated" in db.xapi_documents.index_information():
        db.xapi_documents.drop_index("scope_updated")  # the scope without the organisation
    db.xapi_documents.create_index(
        [("org_id", 1), ("kind", 1), ("activity_id", 1), ("agent", 1), ("registration", 1),
         ("updated", 1)], name="org_scope_updated")


def document_id(key: DocumentKey) -> str:
    """One unambiguous string for the whole document key (a JSON array of its parts)."""
    return orjson.dumps([key.org_id, key.kind, key.activity_id, key.agent, key.registration,
                         key.doc_id]).decode()


class MongoDocumentRepository:
    """``storage.ports.xapi.DocumentRepository`` on ``xapi_documents`` (one document per key)."""

    def __init__(self, db: Database[Any]) -> None:
        self.coll = db.xapi_documents

    @translate_errors
    def get(self, key: DocumentKey) -> Document | None:
        """One document or None."""
        doc = self.coll.find_one({"_id": document_id(key)})
        if doc is None:
            return None
        return {"content": bytes(doc["content"]), "content_type": doc["content_type"],
                "etag": doc["etag"], "updated": doc["updated"]}

    @translate_errors
    def get_many(self, keys: list[DocumentKey]) -> dict[DocumentKey, Document]:
        """One ``$in`` on the ``_id`` of every key."""
        by_id = {document_id(key): key for key in keys}
        return {by_id[doc["_id"]]: {"content": bytes(doc["content"]),
                                    "content_type": doc["content_type"], "etag": doc["etag"],
                                    "updated": doc["updated"]}
                for doc in self.coll.find({"_id": {"$in": list(by_id)}})}

    @translate_errors
    def save(self, key: DocumentKey, doc: Document, expected_etag: str | None) -> None:
        """Compare-and-set on the etag: an insert when none is expected, else an update
        filtered on the expected etag (both single-document, atomic)."""
        fields = {"content": bytes(doc["content"]), "content_type": doc["content_type"],
                  "etag": doc["etag"], "updated": doc["updated"]}
        doc_id = document_id(key)
        if expected_etag is None:
            try:
                self.coll.insert_one({
                    "_id": doc_id, "org_id": key.org_id, "kind": key.kind,
                    "activity_id": key.activity_id,
                    "agent": key.agent, "registration": key.registration, "doc_id": key.doc_id,
                    **fields})
            except DuplicateKeyError as exc:
                raise ConcurrentUpdate(f"document {key.doc_id} exists") from exc
            return
        result = self.coll.update_one({"_id": doc_id, "etag": expected_etag}, {"$set": fields})
        if result.matched_count != 1:
            raise ConcurrentUpdate(f"document {key.doc_id} changed")

    @translate_errors
    def delete(self, key: DocumentKey) -> bool:
        """Delete one document."""
        return self.coll.delete_one({"_id": document_id(key)}).deleted_count > 0

    @staticmethod
    def _scope(org_id: str, kind: str, activity_id: str, agent: str,
               registration: str | None) -> dict[str, Any]:
        scope: dict[str, Any] = {"org_id": org_id, "kind": kind, "activity_id": activity_id,
                                 "agent": agent}
        if registration is not None:
            scope["registration"] = registration
        return scope

    @translate_errors
    def list_ids(self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
                 registration: str | None = None, since: str | None = None) -> list[str]:
        """Ids in an organisation's scope, optionally updated after ``since``, sorted."""
        scope = self._scope(org_id, kind, activity_id, agent, registration)
        if since:
            scope["updated"] = {"$gt": since}
        return sorted({d["doc_id"] for d in self.coll.find(scope, {"doc_id": 1})})

    @translate_errors
    def delete_many(self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
                    registration: str | None = None) -> int:
        """Delete an organisation's scope (State multi-delete)."""
        scope = self._scope(org_id, kind, activity_id, agent, registration)
        return int(self.coll.delete_many(scope).deleted_count)
