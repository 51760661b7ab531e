"""The development peers refuse what a strict LTI party must refuse, and their test hooks make
the bad tokens the hub's security tests need: a peer that accepted anything would make those
tests pass for nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from lti.devpeers.browser import Browser
from lti.devpeers.platform import DEEP_LINKING, DevPlatform
from lti.devpeers.signing import unsigned_token
from lti.devpeers.tool import DevTool
from lti.devpeers.wire import post_form, request, send_json
from tests.lti.devpeer_fixtures import dev_pair, dev_platform, dev_tool

__all__ = ["dev_pair", "dev_platform", "dev_tool"]  # fixtures, imported for pytest

Claims = dict[str, Any]


def _set(name: str, value: Any) -> Callable[[str, Claims, Claims], None]:
    def hook(kind: str, claims: Claims, headers: Claims) -> None:
        claims[name] = value
    return hook


def _drop(name: str) -> Callable[[str, Claims, Claims], None]:
    def hook(kind: str, claims: Claims, headers: Claims) -> None:
        claims.pop(name, None)
    return hook


ID_TOKEN_CASES: dict[str, tuple[Callable[[DevPlatform], Any], str]] = {
    "rogue key (unknown kid)": (lambda p: setattr(p, "sign_with_rogue_key", True), "unknown kid"),
    "known kid, other key": (lambda p: setattr(
        p, "jwt_hook", lambda k, c, h: p.rogue_key.sign(c, h)), "bad signature"),
    "alg none": (lambda p: setattr(p, "jwt_hook", lambda k, c, h: unsigned_token(c)),
                 "alg 'none'"),
    "no kid": (lambda p: setattr(p, "jwt_hook", lambda k, c, h: h.pop("kid") and None),
               "unknown kid"),
    "other issuer": (lambda p: setattr(p, "jwt_hook", _set("iss", "https://evil")), "iss"),
    "other audience": (lambda p: setattr(p, "jwt_hook", _set("aud", "someone")), "aud"),
    "several audiences, azp other": (lambda p: setattr(p, "jwt_hook", lambda k, c, h: c.update(
        aud=[c["aud"], "x"], azp="x")), "azp"),
    "expired": (lambda p: setattr(p, "jwt_hook", _set("exp", time.time() - 3600)), "exp"),
    "iat in the future": (lambda p: setattr(p, "jwt_hook", _set("iat", time.time() + 3600)),
                          "iat"),
    "no iat": (lambda p: setattr(p, "jwt_hook", _drop("iat")), "iat"),
    "other nonce": (lambda p: setattr(p, "jwt_hook", _set("nonce", "n-other")), "nonce"),
    "other deployment": (lambda p: setattr(p, "jwt_hook", _set(
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id", "d-x")), "deployment_id"),
    "other target link": (lambda p: setattr(p, "jwt_hook", _set(
        "https://purl.imsglobal.org/spec/lti/claim/target_link_uri", "http://x/")),
        "target_link_uri"),
    "no roles": (lambda p: setattr(p, "jwt_hook", _drop(
        "https://purl.imsglobal.org/spec/lti/claim/roles")), "roles"),
}


@pytest.mark.parametrize("case", ID_TOKEN_CASES)
def test_tool_refuses_bad_id_token(dev_pair: tuple[DevPlatform, DevTool], case: str) -> None:
    platform, tool = dev_pair
    spoil, reason = ID_TOKEN_CASES[case]
    spoil(platform)
    with Browser() as browser:
        last = browser.run(platform.launch_url())
    assert (last.url, last.status) == (tool.launch_url, 400)
    refused = tool.received.last("refused")
    assert refused is not None and reason in refused["reason"]
    assert tool.received.all("launch") == [] and tool.launches == {}


def test_tool_refuses_a_replayed_id_token(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    with Browser() as browser:
        browser.run(platform.launch_url())
    posted = browser.hops[-1].fields
    assert post_form(tool.launch_url, posted).status == 400  # state used
    assert "state" in tool.received.last("refused")["reason"]  # type: ignore[index]
    assert len(tool.received.all("launch")) == 1


AUTHORIZE_CASES: dict[str, tuple[str, str | None]] = {
    "unregistered redirect_uri": ("redirect_uri", "http://127.0.0.1:9/elsewhere"),
    "unknown client": ("client_id", "stranger"),
    "no nonce": ("nonce", None),
    "implicit fragment": ("response_mode", "fragment"),
    "other user": ("login_hint", "someone-else"),
    "forged message hint": ("lti_message_hint", "forged"),
}


@pytest.mark.parametrize("case", AUTHORIZE_CASES)
def test_platform_refuses_bad_authorization_request(
        dev_pair: tuple[DevPlatform, DevTool], case: str) -> None:
    platform, _tool = dev_pair
    login = request("GET", platform.launch_url())
    authorize = login.headers["Location"]
    base, query = authorize.split("?", 1)
    params = dict(p.split("=", 1) for p in query.split("&"))
    name, value = AUTHORIZE_CASES[case]
    from urllib.parse import unquote, urlencode
    params = {k: unquote(v) for k, v in params.items()}
    if value is None:
        params.pop(name)
    else:
        params[name] = value
    resp = request("GET", f"{base}?{urlencode(params)}")
    assert resp.status == 400
    assert platform.received.all("authorize") == []


def test_platform_message_hint_is_used_once(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, _ = dev_pair
    authorize = request("GET", platform.launch_url()).headers["Location"]
    assert request("GET", authorize).status == 200
    assert request("GET", authorize).status == 400


def _launch_id(platform: DevPlatform, tool: DevTool) -> str:
    with Browser() as browser:
        browser.run(platform.launch_url())
    return str(tool.received.last("launch")["launch_id"])  # type: ignore[index]


ASSERTION_CASES: dict[str, Callable[[DevTool], Any]] = {
    "rogue key": lambda t: setattr(t, "sign_with_rogue_key", True),
    "aud not the token URL": lambda t: setattr(t, "jwt_hook", _set("aud", "http://x/token")),
    "sub not the client": lambda t: setattr(t, "jwt_hook", _set("sub", "other")),
    "expired": lambda t: setattr(t, "jwt_hook", _set("exp", time.time() - 3600)),
    "replayed jti": lambda t: setattr(t, "jwt_hook", _set("jti", "same-jti")),
}


@pytest.mark.parametrize("case", ASSERTION_CASES)
def test_platform_refuses_bad_client_assertion(dev_pair: tuple[DevPlatform, DevTool],
                                               case: str) -> None:
    platform, tool = dev_pair
    launch_id = _launch_id(platform, tool)
    ASSERTION_CASES[case](tool)
    if case == "replayed jti":
        tool.post_score(launch_id, 1)  # the first use of the jti is fine
    resp = send_json("POST", f"{tool.base_url}/_launches/{launch_id}/score", {"scoreGiven": 5})
    assert resp.status == 502
    refused = platform.received.last("refused")
    assert refused is not None and refused["path"] == "/token" and refused["status"] == 401
    assert all(s["score"]["scoreGiven"] != 5 for s in platform.received.all("score"))


def test_ags_needs_a_token_and_the_score_media_type(
        dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    launch_id = _launch_id(platform, tool)
    lineitem = tool.post_score(launch_id, 1)["lineitem"]
    score = {"userId": "u", "activityProgress": "Completed", "gradingProgress": "FullyGraded",
             "timestamp": "2026-01-01T00:00:00Z", "scoreGiven": 2, "scoreMaximum": 10}
    assert send_json("POST", f"{lineitem}/scores", score,
                     "application/vnd.ims.lis.v1.score+json").status == 401
    token = tool.access_token(["https://purl.imsglobal.org/spec/lti-ags/scope/score"])
    auth = {"Authorization": f"Bearer {token}"}
    assert send_json("POST", f"{lineitem}/scores", score, headers=auth).status == 415
    assert request("GET", f"{lineitem}/results", headers=auth).status == 403  # scope
    assert send_json("POST", f"{lineitem}/scores", score,
                     "application/vnd.ims.lis.v1.score+json", auth).status == 204


@pytest.mark.parametrize("spoil", ["rogue", "no data", "other audience"])
def test_platform_refuses_bad_deep_link_response(dev_pair: tuple[DevPlatform, DevTool],
                                                 spoil: str) -> None:
    platform, tool = dev_pair
    if spoil == "rogue":
        tool.sign_with_rogue_key = True
    elif spoil == "no data":
        tool.jwt_hook = _drop("https://purl.imsglobal.org/spec/lti-dl/claim/data")
    else:
        tool.jwt_hook = _set("aud", "http://elsewhere")
    with Browser() as browser:
        last = browser.run(platform.launch_url(message_type=DEEP_LINKING))
    assert last.status == 400 and last.url == f"{platform.base_url}/deep-link/return"
    assert platform.received.all("deep_link") == []


def test_hook_sees_the_kind_of_each_jwt(dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    kinds: list[str] = []
    platform.jwt_hook = tool.jwt_hook = lambda kind, claims, headers: kinds.append(kind)
    tool.post_score(_launch_id(platform, tool), 3)
    with Browser() as browser:
        browser.run(platform.launch_url(message_type=DEEP_LINKING))
    assert kinds == ["id_token", "client_assertion", "id_token", "deep_link_response"]


def test_an_unreachable_platform_is_a_refusal_not_a_crash(
        dev_pair: tuple[DevPlatform, DevTool]) -> None:
    platform, tool = dev_pair
    tool.settings.jwks_url = "http://127.0.0.1:9/jwks"  # discard port: nothing listens
    with Browser() as browser:
        last = browser.run(platform.launch_url())
    assert last.status == 502 and tool.launches == {}
    assert "failed" in tool.received.last("refused")["reason"]  # type: ignore[index]
