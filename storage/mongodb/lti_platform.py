"""MongoDB repository of the platform side's LTI Advantage services
(:class:`storage.ports.lti_platform.PlatformContextRepository`).

One collection per kind; each ``_id`` is the key a tool's request names (``tool|context``,
``tool|context|user``, the line item id, ``item|user``, the token hash), so every write that
must be atomic is a single-document write: a context is created by an upsert with
``$setOnInsert`` (racing first launches make one), and a result is replaced only through a
filter on its timestamp (the compare-and-set of AGS §3.4.4).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import pymongo
from pymongo.database import Database

from storage.errors import DuplicateKey
from storage.mongodb.errors import translate_errors, translated
from storage.ports import Document

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}


def _key(*parts: str) -> str:
    # "|" cannot be confused across parts: ids of tools, contexts and learners are hub ids.
    return "|".join(parts)


def ensure_indexes(db: Database[Any]) -> None:
    """The paging orders of members, line items and results, and the token expiry."""
    db.lti_members.create_index([("tool_id", 1), ("context_id", 1), ("user_id", 1)],
                                name="context_members")
    db.lti_line_items.create_index([("tool_id", 1), ("context_id", 1), ("id", 1)],
                                   name="context_items")
    db.lti_results.create_index([("line_item_id", 1), ("user_id", 1)], name="item_results")
    db.lti_tokens.create_index([("expires_at", 1)], name="expiry")


class MongoPlatformContextRepository:
    """Contexts, members, line items, results and tokens on five collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db

    # -- contexts and members ------------------------------------------------------------

    @translate_errors
    def ensure_context(self, context: Document) -> Document:
        """An upsert that only sets the document when it inserts it."""
        key = _key(context["tool_id"], context["context_id"])
        self.db.lti_contexts.update_one({"_id": key}, {"$setOnInsert": dict(context)},
                                        upsert=True)
        stored = self.db.lti_contexts.find_one({"_id": key}, NO_ID)
        assert stored is not None  # just upserted; contexts are never deleted
        return dict(stored)

    @translate_errors
    def get_context(self, tool_id: str, context_id: str) -> Document | None:
        """One context, or None."""
        return self.db.lti_contexts.find_one({"_id": _key(tool_id, context_id)}, NO_ID)

    @translate_errors
    def put_member(self, member: Document) -> None:
        """A replace with upsert on the member's key."""
        key = _key(member["tool_id"], member["context_id"], member["user_id"])
        self.db.lti_members.replace_one({"_id": key}, {"_id": key, **member}, upsert=True)

    @translate_errors
    def get_member(self, tool_id: str, context_id: str, user_id: str) -> Document | None:
        """One member, or None."""
        return self.db.lti_members.find_one({"_id": _key(tool_id, context_id, user_id)}, NO_ID)

    @translate_errors
    def members(self, tool_id: str, context_id: str, *, role: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of index ``context_members`` (``roles`` is an array: equality matches an
        element)."""
        query: dict[str, Any] = {"tool_id": tool_id, "context_id": context_id,
                                 "user_id": {"$gt": after or ""}}
        if role is not None:
            query["roles"] = role
        cursor = self.db.lti_members.find(query, NO_ID).sort("user_id", pymongo.ASCENDING)
        return list(cursor.limit(limit))

    # -- line items and results ----------------------------------------------------------

    @translate_errors
    def add_line_item(self, item: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.db.lti_line_items.insert_one({"_id": item["id"], **item})

    @translate_errors
    def get_line_item(self, tool_id: str, context_id: str, item_id: str) -> Document | None:
        """One line item of the tool's context, or None."""
        return self.db.lti_line_items.find_one(
            {"_id": item_id, "tool_id": tool_id, "context_id": context_id}, NO_ID)

    @translate_errors
    def line_items(self, tool_id: str, context_id: str, *, resource_link_id: str | None = None,
                   resource_id: str | None = None, tag: str | None = None,
                   after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of index ``context_items`` with the given filters."""
        query: dict[str, Any] = {"tool_id": tool_id, "context_id": context_id,
                                 "id": {"$gt": after or ""}}
        for name, value in (("resource_link_id", resource_link_id),
                            ("resource_id", resource_id), ("tag", tag)):
            if value is not None:
                query[name] = value
        cursor = self.db.lti_line_items.find(query, NO_ID).sort("id", pymongo.ASCENDING)
        return list(cursor.limit(limit))

    @translate_errors
    def update_line_item(self, tool_id: str, context_id: str, item_id: str,
                         changes: Document) -> Document | None:
        """One ``find_one_and_update`` (``$set``), returning the document after it."""
        fixed = ("id", "tool_id", "context_id", "org_id", "course_id", "created_at", "_id")
        sets = {k: v for k, v in changes.items() if k not in fixed}
        query = {"_id": item_id, "tool_id": tool_id, "context_id": context_id}
        if not sets:
            return self.db.lti_line_items.find_one(query, NO_ID)
        return self.db.lti_line_items.find_one_and_update(  # type: ignore[no-any-return]
            query, {"$set": sets}, projection=NO_ID,
            return_document=pymongo.ReturnDocument.AFTER)

    @translate_errors
    def delete_line_item(self, tool_id: str, context_id: str, item_id: str) -> bool:
        """The item first (no new result can name it afterwards), then its results."""
        deleted = self.db.lti_line_items.delete_one(
            {"_id": item_id, "tool_id": tool_id, "context_id": context_id}).deleted_count
        if deleted:
            self.db.lti_results.delete_many({"line_item_id": item_id})
        return bool(deleted)

    def put_result(self, result: Document) -> bool:
        """Replace only an older result; insert when there is none (a racing insert that
        loses is a ``DuplicateKey``: the other score got there, so try the replace once
        more)."""
        key = _key(result["line_item_id"], result["user_id"])
        doc = {"_id": key, **result}
        for _ in range(2):
            with translated():
                replaced = self.db.lti_results.replace_one(
                    {"_id": key, "timestamp": {"$lt": result["timestamp"]}}, doc)
                if replaced.matched_count:
                    return True
                if self.db.lti_results.find_one({"_id": key}, {"_id": 1}) is not None:
                    return False  # a result as late or later is stored
            try:
                with translated():
                    self.db.lti_results.insert_one(doc)
                return True
            except DuplicateKey:
                continue
        return False

    @translate_errors
    def results(self, line_item_id: str, *, user_id: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of index ``item_results``."""
        cond: dict[str, Any] = {"$gt": after or ""}
        if user_id is not None:
            cond["$eq"] = user_id
        cursor = self.db.lti_results.find({"line_item_id": line_item_id, "user_id": cond},
                                          NO_ID).sort("user_id", pymongo.ASCENDING)
        return list(cursor.limit(limit))

    # -- access tokens -------------------------------------------------------------------

    @translate_errors
    def add_token(self, token: Document) -> None:
        """Insert (``DuplicateKey`` when the hash exists)."""
        self.db.lti_tokens.insert_one({"_id": token["token_hash"], **token})

    @translate_errors
    def get_token(self, token_hash: str) -> Document | None:
        """One token by its hash, or None."""
        return self.db.lti_tokens.find_one({"_id": token_hash}, NO_ID)

    @translate_errors
    def purge_tokens(self, now: str) -> int:
        """One ``delete_many`` on the expiry index."""
        return int(self.db.lti_tokens.delete_many({"expires_at": {"$lt": now}}).deleted_count)


def attach(store: MongoStore) -> None:
    """``store.lti_contexts``."""
    store.lti_contexts = MongoPlatformContextRepository(store.db)
