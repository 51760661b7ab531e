"""Demo data of demand: ``hub demo load`` adds a department whose curator has two demands in
different states, one open to the providers whose courses teach its competency."""

from __future__ import annotations

from typing import Any

import orjson

from tests.conftest import basic


def test_demo_department_has_two_demands_in_different_states(runner: Any, client: Any) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)
    dept = basic(creds["demand_department"]["key"], creds["demand_department"]["secret"])
    items = client.get("/demands?lang=hi", headers=dept).json["items"]
    assert sorted(d["status"] for d in items) == ["in_progress", "unassigned"]
    taken = next(d for d in items if d["status"] == "in_progress")
    provider = basic(creds["provider"]["key"], creds["provider"]["secret"])
    assert taken["assigned_to"] == creds["provider"]["org_id"]
    mine = client.get("/demands", headers=provider).json["items"]
    assert [d["id"] for d in mine] == [taken["id"]]
    audit = client.get(f"/demands/{taken['id']}/audit", headers=dept).json["items"]
    assert [e["action"] for e in audit] == ["raise", "accept", "start"]
    # The open one asks for the GeM competency: a provider publishing a GeM course sees it.
    (open_demand,) = (d for d in items if d["status"] == "unassigned")
    assert open_demand["competencies"][0]["code"] == "COMSUBTHEME-18"
    assert open_demand["competencies"][0]["name"]  # named in Hindi (or the first language)
