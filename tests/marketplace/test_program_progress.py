"""Program completion on both store adapters: required catalogue items from the learner's
statements, external resources untracked, a blended program's attended sessions against its
batch's minimum attendance; the completion endpoint and plans reading programs this way."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.program_progress import program_state
from tests.marketplace.blended_support import Blended, held, publish_blended_program, store_of
from tests.marketplace.plan_support import PUBLIC_URL, Department


@pytest.fixture
def blended(tenants: Any, client: Any) -> Blended:
    return Blended(tenants, client)


def completion(blended: Blended, enrolment_id: str, who: dict[str, Any] | None = None) -> Any:
    return blended.client.get(f"/blended/enrolments/{enrolment_id}/completion",
                              headers=(who or blended.dept)["headers"])


def test_a_blended_program_needs_its_items_and_enough_sessions(
        blended: Blended, client: Any, tenants: Any) -> None:
    dept = Department(tenants, client)
    batch = blended.batch(min_attendance=50)
    first = blended.session(batch["id"], days=12)
    blended.session(batch["id"], days=13)
    enrolment = blended.seated(batch["id"], "l1")
    res = completion(blended, enrolment["id"])
    assert res.status_code == 200, res.get_json()
    body = res.get_json()
    assert (body["state"], body["program_id"]) == ("not-started", blended.program_id)
    assert body["sessions"] == {"attended": 0, "total": 2, "required": 1,
                                "batch_id": batch["id"]}
    assert body["required_items"] == [{"item": blended.course_id, "kind": "course",
                                       "required": True, "state": "not-started"}]
    dept.statement("l1", "completed", blended.course_id)
    assert completion(blended, enrolment["id"]).get_json()["state"] == "in-progress"
    held(client, first["id"], -0.5, -0.4)
    marked = client.put(f"/blended/sessions/{first['id']}/attendance", json={"records": [
        {"org_id": blended.dept["org"]["id"], "learner_id": "l1", "status": "present"}]},
        headers=blended.coordinator["headers"])
    assert marked.status_code == 200, marked.get_json()
    done = completion(blended, enrolment["id"], blended.coordinator).get_json()
    assert (done["state"], done["sessions"]["attended"]) == ("completed", 1)
    # Plans read a program item by its items and sessions, not by statements naming it.
    dept.learner("l1")
    dept.plan([blended.program_id])
    assert dept.items("l1") == {blended.program_id: "completed"}
    # Raising the bar to every session undoes it.
    client.patch(f"/blended/batches/{batch['id']}", json={"min_attendance": 100},
                 headers=blended.coordinator["headers"])
    assert completion(blended, enrolment["id"]).get_json()["state"] == "in-progress"


def test_completion_is_for_the_learners_organisation_and_the_coordinators(
        blended: Blended) -> None:
    batch = blended.batch()
    enrolment = blended.seated(batch["id"], "l1")
    assert completion(blended, enrolment["id"], blended.other_dept).status_code == 404
    assert completion(blended, enrolment["id"], blended.academy_other).status_code == 403
    assert completion(blended, enrolment["id"], blended.coordinator).status_code == 200
    assert completion(blended, "enr_nope").status_code == 404


def test_a_curated_program_counts_required_catalogue_items_only(
        blended: Blended, client: Any, tenants: Any) -> None:
    dept = Department(tenants, client)
    optional = blended.cast.publish()["id"]
    program_id = publish_blended_program(
        client, blended.curator, blended.cast.reviewer, blended.course_id, blended=False,
        items=[{"kind": "course", "course": blended.course_id},
               {"kind": "course", "course": optional, "required": False},
               {"kind": "resource", "url": "https://finance.example.gov.in/manual",
                "title": {"en": "Treasury manual"}}])
    store = store_of(client)
    program = store.courses.get(program_id)
    learner = {"learner_id": "l1", "home_page": PUBLIC_URL}

    def state() -> dict[str, Any]:
        return program_state(store, dept.org_id, learner, PUBLIC_URL, program)

    assert state()["state"] == "not-started"
    assert state()["sessions"] is None
    assert [(i["item"], i["state"]) for i in state()["required_items"]] == [
        (blended.course_id, "not-started"),
        ("https://finance.example.gov.in/manual", "untracked")]
    dept.statement("l1", "completed", optional)  # an optional item moves nothing
    assert state()["state"] == "not-started"
    # "progressed", not "launched": a launch milliseconds before the pass would be a pass
    # completion integrity flags (tests/marketplace/test_passbook_derive.py)
    dept.statement("l1", "progressed", blended.course_id)
    assert state()["state"] == "in-progress"
    dept.statement("l1", "passed", blended.course_id)
    assert state()["state"] == "completed"  # the external resource does not hold it back
    # Another organisation's LRS knows nothing of this learner.
    assert program_state(store, "org_other", learner, PUBLIC_URL, program)["state"] == (
        "not-started")
    # A blended program without an approved batch cannot be completed.
    no_batch = program_state(store, dept.org_id, learner, PUBLIC_URL,
                             store.courses.get(blended.program_id))
    assert (no_batch["state"], no_batch["sessions"]["required"]) == ("in-progress", None)
