"""``GET /talent/search`` and ``GET /talent/coverage`` (issue 13 "Talent search") on both
store adapters: who holds a competency at a level with the evidence behind it, coverage per
role, JSON and CSV (parsed back), cursor pages, and who may ask."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.marketplace.recommend_support import give, put_learner, store_of
from tests.role_support import competency, node_id


@pytest.fixture
def world(app: Any, tenants: Any) -> dict[str, Any]:
    """Two departments. Revenue: a (POS-1, COMSUBTHEME-1 at 4 by a pass and at 2 by a
    completion), b (POS-1, at 3, plus a withheld completion at 5), c (POS-2, at 1),
    d (POS-1, a self-declared 5 only), e (no position). Health: h (POS-1, at 5)."""
    store = store_of(app)
    revenue = tenants.make("Revenue", "department", ("curator",))
    health = tenants.make("Health", "department", ("curator",))
    org, other = revenue["org"]["id"], health["org"]["id"]
    put_learner(store, org, "a", name="=HYPERLINK(\"http://evil\")", languages=["en"])
    put_learner(store, org, "b")
    put_learner(store, org, "c", position="POS-2")
    put_learner(store, org, "d")
    put_learner(store, org, "e", position=None)
    put_learner(store, other, "h")
    give(store, org, "a", 1, 4, source="item:crs_pass", kind="pass")
    give(store, org, "a", 1, 2, source="item:crs_intro")
    give(store, org, "a", 2, 2, source="certificate:cert-1", kind="certificate")
    give(store, org, "b", 1, 3, source="external:https://training.example.org/x",
         kind="external")
    give(store, org, "b", 1, 5, source="item:crs_fast", withheld=True)
    give(store, org, "c", 1, 1)
    give(store, org, "c", 5, 2)
    give(store, org, "d", 1, 5, source="self", kind="self-declared")
    give(store, other, "h", 1, 5)
    return {"revenue": revenue, "health": health, "org": org, "other": other}


def get(client: Any, who: Any, path: str, status: int = 200, **headers: str) -> Any:
    res = client.get(path, headers={**who["headers"], **headers})
    assert res.status_code == status, res.get_data(as_text=True)
    return res


def test_search_by_code_with_level_and_evidence(world: Any, client: Any) -> None:
    body = get(client, world["revenue"],
               "/talent/search?competency=COMSUBTHEME-1&min_level=3").get_json()
    assert body["competency"]["id"] == competency(1) and body["min_level"] == 3
    assert [(i["learner_id"], i["level"]) for i in body["items"]] == [("a", 4), ("b", 3)]
    first = body["items"][0]
    assert first["designation"] == "Under Secretary" and first["position"]["code"] == "POS-1"
    assert first["level_name"] == "Expert"
    # only the evidence behind the level asked: the level-2 completion is below it
    assert [(e["kind"], e["source"], e["level"]) for e in first["evidence"]] == [
        ("pass", "item:crs_pass", 4)]
    # b's withheld completion at 5 does not count, d's self-declared 5 neither
    assert body["items"][1]["evidence"][0]["kind"] == "external"
    assert body["next"] is None


def test_search_by_id_default_level_and_no_match(world: Any, client: Any) -> None:
    body = get(client, world["revenue"],
               f"/talent/search?competency={competency(1)}").get_json()
    assert [i["learner_id"] for i in body["items"]] == ["a", "b", "c"]
    none = get(client, world["revenue"], "/talent/search?competency=COMSUBTHEME-8").get_json()
    assert none["items"] == [] and none["next"] is None


def test_cursor_pages_and_bad_cursors(world: Any, client: Any) -> None:
    seen, cursor = [], None
    while True:
        path = "/talent/search?competency=COMSUBTHEME-1&limit=1"
        page = get(client, world["revenue"], path + (f"&cursor={cursor}" if cursor else ""))
        body = page.get_json()
        seen += [i["learner_id"] for i in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == ["a", "b", "c"]
    first = get(client, world["revenue"],
                "/talent/search?competency=COMSUBTHEME-1&limit=1").get_json()["next"]
    for bad in ("junk", first[:-2] + "xx"):
        res = get(client, world["revenue"],
                  f"/talent/search?competency=COMSUBTHEME-1&cursor={bad}", 400)
        assert "cursor" in res.get_data(as_text=True)
    # a cursor of another query (another level) is refused, not misread
    get(client, world["revenue"],
        f"/talent/search?competency=COMSUBTHEME-1&min_level=2&cursor={first}", 400)


@pytest.mark.parametrize("query", ["competency=COMSUBTHEME-99", "competency=POS-1",
                                   f"competency={node_id('ROLE-1')}", "",
                                   "competency=COMSUBTHEME-1&min_level=6",
                                   "competency=COMSUBTHEME-1&min_level=0",
                                   "competency=COMSUBTHEME-1&limit=0"])
def test_bad_search_arguments_are_400(world: Any, client: Any, query: str) -> None:
    res = get(client, world["revenue"], f"/talent/search?{query}", 400)
    assert res.mimetype == "application/problem+json"


def test_search_as_csv_parses_back_and_defuses_formulas(world: Any, client: Any) -> None:
    res = get(client, world["revenue"], "/talent/search?competency=COMSUBTHEME-1&limit=1",
              Accept="text/csv")
    assert res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    # every holder, not one page
    assert [(r["learner_id"], r["level"]) for r in rows] == [("a", "4"), ("b", "3"), ("c", "1")]
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["competency_code"] == "COMSUBTHEME-1"
    assert rows[0]["position_code"] == "POS-1"
    assert "pass item:crs_pass level 4" in rows[0]["evidence"]


def test_platform_administrators_search_across(world: Any, tenants: Any, client: Any) -> None:
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    body = get(client, admin, "/talent/search?competency=COMSUBTHEME-1&min_level=4").get_json()
    assert body["org_id"] is None
    assert sorted((i["org_id"], i["learner_id"]) for i in body["items"]) == sorted(
        [(world["org"], "a"), (world["other"], "h")])
    one = get(client, admin, f"/talent/search?competency=COMSUBTHEME-1&min_level=4"
                             f"&org={world['other']}").get_json()
    assert [i["learner_id"] for i in one["items"]] == ["h"]


def test_who_may_search(world: Any, tenants: Any, client: Any) -> None:
    path = "/talent/search?competency=COMSUBTHEME-1"
    for roles in (("reviewer",), ("department-approver",), ("admin",)):
        who = tenants.make("Revenue", "department", roles)
        body = get(client, who, path).get_json()
        # a department's admin too reads its own department unless it names another
        assert body["org_id"] == world["org"] and body["items"]
    get(client, tenants.make("Revenue", "department", ("lrs-reader",)), path, 403)
    # another department's learners are not there for a department's curator
    assert [i["learner_id"] for i in get(client, world["health"], path).get_json()[
        "items"]] == ["h"]
    get(client, world["health"], path + f"&org={world['org']}", 404)
    assert client.get(path).status_code == 401


def test_coverage_per_role_json_and_csv(world: Any, client: Any) -> None:
    body = get(client, world["revenue"], "/talent/coverage").get_json()
    assert body["org_id"] == world["org"] and body["learners"] == 5
    assert body["with_role"] == 4
    roles = {r["role"]["code"]: r for r in body["roles"]}
    assert list(roles) == ["ROLE-1", "ROLE-2", "ROLE-3"]
    role1 = roles["ROLE-1"]  # a, b, d: COMSUBTHEME-1 at 3, -2 at 2, -3 at 1
    assert role1["officials"] == 3 and role1["position"]["code"] == "POS-1"
    assert [(q["competency"]["code"], q["level"], q["meeting"], q["share"])
            for q in role1["requirements"]] == [
        ("COMSUBTHEME-1", 3, 2, 0.6667), ("COMSUBTHEME-2", 2, 1, 0.3333),
        ("COMSUBTHEME-3", 1, 0, 0.0)]
    assert [(q["level"], q["meeting"]) for q in roles["ROLE-2"]["requirements"]] == [
        (4, 1), (2, 0)]
    assert roles["ROLE-3"]["officials"] == 1
    assert roles["ROLE-3"]["requirements"][0]["meeting"] == 1
    res = get(client, world["revenue"], "/talent/coverage", Accept="text/csv")
    assert res.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    assert len(rows) == 6
    assert rows[0] == {"role_id": node_id("ROLE-1"), "role_code": "ROLE-1",
                       "role_name": "Role ROLE-1", "position_code": "POS-1",
                       "competency_id": competency(1), "competency_code": "COMSUBTHEME-1",
                       "competency_name": "Competency 1", "level": "3", "officials": "3",
                       "meeting": "2", "share": "0.6667"}


def test_coverage_access(world: Any, tenants: Any, client: Any) -> None:
    get(client, world["health"], f"/talent/coverage?org={world['org']}", 404)
    get(client, tenants.make("Revenue", "department", ("lrs-writer",)), "/talent/coverage",
        403)
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    body = get(client, admin, f"/talent/coverage?org={world['other']}").get_json()
    assert [r["officials"] for r in body["roles"]] == [1, 1]
    empty = get(client, admin, "/talent/coverage").get_json()
    assert empty["roles"] == [] and empty["learners"] == 0
