"""SQLite repository of departments' demands
(:class:`storage.ports.demands.DemandRepository`).

A demand is one row of ``demands``: the document as JSON plus the columns the lists filter on
(department, status, the provider it was sent to or accepted by). The competencies it asks for
are rows of ``demand_competencies``, so that "open demands matching what a provider publishes"
is one indexed join; its audit events are rows of ``demand_events``. A change, its
competency rows and its event are one transaction, and the compare-and-set is the
``UPDATE ... WHERE row_version = ?`` inside it.
"""

from __future__ import annotations

import builtins
import sqlite3
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.ports.demands import OPEN_STATUS, competency_ids
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS demands (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, status TEXT NOT NULL,
        provider_id TEXT, assigned_to TEXT, row_version INTEGER NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS demands_org ON demands (org_id, id)",
    "CREATE INDEX IF NOT EXISTS demands_assigned ON demands (assigned_to, id)",
    "CREATE INDEX IF NOT EXISTS demands_open ON demands (status, provider_id, id)",
    """CREATE TABLE IF NOT EXISTS demand_competencies (
        demand_id TEXT NOT NULL, competency TEXT NOT NULL,
        PRIMARY KEY (competency, demand_id)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS demand_events (
        seq INTEGER PRIMARY KEY, demand_id TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS demand_events_demand ON demand_events (demand_id, seq)",
)


def _write_competencies(conn: sqlite3.Connection, demand: Document) -> None:
    conn.execute("DELETE FROM demand_competencies WHERE demand_id = ?", (demand["id"],))
    conn.executemany("INSERT OR IGNORE INTO demand_competencies VALUES (?, ?)",
                     [(demand["id"], c) for c in competency_ids(demand)])


def _page(sql: str, params: builtins.list[Any], statuses: tuple[str, ...],
          after: str | None, limit: int) -> tuple[str, builtins.list[Any]]:
    """``sql`` narrowed to ``statuses`` and the page after ``after``, ordered by id."""
    if statuses:
        sql += f" AND status IN ({', '.join('?' * len(statuses))})"
        params.extend(statuses)
    if after is not None:
        sql += " AND id > ?"
        params.append(after)
    return sql + " ORDER BY id LIMIT ?", [*params, limit]


class SqliteDemandRepository:
    """Demands in ``demands``, ``demand_competencies`` and ``demand_events``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, demand: Document, event: Document) -> None:
        """The demand, its competency rows and its first event in one transaction."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO demands VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (demand["id"], demand["org_id"], demand["status"],
                          demand.get("provider_id"), demand.get("assigned_to"),
                          demand["row_version"], dumps(demand)))
            _write_competencies(conn, demand)
            conn.execute("INSERT INTO demand_events (demand_id, doc) VALUES (?, ?)",
                         (demand["id"], dumps(event)))

    def get(self, demand_id: str) -> Document | None:
        """One demand, or None."""
        rows = self.store.query("SELECT doc FROM demands WHERE id = ?", (demand_id,))
        return loads(rows[0][0]) if rows else None

    def replace(self, demand: Document, *, expected_version: int, event: Document
                ) -> Document | None:
        """One conditional UPDATE on ``row_version`` (the compare-and-set), the competency
        rows and the event's INSERT, in one transaction (``BEGIN IMMEDIATE``: a second writer
        waits, then finds the version moved on and writes nothing)."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT org_id FROM demands WHERE id = ? AND row_version = ?",
                               (demand["id"], expected_version)).fetchone()
            if row is None:
                return None
            doc = {**demand, "org_id": row[0], "row_version": expected_version + 1}
            conn.execute("UPDATE demands SET status = ?, provider_id = ?, assigned_to = ?, "
                         "row_version = ?, doc = ? WHERE id = ? AND row_version = ?",
                         (doc["status"], doc.get("provider_id"), doc.get("assigned_to"),
                          doc["row_version"], dumps(doc), doc["id"], expected_version))
            _write_competencies(conn, doc)
            conn.execute("INSERT INTO demand_events (demand_id, doc) VALUES (?, ?)",
                         (doc["id"], dumps(event)))
        return doc

    def _list(self, column: str, value: str, statuses: tuple[str, ...], limit: int,
              after: str | None) -> builtins.list[Document]:
        sql, params = _page(f"SELECT doc FROM demands WHERE {column} = ?", [value], statuses,
                            after, limit)
        return [loads(r[0]) for r in self.store.query(sql, params)]

    def list_for_org(self, org_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                     after: str | None = None) -> builtins.list[Document]:
        """A department's demands (index ``demands_org``)."""
        return self._list("org_id", org_id, statuses, limit, after)

    def list_assigned(self, provider_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                      after: str | None = None) -> builtins.list[Document]:
        """A provider's accepted demands (index ``demands_assigned``)."""
        return self._list("assigned_to", provider_id, statuses, limit, after)

    def list_open(self, provider_id: str, competencies: builtins.list[str], limit: int = 50,
                  after: str | None = None) -> builtins.list[Document]:
        """Sent to the provider, or broadcast and asking for one of ``competencies`` (passed
        as one JSON array parameter: a provider may publish hundreds of competencies, more
        than a statement should bind one by one)."""
        sql = ("SELECT doc FROM demands d WHERE status = ? AND (provider_id = ? OR "
               "(provider_id IS NULL AND EXISTS (SELECT 1 FROM demand_competencies c "
               "WHERE c.demand_id = d.id AND c.competency IN "
               "(SELECT value FROM json_each(?)))))")
        sql, params = _page(sql, [OPEN_STATUS, provider_id, dumps(list(competencies))], (),
                            after, limit)
        return [loads(r[0]) for r in self.store.query(sql, params)]

    def events(self, demand_id: str) -> builtins.list[Document]:
        """Oldest first (index ``demand_events_demand``)."""
        rows = self.store.query(
            "SELECT doc FROM demand_events WHERE demand_id = ? ORDER BY seq", (demand_id,))
        return [loads(r[0]) for r in rows]


def attach(store: SqliteStore) -> None:
    """``store.demands``."""
    store.demands = SqliteDemandRepository(store)
