"""Contract of Cmi5Repository (``store.cmi5``) over every adapter: a fetch is claimed once (also
by racing threads) and never after expiry, and a learner's registration for a course is the
first one stored, whoever races for it."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.cmi5 import Cmi5Repository

NOW = "2026-06-01T12:00:00.000000Z"
LATER = "2026-06-01T16:00:00.000000Z"
AFTER = "2026-06-01T17:00:00.000000Z"


def session(key: str, registration: str = "r1", org_id: str = "org_a",
            expires_at: str = LATER) -> dict[str, Any]:
    """A stored content session (fetch not used yet)."""
    return {"key": key, "fetch_hash": "fh-" + key, "secret_hash": None, "org_id": org_id,
            "agent": {"objectType": "Agent", "account": {"homePage": "http://hub.test",
                                                         "name": "l1"}},
            "agent_key": "account|http://hub.test|l1", "registration": registration,
            "activity_id": "http://hub.test/au/1", "au_id": "urn:au:1", "course_id": "crs_1",
            "session_id": "s-" + key, "launch_mode": "Normal", "created_at": NOW,
            "expires_at": expires_at, "fetched_at": None}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.cmi5, Cmi5Repository)


def test_add_get_and_unique_key_and_fetch(store: Any) -> None:
    repo = store.cmi5
    repo.add_session(session("t1"))
    assert repo.get_session("t1") == session("t1")
    assert repo.get_by_fetch("fh-t1") == session("t1")
    assert repo.get_session("nope") is None and repo.get_by_fetch("nope") is None
    with pytest.raises(DuplicateKey):
        repo.add_session(session("t1"))
    with pytest.raises(DuplicateKey):
        repo.add_session({**session("t2"), "fetch_hash": "fh-t1"})


def test_claim_fetch_once_and_not_after_expiry(store: Any) -> None:
    repo = store.cmi5
    repo.add_session(session("t1"))
    repo.add_session(session("t2"))
    claimed = repo.claim_fetch("fh-t1", "sha256$x", NOW)
    assert claimed is not None
    assert claimed["secret_hash"] == "sha256$x" and claimed["fetched_at"] == NOW
    assert repo.get_session("t1")["secret_hash"] == "sha256$x"
    assert repo.claim_fetch("fh-t1", "sha256$y", NOW) is None  # second use
    assert repo.get_session("t1")["secret_hash"] == "sha256$x"
    assert repo.claim_fetch("fh-t2", "sha256$z", AFTER) is None  # expired
    assert repo.get_session("t2")["secret_hash"] is None
    assert repo.claim_fetch("unknown", "sha256$z", NOW) is None


def test_racing_fetches_one_wins(store: Any) -> None:
    store.cmi5.add_session(session("t1"))
    wins: list[str] = []
    barrier = threading.Barrier(6)

    def fetch(n: int) -> None:
        barrier.wait()
        if store.cmi5.claim_fetch("fh-t1", f"sha256${n}", NOW) is not None:
            wins.append(f"sha256${n}")

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    assert store.cmi5.get_session("t1")["secret_hash"] == wins[0]


def test_sessions_of_a_registration_oldest_first_per_org(store: Any) -> None:
    repo = store.cmi5
    for key in ("b", "a", "c"):
        repo.add_session(session(key, registration="r1"))
    repo.add_session(session("d", registration="r2"))
    repo.add_session(session("e", registration="r1", org_id="org_b"))
    assert [s["key"] for s in repo.sessions("org_a", "r1")] == ["b", "a", "c"]
    assert [s["key"] for s in repo.sessions("org_b", "r1")] == ["e"]
    assert repo.sessions("org_a", "none") == []


def test_registration_first_value_stays(store: Any) -> None:
    repo = store.cmi5
    first = str(uuid.uuid4())
    assert repo.registration("org_a", "l1", "crs_1", first) == first
    assert repo.registration("org_a", "l1", "crs_1", str(uuid.uuid4())) == first
    other = str(uuid.uuid4())
    assert repo.registration("org_a", "l1", "crs_2", other) == other
    assert repo.registration("org_b", "l1", "crs_1", "x") == "x"  # per organisation


def test_racing_registrations_agree(store: Any) -> None:
    seen: list[str] = []
    barrier = threading.Barrier(5)

    def register() -> None:
        barrier.wait()
        seen.append(store.cmi5.registration("org_a", "l9", "crs_9", str(uuid.uuid4())))

    threads = [threading.Thread(target=register) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1 and len(seen) == 5


def test_session_by_id_stale_and_close(store: Any) -> None:
    repo = store.cmi5
    repo.add_session(session("t1"))
    repo.add_session({**session("t2"), "created_at": LATER})
    repo.add_session(session("t3", org_id="org_b"))
    assert repo.session_by_id("org_a", "s-t1") == session("t1")
    assert repo.session_by_id("org_b", "s-t1") is None  # another organisation's
    assert repo.session_by_id("org_a", "s-missing") is None
    assert [s["key"] for s in repo.stale_sessions(LATER, 10)] == ["t1", "t3"]
    assert [s["key"] for s in repo.stale_sessions(AFTER, 1)] == ["t1"]
    assert repo.close_session("t1", AFTER) is True
    assert repo.close_session("t1", AFTER) is False  # closed once
    assert repo.close_session("t-missing", AFTER) is False
    assert repo.get_session("t1")["closed_at"] == AFTER
    assert [s["key"] for s in repo.stale_sessions(AFTER, 10)] == ["t2", "t3"]


def test_preferences_read_is_noted_once(store: Any) -> None:
    repo = store.cmi5
    repo.add_session(session("t1"))
    assert repo.get_session("t1").get("preferences_read_at") is None
    repo.note_preferences_read("t1", NOW)
    repo.note_preferences_read("t1", LATER)  # the first read's time stays
    repo.note_preferences_read("t-missing", NOW)  # nothing to note: no error
    assert repo.get_session("t1")["preferences_read_at"] == NOW
