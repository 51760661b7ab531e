"""SQLite repositories of the hub's LTI signing keys and of once-only values
(:mod:`storage.ports.lti_keys`).

A key is one row: the document as JSON plus the columns that are unique (``kid``,
``generation``) or filtered on (``not_after``). A once-only value is one row keyed by
``(scope, value)``; consuming it is a single upsert whose update applies only to an expired row,
so the row count says whether this caller was first (one statement: atomic in SQLite, and the
store's write lock orders it against every other process).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS lti_keys (
        kid TEXT PRIMARY KEY, generation INTEGER NOT NULL UNIQUE, not_after TEXT,
        doc TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS lti_once (
        scope TEXT NOT NULL, value TEXT NOT NULL, expires_at TEXT NOT NULL,
        PRIMARY KEY (scope, value)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS lti_once_expiry ON lti_once (expires_at)",
)


class SqliteSigningKeyRepository:
    """The hub's signing keys in ``lti_keys``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, key: Document) -> None:
        """Insert (``DuplicateKey`` when the kid or the generation exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO lti_keys VALUES (?, ?, ?, ?)",
                         (key["kid"], int(key["generation"]), key.get("not_after"), dumps(key)))

    def list(self) -> builtins.list[Document]:
        """Every key, newest generation first."""
        rows = self.store.query("SELECT doc FROM lti_keys ORDER BY generation DESC")
        return [loads(r[0]) for r in rows]

    def retire(self, kid: str, retired_at: str, not_after: str) -> bool:
        """Read-modify-write in one write transaction; only a key not yet retired."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM lti_keys WHERE kid = ?", (kid,)).fetchone()
            if row is None:
                return False
            doc = loads(row[0])
            if doc.get("retired_at"):
                return False
            doc.update(retired_at=retired_at, not_after=not_after)
            conn.execute("UPDATE lti_keys SET not_after = ?, doc = ? WHERE kid = ?",
                         (not_after, dumps(doc), kid))
        return True

    def purge(self, now: str) -> int:
        """Delete retired keys past ``not_after``."""
        with self.store.transaction() as conn:
            return int(conn.execute("DELETE FROM lti_keys WHERE not_after IS NOT NULL "
                                    "AND not_after <= ?", (now,)).rowcount)


class SqliteOnceRepository:
    """Once-only values in ``lti_once``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def consume(self, scope: str, value: str, expires_at: str) -> bool:
        """Insert, or take over an expired row; any other conflict changes nothing (0 rows)."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO lti_once VALUES (?, ?, ?) ON CONFLICT (scope, value) DO UPDATE "
                "SET expires_at = excluded.expires_at WHERE lti_once.expires_at <= ?",
                (scope, value, expires_at, utcnow()))
            return cur.rowcount == 1

    def purge(self, now: str) -> int:
        """Delete expired values (index ``lti_once_expiry``)."""
        with self.store.transaction() as conn:
            return int(conn.execute("DELETE FROM lti_once WHERE expires_at <= ?",
                                    (now,)).rowcount)


def attach(store: SqliteStore) -> None:
    """``store.lti_keys`` and ``store.once``."""
    store.lti_keys = SqliteSigningKeyRepository(store)
    store.once = SqliteOnceRepository(store)
