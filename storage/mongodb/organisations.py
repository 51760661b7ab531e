"""Organisations and credentials on MongoDB.

Each document keeps its natural key twice: as ``_id`` (so the primary index enforces
uniqueness) and under its port name (``id``, ``key``), so documents are read back with the
projection ``{"_id": 0}`` and need no renaming.
"""

from __future__ import annotations

from typing import Any

import pymongo
from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports import Document

#: Read every field but the duplicated ``_id``.
NO_ID = {"_id": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """Unique organisation names; credentials listed per organisation."""
    db.organisations.create_index("name", unique=True, name="name_unique")
    db.organisations.create_index([("kind", 1), ("name", 1)], name="kind_name")
    db.credentials.create_index([("org_id", 1), ("created_at", 1)], name="org_created")


class MongoOrganisationRepository:
    """:class:`storage.ports.OrganisationRepository` on the ``organisations`` collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.coll = db.organisations

    @translate_errors
    def add(self, org: Document) -> None:
        """Insert; ``DuplicateKey`` when the id or the name exists."""
        self.coll.insert_one({"_id": org["id"], **org})

    @translate_errors
    def get(self, org_id: str) -> Document | None:
        """The organisation with this id, or None."""
        return self.coll.find_one({"_id": org_id}, NO_ID)

    @translate_errors
    def get_by_name(self, name: str) -> Document | None:
        """The organisation with this exact name, or None."""
        return self.coll.find_one({"name": name}, NO_ID)

    @translate_errors
    def list(self, kind: str | None = None) -> list[Document]:
        """All organisations (of one kind when given), ordered by name.

        MongoDB's default string order is binary UTF-8, the same as SQLite's BINARY collation,
        so both adapters list in the same order."""
        query = {} if kind is None else {"kind": kind}
        return list(self.coll.find(query, NO_ID).sort("name", pymongo.ASCENDING))

    @translate_errors
    def count(self) -> int:
        """How many organisations exist."""
        return self.coll.count_documents({})


class MongoCredentialRepository:
    """:class:`storage.ports.CredentialRepository` on the ``credentials`` collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.coll = db.credentials

    @translate_errors
    def add(self, credential: Document) -> None:
        """Insert; ``DuplicateKey`` when the key exists."""
        self.coll.insert_one({"_id": credential["key"], **credential})

    @translate_errors
    def get(self, key: str) -> Document | None:
        """The credential with this key id, or None."""
        return self.coll.find_one({"_id": key}, NO_ID)

    @translate_errors
    def list_for_org(self, org_id: str) -> list[Document]:
        """Credentials of one organisation, oldest first."""
        cursor = self.coll.find({"org_id": org_id}, NO_ID)
        return list(cursor.sort([("created_at", pymongo.ASCENDING), ("_id", pymongo.ASCENDING)]))

    @translate_errors
    def revoke(self, key: str) -> bool:
        """Mark revoked; False when there is no such key."""
        return self.coll.update_one({"_id": key}, {"$set": {"revoked": True}}).matched_count == 1
