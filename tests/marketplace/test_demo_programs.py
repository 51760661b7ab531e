"""Demo data of programs: ``hub demo load`` adds a published curated program of the demo
department (also in one of its plans) and a published blended program of a training institute
with two batches, their sessions, and the department's learners holding or awaiting seats."""

from __future__ import annotations

from typing import Any

import orjson

from tests.conftest import basic


def _loaded(runner: Any) -> dict[str, Any]:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)  # type: ignore[no-any-return]


def test_demo_programs_are_published_and_found_in_search(runner: Any, client: Any) -> None:
    _loaded(runner)
    found = client.get("/catalogue/search?category=program&limit=100").get_json()
    # Some demo courses are a provider's own "program" too; the curated ones have their page.
    ids = [item["id"] for item in found["items"] if "/catalogue/programs/" in item["url"]]
    assert len(ids) == 2
    pages = [client.get(f"/catalogue/programs/{pid}").get_json() for pid in ids]
    curated = next(p for p in pages if not p["blended"])
    leading = next(p for p in pages if p["blended"])
    assert [i["required"] for i in curated["items"]] == [True, True, False, False]
    assert curated["items"][3]["status"] == "external"
    assert all(i["status"] == "published" for i in leading["items"])
    assert curated["title"]["hi"] and curated["duration"]


def test_demo_blended_batches_have_sessions_and_seats(runner: Any, client: Any) -> None:
    creds = _loaded(runner)
    institute = basic(creds["institute"]["key"], creds["institute"]["secret"])
    batches = client.get("/blended/batches", headers=institute).get_json()["batches"]
    assert len(batches) == 2
    first, second = sorted(batches, key=lambda b: b["starts_at"])
    sessions = [client.get(f"/blended/batches/{b['id']}", headers=institute).get_json()[
        "sessions"] for b in (first, second)]
    assert [len(s) for s in sessions] == [5, 3]
    assert second["mode"] == "invite-only" and len(second["invitees"]) == 2
    roster = client.get(f"/blended/batches/{first['id']}/roster",
                        headers=institute).get_json()
    assert sorted(row["state"] for row in roster["enrolments"]) == ["approved", "approved",
                                                                "requested"]
    sheets = [client.get(f"/blended/sessions/{s['id']}/attendance", headers=institute)
              .get_json() for s in sessions[0][:3]]
    assert [sorted(r["status"] for r in sheet["learners"]) for sheet in sheets] == [
        ["absent", "present"], ["present", "present"], ["unmarked", "unmarked"]]
    approver = basic(creds["department_approver"]["key"],
                     creds["department_approver"]["secret"])
    queue = client.get("/blended/enrolments?state=requested", headers=approver).get_json()
    assert len(queue["enrolments"]) == 2  # one in each batch


def test_demo_plan_lists_the_curated_program(runner: Any, client: Any) -> None:
    creds = _loaded(runner)
    dept = basic(creds["department"]["key"], creds["department"]["secret"])
    items = client.get("/plans/learners/rev-0001/items", headers=dept).get_json()["items"]
    programs = [i for i in items if i["item_id"].startswith("prg_")]
    assert len(programs) == 1
    assert programs[0]["activity_id"].endswith(f"/catalogue/programs/{programs[0]['item_id']}")
