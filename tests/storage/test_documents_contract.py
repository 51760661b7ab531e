"""Contract of DocumentRepository (compare-and-set writes, scopes, per-organisation keys) and
ActivityRepository, run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import ConcurrentUpdate
from storage.ports.xapi import ActivityRepository, DocumentKey, DocumentRepository

ACTIVITY = "http://example.org/a/1"
AGENT = "mbox|mailto:asha@example.org"


def state(doc_id: str, org_id: str = "org_a", registration: str = "",
          activity_id: str = ACTIVITY) -> DocumentKey:
    """The key of a State document."""
    return DocumentKey("state", doc_id, activity_id, AGENT, registration, org_id=org_id)


def doc(body: bytes, etag: str, updated: str = "2026-01-01T00:00:00.000000Z") -> dict[str, Any]:
    """A stored document."""
    return {"content": body, "content_type": "application/json", "etag": etag,
            "updated": updated}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.xapi_documents, DocumentRepository)
    assert isinstance(store.activities, ActivityRepository)


def test_save_is_compare_and_set_on_the_etag(store: Any) -> None:
    docs = store.xapi_documents
    key = state("progress")
    assert docs.get(key) is None
    docs.save(key, doc(b'{"page": 1}', "e1"), None)
    assert docs.get(key) == doc(b'{"page": 1}', "e1")
    with pytest.raises(ConcurrentUpdate):
        docs.save(key, doc(b'{"page": 9}', "e9"), None)  # must not exist yet
    with pytest.raises(ConcurrentUpdate):
        docs.save(key, doc(b'{"page": 9}', "e9"), "e-stale")
    docs.save(key, doc(b'{"page": 2}', "e2"), "e1")
    assert docs.get(key)["etag"] == "e2" and docs.get(key)["content"] == b'{"page": 2}'
    with pytest.raises(ConcurrentUpdate):
        docs.save(state("never-saved"), doc(b"{}", "e1"), "e0")


def test_keys_belong_to_their_organisation(store: Any) -> None:
    docs = store.xapi_documents
    docs.save(state("progress", "org_a"), doc(b"a", "ea"), None)
    assert docs.get(state("progress", "org_b")) is None
    docs.save(state("progress", "org_b"), doc(b"b", "eb"), None)  # another org: no clash
    assert docs.get(state("progress", "org_a"))["content"] == b"a"
    assert docs.delete(state("progress", "org_b")) is True
    assert docs.delete(state("progress", "org_b")) is False
    assert docs.get(state("progress", "org_a"))["content"] == b"a"


def test_list_ids_by_scope_registration_and_since(store: Any) -> None:
    docs = store.xapi_documents
    docs.save(state("b", registration=""), doc(b"1", "e", "2026-01-01T00:00:01.000000Z"), None)
    docs.save(state("a", registration="r1"), doc(b"1", "e", "2026-01-01T00:00:02.000000Z"), None)
    docs.save(state("c", registration="r2"), doc(b"1", "e", "2026-01-01T00:00:03.000000Z"), None)
    docs.save(state("z", activity_id="http://example.org/other"), doc(b"1", "e"), None)
    docs.save(state("y", org_id="org_b"), doc(b"1", "e"), None)
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT) == ["a", "b", "c"]
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT, registration="") == ["b"]
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT, registration="r1") == ["a"]
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT,
                         since="2026-01-01T00:00:01.000000Z") == ["a", "c"]
    assert docs.list_ids("org_b", "state", ACTIVITY, AGENT) == ["y"]
    assert docs.list_ids("org_a", "activity-profile", ACTIVITY) == []


def test_delete_many_clears_one_scope_of_one_organisation(store: Any) -> None:
    docs = store.xapi_documents
    for doc_id, registration in (("a", ""), ("b", "r1"), ("c", "r1")):
        docs.save(state(doc_id, registration=registration), doc(b"1", "e"), None)
    docs.save(state("a", org_id="org_b"), doc(b"1", "e"), None)
    docs.save(state("a", activity_id="http://example.org/other"), doc(b"1", "e"), None)
    assert docs.delete_many("org_a", "state", ACTIVITY, AGENT, registration="r1") == 2
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT) == ["a"]
    assert docs.delete_many("org_a", "state", ACTIVITY, AGENT) == 1
    assert docs.list_ids("org_a", "state", ACTIVITY, AGENT) == []
    assert docs.list_ids("org_b", "state", ACTIVITY, AGENT) == ["a"]
    assert docs.list_ids("org_a", "state", "http://example.org/other", AGENT) == ["a"]


def activity(activity_id: str, name: str) -> dict[str, Any]:
    """A canonical Activity object."""
    return {"id": activity_id, "objectType": "Activity",
            "definition": {"name": {"en-US": name},
                           "extensions": {"http://example.org/ext.with.dots": 1}}}


def test_activities_are_kept_per_organisation_and_replaced_whole(store: Any) -> None:
    acts = store.activities
    acts.put_many("org_a", [activity("http://example.org/a/1", "One"),
                            activity("http://example.org/a/2", "Two")])
    acts.put_many("org_b", [activity("http://example.org/a/1", "Theirs")])
    got = acts.get_many("org_a", ["http://example.org/a/1", "http://example.org/a/2",
                                  "http://example.org/missing"])
    assert got == {"http://example.org/a/1": activity("http://example.org/a/1", "One"),
                   "http://example.org/a/2": activity("http://example.org/a/2", "Two")}
    acts.put_many("org_a", [activity("http://example.org/a/1", "Renamed")])
    assert acts.get_many("org_a", ["http://example.org/a/1"]) == {
        "http://example.org/a/1": activity("http://example.org/a/1", "Renamed")}
    assert acts.get_many("org_b", ["http://example.org/a/1", "http://example.org/a/2"]) == {
        "http://example.org/a/1": activity("http://example.org/a/1", "Theirs")}
    assert acts.get_many("org_c", ["http://example.org/a/1"]) == {}
    acts.put_many("org_a", [])
    assert acts.get_many("org_a", []) == {}


def test_get_many_finds_exactly_the_stored_keys(store: Any) -> None:
    docs = store.xapi_documents
    stored = [state("LMS.LaunchData", registration=f"r{i}") for i in range(400)]
    for i, key in enumerate(stored[::2]):
        docs.save(key, doc(b"{}", f"e{i}"), None)
    other_org = state("LMS.LaunchData", org_id="org_b", registration="r1")
    docs.save(other_org, doc(b"{}", "eb"), None)
    asked = [*stored, state("LMS.LaunchData", org_id="org_c", registration="r0"),
             state("other", registration="r0"), stored[0]]
    found = docs.get_many(asked)
    assert set(found) == set(stored[::2])  # more keys than one query takes; no other org
    assert found[stored[2]] == doc(b"{}", "e1")
    assert docs.get_many([]) == {}
