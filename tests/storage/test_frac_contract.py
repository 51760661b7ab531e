"""Contract of FracRepository (frameworks, nodes with their review history, code sequences,
published versions), run over every adapter."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.frac import FracRepository, code_order
from tests.storage.factories import timestamp


def framework(fid: str = "fw1", org_id: str = "org_a") -> dict[str, Any]:
    """A framework document."""
    return {"id": fid, "org_id": org_id, "title": {"en": f"Framework {fid}", "hi": "ढांचा"},
            "description": {"en": "Competencies"}, "creator": "Ministry",
            "created_at": timestamp(), "updated_at": None, "extensions": {"x": 1}}


def node(nid: str, code: str | None, node_type: str = "subtheme", fid: str = "fw1",
         status: str = "unverified", parent: str | None = None) -> dict[str, Any]:
    """A node document at revision 1."""
    return {"id": nid, "framework": fid, "type": node_type, "code": code,
            "name": {"en": f"Node {nid}"}, "description": {"en": "…"}, "parent": parent,
            "area": "functional", "levels": {"1": {"en": "Knows"}}, "status": status,
            "revision": 1, "created_at": timestamp(), "updated_at": None, "extensions": {}}


def event(nid: str, action: str = "created", to: str = "unverified",
          fid: str = "fw1") -> dict[str, Any]:
    """A node event."""
    return {"node": nid, "framework": fid, "at": timestamp(), "by": "key_1", "org_id": "org_a",
            "action": action, "from": None, "to": to, "comment": ""}


def version(number: int, fid: str = "fw1") -> dict[str, Any]:
    """A published version holding one node."""
    return {"framework": fid, "number": number, "published_at": timestamp(),
            "published_by": "key_1", "title": {"en": "Framework"}, "description": {},
            "extensions": {}, "nodes": [node(f"n{number}", f"COMSUBTHEME-{number}")],
            "associations": [{"type": "precedes", "origin": "a", "destination": "b",
                              "extensions": {}}], "retired": []}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.frac, FracRepository)


# -- frameworks ------------------------------------------------------------------------------

def test_framework_add_get_list_and_duplicate_id(store: Any) -> None:
    repo = store.frac
    repo.add_framework(framework("fw1"))
    repo.add_framework(framework("fw2", "org_b"))
    repo.add_framework(framework("fw3"))
    assert repo.get_framework("fw1")["title"]["hi"] == "ढांचा"
    assert repo.get_framework("fw1")["extensions"] == {"x": 1}
    assert repo.get_framework("missing") is None
    with pytest.raises(DuplicateKey):
        repo.add_framework(framework("fw1", "org_b"))
    assert [f["id"] for f in repo.list_frameworks()] == ["fw1", "fw2", "fw3"]
    assert [f["id"] for f in repo.list_frameworks("org_a")] == ["fw1", "fw3"]
    assert repo.list_frameworks("org_none") == []


def test_update_framework_never_changes_id_or_org(store: Any) -> None:
    repo = store.frac
    repo.add_framework(framework("fw1"))
    updated = repo.update_framework("fw1", {"title": {"en": "Renamed"}, "id": "fw9",
                                            "org_id": "org_b", "updated_at": timestamp()})
    assert updated is not None
    assert (updated["id"], updated["org_id"], updated["title"]) == (
        "fw1", "org_a", {"en": "Renamed"})
    assert repo.get_framework("fw1") == updated
    assert repo.get_framework("fw9") is None
    assert repo.list_frameworks("org_b") == []
    assert repo.update_framework("fw1", {})["title"] == {"en": "Renamed"}
    assert repo.update_framework("missing", {"title": {}}) is None


# -- nodes -----------------------------------------------------------------------------------

def test_add_nodes_stores_nodes_and_events(store: Any) -> None:
    repo = store.frac
    nodes = [node("a1", "COMAREA-1", "area"), node("s1", "COMSUBTHEME-1", parent="a1")]
    events = [event("a1"), event("s1"), event("s1", "imported")]
    repo.add_nodes(nodes, events)
    assert repo.get_node("s1") == nodes[1]
    assert repo.get_node("a1") == nodes[0]
    assert repo.get_node("missing") is None
    assert repo.list_node_events("s1") == events[1:]
    assert repo.list_node_events("a1") == events[:1]
    assert repo.list_node_events("missing") == []
    repo.add_nodes([], [])  # an empty batch is a no-op


@pytest.mark.parametrize("clash", ["stored id", "stored code", "id in batch", "code in batch"])
def test_add_nodes_is_all_or_nothing(store: Any, clash: str) -> None:
    """A batch with one taken id or code stores none of its nodes or events."""
    repo = store.frac
    repo.add_nodes([node("s1", "COMSUBTHEME-1")], [event("s1")])
    batch = [node("s2", "COMSUBTHEME-2"), node("s3", "COMSUBTHEME-3")]
    batch.append({"stored id": node("s1", "COMSUBTHEME-9"),
                  "stored code": node("s9", "COMSUBTHEME-1"),
                  "id in batch": node("s2", "COMSUBTHEME-9"),
                  "code in batch": node("s9", "COMSUBTHEME-2")}[clash])
    with pytest.raises(DuplicateKey):
        repo.add_nodes(batch, [event("s2"), event("s3")])
    assert [n["id"] for n in repo.list_nodes("fw1")] == ["s1"]
    assert repo.get_node("s2") is None and repo.get_node("s9") is None
    assert repo.list_node_events("s2") == []
    assert repo.get_node("s1")["code"] == "COMSUBTHEME-1"
    assert len(repo.list_node_events("s1")) == 1


def test_add_nodes_refuses_an_event_of_a_node_outside_the_batch(store: Any) -> None:
    repo = store.frac
    with pytest.raises(ValueError, match="s9"):
        repo.add_nodes([node("s1", "COMSUBTHEME-1")], [event("s9")])
    assert repo.get_node("s1") is None


def test_codes_are_unique_per_framework_only(store: Any) -> None:
    repo = store.frac
    repo.add_nodes([node("s1", "COMSUBTHEME-1"), node("x1", None, "other"),
                    node("x2", None, "other")], [])
    repo.add_nodes([node("t1", "COMSUBTHEME-1", fid="fw2")], [])
    assert {n["id"] for n in repo.list_nodes("fw1")} == {"s1", "x1", "x2"}
    assert [n["id"] for n in repo.list_nodes("fw2")] == ["t1"]


def test_list_nodes_filters_and_code_order(store: Any) -> None:
    repo = store.frac
    nodes = [node("s10", "COMSUBTHEME-10"), node("s2", "COMSUBTHEME-2", status="confirmed"),
             node("a1", "COMAREA-1", "area", status="confirmed"), node("x1", None, "other"),
             node("x0", "LEGACY.7", "other"), node("r1", "ROLE-1", "role", status="retired"),
             node("other-fw", "COMSUBTHEME-1", fid="fw2")]
    repo.add_nodes(nodes, [])
    assert [n["id"] for n in repo.list_nodes("fw1")] == ["a1", "s2", "s10", "r1", "x0", "x1"]
    assert [n["id"] for n in repo.list_nodes("fw1", types=("subtheme",))] == ["s2", "s10"]
    assert [n["id"] for n in repo.list_nodes("fw1", statuses=("confirmed",))] == ["a1", "s2"]
    assert [n["id"] for n in repo.list_nodes("fw1", types=("subtheme", "role"),
                                             statuses=("unverified", "retired"))] == ["s10", "r1"]
    assert repo.list_nodes("fw1", types=()) == []
    assert repo.list_nodes("fw-none") == []
    assert sorted(nodes[:6], key=code_order) == repo.list_nodes("fw1")


def test_replace_node_is_a_compare_and_set_with_its_event(store: Any) -> None:
    repo = store.frac
    repo.add_nodes([node("s1", "COMSUBTHEME-1")], [event("s1")])
    changed = node("s1", "COMSUBTHEME-1", status="verified") | {"keywords": {"en": ["k"]}}
    assert repo.replace_node(changed, expected_revision=1,
                             event=event("s1", "verified", "verified")) is True
    stored = repo.get_node("s1")
    assert stored["revision"] == 2 and stored["status"] == "verified"
    assert stored["keywords"] == {"en": ["k"]}
    assert [n["id"] for n in repo.list_nodes("fw1", statuses=("verified",))] == ["s1"]
    assert [e["action"] for e in repo.list_node_events("s1")] == ["created", "verified"]

    # Stale: the stored revision is 2 now; nothing is written, not even the event.
    stale = node("s1", "COMSUBTHEME-1", status="rejected")
    assert repo.replace_node(stale, expected_revision=1,
                             event=event("s1", "rejected", "rejected")) is False
    assert repo.get_node("s1") == stored
    assert len(repo.list_node_events("s1")) == 2

    # A field left out of the new document is gone; the framework and id stay.
    dropped = {k: v for k, v in stored.items() if k != "keywords"} | {"framework": "fw2"}
    assert repo.replace_node(dropped, expected_revision=2, event=None) is True
    stored = repo.get_node("s1")
    assert "keywords" not in stored and stored["framework"] == "fw1"
    assert stored["revision"] == 3
    assert len(repo.list_node_events("s1")) == 2

    assert repo.replace_node(node("missing", "COMSUBTHEME-5"), expected_revision=1,
                             event=event("missing")) is False
    assert repo.get_node("missing") is None
    assert repo.list_node_events("missing") == []


def test_replace_node_to_a_taken_code_is_refused(store: Any) -> None:
    repo = store.frac
    repo.add_nodes([node("s1", "COMSUBTHEME-1"), node("s2", "COMSUBTHEME-2")], [])
    with pytest.raises(DuplicateKey):
        repo.replace_node(node("s2", "COMSUBTHEME-1"), expected_revision=1,
                          event=event("s2", "updated"))
    assert repo.get_node("s2")["code"] == "COMSUBTHEME-2"
    assert repo.get_node("s2")["revision"] == 1
    assert repo.list_node_events("s2") == []


def test_event_order_over_many_writes(store: Any) -> None:
    repo = store.frac
    repo.add_nodes([node("s1", "COMSUBTHEME-1"), node("s2", "COMSUBTHEME-2")],
                   [event("s1"), event("s2")])
    actions = ["verified", "returned", "verified", "confirmed", "retired"]
    for revision, action in enumerate(actions, start=1):
        assert repo.replace_node(node("s1", "COMSUBTHEME-1", status=action),
                                 expected_revision=revision, event=event("s1", action, action))
    assert [e["action"] for e in repo.list_node_events("s1")] == ["created", *actions]
    assert [e["action"] for e in repo.list_node_events("s2")] == ["created"]


# -- code sequences --------------------------------------------------------------------------

def test_next_code_number_per_framework_and_prefix(store: Any) -> None:
    repo = store.frac
    assert [repo.next_code_number("fw1", "ROLE") for _ in range(3)] == [1, 2, 3]
    assert repo.next_code_number("fw1", "POS") == 1
    assert repo.next_code_number("fw2", "ROLE") == 1
    assert repo.next_code_number("fw1", "ROLE") == 4


def test_next_code_number_stays_above_stored_codes(store: Any) -> None:
    """An imported framework arrives with its codes: the next new node must not reuse one."""
    repo = store.frac
    assert repo.next_code_number("fw1", "COMSUBTHEME") == 1
    repo.add_nodes([node("s40", "COMSUBTHEME-40"), node("s7", "COMSUBTHEME-7"),
                    node("x", "FOREIGN.3", "other")], [])
    assert repo.next_code_number("fw1", "COMSUBTHEME") == 41
    assert repo.replace_node(node("s7", "COMSUBTHEME-90"), expected_revision=1, event=None)
    assert repo.next_code_number("fw1", "COMSUBTHEME") == 91
    assert repo.next_code_number("fw2", "COMSUBTHEME") == 1


def test_next_code_number_is_atomic_under_racing_threads(store: Any) -> None:
    repo = store.frac
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def take() -> None:
        start.wait()
        numbers = [repo.next_code_number("fw1", "ACT") for _ in range(15)]
        with lock:
            results.extend(numbers)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, 91))


# -- versions --------------------------------------------------------------------------------

def test_versions_latest_by_number_and_summaries(store: Any) -> None:
    repo = store.frac
    assert repo.get_version("fw1") is None
    assert repo.list_versions("fw1") == []
    for number in (1, 3, 2):
        repo.add_version(version(number))
    repo.add_version(version(1, "fw2"))
    latest = repo.get_version("fw1")
    assert latest is not None and latest["number"] == 3
    assert latest["nodes"][0]["code"] == "COMSUBTHEME-3"
    assert latest["associations"][0]["type"] == "precedes"
    assert repo.get_version("fw1", 2) == version(2) | {"published_at": repo.get_version(
        "fw1", 2)["published_at"], "nodes": repo.get_version("fw1", 2)["nodes"]}
    assert repo.get_version("fw1", 2)["nodes"][0]["id"] == "n2"
    assert repo.get_version("fw1", 9) is None
    assert repo.get_version("fw2")["number"] == 1
    summaries = repo.list_versions("fw1")
    assert [v["number"] for v in summaries] == [1, 2, 3]
    assert all("nodes" not in v and "associations" not in v for v in summaries)
    assert summaries[0]["title"] == {"en": "Framework"} and summaries[0]["retired"] == []


def test_version_number_is_unique_per_framework(store: Any) -> None:
    repo = store.frac
    repo.add_version(version(1))
    duplicate = version(1) | {"title": {"en": "Other"}}
    with pytest.raises(DuplicateKey):
        repo.add_version(duplicate)
    assert repo.get_version("fw1", 1)["title"] == {"en": "Framework"}
    assert len(repo.list_versions("fw1")) == 1
    repo.add_version(version(1, "fw2"))  # another framework's number 1 is free


def test_latest_version_numbers(store: Any) -> None:
    repo = store.frac
    assert repo.latest_version_numbers() == {}
    repo.add_version(version(1))
    repo.add_version(version(2))
    repo.add_version(version(1, "fw2"))
    assert repo.latest_version_numbers() == {"fw1": 2, "fw2": 1}
    repo.add_version(version(3))
    assert repo.latest_version_numbers() == {"fw1": 3, "fw2": 1}


def test_add_nodes_undoes_a_partial_insert(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """MongoDB checks ids and codes before it inserts; a writer that takes a code between the
    check and the insert makes the insert fail midway, and what the batch inserted goes."""
    repo = store.frac
    if not hasattr(repo, "_taken"):
        pytest.skip("the SQLite batch is one transaction: no check stage to race")
    repo.add_nodes([node("s3", "COMSUBTHEME-3")], [event("s3")])
    monkeypatch.setattr(repo, "_taken", lambda nodes: None)  # the racing writer came after it
    with pytest.raises(DuplicateKey):
        repo.add_nodes([node("s1", "COMSUBTHEME-1"), node("s2", "COMSUBTHEME-2"),
                        node("s4", "COMSUBTHEME-3")], [event("s1")])
    assert [n["id"] for n in repo.list_nodes("fw1")] == ["s3"]
    assert len(repo.list_node_events("s3")) == 1
