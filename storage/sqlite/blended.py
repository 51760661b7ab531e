"""SQLite repository of blended programs (:class:`storage.ports.blended.BlendedRepository`).

Documents as JSON with the columns that lookups use. A seat is taken inside one write
transaction (``BEGIN IMMEDIATE``, and the store's writer lock shared by every process on the
file): the check of the enrolment's state, the check of the batch's free seats and both
updates are serialised with every other writer, so racing approvals cannot over-allocate.
A session's attendance sheet is one row (its records as JSON, its revision), compared and
written in one write transaction.
"""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.ports.blended import (
    BATCH_FIXED,
    SESSION_FIXED,
    BatchFull,
    active_slot,
    merged_records,
)
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 2

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS blended_batches (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, program_id TEXT NOT NULL,
        starts_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS blended_batches_org ON blended_batches (org_id, starts_at)",
    "CREATE INDEX IF NOT EXISTS blended_batches_program ON blended_batches (program_id)",
    """CREATE TABLE IF NOT EXISTS blended_sessions (
        id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, starts_at TEXT NOT NULL,
        doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS blended_sessions_batch ON blended_sessions (batch_id, starts_at)",
    """CREATE TABLE IF NOT EXISTS blended_enrolments (
        id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, learner_org_id TEXT NOT NULL,
        learner_id TEXT NOT NULL, state TEXT NOT NULL, slot TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS blended_enrolments_batch ON blended_enrolments (batch_id)",
    """CREATE INDEX IF NOT EXISTS blended_enrolments_learner
        ON blended_enrolments (learner_org_id, learner_id)""",
    # One row per session's attendance sheet (schema version 2): the records as JSON and the
    # revision the compare-and-set of save_attendance checks.
    """CREATE TABLE IF NOT EXISTS blended_attendance (
        session_id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, revision INTEGER NOT NULL,
        records TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS blended_attendance_batch ON blended_attendance (batch_id)",
)


def _one(conn: sqlite3.Connection, table: str, key: str) -> Document | None:
    row = conn.execute(f"SELECT doc FROM {table} WHERE id = ?", (key,)).fetchone()
    return loads(row[0]) if row else None


class SqliteBlendedRepository:
    """Batches, sessions and enrolments in ``blended_*`` tables."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def _get(self, table: str, key: str) -> Document | None:
        rows = self.store.query(f"SELECT doc FROM {table} WHERE id = ?", (key,))
        return loads(rows[0][0]) if rows else None

    def add_batch(self, batch: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO blended_batches VALUES (?, ?, ?, ?, ?)",
                         (batch["id"], batch["org_id"], batch["program_id"], batch["starts_at"],
                          dumps(batch)))

    def get_batch(self, batch_id: str) -> Document | None:
        """One batch, or None."""
        return self._get("blended_batches", batch_id)

    def list_batches(self, org_id: str | None = None,
                     program_id: str | None = None) -> builtins.list[Document]:
        """Batches by start then id."""
        where: list[str] = []
        params: list[str] = []
        for column, value in (("org_id", org_id), ("program_id", program_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.store.query(f"SELECT doc FROM blended_batches{clause} "
                                "ORDER BY starts_at, id", params)
        return [loads(r[0]) for r in rows]

    def update_batch(self, batch_id: str, changes: Document) -> Document | None:
        """Read-modify-write in one write transaction (a capacity checked against the seats
        taken at that moment)."""
        with self.store.transaction() as conn:
            doc = _one(conn, "blended_batches", batch_id)
            if doc is None:
                return None
            doc.update({k: v for k, v in changes.items() if k not in BATCH_FIXED})
            if doc["capacity"] < doc["seats_taken"]:
                raise BatchFull(f"batch {batch_id}: {doc['seats_taken']} seats are taken")
            conn.execute("UPDATE blended_batches SET starts_at = ?, doc = ? WHERE id = ?",
                         (doc["starts_at"], dumps(doc), batch_id))
        return doc

    def add_session(self, session: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO blended_sessions VALUES (?, ?, ?, ?)",
                         (session["id"], session["batch_id"], session["starts_at"],
                          dumps(session)))

    def get_session(self, session_id: str) -> Document | None:
        """One session, or None."""
        return self._get("blended_sessions", session_id)

    def list_sessions(self, batch_ids: Sequence[str]) -> builtins.list[Document]:
        """Sessions of these batches by start instant then id."""
        if not batch_ids:
            return []
        marks = ", ".join("?" * len(batch_ids))
        rows = self.store.query(f"SELECT doc FROM blended_sessions WHERE batch_id IN ({marks}) "
                                "ORDER BY starts_at, id", list(batch_ids))
        return [loads(r[0]) for r in rows]

    def update_session(self, session_id: str, changes: Document) -> Document | None:
        """Read-modify-write in one write transaction."""
        with self.store.transaction() as conn:
            doc = _one(conn, "blended_sessions", session_id)
            if doc is None:
                return None
            doc.update({k: v for k, v in changes.items() if k not in SESSION_FIXED})
            conn.execute("UPDATE blended_sessions SET starts_at = ?, doc = ? WHERE id = ?",
                         (doc["starts_at"], dumps(doc), session_id))
        return doc

    def delete_session(self, session_id: str) -> bool:
        """Remove one session."""
        with self.store.transaction() as conn:
            deleted = conn.execute("DELETE FROM blended_sessions WHERE id = ?", (session_id,))
            return deleted.rowcount == 1

    def add_enrolment(self, enrolment: Document) -> None:
        """Insert (``DuplicateKey`` on the id or on the learner's active slot)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO blended_enrolments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (enrolment["id"], enrolment["batch_id"], enrolment["learner_org_id"],
                          enrolment["learner_id"], enrolment["state"], active_slot(enrolment),
                          enrolment["created_at"], dumps(enrolment)))

    def get_enrolment(self, enrolment_id: str) -> Document | None:
        """One enrolment, or None."""
        return self._get("blended_enrolments", enrolment_id)

    def list_enrolments(self, batch_id: str | None = None,
                        learner: tuple[str, str] | None = None,
                        states: Sequence[str] | None = None,
                        learner_org_id: str | None = None) -> builtins.list[Document]:
        """Enrolments by batch, learner, learner organisation and states, oldest first."""
        where: list[str] = []
        params: list[Any] = []
        if learner_org_id is not None:
            where.append("learner_org_id = ?")
            params.append(learner_org_id)
        if batch_id is not None:
            where.append("batch_id = ?")
            params.append(batch_id)
        if learner is not None:
            where.append("learner_org_id = ? AND learner_id = ?")
            params.extend(learner)
        if states is not None:
            where.append(f"state IN ({', '.join('?' * len(states))})" if states else "0")
            params.extend(states)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.store.query(f"SELECT doc FROM blended_enrolments{clause} "
                                "ORDER BY created_at, id", params)
        return [loads(r[0]) for r in rows]

    def transition(self, enrolment_id: str, from_states: Sequence[str], changes: Document,
                   event: Document, seat: int = 0) -> Document | None:
        """Both checks and both writes in one write transaction."""
        with self.store.transaction() as conn:
            doc = _one(conn, "blended_enrolments", enrolment_id)
            if doc is None or doc["state"] not in from_states:
                return None
            if seat:
                self._move_seat(conn, doc, seat)
            doc.update({k: v for k, v in changes.items() if k not in ("id", "batch_id")})
            doc["events"] = [*doc.get("events", []), event]
            conn.execute("UPDATE blended_enrolments SET state = ?, slot = ?, doc = ? "
                         "WHERE id = ?", (doc["state"], active_slot(doc), dumps(doc),
                                          enrolment_id))
        return doc

    @staticmethod
    def _move_seat(conn: sqlite3.Connection, enrolment: Document, seat: int) -> None:
        batch = _one(conn, "blended_batches", enrolment["batch_id"])
        if batch is None:
            raise BatchFull(f"batch {enrolment['batch_id']} is gone")
        holders = [h for h in batch["seat_holders"] if h != enrolment["id"]]
        if seat > 0:
            if len(holders) >= batch["capacity"]:
                raise BatchFull(f"batch {batch['id']}: all {batch['capacity']} seats are taken")
            holders.append(enrolment["id"])
        batch["seat_holders"], batch["seats_taken"] = holders, len(holders)
        conn.execute("UPDATE blended_batches SET doc = ? WHERE id = ?",
                     (dumps(batch), batch["id"]))

    def attendance(self, session_id: str) -> tuple[int, builtins.list[Document]]:
        """The sheet's revision and records."""
        rows = self.store.query("SELECT revision, records FROM blended_attendance "
                                "WHERE session_id = ?", (session_id,))
        return (rows[0][0], loads(rows[0][1])) if rows else (0, [])

    def save_attendance(self, session_id: str, batch_id: str, revision: int,
                        records: Sequence[Document]) -> bool:
        """Read, compare and write in one write transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT revision, records FROM blended_attendance "
                               "WHERE session_id = ?", (session_id,)).fetchone()
            if (row[0] if row else 0) != revision:
                return False
            merged = dumps(merged_records(loads(row[1]) if row else [], records))
            conn.execute("INSERT INTO blended_attendance VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (session_id) DO UPDATE SET revision = excluded.revision, "
                         "records = excluded.records", (session_id, batch_id, revision + 1,
                                                        merged))
        return True

    def batch_attendance(self, batch_id: str) -> builtins.list[Document]:
        """The records of every sheet of the batch."""
        rows = self.store.query("SELECT records FROM blended_attendance WHERE batch_id = ? "
                                "ORDER BY session_id", (batch_id,))
        return [record for row in rows for record in loads(row[0])]


def attach(store: SqliteStore) -> None:
    """``store.blended``."""
    store.blended = SqliteBlendedRepository(store)
