"""Contract of DemandRepository (demands, their audit events, the compare-and-set, the three
lists), run over every adapter."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.demands import DemandRepository
from tests.racing import race

NOW = "2026-06-01T12:00:00.000000Z"


def demand(did: str, org_id: str = "dept_a", provider_id: str | None = None,
           competencies: tuple[str, ...] = ("c1",), status: str = "unassigned"
           ) -> dict[str, Any]:
    """A stored demand."""
    return {"id": did, "org_id": org_id, "title": {"en": did}, "objective": {"en": "why"},
            "target_learners": {"description": {"en": "officers"}, "designations": [],
                                "count": None},
            "competencies": [{"id": c, "level": 2} for c in competencies],
            "learning_mode": "self-paced", "provider_id": provider_id, "status": status,
            "assigned_to": None, "fulfilment": None, "row_version": 1, "created_at": NOW,
            "updated_at": NOW, "created_by": "key_1"}


def event(did: str, action: str, source: str | None, target: str,
          org_id: str = "dept_a") -> dict[str, Any]:
    """An audit event."""
    return {"id": f"evt_{did}_{action}", "demand_id": did, "at": NOW, "actor": "key_1",
            "org_id": org_id, "action": action, "from": source, "to": target,
            "comment": None}


def ids(docs: list[dict[str, Any]]) -> list[str]:
    return [d["id"] for d in docs]


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.demands, DemandRepository)


def test_add_get_and_events(store: Any) -> None:
    repo = store.demands
    repo.add(demand("dem_1"), event("dem_1", "raise", None, "unassigned"))
    got = repo.get("dem_1")
    assert got == demand("dem_1")
    assert repo.get("dem_missing") is None
    with pytest.raises(DuplicateKey):
        repo.add(demand("dem_1", "dept_b"), event("dem_1", "raise", None, "unassigned"))
    assert repo.get("dem_1")["org_id"] == "dept_a"
    assert [e["action"] for e in repo.events("dem_1")] == ["raise"]
    assert repo.events("dem_missing") == []


def test_replace_is_a_compare_and_set_with_its_event(store: Any) -> None:
    repo = store.demands
    repo.add(demand("dem_1"), event("dem_1", "raise", None, "unassigned"))
    changed = {**demand("dem_1"), "status": "assigned", "assigned_to": "prov_a",
               "org_id": "someone_else"}
    stored = repo.replace(changed, expected_version=1,
                          event=event("dem_1", "accept", "unassigned", "assigned", "prov_a"))
    assert stored is not None
    assert (stored["status"], stored["assigned_to"], stored["row_version"], stored["org_id"]) \
        == ("assigned", "prov_a", 2, "dept_a")  # the department never changes
    assert repo.get("dem_1") == stored
    # A stale version writes nothing, not even its event.
    assert repo.replace({**changed, "status": "invalid"}, expected_version=1,
                        event=event("dem_1", "invalidate", "assigned", "invalid")) is None
    assert repo.get("dem_1")["status"] == "assigned"
    assert [e["action"] for e in repo.events("dem_1")] == ["raise", "accept"]
    assert repo.replace(demand("dem_missing"), expected_version=1,
                        event=event("dem_missing", "accept", "unassigned", "assigned")) is None


def test_two_providers_accepting_one_demand_exactly_one_wins(store: Any) -> None:
    repo = store.demands
    # Several rounds, each on a fresh demand: a lucky schedule must not hide a lost update.
    for round_ in range(3):
        did = f"dem_{round_}"
        repo.add(demand(did), event(did, "raise", None, "unassigned"))
        read = repo.get(did)

        def accept(provider: str, read: dict[str, Any] = read, did: str = did) -> Any:
            return repo.replace({**read, "status": "assigned", "assigned_to": provider},
                                expected_version=read["row_version"],
                                event=event(did, "accept", "unassigned", "assigned", provider))

        results = race(*(functools.partial(accept, f"prov_{i}") for i in range(6)))
        assert not [r for r in results if isinstance(r, Exception)], results
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        assert repo.get(did)["assigned_to"] == winners[0]["assigned_to"]
        assert [e["org_id"] for e in repo.events(did)] == ["dept_a",
                                                           winners[0]["assigned_to"]]


def test_lists_of_a_department_and_of_a_provider(store: Any) -> None:
    repo = store.demands
    for did, org in (("dem_1", "dept_a"), ("dem_2", "dept_b"), ("dem_3", "dept_a"),
                     ("dem_4", "dept_a")):
        repo.add(demand(did, org), event(did, "raise", None, "unassigned", org))
    repo.replace({**demand("dem_3"), "status": "assigned", "assigned_to": "prov_a"},
                 expected_version=1, event=event("dem_3", "accept", "unassigned", "assigned"))
    assert ids(repo.list_for_org("dept_a")) == ["dem_1", "dem_3", "dem_4"]
    assert ids(repo.list_for_org("dept_a", ("unassigned",))) == ["dem_1", "dem_4"]
    assert ids(repo.list_for_org("dept_a", limit=2)) == ["dem_1", "dem_3"]
    assert ids(repo.list_for_org("dept_a", after="dem_3")) == ["dem_4"]
    assert ids(repo.list_for_org("dept_none")) == []
    assert ids(repo.list_assigned("prov_a")) == ["dem_3"]
    assert ids(repo.list_assigned("prov_a", ("fulfilled",))) == []
    assert ids(repo.list_assigned("prov_b")) == []


def test_open_demands_match_competencies_or_are_sent_to_the_provider(store: Any) -> None:
    repo = store.demands
    rows = [demand("dem_1", competencies=("c1", "c2")),           # broadcast, c2 matches
            demand("dem_2", competencies=("c3",)),                # broadcast, no match
            demand("dem_3", provider_id="prov_a", competencies=("c9",)),  # sent to prov_a
            demand("dem_4", provider_id="prov_b", competencies=("c2",)),  # sent to another
            demand("dem_5", competencies=("c2",)),                # matches, but taken below
            demand("dem_6", competencies=())]                     # asks for nothing named
    for row in rows:
        repo.add(row, event(row["id"], "raise", None, "unassigned"))
    repo.replace({**demand("dem_5", competencies=("c2",)), "status": "assigned",
                  "assigned_to": "prov_b"}, expected_version=1,
                 event=event("dem_5", "accept", "unassigned", "assigned"))
    assert ids(repo.list_open("prov_a", ["c2", "c7"])) == ["dem_1", "dem_3"]
    assert ids(repo.list_open("prov_a", [])) == ["dem_3"]
    assert ids(repo.list_open("prov_a", ["c2", "c3"], limit=2)) == ["dem_1", "dem_2"]
    assert ids(repo.list_open("prov_a", ["c2", "c3"], after="dem_2")) == ["dem_3"]
    assert ids(repo.list_open("prov_b", ["c3"])) == ["dem_2", "dem_4"]
    # A change of the competencies moves the demand in or out of a provider's list.
    repo.replace({**demand("dem_2", competencies=("c7",))}, expected_version=1,
                 event=event("dem_2", "edit", "unassigned", "unassigned"))
    assert ids(repo.list_open("prov_b", ["c3"])) == ["dem_4"]
    assert ids(repo.list_open("prov_a", ["c7"])) == ["dem_2", "dem_3"]
