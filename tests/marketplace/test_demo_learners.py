"""Demo data of learner records (issue 13): ``hub demo load`` gives the demo department's
Section Officer a FRAC position whose roles require competencies, and writes his statements to
the department's LRS: proper completions of tagged courses and one completed 20 seconds after
its launch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from marketplace import demo_frac_data as frac_data
from tests.conftest import basic

XAPI = {"X-Experience-API-Version": "1.0.3"}
ADL = "http://adlnet.gov/expapi/verbs/"


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_the_demo_learner_has_a_position_whose_roles_require_competencies(
        runner: Any, client: Any, app: Any) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)
    reader = basic(creds["department_reader"]["key"], creds["department_reader"]["secret"])
    learner = client.get("/learners/rev-0004", headers=reader).get_json()
    assert learner["position"] == frac_data.node_id("POS-1")
    assert learner["designation"] == "Section Officer" and learner["languages"] == ["hi", "en-IN"]
    by_position = client.get("/learners?position=POS-1", headers=reader).get_json()
    assert [r["learner_id"] for r in by_position["learners"]] == ["rev-0004"]
    # The position's roles, in the published demo framework, require levels of competencies.
    from marketplace import frac_catalog

    with app.app_context():
        version, _ = frac_catalog.published(app.extensions["hub.store"]).resolve("POS-1")
    roles = [n for n in version.nodes() if n["type"] == "role"
             and n["parent"] == learner["position"]]
    assert roles and all(role["requirements"] for role in roles)
    required = {r["competency"] for role in roles for r in role["requirements"]}

    answer = client.get("/xapi/statements?limit=100", headers={**reader, **XAPI})
    assert answer.status_code == 200, answer.get_json()
    mine = [s for s in answer.get_json()["statements"]
            if s["actor"].get("account", {}).get("name") == "rev-0004"
            and s["verb"]["id"] in (ADL + "launched", ADL + "completed")]
    completed = [s for s in mine if s["verb"]["id"] == ADL + "completed"]
    assert len(completed) == 3
    store = app.extensions["hub.store"]
    for statement in completed:
        course_id = statement["object"]["id"].rsplit("/", 1)[1]
        tags = {t["id"] for t in store.courses.get(course_id)["live"]["competencies"]}
        assert tags & required  # each completion is evidence for a required competency
    # Exactly one completion came 20 seconds after its launch, in the same registration.
    launched = {s["context"]["registration"]: s for s in mine
                if s["verb"]["id"] == ADL + "launched"}
    gaps = sorted((_moment(c["timestamp"]) - _moment(
        launched[c["context"]["registration"]]["timestamp"])).total_seconds()
        for c in completed)
    assert gaps[0] == 20 and gaps[1] >= 20 * 60
    fast = next(c for c in completed if c["result"]["duration"] == "PT20S")
    course = store.courses.get(fast["object"]["id"].rsplit("/", 1)[1])
    from catalogue_schemas.fields import duration_minutes

    assert duration_minutes(course["live"]["duration"]) >= 20
