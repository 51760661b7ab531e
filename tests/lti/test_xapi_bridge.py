"""lti.xapi_bridge: launches and results recorded by the hub through the LRS's own service are
readable by the launching organisation's lrs-reader over GET /xapi/statements, and by no one
else; on every store adapter."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import orjson
import pytest

from hub.errors import ValidationError
from lti.links import course_activity_id
from lti.xapi_bridge import (
    EXTENSIONS,
    VERBS,
    launched_statement,
    learner_agent,
    record,
    result_statement,
    score_of,
)
from tests.conftest import Tenants

HUB = "http://hub.test"  # the app fixture's HUB_PUBLIC_URL
VERSION = {"X-Experience-API-Version": "1.0.3"}


def _record(app: Any, org_id: str, statements: list[dict[str, Any]]) -> list[str]:
    return record(app.extensions["hub.store"], app.extensions["hub.blobs"], HUB, org_id,
                  statements)


def _query(client: Any, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    query = "&".join(f"{k}={quote(v if isinstance(v, str) else orjson.dumps(v).decode())}"
                     for k, v in params.items())
    response = client.get(f"/xapi/statements?{query}", headers={**headers, **VERSION})
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["statements"])


def test_a_recorded_launch_and_result_are_read_by_the_orgs_reader_only(
        app: Any, client: Any, tenants: Tenants) -> None:
    lms = tenants.make("State LMS", kind="lms", roles=("lrs-reader",))
    other = tenants.make("Other LMS", kind="lms", roles=("lrs-reader",))
    registration = str(uuid.uuid4())
    parties = {"platform_registration": "reg-1", "deployment_id": "dep-1",
               "context_id": "ctx-1", "resource_link_id": "rl-1"}
    launched = launched_statement(HUB, learner_id="L1", course_id="course 1",
                                  registration=registration, course_name="Ethics", **parties)
    passed = result_statement("passed", HUB, learner_id="L1", course_id="course 1",
                              registration=registration, score_given=8, score_maximum=10,
                              **parties)
    ids = _record(app, lms["org"]["id"], [launched, passed])
    assert ids == [launched["id"], passed["id"]]

    seen = _query(client, lms["headers"], registration=registration)
    assert {s["id"] for s in seen} == set(ids)
    by_verb = {s["verb"]["id"]: s for s in seen}
    stored = by_verb[VERBS["passed"]]
    assert stored["actor"] == learner_agent(HUB, "L1")
    assert stored["object"]["id"] == course_activity_id(HUB, "course 1")
    assert stored["result"] == {"completion": True, "success": True,
                                "score": {"raw": 8, "scaled": 0.8, "min": 0, "max": 10}}
    assert stored["context"]["extensions"][EXTENSIONS["deployment_id"]] == "dep-1"
    assert stored["authority"]["name"] == "Karmayogi Hub"
    assert stored["authority"]["account"] == {"homePage": HUB, "name": "hub"}
    assert by_verb[VERBS["launched"]]["object"]["definition"]["name"] == {"en": "Ethics"}
    assert _query(client, lms["headers"], agent=learner_agent(HUB, "L1"),
                  verb=VERBS["launched"])[0]["id"] == launched["id"]

    assert _query(client, other["headers"], registration=registration) == []
    single = client.get(f"/xapi/statements?statementId={launched['id']}",
                        headers={**other["headers"], **VERSION})
    assert single.status_code == 404


def test_record_leaves_the_callers_statements_as_they_were(app: Any, tenants: Tenants) -> None:
    org = tenants.make("LMS", kind="lms", roles=("lrs-reader",))["org"]
    statement = launched_statement(HUB, learner_id="L2", course_id="c", registration=str(
        uuid.uuid4()))
    before = orjson.dumps(statement)
    _record(app, org["id"], [statement])
    assert orjson.dumps(statement) == before


def test_a_statement_the_lrs_refuses_is_a_400_and_nothing_is_stored(
        app: Any, client: Any, tenants: Tenants) -> None:
    lms = tenants.make("LMS", kind="lms", roles=("lrs-reader",))
    registration = str(uuid.uuid4())
    good = launched_statement(HUB, learner_id="L3", course_id="c", registration=registration)
    bad = launched_statement(HUB, learner_id="L3", course_id="c", registration="not-a-uuid")
    with pytest.raises(ValidationError):
        _record(app, lms["org"]["id"], [good, bad])
    assert _query(client, lms["headers"], registration=registration) == []


@pytest.mark.parametrize(("verb", "result"), [
    ("scored", {"score": {"raw": 3, "scaled": 0.5, "min": 0, "max": 6}}),
    ("completed", {"completion": True, "score": {"raw": 3, "scaled": 0.5, "min": 0, "max": 6}}),
    ("failed", {"completion": True, "success": False,
                "score": {"raw": 3, "scaled": 0.5, "min": 0, "max": 6}}),
])
def test_result_verbs(verb: str, result: dict[str, Any]) -> None:
    made = result_statement(verb, HUB, learner_id="L", course_id="c", registration="r",
                            score_given=3, score_maximum=6)
    assert made["verb"]["id"] == VERBS[verb] and made["result"] == result


def test_a_result_keeps_the_ags_grading_progress() -> None:
    from lti.xapi_bridge import GRADING_PROGRESS_EXTENSION

    made = result_statement("completed", HUB, learner_id="L", course_id="c", registration="r",
                            grading_progress="PendingManual")
    assert made["result"] == {"completion": True,
                              "extensions": {GRADING_PROGRESS_EXTENSION: "PendingManual"}}
    plain = result_statement("completed", HUB, learner_id="L", course_id="c", registration="r")
    assert plain["result"] == {"completion": True}


def test_scores_beyond_the_maximum_and_unknown_verbs_and_fields() -> None:
    assert score_of(12, 10) == {"raw": 12, "scaled": 1.0}
    assert score_of(None, 10) is None
    assert score_of(5, None) == {"raw": 5}
    with pytest.raises(ValueError, match="verb"):
        result_statement("launched", HUB, learner_id="L", course_id="c", registration="r")
    with pytest.raises(TypeError, match="unknown LTI context"):
        launched_statement(HUB, learner_id="L", course_id="c", registration="r", oops="x")
