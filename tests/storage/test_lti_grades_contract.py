"""Contract of GradeRepository (pass-back targets, launch contexts, the score outbox with its
once-only keys and leases), run over every adapter."""

from __future__ import annotations

import threading
from typing import Any

from storage.ports.lti_grades import GradeRepository

NOW = "2026-06-01T12:00:00.000000Z"
LATER = "2026-06-01T12:05:00.000000Z"
MUCH_LATER = "2026-06-01T13:00:00.000000Z"
COURSE = "http://hub.test/catalogue/courses/c1"


def target(tid: str, org_id: str = "org_lms", learner: str = "lrn_1",
           activity: str = COURSE) -> dict[str, Any]:
    """A pass-back target."""
    return {"id": tid, "org_id": org_id, "registration_id": "reg_1", "deployment_id": "d1",
            "issuer": "https://lms.example.org", "client_id": "hub", "learner_id": learner,
            "sub": "u-42", "activity_id": activity, "course_id": "c1",
            "resource_link_id": f"rl-{tid}", "context_id": "ctx-1",
            "lineitems": "https://lms.example.org/ctx-1/lineitems", "lineitem": None,
            "scopes": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            "updated_at": NOW}


def entry(key: str, org_id: str = "org_lms", target_id: str = "t1") -> dict[str, Any]:
    """An outbox entry."""
    return {"key": key, "org_id": org_id, "target_id": target_id, "statement_id": key,
            "score": {"scoreGiven": 80, "scoreMaximum": 100}, "attempts": 0,
            "last_error": None, "created_at": NOW, "sent_at": None}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.lti_grades, GradeRepository)


def test_targets_remembered_replaced_and_found_by_learner_and_activity(store: Any) -> None:
    repo = store.lti_grades
    repo.remember(target("t1"))
    repo.remember(target("t2"))
    repo.remember(target("t3", learner="lrn_2"))
    repo.remember(target("t4", org_id="org_other"))
    repo.remember(target("t5", activity="http://hub.test/catalogue/courses/c2"))
    assert [t["id"] for t in repo.targets("org_lms", "lrn_1", COURSE)] == ["t1", "t2"]
    replaced = {**target("t1"), "lineitem": "https://lms.example.org/li/9"}
    repo.remember(replaced)
    got = repo.targets("org_lms", "lrn_1", COURSE)
    assert [t["id"] for t in got] == ["t1", "t2"]  # a replaced target keeps its place
    assert got[0] == replaced
    assert repo.get_target("t1") == replaced
    assert repo.get_target("t_missing") is None
    assert repo.targets("org_lms", "lrn_9", COURSE) == []


def test_update_target(store: Any) -> None:
    repo = store.lti_grades
    repo.remember(target("t1"))
    assert repo.update_target("t1", {"lineitem": "https://lms.example.org/li/1"}) is True
    assert repo.get_target("t1")["lineitem"] == "https://lms.example.org/li/1"
    assert repo.get_target("t1")["sub"] == "u-42"
    assert repo.update_target("t_missing", {"lineitem": "x"}) is False


def test_contexts(store: Any) -> None:
    repo = store.lti_grades
    ctx = {"registration_id": "reg_1", "context_id": "ctx-1", "org_id": "org_lms",
           "title": "Course", "memberships_url": "https://lms.example.org/m",
           "service_versions": ["2.0"], "updated_at": NOW}
    repo.remember_context(ctx)
    repo.remember_context({**ctx, "context_id": "ctx-2", "title": "Other"})
    assert repo.get_context("reg_1", "ctx-1") == ctx
    repo.remember_context({**ctx, "title": "Renamed"})
    assert repo.get_context("reg_1", "ctx-1")["title"] == "Renamed"
    assert repo.get_context("reg_2", "ctx-1") is None


def test_enqueue_skips_a_key_already_there(store: Any) -> None:
    repo = store.lti_grades
    assert repo.enqueue([entry("k1"), entry("k2")]) == 2
    assert repo.enqueue([entry("k2"), entry("k3")]) == 1
    assert repo.enqueue([]) == 0
    assert [e["key"] for e in repo.entries()] == ["k1", "k2", "k3"]
    got = repo.get_entry("k1")
    assert (got["status"], got["score"], got["lease_owner"]) == (
        "pending", {"scoreGiven": 80, "scoreMaximum": 100}, None)
    assert repo.get_entry("k_missing") is None


def test_claim_settle_and_back_off(store: Any) -> None:
    repo = store.lti_grades
    repo.enqueue([entry("k1"), entry("k2"), entry("k3", org_id="org_other")])
    first = repo.claim("w1", NOW, LATER, 2)
    assert [e["key"] for e in first] == ["k1", "k2"]
    assert first[0]["lease_owner"] == "w1"
    # leased entries are not claimed again until the lease ends
    assert [e["key"] for e in repo.claim("w2", NOW, LATER, 10)] == ["k3"]
    assert repo.settle("k1", "w2", {"status": "sent"}) is False  # not w2's
    assert repo.settle("k1", "w1", {"status": "sent", "sent_at": NOW}) is True
    assert repo.settle("k2", "w1", {"status": "pending", "attempts": 1,
                                    "next_attempt_at": LATER, "last_error": "503"}) is True
    assert repo.claim("w1", NOW, LATER, 10) == []  # k2 backs off, k3 still leased
    again = repo.claim("w1", LATER, MUCH_LATER, 10)
    assert [e["key"] for e in again] == ["k2"]  # due now; k3's lease runs until LATER
    got = repo.get_entry("k2")
    assert (got["attempts"], got["last_error"], got["lease_owner"]) == (1, "503", "w1")
    assert repo.get_entry("k1")["status"] == "sent"
    assert [e["key"] for e in repo.entries(status="sent")] == ["k1"]
    assert [e["key"] for e in repo.entries("org_other")] == ["k3"]
    assert repo.settle("k2", "w1", {"status": "dead", "last_error": "400"}) is True
    # w2 never settled k3 (it died): once its lease ended, another sender takes it
    assert [e["key"] for e in repo.claim("w3", MUCH_LATER, MUCH_LATER, 10)] == ["k3"]
    assert repo.settle("k3", "w2", {"status": "sent"}) is False
    assert repo.get_entry("k2")["status"] == "dead"


def test_concurrent_claimers_never_share_an_entry(store: Any) -> None:
    repo = store.lti_grades
    repo.enqueue([entry(f"k{i}") for i in range(20)])
    taken: dict[str, list[str]] = {}

    def claimer(name: str) -> None:
        taken[name] = [e["key"] for e in repo.claim(name, NOW, LATER, 20)]

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [k for keys in taken.values() for k in keys]
    assert sorted(every) == sorted(f"k{i}" for i in range(20))
