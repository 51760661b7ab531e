"""What the platform side's tests share: a provider with a registered tool (its own RSA key),
a published ``lti`` course, an LMS that launches it, and the steps of the OIDC flow driven
through the test client."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from marketplace.service import new_course
from tests.marketplace.conftest import course_body

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
TOOL_LOGIN = "https://tool.example.org/login"
TOOL_LAUNCH = "https://tool.example.org/launch"
TARGET = "https://tool.example.org/activities/7"


def tool_key(kid: str = "tool-key-1") -> RSAKey:
    """An RSA key of a test tool."""
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


def publish_lti_course(store: Any, provider_id: str, tool_id: str, state: str = "published",
                       **delivery: Any) -> str:
    """A course of ``provider_id`` delivered by ``tool_id``, stored in ``state``."""
    content = course_body(delivery={"type": "lti", "tool": tool_id, "target_link_uri": TARGET,
                                    **delivery})
    course, events = new_course(provider_id, content, "test", provider_id)
    course["state"] = state
    if state == "published":
        course.update(live=course["revision"], live_version=1, published_at=course["created_at"])
    store.courses.add(course, events[0])
    return str(course["id"])


def query(url: str) -> dict[str, str]:
    """The query parameters of a URL."""
    return dict(parse_qsl(urlsplit(url).query))


def authorize_params(login_url: str, nonce: str = "nonce-1", state: str = "state-1",
                     **changes: str | None) -> dict[str, str]:
    """What a tool sends to the authorization endpoint after the login initiation at
    ``login_url`` (LTI 1.3 §5.1.1.2); ``changes`` replace parameters (None drops one)."""
    got = query(login_url)
    params = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
              "prompt": "none", "client_id": got["client_id"], "redirect_uri": TOOL_LAUNCH,
              "login_hint": got["login_hint"], "lti_message_hint": got["lti_message_hint"],
              "nonce": nonce, "state": state}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return params


def form_fields(page: str) -> tuple[str, dict[str, str]]:
    """(action, hidden fields) of an auto-posting page."""
    action = re.search(r'<form method="post" action="([^"]*)"', page)
    assert action, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page))
    return action.group(1).replace("&amp;", "&"), fields


def hub_claims(client: Any, id_token: str) -> dict[str, Any]:
    """The claims of a hub-signed token, verified against the hub's published JWKS."""
    keys = KeySet.import_key_set(client.get("/lti/jwks").get_json())
    return dict(jwt.decode(id_token, keys, algorithms=["RS256"]).claims)


def sign_as_tool(key: RSAKey, claims: dict[str, Any], alg: str = "RS256",
                 kid: str | None = None) -> str:
    """A JWT the tool sends (a Deep Linking response)."""
    header = {"alg": alg, "typ": "JWT", "kid": kid or key.kid}
    return jwt.encode(header, claims, key)


@dataclass
class Platform:
    """The cast: ``provider`` (publisher, lti-manager), ``lms`` (lti-manager, lrs-reader),
    the provider's ``tool`` (registered with ``key``'s public JWK) and a published ``course``."""

    client: Any
    store: Any
    provider: dict[str, Any]
    lms: dict[str, Any]
    tool: dict[str, Any]
    key: RSAKey
    course_id: str

    def launch(self, **body: Any) -> dict[str, Any]:
        """``POST /lti/platform/launches`` as the LMS; the 201 body."""
        res = self.client.post("/lti/platform/launches", headers=self.lms["headers"],
                               json={"course_id": self.course_id, "learner": "u-42", **body})
        assert res.status_code == 201, res.get_json()
        return res.get_json()  # type: ignore[no-any-return]

    def authorize(self, params: dict[str, str], method: str = "get") -> Any:
        """The authorization endpoint's answer."""
        if method == "get":
            return self.client.get("/lti/platform/authorize", query_string=params)
        return self.client.post("/lti/platform/authorize", data=params)


def make_platform(client: Any, app: Any, tenants: Any, **tool: Any) -> Platform:
    """Register the provider's tool and publish its course."""
    provider = tenants.make("Provider A", roles=("publisher", "lti-manager"))
    lms = tenants.make("State LMS", "lms", ("lti-manager", "lrs-reader"))
    key = tool_key()
    body = {"name": "Quiz tool", "initiate_login_url": TOOL_LOGIN, "redirect_uris": [TOOL_LAUNCH],
            "public_jwk": key.as_dict(private=False), "target_link_uri": TARGET,
            "scopes": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"], **tool}
    res = client.post("/lti/tools", json=body, headers=provider["headers"])
    assert res.status_code == 201, res.get_json()
    store = app.extensions["hub.store"]
    course_id = publish_lti_course(store, provider["org"]["id"], res.get_json()["id"],
                                   custom={"chapter": "3"})
    return Platform(client, store, provider, lms, res.get_json(), key, course_id)


def now() -> int:
    """Seconds since the epoch."""
    return int(time.time())
