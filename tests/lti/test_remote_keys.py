"""lti.remote_keys: JWKS cached by URL within Cache-Control bounds, one rate-limited re-fetch for
an unknown kid, against a real key set served over HTTP on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from hub.destinations import AllowList, DestinationGuard
from hub.outbound import OutboundClient
from lti.errors import LtiKeySetUnavailable, LtiTokenError
from lti.remote_keys import (
    DEFAULT_TTL,
    MAX_TTL,
    MIN_TTL,
    REFETCH_INTERVAL,
    RemoteKeySets,
    cache_seconds,
    parse_key_set,
)
from tests.lti.signing_support import SigningKey, jwks_server, loopback_client


class Clock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def key_sets(clock: Clock) -> RemoteKeySets:
    return RemoteKeySets(loopback_client(), clock=clock)


@pytest.mark.parametrize(("header", "seconds"), [
    (None, DEFAULT_TTL), ("max-age=600", 600), ("public, max-age=0", MIN_TTL),
    ("max-age=999999999", MAX_TTL), ("no-store", MIN_TTL), ("private", DEFAULT_TTL),
    ('max-age="120"', 120),
])
def test_cache_control_is_honoured_within_bounds(header: str | None, seconds: int) -> None:
    assert cache_seconds(header) == seconds


def test_a_known_kid_is_served_from_the_cache_until_max_age() -> None:
    key, clock = SigningKey("k1"), Clock()
    with jwks_server(key, cache_control="max-age=120") as server:
        cache = key_sets(clock)
        assert cache.key(server.url("/jwks"), "k1")["n"] == key.public_jwk()["n"]
        clock.now += 119
        cache.key(server.url("/jwks"), "k1")
        assert server.hits("/jwks") == 1
        clock.now += 2  # past max-age: fetched again
        cache.key(server.url("/jwks"), "k1")
        assert server.hits("/jwks") == 2


def test_a_rotated_key_is_found_by_one_refetch() -> None:
    old, new, clock = SigningKey("old"), SigningKey("new"), Clock()
    with jwks_server(old) as server:
        cache = key_sets(clock)
        cache.key(server.url("/jwks"), "old")
        server.routes["/jwks"] = (200, {}, {"keys": [old.public_jwk(), new.public_jwk()]})
        clock.now += REFETCH_INTERVAL
        assert cache.key(server.url("/jwks"), "new")["kid"] == "new"
        assert server.hits("/jwks") == 2


def test_unknown_kids_cannot_make_the_hub_hammer_the_key_set_url() -> None:
    clock = Clock()
    with jwks_server(SigningKey("k1")) as server:
        cache = key_sets(clock)
        cache.key(server.url("/jwks"), "k1")
        for n in range(20):
            with pytest.raises(LtiTokenError) as caught:
                cache.key(server.url("/jwks"), f"forged-{n}")
            assert caught.value.claim == "header.kid"
        assert server.hits("/jwks") == 1  # within the interval of the first fetch: none
        clock.now += REFETCH_INTERVAL
        for n in range(20):
            with pytest.raises(LtiTokenError):
                cache.key(server.url("/jwks"), f"again-{n}")
        assert server.hits("/jwks") == 2  # one per interval, whatever the tokens say


def test_a_failing_key_server_keeps_the_copy_the_hub_has() -> None:
    clock = Clock()
    with jwks_server(SigningKey("k1"), cache_control="max-age=60") as server:
        cache = key_sets(clock)
        cache.key(server.url("/jwks"), "k1")
        server.routes["/jwks"] = (503, {}, b"down")
        clock.now += 61
        assert cache.key(server.url("/jwks"), "k1")["kid"] == "k1"
        assert server.hits("/jwks") == 2


@pytest.mark.parametrize("answer", [
    (503, {}, b"down"), (200, {}, b"<html>"), (200, {}, {"no": "keys"}), (200, {}, [1, 2]),
])
def test_no_usable_key_set_is_a_502_and_is_not_retried_at_once(answer: Any) -> None:
    clock = Clock()
    with jwks_server() as server:
        server.routes["/jwks"] = answer
        cache = key_sets(clock)
        for _ in range(3):
            with pytest.raises(LtiKeySetUnavailable) as caught:
                cache.key(server.url("/jwks"), "k1")
            assert caught.value.status == 502
        assert server.hits("/jwks") == 1


def test_a_key_set_at_an_internal_address_is_never_fetched() -> None:
    with jwks_server(SigningKey("k1")) as server:
        cache = RemoteKeySets(OutboundClient(DestinationGuard(AllowList())), clock=Clock())
        with pytest.raises(LtiKeySetUnavailable):
            cache.key(server.url("/jwks"), "k1")
        assert server.hits("/jwks") == 0


def test_encryption_keys_and_keys_without_kid_are_not_signing_keys() -> None:
    signing = SigningKey("s").public_jwk()
    document = {"keys": [signing, {**signing, "kid": "e", "use": "enc"},
                         {k: v for k, v in signing.items() if k != "kid"}, "junk"]}
    assert list(parse_key_set(document)) == ["s"]
