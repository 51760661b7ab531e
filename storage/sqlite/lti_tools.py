"""SQLite repository of the platform side's tool registrations
(:class:`storage.ports.lti_tools.ToolRegistrationRepository`).

One row per registration: the document as JSON plus the columns that lookups use (the owning
organisation for listings, the client id, unique, for every authorize and token request).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS lti_tools (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, client_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS lti_tools_org ON lti_tools (org_id, created_at, id)",
)

#: Fields that name a registration: an update never changes them.
FIXED = ("id", "org_id", "client_id")


class SqliteToolRegistrationRepository:
    """Tool registrations in ``lti_tools``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, tool: Document) -> None:
        """Insert (``DuplicateKey`` when the id or client id exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO lti_tools VALUES (?, ?, ?, ?, ?)",
                         (tool["id"], tool["org_id"], tool["client_id"], tool["created_at"],
                          dumps(tool)))

    def _one(self, column: str, value: str) -> Document | None:
        rows = self.store.query(f"SELECT doc FROM lti_tools WHERE {column} = ?", (value,))
        return loads(rows[0][0]) if rows else None

    def get(self, tool_id: str) -> Document | None:
        """One registration, or None."""
        return self._one("id", tool_id)

    def get_by_client_id(self, client_id: str) -> Document | None:
        """The registration of a client id (unique index), or None."""
        return self._one("client_id", client_id)

    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Registrations of one organisation (all when None), oldest first."""
        if org_id is None:
            rows = self.store.query("SELECT doc FROM lti_tools ORDER BY created_at, id")
        else:
            rows = self.store.query("SELECT doc FROM lti_tools WHERE org_id = ? "
                                    "ORDER BY created_at, id", (org_id,))
        return [loads(r[0]) for r in rows]

    def update(self, tool_id: str, changes: Document) -> Document | None:
        """Read-modify-write in one write transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM lti_tools WHERE id = ?", (tool_id,)).fetchone()
            if row is None:
                return None
            doc: Document = loads(row[0])
            doc.update({k: v for k, v in changes.items() if k not in FIXED})
            conn.execute("UPDATE lti_tools SET doc = ? WHERE id = ?", (dumps(doc), tool_id))
        return doc

    def delete(self, tool_id: str) -> bool:
        """Remove one registration."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM lti_tools WHERE id = ?", (tool_id,)).rowcount == 1


def attach(store: SqliteStore) -> None:
    """``store.lti_tools``."""
    store.lti_tools = SqliteToolRegistrationRepository(store)
