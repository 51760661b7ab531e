"""What a launch remembers for pass-back, and completions stored in the LRS becoming outbox
scores once, inside the ingest write (real LRS over the hub's own POST /xapi/statements)."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest

from lti import tool_services
from lti.tool_services import remember_launch, score_for
from tests.conftest import Tenants
from tests.lti.services_support import SCOPES, add_registration, completion, tool_launch

VERSION = {"X-Experience-API-Version": "1.0.3"}
LINEITEMS = "https://lms.example.org/ctx-1/lineitems"


@pytest.fixture
def lms(app: Any, tenants: Tenants, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An LMS organisation with a platform registration and an LRS writer; no sender thread
    (these tests look at the outbox, not at the LMS)."""
    import dataclasses

    config = app.extensions["hub.config"]
    app.extensions["hub.config"] = dataclasses.replace(config, lti_score_worker=False)
    writer = tenants.make("District LMS", "lms", ("lrs-writer",))
    store = app.extensions["hub.store"]
    return {"writer": writer, "store": store,
            "registration": add_registration(store, writer["org"]["id"])}


def post(client: Any, headers: dict[str, str], *statements: dict[str, Any]) -> Any:
    resp = client.post("/xapi/statements", data=orjson.dumps(list(statements)),
                       headers={**headers, **VERSION, "Content-Type": "application/json"})
    assert resp.status_code == 200, resp.get_json()
    return resp


def ags(**extra: Any) -> dict[str, Any]:
    return {"scope": SCOPES, "lineitems": LINEITEMS, **extra}


def test_a_completion_of_a_launched_course_is_enqueued_once(client: Any, lms: dict[str, Any]
                                                            ) -> None:
    store = lms["store"]
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))
    done = completion("lrn_1", score={"scaled": 0.8})
    post(client, lms["writer"]["headers"], done,
         completion("lrn_1", verb="experienced"),  # not a completion: ignored
         completion("lrn_2"),  # a learner no LMS launched
         completion("lrn_1", course_id="course-2"))  # a course not launched
    entries = store.lti_grades.entries()
    assert len(entries) == 1
    entry = entries[0]
    assert entry["statement_id"] == done["id"]
    assert entry["org_id"] == lms["writer"]["org"]["id"]
    assert entry["score"] == {"userId": "lms-user-1", "scoreGiven": 80.0, "scoreMaximum": 100.0,
                              "activityProgress": "Completed",
                              "gradingProgress": "FullyGraded",
                              "timestamp": "2026-11-30T10:00:00.000Z"}
    post(client, lms["writer"]["headers"], done)  # the same statement again: no new entry
    assert len(store.lti_grades.entries()) == 1


def test_another_organisations_statement_enqueues_nothing(client: Any, lms: dict[str, Any],
                                                          tenants: Tenants) -> None:
    remember_launch(lms["store"], tool_launch(lms["registration"], ags=ags()))
    other = tenants.make("Other LMS", "lms", ("lrs-writer",))
    post(client, other["headers"], completion("lrn_1"))
    assert lms["store"].lti_grades.entries() == []


def test_each_launched_link_gets_the_completion(client: Any, lms: dict[str, Any]) -> None:
    store = lms["store"]
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))
    remember_launch(store, tool_launch(lms["registration"], ags=ags(), resource_link_id="rl-2"))
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))  # same link again
    post(client, lms["writer"]["headers"], completion("lrn_1", verb="passed"))
    assert len({e["target_id"] for e in store.lti_grades.entries()}) == 2


def test_a_batch_sends_each_target_one_score_the_final_one(client: Any,
                                                          lms: dict[str, Any]) -> None:
    """A provider tool's one AGS score is three statements at one instant (scored in progress,
    completed, passed): the LMS gets one score, the completed one, not three with the same
    timestamp of which it might keep the first (AGS 2.0 §3.4.1.1)."""
    store = lms["store"]
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))
    scored = completion("lrn_1", verb="scored", score={"scaled": 0.8})
    passed = completion("lrn_1", verb="passed", score={"scaled": 0.8})
    post(client, lms["writer"]["headers"], scored,
         completion("lrn_1", verb="completed", score={"scaled": 0.8}), passed)
    (entry,) = store.lti_grades.entries()
    assert entry["statement_id"] == passed["id"]
    assert entry["score"]["activityProgress"] == "Completed"
    # in a batch of one target's results at different instants, the latest is the final one
    earlier = completion("lrn_1", verb="failed", timestamp="2026-11-30T11:00:00+05:30")
    later = completion("lrn_1", verb="scored", score={"scaled": 0.4},
                       timestamp="2026-11-30T06:00:00.000Z")  # 30 minutes after `earlier`
    post(client, lms["writer"]["headers"], later, earlier)
    assert [e["statement_id"] for e in store.lti_grades.entries()] == [passed["id"], later["id"]]
    # and another target of the same batch still gets its own entry
    remember_launch(store, tool_launch(lms["registration"], ags=ags(), resource_link_id="rl-2"))
    post(client, lms["writer"]["headers"], completion("lrn_1", verb="completed"),
         completion("lrn_1", verb="passed"))
    assert len(store.lti_grades.entries()) == 4


@pytest.mark.parametrize("launch_kw", [
    {"ags": None},  # the LMS offered no grade pass-back
    {"ags": {"scope": [SCOPES[0]], "lineitems": LINEITEMS}},  # no score scope
    {"ags": {"scope": SCOPES}},  # neither lineitem nor lineitems
    {"ags": {"scope": SCOPES, "lineitems": LINEITEMS}, "course_id": None},
    {"ags": {"scope": SCOPES, "lineitems": LINEITEMS}, "message_type": "LtiDeepLinkingRequest"},
], ids=["no-ags", "no-score-scope", "no-lineitems", "no-course", "deep-linking"])
def test_launches_that_offer_no_pass_back_remember_nothing(client: Any, lms: dict[str, Any],
                                                           launch_kw: dict[str, Any]) -> None:
    remember_launch(lms["store"], tool_launch(lms["registration"], **launch_kw))
    post(client, lms["writer"]["headers"], completion("lrn_1"))
    assert lms["store"].lti_grades.entries() == []


def test_the_nrps_claim_is_remembered_per_context(lms: dict[str, Any]) -> None:
    store, registration = lms["store"], lms["registration"]
    remember_launch(store, tool_launch(registration, nrps={
        "context_memberships_url": "https://lms.example.org/ctx-1/members",
        "service_versions": ["2.0"]}))
    got = store.lti_grades.get_context(registration["id"], "ctx-1")
    assert (got["memberships_url"], got["title"], got["org_id"]) == (
        "https://lms.example.org/ctx-1/members", "Induction 2026", registration["org_id"])
    assert store.lti_grades.get_context(registration["id"], "ctx-2") is None


def test_a_failing_listener_stores_no_statement(client: Any, lms: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox row commits with the statements or neither does (no partial write)."""
    if not lms["store"].__class__.__name__.startswith("Sqlite"):
        pytest.skip("MongoDB writes without multi-document transactions (Store.write)")
    remember_launch(lms["store"], tool_launch(lms["registration"], ags=ags()))

    def broken(entries: list[dict[str, Any]]) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(lms["store"].lti_grades, "enqueue", broken)
    done = completion("lrn_1")
    resp = client.post("/xapi/statements", data=orjson.dumps([done]),
                       headers={**lms["writer"]["headers"], **VERSION,
                                "Content-Type": "application/json"})
    assert resp.status_code == 500
    assert lms["store"].statements.get(done["id"], lms["writer"]["org"]["id"]) is None


@pytest.mark.parametrize(("verb", "score", "expected"), [
    ("completed", None, (100.0, 100.0)),  # a completion without a score is full marks
    ("passed", None, (100.0, 100.0)),
    ("failed", None, (0.0, 100.0)),
    ("failed", {"scaled": 0.35}, (35.0, 100.0)),
    ("scored", {"raw": 7, "min": 2, "max": 12}, (5.0, 10.0)),
    ("scored", {"raw": 7, "max": 10}, (7.0, 10.0)),
    ("completed", {"scaled": -0.5}, (0.0, 100.0)),  # AGS scores are not negative
    ("passed", {"raw": 3, "min": 5, "max": 5}, (100.0, 100.0)),  # an empty range: no score
    ("https://w3id.org/xapi/adl/verbs/satisfied", None, (100.0, 100.0)),
])
def test_score_for(verb: str, score: dict[str, Any] | None,
                   expected: tuple[float, float]) -> None:
    got = score_for(completion("lrn_1", verb=verb, score=score), "u-1")
    assert got is not None
    assert (got["scoreGiven"], got["scoreMaximum"], got["userId"]) == (*expected, "u-1")


def test_a_score_on_the_way_is_in_progress() -> None:
    scored = completion("lrn_1", verb="scored", score={"scaled": 0.5})
    assert score_for(scored, "u-1")["activityProgress"] == "InProgress"  # type: ignore[index]
    scored["result"]["completion"] = True
    assert score_for(scored, "u-1")["activityProgress"] == "Completed"  # type: ignore[index]


@pytest.mark.parametrize(("grading", "score", "expected"), [
    ("PendingManual", None, ("PendingManual", None)),  # done, not graded: no full marks
    ("Pending", {"scaled": 0.4}, ("Pending", 40.0)),  # a provisional score stays provisional
    ("FullyGraded", None, ("FullyGraded", 100.0)),
    ("Bogus", None, ("FullyGraded", 100.0)),  # not an AGS value: as if absent
])
def test_a_provider_tools_grading_progress_goes_back_as_it_was(
        grading: str, score: dict[str, Any] | None, expected: tuple[str, float | None]) -> None:
    """A statement recording a provider tool's AGS score carries its gradingProgress; the LMS
    gets that, and a completion the tool has not graded yet goes without scoreGiven."""
    from lti.xapi_bridge import GRADING_PROGRESS_EXTENSION

    stmt = completion("lrn_1", score=score)
    stmt.setdefault("result", {})["extensions"] = {GRADING_PROGRESS_EXTENSION: grading}
    got = score_for(stmt, "u-1")
    assert got is not None
    assert (got["gradingProgress"], got.get("scoreGiven")) == expected
    assert got["activityProgress"] == "Completed"
    assert ("scoreMaximum" in got) == (expected[1] is not None)


def test_a_scored_statement_without_a_score_is_not_sent() -> None:
    assert score_for(completion("lrn_1", verb="scored"), "u-1") is None
    assert score_for(completion("lrn_1", verb="scored", score={"raw": 3}), "u-1") is None


def test_the_listener_looks_up_nothing_for_other_verbs(lms: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest must not slow down: a batch without a completion costs no store lookup."""
    calls: list[Any] = []
    monkeypatch.setattr(lms["store"].lti_grades, "targets", lambda *a: calls.append(a) or [])
    tool_services.enqueue_scores(lms["store"], "org", [completion("l", verb="experienced")] * 50)
    assert calls == []
    tool_services.enqueue_scores(lms["store"], "org", [completion("l")])
    assert len(calls) == 1


def test_a_score_the_bridge_records_is_passed_back(app: Any, lms: dict[str, Any]) -> None:
    """The platform side records a provider tool's AGS score through the bridge: when an LMS
    launched that learner and course through the tool side, the score goes on to the LMS."""
    from lti.xapi_bridge import record, result_statement

    store = lms["store"]
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))
    stmt = result_statement("passed", "http://hub.test", learner_id="lrn_1",
                            course_id="course-1", registration=str(uuid.uuid4()),
                            score_given=9, score_maximum=10)
    with app.app_context():
        record(store, app.extensions["hub.blobs"], "http://hub.test",
               lms["writer"]["org"]["id"], [stmt])
    (entry,) = store.lti_grades.entries()
    assert (entry["statement_id"], entry["score"]["scoreGiven"]) == (stmt["id"], 90.0)


def test_an_lms_url_inwards_is_refused_by_the_guard_and_retried(app: Any, client: Any,
                                                                lms: dict[str, Any],
                                                                runner: Any) -> None:
    """Every LMS URL goes through the guarded outbound client: a token URL on an internal
    address (not allow-listed in this app) is never fetched; the score waits with the error."""
    store = lms["store"]
    store.lti_platforms.update(lms["registration"]["id"],
                               {"auth_token_url": "http://127.0.0.1:9/token"})
    remember_launch(store, tool_launch(lms["registration"], ags=ags()))
    post(client, lms["writer"]["headers"], completion("lrn_1"))
    result = runner.invoke(args=["lti", "send-scores", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 0, retrying 1, dead 0" in result.output
    (entry,) = store.lti_grades.entries()
    assert (entry["status"], entry["attempts"]) == ("pending", 1)
    assert "refused" in entry["last_error"]
