"""Enrolment in blended batches over HTTP, on both store adapters: approvals, refusals with
their reasons, withdrawal, audit, tenancy, and seats under concurrent approvals."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from tests.marketplace.blended_support import Blended, moment
from tests.serving import served_app


@pytest.fixture
def blended(tenants: Any, client: Any) -> Blended:
    return Blended(tenants, client)


def test_request_then_department_approval_takes_a_seat(blended: Blended, client: Any) -> None:
    batch = blended.batch()
    res = blended.request(batch["id"], "learner-1")
    assert res.status_code == 201, res.get_json()
    enrolment = res.get_json()
    assert (enrolment["state"], enrolment["learner_org_id"]) == (
        "requested", blended.dept["org"]["id"])
    done = blended.act(enrolment["id"], "approve", blended.approver)
    assert (done.status_code, done.get_json()["state"]) == (200, "approved")
    events = done.get_json()["events"]
    assert [(e["action"], e["state"], e["by"]) for e in events] == [
        ("request", "requested", blended.dept["key"]),
        ("department-approve", "approved", blended.approver["key"])]
    seen = client.get(f"/blended/batches/{batch['id']}", headers=blended.coordinator["headers"])
    assert seen.get_json()["seats_taken"] == 1
    assert seen.get_json()["seat_holders"] == [enrolment["id"]]
    queue = client.get("/blended/enrolments?state=approved", headers=blended.dept["headers"])
    assert [e["id"] for e in queue.get_json()["enrolments"]] == [enrolment["id"]]


def test_the_coordinator_approves_last_when_the_batch_asks(blended: Blended) -> None:
    batch = blended.batch(coordinator_approval=True)
    enrolment = blended.request(batch["id"], "learner-1").get_json()
    assert blended.act(enrolment["id"], "approve", blended.coordinator).status_code == 403
    first = blended.act(enrolment["id"], "approve", blended.approver).get_json()
    assert first["state"] == "department-approved"
    assert blended.act(enrolment["id"], "approve", blended.approver).status_code == 403
    final = blended.act(enrolment["id"], "approve", blended.coordinator)
    assert (final.status_code, final.get_json()["state"]) == (200, "approved")
    assert [e["action"] for e in final.get_json()["events"]] == [
        "request", "department-approve", "coordinator-approve"]


def _reason(res: Any) -> str:
    assert res.status_code == 409, res.get_json()
    assert res.headers["Content-Type"].startswith("application/problem+json")
    return res.get_json()["reason"]  # type: ignore[no-any-return]


def test_requests_are_refused_with_a_reason(blended: Blended) -> None:
    started = blended.batch(starts_at=moment(-1), enrolment_deadline=moment(-2))
    assert _reason(blended.request(started["id"], "l1")) == "started"
    closed = blended.batch(enrolment_deadline=moment(-1))
    assert _reason(blended.request(closed["id"], "l1")) == "deadline-passed"
    invited = blended.batch(mode="invite-only", invitees=[
        {"org_id": blended.dept["org"]["id"], "learner_id": "vip"}])
    assert _reason(blended.request(invited["id"], "l1")) == "not-invited"
    assert blended.request(invited["id"], "vip").status_code == 201
    assert _reason(blended.request(invited["id"], "vip")) == "already-enrolled"
    small = blended.batch(capacity=1)
    blended.seated(small["id"], "l1")
    assert _reason(blended.request(small["id"], "l2")) == "full"


def test_an_approval_beyond_the_capacity_is_refused_and_writes_nothing(blended: Blended,
                                                                       client: Any) -> None:
    batch = blended.batch(capacity=1)
    first = blended.request(batch["id"], "l1").get_json()
    second = blended.request(batch["id"], "l2").get_json()
    assert blended.act(first["id"], "approve", blended.approver).status_code == 200
    assert _reason(blended.act(second["id"], "approve", blended.approver)) == "full"
    still = client.get(f"/blended/enrolments/{second['id']}", headers=blended.dept["headers"])
    assert still.get_json()["state"] == "requested"
    assert len(still.get_json()["events"]) == 1


def test_an_overlapping_seat_in_another_batch_is_refused_across_time_zones(
        blended: Blended) -> None:
    held = blended.batch()
    blended.session(held["id"], start="09:30", end="12:30", timezone="Asia/Kolkata")
    blended.seated(held["id"], "l1")
    clash = blended.batch()
    # 09:30-12:30 in Kolkata (UTC+05:30) is 04:00-07:00 UTC; 05:30-06:30 in Paris is
    # 04:30-05:30 UTC in winter (UTC+1), 03:30-04:30 in summer (UTC+2): a clash either way,
    # though the wall-clock times do not meet.
    blended.session(clash["id"], start="05:30", end="06:30", timezone="Europe/Paris")
    refused = blended.request(clash["id"], "l1")
    assert _reason(refused) == "overlap"
    assert refused.get_json()["batch_id"] == held["id"]
    after = blended.batch()
    blended.session(after["id"], start="12:30", end="13:30", timezone="Asia/Kolkata")
    assert blended.request(after["id"], "l1").status_code == 201  # back to back is fine
    assert blended.request(clash["id"], "l2").status_code == 201  # another learner is free


def test_an_approval_that_would_overlap_is_refused(blended: Blended) -> None:
    first, second = blended.batch(), blended.batch()
    for batch in (first, second):
        blended.session(batch["id"])
    waiting = blended.request(second["id"], "l1").get_json()
    blended.seated(first["id"], "l1")
    assert _reason(blended.act(waiting["id"], "approve", blended.approver)) == "overlap"


def test_refusal_needs_a_reason_and_the_right_people(blended: Blended) -> None:
    batch = blended.batch()
    enrolment = blended.request(batch["id"], "l1").get_json()
    assert blended.act(enrolment["id"], "refuse", blended.approver).status_code == 400
    assert blended.act(enrolment["id"], "refuse", blended.dept, "no").status_code == 403
    done = blended.act(enrolment["id"], "refuse", blended.coordinator, "prerequisite missing")
    assert (done.get_json()["state"], done.get_json()["reason"]) == (
        "refused", "prerequisite missing")
    assert blended.act(enrolment["id"], "approve", blended.approver).status_code == 409
    # A refused request leaves the learner free to ask again.
    assert blended.request(batch["id"], "l1").status_code == 201


def test_withdrawal_frees_the_seat(blended: Blended, client: Any) -> None:
    batch = blended.batch(capacity=1)
    seated = blended.seated(batch["id"], "l1")
    assert blended.act(seated["id"], "withdraw", blended.approver).status_code == 200
    again = blended.act(seated["id"], "withdraw", blended.dept)
    assert again.status_code == 409
    seen = client.get(f"/blended/batches/{batch['id']}", headers=blended.coordinator["headers"])
    assert seen.get_json()["seats_taken"] == 0
    assert blended.seated(batch["id"], "l2")["state"] == "approved"


def test_other_organisations_see_no_enrolment(blended: Blended, client: Any) -> None:
    batch = blended.batch()
    enrolment = blended.request(batch["id"], "l1").get_json()
    for who in (blended.other_dept, blended.lms):
        assert client.get(f"/blended/enrolments/{enrolment['id']}",
                          headers=who["headers"]).status_code == 404
        assert blended.act(enrolment["id"], "approve", who).status_code == 404
    assert client.get(f"/blended/enrolments/{enrolment['id']}",
                      headers=blended.coordinator["headers"]).status_code == 200
    assert blended.act(enrolment["id"], "withdraw", blended.coordinator).status_code == 403
    assert blended.request(batch["id"], "l1", who=blended.provider).status_code == 403
    lms = blended.request(batch["id"], "l1", who=blended.lms)  # the same id, another org
    assert lms.status_code == 201


def test_parallel_approvals_over_http_never_over_allocate(blended: Blended, app: Any,
                                                          client: Any) -> None:
    batch = blended.batch(capacity=3)
    ids = [blended.request(batch["id"], f"l{i}").get_json()["id"] for i in range(10)]
    barrier = threading.Barrier(len(ids))
    statuses: list[int] = []
    auth = (blended.approver["key"], blended.approver["secret"])
    with served_app(app) as base:
        def approve(enrolment_id: str) -> None:
            barrier.wait()
            res = requests.post(f"{base}/blended/enrolments/{enrolment_id}/transitions",
                                json={"action": "approve"}, auth=auth, timeout=60)
            statuses.append(res.status_code)

        threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(statuses) == [200] * 3 + [409] * 7
    roster = client.get(f"/blended/batches/{batch['id']}/roster",
                        headers=blended.coordinator["headers"]).get_json()
    assert (roster["seats_taken"], roster["states"]) == (3, {"approved": 3, "requested": 7})
