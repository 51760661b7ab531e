"""The demo FRAC framework as data has the shape FRAC_PLAN.md promises other parts."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest

from marketplace import demo_frac_data as data


def _langmaps(item: dict) -> list[dict]:
    maps = [item["name"], item["description"]]
    maps += list(item.get("levels", {}).values())
    maps += [resource["title"] for resource in item.get("resources", [])]
    return maps


def test_counts() -> None:
    """3 areas, 10 themes, 40 sub-themes, 4 positions, 12 roles, 24 activities."""
    assert (len(data.AREAS), len(data.THEMES), len(data.SUBTHEMES)) == (3, 10, 40)
    assert (len(data.POSITIONS), len(data.ROLES), len(data.ACTIVITIES)) == (4, 12, 24)


def test_codes_are_unique_and_numbered_from_one() -> None:
    """Codes are unique and each prefix runs 1..n with no gap (the plan's codes)."""
    codes = [item["code"] for item in data.ENTRIES]
    assert len(codes) == len(set(codes))
    for prefix, items in (("COMAREA", data.AREAS), ("COMTHEME", data.THEMES),
                          ("COMSUBTHEME", data.SUBTHEMES), ("POS", data.POSITIONS),
                          ("ROLE", data.ROLES), ("ACT", data.ACTIVITIES)):
        assert [item["code"] for item in items] == [f"{prefix}-{n}"
                                                    for n in range(1, len(items) + 1)]


@pytest.mark.parametrize("item", data.ENTRIES, ids=lambda item: item["code"])
def test_every_langmap_has_english_and_hindi(item: dict) -> None:
    """Every human-readable text is given in en and hi, non-empty; Hindi is in Devanagari."""
    for langmap in _langmaps(item):
        assert set(langmap) == {"en", "hi"}
        assert all(text.strip() for text in langmap.values())
        assert any("\u0900" <= char <= "\u097f" for char in langmap["hi"])


def test_parents_name_an_entry_of_the_right_type() -> None:
    """theme -> area, subtheme -> theme, role -> position, activity -> role; roots have none."""
    parent_type = {"area": None, "position": None, "theme": "area", "subtheme": "theme",
                   "role": "position", "activity": "role"}
    for item in data.ENTRIES:
        expected = parent_type[item["type"]]
        if expected is None:
            assert item["parent"] is None
        else:
            parent = data.entry(item["parent"])
            assert parent is not None and parent["type"] == expected, item["code"]
            if "area" in parent:
                assert item["area"] == parent["area"]


def test_themes_and_subthemes_follow_the_plan() -> None:
    """Four sub-themes per theme in code order; the plan's named anchors hold."""
    for index, sub in enumerate(data.SUBTHEMES):
        assert sub["parent"] == f"COMTHEME-{index // 4 + 1}"
    assert data.entry("COMSUBTHEME-18")["name"]["en"].startswith("Government e-Marketplace")
    assert data.entry("COMTHEME-7")["name"]["en"] == "Digital Governance"
    assert [a["area"] for a in data.AREAS] == ["behavioural", "functional", "domain"]


@pytest.mark.parametrize("sub", data.SUBTHEMES, ids=lambda item: item["code"])
def test_subtheme_keywords_and_levels(sub: dict) -> None:
    """5-8 keywords per language; levels are "1".."4" or "1".."5", each described."""
    for lang in ("en", "hi"):
        assert 5 <= len(sub["keywords"][lang]) <= 8
        assert len(set(sub["keywords"][lang])) == len(sub["keywords"][lang])
    assert list(sub["levels"]) in (["1", "2", "3", "4"], ["1", "2", "3", "4", "5"])


def test_exactly_three_subthemes_stop_at_level_four() -> None:
    """The demo lets "a level the competency does not define" be tested."""
    short = [sub["code"] for sub in data.SUBTHEMES if "5" not in sub["levels"]]
    assert short == ["COMSUBTHEME-6", "COMSUBTHEME-21", "COMSUBTHEME-40"]


def test_role_requirements_name_defined_levels() -> None:
    """3-5 requirements per role, on distinct existing sub-themes, at a level 1-4 they define."""
    for role in data.ROLES:
        requirements = role["requirements"]
        assert 3 <= len(requirements) <= 5
        assert len({r["competency"] for r in requirements}) == len(requirements)
        for requirement in requirements:
            sub = data.entry(requirement["competency"])
            assert sub is not None and sub["type"] == "subtheme"
            assert requirement["level"] in (1, 2, 3, 4)
            assert str(requirement["level"]) in sub["levels"]


def test_activities_two_per_role_with_resources() -> None:
    """Each role has two activities, each with 1-2 https knowledge resources."""
    for role in data.ROLES:
        assert sum(a["parent"] == role["code"] for a in data.ACTIVITIES) == 2
    for activity in data.ACTIVITIES:
        assert 1 <= len(activity["resources"]) <= 2
        for resource in activity["resources"]:
            assert resource["url"].startswith("https://") and ".example" in resource["url"]


def test_node_id_is_uuid5_of_the_code_url() -> None:
    """Ids are computed, stable and distinct: uuid5(NAMESPACE_URL, base + code)."""
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "https://karmayogi.example/frac/COMSUBTHEME-12")
    assert data.node_id("COMSUBTHEME-12") == str(expected)
    assert uuid.UUID(data.node_id("ROLE-1")).version == 5
    ids = {data.node_id(item["code"]) for item in data.ENTRIES} | {data.FRAMEWORK["id"]}
    assert len(ids) == len(data.ENTRIES) + 1


def test_every_demo_topic_maps_to_a_subtheme() -> None:
    """The demo catalogue's topics (read from demo.py's source, not imported: the data module
    must stay free of storage) are exactly the keys of the topic map."""
    source = Path(__file__).parents[2] / "marketplace" / "demo.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    topics = next(node.value for node in tree.body if isinstance(node, ast.AnnAssign)
                  and getattr(node.target, "id", "") == "TOPICS")
    assert isinstance(topics, ast.Tuple)
    names = [ast.literal_eval(row.elts[0]) for row in topics.elts]  # type: ignore[attr-defined]
    assert sorted(names) == sorted(data.TOPIC_SUBTHEMES)
    assert all(1 <= n <= 40 for n in data.TOPIC_SUBTHEMES.values())


def test_data_module_imports_no_storage() -> None:
    """The data modules import only the standard library and each other (G reads them)."""
    for name in ("demo_frac_data", "demo_frac_behavioural", "demo_frac_functional",
                 "demo_frac_domain"):
        path = Path(__file__).parents[2] / "marketplace" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module in ("__future__", "typing", "marketplace"), node.module
            elif isinstance(node, ast.Import):
                assert all(alias.name == "uuid" for alias in node.names)
