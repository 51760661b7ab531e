"""What only the MongoDB xAPI repositories have: the indexes, the document shape a sharded
deployment relies on, and the compensation that keeps a batch all-or-nothing when a concurrent
writer stores one of its ids between the conflict check and the insert.

The behaviour shared with SQLite is covered through the LRS API tests (``tests/xapi``), which
run on both stores; these run on mongomock, or on the server named by ``MONGODB_URI``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import storage
from storage.errors import DuplicateKey
from storage.ports.xapi import StatementQuery, StatementRecord
from tests.mongo_support import mongo_store_url

pytestmark = pytest.mark.mongodb


@pytest.fixture
def store() -> Iterator[Any]:
    """The adapter on a fresh database."""
    with mongo_store_url() as url:
        opened = storage.open_store(url)
        yield opened
        opened.close()


def record(verb: str = "v1", fingerprint: str | None = None,
           statement_id: str | None = None) -> StatementRecord:
    """A statement record as the LRS builds it."""
    sid = statement_id or str(uuid.uuid4())
    body = {"id": sid, "verb": {"id": f"http://example.org/{verb}"},
            "object": {"id": "http://example.org/a",
                       "definition": {"extensions": {"http://example.org/ext.with.dots": 1}}}}
    return StatementRecord(sid, body, fingerprint or f"fp-{sid}",
                           (f"verb|http://example.org/{verb}", "act|http://example.org/a"),
                           org_id="org_1")


def test_indexes_match_the_statement_queries(store: Any) -> None:
    indexes = {i["name"]: i["key"] for i in store.db.xapi_statements.list_indexes()}
    # every filter is a key with its own prefix: one compound multikey index serves them all
    assert list(indexes["key_stored"].items()) == [("k", 1), ("stored", -1), ("seq", -1)]
    assert list(indexes["stored"].items()) == [("stored", -1), ("seq", -1)]
    assert list(indexes["org_stored"].items()) == [("org_id", 1), ("stored", -1), ("seq", -1)]
    # a platform administrator's by-id reads across organisations
    assert list(indexes["sid_seq"].items()) == [("sid", 1), ("seq", 1)]
    documents = {i["name"]: i["key"] for i in store.db.xapi_documents.list_indexes()}
    assert next(iter(documents["org_scope_updated"])) == "org_id"
    assert "scope_updated" not in documents


def test_statement_id_is_the_document_id(store: Any) -> None:
    rec = record()
    store.statements.insert([rec])
    raw = store.db.xapi_statements.find_one({"_id": f"org_1|{rec.id}"})
    # _id = organisation|statement id: ids unique per organisation, by-id reads and a hashed
    # shard key
    assert raw is not None and raw["sid"] == rec.id
    assert isinstance(raw["body"], str)  # JSON text: extension IRIs are full of dots
    assert sorted(raw["k"]) == sorted(rec.keys)
    assert store.statements.get(rec.id)["statement"]["object"]["definition"] == {
        "extensions": {"http://example.org/ext.with.dots": 1}}


class _Interloper:
    """Wraps the collection's ``insert_many`` so that another writer stores ``theirs`` right
    before this batch's insert runs (the window between check and insert)."""

    def __init__(self, store: Any, theirs: StatementRecord) -> None:
        self.coll = store.db.xapi_statements
        self.original = self.coll.insert_many
        self.theirs = theirs
        self.calls = 0

    def __call__(self, docs: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            mine = next(d for d in docs if d["sid"] == self.theirs.id)
            self.original([{**mine, "fp": self.theirs.fingerprint, "batch": "other"}])
        return self.original(docs, *args, **kwargs)


def test_lost_race_with_the_same_statement_is_retried(store: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    batch = [record() for _ in range(4)]
    interloper = _Interloper(store, batch[2])  # same id, same content: a harmless race
    monkeypatch.setattr(store.db.xapi_statements, "insert_many", interloper)

    _, new_ids = store.statements.insert(batch)

    assert interloper.calls == 2  # the first insert failed part-way and was retried
    assert new_ids == [batch[0].id, batch[1].id, batch[3].id]
    assert store.statements.count() == 4
    assert store.db.xapi_statements.count_documents({"batch": "other"}) == 1


def test_lost_race_with_a_conflicting_statement_stores_none_of_the_batch(
        store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = [record() for _ in range(4)]
    conflicting = record(statement_id=batch[2].id, fingerprint="other content")
    monkeypatch.setattr(store.db.xapi_statements, "insert_many", _Interloper(store, conflicting))

    with pytest.raises(DuplicateKey):
        store.statements.insert(batch)

    assert store.statements.count() == 1  # only the other writer's statement
    assert store.statements.get_many([r.id for r in batch]).keys() == {batch[2].id}


def test_pages_follow_stored_then_insertion_order(store: Any) -> None:
    first = [record() for _ in range(3)]
    second = [record() for _ in range(3)]
    store.statements.insert(first)
    store.statements.insert(second)
    seen: list[str] = []
    query = StatementQuery(keys=("verb|http://example.org/v1",), limit=2, ascending=True)
    while True:
        page = store.statements.query(query)
        seen += [s["id"] for s in page.statements]
        if page.cursor is None:
            break
        query = StatementQuery(keys=query.keys, limit=2, ascending=True, cursor=page.cursor)
    assert seen == [r.id for r in first + second]
