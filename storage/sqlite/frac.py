"""SQLite repository of FRAC frameworks (:class:`storage.ports.frac.FracRepository`).

Each document is JSON text plus the columns lookups use: nodes by framework, type, status
and code (unique per framework; SQLite lets several code-less foreign items share NULL),
events by node in insertion order, versions keyed (framework, number) so that the latest of
every framework is an index-only ``max``. Version summaries sit in a column of their own:
listing versions never parses their node trees. Multi-row writes (a batch of nodes and its
events, a node and its event) run in one transaction.
"""

from __future__ import annotations

import builtins
import sqlite3
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.ports.frac import (
    FRAMEWORK_FIXED,
    VERSION_BODY,
    check_batch,
    code_order,
    highest_codes,
)
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS frac_frameworks (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS frac_frameworks_org
        ON frac_frameworks (org_id, created_at, id)""",
    """CREATE TABLE IF NOT EXISTS frac_nodes (
        id TEXT PRIMARY KEY, framework TEXT NOT NULL, type TEXT NOT NULL,
        status TEXT NOT NULL, code TEXT, revision INTEGER NOT NULL, doc TEXT NOT NULL,
        UNIQUE (framework, code))""",
    "CREATE INDEX IF NOT EXISTS frac_nodes_filter ON frac_nodes (framework, type, status)",
    """CREATE TABLE IF NOT EXISTS frac_node_events (
        seq INTEGER PRIMARY KEY, node TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS frac_node_events_node ON frac_node_events (node, seq)",
    """CREATE TABLE IF NOT EXISTS frac_code_sequences (
        framework TEXT NOT NULL, prefix TEXT NOT NULL, value INTEGER NOT NULL,
        PRIMARY KEY (framework, prefix))""",
    """CREATE TABLE IF NOT EXISTS frac_versions (
        framework TEXT NOT NULL, number INTEGER NOT NULL, summary TEXT NOT NULL,
        doc TEXT NOT NULL, PRIMARY KEY (framework, number))""",
)

_NODE_COLUMNS = "id, framework, type, status, code, revision, doc"
_RAISE_SEQUENCE = ("INSERT INTO frac_code_sequences VALUES (?, ?, ?) ON CONFLICT (framework, "
                   "prefix) DO UPDATE SET value = max(value, excluded.value)")


def _node_row(node: Document) -> tuple[Any, ...]:
    return (node["id"], node["framework"], node["type"], node["status"], node.get("code"),
            int(node["revision"]), dumps(node))


def _raise_sequences(conn: sqlite3.Connection, nodes: builtins.list[Document]) -> None:
    conn.executemany(_RAISE_SEQUENCE, [(framework, prefix, number) for (framework, prefix), number
                                       in highest_codes(nodes).items()])


class SqliteFracRepository:
    """Frameworks, nodes, events, code sequences and versions in the ``frac_*`` tables."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    # -- frameworks -------------------------------------------------------------------------

    def add_framework(self, doc: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO frac_frameworks VALUES (?, ?, ?, ?)",
                         (doc["id"], doc["org_id"], doc["created_at"], dumps(doc)))

    def get_framework(self, framework_id: str) -> Document | None:
        """One framework, or None."""
        rows = self.store.query("SELECT doc FROM frac_frameworks WHERE id = ?", (framework_id,))
        return loads(rows[0][0]) if rows else None

    def list_frameworks(self, org_id: str | None = None) -> builtins.list[Document]:
        """Frameworks of one organisation (all when None), oldest first."""
        if org_id is None:
            rows = self.store.query("SELECT doc FROM frac_frameworks ORDER BY created_at, id")
        else:
            rows = self.store.query("SELECT doc FROM frac_frameworks WHERE org_id = ? "
                                    "ORDER BY created_at, id", (org_id,))
        return [loads(r[0]) for r in rows]

    def update_framework(self, framework_id: str, changes: Document) -> Document | None:
        """Read-modify-write in one write transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM frac_frameworks WHERE id = ?",
                               (framework_id,)).fetchone()
            if row is None:
                return None
            doc: Document = loads(row[0])
            doc.update({k: v for k, v in changes.items() if k not in FRAMEWORK_FIXED})
            conn.execute("UPDATE frac_frameworks SET doc = ? WHERE id = ?",
                         (dumps(doc), framework_id))
        return doc

    # -- nodes ------------------------------------------------------------------------------

    def add_nodes(self, nodes: builtins.list[Document], events: builtins.list[Document]) -> None:
        """Nodes, their events and the raised code sequences in one transaction: a taken id
        or code rolls all of it back (``DuplicateKey``)."""
        check_batch(nodes, events)
        with self.store.transaction() as conn:
            conn.executemany(f"INSERT INTO frac_nodes ({_NODE_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                             [_node_row(n) for n in nodes])
            conn.executemany("INSERT INTO frac_node_events (node, doc) VALUES (?, ?)",
                             [(e["node"], dumps(e)) for e in events])
            _raise_sequences(conn, nodes)

    def get_node(self, node_id: str) -> Document | None:
        """One node, or None."""
        rows = self.store.query("SELECT doc FROM frac_nodes WHERE id = ?", (node_id,))
        return loads(rows[0][0]) if rows else None

    def list_nodes(self, framework_id: str, *, types: tuple[str, ...] | None = None,
                   statuses: tuple[str, ...] | None = None) -> builtins.list[Document]:
        """Index ``frac_nodes_filter``; sorted in code order."""
        sql = "SELECT doc FROM frac_nodes WHERE framework = ?"
        params: list[Any] = [framework_id]
        for column, values in (("type", types), ("status", statuses)):
            if values is not None:
                sql += f" AND {column} IN ({', '.join('?' * len(values))})"
                params.extend(values)
        return sorted((loads(r[0]) for r in self.store.query(sql, params)), key=code_order)

    def replace_node(self, node: Document, *, expected_revision: int,
                     event: Document | None) -> bool:
        """One conditional UPDATE on ``revision`` (the compare-and-set) and the event's
        INSERT, in one transaction."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT framework FROM frac_nodes WHERE id = ? AND revision = ?",
                               (node["id"], expected_revision)).fetchone()
            if row is None:
                return False
            doc = {**node, "framework": row[0], "revision": expected_revision + 1}
            conn.execute("UPDATE frac_nodes SET type = ?, status = ?, code = ?, revision = ?, "
                         "doc = ? WHERE id = ? AND revision = ?",
                         (doc["type"], doc["status"], doc.get("code"), doc["revision"],
                          dumps(doc), doc["id"], expected_revision))
            if event is not None:
                conn.execute("INSERT INTO frac_node_events (node, doc) VALUES (?, ?)",
                             (doc["id"], dumps(event)))
            _raise_sequences(conn, [doc])
        return True

    def list_node_events(self, node_id: str) -> builtins.list[Document]:
        """Oldest first (index ``frac_node_events_node``)."""
        rows = self.store.query("SELECT doc FROM frac_node_events WHERE node = ? ORDER BY seq",
                                (node_id,))
        return [loads(r[0]) for r in rows]

    def next_code_number(self, framework_id: str, prefix: str) -> int:
        """One UPSERT ... RETURNING inside a write transaction (``BEGIN IMMEDIATE`` serialises
        it against every other writer, in this process and others)."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "INSERT INTO frac_code_sequences VALUES (?, ?, 1) ON CONFLICT (framework, prefix)"
                " DO UPDATE SET value = value + 1 RETURNING value",
                (framework_id, prefix)).fetchone()
        return int(row[0])

    # -- versions ---------------------------------------------------------------------------

    def add_version(self, doc: Document) -> None:
        """Insert (``DuplicateKey`` when (framework, number) exists)."""
        summary = {k: v for k, v in doc.items() if k not in VERSION_BODY}
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO frac_versions VALUES (?, ?, ?, ?)",
                         (doc["framework"], int(doc["number"]), dumps(summary), dumps(doc)))

    def get_version(self, framework_id: str, number: int | None = None) -> Document | None:
        """By primary key; the latest is the last of the key range."""
        if number is None:
            rows = self.store.query("SELECT doc FROM frac_versions WHERE framework = ? "
                                    "ORDER BY number DESC LIMIT 1", (framework_id,))
        else:
            rows = self.store.query("SELECT doc FROM frac_versions WHERE framework = ? "
                                    "AND number = ?", (framework_id, number))
        return loads(rows[0][0]) if rows else None

    def list_versions(self, framework_id: str) -> builtins.list[Document]:
        """The summary column only, oldest first."""
        rows = self.store.query("SELECT summary FROM frac_versions WHERE framework = ? "
                                "ORDER BY number", (framework_id,))
        return [loads(r[0]) for r in rows]

    def latest_version_numbers(self) -> dict[str, int]:
        """``max(number)`` per framework over the primary key (no document read)."""
        rows = self.store.query("SELECT framework, max(number) FROM frac_versions "
                                "GROUP BY framework")
        return {r[0]: int(r[1]) for r in rows}


def attach(store: SqliteStore) -> None:
    """``store.frac``."""
    store.frac = SqliteFracRepository(store)
