"""SQLite repositories of the hub's tool side
(:mod:`storage.ports.lti_platforms`): platform registrations and learners.

Each row keeps the document as JSON plus the columns looked up or kept unique: a registration's
``(issuer, client_id)`` and a learner's ``(issuer, subject, org_id)`` are UNIQUE indexes, so a
clash or a concurrent first launch is settled by SQLite, not by a read-then-write race.
"""

from __future__ import annotations

import builtins
import uuid
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS lti_platforms (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, issuer TEXT NOT NULL,
        client_id TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    """CREATE UNIQUE INDEX IF NOT EXISTS lti_platforms_issuer_client
        ON lti_platforms (issuer, client_id)""",
    "CREATE INDEX IF NOT EXISTS lti_platforms_org ON lti_platforms (org_id, created_at)",
    """CREATE TABLE IF NOT EXISTS lti_learners (
        id TEXT PRIMARY KEY, issuer TEXT NOT NULL, subject TEXT NOT NULL,
        org_id TEXT NOT NULL, doc TEXT NOT NULL)""",
    """CREATE UNIQUE INDEX IF NOT EXISTS lti_learners_subject
        ON lti_learners (issuer, subject, org_id)""",
)

_ORDER = " ORDER BY created_at, id"


class SqlitePlatformRegistrationRepository:
    """Platform registrations in ``lti_platforms``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def _select(self, where: str, params: tuple[Any, ...]) -> builtins.list[Document]:
        rows = self.store.query(f"SELECT doc FROM lti_platforms {where}{_ORDER}", params)
        return [loads(r[0]) for r in rows]

    def add(self, registration: Document) -> None:
        """Insert (``DuplicateKey`` when the id or ``(issuer, client_id)`` exists)."""
        doc = registration
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO lti_platforms VALUES (?, ?, ?, ?, ?, ?)",
                         (doc["id"], doc["org_id"], doc["issuer"], doc["client_id"],
                          doc["created_at"], dumps(doc)))

    def get(self, registration_id: str) -> Document | None:
        """One registration, or None."""
        found = self._select("WHERE id = ?", (registration_id,))
        return found[0] if found else None

    def find(self, issuer: str, client_id: str) -> Document | None:
        """The registration of ``(issuer, client_id)`` (the unique index), or None."""
        found = self._select("WHERE issuer = ? AND client_id = ?", (issuer, client_id))
        return found[0] if found else None

    def for_issuer(self, issuer: str) -> builtins.list[Document]:
        """Every registration of an issuer, oldest first."""
        return self._select("WHERE issuer = ?", (issuer,))

    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Registrations of one organisation (all when None), oldest first."""
        if org_id is None:
            return self._select("", ())
        return self._select("WHERE org_id = ?", (org_id,))

    def update(self, registration_id: str, changes: Document) -> bool:
        """Read-modify-write in one transaction; the unique index refuses a clash."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM lti_platforms WHERE id = ?",
                               (registration_id,)).fetchone()
            if row is None:
                return False
            doc = {**loads(row[0]), **changes, "id": registration_id}
            conn.execute("UPDATE lti_platforms SET org_id = ?, issuer = ?, client_id = ?, "
                         "doc = ? WHERE id = ?",
                         (doc["org_id"], doc["issuer"], doc["client_id"], dumps(doc),
                          registration_id))
        return True

    def delete(self, registration_id: str) -> bool:
        """Remove a registration; False when absent."""
        with self.store.transaction() as conn:
            cur = conn.execute("DELETE FROM lti_platforms WHERE id = ?", (registration_id,))
            return cur.rowcount == 1


class SqliteLearnerRepository:
    """Learners in ``lti_learners``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def resolve(self, issuer: str, subject: str, org_id: str, name: str | None = None,
                email: str | None = None) -> Document:
        """``INSERT OR IGNORE`` then read, in one write transaction: the unique index makes
        the first launch's id the only one."""
        fresh = {"id": f"lrn_{uuid.uuid4().hex}", "org_id": org_id, "issuer": issuer,
                 "subject": subject, "created_at": utcnow()}
        given = {k: v for k, v in (("name", name), ("email", email)) if v is not None}
        key = (issuer, subject, org_id)
        with self.store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO lti_learners VALUES (?, ?, ?, ?, ?)",
                         (fresh["id"], issuer, subject, org_id, dumps(fresh)))
            row = conn.execute("SELECT doc FROM lti_learners WHERE issuer = ? AND subject = ? "
                               "AND org_id = ?", key).fetchone()
            doc: Document = loads(row[0])
            if any(doc.get(k) != v for k, v in given.items()):
                doc.update(given)
                conn.execute("UPDATE lti_learners SET doc = ? WHERE id = ?",
                             (dumps(doc), doc["id"]))
        return doc

    def get(self, learner_id: str) -> Document | None:
        """One learner, or None."""
        rows = self.store.query("SELECT doc FROM lti_learners WHERE id = ?", (learner_id,))
        return loads(rows[0][0]) if rows else None


def attach(store: SqliteStore) -> None:
    """``store.lti_platforms`` and ``store.learners``."""
    store.lti_platforms = SqlitePlatformRegistrationRepository(store)
    store.learners = SqliteLearnerRepository(store)
