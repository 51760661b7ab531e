"""SQLite repository of the cmi5 runtime (:mod:`storage.ports.cmi5`).

A session is one row: the document as JSON plus the columns looked up (``key``, ``fetch_hash``)
or compared (``secret_hash``, ``expires_at``); claiming the fetch is one conditional UPDATE, so
of two racing fetches exactly one changes the row. A registration is one row keyed by
(organisation, learner, course): ``INSERT ... ON CONFLICT DO NOTHING`` then a read gives every
racing caller the first one's value.
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
    """CREATE TABLE IF NOT EXISTS cmi5_sessions (
        key TEXT PRIMARY KEY, fetch_hash TEXT NOT NULL UNIQUE, secret_hash TEXT,
        org_id TEXT NOT NULL, registration TEXT NOT NULL, expires_at TEXT NOT NULL,
        doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS cmi5_sessions_reg ON cmi5_sessions (org_id, registration)",
    """CREATE TABLE IF NOT EXISTS cmi5_registrations (
        org_id TEXT NOT NULL, learner_id TEXT NOT NULL, course_id TEXT NOT NULL,
        registration TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (org_id, learner_id, course_id)) WITHOUT ROWID""",
)


class SqliteCmi5Repository:
    """Content sessions in ``cmi5_sessions``, registrations in ``cmi5_registrations``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add_session(self, session: Document) -> None:
        """Insert (``DuplicateKey`` on the key or the fetch hash)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO cmi5_sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (session["key"], session["fetch_hash"], session.get("secret_hash"),
                          session["org_id"], session["registration"], session["expires_at"],
                          dumps(session)))

    def claim_fetch(self, fetch_hash: str, secret_hash: str, now: str) -> Document | None:
        """One read-then-conditional-update in a write transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM cmi5_sessions WHERE fetch_hash = ? AND "
                               "secret_hash IS NULL AND expires_at > ?",
                               (fetch_hash, now)).fetchone()
            if row is None:
                return None
            doc = loads(row[0])
            doc.update(secret_hash=secret_hash, fetched_at=now)
            cur = conn.execute("UPDATE cmi5_sessions SET secret_hash = ?, doc = ? "
                               "WHERE fetch_hash = ? AND secret_hash IS NULL",
                               (secret_hash, dumps(doc), fetch_hash))
            return doc if cur.rowcount == 1 else None

    def _one(self, column: str, value: str) -> Document | None:
        rows = self.store.query(f"SELECT doc FROM cmi5_sessions WHERE {column} = ?", (value,))
        return loads(rows[0][0]) if rows else None

    def get_by_fetch(self, fetch_hash: str) -> Document | None:
        """The session of a fetch hash."""
        return self._one("fetch_hash", fetch_hash)

    def get_session(self, key: str) -> Document | None:
        """The session of a token key."""
        return self._one("key", key)

    def sessions(self, org_id: str, registration: str) -> builtins.list[Document]:
        """Sessions of a registration in insertion order (index ``cmi5_sessions_reg``)."""
        rows = self.store.query("SELECT doc FROM cmi5_sessions WHERE org_id = ? AND "
                                "registration = ? ORDER BY rowid", (org_id, registration))
        return [loads(r[0]) for r in rows]

    def session_by_id(self, org_id: str, session_id: str) -> Document | None:
        """A scan of the organisation's sessions (index ``cmi5_sessions_reg`` narrows it to
        the organisation): abandoning by session id is rare."""
        rows = self.store.query("SELECT doc FROM cmi5_sessions WHERE org_id = ? AND "
                                "json_extract(doc, '$.session_id') = ?", (org_id, session_id))
        return loads(rows[0][0]) if rows else None

    def stale_sessions(self, created_before: str, limit: int) -> builtins.list[Document]:
        """Open sessions created before ``created_before``, oldest first."""
        rows = self.store.query(
            "SELECT doc FROM cmi5_sessions WHERE json_extract(doc, '$.created_at') < ? AND "
            "json_extract(doc, '$.closed_at') IS NULL ORDER BY rowid LIMIT ?",
            (created_before, limit))
        return [loads(r[0]) for r in rows]

    def note_preferences_read(self, key: str, at: str) -> None:
        """One conditional UPDATE: the first read's time stays."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE cmi5_sessions SET doc = json_set(doc, '$.preferences_read_at', ?) "
                "WHERE key = ? AND json_extract(doc, '$.preferences_read_at') IS NULL",
                (at, key))

    def close_session(self, key: str, closed_at: str) -> bool:
        """One conditional UPDATE of the JSON document."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE cmi5_sessions SET doc = json_set(doc, '$.closed_at', ?) WHERE key = ? "
                "AND json_extract(doc, '$.closed_at') IS NULL", (closed_at, key))
            return cur.rowcount == 1

    def registration(self, org_id: str, learner_id: str, course_id: str, new: str) -> str:
        """Insert unless present, then read what is stored."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO cmi5_registrations VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT DO NOTHING",
                         (org_id, learner_id, course_id, new, utcnow()))
            row = conn.execute("SELECT registration FROM cmi5_registrations WHERE org_id = ? "
                               "AND learner_id = ? AND course_id = ?",
                               (org_id, learner_id, course_id)).fetchone()
        return str(row[0])


def attach(store: SqliteStore) -> None:
    """``store.cmi5``."""
    store.cmi5 = SqliteCmi5Repository(store)
