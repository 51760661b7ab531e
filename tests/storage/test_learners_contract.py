"""Contract of the learner record (issue 13) on ``store.department_learners``
(:mod:`storage.ports.plans`): the new fields pass through, keyset pages with the designation
and position filters, and ``put_many``; run over every adapter."""

from __future__ import annotations

from typing import Any

from storage.ports.plans import DepartmentLearnerRepository
from tests.storage.factories import timestamp


def record(learner_id: str, org_id: str = "dept_a", designation: str | None = "Director",
           position: str | None = None, **extra: Any) -> dict[str, Any]:
    """A learner record with the issue 13 fields."""
    return {"org_id": org_id, "learner_id": learner_id, "name": f"Officer {learner_id}",
            "designation": designation, "position": position, "languages": ["hi", "en-IN"],
            "home_page": "http://hub.test", "source": "import", "created_at": timestamp(),
            "updated_at": None, **extra}


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["learner_id"] for r in rows]


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.department_learners, DepartmentLearnerRepository)


def test_the_record_fields_pass_through_whole(store: Any) -> None:
    repo = store.department_learners
    doc = record("u1", position="node-1", designation=None)
    assert repo.put(doc) is True
    assert repo.get("dept_a", "u1") == doc
    assert repo.list("dept_a") == [doc]
    assert repo.page("dept_a", 10) == [doc]


def test_page_walks_by_learner_id_per_organisation(store: Any) -> None:
    repo = store.department_learners
    for learner_id in ("u3", "u1", "u5", "u2", "u4"):
        repo.put(record(learner_id))
    repo.put(record("u0", org_id="dept_b"))
    assert ids(repo.page("dept_a", 2)) == ["u1", "u2"]
    assert ids(repo.page("dept_a", 2, "u2")) == ["u3", "u4"]
    assert ids(repo.page("dept_a", 2, "u4")) == ["u5"]
    assert repo.page("dept_a", 2, "u5") == []
    assert ids(repo.page("dept_b", 10)) == ["u0"]
    assert repo.page("dept_c", 10) == []


def test_page_filters_by_designation_and_position(store: Any) -> None:
    repo = store.department_learners
    repo.put(record("a", designation="Director", position="pos-1"))
    repo.put(record("b", designation="Under Secretary", position="pos-1"))
    repo.put(record("c", designation="Director", position=None))
    repo.put(record("d", designation=None, position="pos-2"))
    # A record written before issue 13: no position field at all.
    legacy = record("e")
    del legacy["position"], legacy["languages"], legacy["source"]
    repo.put(legacy)
    repo.put(record("f", org_id="dept_b", designation="Director", position="pos-1"))
    assert ids(repo.page("dept_a", 10, designation="Director")) == ["a", "c", "e"]
    assert ids(repo.page("dept_a", 10, position="pos-1")) == ["a", "b"]
    assert ids(repo.page("dept_a", 10, designation="Director", position="pos-1")) == ["a"]
    assert ids(repo.page("dept_a", 1, "a", designation="Director")) == ["c"]
    assert ids(repo.page("dept_a", 10, position="pos-2")) == ["d"]
    assert repo.page("dept_a", 10, position="pos-9") == []
    assert repo.get("dept_a", "e") == legacy


def test_put_many_inserts_and_replaces_in_one_call(store: Any) -> None:
    repo = store.department_learners
    repo.put(record("u1", designation="Director"))
    new = repo.put_many([record("u1", designation="Secretary"), record("u2"),
                         record("u3", org_id="dept_b"), record("u2", designation="Last")])
    assert new == 2  # u2 (given twice) and dept_b's u3
    assert repo.get("dept_a", "u1")["designation"] == "Secretary"
    assert repo.get("dept_a", "u2")["designation"] == "Last"
    assert ids(repo.list("dept_a")) == ["u1", "u2"]
    assert repo.put_many([]) == 0
