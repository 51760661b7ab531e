"""SQLite repository of statement forwarding
(:class:`storage.ports.forwarding.ForwardingRepository`).

A forwarder is one row: the document as JSON plus the columns the worker filters on (org, active,
next attempt, lease). The outbox is one row per (forwarder, statement), keyed by an ascending
``seq`` so that each downstream receives statements in the order they were stored; the index
``(forwarder_id, dead, seq)`` serves both "oldest pending" and the counts.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS xapi_forwarders (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, active INTEGER NOT NULL,
        created_at TEXT NOT NULL, next_attempt_at TEXT, lease_owner TEXT, lease_until TEXT,
        doc TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS xapi_forwarders_org
        ON xapi_forwarders (org_id, active, created_at)""",
    """CREATE TABLE IF NOT EXISTS xapi_outbox (
        seq INTEGER PRIMARY KEY, forwarder_id TEXT NOT NULL, dead INTEGER NOT NULL DEFAULT 0,
        statement_id TEXT, enqueued_at TEXT NOT NULL, statement TEXT NOT NULL, error TEXT)""",
    "CREATE INDEX IF NOT EXISTS xapi_outbox_pending ON xapi_outbox (forwarder_id, dead, seq)",
)

#: Fields kept in columns only (the worker's bookkeeping), merged back into the document.
_LEASE = ("lease_owner", "lease_until")


class SqliteForwardingRepository:
    """Forwarders and their outbox in ``xapi_forwarders`` / ``xapi_outbox``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    @staticmethod
    def _doc(row: Any) -> Document:
        doc: Document = loads(row[0])
        doc["lease_owner"], doc["lease_until"] = row[1], row[2]
        return doc

    def add(self, forwarder: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        doc = {k: v for k, v in forwarder.items() if k not in _LEASE}
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO xapi_forwarders VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
                (doc["id"], doc["org_id"], int(bool(doc.get("active"))), doc["created_at"],
                 doc.get("next_attempt_at"), dumps(doc)))

    def get(self, forwarder_id: str) -> Document | None:
        """One forwarder, or None."""
        rows = self.store.query(
            "SELECT doc, lease_owner, lease_until FROM xapi_forwarders WHERE id = ?",
            (forwarder_id,))
        return self._doc(rows[0]) if rows else None

    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Forwarders of one organisation (all when None), oldest first."""
        sql = "SELECT doc, lease_owner, lease_until FROM xapi_forwarders"
        params: tuple[Any, ...] = ()
        if org_id is not None:
            sql += " WHERE org_id = ?"
            params = (org_id,)
        return [self._doc(r) for r in self.store.query(sql + " ORDER BY created_at, id", params)]

    def active_for_org(self, org_id: str) -> builtins.list[Document]:
        """Active forwarders of an organisation (index ``xapi_forwarders_org``)."""
        rows = self.store.query(
            "SELECT doc, lease_owner, lease_until FROM xapi_forwarders "
            "WHERE org_id = ? AND active = 1 ORDER BY created_at", (org_id,))
        return [self._doc(r) for r in rows]

    def update(self, forwarder_id: str, changes: Document,
               inc: dict[str, int] | None = None) -> bool:
        """Read-modify-write inside one write transaction (``BEGIN IMMEDIATE`` serialises it
        against every other writer, so counters never lose an increment)."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM xapi_forwarders WHERE id = ?",
                               (forwarder_id,)).fetchone()
            if row is None:
                return False
            doc = loads(row[0])
            doc.update({k: v for k, v in changes.items() if k not in _LEASE})
            for name, delta in (inc or {}).items():
                doc[name] = int(doc.get(name) or 0) + delta
            conn.execute(
                "UPDATE xapi_forwarders SET active = ?, next_attempt_at = ?, doc = ? "
                "WHERE id = ?",
                (int(bool(doc.get("active"))), doc.get("next_attempt_at"), dumps(doc),
                 forwarder_id))
        return True

    def enqueue(self, entries: builtins.list[Document]) -> None:
        """Append entries; joins the caller's transaction (a SAVEPOINT inside it)."""
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO xapi_outbox (forwarder_id, statement_id, enqueued_at, statement) "
                "VALUES (?, ?, ?, ?)",
                [(e["forwarder_id"], e.get("statement_id"), e["enqueued_at"],
                  dumps(e["statement"])) for e in entries])

    def pending(self, forwarder_id: str, limit: int) -> builtins.list[Document]:
        """Oldest live entries first."""
        rows = self.store.query(
            "SELECT seq, statement_id, enqueued_at, statement FROM xapi_outbox "
            "WHERE forwarder_id = ? AND dead = 0 ORDER BY seq LIMIT ?", (forwarder_id, limit))
        return [{"seq": r[0], "forwarder_id": forwarder_id, "statement_id": r[1],
                 "enqueued_at": r[2], "statement": loads(r[3])} for r in rows]

    def remove(self, forwarder_id: str, seqs: builtins.list[int]) -> int:
        """Delete delivered entries."""
        if not seqs:
            return 0
        with self.store.transaction() as conn:
            cur = conn.executemany("DELETE FROM xapi_outbox WHERE forwarder_id = ? AND seq = ?",
                                   [(forwarder_id, s) for s in seqs])
            return int(cur.rowcount)

    def bury(self, forwarder_id: str, seq: int, error: str) -> None:
        """Make one entry a dead letter."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE xapi_outbox SET dead = 1, error = ? "
                         "WHERE forwarder_id = ? AND seq = ?", (error, forwarder_id, seq))

    def counts(self, forwarder_id: str) -> tuple[int, int]:
        """(pending, dead letters), two index range counts."""
        rows = dict(self.store.query(
            "SELECT dead, count(*) FROM xapi_outbox WHERE forwarder_id = ? GROUP BY dead",
            (forwarder_id,)))
        return int(rows.get(0, 0)), int(rows.get(1, 0))

    def due(self, now: str) -> builtins.list[str]:
        """Active forwarders past their back-off with something to send."""
        rows = self.store.query(
            "SELECT f.id FROM xapi_forwarders f WHERE f.active = 1 "
            "AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= ?) "
            "AND EXISTS (SELECT 1 FROM xapi_outbox o WHERE o.forwarder_id = f.id AND o.dead = 0)"
            " ORDER BY f.created_at", (now,))
        return [r[0] for r in rows]

    def lease(self, forwarder_id: str, owner: str, now: str, until: str) -> bool:
        """One conditional UPDATE: the compare-and-set of the lease."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE xapi_forwarders SET lease_owner = ?, lease_until = ? WHERE id = ? "
                "AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)",
                (owner, until, forwarder_id, now, owner))
            return cur.rowcount == 1

    def release(self, forwarder_id: str, owner: str) -> None:
        """Drop the lease if ``owner`` still holds it."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE xapi_forwarders SET lease_owner = NULL, lease_until = NULL "
                         "WHERE id = ? AND lease_owner = ?", (forwarder_id, owner))

    def revive(self, forwarder_id: str) -> int:
        """Dead letters back to pending, keeping their place (``seq``) in the order."""
        with self.store.transaction() as conn:
            return int(conn.execute(
                "UPDATE xapi_outbox SET dead = 0, error = NULL WHERE forwarder_id = ? AND dead = 1",
                (forwarder_id,)).rowcount)

    def delete(self, forwarder_id: str) -> bool:
        """The forwarder and its outbox in one transaction."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM xapi_outbox WHERE forwarder_id = ?", (forwarder_id,))
            return conn.execute("DELETE FROM xapi_forwarders WHERE id = ?",
                                (forwarder_id,)).rowcount == 1


def attach(store: SqliteStore) -> None:
    """``store.forwarding``."""
    store.forwarding = SqliteForwardingRepository(store)
