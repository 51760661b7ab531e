"""The cast of the blended-program tests: an institution that runs batches, two departments
and an LMS whose learners ask for seats, and helpers that write batches and sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.timestamps import format_timestamp
from tests.marketplace.conftest import Cast


def moment(days: float) -> str:
    """An ISO 8601 instant ``days`` from now (negative: in the past), with an offset."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def batch_body(program_id: str, **overrides: Any) -> dict[str, Any]:
    """A batch starting in 10 days, deadline in 5, two seats."""
    return {"program_id": program_id, "title": {"en": "Batch", "hi": "बैच"},
            "starts_at": moment(10), "ends_at": moment(40), "enrolment_deadline": moment(5),
            "capacity": 2, "coordinator": {"name": "Asha Rao", "email": "asha@academy.example"},
            **overrides}


def session_body(days: int = 12, start: str = "09:30", end: str = "12:30",
                 timezone: str = "Asia/Kolkata", **overrides: Any) -> dict[str, Any]:
    """A session ``days`` from today, local times in ``timezone``."""
    day = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
    return {"date": day, "start_time": start, "end_time": end, "timezone": timezone,
            "venue": "Hall 1", "facilitators": ["Dr Iyer"], **overrides}


def publish_blended_program(client: Any, curator: dict[str, Any], reviewer: dict[str, Any],
                            course_id: str, **program: Any) -> str:
    """A blended program of ``course_id`` written by ``curator`` (a curator of an institution
    or a department) and published by ``reviewer``, through ``/programs``; its id."""
    res = client.post("/programs", headers=curator["headers"], json={
        "title": {"en": "Blended induction"}, "level": "beginner",
        "program": {"items": [{"kind": "course", "course": course_id}], "blended": True,
                    **program}})
    assert res.status_code == 201, res.get_json()
    program_id: str = res.get_json()["id"]
    for action, who in (("submit", curator), ("start_review", reviewer),
                        ("publish", reviewer)):
        etag = client.get(f"/programs/{program_id}", headers=who["headers"]).headers["ETag"]
        done = client.post(f"/programs/{program_id}/transitions", json={"action": action},
                           headers={**who["headers"], "If-Match": etag})
        assert done.status_code == 200, done.get_json()
    return program_id


def store_of(client: Any) -> Any:
    """The app's store."""
    return client.application.extensions["hub.store"]


def held(client: Any, session_id: str, starts: float, ends: float) -> None:
    """Move a session to run from ``starts`` to ``ends`` days from now (through the store: the
    API refuses sessions outside the batch, and seats are taken before a batch starts)."""
    store_of(client).blended.update_session(session_id, {
        "starts_at": _stored(moment(starts)), "ends_at": _stored(moment(ends))})


def _stored(instant: str) -> str:
    return format_timestamp(datetime.fromisoformat(instant))


class Blended:
    """Who acts in the blended tests, with a published blended program to run."""

    def __init__(self, tenants: Any, client: Any) -> None:
        self.client = client
        cast = Cast(tenants, client)
        self.cast = cast
        self.course_id = cast.publish()["id"]
        self.curator = tenants.make("Academy", "institution", ("curator",))
        self.program_id = publish_blended_program(client, self.curator, cast.reviewer,
                                                  self.course_id)
        self.coordinator = tenants.make("Academy", "institution", ("coordinator",))
        self.academy_other = tenants.make("Academy", "institution", ("curator",))
        self.dept = tenants.make("Revenue Dept", "department", ("curator",))
        self.approver = tenants.make("Revenue Dept", "department", ("department-approver",))
        self.other_dept = tenants.make("Health Dept", "department", ("department-approver",))
        self.lms = cast.lms
        self.provider = cast.a

    def batch(self, status: int = 201, **overrides: Any) -> dict[str, Any]:
        """``POST /blended/batches`` as the coordinator."""
        body = batch_body(overrides.pop("program_id", self.program_id), **overrides)
        res = self.client.post("/blended/batches", json=body,
                               headers=self.coordinator["headers"])
        assert res.status_code == status, res.get_json()
        return res.get_json()  # type: ignore[no-any-return]

    def session(self, batch_id: str, **kwargs: Any) -> dict[str, Any]:
        """A session of a batch."""
        res = self.client.post(f"/blended/batches/{batch_id}/sessions",
                               json=session_body(**kwargs), headers=self.coordinator["headers"])
        assert res.status_code == 201, res.get_json()
        return res.get_json()  # type: ignore[no-any-return]

    def request(self, batch_id: str, learner_id: str, who: dict[str, Any] | None = None) -> Any:
        """``POST /blended/batches/<id>/enrolments`` (the department by default)."""
        return self.client.post(f"/blended/batches/{batch_id}/enrolments",
                                json={"learner_id": learner_id},
                                headers=(who or self.dept)["headers"])

    def act(self, enrolment_id: str, action: str, who: dict[str, Any],
            reason: str | None = None) -> Any:
        """One step of an enrolment."""
        body = {"action": action} | ({"reason": reason} if reason else {})
        return self.client.post(f"/blended/enrolments/{enrolment_id}/transitions", json=body,
                                headers=who["headers"])

    def seated(self, batch_id: str, learner_id: str) -> dict[str, Any]:
        """A learner of the department requested and approved."""
        enrolment = self.request(batch_id, learner_id).get_json()
        done = self.act(enrolment["id"], "approve", self.approver)
        assert done.status_code == 200, done.get_json()
        return done.get_json()  # type: ignore[no-any-return]


def blended_ids(client: Any, who: dict[str, Any], program_id: str) -> dict[str, str]:
    """A batch with a session and a requested enrolment written as ``who`` (a department
    credential with ``coordinator`` and ``department-approver``): their ids, as the OpenAPI
    fuzz's path parameters name them."""
    batch = client.post("/blended/batches", json=batch_body(program_id), headers=who["headers"])
    batch_id = batch.get_json()["id"]
    session = client.post(f"/blended/batches/{batch_id}/sessions", json=session_body(),
                          headers=who["headers"])
    enrolment = client.post(f"/blended/batches/{batch_id}/enrolments",
                            json={"learner_id": "fuzz-learner"}, headers=who["headers"])
    return {"batch_id": batch_id, "session_id": session.get_json()["id"],
            "enrolment_id": enrolment.get_json()["id"]}
