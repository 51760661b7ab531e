"""The xAPI repositories on SQLite: statements, documents, activities.

A module of :data:`storage.sqlite.store.REPOSITORY_MODULES` (its name is the key of the LRS
tables in ``schema_migrations``): ``SCHEMA`` at ``SCHEMA_VERSION`` (both in
:mod:`storage.sqlite.xapi_tables`), ``upgrade`` from an older version
(:mod:`storage.sqlite.xapi_upgrade`) and ``attach(store)``, which sets the repositories of
:mod:`storage.sqlite.statements`, :mod:`storage.sqlite.documents` and
:mod:`storage.sqlite.activities` on the store.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from storage.sqlite.activities import SqliteActivityRepository
from storage.sqlite.documents import SqliteDocumentRepository
from storage.sqlite.statements import SqliteStatementRepository
from storage.sqlite.xapi_tables import SCHEMA, SCHEMA_VERSION
from storage.sqlite.xapi_upgrade import upgrade_from

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

__all__ = ["SCHEMA", "SCHEMA_VERSION", "attach", "upgrade"]


def upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Bring a store written at schema ``version`` to ``SCHEMA_VERSION``."""
    upgrade_from(conn, version)


def attach(store: SqliteStore) -> None:
    """Give the store its xAPI repositories."""
    store.statements = SqliteStatementRepository(store)
    store.xapi_documents = SqliteDocumentRepository(store)
    store.activities = SqliteActivityRepository(store)
