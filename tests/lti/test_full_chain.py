"""The whole LTI chain over real HTTP, on every store adapter: an LMS (the development platform)
launches a catalogue course whose delivery is a provider's LTI tool (the development tool); the
hub validates the launch, records it in the LMS organisation's LRS and launches the tool as a
platform, offering its own AGS service; the tool posts a score to the hub; the hub turns it into
xAPI statements and passes it back to the LMS as an AGS score. Every party is a real server on
127.0.0.1, every token is signed and checked against a JWKS fetched over HTTP.

The parts are tested one by one elsewhere (``test_tool_launch_flow``, ``test_platform_roundtrip``,
``test_platform_services_roundtrip``, ``test_tool_services_http``); this test checks the wiring
between them: that what one part hands on is what the next one needs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lti import links
from lti.devpeers.browser import Browser
from lti.platform_launch import context_id_for
from lti.platform_services import AGS_CLAIM, SCOPE_SCORE
from lti.tool_side import attempt_registration
from lti.xapi_bridge import EXTENSIONS
from tests.lti.chain_fixtures import Chain, chain  # noqa: F401 (a fixture)
from tests.lti.devpeer_fixtures import dev_platform, dev_tool  # noqa: F401 (fixtures)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
VERB = "http://adlnet.gov/expapi/verbs/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def launch(chain: Chain) -> tuple[dict[str, Any], dict[str, Any], str]:  # noqa: F811
    """Run the LMS's launch in a browser; (the LMS's id_token claims, the tool's validated
    claims, the tool's launch id). Checks every hop."""
    hub, tool = chain.url, chain.tool
    with Browser() as browser:
        last = browser.run(chain.launch_url())
    assert last.status == 200 and "Dev tool launched" in last.body, last.body
    assert [(h.method, _path(h.url), h.status) for h in browser.hops] == [
        ("GET", links.tool_login_url(hub), 302),  # the LMS initiates the login at the hub
        ("GET", chain.lms.authorize_url, 200),  # the LMS's auto-posting id_token page
        ("POST", links.tool_launch_url(hub), 302),  # the hub validated it, launches onward
        ("GET", tool.login_url, 302),  # the tool's OIDC login initiation
        ("GET", links.platform_authorize_url(hub), 200),  # the hub's id_token page
        ("POST", tool.launch_url, 200)]  # the tool validated the hub's id_token
    assert chain.lms.received.all("refused") == [] and tool.received.all("refused") == []
    got = tool.received.last("launch")
    return chain.lms.received.last("authorize")["claims"], got["claims"], got["launch_id"]


def test_an_lms_launch_reaches_the_providers_tool_and_its_score_returns_to_the_lms(
        chain: Chain) -> None:  # noqa: F811
    hub, course_id, store = chain.url, chain.course_id, chain.store
    lms_org, tool_reg = chain.lms_org["org"]["id"], chain.tool_registration
    platform_reg = chain.platform_registration

    # 1. The LMS launches the course with an AGS line item: it expects a grade.
    lms_claims, tool_claims, launch_id = launch(chain)
    lms_ags = lms_claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert lms_ags["lineitem"] and SCOPE_SCORE in lms_ags["scope"]
    assert lms_claims[LTI + "target_link_uri"] == links.course_target_link(hub, course_id)

    # 2. The hub launched the tool for the LMS's learner, offering its own AGS service.
    learner_id = tool_claims["sub"]
    learner = store.learners.get(learner_id)
    assert (learner["issuer"], learner["subject"], learner["org_id"]) == (
        chain.lms.issuer, "dev-learner-1", lms_org)
    assert (tool_claims["iss"], tool_claims["aud"]) == (hub, tool_reg["client_id"])
    assert tool_claims[LTI + "deployment_id"] == tool_reg["deployment_id"]
    assert tool_claims[LTI + "target_link_uri"] == chain.tool.target_link_uri
    assert tool_claims[LTI + "resource_link"]["id"] == course_id
    assert tool_claims[LTI + "roles"] == [LEARNER]
    assert tool_claims["name"] == "Asha Learner"  # the LMS sent it; the hub passes it on
    context_id = context_id_for(lms_org, course_id, tool_reg["id"])
    assert tool_claims[LTI + "context"]["id"] == context_id
    tool_ags = tool_claims[AGS_CLAIM]
    assert tool_ags["lineitems"] == links.platform_lineitems_url(hub, context_id)
    assert tool_ags["lineitem"].startswith(tool_ags["lineitems"] + "/")
    assert SCOPE_SCORE in tool_ags["scope"]

    # Both launches are in the LMS organisation's LRS, one attempt (context.registration).
    reader = chain.reader(lms_org)
    attempt = attempt_registration(hub, platform_reg["id"], chain.lms.settings.deployment_id,
                                   chain.lms.settings.context["id"], "dev-link-1", learner_id)
    activity = links.course_activity_id(hub, course_id)
    answer = chain.statements(reader, verb=VERB + "launched")
    assert answer.status_code == 200, answer.get_json()
    launched = answer.get_json()["statements"]
    assert len(launched) == 2
    by_side = {next(k for k in (EXTENSIONS["platform_registration"],
                                EXTENSIONS["tool_registration"])
                    if k in s["context"]["extensions"]): s for s in launched}
    assert by_side[EXTENSIONS["platform_registration"]]["context"]["extensions"][
        EXTENSIONS["platform_registration"]] == platform_reg["id"]  # the LMS launched the hub
    assert by_side[EXTENSIONS["tool_registration"]]["context"]["extensions"][
        EXTENSIONS["tool_registration"]] == tool_reg["id"]  # the hub launched the tool
    for statement in launched:
        assert statement["actor"] == {"account": {"homePage": hub, "name": learner_id}}
        assert statement["object"]["id"] == activity
        assert statement["context"]["registration"] == attempt

    # 3. The tool posts a score to the hub's AGS endpoint (token by private_key_jwt).
    sent = chain.tool.post_score(launch_id, 8, 10, comment="Well done")
    assert (sent["status"], sent["lineitem"]) == (204, tool_ags["lineitem"])
    assert chain.tool.received.last("token_received")["status"] == 200

    # 4. The score is in the LRS as statements, for the same learner, course and attempt.
    answer = chain.statements(reader, registration=attempt)
    assert answer.status_code == 200, answer.get_json()
    results = {s["verb"]["id"][len(VERB):]: s for s in answer.get_json()["statements"]
               if s["verb"]["id"] != VERB + "launched"}
    assert sorted(results) == ["completed", "passed", "scored"]
    score = {"raw": 8, "scaled": 0.8, "min": 0, "max": 10}
    for verb, statement in results.items():
        assert statement["actor"] == {"account": {"homePage": hub, "name": learner_id}}, verb
        assert statement["object"]["id"] == activity
        assert statement["result"]["score"] == score
        assert statement["result"]["response"] == "Well done"
        assert statement["context"]["registration"] == attempt
        extensions = statement["context"]["extensions"]
        assert (extensions[EXTENSIONS["tool_registration"]],
                extensions[EXTENSIONS["context_id"]],
                extensions[EXTENSIONS["resource_link_id"]]) == (tool_reg["id"], context_id,
                                                               course_id)
        assert statement["authority"]["account"] == {"homePage": hub, "name": "hub"}
    assert results["passed"]["result"]["success"] is True
    assert results["completed"]["result"]["completion"] is True

    # The pass-back sends the score to the LMS: one pass of the sender, no timer.
    assert chain.lms.scores == {}
    assert chain.send_scores() == {"sent": 1, "retry": 0, "dead": 0}
    item_id = lms_ags["lineitem"].rsplit("/", 1)[1]  # the line item the LMS's launch named
    assert list(chain.lms.scores) == [item_id]
    [given] = chain.lms.scores[item_id]
    assert {k: v for k, v in given.items() if k != "timestamp"} == {
        "userId": "dev-learner-1", "scoreGiven": 80.0, "scoreMaximum": 100.0,
        "activityProgress": "Completed", "gradingProgress": "FullyGraded"}
    assert datetime.fromisoformat(given["timestamp"]) == datetime.fromisoformat(
        sent["score"]["timestamp"])  # AGS 2.0 §3.4.1.1: the time the tool scored
    [token] = chain.lms.received.all("token")  # the hub's client assertion, checked by the LMS
    assert token["assertion"]["iss"] == token["assertion"]["sub"] == (
        chain.lms.settings.client_id)
    # Sent once: the sender's next run (here from the command line) has nothing to send.
    cli = chain.app.test_cli_runner().invoke(args=["lti", "send-scores", "--once"])
    assert cli.exit_code == 0 and "sent 0, retrying 0, dead 0" in cli.output, cli.output
    assert sum(len(scores) for scores in chain.lms.scores.values()) == 1

    # 5. Tenancy: no other organisation reads any of it.
    ids = [s["id"] for s in [*launched, *results.values()]]
    others = [chain.reader(chain.provider["org"]["id"]),
              chain.reader(chain.add_org("District LMS", "lms"))]
    for other in others:
        answer = chain.statements(other)
        assert answer.status_code == 200 and answer.get_json()["statements"] == []
        assert chain.statements(other, registration=attempt).get_json()["statements"] == []
        for statement_id in ids:
            assert chain.statements(other, statementId=statement_id).status_code == 404
    assert chain.statements(reader, statementId=ids[-1]).status_code == 200


def test_a_submission_graded_later_reaches_the_lms_ungraded_then_graded(
        chain: Chain) -> None:  # noqa: F811
    """The tool says "done, grading pending" (no scoreGiven, AGS 2.0 §3.4), then grades: the
    LMS first hears of the completion without a grade, never of full marks, then the grade."""
    from lti.xapi_bridge import GRADING_PROGRESS_EXTENSION

    lms_claims, _, launch_id = launch(chain)
    chain.tool.post_score(launch_id, None, grading_progress="PendingManual")
    [pending] = chain.statements(chain.reader(chain.lms_org["org"]["id"]),
                                 verb=VERB + "completed").get_json()["statements"]
    assert pending["result"] == {"completion": True,
                                 "extensions": {GRADING_PROGRESS_EXTENSION: "PendingManual"}}
    assert chain.send_scores()["sent"] == 1
    chain.tool.post_score(launch_id, 4, 10)  # graded: 4 of 10, final
    assert chain.send_scores()["sent"] == 1
    item_id = lms_claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"][
        "lineitem"].rsplit("/", 1)[1]
    first, second = chain.lms.scores[item_id]
    assert "scoreGiven" not in first and "scoreMaximum" not in first
    assert (first["activityProgress"], first["gradingProgress"]) == ("Completed",
                                                                     "PendingManual")
    assert (second["scoreGiven"], second["scoreMaximum"], second["gradingProgress"]) == (
        40.0, 100.0, "FullyGraded")
    assert datetime.fromisoformat(first["timestamp"]) < datetime.fromisoformat(
        second["timestamp"])
