"""Contract of SigningKeyRepository (``store.lti_keys``) and OnceRepository (``store.once``),
run over every adapter: a unique generation decides which of two racing key creations wins, and
a once-only value is consumed by exactly one of many racing threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.lti_keys import OnceRepository, SigningKeyRepository
from storage.timestamps import format_timestamp

NOW = "2026-06-01T12:00:00.000000Z"
LATER = "2026-06-01T13:00:00.000000Z"


def moment(seconds: float) -> str:
    """An instant ``seconds`` from the real now (the once-only store compares with the clock)."""
    return format_timestamp(datetime.now(UTC) + timedelta(seconds=seconds))


def key(kid: str, generation: int) -> dict[str, Any]:
    """A stored key (the contract does not care what the JWK holds)."""
    return {"kid": kid, "alg": "RS256", "generation": generation,
            "public_jwk": {"kty": "RSA", "kid": kid, "n": "AQAB" + kid, "e": "AQAB"},
            "private_sealed": "sealed-" + kid, "created_at": NOW, "retired_at": None,
            "not_after": None}


def test_implements_the_ports(store: Any) -> None:
    assert isinstance(store.lti_keys, SigningKeyRepository)
    assert isinstance(store.once, OnceRepository)


def test_keys_add_list_newest_first_and_unique_kid_and_generation(store: Any) -> None:
    repo = store.lti_keys
    assert repo.list() == []
    repo.add(key("k1", 1))
    repo.add(key("k2", 2))
    assert [k["kid"] for k in repo.list()] == ["k2", "k1"]
    assert repo.list()[1] == key("k1", 1)
    with pytest.raises(DuplicateKey):
        repo.add(key("k3", 2))  # a racing creator of generation 2 loses
    with pytest.raises(DuplicateKey):
        repo.add(key("k1", 3))
    assert [k["kid"] for k in repo.list()] == ["k2", "k1"]


def test_retire_once_and_purge_after_not_after(store: Any) -> None:
    repo = store.lti_keys
    repo.add(key("k1", 1))
    repo.add(key("k2", 2))
    assert repo.retire("k1", NOW, LATER) is True
    assert repo.retire("k1", LATER, "2026-06-02T00:00:00.000000Z") is False  # first one stands
    assert repo.retire("k_missing", NOW, LATER) is False
    old = next(k for k in repo.list() if k["kid"] == "k1")
    assert (old["retired_at"], old["not_after"]) == (NOW, LATER)
    assert repo.purge(NOW) == 0  # still published until LATER
    assert repo.purge(LATER) == 1
    assert [k["kid"] for k in repo.list()] == ["k2"]  # a current key is never purged
    assert repo.purge("2099-01-01T00:00:00.000000Z") == 0


def test_once_consumes_a_value_once_per_scope_until_it_expires(store: Any) -> None:
    once = store.once
    assert once.consume("lti.nonce", "n-1", moment(300)) is True
    assert once.consume("lti.nonce", "n-1", moment(300)) is False
    assert once.consume("lti.nonce", "n-1", moment(9999)) is False  # a later expiry changes nothing
    assert once.consume("lti.state", "n-1", moment(300)) is True  # another scope
    assert once.consume("lti.nonce", "n-2", moment(300)) is True
    assert once.consume("lti.jti", "j-1", moment(-1)) is True  # recorded already expired...
    assert once.consume("lti.jti", "j-1", moment(300)) is True  # ...so it may be used again
    assert once.consume("lti.jti", "j-1", moment(300)) is False


def test_once_purge_forgets_expired_values_only(store: Any) -> None:
    once = store.once
    once.consume("s", "old", moment(-10))
    once.consume("s", "live", moment(600))
    assert once.purge(moment(0)) == 1
    assert once.purge(moment(0)) == 0
    assert once.consume("s", "live", moment(600)) is False
    assert once.consume("s", "old", moment(600)) is True


def test_once_has_exactly_one_winner_among_racing_threads(store: Any) -> None:
    once = store.once
    expires = moment(600)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def consume() -> None:
        barrier.wait()
        results.append(once.consume("lti.nonce", "raced", expires))

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def _consume_in_a_process(url: str, expires: str, start: Any, results: Any) -> None:
    from storage import open_store

    store = open_store(url)
    start.wait()
    results.put(store.once.consume("lti.nonce", "across-processes", expires))
    store.close()


def test_once_has_exactly_one_winner_among_racing_processes(sqlite_url: str) -> None:
    """gunicorn runs several worker processes on one SQLite file: they meet at its write lock."""
    import multiprocessing

    from storage import open_store

    open_store(sqlite_url).close()  # the schema exists before the racers start
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_consume_in_a_process,
                         args=(sqlite_url, moment(600), start, results)) for _ in range(4)]
    for p in procs:
        p.start()
    start.set()
    got = sorted(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert got == [False, False, False, True]
