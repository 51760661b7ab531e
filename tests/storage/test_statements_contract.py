"""Contract of StatementRepository (atomic idempotent batches, per-organisation ids, voiding,
reads and queries), run over every adapter."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.xapi import StatementQuery, StatementRecord, StatementRepository


def record(org_id: str | None = "org_a", verb: str = "attempted", activity: str = "a/1",
           statement_id: str | None = None, fingerprint: str | None = None,
           voids: str | None = None) -> StatementRecord:
    """A statement record with the keys the LRS would give it (a related key with its
    direct form, as the port requires)."""
    sid = statement_id or str(uuid.uuid4())
    verb_iri = f"http://example.org/verbs/{verb}"
    activity_iri = f"http://example.org/{activity}"
    body: dict[str, Any] = {"id": sid, "actor": {"mbox": "mailto:asha@example.org"},
                            "verb": {"id": verb_iri}, "object": {"id": activity_iri}}
    return StatementRecord(sid, body, fingerprint or f"fp-{verb}-{activity}",
                           (f"verb|{verb_iri}", f"act|{activity_iri}", f"act*|{activity_iri}"),
                           voids=voids, org_id=org_id)


def ids(page: Any) -> list[str]:
    """Statement ids of a page, in page order."""
    return [s["id"] for s in page.statements]


def all_pages(store: Any, **query: Any) -> list[str]:
    """Every id of a query, following the cursors."""
    out: list[str] = []
    cursor = None
    while True:
        page = store.statements.query(StatementQuery(cursor=cursor, **query))
        out += ids(page)
        cursor = page.cursor
        if cursor is None:
            return out


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.statements, StatementRepository)


def test_insert_sets_stored_and_get_reads_it_back(store: Any) -> None:
    rec = record()
    stored, new = store.statements.insert([rec])
    assert new == [rec.id]
    assert stored.endswith("Z") and rec.statement["stored"] == stored
    got = store.statements.get(rec.id, "org_a")
    assert got == {"statement": {**rec.statement, "stored": stored}, "voided": False,
                   "voids": None, "org_id": "org_a"}
    assert store.statements.get(str(uuid.uuid4()), "org_a") is None
    assert store.statements.count() == 1
    assert store.statements.insert([]) [1] == []


def test_same_id_and_fingerprint_again_is_a_no_op(store: Any) -> None:
    rec = record()
    stored, _ = store.statements.insert([rec])
    again = record(statement_id=rec.id)
    assert store.statements.insert([again])[1] == []
    assert store.statements.count() == 1
    assert store.statements.get(rec.id, "org_a")["statement"]["stored"] == stored


def test_other_content_under_an_id_conflicts_and_stores_nothing_of_the_batch(store: Any
                                                                             ) -> None:
    taken = record()
    store.statements.insert([taken])
    fresh = record()
    clash = record(statement_id=taken.id, verb="passed", fingerprint="fp-other")
    with pytest.raises(DuplicateKey):
        store.statements.insert([fresh, clash])
    assert store.statements.get(fresh.id, "org_a") is None
    assert store.statements.count() == 1


def test_ids_are_unique_per_organisation(store: Any) -> None:
    first = record("org_a")
    store.statements.insert([first])
    other = record("org_b", verb="passed", statement_id=first.id, fingerprint="fp-b")
    assert store.statements.insert([other])[1] == [first.id]
    assert store.statements.count() == 2
    assert store.statements.get(first.id, "org_a")["statement"]["verb"] == first.statement["verb"]
    assert store.statements.get(first.id, "org_b")["org_id"] == "org_b"
    assert store.statements.get(first.id, "org_c") is None
    # across organisations (org_id None): the earliest stored one
    assert store.statements.get(first.id, None)["org_id"] == "org_a"


def test_voiding_reaches_only_the_same_organisation(store: Any) -> None:
    target = record("org_a")
    twin = record("org_b", statement_id=target.id)
    store.statements.insert([target, twin])
    foreign = record("org_c", verb="voided", voids=target.id)
    store.statements.insert([foreign])
    assert store.statements.get(target.id, "org_a")["voided"] is False
    own = record("org_a", verb="voided", voids=target.id)
    store.statements.insert([own])
    assert store.statements.get(target.id, "org_a")["voided"] is True
    assert store.statements.get(target.id, "org_b")["voided"] is False
    assert store.statements.get(own.id, "org_a")["voids"] == target.id
    # voided statements never match a query
    assert target.id not in all_pages(store, org_id="org_a")
    assert all_pages(store, org_id="org_b") == [target.id]


def test_get_many_leaves_absent_ids_out_and_honours_the_organisation(store: Any) -> None:
    a1, a2, b1 = record("org_a"), record("org_a"), record("org_b")
    store.statements.insert([a1, a2, b1])
    missing = str(uuid.uuid4())
    got = store.statements.get_many([a1.id, a2.id, b1.id, missing], "org_a")
    assert set(got) == {a1.id, a2.id}
    assert got[a2.id]["statement"]["id"] == a2.id and got[a2.id]["org_id"] == "org_a"
    assert set(store.statements.get_many([a1.id, b1.id, missing], None)) == {a1.id, b1.id}
    assert store.statements.get_many([], "org_a") == {}


def test_query_by_keys_every_key_must_match(store: Any) -> None:
    r1 = record(verb="attempted", activity="a/1")
    r2 = record(verb="passed", activity="a/1")
    r3 = record(verb="passed", activity="a/2")
    store.statements.insert([r1, r2, r3])
    passed = "verb|http://example.org/verbs/passed"
    assert all_pages(store, keys=(passed,)) == [r3.id, r2.id]
    assert all_pages(store, keys=("act|http://example.org/a/1", passed)) == [r2.id]
    assert all_pages(store, keys=("act*|http://example.org/a/1",)) == [r2.id, r1.id]
    assert all_pages(store, keys=("verb|http://example.org/verbs/none",)) == []


def test_query_pages_newest_or_oldest_first_with_cursors(store: Any) -> None:
    records = [record() for _ in range(5)]
    for rec in records:
        store.statements.insert([rec])
    newest_first = [r.id for r in reversed(records)]
    first = store.statements.query(StatementQuery(limit=2))
    assert ids(first) == newest_first[:2] and first.cursor is not None
    assert all_pages(store, limit=2) == newest_first
    assert all_pages(store, limit=2, ascending=True) == [r.id for r in records]
    exact = store.statements.query(StatementQuery(limit=5))
    assert ids(exact) == newest_first and exact.cursor is None
    assert len(exact.bodies) == 5 and exact.orgs == ["org_a"] * 5


def test_query_since_until_and_organisation(store: Any) -> None:
    early = record("org_a")
    stored_early, _ = store.statements.insert([early])
    late_a, late_b = record("org_a"), record("org_b")
    stored_late, _ = store.statements.insert([late_a, late_b])
    assert stored_late > stored_early
    assert set(all_pages(store, since=stored_early)) == {late_a.id, late_b.id}
    assert all_pages(store, until=stored_early) == [early.id]
    assert all_pages(store, since=stored_early, org_id="org_a") == [late_a.id]
    assert all_pages(store, org_id="org_b") == [late_b.id]
    assert set(all_pages(store)) == {early.id, late_a.id, late_b.id}


def test_scan_reads_every_statement_oldest_first(store: Any) -> None:
    target = record("org_a")
    others = [record("org_b") for _ in range(3)]
    store.statements.insert([target])
    for rec in others:
        store.statements.insert([rec])
    store.statements.insert([record("org_a", verb="voided", voids=target.id)])
    seen: list[str] = []
    cursor = None
    while True:
        page = store.statements.scan(cursor, 2)
        seen += ids(page)
        cursor = page.cursor
        if cursor is None:
            break
    assert seen[:4] == [target.id, *(r.id for r in others)]  # voided ones included
    assert len(seen) == 5 == store.statements.count()
