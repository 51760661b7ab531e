"""Attendance at blended sessions over HTTP on both store adapters: the coordinator's sheet
(all or nothing), learners' check-in codes valid only while the session runs, the ``attended``
statements in the learner's organisation's LRS (and their voiding), the JSON and CSV sheet."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.marketplace.blended_support import Blended, held, store_of

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
XAPI = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def blended(tenants: Any, client: Any) -> Blended:
    return Blended(tenants, client)


class Room:
    """A batch with one session and two seated learners of the department (one named like a
    spreadsheet formula); a third only requested a seat."""

    def __init__(self, blended: Blended, client: Any) -> None:
        self.b = blended
        self.client = client
        self.batch = blended.batch(capacity=5)
        self.session = blended.session(self.batch["id"])
        self.sid = self.session["id"]
        blended.seated(self.batch["id"], "l1")
        blended.seated(self.batch["id"], "=SUM(A1)")
        blended.request(self.batch["id"], "waiting")
        self.dept = blended.dept["org"]["id"]
        self.code = self.session["check_in_code"]

    def put(self, records: list[dict[str, Any]], who: dict[str, Any] | None = None) -> Any:
        return self.client.put(f"/blended/sessions/{self.sid}/attendance",
                               json={"records": records},
                               headers=(who or self.b.coordinator)["headers"])

    def row(self, learner_id: str, status: str = "present") -> dict[str, Any]:
        return {"org_id": self.dept, "learner_id": learner_id, "status": status}

    def check_in(self, learner_id: str, code: str, who: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/blended/sessions/{self.sid}/check-in",
                                json={"learner_id": learner_id, "code": code},
                                headers=(who or self.b.dept)["headers"])

    def sheet(self) -> dict[str, Any]:
        res = self.client.get(f"/blended/sessions/{self.sid}/attendance",
                              headers=self.b.coordinator["headers"])
        assert res.status_code == 200, res.get_json()
        return res.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def room(blended: Blended, client: Any) -> Room:
    return Room(blended, client)


def statements(client: Any, who: dict[str, Any], **query: str) -> list[dict[str, Any]]:
    res = client.get("/xapi/statements", query_string={"verb": ATTENDED, **query},
                     headers={**who["headers"], **XAPI})
    assert res.status_code == 200, res.get_json()
    return res.get_json()["statements"]  # type: ignore[no-any-return]


def test_the_code_is_shown_to_the_coordinator_only(room: Room, client: Any) -> None:
    code = room.code
    assert len(code) == 6 and code.isalnum()
    for who in (room.b.dept, room.b.lms, room.b.academy_other):
        seen = client.get(f"/blended/sessions/{room.sid}", headers=who["headers"]).get_json()
        assert "check_in_code" not in seen
        listed = client.get(f"/blended/batches/{room.batch['id']}",
                            headers=who["headers"]).get_json()["sessions"]
        assert "check_in_code" not in listed[0]
    own = client.get(f"/blended/sessions/{room.sid}", headers=room.b.coordinator["headers"])
    assert own.get_json()["check_in_code"] == code
    rotated = client.post(f"/blended/sessions/{room.sid}/check-in-code",
                          headers=room.b.coordinator["headers"])
    assert rotated.status_code == 200 and rotated.get_json()["check_in_code"] != code
    assert client.post(f"/blended/sessions/{room.sid}/check-in-code",
                       headers=room.b.dept["headers"]).status_code == 404


def test_check_in_is_open_only_while_the_session_runs(room: Room, client: Any) -> None:
    # In the future (as created), then over: refused either way, nothing written.
    assert room.check_in("l1", room.code).get_json()["reason"] == "session-not-open"
    held(client, room.sid, -2, -1.9)
    late = room.check_in("l1", room.code)
    assert (late.status_code, late.get_json()["reason"]) == (409, "session-not-open")
    assert room.sheet()["counts"] == {"present": 0, "absent": 0, "unmarked": 2}
    held(client, room.sid, -0.01, 0.1)
    done = room.check_in("l1", room.code.lower())  # case does not matter
    assert done.status_code == 200, done.get_json()
    record = done.get_json()
    assert (record["status"], record["method"], record["learner_id"]) == (
        "present", "check-in", "l1")
    assert room.check_in("l1", room.code).get_json()["statement_id"] == record["statement_id"]
    # Not seated (only requested), or another organisation's learner: refused.
    waiting = room.check_in("waiting", room.code)
    assert (waiting.status_code, waiting.get_json()["reason"]) == (409, "not-seated")
    assert room.check_in("l1", room.code, room.b.other_dept).status_code == 409
    assert room.check_in("l1", room.code, room.b.coordinator).status_code == 403


def test_wrong_codes_are_refused_then_throttled(room: Room, client: Any) -> None:
    held(client, room.sid, -0.01, 0.1)
    for _ in range(5):
        wrong = room.check_in("l1", "XXXXXX")
        assert wrong.status_code == 400 and "code" in wrong.get_json()["errors"]
    locked = room.check_in("l1", room.code)  # even the right code, once locked out
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    # Another learner's window is its own.
    assert room.check_in("=SUM(A1)", room.code).status_code == 200
    assert room.sheet()["counts"]["present"] == 1


def test_the_coordinator_records_all_rows_or_none(room: Room, client: Any) -> None:
    early = room.put([room.row("l1")])
    assert (early.status_code, early.get_json()["reason"]) == (409, "session-not-started")
    held(client, room.sid, -1, -0.9)
    bad = room.put([room.row("l1"), room.row("=SUM(A1)", "absent"), room.row("l1", "absent"),
                    room.row("stranger")])
    assert bad.status_code == 400
    assert set(bad.get_json()["errors"]) == {"records.2.learner_id", "records.3.learner_id"}
    assert room.put([{**room.row("l1"), "status": "late"}]).status_code == 400
    assert room.sheet()["counts"] == {"present": 0, "absent": 0, "unmarked": 2}
    assert room.put([room.row("l1")], room.b.academy_other).status_code == 403
    assert room.put([room.row("l1")], room.b.dept).status_code == 404
    done = room.put([room.row("l1"), room.row("=SUM(A1)", "absent")])
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["counts"] == {"present": 1, "absent": 1, "unmarked": 0}
    held(client, room.sid, -8.1, -8)  # more than 7 days after its end
    closed = room.put([room.row("l1", "absent")])
    assert (closed.status_code, closed.get_json()["reason"]) == (409, "attendance-closed")


def test_present_is_an_attended_statement_for_the_learners_organisation(
        room: Room, client: Any, tenants: Any) -> None:
    held(client, room.sid, -0.5, -0.4)
    assert room.put([room.row("l1"), room.row("=SUM(A1)", "absent")]).status_code == 200
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    found = statements(client, reader)
    assert len(found) == 1  # absent writes no statement
    statement = found[0]
    public = client.application.extensions["hub.config"].public_url
    assert statement["actor"]["account"] == {"homePage": public, "name": "l1"}
    assert statement["object"]["id"] == f"{public}/blended/sessions/{room.sid}"
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/meeting")
    assert statement["object"]["definition"]["name"] == {"en": "Batch", "hi": "बैच"}
    context = statement["context"]["contextActivities"]
    assert context["parent"][0]["id"] == f"{public}/blended/batches/{room.batch['id']}"
    assert context["grouping"][0]["id"] == f"{public}/catalogue/programs/{room.b.program_id}"
    assert statement["timestamp"][:19] == room.sheet()["starts_at"][:19]
    assert statement["authority"]["name"] == "Karmayogi Hub"
    # Another organisation's reader sees none of it, not even by id.
    other = tenants.make("Health Dept", "department", ("lrs-reader",))
    assert statements(client, other) == []
    by_id = client.get("/xapi/statements", query_string={"statementId": statement["id"]},
                       headers={**other["headers"], **XAPI})
    assert by_id.status_code == 404


def test_a_correction_to_absent_voids_the_statement(room: Room, client: Any,
                                                    tenants: Any) -> None:
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    held(client, room.sid, -0.5, -0.4)
    first = room.put([room.row("l1")]).get_json()["learners"]
    statement_id = next(r for r in first if r["learner_id"] == "l1")["statement_id"]
    assert room.put([room.row("l1")]).status_code == 200  # again: nothing new
    assert [s["id"] for s in statements(client, reader)] == [statement_id]
    assert room.put([room.row("l1", "absent")]).status_code == 200
    # The voiding statement alone is left (Communication 2.1.3: a StatementRef to a matching
    # statement matches the verb filter too); the attended one is gone.
    left = statements(client, reader)
    assert [(s["verb"]["id"], s["object"]) for s in left] == [
        ("http://adlnet.gov/expapi/verbs/voided",
         {"objectType": "StatementRef", "id": statement_id})]
    voided = client.get("/xapi/statements", query_string={"voidedStatementId": statement_id},
                        headers={**reader["headers"], **XAPI})
    assert voided.status_code == 200
    again = room.put([room.row("l1")]).get_json()["learners"]
    new_id = next(r for r in again if r["learner_id"] == "l1")["statement_id"]
    assert new_id != statement_id
    assert [s["id"] for s in statements(client, reader)
            if s["verb"]["id"] == ATTENDED] == [new_id]


def test_a_lost_sheet_race_voids_the_statements_it_wrote(room: Room, client: Any,
                                                          tenants: Any) -> None:
    """A writer whose compare-and-set loses once voids its statement and writes again."""
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    held(client, room.sid, -0.5, -0.4)
    repo = store_of(client).blended
    real = repo.save_attendance
    calls: list[int] = []

    def losing_once(*args: Any) -> bool:
        calls.append(1)
        return False if len(calls) == 1 else bool(real(*args))

    repo.save_attendance = losing_once
    try:
        assert room.put([room.row("l1")]).status_code == 200
    finally:
        del repo.save_attendance
    kept = [s["id"] for s in statements(client, reader) if s["verb"]["id"] == ATTENDED]
    record = next(r for r in room.sheet()["learners"] if r["learner_id"] == "l1")
    assert kept == [record["statement_id"]] and len(calls) == 2


def test_racing_check_ins_and_corrections_leave_one_live_statement(
        room: Room, client: Any, tenants: Any) -> None:
    """Check-ins of one learner from threads while the coordinator marks them absent: however
    the writes interleave, the record and the LRS agree (a present record's statement is the
    one attended statement not voided; absent leaves none)."""
    from tests.racing import race

    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    held(client, room.sid, -0.01, 0.1)
    calls = [lambda: room.check_in("l1", room.code) for _ in range(3)]
    calls.append(lambda: room.put([room.row("l1", "absent")]))
    results = race(*calls)
    assert all(r.status_code in (200, 409) for r in results), [r.status_code for r in results]
    record = next(r for r in room.sheet()["learners"] if r["learner_id"] == "l1")
    live = [s["id"] for s in statements(client, reader) if s["verb"]["id"] == ATTENDED]
    assert live == ([record["statement_id"]] if record["status"] == "present" else [])


def test_the_sheet_as_json_and_csv(room: Room, client: Any) -> None:
    held(client, room.sid, -0.5, -0.4)
    room.put([room.row("=SUM(A1)")])
    sheet = room.sheet()
    assert [(r["learner_id"], r["status"]) for r in sheet["learners"]] == [
        ("=SUM(A1)", "present"), ("l1", "unmarked")]
    res = client.get(f"/blended/sessions/{room.sid}/attendance.csv",
                     headers=room.b.coordinator["headers"])
    assert res.status_code == 200 and res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    assert [(r["learner_id"], r["status"], r["method"]) for r in rows] == [
        ("'=SUM(A1)", "present", "coordinator"), ("l1", "unmarked", "")]
    for who, status in ((room.b.dept, 404), (room.b.academy_other, 403)):
        for path in ("attendance", "attendance.csv"):
            got = client.get(f"/blended/sessions/{room.sid}/{path}", headers=who["headers"])
            assert got.status_code == status
    assert client.get("/blended/sessions/nope/attendance",
                      headers=room.b.coordinator["headers"]).status_code == 404
