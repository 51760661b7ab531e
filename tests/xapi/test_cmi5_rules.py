"""The cmi5 statement rules in the LRS (cmi5 §9), on both stores: a full AU session is
accepted; each broken rule is refused with 403 naming it, and nothing of the batch is stored;
"cmi5 allowed" statements and statements of no cmi5 launch pass untouched."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.conftest import Tenants
from tests.xapi.cmi5_support import (
    AU_QUIZ,
    COMPLETED,
    FAILED,
    MASTERY_EXTENSION,
    PASSED,
    TERMINATED,
    VERSION,
    Launched,
    fetch,
    launch,
    statement,
)
from xapi.cmi5_vocabulary import MOVEON_CATEGORY, SESSION_ID


@pytest.fixture
def lms(tenants: Tenants) -> dict[str, Any]:
    """The launching LMS's organisation, with a reader and a writer credential."""
    return tenants.make("State LMS", "lms", ("lrs-reader", "lrs-writer"))


@pytest.fixture
def au(app: Any, client: Any, lms: dict[str, Any]) -> Launched:
    """A launched AU with its token."""
    return fetch(client, launch(app, lms["org"]["id"]))


def post(client: Any, launched: Launched, body: Any) -> Any:
    """POST statements with the AU's token."""
    return client.post("/xapi/statements", data=orjson.dumps(body),
                       content_type="application/json", headers=launched.headers())


def verbs(client: Any, lms: dict[str, Any], registration: str) -> list[str]:
    """The verbs stored for a registration, oldest first (read by the LMS's reader)."""
    resp = client.get(f"/xapi/statements?registration={registration}&ascending=true",
                      headers={**lms["headers"], **VERSION})
    assert resp.status_code == 200
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in resp.get_json()["statements"]]


def test_full_session_launched_initialized_completed_passed_terminated(
        client: Any, au: Launched, lms: dict[str, Any]) -> None:
    for verb, result in (("initialized", None), ("completed", COMPLETED),
                         ("passed", PASSED), ("terminated", TERMINATED)):
        resp = post(client, au, statement(au, verb, result))
        assert resp.status_code == 200, resp.get_data(as_text=True)
    assert verbs(client, lms, au.registration) == [
        "launched", "initialized", "completed", "passed", "terminated"]


def test_a_whole_session_in_one_batch(client: Any, au: Launched, lms: dict[str, Any]) -> None:
    batch = [statement(au, "initialized"), statement(au, "failed", FAILED),
             statement(au, "terminated", TERMINATED)]
    assert post(client, au, batch).status_code == 200
    assert verbs(client, lms, au.registration)[-3:] == ["initialized", "failed", "terminated"]


def test_passed_without_a_score_is_allowed_even_with_a_mastery_score(
        client: Any, au: Launched) -> None:
    # cmi5 §9.3.4: the score is held to the masteryScore "if the statement contains" one.
    assert post(client, au, statement(au, "initialized")).status_code == 200
    unscored = {k: v for k, v in PASSED.items() if k != "score"}
    resp = post(client, au, statement(au, "passed", unscored))
    assert resp.status_code == 200, resp.get_data(as_text=True)


def test_initialized_before_reading_the_preferences_is_refused(
        app: Any, client: Any, lms: dict[str, Any]) -> None:
    # cmi5 §11: the AU reads cmi5LearnerPreferences before it sends initialized.
    early = fetch(client, launch(app, lms["org"]["id"]), preferences=False)
    resp = post(client, early, statement(early, "initialized"))
    assert resp.status_code == 403 and "§11" in resp.get_data(as_text=True)


def test_a_retried_statement_is_not_a_duplicate(client: Any, au: Launched) -> None:
    first = statement(au, "initialized")
    assert post(client, au, first).status_code == 200
    assert post(client, au, first).status_code == 200  # the same statement again: no rule


def _results(name: str) -> dict[str, Any]:
    return {"passed": PASSED, "failed": FAILED, "completed": COMPLETED,
            "terminated": TERMINATED}.get(name, {})


#: (case, verbs already accepted in the session, the refused statement's verb, its result
#: or None for the verb's usual one, a change to it, the field the 403 names, words of the rule)
CASES: list[tuple[str, list[str], str, Any, dict[str, Any], str, str]] = [
    ("completed before initialized", [], "completed", None, {}, "verb", "§9.3.2"),
    ("initialized twice", ["initialized"], "initialized", None, {}, "verb", "§9.3.2"),
    ("initialized after another statement", ["initialized", "completed"], "initialized",
     None, {}, "verb", "first"),
    ("a statement after terminated", ["initialized", "terminated"], "completed", None, {},
     "verb", "§9.3.8"),
    ("passed below the mastery score", ["initialized"], "passed",
     {"success": True, "score": {"scaled": 0.5}}, {}, "result.score.scaled", "§9.3.4"),
    ("failed at the mastery score", ["initialized"], "failed",
     {"success": False, "score": {"scaled": 0.8}}, {}, "result.score.scaled", "§9.3.5"),
    ("passed with a raw score and no min", ["initialized"], "passed",
     {"success": True, "score": {"scaled": 0.9, "raw": 9, "max": 10}, "duration": "PT1M"},
     {}, "result.score.min", "§9.5.1"),
    ("passed and failed in one session", ["initialized", "failed"], "passed", None, {},
     "verb", "per session"),
    ("completed without completion true", ["initialized"], "completed",
     {"completion": False}, {}, "result.completion", "§9.5.3"),
    ("passed with success false", ["initialized"], "passed",
     {"success": False, "score": {"scaled": 0.9}}, {}, "result.success", "§9.5.2"),
    ("failed with success true", ["initialized"], "failed",
     {"success": True, "score": {"scaled": 0.1}}, {}, "result.success", "§9.5.2"),
    ("terminated without a duration", ["initialized"], "terminated", {}, {},
     "result.duration", "§9.5.4.1"),
    ("completed without a duration", ["initialized"], "completed", {"completion": True}, {},
     "result.duration", "§9.5.4.1"),
    ("initialized with a score", [], "initialized", {"score": {"scaled": 0.5}}, {},
     "result.score", "§9.5.1"),
    ("terminated with success", ["initialized"], "terminated",
     {"success": True, "duration": "PT1M"}, {}, "result.success", "§9.5.2"),
    ("an LMS verb from the AU: waived", ["initialized"], "waived", {}, {}, "verb",
     "LMS verb"),
    ("an LMS verb from the AU: satisfied", ["initialized"], "satisfied", {}, {}, "verb",
     "LMS verb"),
    ("an LMS verb from the AU: abandoned", ["initialized"], "abandoned", {}, {}, "verb",
     "LMS verb"),
]


@pytest.mark.parametrize(("case", "before", "verb", "result", "change", "field", "rule"),
                         CASES, ids=[c[0] for c in CASES])
def test_a_broken_rule_is_refused_with_403_and_the_batch_stores_nothing(
        client: Any, au: Launched, lms: dict[str, Any], case: str, before: list[str],
        verb: str, result: Any, change: dict[str, Any], field: str, rule: str) -> None:
    for name in before:
        assert post(client, au, statement(au, name, _results(name))).status_code == 200
    stored = verbs(client, lms, au.registration)
    # A statement first that passes on its own: "cmi5 allowed" inside the session (§9.3.0),
    # else one of another learner's AU that this test does not judge: an LMS's.
    bad = statement(au, verb, _results(verb) if result is None else result, **change)
    if "initialized" in before and "terminated" not in before:
        batch = [statement(au, "http://adlnet.gov/expapi/verbs/progressed", cmi5=False), bad]
        resp, at = post(client, au, batch), 1
    else:
        resp, at = post(client, au, [bad]), 0
    assert resp.status_code == 403, resp.get_data(as_text=True)
    problem = resp.get_json()
    assert f"{at}.{field}" in problem["errors"], problem
    assert rule in " ".join(problem["errors"][f"{at}.{field}"]), problem
    assert verbs(client, lms, au.registration) == stored  # nothing of the batch


def test_a_scored_judgement_carries_the_mastery_score(client: Any, au: Launched) -> None:
    # cmi5 §9.6.3.2: with a masteryScore in LaunchData, a scored passed names it in context.
    assert post(client, au, statement(au, "initialized")).status_code == 200
    bare = statement(au, "passed", PASSED)
    del bare["context"]["extensions"][MASTERY_EXTENSION]
    resp = post(client, au, bare)
    assert resp.status_code == 403 and "§9.6.3.2" in resp.get_data(as_text=True)
    assert post(client, au, statement(au, "passed", PASSED)).status_code == 200


def test_allowed_statements_only_inside_the_session(client: Any, au: Launched) -> None:
    # cmi5 §9.3.0: an AU's "cmi5 allowed" statements come between initialized and terminated.
    allowed = "http://adlnet.gov/expapi/verbs/experienced"
    assert post(client, au, statement(au, allowed, cmi5=False)).status_code == 403
    inside = [statement(au, "initialized"), statement(au, allowed, cmi5=False)]
    assert post(client, au, inside).status_code == 200  # initialized earlier in the batch
    assert post(client, au, statement(au, "terminated", TERMINATED)).status_code == 200
    moveon = statement(au, allowed, cmi5=False)
    moveon["context"]["contextActivities"]["category"] = [{"id": MOVEON_CATEGORY}]
    assert post(client, au, moveon).status_code == 403  # §9.6.2.2: defined statements only
    sessionless = statement(au, allowed, cmi5=False)
    del sessionless["context"]["extensions"][SESSION_ID]
    assert post(client, au, sessionless).status_code == 403  # §9.6.3.1
    after = post(client, au, statement(au, allowed, cmi5=False))
    assert after.status_code == 403 and "§9.3.0" in after.get_data(as_text=True)


def test_required_context(client: Any, au: Launched, lms: dict[str, Any]) -> None:
    assert post(client, au, statement(au, "initialized")).status_code == 200
    no_session = statement(au, "completed", COMPLETED)
    del no_session["context"]["extensions"][SESSION_ID]
    other_session = statement(au, "completed", COMPLETED)
    other_session["context"]["extensions"][SESSION_ID] = "another-session"
    no_registration = statement(au, "completed", COMPLETED)
    del no_registration["context"]["registration"]
    group = statement(au, "completed", COMPLETED,
                      actor={"objectType": "Group", "account": au.actor["account"]})
    for bad, field in ((no_session, "context.extensions"), (other_session,
                                                            "context.extensions"),
                       (no_registration, "context.registration"), (group, "actor")):
        resp = post(client, au, bad)
        assert resp.status_code == 403, resp.get_data(as_text=True)
        assert f"0.{field}" in resp.get_json()["errors"]
    assert verbs(client, lms, au.registration) == ["launched", "initialized"]


def test_once_per_registration_across_sessions(app: Any, client: Any,
                                               lms: dict[str, Any]) -> None:
    first = fetch(client, launch(app, lms["org"]["id"]))
    for verb in ("initialized", "completed", "passed", "terminated"):
        assert post(client, first, statement(first, verb, _results(verb))).status_code == 200
    again = fetch(client, launch(app, lms["org"]["id"]))  # the same registration, new session
    assert again.registration == first.registration and again.session != first.session
    assert post(client, again, statement(again, "initialized")).status_code == 200
    for verb, rule in (("completed", "§9.3.3"), ("passed", "§9.3.4"),
                       ("failed", "no failed after passed")):
        resp = post(client, again, statement(again, verb, _results(verb)))
        assert resp.status_code == 403 and rule in resp.get_data(as_text=True), verb
    assert post(client, again, statement(again, "terminated", TERMINATED)).status_code == 200


def test_failed_then_passed_in_a_later_session_is_allowed(app: Any, client: Any,
                                                          lms: dict[str, Any]) -> None:
    first = fetch(client, launch(app, lms["org"]["id"]))
    for verb in ("initialized", "failed", "terminated"):
        assert post(client, first, statement(first, verb, _results(verb))).status_code == 200
    again = fetch(client, launch(app, lms["org"]["id"]))
    for verb in ("initialized", "passed", "terminated"):
        assert post(client, again, statement(again, verb, _results(verb))).status_code == 200


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_no_judgement_in_browse_or_review_mode(app: Any, client: Any, lms: dict[str, Any],
                                               mode: str) -> None:
    au = fetch(client, launch(app, lms["org"]["id"], launch_mode=mode))
    assert post(client, au, statement(au, "initialized")).status_code == 200
    for verb in ("completed", "passed", "failed"):
        resp = post(client, au, statement(au, verb, _results(verb)))
        assert resp.status_code == 403 and "§10.2.2" in resp.get_data(as_text=True)
    assert post(client, au, statement(au, "terminated", TERMINATED)).status_code == 200


def test_allowed_statements_pass_untouched(client: Any, au: Launched,
                                           lms: dict[str, Any]) -> None:
    # cmi5 §9.3: "cmi5 allowed" statements (no cmi5 category) are not held to the cmi5
    # defined statements' rules: only to come inside the AU's session (§9.3.0).
    assert post(client, au, statement(au, "initialized")).status_code == 200
    allowed = statement(au, "http://adlnet.gov/expapi/verbs/experienced", cmi5=False,
                        result={"score": {"scaled": 0.1}, "completion": False})
    assert post(client, au, allowed).status_code == 200
    assert verbs(client, lms, au.registration) == ["launched", "initialized", "experienced"]


def test_statements_of_no_cmi5_launch_pass_untouched(client: Any, au: Launched,
                                                     lms: dict[str, Any]) -> None:
    # A writer's cmi5 category statement about a registration without LaunchData.
    stray = statement(au, "completed", COMPLETED,
                      object={"objectType": "Activity", "id": AU_QUIZ["id"] + "/elsewhere"})
    resp = client.post("/xapi/statements", data=orjson.dumps(stray),
                       content_type="application/json", headers={**lms["headers"], **VERSION})
    assert resp.status_code == 200, resp.get_data(as_text=True)


def test_an_lms_writer_is_held_to_the_rules_of_a_launch(client: Any, au: Launched,
                                                        lms: dict[str, Any]) -> None:
    # Not only the AU's token: any writer's cmi5 defined statement for a launched registration.
    resp = client.post("/xapi/statements",
                       data=orjson.dumps(statement(au, "completed", COMPLETED)),
                       content_type="application/json", headers={**lms["headers"], **VERSION})
    assert resp.status_code == 403 and "§9.3.2" in resp.get_data(as_text=True)


def test_the_moveon_category_goes_with_success_or_completion(client: Any, au: Launched) -> None:
    assert post(client, au, statement(au, "initialized")).status_code == 200
    without = statement(au, "completed", COMPLETED)
    without["context"]["contextActivities"]["category"].pop()  # the moveOn category
    resp = post(client, au, without)
    assert resp.status_code == 403 and "§9.6.2.2" in resp.get_data(as_text=True)
    extra = statement(au, "terminated", TERMINATED)
    extra["context"]["contextActivities"]["category"].append(
        {"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"})
    resp = post(client, au, extra)
    assert resp.status_code == 403 and "§9.6.2.2" in resp.get_data(as_text=True)
    assert post(client, au, statement(au, "completed", COMPLETED)).status_code == 200


def test_au_progress_is_what_satisfaction_builds_on(app: Any, client: Any, au: Launched,
                                                    lms: dict[str, Any]) -> None:
    from xapi.cmi5_rules import au_progress

    for verb in ("initialized", "completed", "passed", "terminated"):
        assert post(client, au, statement(au, verb, _results(verb))).status_code == 200
    again = fetch(client, launch(app, lms["org"]["id"]))
    assert post(client, again, statement(again, "initialized")).status_code == 200
    progress = au_progress(app.extensions["hub.store"], lms["org"]["id"], au.registration,
                           au.activity_id)
    assert (progress.completed, progress.passed, progress.failed) == (True, True, False)
    assert progress.sessions[au.session].terminated
    assert progress.sessions[again.session].initialized
    assert not progress.sessions[again.session].terminated  # open: abandoned later, maybe
