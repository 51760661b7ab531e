"""Departments' demand for content over HTTP, on every store adapter: raise (competencies
validated against the published FRAC framework), the providers' open list (matching what they
publish, plus what was sent to them), accept → start → fulfil or invalidate with an audit
trail, 409 naming the status for a wrong step, one winner when two providers accept at once,
and tenancy (another department's demand is 404)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tests.frac_support import node_id
from tests.marketplace.conftest import Cast
from tests.racing import race


def demand_body(*codes: tuple[str, int], **overrides: Any) -> dict[str, Any]:
    """A valid ``POST /demands`` body asking for ``codes`` (COMSUBTHEME-5 at 3 by default)."""
    body: dict[str, Any] = {
        "title": {"en": "Grievance redressal for district officers",
                  "hi": "ज़िला अधिकारियों के लिए शिकायत निवारण"},
        "objective": {"en": "Resolve citizens' grievances within the service-level time."},
        "target_learners": {"description": {"en": "Officers handling grievances"},
                            "designations": ["Section Officer"], "count": 400},
        "competencies": [{"id": c, "level": lv} for c, lv in codes or (("COMSUBTHEME-5", 3),)],
        "learning_mode": "blended",
    }
    body.update(overrides)
    return body


class Demand:
    """Two departments, two providers (A publishes COMSUBTHEME-5, B COMSUBTHEME-2) and the
    requests of the demand API."""

    def __init__(self, cast: Cast, tenants: Any) -> None:
        self.cast, self.client = cast, cast.client
        self.dept = tenants.make("Ministry of Rural Development", "department", ("curator",))
        self.dept_b = tenants.make("Ministry of Railways", "department", ("curator",))
        self.course_a = cast.publish(competencies=[{"id": "COMSUBTHEME-5", "level": 3}])
        self.course_b = cast.publish(cast.b, competencies=[{"id": "COMSUBTHEME-2", "level": 1}])

    def raise_(self, body: dict[str, Any] | None = None, who: dict[str, Any] | None = None,
               status: int = 201) -> dict[str, Any]:
        res = self.client.post("/demands", json=body or demand_body(),
                               headers=(who or self.dept)["headers"])
        assert res.status_code == status, res.json
        return res.json  # type: ignore[no-any-return]

    def act(self, demand_id: str, action: str, who: dict[str, Any], status: int = 200,
            **extra: Any) -> dict[str, Any]:
        res = self.client.post(f"/demands/{demand_id}/transitions",
                               json={"action": action, **extra}, headers=who["headers"])
        assert res.status_code == status, res.json
        return res.json  # type: ignore[no-any-return]

    def open_ids(self, who: dict[str, Any]) -> list[str]:
        res = self.client.get("/demands/open", headers=who["headers"])
        assert res.status_code == 200, res.json
        return [d["id"] for d in res.json["items"]]


@pytest.fixture
def dm(cast: Cast, tenants: Any, tag_framework: Any) -> Demand:
    return Demand(cast, tenants)


def test_a_department_raises_a_demand_with_validated_competencies(dm: Demand) -> None:
    res = dm.client.post("/demands?lang=hi", json=demand_body(("COMSUBTHEME-5", 3)),
                         headers={**dm.dept["headers"], "Accept-Language": "hi"})
    assert res.status_code == 201, res.json
    demand = res.json
    assert res.headers["Location"] == f"/demands/{demand['id']}"
    assert (demand["status"], demand["org_id"], demand["provider_id"], demand["assigned_to"]) \
        == ("unassigned", dm.dept["org"]["id"], None, None)
    tag = demand["competencies"][0]
    assert (tag["id"], tag["code"], tag["level"], tag["name"]) == (
        node_id("COMSUBTHEME-5"), "COMSUBTHEME-5", 3, "दक्षता 5")
    assert demand["allowed_actions"] == ["invalidate"]
    audit = dm.client.get(f"/demands/{demand['id']}/audit", headers=dm.dept["headers"]).json
    assert [(e["action"], e["from"], e["to"]) for e in audit["items"]] == [
        ("raise", None, "unassigned")]


@pytest.mark.parametrize(("body", "field"), [
    (demand_body(("COMSUBTHEME-2", 4)), "competencies.0.level"),
    (demand_body(("COMTHEME-1", 1)), "competencies.0.id"),
    (demand_body(competencies=[]), "competencies"),
    (demand_body(learning_mode="hybrid"), "learning_mode"),
    (demand_body(provider_id="org_nobody"), "provider_id"),
])
def test_a_bad_demand_is_400_naming_the_field_and_nothing_is_stored(
        dm: Demand, body: dict[str, Any], field: str) -> None:
    res = dm.raise_(body, status=400)
    assert field in res["errors"], res
    listed = dm.client.get("/demands", headers=dm.dept["headers"]).json
    assert listed["items"] == []


def test_only_a_curator_of_a_department_raises_a_demand(dm: Demand, tenants: Any) -> None:
    dm.raise_(who=dm.cast.a, status=403)
    dm.raise_(who=tenants.make("Academy", "institution", ("curator",)), status=403)
    dm.raise_(who=tenants.make("Ministry of Rural Development", "department",
                               ("lrs-reader",)), status=403)


def test_providers_see_open_demands_matching_what_they_publish_and_those_sent_to_them(
        dm: Demand) -> None:
    broadcast = dm.raise_(demand_body(("COMSUBTHEME-5", 2)))  # A publishes it
    nobody = dm.raise_(demand_body(("COMSUBTHEME-7", 2)))  # nobody publishes it
    to_b = dm.raise_(demand_body(("COMSUBTHEME-7", 1),
                                 provider_id=dm.cast.b["org"]["id"]))
    to_a_other = dm.raise_(demand_body(("COMSUBTHEME-2", 1),
                                       provider_id=dm.cast.a["org"]["id"]), who=dm.dept_b)
    assert dm.open_ids(dm.cast.a) == [broadcast["id"], to_a_other["id"]]
    assert dm.open_ids(dm.cast.b) == [to_b["id"]]
    # The department's own list; a curator cannot ask for the providers' list.
    mine = dm.client.get("/demands", headers=dm.dept["headers"]).json
    assert [d["id"] for d in mine["items"]] == [broadcast["id"], nobody["id"], to_b["id"]]
    assert dm.client.get("/demands/open", headers=dm.dept["headers"]).status_code == 403
    # An accepted demand is no longer open; it is in the accepting provider's own list.
    dm.act(broadcast["id"], "accept", dm.cast.a)
    assert dm.open_ids(dm.cast.a) == [to_a_other["id"]]
    accepted = dm.client.get("/demands", headers=dm.cast.a["headers"]).json
    assert [d["id"] for d in accepted["items"]] == [broadcast["id"]]
    # Paging by id: the next page starts after the last item.
    page = dm.client.get("/demands?limit=2", headers=dm.dept["headers"]).json
    assert [d["id"] for d in page["items"]] == [broadcast["id"], nobody["id"]]
    rest = dm.client.get(f"/demands?limit=2&after={page['next']}",
                         headers=dm.dept["headers"]).json
    assert [d["id"] for d in rest["items"]] == [to_b["id"]] and rest["next"] is None
    filtered = dm.client.get("/demands?status=assigned", headers=dm.dept["headers"]).json
    assert [d["id"] for d in filtered["items"]] == [broadcast["id"]]


def test_accept_start_fulfil_links_a_published_item_and_every_step_is_audited(
        dm: Demand) -> None:
    demand = dm.raise_()
    did = demand["id"]
    accepted = dm.act(did, "accept", dm.cast.a)
    assert (accepted["status"], accepted["assigned_to"]) == ("assigned", dm.cast.a["org"]["id"])
    assert accepted["allowed_actions"] == ["start"]
    dm.act(did, "start", dm.cast.a)
    done = dm.act(did, "fulfil", dm.cast.a, catalogue_id=dm.course_a["id"],
                  comment="our published course covers it")
    assert done["status"] == "fulfilled" and done["allowed_actions"] == []
    assert done["fulfilment"] == {
        "catalogue_id": dm.course_a["id"], "category": "course",
        "title": dm.course_a["live"]["title"], "live_version": 1,
        "url": f"http://hub.test/catalogue/courses/{dm.course_a['id']}"}
    seen = dm.client.get(f"/demands/{did}", headers=dm.dept["headers"]).json
    assert seen["status"] == "fulfilled" and seen["fulfilment"]["catalogue_id"] == \
        dm.course_a["id"]
    audit = dm.client.get(f"/demands/{did}/audit", headers=dm.cast.a["headers"]).json["items"]
    assert [(e["action"], e["from"], e["to"], e["org_id"]) for e in audit] == [
        ("raise", None, "unassigned", dm.dept["org"]["id"]),
        ("accept", "unassigned", "assigned", dm.cast.a["org"]["id"]),
        ("start", "assigned", "in_progress", dm.cast.a["org"]["id"]),
        ("fulfil", "in_progress", "fulfilled", dm.cast.a["org"]["id"])]
    assert audit[-1]["comment"] == "our published course covers it"
    assert audit[1]["actor"] == dm.cast.a["key"]


def test_a_wrong_step_is_409_naming_the_status(dm: Demand) -> None:
    did = dm.raise_()["id"]
    res = dm.act(did, "start", dm.cast.a, status=409)
    assert "status unassigned" in res["detail"]
    assert (res["demand_status"], res["allowed_actions"]) == (
        "unassigned", ["accept", "invalidate"])
    dm.act(did, "accept", dm.cast.a)
    res = dm.act(did, "fulfil", dm.cast.a, status=409, catalogue_id=dm.course_a["id"])
    assert "status assigned" in res["detail"]
    dm.act(did, "start", dm.cast.a)
    dm.act(did, "fulfil", dm.cast.a, catalogue_id=dm.course_a["id"])
    res = dm.act(did, "invalidate", dm.dept, status=409, comment="too late")
    assert "status fulfilled" in res["detail"] and res["allowed_actions"] == []
    events = dm.client.get(f"/demands/{did}/audit", headers=dm.dept["headers"]).json["items"]
    assert len(events) == 4  # refused steps leave no event


def test_fulfil_needs_a_published_item_of_the_accepting_provider(dm: Demand) -> None:
    did = dm.raise_()["id"]
    dm.act(did, "accept", dm.cast.a)
    dm.act(did, "start", dm.cast.a)
    draft = dm.cast.create()
    for catalogue_id in (dm.course_b["id"], draft["id"], "crs_missing", None):
        res = dm.act(did, "fulfil", dm.cast.a, status=400, catalogue_id=catalogue_id)
        assert list(res["errors"]) == ["catalogue_id"], res
    # Only the accepting provider moves it on.
    dm.act(did, "fulfil", dm.cast.b, status=404, catalogue_id=dm.course_b["id"])
    dm.act(did, "fulfil", dm.dept, status=403, catalogue_id=dm.course_a["id"])
    got = dm.client.get(f"/demands/{did}", headers=dm.dept["headers"]).json
    assert (got["status"], got["fulfilment"]) == ("in_progress", None)


def test_the_department_invalidates_with_a_reason(dm: Demand) -> None:
    did = dm.raise_()["id"]
    dm.act(did, "accept", dm.cast.a)
    dm.act(did, "invalidate", dm.cast.a, status=403, comment="not ours")
    res = dm.act(did, "invalidate", dm.dept, status=400)
    assert list(res["errors"]) == ["comment"]
    done = dm.act(did, "invalidate", dm.dept, comment="the rules changed; no longer needed")
    assert done["status"] == "invalid"
    audit = dm.client.get(f"/demands/{did}/audit", headers=dm.dept["headers"]).json["items"]
    assert (audit[-1]["action"], audit[-1]["comment"]) == (
        "invalidate", "the rules changed; no longer needed")


def test_other_departments_and_providers_get_404(dm: Demand, tenants: Any) -> None:
    did = dm.raise_(demand_body(provider_id=dm.cast.a["org"]["id"]))["id"]
    other = tenants.make("Provider C")
    for who in (dm.dept_b, other, dm.cast.b):
        assert dm.client.get(f"/demands/{did}", headers=who["headers"]).status_code == 404
        assert dm.client.get(f"/demands/{did}/audit",
                             headers=who["headers"]).status_code == 404
        dm.act(did, "accept", who, status=404)
        dm.act(did, "invalidate", who, status=404, comment="mine now")
    # A broadcast demand is open to every provider, then only to the one that accepted it.
    broadcast = dm.raise_()["id"]
    assert dm.client.get(f"/demands/{broadcast}", headers=other["headers"]).status_code == 200
    dm.act(broadcast, "accept", dm.cast.a)
    assert dm.client.get(f"/demands/{broadcast}", headers=other["headers"]).status_code == 404
    assert dm.client.get(f"/demands/{broadcast}",
                         headers=dm.dept_b["headers"]).status_code == 404
    assert dm.client.get("/demands/dem_missing", headers=dm.dept["headers"]).status_code == 404


def test_two_providers_accepting_one_demand_at_once_one_wins(dm: Demand, app: Any) -> None:
    for _ in range(3):
        did = dm.raise_()["id"]

        def accept(who: dict[str, Any], did: str = did) -> Any:
            return app.test_client().post(f"/demands/{did}/transitions",
                                          json={"action": "accept"}, headers=who["headers"])

        responses = race(*(functools.partial(accept, who)
                           for who in (dm.cast.a, dm.cast.b, dm.cast.a, dm.cast.b)))
        assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
        winner = next(r.json for r in responses if r.status_code == 200)
        for lost in (r.json for r in responses if r.status_code == 409):
            assert "status assigned" in lost["detail"], lost
        got = dm.client.get(f"/demands/{did}", headers=dm.dept["headers"]).json
        assert got["assigned_to"] == winner["assigned_to"]
        audit = dm.client.get(f"/demands/{did}/audit", headers=dm.dept["headers"]).json
        assert [e["action"] for e in audit["items"]] == ["raise", "accept"]
