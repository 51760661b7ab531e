"""What only the embedded SQLite adapter promises: the file, WAL, threads, URLs, migrations."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

import storage
from storage.errors import DuplicateKey, StorageError, StoreUnavailable
from storage.ports.catalogue import CourseQuery
from storage.sqlite import REPOSITORY_MODULES, SqliteStore, open_store
from storage.sqlite.store import path_from_url, translate
from tests.storage.factories import course_doc, event_doc, org_doc


@pytest.fixture
def store(sqlite_url: str) -> Any:
    """An embedded store on a fresh file."""
    opened = open_store(sqlite_url)
    yield opened
    opened.close()


def test_the_registry_opens_sqlite_urls_with_this_adapter(sqlite_url: str) -> None:
    opened = storage.open_store(sqlite_url)
    assert isinstance(opened, SqliteStore)
    opened.close()


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///var/hub.db", Path("var/hub.db")),
    ("sqlite:////srv/hub/hub.db", Path("/srv/hub/hub.db")),
    ("sqlite:///rel/x.db?timeout=5", Path("rel/x.db")),
])
def test_urls_follow_sqlalchemy(url: str, path: Path) -> None:
    assert path_from_url(url) == path


def test_a_relative_url_is_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    opened = open_store("sqlite:///nested/dir/hub.db")
    opened.organisations.add(org_doc("org_1"))
    opened.close()
    assert (tmp_path / "nested" / "dir" / "hub.db").is_file()


def test_a_url_without_a_path_is_refused() -> None:
    with pytest.raises(StoreUnavailable):
        open_store("sqlite:///")


def test_an_unopenable_file_is_store_unavailable(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreUnavailable):
        open_store(f"sqlite:///{tmp_path / 'dir.db'}")


def test_wal_and_pragmas_are_on(store: Any) -> None:
    conn = store.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_data_survives_reopening_the_file(sqlite_url: str) -> None:
    first = open_store(sqlite_url)
    first.organisations.add(org_doc("org_1", "Persistent"))
    first.courses.add(course_doc("crs_1", "org_1", title={"en": "Durable governance"}),
                      event_doc("evt_1", "crs_1", "published"))
    first.close()
    again = open_store(sqlite_url)
    assert again.organisations.get("org_1")["name"] == "Persistent"
    assert [c["id"] for c in again.courses.search(CourseQuery(text="durable")).items] == [
        "crs_1"]
    assert [e["id"] for e in again.courses.audit_trail("crs_1")] == ["evt_1"]
    assert again.connection().execute(
        "SELECT module, version FROM schema_migrations").fetchall() == [
        (name, __import__(name, fromlist=["SCHEMA_VERSION"]).SCHEMA_VERSION)
        for name in REPOSITORY_MODULES]
    again.close()


def test_two_threads_write_concurrently(store: Any) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write(prefix: str) -> None:
        try:
            barrier.wait()
            for i in range(60):
                store.courses.add(course_doc(f"crs_{prefix}{i}", f"org_{prefix}",
                                             title={"en": f"Thread {prefix} course"}),
                                  event_doc(f"evt_{prefix}{i}", f"crs_{prefix}{i}", "published"))
                doc = store.courses.get(f"crs_{prefix}{i}")
                store.courses.replace({**doc, "state": "retired", "live": None} if i % 3 == 0
                                      else doc, doc["row_version"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.courses.count() == 120
    assert store.courses.count("retired") == 40
    assert store.courses.search(CourseQuery(text="thread")).total == 80
    seqs = [c["search_seq"] for c in store.courses.list_for_provider(None, limit=500)
            if c["search_seq"] is not None]
    assert len(seqs) == len(set(seqs)) == 80


def test_two_stores_on_one_file_see_each_others_writes(sqlite_url: str) -> None:
    """As two gunicorn workers do."""
    one, two = open_store(sqlite_url), open_store(sqlite_url)
    one.courses.add(course_doc("crs_1", "org_1", title={"en": "Shared file"}))
    assert two.courses.search(CourseQuery(text="shared")).total == 1
    two.courses.set_rating("crs_1", 4.0, 1)
    assert dict(one.courses.search(CourseQuery()).facets["rating"])["4+"] == 1
    one.close()
    two.close()


def test_nested_transactions_roll_back_only_the_inner_part(store: Any) -> None:
    with store.transaction():
        store.organisations.add(org_doc("org_outer", "Outer"))
        with pytest.raises(DuplicateKey), store.transaction():
            store.organisations.add(org_doc("org_inner", "Inner"))
            store.organisations.add(org_doc("org_outer", "Outer again"))
    assert store.organisations.get("org_outer") is not None
    assert store.organisations.get("org_inner") is None


def test_an_exception_rolls_the_whole_write_back(store: Any) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.organisations.add(org_doc("org_1"))
        raise RuntimeError("boom")
    assert store.organisations.count() == 0


def test_driver_errors_are_translated() -> None:
    assert isinstance(translate(sqlite3.IntegrityError("UNIQUE constraint failed: t.id")),
                      DuplicateKey)
    assert isinstance(translate(sqlite3.OperationalError("database is locked")),
                      StoreUnavailable)
    assert isinstance(translate(sqlite3.OperationalError("unable to open database file")),
                      StoreUnavailable)
    other = translate(sqlite3.OperationalError("no such column: x"))
    assert type(other) is StorageError


def test_ping_and_close(sqlite_url: str) -> None:
    opened = open_store(sqlite_url)
    opened.ping()
    opened.close()
    with pytest.raises(StoreUnavailable):
        opened.ping()


def test_close_closes_every_threads_connection(sqlite_url: str) -> None:
    opened = open_store(sqlite_url)
    conns: list[sqlite3.Connection] = []
    thread = threading.Thread(target=lambda: conns.append(opened.connection()))
    thread.start()
    thread.join()
    opened.close()
    with pytest.raises(sqlite3.ProgrammingError):
        conns[0].execute("SELECT 1")


def test_search_bitmaps_patched_after_writes_equal_a_fresh_build(sqlite_url: str) -> None:
    """Each process keeps search bitmaps in memory and patches them from the change log; after
    publications, revisions, retirements and ratings (written through another store, as
    another worker would), they answer exactly as bitmaps built from scratch."""
    import random

    rng = random.Random(5)
    warm, writer = open_store(sqlite_url), open_store(sqlite_url)
    queries = [CourseQuery(), CourseQuery(text="governance", sort="relevance"),
               CourseQuery(modes=("classroom",), sort="rating", limit=7),
               CourseQuery(languages=("hi",), min_minutes=60, sort="duration"),
               CourseQuery(min_rating=3.5, sort="title"), CourseQuery(sort="newest", limit=50)]
    modes, langs = ("self-paced", "classroom", "instructor-led"), (["en"], ["hi"], ["en", "hi"])
    for step in range(6):
        warm.courses.search(CourseQuery())  # bitmaps of the previous state stay warm
        for i in range(12):
            n = step * 12 + i
            writer.courses.add(course_doc(
                f"crs_{n:03d}", f"org_{n % 4}", title={"en": f"Governance topic {n % 5}"},
                mode=rng.choice(modes), languages=rng.choice(langs),
                minutes=rng.choice((30, 90, 400)), competencies=[f"C{n % 3}"],
                state=rng.choice(("published", "published", "draft"))))
        for course in writer.courses.list_for_provider(None, limit=500):
            roll = rng.random()
            if roll < 0.15 and course["live"] is not None:
                writer.courses.replace({**course, "state": "retired", "live": None},
                                       course["row_version"])
            elif roll < 0.3:
                body = {**course["revision"], "mode": rng.choice(modes)}
                writer.courses.replace({**course, "state": "published", "live": body,
                                        "published_at": f"2026-06-{1 + step:02d}T00:00:00Z"},
                                       course["row_version"])
            elif roll < 0.5:
                writer.courses.set_rating(course["id"], round(rng.uniform(1, 5), 2),
                                          rng.randint(1, 9))
        fresh = open_store(sqlite_url)
        for query in queries:
            got, want = warm.courses.search(query), fresh.courses.search(query)
            assert (got.total, got.keys, got.facets) == (want.total, want.keys, want.facets)
            assert [c["id"] for c in got.items] == [c["id"] for c in want.items]
        fresh.close()
    warm.close()
    writer.close()


def test_a_search_inside_a_rolled_back_write_leaves_no_trace(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_1", title={"en": "Kept"}))
    store.courses.search(CourseQuery())
    with pytest.raises(RuntimeError), store.transaction():
        store.courses.add(course_doc("crs_2", "org_1", title={"en": "Phantom"}))
        assert store.courses.search(CourseQuery(text="phantom")).total == 1
        raise RuntimeError("roll back")
    # The counters move on to where they had been inside the rolled-back write.
    store.courses.add(course_doc("crs_3", "org_2", title={"en": "Real"}))
    assert store.courses.search(CourseQuery(text="phantom")).total == 0
    results = store.courses.search(CourseQuery(sort="title"))
    assert [c["id"] for c in results.items] == ["crs_1", "crs_3"]
    assert [key[0] for key in results.keys] == ["kept", "real"]
    assert dict(results.facets["provider"]) == {"org_1": 1, "org_2": 1}


def test_a_forked_child_opens_its_own_connection(store: Any) -> None:
    """gunicorn --preload forks after the app (and its store) exist."""
    import multiprocessing

    store.organisations.add(org_doc("org_parent"))
    parent_conn = store.connection()

    def child() -> None:
        assert store.connection() is not parent_conn
        store.organisations.add(org_doc("org_child"))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(30)
    assert process.exitcode == 0
    assert store.connection() is parent_conn
    assert store.organisations.get("org_child") is not None


def test_search_rebuilds_when_the_change_log_was_pruned(sqlite_url: str) -> None:
    """A process further behind than the kept change log rebuilds its bitmaps from the tables."""
    warm, writer = open_store(sqlite_url), open_store(sqlite_url)
    writer.courses.add(course_doc("crs_1", "org_1", title={"en": "Before"}))
    assert warm.courses.search(CourseQuery()).total == 1
    writer.courses.add(course_doc("crs_2", "org_2", title={"en": "After"}))
    writer.courses.set_rating("crs_1", 5.0, 1)
    with writer.transaction() as conn:  # as pruning does once the log is long
        conn.execute("DELETE FROM search_changes")
    results = warm.courses.search(CourseQuery(sort="rating"))
    assert [c["id"] for c in results.items] == ["crs_1", "crs_2"]
    assert dict(results.facets["provider"]) == {"org_1": 1, "org_2": 1}
    assert dict(results.facets["rating"]) == {"4+": 1, "3+": 1, "2+": 1, "1+": 1}
    warm.close()
    writer.close()


def test_write_is_one_transaction(store: Any) -> None:
    """``store.write`` on the embedded store: the writes of a failing ``fn`` all roll back."""

    def half_done() -> None:
        store.organisations.add(org_doc("org_1"))
        store.organisations.add(org_doc("org_1"))  # DuplicateKey after the first insert

    with pytest.raises(DuplicateKey):
        store.write(half_done)
    assert store.organisations.count() == 0
