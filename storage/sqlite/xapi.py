"""The xAPI repositories on SQLite: statements, documents, activities.

Statements keep their JSON as text with the columns the LRS needs (id, stored, voided). The
filters of Communication 2.1.3 go through one side table of index keys (``storage.ports.
StatementRecord.keys``) stored as 64-bit hashes in a ``WITHOUT ROWID`` table whose primary key
``(key, seq)`` is the composite "(filter, stored)" index: a filtered page is one range scan in
order, and a key row costs about 20 bytes on disk. ``seq`` is the insertion order; ``stored``
is taken inside the write transaction, so ``seq`` order is ``stored`` order and keyset cursors
on ``seq`` are stable.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from storage.errors import DuplicateKey
from storage.ports import Document, StatementPage, StatementQuery, StatementRecord
from storage.sqlite.store import translated
from storage.sqlite.xapi_wal import start_guard

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS xapi_statements (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    stored TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0,
    voids TEXT,
    org_id TEXT,
    body TEXT NOT NULL
)""",
    """CREATE INDEX IF NOT EXISTS xapi_statements_stored ON xapi_statements (stored)""",
    """CREATE TABLE IF NOT EXISTS xapi_statement_keys (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS xapi_documents (
    kind TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content BLOB NOT NULL,
    content_type TEXT NOT NULL,
    etag TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (kind, activity_id, agent, registration, doc_id)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS xapi_activities (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL
)""",
)

_MAX_VARS = 500  # stay well under SQLite's bound-parameter limit


@functools.lru_cache(maxsize=200_000)
def key_hash(key: str) -> int:
    """The signed 64-bit integer stored for an index key (collisions: ~2^-64 per pair)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                          signed=True)


def stored_hashes(keys: Iterable[str]) -> list[int]:
    """The key hashes written for a statement. A related key ``kind*|value`` is implied by
    ``kind|value`` (see :mod:`xapi.index_keys`: the related set is a superset), so it is not
    written when the direct key is: two fewer random index inserts per typical statement."""
    unique = set(keys)
    kept = {k for k in unique if "*|" not in k or k.replace("*|", "|", 1) not in unique}
    return sorted({key_hash(k) for k in kept})


def alternatives(key: str) -> list[int]:
    """The stored key hashes that satisfy a query key (see :func:`stored_hashes`)."""
    if "*|" in key:
        return [key_hash(key), key_hash(key.replace("*|", "|", 1))]
    return [key_hash(key)]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _MAX_VARS):
        yield items[i:i + _MAX_VARS]


class SqliteStatementRepository:
    """``storage.ports.StatementRepository`` on SQLite."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def insert(self, records: list[StatementRecord]) -> tuple[str, list[str]]:
        """One transaction for the whole batch (see the port).

        The JSON and the key hashes are computed before the write lock is taken, so the lock
        is held only for the lookups and inserts (writers of every process share it)."""
        if not records:
            return _now(), []
        start_guard(self._store)
        prepared: dict[str, tuple[StatementRecord, bytes, list[int]]] = {}
        for record in records:
            if record.id not in prepared:
                record.statement.pop("stored", None)  # the LRS sets it (Data 2.4.8)
                head = orjson.dumps(record.statement)[:-1]
                prepared[record.id] = (record, head, stored_hashes(record.keys))
        with translated(), self._store.transaction() as conn:
            # The WAL guard (storage.sqlite.xapi_wal) checkpoints: a commit that checkpoints
            # holds the write lock while it copies the index pages every ingest commit dirties.
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            existing = self._fingerprints(conn, list(prepared))
            fresh = []
            for sid, item in prepared.items():
                known = existing.get(sid)
                if known is None:
                    fresh.append(item)
                elif known != item[0].fingerprint:
                    raise DuplicateKey(f"statement {sid} exists with other content")
            stored = _now()  # inside the write lock: stored order is commit order
            if not fresh:
                return stored, []
            tail = (',"stored":"' + stored + '"}').encode()
            row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM xapi_statements").fetchone()
            first = int(row[0]) + 1
            statement_rows = []
            key_rows = []
            for offset, (record, head, hashes) in enumerate(fresh):
                seq = first + offset
                body = head + (tail if len(head) > 1 else tail[1:])
                statement_rows.append((seq, record.id, stored, record.fingerprint, record.voids,
                                       record.org_id, body.decode()))
                key_rows.extend((h, seq) for h in hashes)
            conn.executemany(
                "INSERT INTO xapi_statements (seq, id, stored, fingerprint, voids, org_id, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", statement_rows)
            conn.executemany(
                "INSERT INTO xapi_statement_keys (key, seq) VALUES (?, ?)", key_rows)
            voided = [(item[0].voids,) for item in fresh if item[0].voids]
            if voided:
                conn.executemany("UPDATE xapi_statements SET voided = 1 WHERE id = ?", voided)
        for record, _, _ in fresh:
            record.statement["stored"] = stored
        return stored, [item[0].id for item in fresh]

    @staticmethod
    def _fingerprints(conn: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(list(set(ids))):
            marks = ",".join("?" * len(chunk))
            for sid, fp in conn.execute(
                f"SELECT id, fingerprint FROM xapi_statements WHERE id IN ({marks})", chunk
            ):
                found[sid] = fp
        return found

    def get(self, statement_id: str) -> Document | None:
        """One statement with its voided flag."""
        return self.get_many([statement_id]).get(statement_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Document]:
        """Several statements by id."""
        out: dict[str, Document] = {}
        for chunk in chunks(list(set(ids))):
            marks = ",".join("?" * len(chunk))
            for sid, body, voided, voids, org_id in self._store.query(
                "SELECT id, body, voided, voids, org_id FROM xapi_statements"
                f" WHERE id IN ({marks})", chunk,
            ):
                out[sid] = {"statement": orjson.loads(body), "voided": bool(voided),
                            "voids": voids, "org_id": org_id}
        return out

    def _seq_bounds(self, conn: sqlite3.Connection, query: StatementQuery) -> tuple[int, int]:
        """``since``/``until`` on ``stored`` as an open seq interval (lo, hi)."""
        lo, hi = 0, 1 << 62
        if query.since:
            row = conn.execute(
                "SELECT MIN(seq) FROM xapi_statements WHERE stored > ?", (query.since,)
            ).fetchone()
            lo = (row[0] - 1) if row[0] is not None else hi
        if query.until:
            row = conn.execute(
                "SELECT MAX(seq) FROM xapi_statements WHERE stored <= ?", (query.until,)
            ).fetchone()
            hi = (row[0] + 1) if row[0] is not None else 0
        if query.cursor:
            last = int(query.cursor)
            if query.ascending:
                lo = max(lo, last)
            else:
                hi = min(hi, last)
        return lo, hi

    def query(self, query: StatementQuery) -> StatementPage:
        """One page, newest first unless ``ascending``."""
        with self._store.reading() as conn:
            return self._page(conn, query)

    def _page(self, conn: sqlite3.Connection, query: StatementQuery) -> StatementPage:
        lo, hi = self._seq_bounds(conn, query)
        if lo + 1 >= hi:
            return StatementPage([], None)
        order = "ASC" if query.ascending else "DESC"
        if not query.keys:
            sql = ("SELECT s.seq, s.body FROM xapi_statements s "
                   "WHERE s.seq > ? AND s.seq < ? AND s.voided = 0")
            params: list[Any] = [lo, hi]
            if query.org_id is not None:
                sql += " AND s.org_id = ?"
                params.append(query.org_id)
            rows = conn.execute(f"{sql} ORDER BY s.seq {order} LIMIT ?",
                                [*params, query.limit + 1]).fetchall()
        else:
            first, *rest = (alternatives(k) for k in query.keys)
            sql = ("SELECT s.seq, s.body FROM xapi_statement_keys k "
                   "JOIN xapi_statements s ON s.seq = k.seq "
                   "WHERE k.key = ? AND k.seq > ? AND k.seq < ? AND s.voided = 0")
            tail: list[Any] = []
            for alts in rest:
                marks = ",".join("?" * len(alts))
                sql += (" AND EXISTS (SELECT 1 FROM xapi_statement_keys k2 "
                        f"WHERE k2.key IN ({marks}) AND k2.seq = k.seq)")
                tail += alts
            if query.org_id is not None:
                sql += " AND s.org_id = ?"
                tail.append(query.org_id)
            sql += f" ORDER BY k.seq {order} LIMIT ?"
            # One ordered range scan per alternative of the driving key, merged here.
            merged: dict[int, str] = {}
            for alt in first:
                for seq, body in conn.execute(sql, [alt, lo, hi, *tail, query.limit + 1]):
                    merged[seq] = body
            rows = sorted(merged.items(), reverse=not query.ascending)[:query.limit + 1]
        more = len(rows) > query.limit
        rows = rows[:query.limit]
        statements = [orjson.loads(body) for _, body in rows]
        cursor = str(rows[-1][0]) if more and rows else None
        return StatementPage(statements, cursor)

    def count(self) -> int:
        """How many statements are stored (voided ones included)."""
        return int(self._store.query("SELECT COUNT(*) FROM xapi_statements")[0][0])


def attach(store: Any) -> None:
    """Give the store its xAPI repositories."""
    from storage.sqlite.xapi_documents import SqliteActivityRepository, SqliteDocumentRepository

    store.statements = SqliteStatementRepository(store)
    store.xapi_documents = SqliteDocumentRepository(store)
    store.activities = SqliteActivityRepository(store)
