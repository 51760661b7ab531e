"""``hub passbook rebuild``: dropped and re-derived from the LRS, the passbook is the one live
ingest kept (issue 13 "rebuildable from scratch")."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hub.context import get_statement_sink
from marketplace.passbook_statements import acceptance_statement, evidence_statement
from tests.marketplace.passbook_support import Department, comp, statement


def view(store: Any, org_id: str, learners: list[str], completions: list[str]
         ) -> dict[str, Any]:
    """Everything the passbook holds for these learners and completions."""
    return {
        "evidence": {lid: store.passbook.evidence(org_id, lid) for lid in learners},
        "completions": {sid: store.passbook.completion(org_id, sid) for sid in completions},
        "flagged": store.passbook.flagged(org_id, pending_only=False),
        "held": store.passbook.held_levels(org_id),
    }


def live_history(app: Any, dept: Department) -> list[str]:
    """A department's history with every kind of evidence; returns its completion ids."""
    dept.course("crs_1", {1: 3, 3: 2}, minutes=20)
    dept.course("crs_2", {2: 2}, minutes=30)
    dept.course("prg_1", {5: 4}, minutes=60, category="program")
    ids = [dept.attempt("u1", "crs_1", seconds=900),
           dept.attempt("u1", "crs_2", seconds=40),  # flagged, then accepted below
           dept.attempt("u2", "crs_1", seconds=15),  # flagged, stays pending
           dept.attempt("u2", "crs_1", seconds=1300, verb="passed"),
           dept.attempt("u3", "prg_1", seconds=3000)]
    reg = str(uuid.uuid4())
    dept.post(statement("u4", "launched", "crs_2", registration=reg),
              statement("u4", "experienced", "crs_2", registration=reg),
              statement("u4", "completed", "crs_2", registration=reg,
                        when="2026-11-02T09:25:00.000Z", sid=(sid := str(uuid.uuid4()))))
    ids.append(sid)
    learner = {"learner_id": "u1", "home_page": "http://hub.test"}
    with app.test_request_context():
        sink = get_statement_sink()
        sink(dept.store, dept.org_id, [
            evidence_statement(learner, {"kind": "certificate", "competency": comp(4),
                                         "level": 2, "issuer": "NPTEL", "id": "C-1",
                                         "url": "https://nptel.example/c/1"},
                               dept.curator["key"], "http://hub.test"),
            evidence_statement(learner, {"kind": "self-declared", "competency": comp(6),
                                         "level": 3}, dept.curator["key"], "http://hub.test")])
        sink(dept.store, dept.org_id, [acceptance_statement(
            dept.store.passbook.completion(dept.org_id, ids[1]), dept.reviewer["key"],
            "http://hub.test")])
    return ids


def test_rebuild_gives_back_the_live_view(app: Any, tenants: Any, client: Any,
                                         runner: Any) -> None:
    dept = Department(app, tenants, client)
    ids = live_history(app, dept)
    learners = ["u1", "u2", "u3", "u4"]
    live = view(dept.store, dept.org_id, learners, ids)
    assert live["held"] == {"u1": {comp(1): 3, comp(3): 2, comp(2): 2, comp(4): 2},
                            "u2": {comp(1): 3, comp(3): 2}, "u3": {comp(5): 4},
                            "u4": {comp(2): 2}}
    assert [c["statement_id"] for c in dept.store.passbook.flagged(dept.org_id)] == [ids[2]]
    assert live["completions"][ids[1]]["accepted"]["by"] == dept.reviewer["key"]
    dept.store.passbook.clear()
    assert view(dept.store, dept.org_id, learners, ids)["held"] == {}
    result = runner.invoke(args=["passbook", "rebuild"])
    assert result.exit_code == 0, result.output
    # the completions, passes and the hub's statements only: 6 + 3, of 21 stored
    assert "from 9 statement(s)" in result.output
    assert view(dept.store, dept.org_id, learners, ids) == live


def test_rebuild_of_one_organisation_leaves_the_others(app: Any, tenants: Any, client: Any,
                                                      runner: Any) -> None:
    one = Department(app, tenants, client, "Dept One")
    two = Department(app, tenants, client, "Dept Two", framework=False)
    one.course("crs_1", {1: 3}, minutes=20)
    one.attempt("u1", "crs_1", seconds=900)
    two.attempt("u9", "crs_1", seconds=900)
    one.store.passbook.clear()
    result = runner.invoke(args=["passbook", "rebuild", "--org", two.org_id])
    assert result.exit_code == 0, result.output
    assert one.held() == {} and two.held() == {"u9": {comp(1): 3}}
    result = runner.invoke(args=["passbook", "rebuild", "--org", "org_nope"])
    assert result.exit_code == 1 and "no organisation" in result.output


@pytest.mark.parametrize("page", [1, 2])
def test_rebuild_pages_through_the_lrs(app: Any, tenants: Any, client: Any, page: int,
                                      monkeypatch: Any) -> None:
    from marketplace import passbook_rebuild

    monkeypatch.setattr(passbook_rebuild, "PAGE", page)
    dept = Department(app, tenants, client)
    ids = live_history(app, dept)
    live = view(dept.store, dept.org_id, ["u1", "u2", "u3", "u4"], ids)
    seen: list[int] = []
    with app.app_context():
        count = passbook_rebuild.rebuild(dept.store, "http://hub.test", 0.10,
                                         progress=seen.append)
    # progress counts pages of the verb queries (the acceptance also matches "completed" by its
    # StatementRef), the count the statements replayed once each
    assert count == 9 and sum(seen) == 10 and len(seen) >= 10 // page
    assert view(dept.store, dept.org_id, ["u1", "u2", "u3", "u4"], ids) == live


def void(dept: Department, statement_id: str) -> None:
    """Void a statement through the LRS (Data 2.3.2)."""
    dept.post({"actor": {"objectType": "Agent", "account": {"homePage": "http://hub.test",
                                                            "name": "admin"}},
               "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
               "object": {"objectType": "StatementRef", "id": statement_id}})


def test_a_voided_statement_takes_back_its_evidence_as_a_rebuild_would(
        app: Any, tenants: Any, client: Any, runner: Any) -> None:
    dept = Department(app, tenants, client)
    ids = live_history(app, dept)
    second = dept.attempt("u1", "crs_1", seconds=1000, verb="passed")  # same source, stronger
    accepted_again = dept.attempt("u1", "crs_2", seconds=1500)
    void(dept, second)  # the pass goes; the first completion of crs_1 is the evidence again
    void(dept, accepted_again)  # the accepted flagged completion is the evidence again
    void(dept, ids[4])  # u3's only completion of the program: nothing left
    cert = next(e for e in dept.store.passbook.evidence(dept.org_id, "u1")
                if e["kind"] == "certificate")
    void(dept, cert["statement_id"])
    learners, completions = ["u1", "u2", "u3", "u4"], [*ids, second, accepted_again]
    live = view(dept.store, dept.org_id, learners, completions)
    assert live["held"]["u1"] == {comp(1): 3, comp(3): 2, comp(2): 2}
    assert "u3" not in live["held"]
    kinds = {(e["source"], e["kind"], e["statement_id"]) for e in live["evidence"]["u1"]}
    assert ("item:crs_1", "completion", ids[0]) in kinds
    assert ("item:crs_2", "completion", ids[1]) in kinds
    assert live["completions"][second] is None and live["completions"][ids[1]]["accepted"]
    result = runner.invoke(args=["passbook", "rebuild"])
    assert result.exit_code == 0, result.output
    assert view(dept.store, dept.org_id, learners, completions) == live


def test_an_acceptance_before_or_after_a_later_completion_rebuilds_alike(
        app: Any, tenants: Any, client: Any, runner: Any) -> None:
    dept = Department(app, tenants, client)
    dept.course("crs_1", {1: 3}, minutes=20)
    reviewer = dept.reviewer
    for learner, accept_first in (("u1", True), ("u2", False)):
        flagged = dept.attempt(learner, "crs_1", seconds=20)
        if accept_first:
            call = client.post(f"/completions/{flagged}/accept", headers=reviewer["headers"])
            assert call.status_code == 200, call.get_json()
        dept.attempt(learner, "crs_1", seconds=1000)  # later, not flagged
        if not accept_first:
            call = client.post(f"/completions/{flagged}/accept", headers=reviewer["headers"])
            assert call.status_code == 200, call.get_json()
        # either way the accepted, earlier completion is the evidence of the source
        [row] = dept.store.passbook.evidence(dept.org_id, learner)
        assert (row["statement_id"], row["withheld"]) == (flagged, False)
    live = {lid: dept.store.passbook.evidence(dept.org_id, lid) for lid in ("u1", "u2")}
    assert runner.invoke(args=["passbook", "rebuild"]).exit_code == 0
    assert {lid: dept.store.passbook.evidence(dept.org_id, lid) for lid in ("u1", "u2")} == live
