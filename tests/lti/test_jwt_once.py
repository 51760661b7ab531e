"""verify_jwt consumes a token's nonce and jti ONCE through store.once (LTI 1.3 §5.1.3 item 9;
RFC 7523 §3 item 7), on every store adapter: a replay is refused naming the claim, a bad token
does not burn a good token's nonce, and of racing deliveries of one token exactly one passes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lti.errors import LtiReplay, LtiTokenError
from lti.jwt_checks import verify_jwt
from lti.remote_keys import RemoteKeySets
from tests.lti.signing_support import SigningKey, claims, jwks_server, loopback_client
from tests.racing import race
from tests.serving import StubServer

ISSUER, AUDIENCE = "https://lms.example", "client-1"
KEY = SigningKey("k1")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with jwks_server(KEY) as served:
        yield served


@pytest.fixture
def check(app: Any, server: StubServer) -> Any:
    """verify_jwt against the served key set with the app's store.once."""
    cache = RemoteKeySets(loopback_client())
    once = app.extensions["hub.store"].once

    def run(token: str, **kw: Any) -> dict[str, Any]:
        return verify_jwt(token, key_source=server.url("/jwks"), issuer=ISSUER,
                          audience=AUDIENCE, key_sets=cache, once=once, **kw)

    return run


@pytest.mark.parametrize("claim", ["nonce", "jti"])
def test_a_replayed_token_is_refused_naming_the_claim(check: Any, claim: str) -> None:
    token = KEY.sign(claims())
    scope = {f"{claim}_scope": f"test.{claim}"}
    assert check(token, **scope)
    with pytest.raises(LtiReplay) as caught:
        check(token, **scope)
    assert caught.value.status == 400 and caught.value.claim == claim
    assert caught.value.to_problem()["type"].endswith("/lti-replay")


def test_scopes_are_apart(check: Any) -> None:
    token = KEY.sign(claims())
    assert check(token, nonce_scope="lti.tool.nonce")
    assert check(token, nonce_scope="lti.platform.nonce")


def test_a_bad_token_does_not_burn_the_nonce_of_a_good_one(check: Any) -> None:
    sent = claims()
    forged = KEY.sign({**sent, "aud": "someone-else"})
    with pytest.raises(LtiTokenError) as caught:
        check(forged, nonce_scope="lti.tool.nonce")
    assert caught.value.claim == "aud"
    assert check(KEY.sign(sent), nonce_scope="lti.tool.nonce")["nonce"] == sent["nonce"]


@pytest.mark.parametrize("claim", ["nonce", "jti"])
def test_a_scope_makes_its_claim_required(check: Any, claim: str) -> None:
    with pytest.raises(LtiTokenError) as caught:
        check(KEY.sign(claims(**{claim: None})), **{f"{claim}_scope": "s"})
    assert caught.value.claim == claim


def test_of_racing_deliveries_of_one_token_exactly_one_passes(check: Any) -> None:
    token = KEY.sign(claims())
    check(KEY.sign(claims()))  # warm the key cache: the race is on the nonce, not the fetch
    results = race(*[lambda: check(token, nonce_scope="lti.tool.nonce")] * 6)
    assert sum(isinstance(r, dict) for r in results) == 1
    assert all(isinstance(r, LtiReplay) for r in results if not isinstance(r, dict))
