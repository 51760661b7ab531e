"""Contract of ForwardingRepository (registrations, the outbox, dead letters, the worker's
lease), run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.forwarding import ForwardingRepository
from tests.storage.factories import timestamp

NOW = "2026-06-01T12:00:00.000000Z"
LATER = "2026-06-01T12:05:00.000000Z"


def forwarder(fid: str, org_id: str = "org_a", active: bool = True) -> dict[str, Any]:
    """A forwarder registration."""
    return {"id": fid, "org_id": org_id, "url": f"https://lrs.example.org/{fid}/xapi",
            "username": "u", "password": None, "verbs": [], "activity_prefixes": [],
            "active": active, "label": fid, "created_at": timestamp(), "created_by": "key_1",
            "sent": 0, "failed": 0, "attempts": 0, "last_error": None, "last_error_at": None,
            "last_sent_at": None, "next_attempt_at": None}


def entries(fid: str, *statement_ids: str) -> list[dict[str, Any]]:
    """Outbox entries of statements for one forwarder."""
    return [{"forwarder_id": fid, "statement_id": sid, "statement": {"id": sid},
             "enqueued_at": NOW} for sid in statement_ids]


def pending_ids(store: Any, fid: str, limit: int = 100) -> list[str]:
    """Statement ids of a forwarder's pending entries, in delivery order."""
    return [e["statement_id"] for e in store.forwarding.pending(fid, limit)]


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.forwarding, ForwardingRepository)


def test_add_get_list_and_active_for_org(store: Any) -> None:
    repo = store.forwarding
    repo.add(forwarder("fwd_1"))
    repo.add(forwarder("fwd_x", "org_b"))
    repo.add(forwarder("fwd_2", active=False))
    repo.add(forwarder("fwd_3"))
    got = repo.get("fwd_1")
    assert {k: got[k] for k in ("id", "org_id", "url", "active", "sent")} == {
        "id": "fwd_1", "org_id": "org_a", "url": "https://lrs.example.org/fwd_1/xapi",
        "active": True, "sent": 0}
    assert repo.get("fwd_missing") is None
    with pytest.raises(DuplicateKey):
        repo.add(forwarder("fwd_1", "org_b"))
    assert [f["id"] for f in repo.list("org_a")] == ["fwd_1", "fwd_2", "fwd_3"]
    assert [f["id"] for f in repo.list()] == ["fwd_1", "fwd_x", "fwd_2", "fwd_3"]
    assert [f["id"] for f in repo.active_for_org("org_a")] == ["fwd_1", "fwd_3"]
    assert repo.active_for_org("org_none") == []


def test_update_sets_and_increments_in_one_write(store: Any) -> None:
    repo = store.forwarding
    repo.add(forwarder("fwd_1"))
    assert repo.update("fwd_1", {"last_error": "503", "active": False},
                       inc={"failed": 2, "attempts": 1}) is True
    assert repo.update("fwd_1", {}, inc={"failed": 1}) is True
    got = repo.get("fwd_1")
    assert (got["last_error"], got["active"], got["failed"], got["attempts"]) == (
        "503", False, 3, 1)
    assert repo.active_for_org("org_a") == []
    assert repo.update("fwd_missing", {"active": True}) is False


def test_outbox_pending_remove_bury_revive_and_counts(store: Any) -> None:
    repo = store.forwarding
    repo.add(forwarder("fwd_1"))
    repo.add(forwarder("fwd_2"))
    repo.enqueue(entries("fwd_1", "s1", "s2", "s3") + entries("fwd_2", "t1"))
    repo.enqueue(entries("fwd_1", "s4"))
    assert pending_ids(store, "fwd_1") == ["s1", "s2", "s3", "s4"]
    assert pending_ids(store, "fwd_1", limit=2) == ["s1", "s2"]
    first = repo.pending("fwd_1", 10)
    assert first[0]["statement"] == {"id": "s1"} and first[0]["forwarder_id"] == "fwd_1"
    seqs = [e["seq"] for e in first]
    assert seqs == sorted(seqs)
    assert repo.remove("fwd_1", seqs[:1]) == 1
    assert repo.remove("fwd_1", []) == 0
    repo.bury("fwd_1", seqs[1], "400 Bad Request")
    assert pending_ids(store, "fwd_1") == ["s3", "s4"]
    assert repo.counts("fwd_1") == (2, 1)
    assert repo.counts("fwd_2") == (1, 0)
    assert repo.revive("fwd_1") == 1
    assert pending_ids(store, "fwd_1") == ["s2", "s3", "s4"]  # back in its place
    assert repo.counts("fwd_1") == (3, 0)
    assert repo.remove("fwd_2", seqs[2:]) == 0  # another forwarder's seqs are not its own


def test_due_lists_active_forwarders_past_their_back_off_with_something_to_send(store: Any
                                                                               ) -> None:
    repo = store.forwarding
    for fid, active in (("fwd_ready", True), ("fwd_waiting", True), ("fwd_idle", True),
                        ("fwd_off", False)):
        repo.add(forwarder(fid, active=active))
    for fid in ("fwd_ready", "fwd_waiting", "fwd_off"):
        repo.enqueue(entries(fid, "s1"))
    repo.update("fwd_waiting", {"next_attempt_at": LATER})
    assert repo.due(NOW) == ["fwd_ready"]
    assert repo.due(LATER) == ["fwd_ready", "fwd_waiting"]
    repo.bury("fwd_ready", repo.pending("fwd_ready", 1)[0]["seq"], "gone")
    assert repo.due(LATER) == ["fwd_waiting"]  # dead letters are nothing to send


def test_lease_is_compare_and_set_and_release_only_by_its_holder(store: Any) -> None:
    repo = store.forwarding
    repo.add(forwarder("fwd_1"))
    assert repo.lease("fwd_1", "worker_a", NOW, LATER) is True
    assert repo.lease("fwd_1", "worker_b", NOW, LATER) is False
    assert repo.lease("fwd_1", "worker_a", NOW, LATER) is True  # the holder renews
    repo.release("fwd_1", "worker_b")  # not the holder: nothing changes
    assert repo.lease("fwd_1", "worker_b", NOW, LATER) is False
    after_expiry = "2026-06-01T12:06:00.000000Z"
    assert repo.lease("fwd_1", "worker_b", after_expiry, "2026-06-01T12:10:00.000000Z") is True
    repo.release("fwd_1", "worker_b")
    assert repo.lease("fwd_1", "worker_a", NOW, LATER) is True
    assert repo.lease("fwd_missing", "worker_a", NOW, LATER) is False


def test_delete_removes_the_forwarder_and_its_outbox(store: Any) -> None:
    repo = store.forwarding
    repo.add(forwarder("fwd_1"))
    repo.add(forwarder("fwd_2"))
    repo.enqueue(entries("fwd_1", "s1", "s2") + entries("fwd_2", "t1"))
    assert repo.delete("fwd_1") is True
    assert repo.get("fwd_1") is None and repo.counts("fwd_1") == (0, 0)
    assert repo.delete("fwd_1") is False
    assert pending_ids(store, "fwd_2") == ["t1"]
