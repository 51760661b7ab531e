"""Capacity-building plans over HTTP on every store adapter: the learner directory, the
draft → live → retired workflow with a draft beside the live version, validation, audit and
tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.conftest import Cast
from tests.marketplace.plan_support import Department, plan_body


@pytest.fixture
def dept(tenants: Any, client: Any, cast: Cast) -> Department:
    return Department(tenants, client)


def test_directory_registers_updates_lists_and_removes_learners(dept: Department) -> None:
    created = dept.learner("u-17", "Deputy Secretary")
    assert created["org_id"] == dept.org_id and created["home_page"] == "http://hub.test"
    changed = dept.call("PUT", "/plans/learners/u-17", 200,
                        json={"name": "A. Kumar", "designation": "Director"})
    assert (changed["designation"], changed["created_at"]) == ("Director",
                                                               created["created_at"])
    dept.learner("u-02")
    listed = dept.call("GET", "/plans/learners", 200)["learners"]
    assert [x["learner_id"] for x in listed] == ["u-02", "u-17"]
    assert dept.call("GET", "/plans/learners/u-17", 200)["name"] == "A. Kumar"
    dept.call("DELETE", "/plans/learners/u-17", 204)
    dept.call("GET", "/plans/learners/u-17", 404)
    dept.call("DELETE", "/plans/learners/u-17", 404)
    # The id names an xAPI account in an index key: its separator is refused, naming the field.
    assert "learner_id" in dept.call("PUT", "/plans/learners/a|b", 400,
                                     json={"name": "X", "designation": "Y"})["errors"]
    dept.call("PUT", "/plans/learners/u-9", 400, json={"name": "X"})


def test_only_a_departments_curator_reaches_plans(tenants: Any, client: Any, cast: Cast,
                                                  dept: Department) -> None:
    dept.learner("u-1")
    for who, status in ((cast.a, 403), (dept.writer, 403), (None, 401)):
        headers = who["headers"] if who else {}
        assert client.get("/plans/learners", headers=headers).status_code == status
    other = Department(tenants, client, "Health Dept")
    assert other.call("GET", "/plans/learners", 200)["learners"] == []
    other.call("GET", "/plans/learners/u-1", 404)
    course = cast.publish()
    plan = dept.plan([course["id"]])
    other.call("GET", f"/plans/{plan['id']}", 404)
    other.call("POST", f"/plans/{plan['id']}/transitions", 404, json={"action": "retire"})
    other.call("PUT", f"/plans/{plan['id']}/draft", 404, json=plan_body([course["id"]]))
    assert other.call("GET", "/plans", 200)["plans"] == []


def test_workflow_draft_live_edit_while_live_retire_with_audit(cast: Cast,
                                                               dept: Department) -> None:
    first, second = cast.publish(), cast.publish()
    plan = dept.call("POST", "/plans", 201, json=plan_body([first["id"]]))
    assert (plan["state"], plan["live"], plan["live_version"]) == ("draft", None, 0)
    assert plan["title"] == "Annual plan 2027"
    live = dept.call("POST", f"/plans/{plan['id']}/transitions", 200, json={"action": "go_live"})
    assert (live["state"], live["live_version"], live["draft"]) == ("live", 1, None)
    assert live["live"]["items"] == [first["id"]]
    # An edit while live is a new draft; the live version keeps serving.
    edited = dept.call("PUT", f"/plans/{plan['id']}/draft", 200,
                       json=plan_body([first["id"], second["id"]], due_date="2027-06-30"))
    assert edited["state"] == "live" and edited["live"]["items"] == [first["id"]]
    assert edited["draft"]["items"] == [first["id"], second["id"]]
    dept.learner("u-1")
    assert dept.items("u-1") == {first["id"]: "not-started"}
    again = dept.call("POST", f"/plans/{plan['id']}/transitions", 200,
                      json={"action": "go_live"})
    assert (again["live_version"], again["live"]["due_date"]) == (2, "2027-06-30")
    assert set(dept.items("u-1")) == {first["id"], second["id"]}
    dept.call("POST", f"/plans/{plan['id']}/transitions", 409, json={"action": "go_live"})
    retired = dept.call("POST", f"/plans/{plan['id']}/transitions", 200,
                        json={"action": "retire"})
    assert retired["state"] == "retired"
    assert dept.items("u-1") == {}
    dept.call("PUT", f"/plans/{plan['id']}/draft", 409, json=plan_body([first["id"]]))
    dept.call("POST", f"/plans/{plan['id']}/transitions", 409, json={"action": "retire"})
    events = dept.call("GET", f"/plans/{plan['id']}/audit", 200)["events"]
    assert [(e["action"], e["version"]) for e in events] == [
        ("create", None), ("go_live", 1), ("edit_draft", None), ("go_live", 2),
        ("retire", None)]
    assert {e["by"] for e in events} == {dept.curator["key"]}
    assert [p["id"] for p in dept.call("GET", "/plans?state=retired", 200)["plans"]] == [
        plan["id"]]
    assert dept.call("GET", "/plans?state=live", 200)["plans"] == []


def test_plan_content_is_validated_and_nothing_is_written(cast: Cast,
                                                          dept: Department) -> None:
    course = cast.publish()
    draft = cast.create()
    cases = [
        (plan_body([draft["id"]]), "items.0"),
        (plan_body(["no-such-course"]), "items.0"),
        (plan_body([course["id"], course["id"]]), "items"),
        (plan_body([course["id"]], audience={}), "audience"),
        (plan_body([course["id"]], audience={"learners": ["ghost"]}), "audience.learners.0"),
        (plan_body([course["id"]], due_date="31/03/2027"), "due_date"),
        (plan_body([]), "items"),
        (plan_body([course["id"]], title={"not a tag!": "x"}), "title"),
        (plan_body([course["id"]], audience={"all": "maybe"}), "audience"),
    ]
    for body, field in cases:
        problem = dept.call("POST", "/plans", 400, json=body)
        assert any(key.startswith(field) for key in problem.get("errors", {})), problem
    assert dept.call("GET", "/plans", 200)["plans"] == []


def test_go_live_refuses_an_item_retired_since_the_draft(cast: Cast, dept: Department) -> None:
    course = cast.publish()
    plan = dept.plan([course["id"]], live=False)
    cast.act(course["id"], "retire", cast.a)
    problem = dept.call("POST", f"/plans/{plan['id']}/transitions", 400,
                        json={"action": "go_live"})
    assert "items.0" in problem["errors"]
    assert dept.call("GET", f"/plans/{plan['id']}", 200)["state"] == "draft"


def test_demo_department_has_a_live_plan_with_assignments_and_overdue_items(
        runner: Any, client: Any) -> None:
    import orjson

    from tests.conftest import basic

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    cred = orjson.loads(result.stdout)["department"]
    headers = basic(cred["key"], cred["secret"])
    found = client.get("/plans", headers=headers).get_json()["plans"]
    assert sorted(p["state"] for p in found) == ["draft", "live", "live"]
    assert len(client.get("/plans/learners", headers=headers).get_json()["learners"]) == 4
    items = client.get("/plans/learners/rev-0001/items", headers=headers).get_json()["items"]
    assert len(items) == 3  # two for everyone, one for Under Secretaries
    overdue = client.get("/plans/overdue", headers=headers).get_json()["overdue"]
    assert {r["learner_id"] for r in overdue} == {"rev-0001", "rev-0002", "rev-0003",
                                                  "rev-0004"}
