"""Batches and sessions of blended programs over HTTP, on both store adapters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.blended_support import Blended, batch_body, moment, session_body


@pytest.fixture
def blended(tenants: Any, client: Any) -> Blended:
    return Blended(tenants, client)


def test_a_coordinator_runs_a_batch_with_sessions_in_its_time_zone(blended: Blended,
                                                                   client: Any) -> None:
    batch = blended.batch(mode="invite-only",
                          invitees=[{"org_id": "org_x", "learner_id": "l1"}])
    assert (batch["seats_taken"], batch["capacity"], batch["mode"]) == (0, 2, "invite-only")
    assert batch["starts_at"].endswith("Z")
    session = blended.session(batch["id"], start="09:30", end="12:30", timezone="Asia/Kolkata")
    # 09:30 in Kolkata (UTC+05:30) is 04:00 UTC.
    assert session["starts_at"].endswith("T04:00:00.000000Z")
    assert session["ends_at"].endswith("T07:00:00.000000Z")
    seen = client.get(f"/blended/batches/{batch['id']}", headers=blended.dept["headers"])
    assert seen.status_code == 200
    assert [s["id"] for s in seen.get_json()["sessions"]] == [session["id"]]
    assert "invitees" not in seen.get_json()  # who is invited is the academy's business
    own = client.get(f"/blended/batches/{batch['id']}", headers=blended.coordinator["headers"])
    assert own.get_json()["invitees"] == [{"org_id": "org_x", "learner_id": "l1"}]
    listed = client.get(f"/blended/batches?program_id={blended.program_id}",
                        headers=blended.lms["headers"]).get_json()["batches"]
    assert [b["id"] for b in listed] == [batch["id"]]


def test_only_a_coordinator_writes_and_only_of_its_organisation(blended: Blended,
                                                                client: Any) -> None:
    body = batch_body(blended.program_id)
    assert client.post("/blended/batches", json=body,
                       headers=blended.academy_other["headers"]).status_code == 403
    batch = blended.batch()
    other = client.patch(f"/blended/batches/{batch['id']}", json={"capacity": 5},
                         headers=blended.approver["headers"])
    assert other.status_code == 404  # another organisation's batch
    moved = client.post(f"/blended/batches/{batch['id']}/sessions", json=session_body(),
                        headers=blended.academy_other["headers"])
    assert moved.status_code == 403


def test_batch_and_session_input_is_checked(blended: Blended, client: Any) -> None:
    assert blended.batch(status=400, program_id="nope")["errors"]["program_id"]
    assert blended.batch(status=400, starts_at="2027-01-10T10:00:00")["errors"]["starts_at"]
    late = blended.batch(status=400, enrolment_deadline=moment(20))
    assert "starts_at" in late["errors"]
    batch = blended.batch()
    for bad, field in ((session_body(timezone="Mars/Olympus"), "timezone"),
                       (session_body(start="12:00", end="11:00"), "end_time"),
                       (session_body(days=90), "date"),
                       (session_body(venue=None), "venue")):
        res = client.post(f"/blended/batches/{batch['id']}/sessions", json=bad,
                          headers=blended.coordinator["headers"])
        assert res.status_code == 400, bad
        assert field in res.get_json()["errors"], res.get_json()


def test_sessions_are_moved_and_cancelled(blended: Blended, client: Any) -> None:
    batch = blended.batch()
    session = blended.session(batch["id"])
    moved = client.put(f"/blended/sessions/{session['id']}",
                       json=session_body(start="14:00", end="15:00", timezone="Europe/Paris",
                                         venue=None, online_url="https://meet.example.org/x"),
                       headers=blended.coordinator["headers"])
    assert moved.status_code == 200
    assert moved.get_json()["online_url"] == "https://meet.example.org/x"
    assert moved.get_json()["timezone"] == "Europe/Paris"
    gone = client.delete(f"/blended/sessions/{session['id']}",
                         headers=blended.coordinator["headers"])
    assert gone.status_code == 204
    assert client.get(f"/blended/sessions/{session['id']}",
                      headers=blended.dept["headers"]).status_code == 404


def test_capacity_cannot_drop_below_the_approved_seats(blended: Blended, client: Any) -> None:
    batch = blended.batch()
    blended.seated(batch["id"], "l1")
    blended.seated(batch["id"], "l2")
    res = client.patch(f"/blended/batches/{batch['id']}", json={"capacity": 1},
                       headers=blended.coordinator["headers"])
    assert res.status_code == 409
    assert res.get_json()["reason"] == "seats-taken"
    ok = client.patch(f"/blended/batches/{batch['id']}", json={"capacity": 3},
                      headers=blended.coordinator["headers"])
    assert (ok.status_code, ok.get_json()["capacity"]) == (200, 3)


def test_admin_grants_the_new_roles(client: Any, tenants: Any) -> None:
    admin = tenants.make("Hub Admin", "platform-admin", ("admin",))
    dept = tenants.make("Revenue Dept", "department", ("curator",))
    res = client.post(f"/admin/organisations/{dept['org']['id']}/credentials",
                      json={"roles": ["department-approver", "coordinator"]},
                      headers=admin["headers"])
    assert res.status_code == 201, res.get_json()
    assert sorted(res.get_json()["roles"]) == ["coordinator", "department-approver"]


def test_handouts_are_blobs_listed_on_the_session(blended: Blended, client: Any) -> None:
    batch = blended.batch()
    session = blended.session(batch["id"])
    path = f"/blended/sessions/{session['id']}/handouts/agenda.pdf"
    put = client.put(path, data=b"%PDF-1.7 agenda",
                     headers={**blended.coordinator["headers"],
                              "Content-Type": "application/pdf"})
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["handouts"] == [
        {"name": "agenda.pdf", "content_type": "application/pdf", "size": 15}]
    got = client.get(path, headers=blended.dept["headers"])
    assert (got.status_code, got.data, got.mimetype) == (200, b"%PDF-1.7 agenda",
                                                         "application/pdf")
    assert client.put(path, data=b"x", headers=blended.dept["headers"]).status_code == 404
    bad = client.put(f"/blended/sessions/{session['id']}/handouts/.hidden", data=b"x",
                     headers=blended.coordinator["headers"])
    assert bad.status_code == 400
    assert client.delete(path, headers=blended.coordinator["headers"]).status_code == 204
    assert client.get(path, headers=blended.dept["headers"]).status_code == 404


def test_a_batch_runs_only_a_published_blended_program(blended: Blended, client: Any) -> None:
    from tests.marketplace.blended_support import publish_blended_program

    # A published course, a published curated (not blended) program, a draft blended one.
    curated = publish_blended_program(client, blended.curator, blended.cast.reviewer,
                                      blended.course_id, blended=False)
    draft = client.post("/programs", headers=blended.curator["headers"], json={
        "title": {"en": "Draft"}, "level": "beginner",
        "program": {"items": [{"kind": "course", "course": blended.course_id}],
                    "blended": True}}).get_json()["id"]
    for program_id in (blended.course_id, curated, draft):
        refused = blended.batch(status=400, program_id=program_id)
        assert list(refused["errors"]) == ["program_id"], program_id
    assert blended.batch()["min_attendance"] == 100  # the default: every session
    for bad in (-1, 101, "80"):
        assert "min_attendance" in blended.batch(status=400, min_attendance=bad)["errors"]
    batch = blended.batch(min_attendance=75)
    changed = client.patch(f"/blended/batches/{batch['id']}", json={"min_attendance": 0},
                           headers=blended.coordinator["headers"])
    assert (changed.status_code, changed.get_json()["min_attendance"]) == (200, 0)
