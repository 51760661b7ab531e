"""The two-level review of FRAC nodes over HTTP (both store adapters): verify, confirm, final
level-1 rejection, level-2 return, wrong steps, roles, four eyes, audit events, and the admin
API granting the review roles."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from tests.conftest import basic
from tests.marketplace.frac_api_support import FracCast
from tests.racing import race


def _events(frac: FracCast, node_id: str) -> list[dict[str, Any]]:
    res = frac.client.get(f"/frac/nodes/{node_id}/events", headers=frac.reviewer["headers"])
    assert res.status_code == 200, res.json
    return res.json["items"]  # type: ignore[no-any-return]


@pytest.fixture
def area(frac: FracCast) -> dict[str, Any]:
    fid = frac.framework()["id"]
    return frac.node(fid, "area", "Behavioural", area="behavioural")


def test_unverified_to_verified_to_confirmed(frac: FracCast, area: dict[str, Any]) -> None:
    node = frac.review(area["id"], 1, "accept", frac.reviewer, "names are right")
    assert node["status"] == "verified"
    node = frac.review(area["id"], 2, "accept", frac.approver, "agreed")
    assert node["status"] == "confirmed" and node["revision"] == 3
    events = _events(frac, area["id"])
    assert [(e["action"], e["from"], e["to"], e["by"], e["comment"]) for e in events[1:]] == [
        ("verified", "unverified", "verified", frac.reviewer["key"], "names are right"),
        ("confirmed", "verified", "confirmed", frac.approver["key"], "agreed")]
    assert events[1]["org_id"] == frac.reviewer["org"]["id"] and events[1]["at"]


def test_a_level_2_rejection_returns_the_node_to_level_1(frac: FracCast,
                                                        area: dict[str, Any]) -> None:
    frac.review(area["id"], 1, "accept", frac.reviewer)
    node = frac.review(area["id"], 2, "reject", frac.approver, "split it in two")
    assert node["status"] == "unverified"
    assert _events(frac, area["id"])[-1] | {"at": None} == {
        "node": area["id"], "framework": area["framework"], "at": None,
        "by": frac.approver["key"], "org_id": frac.approver["org"]["id"],
        "action": "returned", "from": "verified", "to": "unverified",
        "comment": "split it in two"}
    # back at level 1: it can be verified again, by the same reviewer as before
    assert frac.review(area["id"], 1, "accept", frac.reviewer)["status"] == "verified"


def test_a_level_1_rejection_is_final(frac: FracCast, area: dict[str, Any]) -> None:
    node = frac.review(area["id"], 1, "reject", frac.reviewer, "duplicate of COMAREA-2")
    assert node["status"] == "rejected"
    for level, who in ((1, frac.reviewer2), (2, frac.approver)):
        problem = frac.review(area["id"], level, "accept", who, status=409)
        assert "status" in problem["errors"] and problem["node_status"] == "rejected"
    assert frac.patch(area["id"], name={"en": "again"}).status_code == 409
    assert _events(frac, area["id"])[-1]["action"] == "rejected"


def test_a_wrong_step_for_the_status_is_409_naming_status(frac: FracCast,
                                                         area: dict[str, Any]) -> None:
    problem = frac.review(area["id"], 2, "accept", frac.approver, status=409)
    assert problem["errors"]["status"] and problem["node_status"] == "unverified"
    assert problem["type"].endswith("/conflict")
    frac.confirm(area["id"])
    for level in (1, 2):
        problem = frac.review(area["id"], level, "accept", frac.admin, status=409)
        assert problem["node_status"] == "confirmed"


def test_each_level_needs_its_role(frac: FracCast, area: dict[str, Any]) -> None:
    frac.review(area["id"], 1, "accept", frac.approver, status=403)
    frac.review(area["id"], 1, "accept", frac.curator2, status=403)
    frac.review(area["id"], 1, "accept", frac.reviewer)
    frac.review(area["id"], 2, "accept", frac.reviewer2, status=403)
    frac.review(area["id"], 2, "accept", frac.approver)


def test_a_reviewer_of_another_organisation_sees_nothing(frac: FracCast,
                                                        area: dict[str, Any]) -> None:
    frac.review(area["id"], 1, "accept", frac.other, status=404)


def test_a_rejection_says_why(frac: FracCast, area: dict[str, Any]) -> None:
    problem = frac.review(area["id"], 1, "reject", frac.reviewer, "  ", status=400)
    assert "comment" in problem["errors"]


@pytest.mark.parametrize("body", [{"level": 3, "decision": "accept"},
                                  {"level": "1", "decision": "accept"},
                                  {"level": 1, "decision": "maybe"}, {"decision": "accept"}])
def test_bad_review_bodies_are_400(frac: FracCast, area: dict[str, Any],
                                   body: dict[str, Any]) -> None:
    res = frac.client.post(f"/frac/nodes/{area['id']}/review", json=body,
                           headers=frac.reviewer["headers"])
    assert res.status_code == 400, res.json


def test_four_eyes_nobody_reviews_what_they_wrote(frac: FracCast, tenants: Any) -> None:
    fid = frac.framework()["id"]
    # one person holding every role: creates, then may not review their own node
    everything = tenants.make("Ministry of Finance", "department",
                              ("curator", "frac-reviewer", "frac-approver"))
    res = frac.post_node(fid, everything, type="position", name={"en": "Officer"})
    node_id = res.json["id"]
    problem = frac.review(node_id, 1, "accept", everything, status=403)
    assert "four eyes" in problem["detail"]
    # the last editor may not review either, even when someone else created the node
    own = frac.node(fid, "position", "Clerk")
    frac.patch(own["id"], everything, name={"en": "Senior clerk"})
    frac.review(own["id"], 1, "accept", everything, status=403)
    frac.review(own["id"], 1, "accept", frac.reviewer)
    # the level-1 reviewer may not also approve at level 2
    frac.review(node_id, 1, "accept", frac.reviewer)
    other = frac.node(fid, "position", "Director")
    frac.review(other["id"], 1, "accept", everything)
    problem = frac.review(other["id"], 2, "accept", everything, status=403)
    assert "level-1" in problem["detail"]
    frac.review(other["id"], 2, "accept", frac.approver)
    # an admin is held to the same rule
    by_admin = frac.post_node(fid, frac.admin, type="position", name={"en": "Admin's"}).json
    frac.review(by_admin["id"], 1, "accept", frac.admin, status=403)


def test_a_stale_if_match_is_412(frac: FracCast, area: dict[str, Any]) -> None:
    res = frac.client.post(f"/frac/nodes/{area['id']}/review",
                           json={"level": 1, "decision": "accept"},
                           headers={**frac.reviewer["headers"], "If-Match": '"99"'})
    assert res.status_code == 412


def test_the_admin_api_grants_the_review_roles(frac: FracCast, area: dict[str, Any]) -> None:
    org_id = frac.curator["org"]["id"]
    granted = {}
    for role in ("frac-reviewer", "frac-approver"):
        res = frac.client.post(f"/admin/organisations/{org_id}/credentials",
                               json={"roles": [role], "label": "FRAC review"},
                               headers=frac.admin["headers"])
        assert res.status_code == 201, res.json
        assert res.json["roles"] == [role]
        granted[role] = basic(res.json["key"], res.json["secret"])
    me = frac.client.get("/me", headers=granted["frac-reviewer"]).json
    assert me["roles"] == ["frac-reviewer"]
    done = frac.client.post(f"/frac/nodes/{area['id']}/review", headers=granted[
        "frac-reviewer"], json={"level": 1, "decision": "accept"})
    assert done.status_code == 200 and done.json["status"] == "verified"
    done = frac.client.post(f"/frac/nodes/{area['id']}/review", headers=granted[
        "frac-approver"], json={"level": 2, "decision": "accept"})
    assert done.status_code == 200 and done.json["status"] == "confirmed"


def test_racing_reviews_one_wins(frac: FracCast, app: Any, area: dict[str, Any]) -> None:
    """Reviewers verifying the same node at once: one step is taken, every other caller is
    told the node moved on (412 lost at the compare-and-set, or 409 when it read the new
    status), and the history holds one ``verified``."""
    def verify(who: dict[str, Any]) -> Any:
        return app.test_client().post(f"/frac/nodes/{area['id']}/review",
                                      json={"level": 1, "decision": "accept"},
                                      headers=who["headers"])

    responses = race(*(partial(verify, frac.reviewer if i % 2 else frac.reviewer2)
                       for i in range(4)))
    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(r.status_code for r in responses)
    assert codes[0] == 200 and codes[1] in (409, 412) and set(codes[1:]) <= {409, 412}
    assert [e["action"] for e in _events(frac, area["id"])] == ["created", "verified"]
