"""The tool side end to end over real HTTP: the development platform (a real LTI 1.3
platform on 127.0.0.1) launches the hub served on 127.0.0.1: OIDC login, the platform's
authorization endpoint, the form post of the id_token, validation against the platform's JWKS
fetched over HTTP, then the learner, the ``launched`` statement and the onward redirect."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Response

from lti import links
from lti.devpeers.browser import Browser
from lti.model import ToolLaunch
from tests.conftest import basic
from tests.lti.tool_side_fixtures import COURSE, PACKAGED, LiveHub

XAPI = {"X-Experience-API-Version": "1.0.3"}


def statements(hub: LiveHub) -> list[dict[str, Any]]:
    """The LMS organisation's statements, read by its lrs-reader through the LRS API."""
    from hub.auth import create_credential

    cred = create_credential(hub.store, hub.org_id, ["lrs-reader"])
    answer = hub.app.test_client().get("/xapi/statements",
                                       headers={**XAPI, **basic(cred["key"], cred["secret"])})
    assert answer.status_code == 200, answer.json
    return list(answer.json["statements"])


def launch_hop(browser: Browser) -> Any:
    """The hop that posted the id_token to the hub."""
    return next(h for h in browser.hops if h.url.endswith("/lti/launch"))


def test_external_course_launch_redirects_and_records_launched(live_hub: LiveHub) -> None:
    hub = live_hub
    course = hub.store.courses.get(COURSE)
    landing = f"{hub.platform.base_url}/_received"
    course["live"]["delivery"] = {"type": "external", "url": landing}
    hub.store.courses.replace(course, expected_version=course["row_version"])
    with Browser() as browser:
        last = browser.run(hub.launch_url())
    hop = launch_hop(browser)
    assert hop.status == 302 and hop.location == landing
    assert last.url == landing and last.status == 200
    [stmt] = statements(hub)
    assert stmt["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert stmt["object"]["id"] == links.course_activity_id(hub.url, COURSE)
    learner_id = stmt["actor"]["account"]["name"]
    assert stmt["actor"]["account"]["homePage"] == hub.url
    learner = hub.store.learners.get(learner_id)
    assert (learner["subject"], learner["org_id"], learner["name"], learner["email"]) == (
        "dev-learner-1", hub.org_id, "Asha Learner", "asha@lms.example")
    extensions = stmt["context"]["extensions"]
    assert hub.registration["id"] in extensions.values()
    assert stmt["authority"]["account"]["name"] == "hub"


def test_packaged_course_opens_the_player_and_a_relaunch_is_the_same_attempt(
        live_hub: LiveHub) -> None:
    hub = live_hub
    for _ in range(2):
        with Browser() as browser:
            browser.run(hub.launch_url(PACKAGED))
        hop = launch_hop(browser)
        assert hop.status == 302 and hop.location.startswith(
            links.player_url(hub.url, PACKAGED) + "?ticket=")
    first, second = statements(hub)
    assert first["actor"] == second["actor"]
    assert first["context"]["registration"] == second["context"]["registration"]


def test_name_and_email_are_kept_only_when_sent(live_hub: LiveHub) -> None:
    hub = live_hub
    hub.platform.settings.user = {"sub": "anonymous-7", "roles": []}
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED))
    assert launch_hop(browser).status == 302
    learner_id = statements(hub)[0]["actor"]["account"]["name"]
    learner = hub.store.learners.get(learner_id)
    assert learner["subject"] == "anonymous-7"
    assert "name" not in learner and "email" not in learner


def test_deep_linking_request_reaches_the_picker_with_the_launch(
        live_hub: LiveHub, monkeypatch: pytest.MonkeyPatch) -> None:
    got: list[ToolLaunch] = []

    def picker(launch: ToolLaunch) -> Response:
        got.append(launch)
        return Response("picker", mimetype="text/plain")

    monkeypatch.setattr("lti.tool_side.deep_linking", picker)
    hub = live_hub
    with Browser() as browser:
        last = browser.run(hub.platform.launch_url(
            "LtiDeepLinkingRequest", links.tool_launch_url(hub.url)))
    assert last.body == "picker"
    [launch] = got
    assert (launch.message_type, launch.course_id, launch.org_id, launch.deployment_id) == (
        "LtiDeepLinkingRequest", None, hub.org_id, "dev-deployment-1")
    assert launch.claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]
    assert statements(hub) == []  # no course was launched


def test_lti_course_is_launched_onward_through_the_platform_side(
        live_hub: LiveHub, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = live_hub
    course = hub.store.courses.get(COURSE)
    course["live"]["delivery"] = {"type": "lti", "tool": "tool_1",
                                  "target_link_uri": "https://tool.example/x"}
    hub.store.courses.replace(course, expected_version=course["row_version"])
    seen: list[tuple[ToolLaunch, Any]] = []
    onward = f"{hub.platform.base_url}/_received"

    def begin(store: Any, config: Any, launch: ToolLaunch, course: Any) -> str:
        seen.append((launch, course))
        return onward

    monkeypatch.setattr("lti.tool_side.onward_launch", begin)
    with Browser() as browser:
        browser.run(hub.launch_url())
    assert launch_hop(browser).location == onward
    [(launch, course)] = seen
    assert course["live"]["delivery"]["tool"] == "tool_1" and launch.org_id == hub.org_id
    [stmt] = statements(hub)
    assert launch.registration == stmt["context"]["registration"]
    assert launch.learner_id == stmt["actor"]["account"]["name"]


def test_unpublished_course_is_404_and_nothing_is_stored(live_hub: LiveHub) -> None:
    hub = live_hub
    with Browser() as browser:
        last = browser.run(hub.launch_url("no-such-course"))
    assert last.status == 404 and launch_hop(browser).status == 404
    assert statements(hub) == []


def test_launch_without_cookies_works_and_a_replay_is_refused_with_or_without_them(
        live_hub: LiveHub) -> None:
    hub = live_hub
    with Browser() as browser:
        browser.session.cookies.clear()
        browser.run(hub.launch_url(PACKAGED))
        hop = launch_hop(browser)
        assert hop.status == 302
        again = browser.session.post(links.tool_launch_url(hub.url), data=hop.fields,
                                     allow_redirects=False)
        assert again.status_code == 400
        assert again.headers["Content-Type"] == "application/problem+json"
        browser.session.cookies.clear()
        cookieless = browser.session.post(links.tool_launch_url(hub.url), data=hop.fields,
                                          allow_redirects=False)
        assert cookieless.status_code == 400 and "state" in cookieless.json()["errors"]
    assert len(statements(hub)) == 1
