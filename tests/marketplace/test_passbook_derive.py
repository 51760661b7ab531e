"""The passbook derived at ingest (issue 13 "Competency passbook", "Completion integrity"):
statements posted through the LRS become completion and evidence rows in the same write."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from marketplace.learner_states import item_state
from marketplace.passbook_integrity import duration_seconds
from marketplace.passbook_statements import ACCEPTED, EVIDENCE_EXT, EVIDENCED
from tests.marketplace.passbook_support import Department, at, comp, iri, statement


@pytest.fixture
def dept(app: Any, tenants: Any, client: Any) -> Department:
    return Department(app, tenants, client)


def test_a_completion_earns_evidence_for_each_live_tag(dept: Department) -> None:
    dept.course("crs_1", {1: 3, 3: 2}, minutes=20)
    sid = dept.attempt("u1", "crs_1", seconds=900)
    assert dept.held() == {"u1": {comp(1): 3, comp(3): 2}}
    row = dept.store.passbook.completion(dept.org_id, sid)
    assert (row["flagged"], row["seconds"], row["expected_seconds"], row["item_id"]) == (
        False, 900.0, 1200.0, "crs_1")
    evidence = dept.store.passbook.evidence(dept.org_id, "u1")
    assert {(e["kind"], e["source"], e["statement_id"], e["withheld"]) for e in evidence} == {
        ("completion", "item:crs_1", sid, False)}


def test_a_completion_too_fast_is_flagged_and_withheld(dept: Department) -> None:
    dept.course("crs_1", {1: 3}, minutes=20)
    sid = dept.attempt("u1", "crs_1", seconds=20)  # 20 s of a 20-minute course
    assert dept.held() == {}
    assert [c["statement_id"] for c in dept.store.passbook.flagged(dept.org_id)] == [sid]
    assert [e["withheld"] for e in dept.store.passbook.evidence(dept.org_id, "u1")] == [True]
    # a plan does not count it either: progress, not completion
    learner = {"learner_id": "u1", "home_page": "http://hub.test"}
    assert item_state(dept.store, dept.org_id, learner, iri("crs_1")) == "in-progress"
    # a later honest attempt counts, and the plan sees it
    dept.attempt("u1", "crs_1", seconds=1500)
    assert dept.held() == {"u1": {comp(1): 3}}
    assert item_state(dept.store, dept.org_id, learner, iri("crs_1")) == "completed"


def test_the_ratio_is_a_setting(app: Any, tenants: Any, client: Any, monkeypatch: Any
                                ) -> None:
    from dataclasses import replace

    app.extensions["hub.config"] = replace(app.extensions["hub.config"],
                                           integrity_min_ratio=0.5)
    dept = Department(app, tenants, client)
    dept.course("crs_1", {1: 3}, minutes=20)
    dept.attempt("u1", "crs_1", seconds=500)  # 42 %: fine at 10 %, flagged at 50 %
    assert dept.held() == {}


def test_without_durations_time_runs_from_launch_to_completion(dept: Department) -> None:
    dept.course("crs_1", {1: 2}, minutes=20)
    dept.course("crs_2", {2: 1}, minutes=20)
    for item, seconds in (("crs_1", 600), ("crs_2", 30)):
        reg = str(uuid.uuid4())
        dept.post(statement("u1", "launched", item, registration=reg),
                  statement("u1", "completed", item, registration=reg, when=at(seconds)))
    assert dept.held() == {"u1": {comp(1): 2}}
    flagged = dept.store.passbook.flagged(dept.org_id)
    assert [(c["item_id"], c["seconds"]) for c in flagged] == [("crs_2", 30.0)]
    # no registration: the learner's statements of the same activity
    dept.course("crs_3", {3: 1}, minutes=20)
    dept.post(statement("u2", "launched", "crs_3"),
              statement("u2", "completed", "crs_3", when=at(20)))
    assert "u2" not in dept.held()
    # a timestamp without an offset is UTC (and never breaks the batch it arrived in)
    reg = str(uuid.uuid4())
    dept.post(statement("u4", "launched", "crs_3", registration=reg,
                        when="2026-11-02T09:00:00"),
              statement("u4", "completed", "crs_3", registration=reg,
                        when="2026-11-02T14:30:00+05:30"))  # 09:00 UTC: no time at all
    assert "u4" not in dept.held()
    # nothing recorded at all: not measured, not flagged
    dept.post(statement("u3", "completed", "crs_3"))
    assert dept.held()["u3"] == {comp(3): 1}


def test_only_catalogue_items_tags_and_learners_count(dept: Department) -> None:
    dept.course("crs_plain", {}, minutes=20)
    dept.course("crs_1", {1: 2}, minutes=20)
    sid = dept.attempt("u1", "crs_plain", seconds=900)
    assert dept.store.passbook.completion(dept.org_id, sid)["flagged"] is False
    other = statement("u1", "completed", "crs_1")
    other["object"]["id"] = "https://elsewhere.example/catalogue/courses/crs_1"
    group = statement("u1", "completed", "crs_1")
    group["actor"] = {"objectType": "Group", "account": {"homePage": "http://hub.test",
                                                         "name": "team"}, "member": []}
    dept.post(other, group, statement("u1", "experienced", "crs_1"),
              statement("u1", "completed", "crs_missing"))
    assert dept.held() == {}
    # a retired item (no live version) earns nothing
    dept.course("crs_old", {1: 4}, state="retired")
    dept.post(statement("u1", "completed", "crs_old"))
    assert dept.held() == {}


def test_pass_and_completion_of_one_item_are_one_piece_of_evidence(dept: Department) -> None:
    dept.course("crs_1", {1: 3}, minutes=20)
    reg = str(uuid.uuid4())
    dept.attempt("u1", "crs_1", seconds=900, registration=reg)
    dept.attempt("u1", "crs_1", seconds=900, verb="passed", registration=reg)
    rows = dept.store.passbook.evidence(dept.org_id, "u1")
    assert [(r["kind"], r["source"]) for r in rows] == [("pass", "item:crs_1")]


def test_a_program_earns_its_target_competencies(dept: Department) -> None:
    dept.course("prg_1", {5: 4}, minutes=60, category="program")
    dept.attempt("u1", "prg_1", seconds=3000)
    assert dept.held() == {"u1": {comp(5): 4}}


def test_a_republished_item_applies_its_new_tags_to_later_completions(dept: Department
                                                                      ) -> None:
    dept.course("crs_1", {1: 2}, minutes=20)
    dept.attempt("u1", "crs_1", seconds=900)
    course = dept.store.courses.get("crs_1")
    course["live"]["competencies"] = [dict(course["live"]["competencies"][0], level=4),
                                      {**course["live"]["competencies"][0], "id": comp(3),
                                       "level": 1}]
    dept.store.courses.replace(course, course["row_version"])
    dept.attempt("u2", "crs_1", seconds=900)
    assert dept.held() == {"u1": {comp(1): 2}, "u2": {comp(1): 4, comp(3): 1}}


def test_evidence_and_acceptance_verbs_count_only_from_the_hub(dept: Department) -> None:
    dept.course("crs_1", {1: 3}, minutes=20)
    sid = dept.attempt("u1", "crs_1", seconds=20)
    forged = statement("u1", "completed", "crs_1")
    forged["verb"] = {"id": EVIDENCED}
    forged["object"] = {"objectType": "Activity", "id": "https://karmayogi.example/x"}
    forged["result"] = {"extensions": {EVIDENCE_EXT: {
        "kind": "certificate", "competency": comp(2), "level": 3, "id": "c1"}}}
    accept = statement("rev", "completed", "crs_1")
    accept["verb"] = {"id": ACCEPTED}
    accept["object"] = {"objectType": "StatementRef", "id": sid}
    dept.post(forged, accept)
    assert dept.held() == {}
    assert dept.store.passbook.completion(dept.org_id, sid)["accepted"] is None


def test_another_organisations_statements_stay_in_its_passbook(app: Any, tenants: Any,
                                                                client: Any) -> None:
    one = Department(app, tenants, client, "Dept One")
    two = Department(app, tenants, client, "Dept Two", framework=False)
    one.course("crs_1", {1: 3}, minutes=20)
    two.attempt("u1", "crs_1", seconds=900)
    assert one.held() == {} and two.held() == {"u1": {comp(1): 3}}


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT20S", 20.0), ("PT1H2M3.5S", 3723.5), ("P1DT1S", 86401.0), ("PT0,5M", 30.0),
    ("P1W", 604800.0), ("PT", None), ("P", None), ("20S", None), (None, None), ("PT1H1", None)])
def test_iso_8601_durations(text: Any, seconds: float | None) -> None:
    assert duration_seconds(text) == seconds
