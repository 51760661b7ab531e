"""Each learner's mandated items with their state from the learner's statements (written
through the real xAPI API) in the department's LRS, and the overdue report as JSON and CSV, on
every store adapter."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from marketplace import plan_progress
from tests.marketplace.conftest import Cast
from tests.marketplace.plan_support import PUBLIC_URL, Department


@pytest.fixture
def dept(tenants: Any, client: Any, cast: Cast) -> Department:
    return Department(tenants, client)


def test_query_keys_are_the_lrs_index_keys() -> None:
    # The marketplace may not import xapi (one layer): the keys it queries by are checked here
    # against the LRS's own builder, so a change there fails this test rather than every state.
    from xapi.statements import query_keys

    agent = {"account": {"homePage": PUBLIC_URL, "name": "u-1"}}
    activity = plan_progress.item_activity_id(PUBLIC_URL, "crs_1")
    assert query_keys(agent, None, activity, None, False, False) == (
        plan_progress.agent_key(PUBLIC_URL, "u-1"), "act|" + activity)


def test_state_follows_the_learners_statements(cast: Cast, dept: Department) -> None:
    courses = [cast.publish()["id"] for _ in range(4)]
    dept.learner("u-1")
    dept.learner("u-2")
    dept.plan(courses)
    dept.statement("u-1", "launched", courses[0])
    dept.statement("u-1", "progressed", courses[1])
    # (no "launched" before it: a launch milliseconds before the completion of a 90-minute
    # course is a completion integrity flags, which a plan does not count: see
    # tests/marketplace/test_passbook_derive.py)
    dept.statement("u-1", "completed", courses[1])
    dept.statement("u-1", "passed", courses[2])
    dept.statement("u-2", "completed", courses[3])  # another learner's completion
    dept.statement("u-1", "experienced", courses[3])  # not a progress verb
    assert dept.items("u-1") == {courses[0]: "in-progress", courses[1]: "completed",
                                 courses[2]: "completed", courses[3]: "not-started"}
    assert dept.items("u-2") == {c: "not-started" for c in courses[:3]} | {
        courses[3]: "completed"}


def test_only_the_departments_own_lrs_counts(tenants: Any, client: Any, cast: Cast,
                                            dept: Department) -> None:
    course = cast.publish()["id"]
    dept.learner("u-1")
    dept.plan([course])
    other = Department(tenants, client, "Health Dept")
    other.statement("u-1", "completed", course)  # same learner id, another organisation's LRS
    dept.statement("u-1", "completed", course, home_page="https://elsewhere.example")
    assert dept.items("u-1") == {course: "not-started"}
    # A learner whose department's statements use its own account homePage.
    dept.call("PUT", "/plans/learners/u-1", 200, json={
        "name": "Officer", "designation": "Under Secretary",
        "home_page": "https://elsewhere.example"})
    assert dept.items("u-1") == {course: "completed"}


def test_voided_completion_no_longer_counts(cast: Cast, client: Any, dept: Department) -> None:
    course = cast.publish()["id"]
    dept.learner("u-1")
    dept.plan([course])
    dept.statement("u-1", "completed", course)
    assert dept.items("u-1") == {course: "completed"}
    completed_id = _completed_id(client, dept)
    voiding = {"actor": {"account": {"homePage": PUBLIC_URL, "name": "admin"}},
               "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
               "object": {"objectType": "StatementRef", "id": completed_id}}
    res = client.post("/xapi/statements", json=voiding,
                      headers={**dept.writer["headers"], "X-Experience-API-Version": "1.0.3"})
    assert res.status_code == 200, res.get_json()
    assert dept.items("u-1") == {course: "not-started"}


def _completed_id(client: Any, dept: Department) -> str:
    """The id of the department's one completed statement (read from the store)."""
    store = client.application.extensions["hub.store"]
    from storage.ports.xapi import StatementQuery

    page = store.statements.query(StatementQuery(
        keys=("verb|" + plan_progress.ADL + "completed",), org_id=dept.org_id))
    assert len(page.statements) == 1
    return str(page.statements[0]["id"])


def test_audience_by_designation_and_name(cast: Cast, dept: Department) -> None:
    everyone, secretaries, named = (cast.publish()["id"] for _ in range(3))
    dept.learner("u-1", "Under Secretary")
    dept.learner("u-2", "Director")
    dept.learner("u-3", "Director")
    dept.plan([everyone])
    dept.plan([secretaries], audience={"designations": ["Under Secretary"]})
    dept.plan([named], audience={"learners": ["u-3"]})
    dept.plan([named], live=False, audience={"learners": ["u-2"]})  # a draft mandates nothing
    assert set(dept.items("u-1")) == {everyone, secretaries}
    assert set(dept.items("u-2")) == {everyone}
    assert set(dept.items("u-3")) == {everyone, named}
    dept.call("GET", "/plans/learners/u-9/items", 404)


def test_overdue_report_as_json_and_csv(cast: Cast, dept: Department) -> None:
    past, future = cast.publish()["id"], cast.publish()["id"]
    dept.learner("u-1", "Under Secretary")
    dept.call("PUT", "/plans/learners/u-2", 201,
              json={"name": "=HYPERLINK(\"x\")", "designation": "Director"})
    dept.plan([past], due_date="2000-01-31", title={"en": "Past plan", "hi": "पिछली योजना"})
    dept.plan([future], due_date="2099-12-31")
    dept.statement("u-1", "completed", past)
    dept.statement("u-2", "launched", past)
    items = dept.call("GET", "/plans/learners/u-2/items", 200)["items"]
    assert {(i["item_id"], i["state"], i["overdue"]) for i in items} == {
        (past, "in-progress", True), (future, "not-started", False)}
    report = dept.call("GET", "/plans/overdue?lang=hi", 200)
    assert report["org_id"] == dept.org_id
    assert [(r["learner_id"], r["item_id"], r["state"], r["plan_title"])
            for r in report["overdue"]] == [("u-2", past, "in-progress", "पिछली योजना")]
    # On a day before the due date nothing is overdue yet.
    assert dept.call("GET", "/plans/overdue?on=2000-01-15", 200)["overdue"] == []
    dept.call("GET", "/plans/overdue?on=yesterday", 400)
    res = dept.client.get("/plans/overdue.csv", headers=dept.curator["headers"])
    assert res.status_code == 200 and res.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(res.get_data(as_text=True))))
    assert rows[0] == list(plan_progress.CSV_COLUMNS)
    assert [(r[0], r[1], r[6], r[8]) for r in rows[1:]] == [
        ("u-2", "'=HYPERLINK(\"x\")", past, "in-progress")]
