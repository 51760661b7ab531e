"""Contract of SuggestionDecisionRepository (decisions on competency suggestions), run over
every adapter."""

from __future__ import annotations

from typing import Any

from storage.ports.frac_suggestions import SuggestionDecisionRepository

NOON = "2026-06-01T12:00:00.000000Z"


def decision(course: str, competency: str, verdict: str = "reject", at: str = NOON,
             level: int | None = None) -> dict[str, Any]:
    """A decision document."""
    return {"course": course, "competency": competency, "code": f"CODE-{competency}",
            "org_id": "org_a", "decision": verdict, "level": level, "score": 0.25,
            "framework": "fw_1", "version": 1, "by": "key_1", "at": at}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.frac_suggestions, SuggestionDecisionRepository)


def test_record_get_and_list_oldest_first(store: Any) -> None:
    repo = store.frac_suggestions
    repo.record(decision("crs_1", "c2", at="2026-06-01T12:00:02.000000Z"))
    repo.record(decision("crs_1", "c1", "accept", "2026-06-01T12:00:01.000000Z", level=3))
    repo.record(decision("crs_2", "c1"))
    got = repo.get("crs_1", "c1")
    assert got == decision("crs_1", "c1", "accept", "2026-06-01T12:00:01.000000Z", level=3)
    assert repo.get("crs_1", "c9") is None
    assert repo.get("crs_9", "c1") is None
    assert [(d["course"], d["competency"]) for d in repo.list_for_course("crs_1")] == [
        ("crs_1", "c1"), ("crs_1", "c2")]
    assert repo.list_for_course("crs_none") == []


def test_a_later_decision_replaces_the_earlier_one(store: Any) -> None:
    repo = store.frac_suggestions
    repo.record(decision("crs_1", "c1", "reject"))
    repo.record(decision("crs_1", "c1", "accept", "2026-06-01T13:00:00.000000Z", level=2))
    assert [d["decision"] for d in repo.list_for_course("crs_1")] == ["accept"]
    assert repo.get("crs_1", "c1")["level"] == 2


def test_ties_in_time_are_ordered_by_competency(store: Any) -> None:
    repo = store.frac_suggestions
    for competency in ("c3", "c1", "c2"):
        repo.record(decision("crs_1", competency))
    assert [d["competency"] for d in repo.list_for_course("crs_1")] == ["c1", "c2", "c3"]
