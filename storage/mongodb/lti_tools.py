"""MongoDB repository of the platform side's tool registrations
(:class:`storage.ports.lti_tools.ToolRegistrationRepository`).

Registrations live in ``lti_tools`` (``_id`` = registration id) with a unique index on the
client id, so two registrations can never share one (every authorize and token request looks a
tool up by it).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from pymongo import ReturnDocument
from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports import Document

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
#: Fields that name a registration: an update never changes them.
FIXED = ("id", "org_id", "client_id")


def ensure_indexes(db: Database[Any]) -> None:
    """The client id is unique; listings go by organisation, oldest first."""
    db.lti_tools.create_index("client_id", name="client_id", unique=True)
    db.lti_tools.create_index([("org_id", 1), ("created_at", 1)], name="org_created")


class MongoToolRegistrationRepository:
    """Tool registrations on one collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.tools = db.lti_tools

    @translate_errors
    def add(self, tool: Document) -> None:
        """Insert (``DuplicateKey`` when the id or client id exists)."""
        self.tools.insert_one({"_id": tool["id"], **tool})

    @translate_errors
    def get(self, tool_id: str) -> Document | None:
        """One registration, or None."""
        return self.tools.find_one({"_id": tool_id}, NO_ID)

    @translate_errors
    def get_by_client_id(self, client_id: str) -> Document | None:
        """The registration of a client id (unique index), or None."""
        return self.tools.find_one({"client_id": client_id}, NO_ID)

    @translate_errors
    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Registrations of one organisation (all when None), oldest first."""
        query = {} if org_id is None else {"org_id": org_id}
        return list(self.tools.find(query, NO_ID).sort([("created_at", 1), ("_id", 1)]))

    @translate_errors
    def update(self, tool_id: str, changes: Document) -> Document | None:
        """One ``$set`` (a single-document atomic write)."""
        fields = {k: v for k, v in changes.items() if k not in FIXED}
        if not fields:
            return self.get(tool_id)
        return self.tools.find_one_and_update({"_id": tool_id}, {"$set": fields}, NO_ID,
                                              return_document=ReturnDocument.AFTER)

    @translate_errors
    def delete(self, tool_id: str) -> bool:
        """Remove one registration."""
        return self.tools.delete_one({"_id": tool_id}).deleted_count == 1


def attach(store: MongoStore) -> None:
    """``store.lti_tools``."""
    store.lti_tools = MongoToolRegistrationRepository(store.db)
