"""Contract of CourseRepository (writes, CAS, audit, listing), run over every adapter.

Search has its own file (``test_search_contract.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import ConcurrentUpdate, DuplicateKey
from storage.ports.catalogue import CourseQuery, CourseRepository
from tests.storage.factories import content, course_doc, event_doc


def ids(results: Any) -> list[str]:
    """Course ids of a search page."""
    return [item["id"] for item in results.items]


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.courses, CourseRepository)


def test_add_and_get_round_trip(store: Any) -> None:
    course = course_doc("crs_1", "org_p", title={"en": "Public Finance", "hi": "लोक वित्त"})
    store.courses.add(course, event_doc("evt_1", "crs_1", "published"))
    stored = store.courses.get("crs_1")
    assert isinstance(stored["search_seq"], int)
    assert {k: v for k, v in stored.items() if k != "search_seq"} == {
        k: v for k, v in course.items() if k != "search_seq"}
    assert store.courses.get("crs_missing") is None
    assert [e["id"] for e in store.courses.audit_trail("crs_1")] == ["evt_1"]


def test_a_draft_has_no_search_seq(store: Any) -> None:
    store.courses.add(course_doc("crs_d", "org_p", state="draft"))
    assert store.courses.get("crs_d")["search_seq"] is None
    assert store.courses.get("crs_d")["live"] is None


def test_duplicate_id_writes_nothing(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p", title={"en": "First"}))
    with pytest.raises(DuplicateKey):
        store.courses.add(course_doc("crs_1", "org_q", title={"en": "Second"}),
                          event_doc("evt_dup", "crs_1", "draft"))
    assert store.courses.get("crs_1")["live"]["title"] == {"en": "First"}
    assert store.courses.audit_trail("crs_1") == []
    assert store.courses.search(CourseQuery(text="second")).total == 0


def test_replace_is_compare_and_set(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p", state="draft"))
    current = store.courses.get("crs_1")
    submitted = {**current, "state": "submitted"}
    stored = store.courses.replace(submitted, 1, event_doc("evt_1", "crs_1", "submitted", "draft"))
    assert stored["row_version"] == 2 and stored["state"] == "submitted"
    assert store.courses.get("crs_1") == stored

    stale = {**current, "state": "retired"}
    with pytest.raises(ConcurrentUpdate):
        store.courses.replace(stale, 1, event_doc("evt_2", "crs_1", "retired", "draft"))
    assert store.courses.get("crs_1")["state"] == "submitted"
    assert store.courses.get("crs_1")["row_version"] == 2


def test_a_failed_compare_and_set_writes_no_audit_event(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p", state="draft"),
                      event_doc("evt_0", "crs_1", "draft"))
    doc = store.courses.get("crs_1")
    store.courses.replace({**doc, "state": "submitted"}, 1,
                          event_doc("evt_1", "crs_1", "submitted", "draft"))
    with pytest.raises(ConcurrentUpdate):
        store.courses.replace({**doc, "state": "in_review"}, 1,
                              event_doc("evt_2", "crs_1", "in_review", "submitted"))
    trail = store.courses.audit_trail("crs_1")
    assert [e["id"] for e in trail] == ["evt_0", "evt_1"]
    assert [e["to"] for e in trail] == ["draft", "submitted"]


def test_audit_trail_is_oldest_first_and_per_course(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p", state="draft"),
                      event_doc("e1", "crs_1", "draft"))
    store.courses.add(course_doc("crs_2", "org_p", state="draft"),
                      event_doc("e2", "crs_2", "draft"))
    doc = store.courses.get("crs_1")
    for version, (frm, to) in enumerate([("draft", "submitted"), ("submitted", "in_review")], 1):
        doc = store.courses.replace({**doc, "state": to}, version,
                                    event_doc(f"e1{version}", "crs_1", to, frm))
    assert [e["to"] for e in store.courses.audit_trail("crs_1")] == [
        "draft", "submitted", "in_review"]
    assert [e["id"] for e in store.courses.audit_trail("crs_2")] == ["e2"]
    assert store.courses.audit_trail("crs_none") == []


def test_replace_assigns_a_new_search_seq_only_when_live_changes(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p", title={"en": "Old title"}))
    first = store.courses.get("crs_1")
    # A revision in progress: live unchanged, so the course keeps its place in snapshots.
    revising = store.courses.replace(
        {**first, "state": "in_review", "revision": content(title={"en": "New title"})}, 1)
    assert revising["search_seq"] == first["search_seq"]
    assert ids(store.courses.search(CourseQuery(text="old"))) == ["crs_1"]
    assert ids(store.courses.search(CourseQuery(text="new"))) == []
    # Publishing the revision replaces live atomically and gives a new search_seq.
    published = store.courses.replace(
        {**revising, "state": "published", "live": revising["revision"]}, 2)
    assert published["search_seq"] > first["search_seq"]
    assert ids(store.courses.search(CourseQuery(text="new"))) == ["crs_1"]
    assert ids(store.courses.search(CourseQuery(text="old"))) == []


def test_replace_keeps_the_rating_owned_by_reviews(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p"))
    stale = store.courses.get("crs_1")
    store.courses.set_rating("crs_1", 4.5, 2)
    assert store.courses.get("crs_1")["row_version"] == 1
    stored = store.courses.replace({**stale, "state": "retired", "live": None}, 1)
    assert stored["rating"] == {"average": 4.5, "count": 2}
    assert store.courses.get("crs_1")["rating"] == {"average": 4.5, "count": 2}


def test_add_many_writes_every_course_and_event(store: Any) -> None:
    courses = [course_doc(f"crs_{i}", "org_p", title={"en": f"Bulk course {i}"})
               for i in range(5)]
    events = [event_doc(f"evt_{i}", f"crs_{i}", "published") for i in range(5)]
    store.courses.add_many(courses, events)
    assert store.courses.count() == 5
    assert store.courses.search(CourseQuery(text="bulk")).total == 5
    seqs = [store.courses.get(f"crs_{i}")["search_seq"] for i in range(5)]
    assert len(set(seqs)) == 5 and all(isinstance(s, int) for s in seqs)
    assert [e["id"] for e in store.courses.audit_trail("crs_3")] == ["evt_3"]


def test_add_many_is_atomic_on_a_duplicate_within_the_batch(store: Any) -> None:
    courses = [course_doc("crs_a", "org_p", title={"en": "Alpha"}),
               course_doc("crs_b", "org_p", title={"en": "Beta"}),
               course_doc("crs_a", "org_p", title={"en": "Alpha again"})]
    with pytest.raises(DuplicateKey):
        store.courses.add_many(courses, [event_doc("evt_a", "crs_a", "published")])
    assert store.courses.count() == 0
    assert store.courses.get("crs_b") is None
    assert store.courses.audit_trail("crs_a") == []
    assert store.courses.search(CourseQuery(text="beta")).total == 0


def test_add_many_is_atomic_on_a_clash_with_a_stored_course(store: Any) -> None:
    store.courses.add(course_doc("crs_old", "org_p", title={"en": "Existing"}))
    batch = [course_doc("crs_new", "org_p", title={"en": "Fresh"}),
             course_doc("crs_old", "org_p", title={"en": "Clash"})]
    with pytest.raises(DuplicateKey):
        store.courses.add_many(batch, [])
    assert store.courses.get("crs_new") is None
    assert store.courses.count() == 1
    assert store.courses.get("crs_old")["live"]["title"] == {"en": "Existing"}


def test_list_for_provider_by_id_with_states_and_paging(store: Any) -> None:
    for i, state in enumerate(["draft", "published", "submitted", "published", "retired"]):
        store.courses.add(course_doc(f"crs_p{i}", "org_p", state=state))
    store.courses.add(course_doc("crs_q0", "org_q"))
    listed = store.courses.list_for_provider("org_p")
    assert [c["id"] for c in listed] == [f"crs_p{i}" for i in range(5)]
    assert [c["id"] for c in store.courses.list_for_provider("org_p", ["published"])] == [
        "crs_p1", "crs_p3"]
    assert [c["id"] for c in store.courses.list_for_provider(
        "org_p", ["draft", "retired"])] == ["crs_p0", "crs_p4"]
    page1 = store.courses.list_for_provider("org_p", limit=2)
    page2 = store.courses.list_for_provider("org_p", limit=2, after=page1[-1]["id"])
    assert [c["id"] for c in page1 + page2] == ["crs_p0", "crs_p1", "crs_p2", "crs_p3"]
    assert [c["id"] for c in store.courses.list_for_provider(None)] == [
        "crs_p0", "crs_p1", "crs_p2", "crs_p3", "crs_p4", "crs_q0"]
    assert store.courses.list_for_provider("org_none") == []


def test_count_by_state(store: Any) -> None:
    store.courses.add(course_doc("crs_1", "org_p"))
    store.courses.add(course_doc("crs_2", "org_p", state="draft"))
    store.courses.add(course_doc("crs_3", "org_p", state="draft"))
    assert store.courses.count() == 3
    assert store.courses.count("draft") == 2
    assert store.courses.count("published") == 1
    assert store.courses.count("retired") == 0
