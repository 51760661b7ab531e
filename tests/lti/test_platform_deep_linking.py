"""Deep Linking towards a provider's tool: a publisher opens the tool's picker for a draft,
the hub's id_token carries the deep_linking_settings, and the tool's signed response becomes
the draft's delivery; every bad response is refused (400 problem+json) and changes nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.lti.platform_support import (
    DL,
    LTI,
    Platform,
    authorize_params,
    form_fields,
    hub_claims,
    make_platform,
    publish_lti_course,
    sign_as_tool,
    tool_key,
)

PICKED = {"type": "ltiResourceLink", "title": "Module 4 quiz",
          "url": "https://tool.example.org/activities/42", "custom": {"quiz": "42"}}


@pytest.fixture
def platform(client: Any, app: Any, tenants: Any) -> Platform:
    return make_platform(client, app, tenants)


def open_picker(platform: Platform, course_id: str) -> dict[str, Any]:
    """Start the Deep Linking launch and pass the authorization endpoint; the id_token's
    claims."""
    res = platform.client.post("/lti/platform/deep-linking", json={"course_id": course_id},
                               headers=platform.provider["headers"])
    assert res.status_code == 201, res.get_json()
    page = platform.authorize(authorize_params(res.get_json()["url"]))
    assert page.status_code == 200, page.get_json()
    return hub_claims(platform.client, form_fields(page.get_data(as_text=True))[1]["id_token"])


def response_claims(platform: Platform, request: dict[str, Any], **changes: Any
                    ) -> dict[str, Any]:
    """The tool's LtiDeepLinkingResponse claims (Deep Linking 2.0 §4.5)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": platform.tool["client_id"], "aud": "http://hub.test", "iat": now,
        "exp": now + 300, "nonce": f"dl-{time.time_ns()}",
        LTI + "message_type": "LtiDeepLinkingResponse", LTI + "version": "1.3.0",
        LTI + "deployment_id": request[LTI + "deployment_id"],
        DL + "data": request[DL + "deep_linking_settings"]["data"],
        DL + "content_items": [PICKED]}
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


def post_response(platform: Platform, token: str) -> Any:
    return platform.client.post("/lti/platform/deep-linking/return", data={"JWT": token})


def delivery(platform: Platform, course_id: str) -> dict[str, Any]:
    return platform.store.courses.get(course_id)["revision"]["delivery"]  # type: ignore


def draft(platform: Platform) -> str:
    return publish_lti_course(platform.store, platform.provider["org"]["id"],
                              platform.tool["id"], state="draft")


def test_the_picked_link_becomes_the_drafts_delivery(platform: Platform) -> None:
    course_id = draft(platform)
    request = open_picker(platform, course_id)
    assert request[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert LTI + "resource_link" not in request
    assert "Instructor" in " ".join(request[LTI + "roles"])
    settings = request[DL + "deep_linking_settings"]
    assert settings["deep_link_return_url"] == "http://hub.test/lti/platform/deep-linking/return"
    assert settings["accept_types"] == ["ltiResourceLink"]
    res = post_response(platform, sign_as_tool(platform.key, response_claims(platform, request)))
    assert res.status_code == 200, res.get_data(as_text=True)
    assert "Module 4 quiz" in res.get_data(as_text=True)
    assert delivery(platform, course_id) == {
        "type": "lti", "tool": platform.tool["id"],
        "target_link_uri": "https://tool.example.org/activities/42", "custom": {"quiz": "42"}}
    trail = platform.store.courses.audit_trail(course_id)
    assert trail[-1]["action"] == "deep_link"
    assert platform.store.statements.count() == 0  # a curator's pick is not a learner launch


def test_a_response_without_items_changes_nothing(platform: Platform) -> None:
    course_id = draft(platform)
    before = delivery(platform, course_id)
    request = open_picker(platform, course_id)
    claims = response_claims(platform, request, **{DL + "content_items": []})
    res = post_response(platform, sign_as_tool(platform.key, claims))
    assert res.status_code == 200 and "Nothing was picked" in res.get_data(as_text=True)
    assert delivery(platform, course_id) == before


def _bad(platform: Platform, request: dict[str, Any], case: str) -> str:
    """A bad Deep Linking response token, by name."""
    key = platform.key
    changes: dict[str, Any] = {
        "unknown_client": {"iss": "hub-unknown"},
        "wrong_aud": {"aud": "https://elsewhere.example.org"},
        "expired": {"exp": int(time.time()) - 600, "iat": int(time.time()) - 900},
        "future_iat": {"iat": int(time.time()) + 600},
        "missing_iat": {"iat": None},
        "missing_nonce": {"nonce": None},
        "wrong_deployment": {LTI + "deployment_id": "dep-other"},
        "wrong_message_type": {LTI + "message_type": "LtiResourceLinkRequest"},
        "wrong_version": {LTI + "version": "1.1"},
        "forged_data": {DL + "data": "not-a-hub-token"},
        "missing_data": {DL + "data": None},
        "bad_item_url": {DL + "content_items": [{**PICKED, "url": "javascript:alert(1)"}]},
    }.get(case, {})
    claims = response_claims(platform, request, **changes)
    if case == "other_key":
        return sign_as_tool(tool_key("tool-key-1"), claims)
    if case == "alg_none":
        import base64
        import json

        def part(value: dict[str, Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
        return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
    if case == "not_a_jwt":
        return "not.a.jwt"
    return sign_as_tool(key, claims)


BAD_RESPONSES = ["unknown_client", "wrong_aud", "expired", "future_iat", "missing_iat",
                 "missing_nonce", "wrong_deployment", "wrong_message_type", "wrong_version",
                 "forged_data", "missing_data", "bad_item_url", "other_key", "alg_none",
                 "not_a_jwt"]


@pytest.mark.parametrize("case", BAD_RESPONSES)
def test_bad_deep_linking_responses_are_refused(platform: Platform, case: str) -> None:
    course_id = draft(platform)
    before = delivery(platform, course_id)
    request = open_picker(platform, course_id)
    res = post_response(platform, _bad(platform, request, case))
    assert res.status_code == 400, res.get_data(as_text=True)
    assert res.content_type == "application/problem+json"
    assert res.get_json()["errors"]
    assert delivery(platform, course_id) == before
    assert len(platform.store.courses.audit_trail(course_id)) == 1
    # Nothing was used up: the genuine response is still accepted afterwards.
    good = post_response(platform, sign_as_tool(platform.key, response_claims(platform,
                                                                              request)))
    assert good.status_code == 200, good.get_data(as_text=True)


def test_a_replayed_response_is_refused(platform: Platform) -> None:
    course_id = draft(platform)
    request = open_picker(platform, course_id)
    token = sign_as_tool(platform.key, response_claims(platform, request))
    assert post_response(platform, token).status_code == 200
    replay = post_response(platform, token)
    assert replay.status_code == 400 and "nonce" in replay.get_json()["errors"]
    assert len(platform.store.courses.audit_trail(course_id)) == 2


def test_who_may_open_the_picker(platform: Platform, client: Any, tenants: Any) -> None:
    course_id = draft(platform)
    other = tenants.make("Provider B", roles=("publisher",))
    res = client.post("/lti/platform/deep-linking", json={"course_id": course_id},
                      headers=other["headers"])
    assert res.status_code == 404
    res = client.post("/lti/platform/deep-linking", json={"course_id": course_id},
                      headers=platform.lms["headers"])
    assert res.status_code == 403
    res = client.post("/lti/platform/deep-linking", json={"course_id": platform.course_id},
                      headers=platform.provider["headers"])
    assert res.status_code == 409  # published: edit it to start a new revision first
    res = client.post("/lti/platform/deep-linking", json={"course_id": course_id,
                                                          "tool": "tool_other"},
                      headers=platform.provider["headers"])
    assert res.status_code == 400 and "tool" in res.get_json()["errors"]
