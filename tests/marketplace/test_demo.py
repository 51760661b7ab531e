"""Demo data: deterministic, >= 200 published courses from >= 8 providers in several
languages, courses in every other state, and working demo credentials."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from marketplace import demo, demo_frac_data
from marketplace.frac_catalog import published


def _basic(cred: dict[str, Any]) -> dict[str, str]:
    token = base64.b64encode(f"{cred['key']}:{cred['secret']}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_demo_loads_once_and_every_credential_works(runner: Any, app: Any,
                                                    client: Any) -> None:
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)
    assert {"provider", "reviewer", "admin", "lms"} <= set(creds)  # upper layers add more
    store = app.extensions["hub.store"]
    assert store.courses.count("published") >= 200
    for state in ("draft", "submitted", "in_review", "changes_requested"):
        assert store.courses.count(state) > 0, state
    assert len(store.organisations.list("provider")) >= 8

    body = client.get("/catalogue/search", query_string={"limit": 100}).json
    assert body["total"] >= 200
    languages = {f["value"] for f in body["facets"]["language"]}
    assert {"en", "hi", "ta", "bn", "mr"} <= languages
    assert all({"en", "hi"} <= set(i["title"]) for i in body["items"])
    assert body["facets"]["rating"]  # some courses are rated

    assert client.get("/review-queue", headers=_basic(creds["reviewer"])).json["items"]
    mine = client.get("/courses", headers=_basic(creds["provider"])).json["items"]
    assert mine and all(c["provider_id"] == creds["provider"]["org_id"] for c in mine)
    assert client.get("/courses", headers=_basic(creds["admin"])).status_code == 200

    _check_framework(store)

    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and again.stdout == ""  # prints credentials only when loaded
    assert store.courses.count("published") == body["total"]
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code == 1


def test_demo_content_is_deterministic() -> None:
    import random

    first = [demo.course_content(i, random.Random(7)) for i in range(20)]
    second = [demo.course_content(i, random.Random(7)) for i in range(20)]
    assert first == second
    titles = {demo.course_content(i, random.Random(1))[1]["title"]["en"]
              for i in range(len(demo.TOPICS) * len(demo.FORMATS))}
    assert len(titles) == len(demo.TOPICS) * len(demo.FORMATS)


def _check_framework(store: Any) -> None:
    """The demo FRAC framework is the review board's, confirmed node by node with an
    "imported" event, published as version 1; every demo course (every state, and the live
    copy of the published ones) is tagged with a sub-theme of that version, in the stored
    shape, at the level its course level gives."""
    board = store.organisations.get_by_name(demo.REVIEW_BOARD)
    (framework,) = store.frac.list_frameworks(board["id"])
    version = store.frac.get_version(framework["id"])
    assert version["number"] == 1 and store.frac.list_versions(framework["id"])[0]["number"] == 1
    view = published(store).latest(framework["id"])
    counts = {t: len(view.of_type(t)) for t in ("area", "theme", "subtheme", "position", "role")}
    assert counts["area"] >= 3
    assert counts == {**counts, "theme": 10, "subtheme": 40, "position": 4, "role": 12}
    assert all(n["status"] == "confirmed" and "revision" not in n for n in version["nodes"])
    working = store.frac.list_nodes(framework["id"], statuses=("confirmed",))
    assert len(working) == len(version["nodes"]) == len(demo_frac_data.ENTRIES)
    for node in working[::7]:
        events = store.frac.list_node_events(node["id"])
        assert [(e["action"], e["to"]) for e in events] == [("imported", "confirmed")]
    assert view.levels(demo_frac_data.node_id("COMSUBTHEME-21")) == {1, 2, 3, 4}
    role = view.by_code("ROLE-7")
    assert all(view.node(r["competency"])["type"] == "subtheme" for r in role["requirements"])

    level = {"beginner": 1, "intermediate": 2, "advanced": 3}
    courses = [store.courses.get(f"crs_demo{i:04d}")
               for i in range(len(demo.TOPICS) * len(demo.FORMATS))]
    codes = set()
    for course in courses:
        for content in (course["revision"], course.get("live")):
            if content is None:
                continue
            (tag,) = content["competencies"]
            found = published(store).resolve(tag["id"])
            assert found is not None, tag
            tag_version, node = found
            assert (tag_version.framework, tag_version.number) == (framework["id"], 1)
            assert node["type"] == "subtheme" and tag["level"] == level[content["level"]]
            assert tag == {"id": node["id"], "level": tag["level"],
                           "framework": framework["id"], "version": 1, "code": node["code"],
                           "area": node["area"], "theme": node["parent"]}
            codes.add(tag["code"])
    assert len(codes) == len(demo.TOPICS)


def test_the_demo_board_reviews_its_framework_at_both_levels(runner: Any, client: Any) -> None:
    """The admin edits the demo framework; the board's frac-reviewer verifies and its
    frac-approver confirms (two people: neither can do the other's level)."""
    creds = orjson.loads(runner.invoke(args=["demo", "load"]).stdout)
    fid = demo_frac_data.node_id("framework")
    theme = demo_frac_data.node_id("COMTHEME-7")
    created = client.post(f"/frac/frameworks/{fid}/nodes", headers=_basic(creds["admin"]),
                          json={"type": "subtheme", "parent": theme,
                                "name": {"en": "Open data publishing", "hi": "मुक्त डेटा प्रकाशन"},
                                "levels": {"1": {"en": "Knows the open data policy."}}})
    assert created.status_code == 201, created.json
    node = created.json["id"]

    def review(who: str, level: int) -> Any:
        return client.post(f"/frac/nodes/{node}/review", headers=_basic(creds[who]),
                           json={"level": level, "decision": "accept", "comment": ""})

    assert review("frac-approver", 1).status_code == 403
    assert review("frac-reviewer", 1).status_code == 200
    assert review("frac-reviewer", 2).status_code == 403
    confirmed = review("frac-approver", 2)
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
