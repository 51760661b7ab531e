"""The tool side's security table: every bad launch of the issue's list that concerns the
tool side, sent by the development platform (a real platform on 127.0.0.1, signing real RS256
JWTs, its JWKS served over HTTP) to the hub served on 127.0.0.1. Each is refused with
application/problem+json naming the field or claim, and nothing is stored: no learner, no
statement, and the login's state is still unused (a good token posted with it afterwards
passes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from lti import links
from lti.devpeers.browser import Browser
from lti.devpeers.signing import unsigned_token
from tests.lti.tool_side_fixtures import PACKAGED, LiveHub

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
PROBLEM = "application/problem+json"
Hook = Callable[[LiveHub, dict[str, Any], dict[str, Any]], "str | None"]


def learner_count(store: Any) -> int:
    """Learners stored, whatever the adapter (the port has no listing: tests only)."""
    if hasattr(store, "query"):
        return int(store.query("SELECT count(*) FROM lti_learners")[0][0])
    return int(store.db.lti_learners.count_documents({}))


def statement_count(hub: LiveHub) -> int:
    """Statements of the LMS organisation."""
    from hub.auth import create_credential
    from tests.conftest import basic

    cred = create_credential(hub.store, hub.org_id, ["lrs-reader"])
    answer = hub.app.test_client().get("/xapi/statements", headers={
        "X-Experience-API-Version": "1.0.3", **basic(cred["key"], cred["secret"])})
    return len(answer.json["statements"])


def edit(**claims: Any) -> Hook:
    """Set claims (None: remove the claim)."""
    def hook(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> None:
        for name, value in claims.items():
            name = name.replace("LTI_", LTI)
            if value is None:
                body.pop(name, None)
            else:
                body[name] = value(hub) if callable(value) else value
    return hook


def header(**values: Any) -> Hook:
    """Set header fields (None: remove)."""
    def hook(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> None:
        for name, value in values.items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
    return hook


def alg_none(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> str:
    return unsigned_token(body, {"kid": headers["kid"]})


def hs256_with_public_key(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> str:
    """The classic confusion: HMAC keyed with the platform's public key (as a verifier that
    trusts the header's alg would use it)."""
    import json

    secret = OctKey.import_key(json.dumps(hub.platform.jwks()["keys"][0]).encode())
    return jwt.encode({"alg": "HS256", "kid": headers["kid"], "typ": "JWT"}, body, secret,
                      algorithms=["HS256"])


def rogue_signature(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> str:
    """Signed by another key under the platform's own kid: the signature does not verify."""
    return hub.platform.rogue_key.sign(body, headers)


def link_id(value: Any) -> Hook:
    def hook(hub: LiveHub, body: dict[str, Any], headers: dict[str, Any]) -> None:
        body[LTI + "resource_link"] = value
    return hook


CASES: dict[str, tuple[Hook, str]] = {
    "unknown kid": (header(kid="not-a-key-of-the-platform"), "kid"),
    "absent kid": (header(kid=None), "kid"),
    "alg none": (alg_none, "alg"),
    "HS256 keyed with the public key": (hs256_with_public_key, "alg"),
    "signature by another key": (rogue_signature, "signature"),
    "expired": (edit(exp=lambda h: int(time.time()) - 600,
                     iat=lambda h: int(time.time()) - 900), "exp"),
    "iat in the future": (edit(iat=lambda h: int(time.time()) + 3600), "iat"),
    "iat missing": (edit(iat=None), "iat"),
    "exp missing": (edit(exp=None), "exp"),
    "wrong aud": (edit(aud="another-client", azp=None), "aud"),
    "several aud without azp": (edit(aud=lambda h: [h.registration["client_id"], "other"],
                                     azp=None), "azp"),
    "several aud, azp another client": (edit(aud=lambda h: [h.registration["client_id"], "o"],
                                             azp="o"), "azp"),
    "wrong iss": (edit(iss="https://impostor.example"), "iss"),
    "nonce not the login's": (edit(nonce="a-nonce-the-hub-never-sent"), "nonce"),
    "nonce missing": (edit(nonce=None), "nonce"),
    "wrong deployment": (edit(LTI_deployment_id="another-deployment"), "deployment_id"),
    "deployment missing": (edit(LTI_deployment_id=None), "deployment_id"),
    "sub missing": (edit(sub=None), "sub"),
    "sub empty": (edit(sub=""), "sub"),
    "message type missing": (edit(LTI_message_type=None), "message_type"),
    "wrong message type": (edit(LTI_message_type="LtiSubmissionReviewRequest"),
                           "message_type"),
    "version missing": (edit(LTI_version=None), "version"),
    "wrong version": (edit(LTI_version="1.1.0"), "version"),
    "roles missing": (edit(LTI_roles=None), "roles"),
    "roles not a list": (edit(LTI_roles="Learner"), "roles"),
    "resource link missing": (edit(LTI_resource_link=None), "resource_link"),
    "resource link id missing": (link_id({"title": "no id"}), "resource_link"),
    "target_link_uri not the login's": (
        edit(LTI_target_link_uri=lambda h: links.course_target_link(h.url, PACKAGED)),
        "target_link_uri"),
    "target_link_uri missing": (edit(LTI_target_link_uri=None), "target_link_uri"),
}


def nothing_stored(hub: LiveHub) -> None:
    assert learner_count(hub.store) == 0
    assert statement_count(hub) == 0


def refused(answer: Any, field: str) -> None:
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["Content-Type"] == PROBLEM
    assert field in answer.text


@pytest.mark.parametrize("case", list(CASES))
def test_bad_id_token_is_refused_and_nothing_stored(live_hub: LiveHub, case: str) -> None:
    hub = live_hub
    hook, field = CASES[case]
    tokens: dict[str, str] = {}

    def platform_hook(kind: str, body: dict[str, Any], headers: dict[str, Any]) -> str | None:
        good = hub.platform.key.sign(dict(body), dict(headers))
        tokens["good"] = good
        return hook(hub, body, headers)

    hub.platform.jwt_hook = platform_hook
    with Browser() as browser:
        last = browser.run(hub.launch_url())
        assert last.url == links.tool_launch_url(hub.url)
        assert last.status in (400, 401), last.body
        answer = browser.session.post(last.url, data={**last.fields, "id_token": "x"},
                                      allow_redirects=False)
        refused(answer, "id_token")
        bad = browser.session.post(last.url, data=last.fields, allow_redirects=False)
        refused(bad, field)
        nothing_stored(hub)
        # The state was not burned by the bad tokens: the genuine token still launches once.
        good = browser.session.post(last.url, data={**last.fields, "id_token": tokens["good"]},
                                    allow_redirects=False)
        assert good.status_code == 302, good.text
    assert learner_count(hub.store) == 1


def test_replayed_state_is_refused(live_hub: LiveHub) -> None:
    hub = live_hub
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED))
        posted = next(h for h in browser.hops if h.url.endswith("/lti/launch"))
        assert posted.status == 302
        replay = browser.session.post(posted.url, data=posted.fields, allow_redirects=False)
    refused(replay, "state")
    assert statement_count(hub) == 1


def test_replayed_nonce_with_a_fresh_state_is_refused(live_hub: LiveHub) -> None:
    """An id_token captured from one launch, posted with the state of a new login."""
    hub = live_hub
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED))
        first = next(h for h in browser.hops if h.url.endswith("/lti/launch"))
        assert first.status == 302
        hub.platform.jwt_hook = lambda kind, body, headers: first.fields["id_token"]
        last = browser.run(hub.launch_url(PACKAGED))
    refused_hop = next(h for h in reversed(browser.hops) if h.url.endswith("/lti/launch"))
    assert refused_hop is last and last.status == 400 and "nonce" in last.body
    assert statement_count(hub) == 1


def test_state_issued_to_another_browser_is_refused(live_hub: LiveHub) -> None:
    hub = live_hub
    hub.platform.jwt_hook = None
    with Browser() as victim:
        victim.run(hub.launch_url(PACKAGED))  # the victim's browser has the hub's cookie
    with Browser() as attacker:
        login = attacker.session.get(hub.launch_url(PACKAGED), allow_redirects=False)
        authorize = attacker.session.get(login.headers["Location"], allow_redirects=False)
        from lti.devpeers.wire import read_form_post

        action, fields = read_form_post(authorize.text)
    answer = victim.session.post(action, data=fields, allow_redirects=False)
    refused(answer, "state")
    assert statement_count(hub) == 1


@pytest.mark.parametrize("target, field", [
    ("https://evil.example/lti/courses/x", "target_link_uri"),
    ("", "target_link_uri")])
def test_login_refuses_a_target_link_uri_not_on_the_hub(live_hub: LiveHub, target: str,
                                                        field: str) -> None:
    hub = live_hub
    url = hub.platform.launch_url(target_link_uri=target or "placeholder")
    if not target:
        url = url.replace("target_link_uri=placeholder&", "")
    with Browser() as browser:
        answer = browser.session.get(url, allow_redirects=False)
    refused(answer, field)
    assert hub.platform.received.all() == []  # the browser was never sent to the platform


@pytest.mark.parametrize("param, value", [
    ("iss", "https://unknown-lms.example"), ("client_id", "unknown-client"),
    ("lti_deployment_id", "unknown-deployment"), ("login_hint", "")])
def test_login_refuses_unknown_registration_or_deployment(live_hub: LiveHub, param: str,
                                                          value: str) -> None:
    from urllib.parse import parse_qsl, urlencode, urlsplit

    hub = live_hub
    parts = urlsplit(hub.launch_url())
    query = dict(parse_qsl(parts.query))
    query[param] = value
    with Browser() as browser:
        answer = browser.session.get(
            f"{links.tool_login_url(hub.url)}?{urlencode(query)}", allow_redirects=False)
    refused(answer, param)
