"""The editable FRAC framework over HTTP: frameworks, nodes, shapes, codes, tenancy, edits,
retirement and the audit events they write (both store adapters)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.frac_api_support import FracCast


def _problem(res: Any, status: int, field: str) -> None:
    assert res.status_code == status, res.json
    assert res.headers["Content-Type"].startswith("application/problem+json")
    assert field in (res.json.get("errors") or {}), res.json


def test_a_curator_creates_a_framework_of_its_organisation(frac: FracCast) -> None:
    fw = frac.framework(description={"en": "Competencies of the finance cadre"})
    assert fw["org_id"] == frac.curator["org"]["id"] and fw["latest_version"] is None
    assert fw["creator"] == frac.curator["key"]
    listed = frac.client.get("/frac/frameworks", headers=frac.curator["headers"]).json
    assert [f["id"] for f in listed["items"]] == [fw["id"]]
    patched = frac.client.patch(f"/frac/frameworks/{fw['id']}", json={"title": {"en": "New"}},
                                headers=frac.curator["headers"])
    assert patched.status_code == 200 and patched.json["title"] == {"en": "New"}


@pytest.mark.parametrize("who", ["reviewer", "publisher"])
def test_only_curators_write_a_framework(frac: FracCast, who: str) -> None:
    res = frac.client.post("/frac/frameworks", json={"title": {"en": "x"}},
                           headers=getattr(frac, who)["headers"])
    assert res.status_code == 403
    fw = frac.framework()
    res = frac.post_node(fw["id"], getattr(frac, who), type="area", name={"en": "A"},
                         area="domain")
    assert res.status_code == 403


def test_another_organisation_gets_404_for_working_frameworks_and_nodes(
        frac: FracCast) -> None:
    fw = frac.framework()
    area = frac.node(fw["id"], "area", "Behavioural", area="behavioural")
    other = frac.other["headers"]
    assert frac.client.get(f"/frac/frameworks/{fw['id']}", headers=other).status_code == 404
    assert frac.client.get(f"/frac/frameworks/{fw['id']}").status_code == 404
    assert frac.client.get(f"/frac/frameworks/{fw['id']}/nodes",
                           headers=other).status_code == 404
    assert frac.client.get(f"/frac/nodes/{area['id']}", headers=other).status_code == 404
    assert frac.client.get(f"/frac/nodes/{area['id']}/events", headers=other).status_code == 404
    assert frac.patch(area["id"], frac.other, name={"en": "x"}).status_code == 404
    assert frac.post_node(fw["id"], frac.other, type="area", name={"en": "x"},
                          area="domain").status_code == 404
    assert frac.client.post(f"/frac/nodes/{area['id']}/review", headers=other, json={
        "level": 1, "decision": "accept"}).status_code == 404
    assert frac.client.get("/frac/frameworks", headers=other).json["items"] == []
    # an admin acts for every organisation
    assert frac.client.get(f"/frac/nodes/{area['id']}",
                           headers=frac.admin["headers"]).status_code == 200


def test_codes_are_assigned_per_type_and_unique(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    a1 = frac.node(fid, "area", "Behavioural", area="behavioural")
    a2 = frac.node(fid, "area", "Functional", area="functional")
    theme = frac.node(fid, "theme", "Ethics", a1["id"])
    pos = frac.node(fid, "position", "Section Officer")
    role = frac.node(fid, "role", "Noting", pos["id"])
    act = frac.node(fid, "activity", "Draft notes", role["id"])
    sub = frac.node(fid, "subtheme", "Integrity", theme["id"], code="COMSUBTHEME-7")
    assert [a1["code"], a2["code"], theme["code"], pos["code"], role["code"], act["code"],
            sub["code"]] == ["COMAREA-1", "COMAREA-2", "COMTHEME-1", "POS-1", "ROLE-1", "ACT-1",
                             "COMSUBTHEME-7"]
    assert theme["area"] == "behavioural" and a1["status"] == "unverified"
    assert a1["revision"] == 1
    again = frac.post_node(fid, type="subtheme", name={"en": "Dup"}, parent=theme["id"],
                           code="COMSUBTHEME-7")
    _problem(again, 409, "code")
    # the next automatic code skips the one taken by hand
    auto = frac.node(fid, "subtheme", "Conduct", theme["id"])
    assert auto["code"] == "COMSUBTHEME-8"
    # another framework has its own sequence
    other = frac.framework()["id"]
    assert frac.node(other, "area", "Domain", area="domain")["code"] == "COMAREA-1"


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "theme", "name": {"en": "T"}}, "parent"),
    ({"type": "area", "name": {"en": "A"}}, "area"),
    ({"type": "area", "name": {"en": "A"}, "area": "cosmic"}, "area"),
    ({"type": "nebula", "name": {"en": "A"}}, "type"),
    ({"type": "position", "name": {"xx-INVALID": "P"}}, "name.xx-INVALID"),
    ({"type": "position", "name": {"en": "P"}, "levels": {"1": {"en": "x"}}}, "levels"),
    ({"type": "position", "name": {"en": "P"}, "levels": {"9": {"en": "x"}}}, "levels.9.key"),
    ({"type": "position", "name": {"en": "P"}, "code": "bad code!"}, "code"),
    ({"type": "position", "name": {"en": "P"}, "requirements": []}, None),
    ({"type": "position", "name": {"en": "P"},
      "resources": [{"url": "http://plain.example.org"}]}, "resources.0.url"),
    ({"type": "position", "name": {"en": "P"}, "keywords": {"en": "notalist"}}, "keywords"),
])
def test_shapes_are_checked(frac: FracCast, body: dict[str, Any], field: str | None) -> None:
    fid = frac.framework()["id"]
    res = frac.post_node(fid, **body)
    if field is None:
        assert res.status_code == 201, res.json
    else:
        _problem(res, 400, field)


def test_parents_must_have_the_right_type(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Functional", area="functional")
    theme = frac.node(fid, "theme", "Finance", area["id"])
    pos = frac.node(fid, "position", "Collector")
    for node_type, parent in (("theme", theme["id"]), ("subtheme", area["id"]),
                              ("role", theme["id"]), ("activity", pos["id"]),
                              ("area", pos["id"]), ("theme", "no-such-node")):
        res = frac.post_node(fid, type=node_type, name={"en": "x"}, parent=parent,
                             area="functional" if node_type == "area" else None)
        res_json = res.json
        assert res.status_code == 400, (node_type, res_json)
        assert "parent" in res_json["errors"], res_json
    # a theme's area is its area's: naming another one is an error
    _problem(frac.post_node(fid, type="theme", name={"en": "x"}, parent=area["id"],
                            area="domain"), 400, "area")
    # a parent of another framework is not a parent
    elsewhere = frac.framework()["id"]
    _problem(frac.post_node(elsewhere, type="theme", name={"en": "x"}, parent=area["id"]),
             400, "parent")


def test_requirements_name_subthemes_at_levels_they_define(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Functional", area="functional")
    theme = frac.node(fid, "theme", "Finance", area["id"])
    sub = frac.node(fid, "subtheme", "Budgeting", theme["id"],
                    levels={"1": {"en": "Basic budgeting"}, "3": {"en": "Advanced"}})
    pos = frac.node(fid, "position", "Section Officer")

    def role(reqs: list[dict[str, Any]]) -> Any:
        return frac.post_node(fid, type="role", name={"en": "R"}, parent=pos["id"],
                              requirements=reqs)

    _problem(role([{"competency": theme["id"], "level": 1}]), 400, "requirements.0.competency")
    _problem(role([{"competency": "nope", "level": 1}]), 400, "requirements.0.competency")
    _problem(role([{"competency": sub["id"], "level": 2}]), 400, "requirements.0.level")
    _problem(role([{"competency": sub["id"], "level": 6}]), 400, "requirements.0.level")
    _problem(role([{"competency": sub["id"], "level": 1}, {"competency": sub["id"],
                                                          "level": 3}]),
             400, "requirements.1.competency")
    ok = role([{"competency": sub["id"], "level": 3}])
    assert ok.status_code == 201 and ok.json["requirements"] == [
        {"competency": sub["id"], "level": 3}]
    # the sub-theme cannot drop a level the role requires
    _problem(frac.patch(sub["id"], levels={"1": {"en": "Basic"}}), 400, "levels")
    # a requirement on a theme's own node of another framework is refused too
    elsewhere = frac.framework()["id"]
    pos2 = frac.node(elsewhere, "position", "Officer")
    _problem(frac.post_node(elsewhere, type="role", name={"en": "R"}, parent=pos2["id"],
                            requirements=[{"competency": sub["id"], "level": 1}]),
             400, "requirements.0.competency")


def test_resources_are_published_courses_or_https_urls(frac: FracCast, cast: Any) -> None:
    fid = frac.framework()["id"]
    pos = frac.node(fid, "position", "Section Officer")
    role = frac.node(fid, "role", "Noting", pos["id"])
    draft = cast.create()
    live = cast.publish()
    _problem(frac.post_node(fid, type="activity", name={"en": "A"}, parent=role["id"],
                            resources=[{"course": draft["id"]}]), 400, "resources.0.course")
    _problem(frac.post_node(fid, type="activity", name={"en": "A"}, parent=role["id"],
                            resources=[{"course": "crs_nothing"}]), 400, "resources.0.course")
    _problem(frac.post_node(fid, type="activity", name={"en": "A"}, parent=role["id"],
                            resources=[{"course": live["id"], "url": "https://x.org"}]),
             400, "resources.0.course")
    ok = frac.node(fid, "activity", "Draft notes", role["id"],
                   resources=[{"course": live["id"]},
                              {"url": "https://example.org/manual", "title": {"en": "Manual"}}])
    assert ok["resources"][0] == {"course": live["id"]}


def test_an_edit_goes_back_to_unverified_with_an_event(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Behavioural", area="behavioural")
    frac.confirm(area["id"])
    confirmed = frac.client.get(f"/frac/nodes/{area['id']}", headers=frac.curator["headers"])
    assert confirmed.json["status"] == "confirmed"
    res = frac.client.patch(f"/frac/nodes/{area['id']}",
                            json={"name": {"en": "Behavioural", "hi": "व्यवहारिक"}},
                            headers={**frac.curator2["headers"], "If-Match": confirmed.headers[
                                "ETag"]})
    assert res.status_code == 200, res.json
    assert res.json["status"] == "unverified" and res.json["name"]["hi"] == "व्यवहारिक"
    assert res.json["revision"] == confirmed.json["revision"] + 1
    assert res.headers["ETag"] == f'"{res.json["revision"]}"'
    # a stale If-Match is refused
    stale = frac.client.patch(f"/frac/nodes/{area['id']}", json={"name": {"en": "B"}},
                              headers={**frac.curator["headers"],
                                       "If-Match": confirmed.headers["ETag"]})
    assert stale.status_code == 412
    # an edit that changes nothing writes nothing
    same = frac.patch(area["id"], name={"en": "Behavioural", "hi": "व्यवहारिक"})
    assert same.json["revision"] == res.json["revision"]
    events = frac.client.get(f"/frac/nodes/{area['id']}/events",
                             headers=frac.curator["headers"]).json["items"]
    assert [(e["action"], e["from"], e["to"]) for e in events] == [
        ("created", None, "unverified"), ("verified", "unverified", "verified"),
        ("confirmed", "verified", "confirmed"), ("updated", "confirmed", "unverified")]
    assert events[-1]["by"] == frac.curator2["key"]
    assert all(e["framework"] == fid and e["node"] == area["id"] for e in events)
    # the area of an area node is fixed; the type is not writable
    _problem(frac.patch(area["id"], area="domain"), 400, "area")
    _problem(frac.patch(area["id"], type="theme"), 400, "type")


def test_code_changes_stay_unique(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    frac.node(fid, "position", "One")
    two = frac.node(fid, "position", "Two")
    _problem(frac.patch(two["id"], code="POS-1"), 409, "code")
    assert frac.patch(two["id"], code="POS-9").json["code"] == "POS-9"


def test_retire_refuses_while_nodes_depend_on_the_node(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Functional", area="functional")
    theme = frac.node(fid, "theme", "Finance", area["id"])
    sub = frac.node(fid, "subtheme", "Budgeting", theme["id"], levels={"1": {"en": "b"}})
    pos = frac.node(fid, "position", "Officer")
    role = frac.node(fid, "role", "Budget", pos["id"],
                     requirements=[{"competency": sub["id"], "level": 1}])

    def retire(node_id: str) -> Any:
        return frac.client.post(f"/frac/nodes/{node_id}/retire", json={"comment": "merged"},
                                headers=frac.curator["headers"])

    _problem(retire(theme["id"]), 409, "children")
    _problem(retire(sub["id"]), 409, "roles")
    assert retire(role["id"]).json["status"] == "retired"
    done = retire(sub["id"])
    assert done.status_code == 200 and done.json["status"] == "retired"
    _problem(retire(sub["id"]), 409, "status")
    _problem(frac.patch(sub["id"], name={"en": "again"}), 409, "status")
    events = frac.client.get(f"/frac/nodes/{sub['id']}/events",
                             headers=frac.curator["headers"]).json["items"]
    assert events[-1]["action"] == "retired" and events[-1]["comment"] == "merged"
    listed = frac.client.get(f"/frac/frameworks/{fid}/nodes?status=retired",
                             headers=frac.reviewer["headers"]).json["items"]
    assert {n["id"] for n in listed} == {sub["id"], role["id"]}
    by_type = frac.client.get(f"/frac/frameworks/{fid}/nodes?type=area&type=theme",
                              headers=frac.reviewer["headers"]).json["items"]
    assert [n["code"] for n in by_type] == ["COMAREA-1", "COMTHEME-1"]


def test_the_schemas_speak_the_models_vocabulary() -> None:
    from catalogue_schemas import frac as schemas
    from marketplace import frac_model

    assert schemas.NODE_TYPES == frac_model.NODE_TYPES
    assert schemas.AREAS == frac_model.AREAS and schemas.STATUSES == frac_model.STATUSES
    assert set(schemas.WRITABLE_TYPES) == set(frac_model.CODE_PREFIX)
    assert tuple(str(k) for k in frac_model.LEVEL_NAMES) == schemas.LEVEL_KEYS
