"""SQLite repository of the tool side's LTI services
(:class:`storage.ports.lti_grades.GradeRepository`).

Targets, contexts and outbox entries are one row each: the document as JSON plus the columns
that are queried. The outbox's primary key is the entry's ``key``, so ``INSERT OR IGNORE``
makes a second enqueue of the same completion a no-op; ``(status, next_attempt_at)`` serves
the sender's claim.
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
    """CREATE TABLE IF NOT EXISTS lti_grade_targets (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, learner_id TEXT NOT NULL,
        activity_id TEXT NOT NULL, created_seq INTEGER NOT NULL, doc TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS lti_grade_targets_learner
        ON lti_grade_targets (org_id, learner_id, activity_id)""",
    """CREATE TABLE IF NOT EXISTS lti_tool_contexts (
        registration_id TEXT NOT NULL, context_id TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (registration_id, context_id))""",
    """CREATE TABLE IF NOT EXISTS lti_score_outbox (
        key TEXT PRIMARY KEY, seq INTEGER NOT NULL, org_id TEXT NOT NULL,
        status TEXT NOT NULL, next_attempt_at TEXT, lease_owner TEXT, lease_until TEXT,
        doc TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS lti_score_outbox_due
        ON lti_score_outbox (status, next_attempt_at, seq)""",
    "CREATE INDEX IF NOT EXISTS lti_score_outbox_org ON lti_score_outbox (org_id, seq)",
)

#: Entry fields kept in columns only, merged back into the document when read.
_COLUMNS = ("status", "next_attempt_at", "lease_owner", "lease_until")
_ENTRY = "SELECT doc, status, next_attempt_at, lease_owner, lease_until FROM lti_score_outbox"


def _entry(row: Any) -> Document:
    doc: Document = loads(row[0])
    doc.update(zip(_COLUMNS, row[1:], strict=True))
    return doc


class SqliteGradeRepository:
    """Targets, contexts and the score outbox in three tables."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def remember(self, target: Document) -> None:
        """Insert or replace; a replaced target keeps its place in the order."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT created_seq FROM lti_grade_targets WHERE id = ?",
                               (target["id"],)).fetchone()
            seq = row[0] if row else conn.execute(
                "SELECT coalesce(max(created_seq), 0) + 1 FROM lti_grade_targets").fetchone()[0]
            conn.execute("INSERT OR REPLACE INTO lti_grade_targets VALUES (?, ?, ?, ?, ?, ?)",
                         (target["id"], target["org_id"], target["learner_id"],
                          target["activity_id"], seq, dumps(target)))

    def get_target(self, target_id: str) -> Document | None:
        """One target, or None."""
        rows = self.store.query("SELECT doc FROM lti_grade_targets WHERE id = ?", (target_id,))
        return loads(rows[0][0]) if rows else None

    def targets(self, org_id: str, learner_id: str, activity_id: str) -> builtins.list[Document]:
        """Index ``lti_grade_targets_learner``."""
        rows = self.store.query(
            "SELECT doc FROM lti_grade_targets WHERE org_id = ? AND learner_id = ? "
            "AND activity_id = ? ORDER BY created_seq", (org_id, learner_id, activity_id))
        return [loads(r[0]) for r in rows]

    def update_target(self, target_id: str, changes: Document) -> bool:
        """Read-modify-write in one write transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM lti_grade_targets WHERE id = ?",
                               (target_id,)).fetchone()
            if row is None:
                return False
            doc = {**loads(row[0]), **changes, "id": target_id}
            conn.execute("UPDATE lti_grade_targets SET doc = ? WHERE id = ?",
                         (dumps(doc), target_id))
        return True

    def remember_context(self, context: Document) -> None:
        """Insert or replace by (registration, context)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO lti_tool_contexts VALUES (?, ?, ?)",
                         (context["registration_id"], context["context_id"], dumps(context)))

    def get_context(self, registration_id: str, context_id: str) -> Document | None:
        """One context, or None."""
        rows = self.store.query(
            "SELECT doc FROM lti_tool_contexts WHERE registration_id = ? AND context_id = ?",
            (registration_id, context_id))
        return loads(rows[0][0]) if rows else None

    def enqueue(self, entries: builtins.list[Document]) -> int:
        """``INSERT OR IGNORE`` on the key; joins the caller's transaction (a SAVEPOINT)."""
        if not entries:
            return 0
        added = 0
        with self.store.transaction() as conn:
            seq = conn.execute("SELECT coalesce(max(seq), 0) FROM lti_score_outbox").fetchone()[0]
            for entry in entries:
                seq += 1
                doc = {k: v for k, v in entry.items() if k not in _COLUMNS}
                added += conn.execute(
                    "INSERT OR IGNORE INTO lti_score_outbox VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
                    (entry["key"], seq, entry["org_id"], entry.get("status") or "pending",
                     entry.get("next_attempt_at"), dumps(doc))).rowcount
        return added

    def get_entry(self, key: str) -> Document | None:
        """One entry, or None."""
        rows = self.store.query(_ENTRY + " WHERE key = ?", (key,))
        return _entry(rows[0]) if rows else None

    def claim(self, owner: str, now: str, until: str, limit: int) -> builtins.list[Document]:
        """Select and lease in one write transaction: no other claimer sees them free."""
        with self.store.transaction() as conn:
            keys = [r[0] for r in conn.execute(
                "SELECT key FROM lti_score_outbox WHERE status = 'pending' "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                "AND (lease_until IS NULL OR lease_until < ?) ORDER BY seq LIMIT ?",
                (now, now, limit))]
            conn.executemany("UPDATE lti_score_outbox SET lease_owner = ?, lease_until = ? "
                             "WHERE key = ?", [(owner, until, k) for k in keys])
            rows = [conn.execute(_ENTRY + " WHERE key = ?", (k,)).fetchone() for k in keys]
        return [_entry(r) for r in rows]

    def settle(self, key: str, owner: str, changes: Document) -> bool:
        """Only the lease holder settles an entry."""
        with self.store.transaction() as conn:
            row = conn.execute(_ENTRY + " WHERE key = ? AND lease_owner = ?",
                               (key, owner)).fetchone()
            if row is None:
                return False
            doc = {**_entry(row), **changes, "lease_owner": None, "lease_until": None}
            conn.execute(
                "UPDATE lti_score_outbox SET status = ?, next_attempt_at = ?, lease_owner = NULL,"
                " lease_until = NULL, doc = ? WHERE key = ?",
                (doc["status"], doc.get("next_attempt_at"),
                 dumps({k: v for k, v in doc.items() if k not in _COLUMNS}), key))
        return True

    def entries(self, org_id: str | None = None,
                status: str | None = None) -> builtins.list[Document]:
        """Oldest first."""
        clauses, params = [], []
        if org_id is not None:
            clauses.append("org_id = ?")
            params.append(org_id)
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [_entry(r) for r in self.store.query(_ENTRY + where + " ORDER BY seq", params)]


def attach(store: SqliteStore) -> None:
    """``store.lti_grades``."""
    store.lti_grades = SqliteGradeRepository(store)
