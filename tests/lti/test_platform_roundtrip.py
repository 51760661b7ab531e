"""The platform side end to end over real HTTP against the development tool
(:mod:`lti.devpeers.tool`): the hub launches it (OIDC login initiation -> the hub's
authorization endpoint -> an id_token the tool validates against the hub's JWKS, fetched over
HTTP), records the launch in the LMS's LRS, and takes a Deep Linking response that the hub
verifies against the tool's JWKS, fetched over HTTP through the guarded outbound client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lti.devpeers.browser import Browser
from lti.devpeers.tool import DevTool
from lti.devpeers.wire import ThreadedServer
from lti.xapi_bridge import EXTENSIONS
from tests.conftest import Tenants
from tests.lti.devpeer_fixtures import dev_tool  # noqa: F401 (a fixture)
from tests.lti.platform_support import LTI, publish_lti_course

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


class Hub:
    """The hub served on 127.0.0.1 (its public URL is that address), with its cast and the
    development tool registered as the provider's tool."""

    def __init__(self, app: Any, base_url: str, tool: DevTool) -> None:
        self.app, self.url, self.tool = app, base_url, tool
        self.client = app.test_client()
        self.store = app.extensions["hub.store"]
        tenants = Tenants(app)
        self.provider = tenants.make("Provider A", roles=("publisher", "lti-manager"))
        self.lms = tenants.make("State LMS", "lms", ("lti-manager", "lrs-reader"))
        res = self.client.post("/lti/tools", headers=self.provider["headers"], json={
            "name": "Dev tool", "initiate_login_url": tool.login_url,
            "redirect_uris": [tool.launch_url], "key_set_url": tool.jwks_url,
            "target_link_uri": tool.target_link_uri})
        assert res.status_code == 201, res.get_json()
        self.registration = res.get_json()
        platform = self.registration["platform"]
        tool.trust(platform["issuer"], platform["client_id"],
                   authorize_url=platform["authorization_url"], jwks_url=platform["jwks_url"],
                   token_url=platform["token_url"], deployment_id=platform["deployment_id"])

    def course(self, state: str = "published") -> str:
        """A course of the provider delivered by the dev tool's resource."""
        return publish_lti_course(self.store, self.provider["org"]["id"],
                                  self.registration["id"], state=state,
                                  target_link_uri=self.tool.target_link_uri,
                                  custom={"chapter": "3"})


@pytest.fixture
def hub(tmp_path: Path, sqlite_url: str, dev_tool: DevTool) -> Iterator[Hub]:  # noqa: F811
    from hub import create_app

    server = ThreadedServer()
    app = create_app({"TESTING": True, "HUB_STORE_URL": sqlite_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_PUBLIC_URL": server.base_url, "HUB_FORWARDING_WORKER": "off",
                      # the dev tool runs on 127.0.0.1, which the outbound guard refuses
                      "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    server.app = app
    server.start()
    try:
        yield Hub(app, server.base_url, dev_tool)
    finally:
        server.stop()
        app.extensions["hub.store"].close()


def test_the_hub_launches_the_dev_tool(hub: Hub) -> None:
    course_id = hub.course()
    res = hub.client.post("/lti/platform/launches", headers=hub.lms["headers"],
                          json={"course_id": course_id, "learner": "u-42", "name": "Asha"})
    assert res.status_code == 201, res.get_json()
    answer = res.get_json()
    with Browser() as browser:
        last = browser.run(answer["url"])
    assert last.status == 200 and "Dev tool launched" in last.body, last.body
    assert [h.url.split("?")[0] for h in browser.hops] == [
        hub.tool.login_url, f"{hub.url}/lti/platform/authorize", hub.tool.launch_url]
    assert hub.tool.received.all("refused") == []
    claims = hub.tool.received.last("launch")["claims"]  # validated by the tool
    assert claims["iss"] == hub.url and claims["aud"] == hub.registration["client_id"]
    assert claims["sub"] == answer["learner_id"] and claims["name"] == "Asha"
    assert claims[LTI + "resource_link"]["id"] == course_id
    assert claims[LTI + "target_link_uri"] == hub.tool.target_link_uri
    assert claims[LTI + "custom"] == {"chapter": "3"}
    assert claims[LTI + "roles"] == [LEARNER]
    # The launch is in the LMS's LRS, readable by its lrs-reader.
    lrs = hub.client.get("/xapi/statements", headers={
        **hub.lms["headers"], "X-Experience-API-Version": "1.0.3"}).get_json()
    [statement] = lrs["statements"]
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert statement["actor"]["account"] == {"homePage": hub.url,
                                             "name": answer["learner_id"]}
    assert statement["object"]["id"] == f"{hub.url}/catalogue/courses/{course_id}"
    assert statement["context"]["registration"] == answer["registration"]
    extensions = statement["context"]["extensions"]
    assert extensions[EXTENSIONS["tool_registration"]] == hub.registration["id"]
    assert extensions[EXTENSIONS["resource_link_id"]] == course_id
    assert statement["authority"]["account"]["name"] == "hub"
    # The tool cannot replay what it was given: the same login again is refused by the hub.
    login = hub.tool.received.last("login")["params"]
    with Browser() as again:
        replay = again.run(f"{hub.tool.login_url}?" + "&".join(
            f"{k}={v}" for k, v in login.items() if k != "lti_message_hint")
            + "&lti_message_hint=" + login["lti_message_hint"])
    assert replay.status == 400 and "lti_message_hint" in replay.body
    assert hub.store.statements.count() == 1


def test_deep_linking_from_the_dev_tool_sets_the_drafts_delivery(hub: Hub) -> None:
    course_id = hub.course(state="draft")
    res = hub.client.post("/lti/platform/deep-linking", headers=hub.provider["headers"],
                          json={"course_id": course_id})
    assert res.status_code == 201, res.get_json()
    with Browser() as browser:
        last = browser.run(res.get_json()["url"])
    assert last.status == 200, last.body
    assert last.url == f"{hub.url}/lti/platform/deep-linking/return"
    assert "Dev tool activity" in last.body
    assert hub.store.courses.get(course_id)["revision"]["delivery"] == {
        "type": "lti", "tool": hub.registration["id"],
        "target_link_uri": hub.tool.target_link_uri, "custom": {"activity": "dev-1"}}
    assert hub.store.courses.audit_trail(course_id)[-1]["action"] == "deep_link"


@pytest.mark.parametrize("spoil", ["rogue_key", "wrong_deployment", "alg_none"])
def test_a_bad_deep_linking_response_from_the_dev_tool_changes_nothing(hub: Hub,
                                                                      spoil: str) -> None:
    from lti.devpeers.signing import unsigned_token

    course_id = hub.course(state="draft")
    before = hub.store.courses.get(course_id)["revision"]["delivery"]
    if spoil == "rogue_key":  # a valid key in no JWKS: unknown kid, one re-fetch, refused
        hub.tool.sign_with_rogue_key = True
    elif spoil == "wrong_deployment":
        hub.tool.jwt_hook = lambda kind, claims, headers: claims.update(
            {LTI + "deployment_id": "dep-other"})
    else:
        hub.tool.jwt_hook = lambda kind, claims, headers: unsigned_token(claims)
    url = hub.client.post("/lti/platform/deep-linking", headers=hub.provider["headers"],
                          json={"course_id": course_id}).get_json()["url"]
    with Browser() as browser:
        last = browser.run(url)
    assert last.status == 400, last.body
    assert last.url == f"{hub.url}/lti/platform/deep-linking/return"
    assert hub.store.courses.get(course_id)["revision"]["delivery"] == before
    assert len(hub.store.courses.audit_trail(course_id)) == 1


def test_launch_tool_from_the_command_line(hub: Hub) -> None:
    course_id = hub.course()
    result = hub.app.test_cli_runner().invoke(args=[
        "lti", "launch-tool", course_id, "--org", "State LMS", "--learner", "u-7"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"GET {hub.tool.login_url} -> 302")
    assert lines[1].startswith(f"GET {hub.url}/lti/platform/authorize -> 200")
    assert lines[2] == f"POST {hub.tool.launch_url} ['id_token', 'state'] -> 200"
    assert "Dev tool launched" in result.output
    assert hub.store.statements.count() == 1
    refused = hub.app.test_cli_runner().invoke(args=[
        "lti", "launch-tool", course_id, "--org", "No such org"])
    assert refused.exit_code != 0 and "no organisation" in refused.output
