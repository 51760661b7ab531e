"""The xAPI repositories on MongoDB: statements, documents, activities.

A module of :data:`storage.mongodb.REPOSITORY_MODULES`: ``ensure_indexes(db)`` runs at start-up
(and brings collections of an older layout up to date, :mod:`storage.mongodb.xapi_upgrade`),
``attach(store)`` sets the repositories of :mod:`storage.mongodb.statements`,
:mod:`storage.mongodb.documents` and :mod:`storage.mongodb.activities` on the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pymongo.database import Database

from storage.mongodb import documents, statements
from storage.mongodb.activities import MongoActivityRepository
from storage.mongodb.documents import MongoDocumentRepository
from storage.mongodb.statements import MongoStatementRepository
from storage.mongodb.xapi_upgrade import upgrade

if TYPE_CHECKING:
    from storage.mongodb import MongoStore


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes matching the queries (created at start-up, idempotent), then the upgrade."""
    statements.ensure_indexes(db)
    documents.ensure_indexes(db)
    upgrade(db)


def attach(store: MongoStore) -> None:
    """Give the store its xAPI repositories."""
    store.statements = MongoStatementRepository(store.db)
    store.xapi_documents = MongoDocumentRepository(store.db)
    store.activities = MongoActivityRepository(store.db)
