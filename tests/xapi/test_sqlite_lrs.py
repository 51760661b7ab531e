"""What is particular to the LRS on the embedded store: the WAL guard, one transaction per
batch, and the index layout the queries rely on."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

from storage import open_store
from storage.ports import StatementQuery, StatementRecord
from storage.sqlite import xapi_wal
from xapi.index_keys import fingerprint, statement_keys


def _record(i: int) -> StatementRecord:
    stmt = {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:u{i}@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": f"http://example.org/a/{i % 7}"}}
    return StatementRecord(id=stmt["id"], statement=stmt, fingerprint=fingerprint(stmt),
                           keys=tuple(statement_keys(stmt)))


def test_wal_guard_truncates_a_large_wal(sqlite_url: str, monkeypatch: Any) -> None:
    store = open_store(sqlite_url)
    try:
        for start in range(0, 600, 100):
            store.statements.insert([_record(i) for i in range(start, start + 100)])
        wal = Path(f"{store.path}-wal")
        assert wal.stat().st_size > 0
        monkeypatch.setattr(xapi_wal, "WAL_LIMIT_BYTES", 0)
        guard = xapi_wal.WalGuard(store)
        conn = sqlite3.connect(store.path)
        try:
            guard.checkpoint(conn)
        finally:
            conn.close()
        assert wal.stat().st_size == 0
        # nothing lost
        assert store.statements.count() == 600
    finally:
        store.close()


def test_guard_thread_started_once_and_stops_with_the_store(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    store.statements.insert([_record(1)])
    store.statements.insert([_record(2)])
    guards = [g for s, g in xapi_wal.GUARDS.items() if s is store]
    assert len(guards) == 1 and guards[0].is_alive()
    store.close()
    guards[0].join(timeout=5)
    assert not guards[0].is_alive()


def test_filtered_query_is_an_index_range_scan(sqlite_url: str) -> None:
    """The composite primary key (key, seq) serves filter + order + limit without a sort."""
    store = open_store(sqlite_url)
    try:
        store.statements.insert([_record(i) for i in range(50)])
        plan = store.query(
            "EXPLAIN QUERY PLAN SELECT s.seq, s.body FROM xapi_statement_keys k "
            "JOIN xapi_statements s ON s.seq = k.seq WHERE k.key = ? AND k.seq > ? "
            "AND k.seq < ? AND s.voided = 0 ORDER BY k.seq DESC LIMIT 51", (1, 0, 1 << 62))
        text = " ".join(str(row[-1]) for row in plan)
        assert "TEMP B-TREE" not in text
        page = store.statements.query(StatementQuery(
            keys=("act|http://example.org/a/3",), limit=3))
        assert len(page.statements) == 3 and page.cursor
        rest = store.statements.query(StatementQuery(
            keys=("act|http://example.org/a/3",), limit=50, cursor=page.cursor))
        assert len(page.statements) + len(rest.statements) == 7
    finally:
        store.close()
