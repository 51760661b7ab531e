"""GET /lti/jwks and /.well-known/jwks.json serve the keys that verify what the hub signs, to
anyone, over real HTTP; ``hub lti rotate-keys`` publishes a new key."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from lti.keys import JWKS_MAX_AGE, hub_keys
from tests.serving import served_app


@pytest.fixture
def served(app: Any) -> Iterator[str]:
    """The hub on a real HTTP server on 127.0.0.1; its base URL."""
    with served_app(app) as base_url:
        yield base_url


def test_a_hub_token_verifies_with_the_jwks_fetched_over_http(app: Any, served: str) -> None:
    with app.app_context():
        token = hub_keys().sign({"iss": "http://hub.test", "aud": "tool",
                                 "exp": int(time.time()) + 60})
    for path in ("/lti/jwks", "/.well-known/jwks.json"):
        with urllib.request.urlopen(served + path, timeout=10) as response:
            assert response.headers["Cache-Control"] == f"public, max-age={JWKS_MAX_AGE}"
            assert response.headers["Content-Type"].startswith("application/json")
            jwks = json.loads(response.read())
        claims = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"]).claims
        assert claims["aud"] == "tool"


def test_jwks_needs_no_credential_and_creates_the_first_key(client: Any) -> None:
    first = client.get("/lti/jwks")
    assert first.status_code == 200
    keys = first.get_json()["keys"]
    assert len(keys) == 1 and set(keys[0]) == {"kty", "kid", "use", "alg", "n", "e"}
    assert client.get("/.well-known/jwks.json").get_json() == first.get_json()


def test_jwks_is_documented(client: Any) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/lti/jwks", "/.well-known/jwks.json"):
        assert "200" in paths[path]["get"]["responses"]


def test_rotate_keys_command_publishes_a_new_key(app: Any, client: Any, runner: Any) -> None:
    old = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    result = runner.invoke(args=["lti", "rotate-keys"])
    assert result.exit_code == 0, result.output
    new_kid = result.output.strip()
    published = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert published == [new_kid, *old]
    with app.app_context():  # published ahead: the old key still signs
        token = hub_keys().sign({"exp": int(time.time()) + 60})
    assert jwt.decode(token, KeySet.import_key_set(client.get("/lti/jwks").get_json()),
                      algorithms=["RS256"]).header["kid"] == old[0]
    result = runner.invoke(args=["lti", "rotate-keys", "--immediately"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        token = hub_keys().sign({"exp": int(time.time()) + 60})
    assert jwt.decode(token, KeySet.import_key_set(client.get("/lti/jwks").get_json()),
                      algorithms=["RS256"]).header["kid"] == result.output.strip()


def test_list_keys_command_shows_dates_and_never_the_private_key(client: Any,
                                                                runner: Any) -> None:
    published = client.get("/lti/jwks").get_json()["keys"]
    result = runner.invoke(args=["lti", "list-keys"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [k["kid"] for k in listed] == [published[0]["kid"]]
    assert listed[0]["public_jwk"] == published[0] and listed[0]["retired_at"] is None
    assert "private_sealed" not in result.output and "PRIVATE" not in result.output
