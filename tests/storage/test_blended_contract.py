"""Contract of BlendedRepository (batches, sessions, enrolments and their seats), run over every
adapter; the seat race runs with threads on both adapters and with processes on SQLite."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.blended import BatchFull, BlendedRepository
from tests.racing import race
from tests.storage.factories import timestamp


def batch(batch_id: str = "b1", capacity: int = 2, org_id: str = "inst",
          starts_at: str = "2027-01-10T04:00:00Z", program_id: str = "p1") -> dict[str, Any]:
    """A batch with no seat taken."""
    return {"id": batch_id, "org_id": org_id, "program_id": program_id, "title": {"en": "B"},
            "starts_at": starts_at, "ends_at": "2027-01-20T12:00:00Z",
            "enrolment_deadline": "2027-01-05T00:00:00Z", "capacity": capacity, "mode": "open",
            "invitees": [], "coordinator": {"name": "C", "email": "c@example.org"},
            "coordinator_approval": False, "seats_taken": 0, "seat_holders": [],
            "created_at": timestamp(), "created_by": "key", "updated_at": None}


def session(session_id: str, batch_id: str = "b1",
            starts_at: str = "2027-01-10T04:00:00Z") -> dict[str, Any]:
    """A session of a batch."""
    return {"id": session_id, "batch_id": batch_id, "org_id": "inst", "date": "2027-01-10",
            "start_time": "09:30", "end_time": "12:30", "timezone": "Asia/Kolkata",
            "starts_at": starts_at, "ends_at": "2027-01-10T07:00:00Z", "venue": "Hall 1",
            "online_url": None, "facilitators": ["F"], "handouts": [], "created_at": timestamp()}


def enrolment(enrolment_id: str, learner_id: str = "l1", batch_id: str = "b1",
              state: str = "requested") -> dict[str, Any]:
    """A learner's enrolment request."""
    return {"id": enrolment_id, "batch_id": batch_id, "batch_org_id": "inst",
            "learner_org_id": "dept", "learner_id": learner_id, "state": state, "reason": None,
            "events": [{"at": timestamp(), "by": "k", "action": "request", "state": state,
                        "reason": None}], "created_at": timestamp(), "updated_at": None}


def event(action: str, state: str) -> dict[str, Any]:
    """One audit event."""
    return {"at": timestamp(), "by": "k", "action": action, "state": state, "reason": None}


def approve(store: Any, enrolment_id: str) -> Any:
    """Take a seat with the final approval."""
    return store.blended.transition(enrolment_id, ["requested"], {"state": "approved"},
                                    event("approve", "approved"), seat=1)


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.blended, BlendedRepository)


def test_batches_add_get_list_update(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch("b2", starts_at="2027-02-01T00:00:00Z"))
    repo.add_batch(batch("b1"))
    repo.add_batch(batch("b3", org_id="other", program_id="p2"))
    with pytest.raises(DuplicateKey):
        repo.add_batch(batch("b1"))
    assert repo.get_batch("b1") == batch("b1") | {"created_at": repo.get_batch("b1")["created_at"]}
    assert repo.get_batch("nope") is None
    assert [b["id"] for b in repo.list_batches()] == ["b1", "b3", "b2"]  # by start, then id
    assert [b["id"] for b in repo.list_batches(org_id="inst")] == ["b1", "b2"]
    assert [b["id"] for b in repo.list_batches(program_id="p2")] == ["b3"]
    updated = repo.update_batch("b1", {"capacity": 5, "id": "x", "seats_taken": 9,
                                       "starts_at": "2027-03-01T00:00:00Z"})
    assert (updated["id"], updated["capacity"], updated["seats_taken"]) == ("b1", 5, 0)
    assert [b["id"] for b in repo.list_batches(org_id="inst")] == ["b2", "b1"]
    assert repo.update_batch("nope", {"capacity": 1}) is None


def test_capacity_cannot_drop_below_the_seats_taken(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch(capacity=2))
    repo.add_enrolment(enrolment("e1"))
    repo.add_enrolment(enrolment("e2", "l2"))
    approve(store, "e1")
    approve(store, "e2")
    with pytest.raises(BatchFull):
        repo.update_batch("b1", {"capacity": 1})
    assert repo.get_batch("b1")["capacity"] == 2
    assert repo.update_batch("b1", {"capacity": 2})["capacity"] == 2


def test_sessions_by_start_over_batches(store: Any) -> None:
    repo = store.blended
    repo.add_session(session("s2", starts_at="2027-01-11T04:00:00Z"))
    repo.add_session(session("s1"))
    repo.add_session(session("s3", batch_id="b9", starts_at="2027-01-10T05:00:00Z"))
    with pytest.raises(DuplicateKey):
        repo.add_session(session("s1"))
    assert [s["id"] for s in repo.list_sessions(["b1"])] == ["s1", "s2"]
    assert [s["id"] for s in repo.list_sessions(["b1", "b9"])] == ["s1", "s3", "s2"]
    assert repo.list_sessions([]) == []
    assert repo.update_session("s1", {"venue": "Hall 2", "batch_id": "b9"})["batch_id"] == "b1"
    assert repo.get_session("s1")["venue"] == "Hall 2"
    assert repo.update_session("nope", {"venue": "x"}) is None
    assert repo.delete_session("s1") is True
    assert repo.delete_session("s1") is False
    assert repo.get_session("s1") is None


def test_one_active_enrolment_per_learner_and_batch(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch())
    repo.add_enrolment(enrolment("e1"))
    assert repo.get_enrolment("e1") == enrolment("e1") | {
        "events": repo.get_enrolment("e1")["events"],
        "created_at": repo.get_enrolment("e1")["created_at"]}
    with pytest.raises(DuplicateKey):
        repo.add_enrolment(enrolment("e2"))
    with pytest.raises(DuplicateKey):
        repo.add_enrolment(enrolment("e1", "l2"))
    withdrawn = repo.transition("e1", ["requested"], {"state": "withdrawn"},
                                event("withdraw", "withdrawn"))
    assert withdrawn["state"] == "withdrawn"
    repo.add_enrolment(enrolment("e2"))  # the learner's place is free again
    assert [e["id"] for e in repo.list_enrolments(learner=("dept", "l1"))] == ["e1", "e2"]
    assert [e["id"] for e in repo.list_enrolments("b1", states=["requested"])] == ["e2"]
    assert repo.list_enrolments("b1", states=[]) == []
    assert repo.list_enrolments(learner=("dept", "nobody")) == []
    assert [e["id"] for e in repo.list_enrolments(learner_org_id="dept",
                                                  states=["withdrawn"])] == ["e1"]
    assert repo.list_enrolments(learner_org_id="other") == []


def test_transition_is_a_compare_and_set_with_its_audit_event(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch())
    repo.add_enrolment(enrolment("e1"))
    done = repo.transition("e1", ["requested"], {"state": "department-approved", "id": "x"},
                           event("department-approve", "department-approved"))
    assert (done["id"], done["state"]) == ("e1", "department-approved")
    assert [e["action"] for e in done["events"]] == ["request", "department-approve"]
    assert repo.transition("e1", ["requested"], {"state": "refused"},
                           event("refuse", "refused")) is None
    assert repo.get_enrolment("e1") == done
    assert repo.transition("nope", ["requested"], {"state": "x"}, event("x", "x")) is None


def test_seats_are_taken_and_given_back(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch(capacity=1))
    repo.add_enrolment(enrolment("e1"))
    repo.add_enrolment(enrolment("e2", "l2"))
    assert approve(store, "e1")["state"] == "approved"
    assert (repo.get_batch("b1")["seats_taken"], repo.get_batch("b1")["seat_holders"]) == (
        1, ["e1"])
    with pytest.raises(BatchFull):
        approve(store, "e2")
    assert repo.get_enrolment("e2")["state"] == "requested"  # nothing written
    assert [e["action"] for e in repo.get_enrolment("e2")["events"]] == ["request"]
    repo.transition("e1", ["approved"], {"state": "withdrawn"}, event("withdraw", "withdrawn"),
                    seat=-1)
    assert (repo.get_batch("b1")["seats_taken"], repo.get_batch("b1")["seat_holders"]) == (0, [])
    assert approve(store, "e2")["state"] == "approved"
    assert approve(store, "e2") is None  # already approved: lost compare-and-set, no 2nd seat
    assert repo.get_batch("b1")["seats_taken"] == 1


def test_racing_approvals_never_over_allocate(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch(capacity=3))
    for i in range(10):
        repo.add_enrolment(enrolment(f"e{i}", f"l{i}"))
    results = race(*(lambda i=i: approve(store, f"e{i}") for i in range(10)))
    won = [r for r in results if isinstance(r, dict)]
    assert len(won) == 3
    assert all(isinstance(r, BatchFull) for r in results if not isinstance(r, dict))
    b = repo.get_batch("b1")
    assert b["seats_taken"] == 3
    assert sorted(b["seat_holders"]) == sorted(r["id"] for r in won)
    assert len(repo.list_enrolments("b1", states=["approved"])) == 3


def test_racing_approvals_of_one_enrolment_take_one_seat(store: Any) -> None:
    repo = store.blended
    repo.add_batch(batch(capacity=5))
    repo.add_enrolment(enrolment("e1"))
    results = race(*(lambda: approve(store, "e1") for _ in range(6)))
    assert sum(isinstance(r, dict) for r in results) == 1
    assert repo.get_batch("b1")["seat_holders"] == ["e1"]


def _approve_in_a_process(url: str, enrolment_id: str, start: Any, results: Any) -> None:
    from storage import open_store

    store = open_store(url)
    start.wait()
    try:
        results.put("approved" if approve(store, enrolment_id) else "lost")
    except BatchFull:
        results.put("full")
    store.close()


def test_racing_processes_never_over_allocate(sqlite_url: str) -> None:
    """gunicorn workers share one SQLite file: their approvals meet at its write lock."""
    import multiprocessing

    from storage import open_store

    store = open_store(sqlite_url)
    store.blended.add_batch(batch(capacity=2))
    for i in range(5):
        store.blended.add_enrolment(enrolment(f"e{i}", f"l{i}"))
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_approve_in_a_process, args=(sqlite_url, f"e{i}", start, results))
             for i in range(5)]
    for p in procs:
        p.start()
    start.set()
    got = sorted(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert got == ["approved", "approved", "full", "full", "full"]
    assert store.blended.get_batch("b1")["seats_taken"] == 2
    store.close()


def record(learner_id: str, status: str = "present", session_id: str = "s1",
           statement_id: str | None = "st-1") -> dict[str, Any]:
    """An attendance record of a learner of ``dept``."""
    return {"session_id": session_id, "batch_id": "b1", "learner_org_id": "dept",
            "learner_id": learner_id, "status": status, "method": "coordinator",
            "at": timestamp(), "by": "k", "statement_id": statement_id}


def test_attendance_sheets_are_written_by_compare_and_set(store: Any) -> None:
    repo = store.blended
    assert repo.attendance("s1") == (0, [])
    assert repo.save_attendance("s1", "b1", 0, [record("l2"), record("l1", "absent", None)])
    revision, rows = repo.attendance("s1")
    assert revision == 1
    assert [(r["learner_id"], r["status"]) for r in rows] == [("l1", "absent"), ("l2", "present")]
    # A writer that read revision 0 lost: nothing of its write is kept.
    assert not repo.save_attendance("s1", "b1", 0, [record("l1"), record("l3")])
    assert repo.attendance("s1") == (1, rows)
    # A learner's new record replaces the old one; the others stay.
    assert repo.save_attendance("s1", "b1", 1, [record("l1", statement_id="st-9")])
    revision, rows = repo.attendance("s1")
    assert revision == 2
    assert [(r["learner_id"], r["status"], r["statement_id"]) for r in rows] == [
        ("l1", "present", "st-9"), ("l2", "present", "st-1")]
    assert not repo.save_attendance("s2", "b1", 3, [record("l1", session_id="s2")])
    assert repo.attendance("s2") == (0, [])


def test_a_first_sheet_written_by_two_racers_keeps_one(store: Any) -> None:
    outcomes = race(*[lambda i=i: store.blended.save_attendance(
        "s1", "b1", 0, [record(f"l{i}")]) for i in range(8)])
    assert sorted(outcomes) == [False] * 7 + [True]
    _, rows = store.blended.attendance("s1")
    assert len(rows) == 1


def test_batch_attendance_reads_every_session_of_the_batch(store: Any) -> None:
    repo = store.blended
    repo.save_attendance("s1", "b1", 0, [record("l1")])
    repo.save_attendance("s2", "b1", 0, [record("l1", "absent", "s2", None)])
    repo.save_attendance("s3", "b2", 0, [record("l1", session_id="s3") | {"batch_id": "b2"}])
    found = repo.batch_attendance("b1")
    assert sorted((r["session_id"], r["status"]) for r in found) == [
        ("s1", "present"), ("s2", "absent")]
    assert repo.batch_attendance("nope") == []
