"""lti.jwt_checks.verify_jwt: every bad token of the table is refused with a 400 naming the claim,
against real RSA/EC keys, real signatures and a real JWKS served over HTTP on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from lti.errors import LtiTokenError
from lti.jwt_checks import MAX_TOKEN_BYTES, verify_jwt
from lti.remote_keys import RemoteKeySets
from tests.lti.signing_support import SigningKey, b64, claims, jwks_server, loopback_client
from tests.serving import StubServer

ISSUER, AUDIENCE = "https://lms.example", "client-1"
KEY = SigningKey("k1")
EC_KEY = SigningKey("e1", kind="EC")
WEAK_KEY = SigningKey("weak", bits=1024)
STRANGER = SigningKey("k1")  # another private key under the same kid


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with jwks_server(KEY, EC_KEY, WEAK_KEY) as served:
        served.routes["/jwks"][2]["keys"].append(
            {**SigningKey("rs384-only").public_jwk(), "alg": "RS384"})
        yield served


@pytest.fixture
def check(server: StubServer) -> Any:
    """verify_jwt against the served key set, with the expected issuer and audience."""
    cache = RemoteKeySets(loopback_client())

    def run(token: str, **kw: Any) -> dict[str, Any]:
        kw.setdefault("key_source", server.url("/jwks"))
        return verify_jwt(token, issuer=ISSUER, audience=AUDIENCE, key_sets=cache, **kw)

    return run


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_a_good_rsa_token_gives_its_claims(check: Any, alg: str) -> None:
    sent = claims()
    assert check(KEY.sign(sent, alg=alg)) == sent


def test_a_good_es256_token_and_several_audiences_with_azp(check: Any) -> None:
    sent = claims(audience=[AUDIENCE, "other"], azp=AUDIENCE)
    assert check(EC_KEY.sign(sent))["azp"] == AUDIENCE


def test_a_registered_public_jwk_needs_no_kid(check: Any) -> None:
    sent = claims()
    assert check(KEY.sign(sent, kid=None), key_source=KEY.public_jwk()) == sent
    with pytest.raises(LtiTokenError) as caught:
        check(KEY.sign(sent, kid="other"), key_source=KEY.public_jwk())
    assert caught.value.claim == "header.kid"


def _unsigned(alg: str) -> str:
    return f"{b64({'alg': alg, 'kid': 'k1', 'typ': 'JWT'})}.{b64(claims())}."


def _hmac_with_public_key() -> str:
    """The algorithm confusion attack: HS256 keyed with the RSA public key's bytes."""
    import hashlib
    import hmac

    head = b64({"alg": "HS256", "kid": "k1"})
    body = b64(claims())
    secret = str(KEY.public_jwk()).encode()
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(mac)}"


def _tampered() -> str:
    head, _body, sig = KEY.sign(claims()).split(".")
    return f"{head}.{b64(claims(sub='admin'))}.{sig}"


def now() -> int:
    """Seconds since the epoch when a token is made (the suite runs for minutes)."""
    return int(time.time())


BAD_TOKENS: list[tuple[str, Any, str]] = [
    ("alg none", lambda: _unsigned("none"), "header.alg"),
    ("alg None spelled otherwise", lambda: _unsigned("None"), "header.alg"),
    ("HS256 keyed with the public key", _hmac_with_public_key, "header.alg"),
    ("PS256 not allowed", lambda: _unsigned("PS256"), "header.alg"),
    ("no kid with a key set", lambda: KEY.sign(claims(), kid=None), "header.kid"),
    ("kid not in the key set", lambda: KEY.sign(claims(), kid="nope"), "header.kid"),
    ("signed by another key", lambda: STRANGER.sign(claims()), "signature"),
    ("payload changed after signing", _tampered, "signature"),
    ("signature cut off", lambda: KEY.sign(claims()).rsplit(".", 1)[0] + ".", "signature"),
    ("RS256 header on an EC key", lambda: EC_KEY.sign(claims(), alg="ES256").replace(
        b64({"typ": "JWT", "alg": "ES256", "kid": "e1"}), b64({"alg": "RS256", "kid": "e1"})),
     "header.alg"),
    ("RS256 against a key for RS384 only",
     lambda: SigningKey("rs384-only").sign(claims()), "header.alg"),
    ("a 1024-bit RSA key", lambda: WEAK_KEY.sign(claims()), "header.kid"),
    ("a critical extension", lambda: f"{b64({'alg': 'RS256', 'kid': 'k1', 'crit': ['x']})}."
     f"{b64(claims())}.{b64(b'sig')}", "header.crit"),
    ("expired", lambda: KEY.sign(claims(exp=now() - 120, iat=now() - 600)), "exp"),
    ("no exp", lambda: KEY.sign(claims(exp=None)), "exp"),
    ("exp as text", lambda: KEY.sign(claims(exp=str(now() + 300))), "exp"),
    ("exp as true", lambda: KEY.sign(claims(exp=True)), "exp"),
    ("iat in the future", lambda: KEY.sign(claims(iat=now() + 600, exp=now() + 900)), "iat"),
    ("no iat", lambda: KEY.sign(claims(iat=None)), "iat"),
    ("nbf in the future", lambda: KEY.sign(claims(nbf=now() + 600)), "nbf"),
    ("another issuer", lambda: KEY.sign(claims(issuer="https://evil.example")), "iss"),
    ("no issuer", lambda: KEY.sign(claims(issuer=None)), "iss"),
    ("another audience", lambda: KEY.sign(claims(audience="client-2")), "aud"),
    ("no audience", lambda: KEY.sign(claims(audience=None)), "aud"),
    ("audience not a string", lambda: KEY.sign(claims(audience=[1])), "aud"),
    ("several audiences, no azp", lambda: KEY.sign(claims(audience=[AUDIENCE, "x"])), "azp"),
    ("several audiences, azp another",
     lambda: KEY.sign(claims(audience=[AUDIENCE, "x"], azp="x")), "azp"),
    ("one audience, azp another", lambda: KEY.sign(claims(azp="x")), "azp"),
    ("not a JWT", lambda: "not-a-token", "token"),
    ("empty", lambda: "", "token"),
    ("three parts of garbage", lambda: "a.b.c", "token"),
    ("header not JSON", lambda: f"{b64(b'{')}.{b64(claims())}.", "token"),
    ("far too long", lambda: "a." + "b" * MAX_TOKEN_BYTES + ".c", "token"),
]


@pytest.mark.parametrize(("make", "claim"), [(m, c) for _, m, c in BAD_TOKENS],
                         ids=[name for name, _, _ in BAD_TOKENS])
def test_a_bad_token_is_refused_naming_the_claim(check: Any, make: Any, claim: str) -> None:
    with pytest.raises(LtiTokenError) as caught:
        check(make())
    problem = caught.value.to_problem()
    assert caught.value.status == 400 and caught.value.claim == claim
    assert problem["claim"] == claim and claim in problem["errors"]


def test_a_payload_that_is_not_an_object_is_refused(check: Any) -> None:
    from joserfc import jws

    token = jws.serialize_compact({"alg": "RS256", "kid": "k1"}, b"[1, 2]", KEY.key)
    with pytest.raises(LtiTokenError) as caught:
        check(token)
    assert caught.value.claim == "token"


@pytest.mark.parametrize(("kw", "sent", "claim"), [
    ({"subject": "client-1"}, {"sub": "someone"}, "sub"),
    ({"max_age": 60}, {}, "exp"),  # claims() live 300 seconds
    ({"nonce": "expected"}, {"nonce": "other"}, "nonce"),
    ({"required": ["https://purl.imsglobal.org/spec/lti/claim/deployment_id"]}, {},
     "https://purl.imsglobal.org/spec/lti/claim/deployment_id"),
])
def test_the_callers_extra_rules(check: Any, kw: dict[str, Any], sent: dict[str, Any],
                                 claim: str) -> None:
    with pytest.raises(LtiTokenError) as caught:
        check(KEY.sign(claims(**sent)), **kw)
    assert caught.value.claim == claim
    passing = {"subject": {"sub": "client-1"}, "max_age": {"exp": now() + 30},
               "nonce": {"nonce": "expected"},
               "required": {claim: "d1"}}[next(iter(kw))]
    assert check(KEY.sign(claims(**passing)), **kw)


def test_the_leeway_tolerates_a_small_clock_difference(check: Any) -> None:
    token = KEY.sign(claims(iat=now() + 30, exp=now() - 30 + 300))
    assert check(token)
    assert check(KEY.sign(claims(exp=now() - 30, iat=now() - 300)))
