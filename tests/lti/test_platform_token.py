"""The platform side's token endpoint (RFC 6749 §4.4 + RFC 7523 private_key_jwt), against a
tool whose JWKS a real HTTP server on 127.0.0.1 serves, and its security table: every bad
request is refused with a problem+json body carrying the OAuth error, and nothing is stored
(no access token, and the assertion's jti is still unused)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from lti.platform_services import SCOPE_MEMBERSHIPS, SCOPE_SCORE
from tests.conftest import Tenants
from tests.lti.platform_services_support import (
    TOKEN_URL,
    ToolKeys,
    assertion,
    jwks_server,
    register_tool,
    token_form,
    tokens_stored,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def keys() -> ToolKeys:
    return ToolKeys()


@pytest.fixture
def jwks_url(keys: ToolKeys) -> Iterator[str]:
    with jwks_server(keys) as url:
        yield url


@pytest.fixture
def hub(store_url: str, tmp_path: Path) -> Iterator[Any]:
    """The hub, allowed to fetch key sets from 127.0.0.1 (the test tool's JWKS server)."""
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_PUBLIC_URL": "http://hub.test", "HUB_FORWARDING_WORKER": "off",
                      "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    yield app
    app.extensions["hub.store"].close()


@pytest.fixture
def tool(hub: Any, keys: ToolKeys, jwks_url: str) -> dict[str, Any]:
    """A tool registered with its JWKS URL, holding the score and membership scopes."""
    org = Tenants(hub).make("Quiz Provider", "provider", ("lti-manager",))["org"]
    return register_tool(hub.extensions["hub.store"], org["id"], keys, key_set_url=jwks_url,
                         scopes=(SCOPE_SCORE, SCOPE_MEMBERSHIPS))


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims_for(client_id: str, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "iat": now,
            "exp": now + 300, "jti": "jti-forged", **extra}


def test_a_tool_gets_a_token_and_only_its_hash_is_stored(hub: Any, tool: dict[str, Any],
                                                        keys: ToolKeys) -> None:
    signed = assertion(keys, tool["client_id"])
    got = hub.test_client().post("/lti/platform/token",
                                 data=token_form(signed, f"{SCOPE_SCORE} {SCOPE_MEMBERSHIPS}"))
    assert got.status_code == 200, got.get_json()
    body = got.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"].split() == [SCOPE_SCORE, SCOPE_MEMBERSHIPS]
    assert got.headers["Cache-Control"] == "no-store"
    store = hub.extensions["hub.store"]
    stored = store.lti_contexts.get_token(hashlib.sha256(body["access_token"].encode())
                                          .hexdigest())
    assert stored["tool_id"] == tool["id"] and stored["scopes"] == [SCOPE_SCORE,
                                                                    SCOPE_MEMBERSHIPS]
    assert body["access_token"] not in json.dumps(stored)
    assert store.lti_contexts.get_token(body["access_token"]) is None


def test_a_tool_registered_by_public_key_gets_a_token(hub: Any, keys: ToolKeys) -> None:
    org = Tenants(hub).make("Key Provider", "provider", ("lti-manager",))["org"]
    tool = register_tool(hub.extensions["hub.store"], org["id"], keys, scopes=(SCOPE_SCORE,))
    got = hub.test_client().post("/lti/platform/token", data=token_form(
        assertion(keys, tool["client_id"]), SCOPE_SCORE))
    assert got.status_code == 200, got.get_json()
    assert got.get_json()["scope"] == SCOPE_SCORE


Case = Callable[[Any, dict[str, Any], ToolKeys], dict[str, str]]


def _other_key(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    impostor = ToolKeys(kid=keys.kid)  # same kid, another key: the signature cannot verify
    return token_form(assertion(impostor, tool["client_id"]), SCOPE_SCORE)


def _alg_none(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    unsigned = f"{b64({'alg': 'none', 'kid': keys.kid})}.{b64(claims_for(tool['client_id']))}."
    return token_form(unsigned, SCOPE_SCORE)


def _hs256_with_public_key(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    head = b64({"alg": "HS256", "kid": keys.kid, "typ": "JWT"})
    body = b64(claims_for(tool["client_id"]))
    secret = json.dumps(keys.public_jwk()).encode()
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return token_form(f"{head}.{body}.{b64(mac)}", SCOPE_SCORE)


def _claims(**changes: Any) -> Case:
    """Claims changed; a callable value is a time, computed from now when the test runs."""
    def case(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
        now = int(time.time())
        claims = {k: v(now) if callable(v) else v for k, v in changes.items()}
        return token_form(assertion(keys, tool["client_id"], **claims), SCOPE_SCORE)
    return case


def _form(scope: str | None = SCOPE_SCORE, **changes: str) -> Case:
    def case(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
        return {**token_form(assertion(keys, tool["client_id"]), scope), **changes}
    return case


def _unknown_client(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    return token_form(assertion(keys, "client-nobody"), SCOPE_SCORE)


def _iss_of_another_tool(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    # Signed with this tool's key in another registered tool's name: that tool's key cannot
    # verify it.
    other = register_tool(hub.extensions["hub.store"], tool["org_id"], ToolKeys(kid=keys.kid))
    return token_form(assertion(keys, other["client_id"]), SCOPE_SCORE)


def _absent_kid(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    # A key set needs the kid to pick the key (LTI Security Framework §6.3).
    head, body, signature = assertion(keys, tool["client_id"]).split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=="))
    header.pop("kid")
    return token_form(f"{b64(header)}.{body}.{signature}", SCOPE_SCORE)


def _not_a_jwt(hub: Any, tool: dict[str, Any], keys: ToolKeys) -> dict[str, str]:
    return token_form("not.a-jwt", SCOPE_SCORE)


SECURITY_TABLE: list[tuple[str, Case, int, str, str]] = [
    # (case, request, status, OAuth error, field named)
    ("bad signature", _other_key, 401, "invalid_client", "client_assertion.signature"),
    ("alg none", _alg_none, 401, "invalid_client", "client_assertion.header.alg"),
    ("HS256 keyed with the public key", _hs256_with_public_key, 401, "invalid_client",
     "client_assertion.header.alg"),
    ("absent kid", _absent_kid, 401, "invalid_client", "client_assertion.header.kid"),
    ("wrong iss", _claims(iss="client-other"), 401, "invalid_client", "client_assertion"),
    ("iss of another tool", _iss_of_another_tool, 401, "invalid_client",
     "client_assertion.signature"),
    ("wrong sub", _claims(sub="someone-else"), 401, "invalid_client", "client_assertion.sub"),
    ("wrong aud", _claims(aud="https://elsewhere.example/token"), 401, "invalid_client",
     "client_assertion.aud"),
    ("several aud without azp", _claims(aud=[TOKEN_URL, "https://x.example"]), 401,
     "invalid_client", "client_assertion.azp"),
    ("expired", _claims(iat=lambda t: t - 900, exp=lambda t: t - 600), 401, "invalid_client",
     "client_assertion.exp"),
    ("iat in the future", _claims(iat=lambda t: t + 900, exp=lambda t: t + 1000), 401,
     "invalid_client", "client_assertion.iat"),
    ("missing iat", _claims(iat=None), 401, "invalid_client", "client_assertion.iat"),
    ("missing jti", _claims(jti=None), 401, "invalid_client", "client_assertion.jti"),
    ("lives too long", _claims(exp=lambda t: t + 7200), 401, "invalid_client",
     "client_assertion.exp"),
    ("unknown client", _unknown_client, 401, "invalid_client", "client_assertion"),
    ("client_id not the iss", _form(client_id="client-other"), 401, "invalid_client",
     "client_id"),
    ("not a JWT", _not_a_jwt, 401, "invalid_client", "client_assertion"),
    ("scope not granted", _form("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"),
     400, "invalid_scope", "scope"),
    ("no scope", _form(None), 400, "invalid_scope", "scope"),
    ("wrong grant type", _form(grant_type="password"), 400, "unsupported_grant_type",
     "grant_type"),
    ("wrong assertion type", _form(client_assertion_type="basic"), 400, "invalid_request",
     "client_assertion_type"),
]


@pytest.mark.parametrize(("case", "make", "status", "error", "field"), SECURITY_TABLE,
                         ids=[row[0] for row in SECURITY_TABLE])
def test_security_table_refuses_and_stores_nothing(hub: Any, tool: dict[str, Any],
                                                   keys: ToolKeys, case: str, make: Case,
                                                   status: int, error: str,
                                                   field: str) -> None:
    form = make(hub, tool, keys)
    got = hub.test_client().post("/lti/platform/token", data=form)
    assert got.status_code == status, got.get_json()
    assert got.mimetype == PROBLEM
    body = got.get_json()
    assert body["error"] == error and body["status"] == status
    assert field in body["errors"], body
    assert body["error_description"]
    assert "access_token" not in body
    store = hub.extensions["hub.store"]
    # Nothing stored: the jti of a refused assertion is still unused, and no token exists.
    jti = _jti(form["client_assertion"])
    if jti:
        assert store.once.consume(f"lti.platform.token.jti:{tool['id']}", jti,
                                  "9999-12-31T00:00:00.000000Z") is True
    assert tokens_stored(store) == 0


def _jti(signed: str) -> str | None:
    try:
        return json.loads(base64.urlsafe_b64decode(signed.split(".")[1] + "==")).get("jti")
    except (ValueError, IndexError):
        return None


def test_a_replayed_assertion_is_refused_and_grants_nothing_more(hub: Any,
                                                                 tool: dict[str, Any],
                                                                 keys: ToolKeys) -> None:
    client = hub.test_client()
    form = token_form(assertion(keys, tool["client_id"]), SCOPE_SCORE)
    assert client.post("/lti/platform/token", data=form).status_code == 200
    again = client.post("/lti/platform/token", data=form)
    assert again.status_code == 401 and again.mimetype == PROBLEM
    assert again.get_json()["error"] == "invalid_client"
    assert "client_assertion.jti" in again.get_json()["errors"]
    assert tokens_stored(hub.extensions["hub.store"]) == 1


def test_a_refused_scope_does_not_burn_the_assertion(hub: Any, tool: dict[str, Any],
                                                     keys: ToolKeys) -> None:
    signed = assertion(keys, tool["client_id"])
    client = hub.test_client()
    refused = client.post("/lti/platform/token", data=token_form(
        signed, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"))
    assert refused.status_code == 400
    assert client.post("/lti/platform/token",
                       data=token_form(signed, SCOPE_SCORE)).status_code == 200


def test_repeated_parameters_are_refused(hub: Any, tool: dict[str, Any],
                                         keys: ToolKeys) -> None:
    form = token_form(assertion(keys, tool["client_id"]), SCOPE_SCORE)
    repeated = MultiDict([*form.items(), ("scope", SCOPE_SCORE)])
    got = hub.test_client().post("/lti/platform/token", data=repeated)
    assert got.status_code == 400 and got.get_json()["error"] == "invalid_request"
    assert tokens_stored(hub.extensions["hub.store"]) == 0
