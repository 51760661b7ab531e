"""What only the MongoDB adapter has: URLs, clients, indexes, error translation, embedded audit.

The behaviour shared with SQLite is the contract suite's (``test_*_contract.py``); these run on
mongomock, or on the server named by ``MONGODB_URI``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pymongo
import pytest
from pymongo import errors as mongo_errors

import storage
import storage.mongodb as adapter
from storage.errors import ConcurrentUpdate, DuplicateKey, StorageError, StoreUnavailable
from storage.mongodb.errors import translate
from tests.mongo_support import mongo_store_url, using_real_server
from tests.storage.factories import course_doc, event_doc, org_doc

pytestmark = pytest.mark.mongodb


@pytest.fixture
def url() -> Iterator[str]:
    """A fresh database's URL."""
    with mongo_store_url() as fresh:
        yield fresh


@pytest.fixture
def store(url: str) -> Any:
    """The adapter on a fresh database, opened through the URL registry."""
    opened = storage.open_store(url)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("store_url", "expected"),
    [
        ("mongodb://db.example:27017/karmayogi", "karmayogi"),
        ("mongodb://db.example:27017", "hub"),
        ("mongodb://db.example:27017/", "hub"),
        ("mongodb://u:p@a:1,b:2/hub_prod?replicaSet=rs0&w=majority", "hub_prod"),
        ("mongodb+srv://u:p@cluster0.example.net/learn?retryWrites=true", "learn"),
    ],
)
def test_database_name_comes_from_the_url_path(store_url: str, expected: str) -> None:
    assert adapter.database_name(store_url) == expected


def test_the_registry_opens_mongodb_urls_with_this_adapter(store: Any, url: str) -> None:
    assert isinstance(store, adapter.MongoStore)
    assert store.db.name == adapter.database_name(url)
    assert storage.STORE_ADAPTERS["mongodb+srv"] == "storage.mongodb:open_store"


def test_one_client_per_url_in_a_process(url: str) -> None:
    first, second = storage.open_store(url), storage.open_store(url)
    assert first.db.client is second.db.client is adapter.get_client(url)


def test_indexes_exist_after_open(store: Any) -> None:
    def names(collection: str) -> set[str]:
        return set(store.db[collection].index_information())

    assert {"name_unique", "kind_name"} <= names("organisations")
    assert {"org_created"} <= names("credentials")
    assert {"course_learner_unique", "course_newest"} <= names("reviews")
    course_indexes = names("courses")
    assert {"idx_terms", "idx_provider", "idx_language", "idx_competency", "sort_newest",
            "sort_title", "sort_rating", "sort_duration", "provider_id"} <= course_indexes
    assert store.db.organisations.index_information()["name_unique"].get("unique") is True
    # Opening again (another worker starting) is idempotent.
    storage.open_store(store.url)
    assert names("courses") == course_indexes


def test_each_test_gets_a_fresh_database_that_is_dropped_afterwards() -> None:
    with mongo_store_url() as first_url, mongo_store_url() as second_url:
        assert first_url != second_url
        first = storage.open_store(first_url)
        assert first.organisations.count() == 0
        first.organisations.add(org_doc("org_a"))
        second = storage.open_store(second_url)
        assert second.organisations.count() == 0
        db_name = first.db.name
        assert db_name in first.db.client.list_database_names()
        mock_client = first.db.client
    if using_real_server():
        import os

        with pymongo.MongoClient(os.environ["MONGODB_URI"]) as probe:
            assert db_name not in probe.list_database_names()
    else:
        assert db_name not in mock_client.list_database_names()


def test_ping_runs_the_server_command(store: Any) -> None:
    store.ping()


def test_an_unreachable_server_is_store_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"mongodb://127.0.0.1:{port}/hub?serverSelectionTimeoutMS=200&connectTimeoutMS=200"
    monkeypatch.setattr(adapter, "CLIENT_FACTORY", pymongo.MongoClient)
    try:
        with pytest.raises(StoreUnavailable):
            storage.open_store(url)
    finally:
        adapter.close_client(url)


def test_ping_of_an_unreachable_server_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver would wait 30 s to select a server; /health must not."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"mongodb://127.0.0.1:{port}/hub"
    monkeypatch.setattr(adapter, "CLIENT_FACTORY", pymongo.MongoClient)
    monkeypatch.setattr(adapter, "PING_TIMEOUT_S", 0.3)
    store = adapter.MongoStore(url, adapter.get_client(url)["hub"])  # no indexes: no I/O yet
    started = time.monotonic()
    try:
        with pytest.raises(StoreUnavailable):
            store.ping()
    finally:
        adapter.close_client(url)
    assert time.monotonic() - started < 5


def test_driver_errors_are_translated() -> None:
    duplicate = mongo_errors.BulkWriteError(
        {"writeErrors": [{"index": 1, "code": 11000, "errmsg": "E11000 duplicate key"}],
         "nInserted": 1}
    )
    assert isinstance(translate(duplicate), DuplicateKey)
    assert isinstance(translate(mongo_errors.DuplicateKeyError("dup", 11000)), DuplicateKey)
    assert isinstance(translate(mongo_errors.ServerSelectionTimeoutError("x")), StoreUnavailable)
    assert isinstance(translate(mongo_errors.AutoReconnect("x")), StoreUnavailable)
    other = translate(mongo_errors.OperationFailure("bad", 2))
    assert type(other) is StorageError


def test_unique_organisation_id_and_name(store: Any) -> None:
    store.organisations.add(org_doc("org_a", "Alpha"))
    with pytest.raises(DuplicateKey):
        store.organisations.add(org_doc("org_a", "Other"))
    with pytest.raises(DuplicateKey):
        store.organisations.add(org_doc("org_b", "Alpha"))
    assert store.organisations.count() == 1


def test_audit_is_embedded_in_the_course_document_and_hidden_from_get(store: Any) -> None:
    course = course_doc("c1", "org_p", state="draft")
    store.courses.add(course, event_doc("e1", "c1", "draft"))
    submitted = dict(course, state="submitted")
    store.courses.replace(submitted, 1, event_doc("e2", "c1", "submitted", "draft"))
    raw = store.db.courses.find_one({"_id": "c1"})
    assert [e["id"] for e in raw["audit"]] == ["e1", "e2"]
    assert raw["row_version"] == 2
    got = store.courses.get("c1")
    assert "audit" not in got and "_idx" not in got and "_id" not in got
    assert got["state"] == "submitted"


def test_search_index_fields_are_stored_in_the_course_document(store: Any) -> None:
    store.courses.add(course_doc("c1", "org_p", title={"en": "Public Administration",
                                                        "hi": "लोक प्रशासन"}))
    idx = store.db.courses.find_one({"_id": "c1"})["_idx"]
    assert {"public", "administration", "लोक", "प्रशासन"} <= set(idx["terms"])
    assert idx["seq"] == 1 and idx["provider_id"] == "org_p"


def test_a_batch_that_races_a_duplicate_leaves_nothing_behind(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The id check passed (another writer inserted in between): the part of the batch that
    insert_many wrote is removed again."""
    store.courses.add(course_doc("c2", "org_p"))
    monkeypatch.setattr(store.courses.coll, "find_one", lambda *a, **k: None)
    batch = [course_doc("c1", "org_p"), course_doc("c2", "org_p"), course_doc("c3", "org_p")]
    with pytest.raises(DuplicateKey):
        store.courses.add_many(batch, [])
    monkeypatch.undo()
    assert store.courses.get("c1") is None and store.courses.get("c3") is None
    assert store.courses.count() == 1


def test_search_seq_comes_from_the_counters_collection(store: Any) -> None:
    store.courses.add_many([course_doc(f"c{i}", "org_p") for i in range(3)], [])
    assert store.db.counters.find_one({"_id": "search_seq"})["value"] == 3
    assert sorted(store.courses.get(f"c{i}")["search_seq"] for i in range(3)) == [1, 2, 3]


def test_mongomock_bulk_write_accepts_current_pymongo_operations(store: Any) -> None:
    store.db.scratch.bulk_write([
        pymongo.InsertOne({"_id": 1, "n": 0}),
        pymongo.UpdateOne({"_id": 1}, {"$inc": {"n": 1}}),
        pymongo.ReplaceOne({"_id": 2}, {"n": 5}, upsert=True),
    ])
    assert sorted(d["n"] for d in store.db.scratch.find()) == [1, 5]


def test_the_row_version_filter_of_the_write_is_the_guard(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer wins between replace's read and its write: the single-document update,
    filtered on row_version, matches nothing, so neither the change nor its audit event lands."""
    course = course_doc("c1", "org_p", state="draft")
    store.courses.add(course, event_doc("e1", "c1", "draft"))
    read = store.courses.coll.find_one
    raced: list[bool] = []

    def read_then_lose_the_race(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        if not raced:  # only replace's own read; later reads are the driver's business
            raced.append(True)
            store.db.courses.update_one({"_id": "c1"}, {"$set": {"state": "submitted"},
                                                        "$inc": {"row_version": 1}})
        return found

    monkeypatch.setattr(store.courses.coll, "find_one", read_then_lose_the_race)
    with pytest.raises(ConcurrentUpdate):
        store.courses.replace(dict(course, state="retired"), 1, event_doc("e2", "c1", "retired"))
    monkeypatch.undo()
    assert raced
    assert store.courses.get("c1")["state"] == "submitted"
    assert [e["id"] for e in store.courses.audit_trail("c1")] == ["e1"]


def test_admin_guard_is_built_from_existing_credentials_at_start_up(store: Any, url: str) -> None:
    from storage.errors import LastAdminCredential
    from tests.storage.factories import credential_doc

    # A database written before the guard existed: two active admins and a revoked one.
    for key, revoked in (("admin_1", False), ("admin_2", False), ("admin_old", True)):
        store.db.credentials.insert_one(
            {"_id": key, **credential_doc(key, "org_p", ("admin",)), "revoked": revoked})
    store.db.credential_guards.drop()
    reopened = storage.open_store(url)
    guard = reopened.db.credential_guards.find_one({"_id": "active_admins"})
    assert sorted(guard["keys"]) == ["admin_1", "admin_2"]
    assert reopened.credentials.revoke("admin_1", keep_last_admin=True) is True
    with pytest.raises(LastAdminCredential):
        reopened.credentials.revoke("admin_2", keep_last_admin=True)
    # Opening again keeps the guard as it is (no rescan over a live guard).
    storage.open_store(url)
    assert reopened.db.credential_guards.find_one({"_id": "active_admins"})["keys"] == [
        "admin_2"]
