"""Contract of the plans port (:mod:`storage.ports.plans`): a department's learner directory
and its capacity-building plans, run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import ConcurrentUpdate, DuplicateKey
from storage.ports.plans import DepartmentLearnerRepository, PlanRepository
from tests.storage.factories import timestamp


def learner(learner_id: str, org_id: str = "dept_a", designation: str = "Under Secretary",
            ) -> dict[str, Any]:
    """A directory entry."""
    return {"org_id": org_id, "learner_id": learner_id, "name": f"Officer {learner_id}",
            "designation": designation, "home_page": "http://hub.test",
            "created_at": timestamp(), "updated_at": None}


def plan(plan_id: str, org_id: str = "dept_a", state: str = "draft") -> dict[str, Any]:
    """A plan with a draft and no live version."""
    return {"id": plan_id, "org_id": org_id, "state": state, "live": None, "live_version": 0,
            "draft": {"title": {"en": "Annual plan"}, "items": ["c1"], "due_date": "2027-03-31",
                      "audience": {"all": True, "designations": [], "learners": []}},
            "events": [{"action": "create", "at": timestamp()}], "created_at": timestamp(),
            "updated_at": None}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.department_learners, DepartmentLearnerRepository)
    assert isinstance(store.plans, PlanRepository)


def test_learners_put_get_list_delete_per_organisation(store: Any) -> None:
    repo = store.department_learners
    assert repo.put(learner("l2")) is True
    assert repo.put(learner("l1")) is True
    assert repo.put(learner("l1", org_id="dept_b", designation="Director")) is True
    assert repo.get("dept_a", "l1") == learner("l1") | {
        "created_at": repo.get("dept_a", "l1")["created_at"]}
    assert repo.get("dept_b", "l1")["designation"] == "Director"
    assert repo.get("dept_c", "l1") is None
    assert [x["learner_id"] for x in repo.list("dept_a")] == ["l1", "l2"]
    assert [x["learner_id"] for x in repo.list("dept_b")] == ["l1"]
    assert repo.put(learner("l1", designation="Deputy Secretary")) is False  # replaced
    assert repo.get("dept_a", "l1")["designation"] == "Deputy Secretary"
    assert len(repo.list("dept_a")) == 2
    assert repo.delete("dept_a", "l1") is True
    assert repo.delete("dept_a", "l1") is False
    assert repo.get("dept_b", "l1") is not None  # the other department's learner stays
    assert [x["learner_id"] for x in repo.list("dept_a")] == ["l2"]


def test_plan_add_get_list(store: Any) -> None:
    repo = store.plans
    repo.add(plan("p2"))
    repo.add(plan("p1", org_id="dept_b"))
    repo.add(plan("p3", state="live"))
    got = repo.get("p2")
    assert got is not None and got["row_version"] == 1 and got["draft"]["items"] == ["c1"]
    assert repo.get("missing") is None
    assert [p["id"] for p in repo.list("dept_a")] == ["p2", "p3"]
    assert [p["id"] for p in repo.list("dept_a", "live")] == ["p3"]
    assert [p["id"] for p in repo.list("dept_b")] == ["p1"]
    assert repo.list("dept_c") == []
    with pytest.raises(DuplicateKey):
        repo.add(plan("p2", org_id="dept_b"))
    assert repo.get("p2")["org_id"] == "dept_a"


def test_replace_is_compare_and_set_and_keeps_the_owner(store: Any) -> None:
    repo = store.plans
    repo.add(plan("p1"))
    stored = repo.get("p1")
    changed = {**stored, "state": "live", "live": stored["draft"], "draft": None,
               "live_version": 1, "org_id": "dept_b"}
    after = repo.replace(changed, 1)
    assert after["row_version"] == 2 and after["org_id"] == "dept_a"
    assert repo.get("p1") == after
    assert [p["id"] for p in repo.list("dept_a", "live")] == ["p1"]
    assert repo.list("dept_a", "draft") == []
    with pytest.raises(ConcurrentUpdate):  # a writer that read row_version 1 lost
        repo.replace({**stored, "state": "retired"}, 1)
    assert repo.get("p1")["state"] == "live"
    with pytest.raises(ConcurrentUpdate):
        repo.replace(plan("absent"), 1)
    assert repo.get("absent") is None
