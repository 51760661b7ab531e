"""FrameworkVersion over a small hand-built version document, and the FRAC vocabulary."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.frac_model import (
    AREAS,
    CODE_PREFIX,
    LEVEL_NAMES,
    NODE_TYPES,
    PARENT_TYPE,
    FrameworkVersion,
    pick_text,
)


def n(nid: str, node_type: str, code: str | None, parent: str | None = None,
      **extra: Any) -> dict[str, Any]:
    """A published node."""
    return {"id": nid, "framework": "fw1", "type": node_type, "code": code,
            "name": {"en": f"{nid} name", "hi": f"{nid} नाम"}, "description": {"en": "…"},
            "parent": parent, "status": "confirmed", "extensions": {}, **extra}


def version_doc() -> dict[str, Any]:
    """Two areas, a theme with two sub-themes (listed out of code order), a position with a
    role and an activity, a foreign item, and a node whose parent is not published."""
    return {
        "framework": "fw1", "number": 2, "published_at": "2026-12-01T00:00:00.000000Z",
        "published_by": "key_1", "title": {"en": "Civil services", "hi": "सिविल सेवा"},
        "description": {}, "extensions": {}, "associations": [], "retired": ["gone"],
        "nodes": [
            n("s10", "subtheme", "COMSUBTHEME-10", "t1", area="functional",
              levels={"1": {"en": "Knows"}, "3": {"en": "Leads"}}),
            n("a1", "area", "COMAREA-1", area="behavioural"),
            n("a2", "area", "COMAREA-2", area="functional"),
            n("t1", "theme", "COMTHEME-4", "a2", area="functional"),
            n("s2", "subtheme", "COMSUBTHEME-2", "t1", area="functional",
              levels={str(i): {"en": f"L{i}"} for i in range(1, 6)}),
            n("p1", "position", "POS-1"),
            n("r1", "role", "ROLE-1", "p1", requirements=[{"competency": "s2", "level": 2}]),
            n("act1", "activity", "ACT-1", "r1", resources=[{"course": "c1"}]),
            n("x1", "other", None, "s2", extensions={"CFItemType": "Indicator"}),
            n("orphan", "subtheme", "COMSUBTHEME-3", "missing-theme", area="domain"),
        ],
    }


@pytest.fixture
def fv() -> FrameworkVersion:
    return FrameworkVersion(version_doc())


def ids(nodes: Any) -> list[str]:
    return [x["id"] for x in nodes]


def test_vocabulary() -> None:
    assert LEVEL_NAMES == {1: "Basic", 2: "Proficient", 3: "Advanced", 4: "Expert", 5: "Ustad"}
    assert set(CODE_PREFIX) == set(NODE_TYPES) - {"other"}
    assert CODE_PREFIX["subtheme"] == "COMSUBTHEME" and CODE_PREFIX["activity"] == "ACT"
    assert AREAS == ("behavioural", "functional", "domain")
    assert PARENT_TYPE["subtheme"] == "theme" and "area" not in PARENT_TYPE


def test_identity_and_lookups_by_id_and_code(fv: FrameworkVersion) -> None:
    assert (fv.framework, fv.number, fv.retired) == ("fw1", 2, frozenset({"gone"}))
    assert fv.node("s2")["code"] == "COMSUBTHEME-2"
    assert fv.by_code("COMSUBTHEME-10")["id"] == "s10"
    assert fv.node("missing") is None and fv.by_code("COMSUBTHEME-99") is None
    assert fv.by_code("comsubtheme-2") is None  # codes are exact
    assert fv.title("hi") == "सिविल सेवा"


def test_tree_navigation(fv: FrameworkVersion) -> None:
    assert ids(fv.children("t1")) == ["s2", "s10"]  # code order, not document order
    assert ids(fv.children("a2")) == ["t1"]
    assert fv.children("s10") == () and fv.children("missing") == ()
    assert fv.parent("s2")["id"] == "t1"
    assert fv.parent("a1") is None and fv.parent("missing") is None
    assert ids(fv.ancestors("s2")) == ["t1", "a2"]
    assert ids(fv.ancestors("act1")) == ["r1", "p1"]
    assert ids(fv.ancestors("x1")) == ["s2", "t1", "a2"]
    assert fv.ancestors("orphan") == () and fv.parent("orphan") is None


def test_area_and_theme_of(fv: FrameworkVersion) -> None:
    assert fv.area_of("s2")["id"] == "a2" and fv.theme_of("s2")["id"] == "t1"
    assert fv.area_of("t1")["id"] == "a2" and fv.theme_of("t1")["id"] == "t1"
    assert fv.area_of("a1")["id"] == "a1" and fv.theme_of("a1") is None
    assert fv.area_of("r1") is None and fv.theme_of("act1") is None
    assert fv.area_of("orphan") is None and fv.area_of("missing") is None


def test_competencies_roles_and_levels(fv: FrameworkVersion) -> None:
    assert ids(fv.competencies()) == ["s2", "orphan", "s10"]
    assert ids(fv.roles()) == ["r1"]
    assert ids(fv.of_type("other")) == ["x1"]
    assert ids(fv.nodes())[:3] == ["act1", "a1", "a2"]  # prefixes alphabetically
    assert fv.levels("s10") == {1, 3}
    assert fv.levels("s2") == {1, 2, 3, 4, 5}
    assert fv.levels("r1") == frozenset() and fv.levels("missing") == frozenset()


def test_text_in_the_requested_language(fv: FrameworkVersion) -> None:
    assert fv.text("s2", "hi") == "s2 नाम"
    assert fv.text("s2", "hi-IN") == "s2 नाम"
    assert fv.text("s2", "ta") == "s2 name"  # English when the language is missing
    assert fv.text("s2") == "s2 name"
    assert fv.text("s2", "en", field="description") == "…"
    assert fv.text("missing", "en") is None


def test_pick_text_fallbacks() -> None:
    assert pick_text({"hi-IN": "नमस्ते", "en-GB": "Hello"}, "hi") == "नमस्ते"
    assert pick_text({"hi-IN": "नमस्ते", "en-GB": "Hello"}, "ta") == "Hello"
    assert pick_text({"ta": "வணக்கம்", "hi": "नमस्ते"}, "bn") == "வணக்கம்"
    assert pick_text({"EN": "Hello"}, "en") == "Hello"
    assert pick_text({}, "en") is None and pick_text(None) is None


def test_the_view_is_immutable_and_owns_its_copy() -> None:
    doc = version_doc()
    fv = FrameworkVersion(doc)
    doc["nodes"][0]["code"] = "CHANGED"
    doc["nodes"].append(n("late", "area", "COMAREA-9"))
    assert fv.node("s10")["code"] == "COMSUBTHEME-10" and fv.node("late") is None
    with pytest.raises(AttributeError):
        fv.number = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        fv.extra = 1  # type: ignore[attr-defined]


def test_a_parent_cycle_does_not_loop() -> None:
    doc = version_doc()
    doc["nodes"] = [n("a", "other", None, "b"), n("b", "other", None, "a")]
    fv = FrameworkVersion(doc)
    assert ids(fv.ancestors("a")) == ["b"]
    assert ids(fv.ancestors("b")) == ["a"]
