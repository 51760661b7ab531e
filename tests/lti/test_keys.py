"""lti.keys: the hub signs with one RS256 key at a time, publishes every key a verifier may
still need, rotates without a gap, and keeps private keys sealed. Tokens are verified with
joserfc against the JWKS the hub serves (no mock of the JWT library)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from hub.errors import Unavailable
from hub.sealing import SecretBox
from lti.keys import (
    KEY_CACHE_SECONDS,
    PUBLISH_AHEAD,
    RETIRED_GRACE,
    SEAL_PURPOSE,
    SIGNED_TOKEN_MAX_LIFETIME,
    HubKeys,
)
from tests.racing import race

DAY = 86400


class Clock:
    """Time the test moves (seconds since the epoch)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(app: Any) -> Any:
    return app.extensions["hub.store"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


def keys_of(store: Any, clock: Clock, secret: bytes = b"k" * 32) -> HubKeys:
    """A HubKeys as one process of the hub holds it."""
    return HubKeys(store, SecretBox(secret, SEAL_PURPOSE), rotation_days=90, clock=clock)


def claims(clock: Clock, lifetime: int = 300) -> dict[str, Any]:
    return {"iss": "http://hub.test", "aud": "client-1", "sub": "learner-1",
            "exp": int(clock()) + lifetime}


def verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The claims of a token checked against a published key set (found by ``kid``)."""
    return jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"]).claims


def header_of(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore


def kids(jwks: dict[str, Any]) -> list[str]:
    return [k["kid"] for k in jwks["keys"]]


def test_sign_is_rs256_with_kid_and_typ_and_verifies_against_the_jwks(store: Any,
                                                                      clock: Clock) -> None:
    keys = keys_of(store, clock)
    token = keys.sign(claims(clock), headers={"typ": "JWT", "alg": "none", "kid": "forged"})
    header = header_of(token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    jwks = keys.jwks()
    assert header["kid"] == kids(jwks)[0] and len(kids(jwks)) == 1
    got = verify(token, jwks)
    assert got["sub"] == "learner-1" and got["iat"] == int(clock())
    public = jwks["keys"][0]
    assert (public["kty"], public["alg"], public["use"]) == ("RSA", "RS256", "sig")
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(public)  # nothing private is published
    other = keys_of(store, clock).sign(claims(clock))  # another process: the same key
    assert header_of(other)["kid"] == header["kid"]


def test_a_token_altered_after_signing_does_not_verify(store: Any, clock: Clock) -> None:
    keys = keys_of(store, clock)
    head, _body, sig = keys.sign(claims(clock)).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(
        {**claims(clock), "sub": "admin"}).encode()).rstrip(b"=").decode()
    with pytest.raises(BadSignatureError):
        verify(f"{head}.{forged}.{sig}", keys.jwks())


@pytest.mark.parametrize("bad", [
    {"exp": None}, {"exp": "9999999999"}, {"exp": True},
    {"exp": "far"},  # replaced below by a lifetime past the limit
])
def test_sign_refuses_a_missing_or_too_distant_exp(store: Any, clock: Clock,
                                                   bad: dict[str, Any]) -> None:
    keys = keys_of(store, clock)
    body = claims(clock)
    if bad["exp"] == "far":
        body["exp"] = int(clock()) + SIGNED_TOKEN_MAX_LIFETIME + 1
    elif bad["exp"] is None:
        del body["exp"]
    else:
        body.update(bad)
    with pytest.raises(ValueError, match="exp"):
        keys.sign(body)
    keys.sign(claims(clock, lifetime=SIGNED_TOKEN_MAX_LIFETIME))  # the limit itself is fine


def test_racing_processes_create_exactly_one_first_key(store: Any, clock: Clock) -> None:
    processes = [keys_of(store, clock) for _ in range(4)]
    tokens = race(*[lambda k=k: k.sign(claims(clock)) for k in processes])
    assert all(isinstance(t, str) for t in tokens), tokens
    assert len({header_of(t)["kid"] for t in tokens}) == 1
    assert len(store.lti_keys.list()) == 1
    jwks = processes[0].jwks()
    for token in tokens:
        verify(token, jwks)


def test_rotation_publishes_ahead_switches_then_retires_the_old_key(store: Any,
                                                                   clock: Clock) -> None:
    keys = keys_of(store, clock)
    first = keys.sign(claims(clock))
    old_kid = header_of(first)["kid"]

    clock.now += 90 * DAY + 1  # rotation is due: the next key is published, not yet used
    before_switch = keys.sign(claims(clock, lifetime=SIGNED_TOKEN_MAX_LIFETIME))
    assert header_of(before_switch)["kid"] == old_kid
    jwks = keys.jwks()
    assert len(kids(jwks)) == 2 and old_kid == kids(jwks)[1]
    new_kid = kids(jwks)[0]

    clock.now += PUBLISH_AHEAD  # the new key signs; the old one is still published
    after_switch = keys_of(store, clock).sign(claims(clock))
    assert header_of(after_switch)["kid"] == new_kid
    jwks = keys.jwks()
    assert kids(jwks) == [new_kid, old_kid]
    verify(before_switch, jwks)  # what the old key signed still verifies until it expires

    clock.now += RETIRED_GRACE - 1
    assert old_kid in kids(keys.jwks())
    clock.now += 1  # everything the old key signed has expired
    assert kids(keys.jwks()) == [new_kid]
    keys_of(store, clock).rotate()  # a later rotation purges the retired key from the store
    assert old_kid not in [k["kid"] for k in store.lti_keys.list()]


def test_another_process_keeps_its_cached_key_but_it_stays_published(store: Any,
                                                                     clock: Clock) -> None:
    """A process that has not re-read the keys signs with the old one for up to
    KEY_CACHE_SECONDS: that key must stay in the JWKS for tokens signed that late."""
    lagging = keys_of(store, clock)
    old_kid = header_of(lagging.sign(claims(clock)))["kid"]
    operator = keys_of(store, clock)
    new_kid = operator.rotate(immediately=True)
    assert header_of(operator.sign(claims(clock)))["kid"] == new_kid
    clock.now += KEY_CACHE_SECONDS - 1
    late = lagging.sign(claims(clock, lifetime=SIGNED_TOKEN_MAX_LIFETIME))
    assert header_of(late)["kid"] == old_kid
    clock.now += SIGNED_TOKEN_MAX_LIFETIME  # the late token's last second of validity
    assert old_kid in kids(operator.jwks())
    verify(late, operator.jwks())
    clock.now += 2
    assert header_of(lagging.sign(claims(clock)))["kid"] == new_kid  # it re-read the keys


def test_private_keys_are_sealed_at_rest(store: Any, clock: Clock) -> None:
    keys = keys_of(store, clock)
    keys.sign(claims(clock))
    stored = store.lti_keys.list()[0]
    assert "PRIVATE KEY" not in json.dumps(stored)
    pem = SecretBox(b"k" * 32, SEAL_PURPOSE).open(stored["private_sealed"])
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")


def test_a_key_that_no_longer_opens_is_503_until_an_immediate_rotation(store: Any,
                                                                      clock: Clock) -> None:
    keys_of(store, clock).sign(claims(clock))
    changed = keys_of(store, clock, secret=b"n" * 32)  # HUB_SECRET_KEY changed
    with pytest.raises(Unavailable, match="rotate-keys"):
        changed.sign(claims(clock))
    new_kid = changed.rotate(immediately=True)
    token = changed.sign(claims(clock))
    assert header_of(token)["kid"] == new_kid
    verify(token, changed.jwks())


def test_the_rotation_period_is_the_setting(tmp_path: Any) -> None:
    from hub import create_app
    from lti.keys import hub_keys

    app = create_app({"TESTING": True, "HUB_STORE_URL": f"sqlite:///{tmp_path}/hub.db",
                      "HUB_BLOB_URL": f"file://{tmp_path}/blobs",
                      "HUB_LTI_KEY_ROTATION_DAYS": "7", "HUB_FORWARDING_WORKER": "off"})
    try:
        with app.app_context():
            keys = hub_keys()
            assert keys is hub_keys() and keys.rotation_seconds == 7 * DAY
    finally:
        app.extensions["hub.store"].close()
