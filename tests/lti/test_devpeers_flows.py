"""The development platform and tool complete every LTI flow between themselves over real HTTP
(no hub involved), so the hub's tests can trust them as the other party: a resource link launch,
a deep link, a score on a line item, the roster with paging, and Dynamic Registration."""

from __future__ import annotations

import json

import pytest

from lti.devpeers.browser import Browser
from lti.devpeers.platform import DEEP_LINKING, DevPlatform
from lti.devpeers.tool import DevTool
from lti.devpeers.wire import get_json, request, send_json
from tests.lti.devpeer_fixtures import dev_pair, dev_platform, dev_tool

__all__ = ["dev_pair", "dev_platform", "dev_tool"]  # fixtures, imported for pytest

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def _launch(platform: DevPlatform, **kwargs: object) -> Browser:
    browser = Browser()
    browser.run(platform.launch_url(**kwargs))  # type: ignore[arg-type]
    browser.close()
    return browser


def test_resource_link_launch(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    browser = _launch(platform, custom={"course": "c-1"})
    # login (302) -> authorize (form_post page) -> launch (the tool's page)
    assert [(h.method, h.status) for h in browser.hops] == [
        ("GET", 302), ("GET", 200), ("POST", 200)]
    assert browser.hops[1].url.startswith(platform.authorize_url)
    assert browser.hops[2].url == tool.launch_url
    launch = tool.received.last("launch")
    assert launch is not None and launch["message_type"] == "LtiResourceLinkRequest"
    assert f'data-launch-id="{launch["launch_id"]}"' in browser.hops[-1].body
    claims = launch["claims"]
    assert claims["sub"] == "dev-learner-1" and claims["aud"] == "dev-tool-client"
    assert claims[f"{LTI}custom"] == {"course": "c-1"}
    assert claims[f"{LTI}target_link_uri"] == tool.target_link_uri
    assert claims["nonce"] == platform.received.last("authorize")["params"]["nonce"]
    # The received ledger is served over HTTP too.
    assert [e["kind"] for e in get_json(f"{tool.base_url}/_received")] == ["login", "launch"]


def test_deep_link(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    tool.settings.deep_link_items = [{"type": "ltiResourceLink", "title": "Picked",
                                      "url": f"{tool.base_url}/picked"}]
    browser = _launch(platform, message_type=DEEP_LINKING)
    # ... -> launch (auto-posting response) -> the platform's deep link return
    assert browser.hops[-1].url == f"{platform.base_url}/deep-link/return"
    assert browser.hops[-1].status == 200
    received = platform.received.last("deep_link")
    assert received is not None
    assert received["items"] == [{"type": "ltiResourceLink", "title": "Picked",
                                  "url": f"{tool.base_url}/picked"}]
    assert received["claims"]["iss"] == "dev-tool-client"


def test_score_over_http_reaches_the_line_item(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    _launch(platform)
    launch_id = tool.received.last("launch")["launch_id"]  # type: ignore[index]
    resp = send_json("POST", f"{tool.base_url}/_launches/{launch_id}/score",
                     {"scoreGiven": 7, "scoreMaximum": 10})
    assert resp.status == 200, resp.data
    lineitem = json.loads(resp.data)["lineitem"]
    score = platform.received.last("score")
    assert score is not None and score["lineitem"] == lineitem
    assert score["score"]["scoreGiven"] == 7 and score["score"]["userId"] == "dev-learner-1"
    assert score["score"]["activityProgress"] == "Completed"
    token = platform.received.last("token")
    assert token is not None and token["assertion"]["aud"] == platform.token_url


def test_score_creates_a_line_item_when_the_launch_names_none(
        dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    _launch(platform, with_lineitem=False, resource_link_id="link-9")
    launch_id = tool.received.last("launch")["launch_id"]  # type: ignore[index]
    sent = tool.post_score(launch_id, 55)
    created = platform.received.last("lineitem_created")
    assert created is not None and created["item"]["resourceLinkId"] == "link-9"
    assert platform.received.last("score")["lineitem"] == sent["lineitem"]  # type: ignore[index]
    tool.post_score(launch_id, 60)  # found this time, not created twice
    assert len(platform.received.all("lineitem_created")) == 1


def test_roster_follows_next_links(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    platform.settings.members = [{"user_id": f"u{i}", "roles": []} for i in range(5)]
    platform.settings.members_page_size = 2
    _launch(platform)
    launch_id = tool.received.last("launch")["launch_id"]  # type: ignore[index]
    members = get_json(f"{tool.base_url}/_launches/{launch_id}/members")
    assert [m["user_id"] for m in members] == ["u0", "u1", "u2", "u3", "u4"]
    assert [e["page"] for e in platform.received.all("memberships")] == [0, 1, 2]


def test_dynamic_registration_then_launch(dev_platform: DevPlatform, dev_tool: DevTool) -> None:
    browser = Browser()
    last = browser.run(dev_platform.registration_start_url(dev_tool.registration_url))
    browser.close()
    assert last.status == 200 and "org.imsglobal.lti.close" in last.body
    registered = dev_platform.received.last("registration")
    assert registered is not None
    assert dev_tool.settings.client_id == registered["client_id"]
    assert dev_tool.settings.deployment_id == dev_platform.settings.deployment_id
    assert dev_platform.settings.tool_redirect_uris == [dev_tool.launch_url]
    _launch(dev_platform)
    launch = dev_tool.received.last("launch")
    assert launch is not None and launch["claims"]["aud"] == registered["client_id"]


def test_a_registration_token_is_used_once(dev_platform: DevPlatform, dev_tool: DevTool) -> None:
    url = dev_platform.registration_start_url(dev_tool.registration_url)
    assert request("GET", url).status == 200
    assert request("GET", url).status == 502  # the platform refused the replayed token
    refused = dev_platform.received.last("refused")
    assert refused is not None and refused["path"] == "/register"


@pytest.mark.parametrize("settable", ["client_id", "deployment_id"])
def test_platform_identifiers_are_settable(dev_pair: tuple[DevPlatform, DevTool],
                                           settable: str) -> None:
    platform, tool = dev_pair
    setattr(platform.settings, settable, "changed-value")
    setattr(tool.settings, settable, "changed-value")
    _launch(platform)
    claims = tool.received.last("launch")["claims"]  # type: ignore[index]
    key = "aud" if settable == "client_id" else f"{LTI}deployment_id"
    assert claims[key] == "changed-value"
