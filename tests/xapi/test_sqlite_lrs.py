"""What is particular to the LRS on the embedded store: the WAL guard, one transaction per
batch, and the index layout the queries rely on."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from storage import open_store
from storage.errors import DuplicateKey
from storage.ports.xapi import StatementQuery, StatementRecord
from storage.sqlite import xapi_wal
from xapi.index_keys import fingerprint, statement_keys


def _record(i: int) -> StatementRecord:
    stmt = {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:u{i}@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": f"http://example.org/a/{i % 7}"}}
    return StatementRecord(id=stmt["id"], statement=stmt, fingerprint=fingerprint(stmt),
                           keys=tuple(statement_keys(stmt)))


class _Recording:
    """A connection that remembers what it was asked to run."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.sql: list[str] = []

    def execute(self, sql: str) -> Any:
        self.sql.append(sql)
        return self.conn.execute(sql)


@pytest.mark.parametrize("limit,restarts", [(0, True), (64 * 1024 * 1024, False)])
def test_wal_guard_restarts_only_a_large_wal(sqlite_url: str, monkeypatch: Any, limit: int,
                                             restarts: bool) -> None:
    """Past the limit the guard folds the WAL back with a RESTART checkpoint (the next writer
    then writes it from its start again); under it, only the PASSIVE one runs."""
    store = open_store(sqlite_url)
    try:
        for start in range(0, 600, 100):
            store.statements.insert([_record(i) for i in range(start, start + 100)])
        monkeypatch.setattr(xapi_wal, "WAL_LIMIT_BYTES", limit)
        conn = _Recording(store.path)
        try:
            xapi_wal.WalGuard(store).checkpoint(conn)  # type: ignore[arg-type]
            frames, copied = conn.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1:]
        finally:
            conn.conn.close()
        assert ("PRAGMA wal_checkpoint(PASSIVE)" in conn.sql) is True
        assert ("PRAGMA wal_checkpoint(RESTART)" in conn.sql) is restarts
        assert frames == copied  # everything folded back into the database
        store.statements.insert([_record(i) for i in range(600, 610)])
        assert store.statements.count() == 610  # nothing lost
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
    """The primary key (epoch, key, seq) serves filter + order + limit without a sort."""
    store = open_store(sqlite_url)
    try:
        store.statements.insert([_record(i) for i in range(50)])
        plan = store.query(
            "EXPLAIN QUERY PLAN SELECT s.seq, s.body FROM xapi_statement_index k "
            "JOIN xapi_statements s ON s.seq = k.seq WHERE k.epoch = ? AND k.key = ? "
            "AND k.seq > ? AND k.seq < ? AND s.voided = 0 ORDER BY k.seq DESC LIMIT 51",
            (0, 1, 0, 1 << 62))
        text = " ".join(str(row[-1]) for row in plan)
        assert "TEMP B-TREE" not in text
        assert "USING PRIMARY KEY (epoch=? AND key=? AND seq>? AND seq<?)" in text
        page = store.statements.query(StatementQuery(
            keys=("act|http://example.org/a/3",), limit=3))
        assert len(page.statements) == 3 and page.cursor
        rest = store.statements.query(StatementQuery(
            keys=("act|http://example.org/a/3",), limit=50, cursor=page.cursor))
        assert len(page.statements) + len(rest.statements) == 7
    finally:
        store.close()


def _pages(store: Any, **kw: Any) -> list[str]:
    """The ids of every page of a query, followed through its cursors."""
    ids: list[str] = []
    cursor = None
    while True:
        page = store.statements.query(StatementQuery(cursor=cursor, **kw))
        assert len(page.statements) <= kw["limit"]
        ids += [s["id"] for s in page.statements]
        if page.cursor is None:
            return ids
        cursor = page.cursor


def test_queries_span_epochs_in_order(sqlite_url: str, monkeypatch: Any) -> None:
    """With 4 statements an epoch, a query runs over many UNION ALL members and runs of
    epochs; its pages are exactly the matching statements, newest first (or oldest first),
    whatever the key's density per epoch."""
    from storage.sqlite import statements as sqlite_statements

    monkeypatch.setattr(sqlite_statements, "EPOCH_BITS", 2)
    store = open_store(sqlite_url)
    try:
        records = [_record(i) for i in range(300)]
        # a sparse key: only statements 5, 150 and 299 are for one more activity
        for i in (5, 150, 299):
            records[i].statement["object"]["id"] = "http://example.org/rare"
            records[i].keys = tuple(statement_keys(records[i].statement))
        for start in range(0, 300, 25):
            store.statements.insert(records[start:start + 25])
        epochs = store.query("SELECT COUNT(DISTINCT epoch) FROM xapi_statement_index")[0][0]
        assert epochs == 76  # seq 1..300 -> epochs 0..75
        ids = [r.id for r in records]
        rare = store.statements.query(StatementQuery(keys=("act|http://example.org/rare",),
                                                     limit=10))
        assert [s["id"] for s in rare.statements] == [ids[299], ids[150], ids[5]]
        assert rare.cursor is None
        three = [i for i in range(300) if i % 7 == 3 and i not in (5, 150, 299)]
        newest_first = _pages(store, keys=("act|http://example.org/a/3",), limit=4)
        assert newest_first == [ids[i] for i in reversed(three)]
        oldest_first = _pages(store, keys=("act|http://example.org/a/3",), limit=6,
                              ascending=True)
        assert oldest_first == [ids[i] for i in three]
        # two keys: the driving one per epoch, the other checked per row
        both = store.statements.query(StatementQuery(
            keys=("agent|mbox|mailto:u150@example.org", "act|http://example.org/rare"),
            limit=10))
        assert [s["id"] for s in both.statements] == [ids[150]]
        # a related key is met by the direct key (two alternatives, merged in order)
        related = _pages(store, keys=("act*|http://example.org/a/3",), limit=5)
        assert related == [ids[i] for i in reversed(three)]
    finally:
        store.close()


def test_ids_are_found_through_their_hash_even_on_a_collision(sqlite_url: str,
                                                               monkeypatch: Any) -> None:
    """Every id hashing alike: lookups still compare the id, so nothing is mixed up."""
    from storage.sqlite import statements as sqlite_statements

    monkeypatch.setattr(sqlite_statements, "id_hash", lambda statement_id: 7)
    store = open_store(sqlite_url)
    try:
        records = [_record(i) for i in range(5)]
        store.statements.insert(records)
        got = store.statements.get_many([records[1].id, records[3].id])
        assert set(got) == {records[1].id, records[3].id}
        assert got[records[3].id]["statement"]["actor"]["mbox"] == "mailto:u3@example.org"
        assert store.statements.insert([records[2]])[1] == []  # same content: a no-op
    finally:
        store.close()


V1_SCHEMA = (
    "CREATE TABLE xapi_statements (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
    "stored TEXT NOT NULL, fingerprint TEXT NOT NULL, voided INTEGER NOT NULL DEFAULT 0, "
    "voids TEXT, org_id TEXT, body TEXT NOT NULL)",
    "CREATE INDEX xapi_statements_stored ON xapi_statements (stored)",
    "CREATE TABLE xapi_statement_keys (key INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "PRIMARY KEY (key, seq)) WITHOUT ROWID",
)


def test_a_store_written_at_schema_1_is_upgraded(sqlite_url: str) -> None:
    """A file from the (key, seq) layout: its statements keep their seq, stay queryable by
    every key and by id, and new ones follow them."""
    import orjson

    from storage.sqlite.store import path_from_url
    from storage.sqlite.xapi_tables import SCHEMA_VERSION, stored_hashes

    path = path_from_url(sqlite_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = [_record(i) for i in range(20)]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE schema_migrations (module TEXT PRIMARY KEY, "
                     "version INTEGER NOT NULL)")
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES ('storage.sqlite.xapi', 1)")
        for seq, r in enumerate(old, start=1):
            conn.execute("INSERT INTO xapi_statements (seq, id, stored, fingerprint, body) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (seq, r.id, f"2026-01-01T00:00:{seq:02d}Z", r.fingerprint,
                          orjson.dumps(r.statement).decode()))
            conn.executemany("INSERT INTO xapi_statement_keys VALUES (?, ?)",
                             [(h, seq) for h in stored_hashes(r.keys)])
    conn.close()
    store = open_store(sqlite_url)
    try:
        version = store.query("SELECT version FROM schema_migrations WHERE module = ?",
                              ("storage.sqlite.xapi",))[0][0]
        assert version == SCHEMA_VERSION
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master")}
        assert "xapi_statement_keys" not in tables and "xapi_statements_v1" not in tables
        assert store.statements.get(old[4].id)["statement"]["id"] == old[4].id
        new = [_record(i) for i in range(20, 27)]
        store.statements.insert(new)
        page = store.statements.query(StatementQuery(keys=("act|http://example.org/a/3",),
                                                     limit=50))
        assert [s["id"] for s in page.statements] == [
            r.id for r in reversed(old + new) if r.statement["object"]["id"].endswith("/3")]
        with pytest.raises(DuplicateKey):  # the id is still unique after the rebuild
            clash = _record(99)
            clash.id = old[0].id
            clash.statement["id"] = old[0].id
            store.statements.insert([clash])
    finally:
        store.close()
