"""SQLite repository of the competency passbook (:class:`storage.ports.passbook.
PassbookRepository`).

Two tables, each row a JSON document plus the columns its queries filter on:

- ``passbook_completions``, keyed ``(org_id, statement_id)``; the partial index
  ``passbook_flagged`` holds only flagged rows, so a department's review list never scans
  its unflagged completions;
- ``passbook_evidence``, keyed ``(org_id, learner_id, competency, source)`` (the primary key
  serves a learner's passbook and :meth:`held_levels`); ``counts`` is 1 for proven, not
  withheld rows, and ``passbook_holders`` ``(competency, counts, org_id, learner_id, level)``
  answers talent search as one ordered index range; ``passbook_evidence_statement`` finds
  what a voided statement earned.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.ports.passbook import PROVEN_KINDS, strength
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    import sqlite3

    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS passbook_completions (
        org_id TEXT NOT NULL, statement_id TEXT NOT NULL, learner_id TEXT NOT NULL,
        flagged INTEGER NOT NULL, accepted INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (org_id, statement_id)) WITHOUT ROWID""",
    """CREATE INDEX IF NOT EXISTS passbook_flagged
        ON passbook_completions (org_id, accepted, statement_id) WHERE flagged = 1""",
    """CREATE TABLE IF NOT EXISTS passbook_evidence (
        org_id TEXT NOT NULL, learner_id TEXT NOT NULL, competency TEXT NOT NULL,
        source TEXT NOT NULL, level INTEGER NOT NULL, counts INTEGER NOT NULL,
        statement_id TEXT, doc TEXT NOT NULL,
        PRIMARY KEY (org_id, learner_id, competency, source)) WITHOUT ROWID""",
    """CREATE INDEX IF NOT EXISTS passbook_holders
        ON passbook_evidence (competency, counts, org_id, learner_id, level)""",
    """CREATE INDEX IF NOT EXISTS passbook_evidence_statement
        ON passbook_evidence (org_id, statement_id)""",
)

#: SQLite's default limit of host parameters is 32766; stay far below it per IN list.
_CHUNK = 500


def _counts(row: Document) -> int:
    return int(row.get("kind") in PROVEN_KINDS and not row.get("withheld"))


class SqlitePassbookRepository:
    """Completions and evidence in ``passbook_completions`` / ``passbook_evidence``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def record(self, completions: Iterable[Document], evidence: Iterable[Document]) -> None:
        """Upsert completions; merge evidence keeping the stronger row per source, in one
        transaction (a SAVEPOINT when the caller's batch write is open)."""
        rows = list(completions)
        merged: dict[tuple[str, str, str, str], Document] = {}
        for row in evidence:  # the batch's own duplicates first: one read per key below
            key = (row["org_id"], row["learner_id"], row["competency"], row["source"])
            if key not in merged or strength(row) < strength(merged[key]):
                merged[key] = dict(row)
        with self.store.transaction() as conn:
            if rows:
                conn.executemany(
                    "INSERT OR REPLACE INTO passbook_completions VALUES (?, ?, ?, ?, ?, ?)",
                    [(c["org_id"], c["statement_id"], c["learner_id"],
                      int(bool(c.get("flagged"))), int(c.get("accepted") is not None),
                      dumps(c)) for c in rows])
            winners = [row for key, row in merged.items() if self._beats(conn, key, row)]
            if winners:
                conn.executemany(
                    "INSERT OR REPLACE INTO passbook_evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(e["org_id"], e["learner_id"], e["competency"], e["source"],
                      int(e["level"]), _counts(e), e.get("statement_id"), dumps(e))
                     for e in winners])

    @staticmethod
    def _beats(conn: sqlite3.Connection, key: tuple[str, str, str, str], row: Document
               ) -> bool:
        old = conn.execute(
            "SELECT doc FROM passbook_evidence WHERE org_id = ? AND learner_id = ? "
            "AND competency = ? AND source = ?", key).fetchone()
        return old is None or strength(row) < strength(loads(old[0]))

    def accept(self, org_id: str, statement_id: str, accepted: Document) -> bool:
        """Accept a pending flagged completion and release its evidence, atomically."""
        with self.store.transaction() as conn:
            found = conn.execute(
                "SELECT doc FROM passbook_completions WHERE org_id = ? AND statement_id = ? "
                "AND flagged = 1 AND accepted = 0", (org_id, statement_id)).fetchone()
            if found is None:
                return False
            doc = loads(found[0])
            doc["accepted"] = dict(accepted)
            conn.execute("UPDATE passbook_completions SET accepted = 1, doc = ? "
                         "WHERE org_id = ? AND statement_id = ?",
                         (dumps(doc), org_id, statement_id))
            released = []
            for row in conn.execute(
                    "SELECT doc FROM passbook_evidence WHERE org_id = ? AND learner_id = ? "
                    "AND statement_id = ?", (org_id, doc["learner_id"], statement_id)):
                ev = loads(row[0])
                ev["withheld"] = False
                released.append(ev)
            conn.executemany(
                "UPDATE passbook_evidence SET counts = ?, doc = ? WHERE org_id = ? "
                "AND learner_id = ? AND competency = ? AND source = ?",
                [(_counts(e), dumps(e), e["org_id"], e["learner_id"], e["competency"],
                  e["source"]) for e in released])
        return True

    def forget(self, org_id: str, statement_id: str) -> builtins.list[Document]:
        """Delete a voided statement's rows in one transaction (evidence through the
        partial index ``passbook_evidence_statement``)."""
        with self.store.transaction() as conn:
            dropped = [loads(r[0]) for r in conn.execute(
                "SELECT doc FROM passbook_completions WHERE org_id = ? AND statement_id = ?",
                (org_id, statement_id))]
            dropped += [loads(r[0]) for r in conn.execute(
                "SELECT doc FROM passbook_evidence WHERE org_id = ? AND statement_id = ? "
                "ORDER BY competency, source", (org_id, statement_id))]
            if dropped:
                conn.execute("DELETE FROM passbook_completions WHERE org_id = ? "
                             "AND statement_id = ?", (org_id, statement_id))
                conn.execute("DELETE FROM passbook_evidence WHERE org_id = ? "
                             "AND statement_id = ?", (org_id, statement_id))
        return dropped

    def completion(self, org_id: str, statement_id: str) -> Document | None:
        """One completion row, or None."""
        rows = self.store.query("SELECT doc FROM passbook_completions WHERE org_id = ? "
                                "AND statement_id = ?", (org_id, statement_id))
        return loads(rows[0][0]) if rows else None

    def flagged(self, org_id: str, pending_only: bool = True, after: str | None = None,
                limit: int = 100) -> builtins.list[Document]:
        """Flagged completions by statement id (index ``passbook_flagged``)."""
        sql = "SELECT doc FROM passbook_completions WHERE org_id = ? AND flagged = 1"
        params: list[Any] = [org_id]
        if pending_only:
            sql += " AND accepted = 0"
        if after is not None:
            sql += " AND statement_id > ?"
            params.append(after)
        params.append(limit)
        rows = self.store.query(sql + " ORDER BY statement_id LIMIT ?", params)
        return [loads(r[0]) for r in rows]

    def evidence(self, org_id: str, learner_id: str) -> builtins.list[Document]:
        """A learner's evidence rows (primary key order: competency, source)."""
        rows = self.store.query(
            "SELECT doc FROM passbook_evidence WHERE org_id = ? AND learner_id = ? "
            "ORDER BY competency, source", (org_id, learner_id))
        return [loads(r[0]) for r in rows]

    def holders(self, org_id: str | None, competency: str, min_level: int,
                after: tuple[str, str] | None = None, limit: int = 100
                ) -> builtins.list[Document]:
        """Holders at ``min_level`` or above, one ordered range of ``passbook_holders``."""
        sql = ("SELECT org_id, learner_id, max(level) FROM passbook_evidence "
               "WHERE competency = ? AND counts = 1 AND level >= ?")
        params: list[Any] = [competency, min_level]
        if org_id is not None:
            sql += " AND org_id = ?"
            params.append(org_id)
        if after is not None:
            sql += " AND (org_id, learner_id) > (?, ?)"
            params.extend(after)
        params.append(limit)
        rows = self.store.query(
            sql + " GROUP BY org_id, learner_id ORDER BY org_id, learner_id LIMIT ?", params)
        return [{"org_id": r[0], "learner_id": r[1], "level": int(r[2])} for r in rows]

    def held_levels(self, org_id: str, learner_ids: Iterable[str] | None = None
                    ) -> dict[str, dict[str, int]]:
        """Best counted level per learner and competency (primary key ranges)."""
        sql = ("SELECT learner_id, competency, max(level) FROM passbook_evidence "
               "WHERE org_id = ? AND counts = 1")
        if learner_ids is None:
            batches: list[list[str]] = [[]]
        else:
            ids = list(dict.fromkeys(learner_ids))
            batches = [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
        held: dict[str, dict[str, int]] = {}
        for batch in batches:
            if learner_ids is not None and not batch:
                continue
            clause = "" if learner_ids is None else (
                " AND learner_id IN (" + ",".join("?" * len(batch)) + ")")
            for learner, competency, level in self.store.query(
                    sql + clause + " GROUP BY learner_id, competency", [org_id, *batch]):
                held.setdefault(learner, {})[competency] = int(level)
        return held

    def clear(self, org_id: str | None = None) -> None:
        """Drop one organisation's rows (every row when None)."""
        where, params = ("", ()) if org_id is None else (" WHERE org_id = ?", (org_id,))
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM passbook_completions" + where, params)
            conn.execute("DELETE FROM passbook_evidence" + where, params)


def attach(store: SqliteStore) -> None:
    """``store.passbook``."""
    store.passbook = SqlitePassbookRepository(store)
