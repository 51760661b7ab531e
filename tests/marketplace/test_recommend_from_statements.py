"""Issue 13 end to end on both adapters: statements posted to the department's LRS become the
passbook (i13-passbook's ingest derivation), which closes the learner's gaps in the
recommendations and puts the learner in talent search and coverage; a completion flagged as
too fast counts only after a reviewer of the department accepts it."""

from __future__ import annotations

from typing import Any

from tests.marketplace.passbook_support import Department
from tests.role_support import node_id, publish_role_framework, tag
from tests.storage.factories import course_doc


def publish(dept: Department, item_id: str, tags: dict[int, int], minutes: int = 20) -> None:
    dept.store.courses.add(course_doc(item_id, "org_provider", minutes=minutes,
                                      competencies=[tag(n, lv) for n, lv in tags.items()]))


def get(dept: Department, path: str) -> Any:
    res = dept.client.get(path, headers=dept.curator["headers"])
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()


def gaps(dept: Department) -> dict[str, tuple[int, int]]:
    body = get(dept, "/learners/l1/recommendations")
    return {g["competency"]["code"]: (g["held"], g["required"]) for g in body["gaps"]}


def test_statements_close_gaps_and_reach_talent_search(app: Any, tenants: Any,
                                                       client: Any) -> None:
    publish_role_framework(app.extensions["hub.store"])
    dept = Department(app, tenants, client, framework=False)
    dept.learner("l1", position=node_id("POS-1"))
    for item_id, tags in (("crs_c1", {1: 4}), ("crs_c2", {2: 2}), ("crs_fast", {4: 2})):
        publish(dept, item_id, tags)
    assert gaps(dept) == {"COMSUBTHEME-1": (0, 4), "COMSUBTHEME-2": (0, 2),
                          "COMSUBTHEME-3": (0, 1), "COMSUBTHEME-4": (0, 2)}

    dept.attempt("l1", "crs_c1", 1200, verb="passed")  # 20 minutes for a 20-minute course
    dept.attempt("l1", "crs_c2", 1100)
    flagged = dept.attempt("l1", "crs_fast", 20)  # 20 seconds: flagged, withheld
    assert gaps(dept) == {"COMSUBTHEME-3": (0, 1), "COMSUBTHEME-4": (0, 2)}
    items = get(dept, "/learners/l1/recommendations")["recommendations"]
    assert [i["item_id"] for i in items] == ["crs_fast"]  # it still closes a gap

    found = get(dept, "/talent/search?competency=COMSUBTHEME-1&min_level=4")["items"]
    assert [(h["learner_id"], h["level"]) for h in found] == [("l1", 4)]
    assert [(e["kind"], e["source"]) for e in found[0]["evidence"]] == [("pass", "item:crs_c1")]
    assert get(dept, "/talent/search?competency=COMSUBTHEME-4")["items"] == []

    accepted = client.post(f"/completions/{flagged}/accept", headers=dept.reviewer["headers"],
                           json={"comment": "Classroom session, recorded late"})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert gaps(dept) == {"COMSUBTHEME-3": (0, 1)}
    coverage = {r["role"]["code"]: r for r in get(dept, "/talent/coverage")["roles"]}
    assert [(q["competency"]["code"], q["meeting"]) for q in
            coverage["ROLE-2"]["requirements"]] == [("COMSUBTHEME-1", 1), ("COMSUBTHEME-4", 1)]
