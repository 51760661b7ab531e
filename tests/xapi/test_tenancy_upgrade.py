"""Data written before each organisation's LRS became its own store: the SQLite schema 2 -> 3
upgrade, the MongoDB layout move at start-up, and ``hub xapi adopt-attachments``."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

import storage
from storage.ports.xapi import DocumentKey, StatementRecord
from tests.mongo_support import mongo_store_url
from tests.xapi.conftest import LRS, agent, statement
from tests.xapi.test_attachments import (
    attachment_meta,
    multipart,
    parse_response,
    part_headers,
    post_multipart,
)
from xapi.attachments import blob_key, legacy_blob_key
from xapi.index_keys import agent_key, fingerprint, statement_keys

ACT_A, ACT_B = "http://example.org/a/course", "http://example.org/b/course"
LEARNER_B = agent_key(agent("bela")) or ""


def _record(org: str, actor: str, activity: str) -> StatementRecord:
    stmt = statement(actor=actor, activity=activity)
    return StatementRecord(id=stmt["id"], statement=stmt, fingerprint=fingerprint(stmt),
                           keys=tuple(statement_keys(stmt)), org_id=org)


def _legacy_content(store: Any) -> None:
    """Statements of two organisations (A: ACT_A; B: ACT_B by bela, then A: ACT_B)."""
    store.statements.insert([_record("org_a", "amal", ACT_A)])
    store.statements.insert([_record("org_b", "bela", ACT_B)])
    store.statements.insert([_record("org_a", "amal", ACT_B)])


# (kind, activity_id, agent) of the legacy documents, and the organisation each must get
LEGACY_DOCS = [("state", ACT_A, "mbox|mailto:x@example.org", "org_a"),
               ("state", ACT_B, "mbox|mailto:x@example.org", "org_b"),  # B named it first
               ("activity-profile", "http://example.org/nobody", "", ""),
               ("agent-profile", "", LEARNER_B, "org_b")]


def _check_upgraded(store: Any) -> None:
    for kind, activity, who, org in LEGACY_DOCS:
        key = DocumentKey(kind, "d", activity, who, "", org_id=org)
        assert store.xapi_documents.get(key)["content"] == b"{}", (kind, activity)
        if org:  # nobody else reaches it
            other = "org_a" if org == "org_b" else "org_b"
            assert store.xapi_documents.get(DocumentKey(kind, "d", activity, who, "",
                                                        org_id=other)) is None
    assert store.activities.get_many("org_a", [ACT_A, ACT_B]).keys() == {ACT_A}
    assert store.activities.get_many("org_b", [ACT_A, ACT_B]).keys() == {ACT_B}


def test_a_store_written_at_schema_2_is_upgraded(sqlite_url: str) -> None:
    """Statements stay; documents and definitions go to the organisation of the earliest
    statement naming their activity or agent, or to none."""
    from storage.sqlite.store import path_from_url

    store = storage.open_store(sqlite_url)
    _legacy_content(store)
    store.close()
    conn = sqlite3.connect(path_from_url(sqlite_url))
    with conn:
        conn.execute("DROP TABLE xapi_documents")
        conn.execute("DROP TABLE xapi_activities")
        conn.execute("CREATE TABLE xapi_documents (kind TEXT NOT NULL, activity_id TEXT NOT "
                     "NULL, agent TEXT NOT NULL, registration TEXT NOT NULL, doc_id TEXT NOT "
                     "NULL, content BLOB NOT NULL, content_type TEXT NOT NULL, etag TEXT NOT "
                     "NULL, updated TEXT NOT NULL, PRIMARY KEY (kind, activity_id, agent, "
                     "registration, doc_id)) WITHOUT ROWID")
        conn.execute("CREATE TABLE xapi_activities (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        conn.executemany("INSERT INTO xapi_documents VALUES (?, ?, ?, '', 'd', X'7b7d', "
                         "'application/json', 'e', '2026-01-01T00:00:00Z')",
                         [d[:3] for d in LEGACY_DOCS])
        conn.executemany("INSERT INTO xapi_activities VALUES (?, ?)",
                         [(a, orjson.dumps({"id": a}).decode()) for a in (ACT_A, ACT_B)])
        conn.execute("UPDATE schema_migrations SET version = 2 "
                     "WHERE module = 'storage.sqlite.xapi'")
    conn.close()
    store = storage.open_store(sqlite_url)
    try:
        _check_upgraded(store)
        assert store.statements.count() == 3
    finally:
        store.close()


@pytest.fixture
def mongo_url() -> Iterator[str]:
    """A fresh MongoDB (mongomock unless MONGODB_URI) database."""
    with mongo_store_url() as url:
        yield url


@pytest.mark.mongodb
def test_a_mongodb_store_in_the_old_layout_is_moved(mongo_url: str) -> None:
    """Statements keyed by their id alone get ``<organisation>|<id>``; documents and
    definitions get an organisation as in SQLite."""
    from storage.mongodb.xapi import ensure_indexes

    store = storage.open_store(mongo_url)
    db = store.db
    _legacy_content(store)
    legacy = {**db.xapi_statements.find_one({"org_id": "org_b"})}
    db.xapi_statements.delete_one({"_id": legacy["_id"]})
    db.xapi_statements.insert_one({**{k: v for k, v in legacy.items() if k != "sid"},
                                   "_id": legacy["sid"]})
    db.xapi_documents.delete_many({})
    db.xapi_documents.insert_many([
        {"_id": orjson.dumps([kind, activity, who, "", "d"]).decode(), "kind": kind,
         "activity_id": activity, "agent": who, "registration": "", "doc_id": "d",
         "content": b"{}", "content_type": "application/json", "etag": "e",
         "updated": "2026-01-01T00:00:00Z"} for kind, activity, who, _ in LEGACY_DOCS])
    db.xapi_activities.delete_many({})
    db.xapi_activities.insert_many([{"_id": a, "body": orjson.dumps({"id": a}).decode()}
                                    for a in (ACT_A, ACT_B)])
    ensure_indexes(db)
    ensure_indexes(db)  # idempotent
    try:
        _check_upgraded(store)
        assert store.statements.get(legacy["sid"], "org_b")["org_id"] == "org_b"
        assert store.statements.get(legacy["sid"], "org_a") is None
        assert store.statements.count() == 3
    finally:
        store.close()


def test_adopt_attachments_gives_old_bodies_to_their_senders(make_lrs: Any, app: Any,
                                                             runner: Any) -> None:
    """The earliest statement's organisation and every one that sent the body get it; one
    that only named its SHA-2 with a fileUrl does not."""
    a, b, c = make_lrs("Org A"), make_lrs("Org B"), make_lrs("Org C")
    orgs = {name: app.extensions["hub.store"].organisations.get_by_name(name)["id"]
            for name in ("Org A", "Org B", "Org C")}
    blobs = app.extensions["hub.blobs"]
    content = b"a report from before"
    sha2 = hashlib.sha256(content).hexdigest()

    def upload(lrs: LRS) -> str:
        stmt = statement(attachments=[attachment_meta(content)])
        assert post_multipart(lrs, multipart(stmt, [(content, part_headers(content))])
                              ).status_code == 200
        return str(stmt["id"])

    a_id = upload(a)
    named = statement(attachments=[attachment_meta(content, fileUrl="http://example.org/r")])
    assert b.post(named).status_code == 200
    upload(c)
    # as the hub stored them before: one body under the global key
    blobs.put(legacy_blob_key(sha2), content, content_type="text/plain")
    for org in (orgs["Org A"], orgs["Org C"]):
        blobs.delete(blob_key(org, sha2))

    result = runner.invoke(args=["xapi", "adopt-attachments"])
    assert result.exit_code == 0, result.output
    assert "copied=2" in result.output
    assert blobs.get(blob_key(orgs["Org A"], sha2)) == content
    assert blobs.get(blob_key(orgs["Org C"], sha2)) == content
    assert not blobs.exists(blob_key(orgs["Org B"], sha2))
    _, parts = parse_response(a.get(f"/xapi/statements?statementId={a_id}&attachments=true"))
    assert parts == {sha2: content}
    _, parts = parse_response(b.get(f"/xapi/statements?statementId={named['id']}"
                                    "&attachments=true"))
    assert parts == {}
    assert "copied=0" in runner.invoke(args=["xapi", "adopt-attachments"]).output


def test_adopt_attachments_reads_statements_with_numbers_orjson_refuses(
        make_lrs: Any, runner: Any) -> None:
    """A stored statement keeps ``1e400`` as written; the step reads it as the LRS does."""
    lrs = make_lrs("Org A")
    stmt = statement(result={"extensions": {"http://example.org/x": 0}})
    body = orjson.dumps(stmt).replace(b'"http://example.org/x":0', b'"http://example.org/x":1e400')
    assert lrs.post(None, data=body, content_type="application/json").status_code == 200
    result = runner.invoke(args=["xapi", "adopt-attachments"])
    assert result.exit_code == 0, result.output
    assert "copied=0" in result.output
