"""The demo (``hub demo load``, what ``make run`` loads) shows issue 13's learner path: the
Section Officer has roles, gaps and recommendations, his passbook built from the demo
statements puts him in talent search, and the department's coverage lists his roles."""

from __future__ import annotations

from typing import Any

import orjson

from marketplace import demo_frac_data as frac_data
from marketplace.demo_learners import COMPLETED, LEARNER, TOO_FAST
from tests.conftest import basic


def test_the_demo_learner_has_gaps_recommendations_and_talent(runner: Any,
                                                              client: Any) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)["department_reader"]
    reader = basic(creds["key"], creds["secret"])

    res = client.get(f"/learners/{LEARNER}/recommendations?lang=hi", headers=reader)
    assert res.status_code == 200, res.get_data(as_text=True)
    body = res.get_json()
    assert body["roles"] and body["gaps"] and body["recommendations"]
    assert body["recommendations"][0]["why"]["lang"] == "hi"
    gap_ids = {g["competency"]["id"] for g in body["gaps"]}
    for item in body["recommendations"]:
        assert item["mandated"] is not None or {
            c["competency"]["id"] for c in item["closes"]} & gap_ids

    held = client.get(f"/talent/search?competency=COMSUBTHEME-{COMPLETED[0]}",
                      headers=reader).get_json()
    assert LEARNER in {h["learner_id"] for h in held["items"]}
    fast = client.get(f"/talent/search?competency={frac_data.node_id(f'COMSUBTHEME-{TOO_FAST}')}",
                      headers=reader).get_json()
    assert LEARNER not in {h["learner_id"] for h in fast["items"]}  # flagged: withheld

    coverage = client.get("/talent/coverage", headers=reader).get_json()
    assert coverage["with_role"] >= 1 and coverage["roles"]
