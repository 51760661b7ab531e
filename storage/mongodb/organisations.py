"""Organisations and credentials on MongoDB.

Each document keeps its natural key twice: as ``_id`` (so the primary index enforces
uniqueness) and under its port name (``id``, ``key``), so documents are read back with the
projection ``{"_id": 0}`` and need no renaming.
"""

from __future__ import annotations

import builtins
import contextlib
from typing import Any

import pymongo
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.errors import LastAdminCredential
from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.accounts import is_active_admin

#: Read every field but the duplicated ``_id``.
NO_ID = {"_id": 0}


#: The guard document (collection ``credential_guards``) holding the keys of active admins.
ACTIVE_ADMINS = "active_admins"


def ensure_indexes(db: Database[Any]) -> None:
    """Unique organisation names; credentials listed per organisation; the admin guard."""
    db.organisations.create_index("name", unique=True, name="name_unique")
    db.organisations.create_index([("kind", 1), ("name", 1)], name="kind_name")
    db.credentials.create_index([("org_id", 1), ("created_at", 1)], name="org_created")
    ensure_admin_guard(db)


def ensure_admin_guard(db: Database[Any]) -> None:
    """Create the guard from the credentials on the first start on a database.

    Why a guard: "revoke unless it is the last active admin" reads one document and writes
    another, and this adapter uses no multi-document transactions. The guard is one document
    listing the active admins' keys, so the check and the removal from it are one atomic
    single-document update (``$pull`` only while the list holds another key). Its invariant is
    *guard ⊆ active admins*: a key is added after its credential is stored and pulled before it
    is revoked, so a crash between the two steps leaves the guard short, which can refuse a
    revocation but never allow the last one. A process whose scan lost the race to create the
    guard leaves the other's in place."""
    if db.credential_guards.find_one({"_id": ACTIVE_ADMINS}, {"_id": 1}) is not None:
        return
    keys = [c["_id"] for c in db.credentials.find(
        {"roles": "admin", "revoked": {"$ne": True}}, {"_id": 1})]
    with contextlib.suppress(DuplicateKeyError):
        db.credential_guards.insert_one({"_id": ACTIVE_ADMINS, "keys": keys})


class MongoOrganisationRepository:
    """:class:`storage.ports.accounts.OrganisationRepository` on ``organisations``."""

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
    def list(self, kind: str | None = None) -> builtins.list[Document]:
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
    """:class:`storage.ports.accounts.CredentialRepository` on the ``credentials`` collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.coll = db.credentials
        self.guards = db.credential_guards

    @translate_errors
    def add(self, credential: Document) -> None:
        """Insert; ``DuplicateKey`` when the key exists. An active admin joins the guard after
        its credential is stored (see :func:`ensure_admin_guard`)."""
        self.coll.insert_one({"_id": credential["key"], **credential})
        if is_active_admin(credential):
            self.guards.update_one({"_id": ACTIVE_ADMINS},
                                   {"$addToSet": {"keys": credential["key"]}})

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
    def revoke(self, key: str, keep_last_admin: bool = False) -> bool:
        """Mark revoked; False when there is no such key. An active admin leaves the guard
        first; with ``keep_last_admin`` only while the guard lists another key (one atomic
        update), else ``LastAdminCredential``."""
        credential = self.coll.find_one({"_id": key}, {"roles": 1, "revoked": 1})
        if credential is None:
            return False
        if is_active_admin(credential):
            if keep_last_admin:
                self._leave_guard_unless_last(key)
            else:
                self.guards.update_one({"_id": ACTIVE_ADMINS}, {"$pull": {"keys": key}})
        self.coll.update_one({"_id": key}, {"$set": {"revoked": True}})
        return True

    def _leave_guard_unless_last(self, key: str) -> None:
        left = self.guards.find_one_and_update(
            {"_id": ACTIVE_ADMINS, "keys": key, "keys.1": {"$exists": True}},
            {"$pull": {"keys": key}}, projection={"_id": 1})
        if left is not None:
            return
        guard = self.guards.find_one({"_id": ACTIVE_ADMINS}) or {}
        keys = guard.get("keys") or []
        # Not listed: a concurrent revocation of the same key pulled it already, or it was
        # stored while the guard was being created; any other listed key is an active admin.
        if key in keys or not keys:
            raise LastAdminCredential(f"credential {key} is the last active admin")
