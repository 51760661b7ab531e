"""``/learners`` (issue 13): the learner record through the API on every store adapter —
create/replace, patch, delete, cursor pages with filters, the FRAC position and language
checks, and tenancy (another organisation's learner is 404; platform administrators read it
with ``?org=``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.frac_support import node_id
from tests.marketplace.plan_support import Department

POS_1 = node_id("POS-1")


@pytest.fixture
def dept(tenants: Any, client: Any, tag_framework: Any) -> Department:
    """A department (curator, LRS writer) on a hub with the test framework published."""
    return Department(tenants, client)


def body(**overrides: Any) -> dict[str, Any]:
    return {"name": "Asha Rao", "designation": "Under Secretary", "position": "POS-1",
            "languages": ["hi", "en-IN"]} | overrides


def test_put_creates_then_replaces_a_record(dept: Department) -> None:
    created = dept.call("PUT", "/learners/u-1", 201, json=body())
    assert created | {"created_at": "x"} == {
        "learner_id": "u-1", "org_id": dept.org_id, "name": "Asha Rao",
        "designation": "Under Secretary", "position": POS_1, "languages": ["hi", "en-IN"],
        "home_page": "http://hub.test", "source": "api", "created_at": "x", "updated_at": None}
    assert dept.call("GET", "/learners/u-1", 200) == created
    # PUT is a whole record: what it leaves out is cleared; created_at stays.
    replaced = dept.call("PUT", "/learners/u-1", 200, json={"name": "Asha R."})
    assert (replaced["designation"], replaced["position"], replaced["languages"]) == (
        None, None, [])
    assert replaced["created_at"] == created["created_at"] and replaced["updated_at"]
    # The position by node id is the same position.
    assert dept.call("PUT", "/learners/u-1", 200,
                     json=body(position=POS_1))["position"] == POS_1


@pytest.mark.parametrize(("change", "field"), [
    ({"position": "ROLE-1"}, "position"),  # a role, not a position
    ({"position": "POS-404"}, "position"),
    ({"position": node_id("COMSUBTHEME-1")}, "position"),
    ({"languages": ["en", "xx-INVALID"]}, "languages.1"),
    ({"languages": ["en_US"]}, "languages.0"),
    ({"languages": "hi"}, "languages"),
    ({"name": ""}, "name"),
    ({"name": "Asha\nRao"}, "name"),
    ({"home_page": "ftp://x.example"}, "home_page"),
    ({"salary": 10}, "salary"),
])
def test_bad_fields_are_400_naming_the_field(dept: Department, change: dict[str, Any],
                                             field: str) -> None:
    problem = dept.call("PUT", "/learners/u-1", 400, json=body(**change))
    assert field in problem["errors"], problem
    dept.call("GET", "/learners/u-1", 404)  # nothing written


def test_a_learner_id_that_cannot_name_an_agent_is_400(dept: Department) -> None:
    problem = dept.call("PUT", "/learners/a%7Cb", 400, json=body())
    assert "learner_id" in problem["errors"]


def test_patch_changes_only_the_given_fields(dept: Department) -> None:
    dept.call("PUT", "/learners/u-1", 201, json=body())
    patched = dept.call("PATCH", "/learners/u-1", 200, json={"designation": "Director",
                                                              "languages": ["ta"]})
    assert (patched["name"], patched["designation"], patched["position"],
            patched["languages"]) == ("Asha Rao", "Director", POS_1, ["ta"])
    assert dept.call("PATCH", "/learners/u-1", 200, json={"position": None})["position"] is None
    assert "position" in dept.call("PATCH", "/learners/u-1", 400,
                                   json={"position": "ROLE-1"})["errors"]
    dept.call("PATCH", "/learners/u-2", 404, json={"name": "X"})


def test_delete(dept: Department) -> None:
    dept.call("PUT", "/learners/u-1", 201, json=body())
    dept.call("DELETE", "/learners/u-1", 204)
    dept.call("GET", "/learners/u-1", 404)
    dept.call("DELETE", "/learners/u-1", 404)


def test_list_pages_with_a_cursor_and_filters(dept: Department) -> None:
    for n in range(7):
        dept.call("PUT", f"/learners/u-{n}", 201, json=body(
            designation="Director" if n % 2 else "Under Secretary",
            position="POS-1" if n < 4 else None))
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = dept.call("GET", "/learners" + query, 200)
        seen += [r["learner_id"] for r in page["learners"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [f"u-{n}" for n in range(7)] and pages == 3
    directors = dept.call("GET", "/learners?designation=Director", 200)["learners"]
    assert [r["learner_id"] for r in directors] == ["u-1", "u-3", "u-5"]
    by_code = dept.call("GET", "/learners?position=POS-1&designation=Director", 200)
    assert [r["learner_id"] for r in by_code["learners"]] == ["u-1", "u-3"]
    by_id = dept.call("GET", f"/learners?position={POS_1}", 200)["learners"]
    assert [r["learner_id"] for r in by_id] == ["u-0", "u-1", "u-2", "u-3"]
    # A cursor belongs to its query: another filter, or a forged one, is a 400.
    first = dept.call("GET", "/learners?limit=1&designation=Director", 200)["next"]
    assert "cursor" in dept.call("GET", f"/learners?cursor={first}", 400)["errors"]
    assert "cursor" in dept.call("GET", f"/learners?cursor={first}x", 400)["errors"]
    assert "cursor" in dept.call("GET", "/learners?cursor=%00%ff", 400)["errors"]
    dept.call("GET", "/learners?limit=0", 400)


def test_the_plans_directory_and_the_record_are_one(dept: Department) -> None:
    dept.learner("u-1")  # PUT /plans/learners/u-1
    record = dept.call("GET", "/learners/u-1", 200)
    assert (record["designation"], record["position"], record["languages"],
            record["source"]) == ("Under Secretary", None, [], "api")
    dept.call("PATCH", "/learners/u-1", 200, json={"position": "POS-1", "languages": ["hi"]})
    # The older route does not know position and languages: a PUT there keeps them.
    dept.call("PUT", "/plans/learners/u-1", 200, json={"name": "N", "designation": "Director"})
    record = dept.call("GET", "/learners/u-1", 200)
    assert (record["name"], record["designation"], record["position"],
            record["languages"]) == ("N", "Director", POS_1, ["hi"])
    assert [x["learner_id"] for x in dept.call("GET", "/plans/learners", 200)["learners"]] \
        == ["u-1"]


def test_tenancy_and_roles(dept: Department, tenants: Any, client: Any) -> None:
    dept.call("PUT", "/learners/u-1", 201, json=body())

    def status(who: dict[str, Any], method: str, path: str, **kw: Any) -> int:
        return int(client.open(path, method=method, headers=who["headers"], **kw).status_code)

    other = tenants.make("Other Dept", "department", ("curator", "lrs-reader"))
    assert status(other, "GET", "/learners/u-1") == 404
    assert status(other, "GET", f"/learners/u-1?org={dept.org_id}") == 404
    assert status(other, "GET", f"/learners?org={dept.org_id}") == 404
    assert status(other, "PATCH", "/learners/u-1", json={"name": "X"}) == 404
    assert status(other, "DELETE", "/learners/u-1") == 404
    assert client.get("/learners", headers=other["headers"]).get_json()["learners"] == []
    # The department's readers read; only its curator writes.
    for role in ("lrs-reader", "reviewer", "department-approver"):
        reader = tenants.make("Revenue Dept", "department", (role,))
        assert status(reader, "GET", "/learners/u-1") == 200
        assert status(reader, "PUT", "/learners/u-2", json=body()) == 403
    writer = tenants.make("Revenue Dept", "department", ("lrs-writer",))
    assert status(writer, "GET", "/learners/u-1") == 403
    provider = tenants.make("A provider", "provider", ("curator",))
    assert status(provider, "PUT", "/learners/u-9", json=body()) == 403
    # Platform administrators read any organisation's learners with ?org=.
    platform = tenants.make("Platform", "platform-admin", ("lrs-reader",))
    assert status(platform, "GET", f"/learners/u-1?org={dept.org_id}") == 200
    page = client.get(f"/learners?org={dept.org_id}", headers=platform["headers"]).get_json()
    assert [r["learner_id"] for r in page["learners"]] == ["u-1"]
    assert status(platform, "GET", "/learners/u-1") == 404  # its own organisation has none
    assert client.get("/learners").status_code == 401
