"""The platform side's launch: the launch API gives the tool's OIDC login initiation, the
authorization endpoint checks every parameter and answers a signed id_token with the LTI
claims, the launch is recorded in the LMS's LRS; every bad request is refused (400
problem+json naming the parameter) with nothing stored and the hint left unused."""

from __future__ import annotations

import time
from typing import Any

import pytest

from lti.platform_launch import begin, launch_from_hint, message_hints
from tests.lti.platform_support import (
    LTI,
    TARGET,
    TOOL_LAUNCH,
    TOOL_LOGIN,
    Platform,
    authorize_params,
    form_fields,
    hub_claims,
    make_platform,
    query,
)

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


@pytest.fixture
def platform(client: Any, app: Any, tenants: Any) -> Platform:
    return make_platform(client, app, tenants)


def test_launch_api_answers_the_tools_login_initiation(platform: Platform) -> None:
    answer = platform.launch(name="Asha", email="asha@example.org")
    assert answer["url"].startswith(TOOL_LOGIN + "?") and answer["expires_in"] == 300
    got = query(answer["url"])
    assert got["iss"] == "http://hub.test"
    assert got["client_id"] == platform.tool["client_id"]
    assert got["lti_deployment_id"] == platform.tool["deployment_id"]
    assert got["target_link_uri"] == TARGET
    assert got["login_hint"] == answer["learner_id"] and answer["learner_id"].startswith("lrn_")
    assert "u-42" not in answer["url"] and "asha" not in answer["url"].lower()  # sealed
    again = platform.launch()
    assert again["learner_id"] == answer["learner_id"]  # stable per (organisation, learner)
    assert again["registration"] != answer["registration"]  # a new attempt


def test_authorize_issues_a_signed_id_token_with_the_lti_claims(platform: Platform) -> None:
    answer = platform.launch(name="Asha", email="asha@example.org", roles=["Learner"],
                             return_url="https://lms.example.org/back")
    res = platform.authorize(authorize_params(answer["url"]))
    assert res.status_code == 200, res.get_json()
    assert res.headers["Cache-Control"] == "no-store"
    action, fields = form_fields(res.get_data(as_text=True))
    assert action == TOOL_LAUNCH and fields["state"] == "state-1"
    claims = hub_claims(platform.client, fields["id_token"])
    assert (claims["iss"], claims["aud"], claims["azp"]) == (
        "http://hub.test", platform.tool["client_id"], platform.tool["client_id"])
    assert claims["sub"] == answer["learner_id"] and claims["nonce"] == "nonce-1"
    assert 0 < claims["exp"] - claims["iat"] <= 300 and abs(claims["iat"] - time.time()) < 30
    assert (claims["name"], claims["email"]) == ("Asha", "asha@example.org")
    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == platform.tool["deployment_id"]
    assert claims[LTI + "target_link_uri"] == TARGET
    assert claims[LTI + "resource_link"]["id"] == platform.course_id
    assert claims[LTI + "roles"] == [LEARNER]
    assert claims[LTI + "context"]["id"].startswith("ctx_")
    assert claims[LTI + "custom"] == {"chapter": "3"}
    assert claims[LTI + "launch_presentation"]["return_url"] == "https://lms.example.org/back"
    # The launch is in the launching LMS's LRS, for the hub's learner account.
    assert platform.store.statements.count() == 1


def test_post_works_as_get(platform: Platform) -> None:
    answer = platform.launch()
    res = platform.authorize(authorize_params(answer["url"]), method="post")
    assert res.status_code == 200
    assert "id_token" in form_fields(res.get_data(as_text=True))[1]


BAD_REQUESTS = [
    ({"scope": "openid profile"}, "scope"),
    ({"scope": None}, "scope"),
    ({"response_type": "code"}, "response_type"),
    ({"response_mode": "query"}, "response_mode"),
    ({"prompt": "login"}, "prompt"),
    ({"client_id": "hub-unknown"}, "client_id"),
    ({"client_id": None}, "client_id"),
    ({"redirect_uri": "https://evil.example.org/launch"}, "redirect_uri"),
    ({"redirect_uri": TOOL_LAUNCH + "/more"}, "redirect_uri"),
    ({"redirect_uri": None}, "redirect_uri"),
    ({"login_hint": "lrn_someone_else"}, "login_hint"),
    ({"lti_message_hint": "forged"}, "lti_message_hint"),
    ({"lti_message_hint": None}, "lti_message_hint"),
    ({"nonce": None}, "nonce"),
    ({"nonce": "n" * 2000}, "nonce"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_REQUESTS,
                         ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_REQUESTS)])
def test_bad_authorization_requests_are_refused_and_use_nothing(
        platform: Platform, changes: dict[str, Any], field: str) -> None:
    answer = platform.launch()
    res = platform.authorize(authorize_params(answer["url"], **changes))
    assert res.status_code == 400, res.get_data(as_text=True)
    assert res.content_type == "application/problem+json"
    assert field in res.get_json()["errors"]
    assert 'name="id_token"' not in res.get_data(as_text=True)
    assert platform.store.statements.count() == 0
    # The hint was not used up by the refused request: the right request still launches.
    assert platform.authorize(authorize_params(answer["url"])).status_code == 200


def test_a_replayed_message_hint_is_refused(platform: Platform) -> None:
    answer = platform.launch()
    assert platform.authorize(authorize_params(answer["url"])).status_code == 200
    replay = platform.authorize(authorize_params(answer["url"], nonce="nonce-2"))
    assert replay.status_code == 400 and "lti_message_hint" in replay.get_json()["errors"]
    assert platform.store.statements.count() == 1


def test_an_expired_hint_or_one_of_another_tool_is_refused(platform: Platform, app: Any,
                                                          client: Any) -> None:
    other = client.post("/lti/tools", headers=platform.provider["headers"], json={
        "name": "Other", "initiate_login_url": TOOL_LOGIN, "redirect_uris": [TOOL_LAUNCH],
        "key_set_url": "https://tool.example.org/jwks"}).get_json()
    answer = platform.launch()
    crossed = platform.authorize(authorize_params(answer["url"], client_id=other["client_id"]))
    assert crossed.status_code == 400 and "lti_message_hint" in crossed.get_json()["errors"]
    codec = message_hints(app.extensions["hub.token_key"])
    hint = codec.unseal(query(answer["url"])["lti_message_hint"])
    launch = launch_from_hint(hint)
    assert launch is not None
    with app.app_context():
        old = begin(platform.store, app.extensions["hub.config"], launch[0], codec,
                    now=time.time() - 301)
    expired = platform.authorize(authorize_params(old))
    assert expired.status_code == 400 and "lti_message_hint" in expired.get_json()["errors"]
    # A hint of another purpose (a catalogue cursor) is not a message hint.
    from hub.tokens import TokenCodec

    cursor = TokenCodec(app.extensions["hub.token_key"], "catalogue.cursor", "cursor").seal(hint)
    foreign = platform.authorize(authorize_params(answer["url"], lti_message_hint=cursor))
    assert foreign.status_code == 400
    assert platform.store.statements.count() == 0


def test_launch_api_refusals(platform: Platform, client: Any, tenants: Any) -> None:
    lms = platform.lms["headers"]
    from tests.lti.platform_support import publish_lti_course

    draft = publish_lti_course(platform.store, platform.provider["org"]["id"],
                               platform.tool["id"], state="draft")
    for course_id in ("crs_missing", draft):
        missing = client.post("/lti/platform/launches", headers=lms,
                              json={"course_id": course_id, "learner": "x"})
        assert missing.status_code == 404
    external = client.post("/courses", headers=platform.provider["headers"], json={
        "title": {"en": "Outside"}, "category": "course", "mode": "self-paced",
        "level": "beginner", "duration": "PT1H",
        "delivery": {"type": "external", "url": "https://x.example.org/c"}}).get_json()
    stored = {k: v for k, v in external.items() if k != "allowed_actions"}
    platform.store.courses.replace({**stored, "live": stored["revision"],
                                    "state": "published"}, stored["row_version"])
    not_lti = client.post("/lti/platform/launches", headers=lms,
                          json={"course_id": external["id"], "learner": "x"})
    assert not_lti.status_code == 409
    bad_role = client.post("/lti/platform/launches", headers=lms,
                           json={"course_id": platform.course_id, "learner": "x",
                                 "roles": ["Administrator"]})
    assert bad_role.status_code == 400 and "roles.0" in bad_role.get_json()["errors"]
    reader = tenants.make("State LMS", "lms", ("lrs-reader",))
    assert client.post("/lti/platform/launches", headers=reader["headers"],
                       json={"course_id": platform.course_id, "learner": "x"}
                       ).status_code == 403
