"""Demo data of programs: a curated program of the demo department, and a blended program of a
training institute with two batches, their sessions and the department's learners enrolled.

- **Curated**: the department's curator curates three published demo courses (two required,
  one optional) and an external manual into "Public Finance Essentials"; the review board
  publishes it, so it is in catalogue search (``category=program``) and the department's plan.
- **Blended**: the institute's curator curates two courses into "Leading Teams in Public
  Service", blended; its coordinator runs batch 1 (started three days ago: two sessions are
  past, one is today, two to come; the department's learners hold seats, one still waits for
  approval; the coordinator's sheets of the past sessions are in, so the department's LRS holds
  ``attended`` statements) and batch 2 (in two months, enrolment open, invite-only seats for
  two learners).

Everything goes through the same functions as the API (schemas load the bodies, the workflow and
seat rules apply), with principals of the demo organisations, so the demo shows what the API
would have stored. Loaded by the department's demo loader (:mod:`marketplace.demo_plans`),
which owns the department and its learners.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from catalogue_schemas.blended import BatchInSchema, SessionInSchema
from catalogue_schemas.program import ProgramContentSchema
from hub.auth import create_credential, create_organisation
from hub.principal import OrgKind, Principal, Role
from marketplace import blended, blended_attendance, blended_enrolment, programs, service
from marketplace.demo import REVIEW_BOARD
from storage.ports import Document, Store

DEMO_INSTITUTE = "Institute of Secretariat Training and Management (demo)"
_PROGRAM = ProgramContentSchema()
_BATCH = BatchInSchema()
_SESSION = SessionInSchema()


def principal_of(org: Document, credential: Document, *roles: Role) -> Principal:
    """The principal a demo credential authenticates as."""
    return Principal(key=credential["key"], org_id=org["id"], org_kind=org["kind"],
                     org_name=org["name"], roles=frozenset(role.value for role in roles))


def _publish(store: Store, owner: Principal, reviewer: Principal, program_id: str) -> None:
    """Walk a draft program through the vetting workflow, as its curator and the board would
    (``*``: the demo holds the only copy, so no edit can be lost)."""
    service.transition_course(store, owner, program_id, "submit", None, "*")
    service.transition_course(store, reviewer, program_id, "start_review", None, "*")
    service.transition_course(store, reviewer, program_id, "publish", None, "*")


def _reviewer(store: Store) -> Principal:
    """A reviewer of the demo review board (loaded by :func:`marketplace.demo.load_demo`)."""
    board = store.organisations.get_by_name(REVIEW_BOARD)
    assert board is not None, "the demo catalogue is loaded first"
    return Principal(key="demo-import", org_id=board["id"], org_kind=board["kind"],
                     org_name=board["name"], roles=frozenset({Role.REVIEWER.value}))


def _targets(store: Store, course_id: str) -> list[Document]:
    """Two target competencies of a program: its first course's tags, as written."""
    course = store.courses.get(course_id) or {}
    tags = (course.get("live") or {}).get("competencies") or []
    return [{"id": tag["id"], "level": tag["level"]} for tag in tags[:2]]


def curated_program(store: Store, curator: Principal, reviewer: Principal,
                    course_ids: list[str]) -> Document:
    """The department's published curated program over three courses and a manual."""
    body = _PROGRAM.load({
        "title": {"en": "Public Finance Essentials", "hi": "सार्वजनिक वित्त की अनिवार्यताएँ"},
        "description": {"en": "What every new Under Secretary needs on budgets, audit and "
                              "procurement, in the order the department recommends.",
                        "hi": "बजट, लेखा परीक्षा और खरीद पर हर नए अवर सचिव के लिए आवश्यक।"},
        "level": "beginner", "competencies": _targets(store, course_ids[0]),
        "program": {"blended": False, "items": [
            {"kind": "course", "course": course_ids[0], "required": True},
            {"kind": "course", "course": course_ids[1], "required": True},
            {"kind": "course", "course": course_ids[2], "required": False},
            {"kind": "resource", "url": "https://finmin.example.gov.in/gfr-2017",
             "title": {"en": "General Financial Rules 2017", "hi": "सामान्य वित्तीय नियम 2017"},
             "duration": "PT1H", "required": False}]}})
    program = programs.create_program(store, curator, body)
    _publish(store, curator, reviewer, program["id"])
    return program


def blended_program(store: Store, curator: Principal, reviewer: Principal,
                    course_ids: list[str]) -> Document:
    """The institute's published blended program over two courses."""
    body = _PROGRAM.load({
        "title": {"en": "Leading Teams in Public Service",
                  "hi": "लोक सेवा में टीमों का नेतृत्व"},
        "description": {"en": "Two online courses, then classroom sessions at the institute: "
                              "case discussions, role play and a field visit."},
        "level": "intermediate", "competencies": _targets(store, course_ids[0]),
        "program": {"blended": True, "items": [
            {"kind": "course", "course": course_ids[0], "required": True},
            {"kind": "course", "course": course_ids[1], "required": True}]}})
    program = programs.create_program(store, curator, body)
    _publish(store, curator, reviewer, program["id"])
    return program


def _day(now: datetime, days: int) -> str:
    return (now + timedelta(days=days)).date().isoformat()


def _batch(store: Store, coordinator: Principal, program_id: str, now: datetime,
           number: int, start: int, length: int, **extra: Any) -> Document:
    """Batch ``number``, starting ``start`` days from ``now`` for ``length`` days (in India
    Standard Time, as its sessions)."""
    body = _BATCH.load({
        "program_id": program_id,
        "title": {"en": f"Batch {number}", "hi": f"बैच {number}"},
        "starts_at": f"{_day(now, start)}T09:00:00+05:30",
        "ends_at": f"{_day(now, start + length)}T18:00:00+05:30",
        "enrolment_deadline": f"{_day(now, start - 3)}T23:59:00+05:30",
        "coordinator": {"name": "Dr Kavita Menon", "email": "kavita.menon@istm.example.gov.in"},
        **extra})
    return blended.create_batch(store, coordinator, body)


def _session(store: Store, coordinator: Principal, batch_id: str, day: str, start: str,
             end: str, **place: Any) -> Document:
    body = _SESSION.load({"date": day, "start_time": start, "end_time": end,
                          "timezone": "Asia/Kolkata", "facilitators": ["Dr Kavita Menon"],
                          **place})
    return blended.add_session(store, coordinator, batch_id, body)


def _attendance(store: Store, coordinator: Principal, department: Document,
                learners: list[str], past: list[Document]) -> None:
    """The coordinator's sheets of the two past sessions: the first learner attended both, the
    second missed the first (``attended`` statements land in the department's LRS)."""
    from hub.context import get_config, get_statement_sink

    sink, public_url = get_statement_sink(), get_config().public_url
    for number, session in enumerate(past):
        rows = [{"org_id": department["id"], "learner_id": learner,
                 "status": "absent" if (number, index) == (0, 1) else "present"}
                for index, learner in enumerate(learners)]
        blended_attendance.record_attendance(store, sink, public_url, coordinator,
                                             session["id"], rows)


def load_demo_programs(store: Store, department: Document, curator: Principal,
                       learners: list[str], course_ids: list[str]) -> Document:
    """The programs, batches, sessions and enrolments of the demo (``course_ids``: at least five
    published demo courses; ``learners``: the department's learner ids, at least three).
    Returns the new credentials and the ids a plan may list."""
    reviewer = _reviewer(store)
    curated = curated_program(store, curator, reviewer, course_ids[:3])
    institute = create_organisation(store, DEMO_INSTITUTE, OrgKind.INSTITUTION, country="IN")
    staff = create_credential(store, institute["id"], [Role.CURATOR, Role.COORDINATOR], "demo")
    institute_curator = principal_of(institute, staff, Role.CURATOR)
    coordinator = principal_of(institute, staff, Role.COORDINATOR)
    leading = blended_program(store, institute_curator, reviewer, course_ids[3:5])
    approver_cred = create_credential(store, department["id"], [Role.DEPARTMENT_APPROVER],
                                      "demo")
    approver = principal_of(department, approver_cred, Role.DEPARTMENT_APPROVER)

    now = datetime.now(UTC).replace(microsecond=0)
    first = _batch(store, coordinator, leading["id"], now, 1, start=-3, length=14, capacity=25)
    hall = {"venue": "ISTM, Old JNU Campus, New Delhi — Hall 2"}
    sessions = [_session(store, coordinator, first["id"], _day(now, offset), "09:30", "12:30",
                         **hall) for offset in (-3, -1, 0, 4, 9)]
    second = _batch(store, coordinator, leading["id"], now, 2, start=60, length=10, capacity=20,
                    mode="invite-only", invitees=[
                        {"org_id": department["id"], "learner_id": learner}
                        for learner in learners[1:3]])
    for offset in (60, 62, 64):
        _session(store, coordinator, second["id"], _day(now, offset), "10:00", "13:00",
                 online_url="https://meet.istm.example.gov.in/leading-teams-b2")

    # Batch 1's seats were asked for before its deadline; one request still waits.
    asked = (now - timedelta(days=10)).isoformat()
    for learner in learners[:2]:
        enrolment = blended_enrolment.request_enrolment(store, curator, first["id"], learner,
                                                        now=asked)
        blended_enrolment.approve(store, approver, enrolment["id"], now=asked)
    blended_enrolment.request_enrolment(store, curator, first["id"], learners[2], now=asked)
    _attendance(store, coordinator, department, learners[:2], sessions[:2])
    blended_enrolment.request_enrolment(store, curator, second["id"], learners[1])
    return {"credentials": {
        "institute": {**staff, "org": institute["name"]},
        "department_approver": {**approver_cred, "org": department["name"]}},
        "curated_program": curated["id"], "blended_program": leading["id"],
        "batches": [first["id"], second["id"]]}

