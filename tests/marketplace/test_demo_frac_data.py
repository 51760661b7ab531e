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


#: Unicode block of each language's script: Devanagari (hi, mr), Tamil, Bengali.
_SCRIPTS = {"hi": ("\u0900", "\u097f"), "mr": ("\u0900", "\u097f"),
            "ta": ("\u0b80", "\u0bff"), "bn": ("\u0980", "\u09ff")}


def _in_script(text: str, lang: str) -> bool:
    low, high = _SCRIPTS[lang]
    return any(low <= char <= high for char in text)


@pytest.mark.parametrize("item", data.ENTRIES, ids=lambda item: item["code"])
def test_every_langmap_has_english_and_hindi(item: dict) -> None:
    """Every human-readable text is given in en and hi, non-empty, each Indian language in its
    script; themes' and sub-themes' names and descriptions also in ta, bn and mr, the rest
    (level descriptions, positions, roles, activities) exactly en and hi."""
    regional = item["type"] in ("theme", "subtheme")
    for index, langmap in enumerate(_langmaps(item)):
        expected = {"en", "hi", "ta", "bn", "mr"} if regional and index < 2 else {"en", "hi"}
        assert set(langmap) == expected
        assert all(text.strip() for text in langmap.values())
        assert all(_in_script(text, lang) for lang, text in langmap.items() if lang != "en")


@pytest.mark.parametrize("item", data.THEMES + data.SUBTHEMES, ids=lambda item: item["code"])
def test_themes_and_subthemes_have_tamil_bengali_marathi(item: dict) -> None:
    """ta, bn and mr: a name, a one-sentence description and 4-6 distinct keywords in the
    language's script (Latin acronyms such as GeM allowed beside them), all different from
    the English and Hindi text (not copied)."""
    for lang in ("ta", "bn", "mr"):
        name, description = item["name"][lang], item["description"][lang]
        assert _in_script(name, lang) and _in_script(description, lang)
        assert name not in (item["name"]["en"], item["name"]["hi"])
        # One sentence: a full stop (or the Bengali dari) at the end and nowhere before it.
        assert description.endswith((".", "।")) and not any(
            stop in description[:-1] for stop in (". ", "। "))
        keywords = item["keywords"][lang]
        assert 4 <= len(keywords) <= 6 and len(set(keywords)) == len(keywords)
        assert sum(_in_script(keyword, lang) for keyword in keywords) >= 4


def test_regional_text_covers_exactly_themes_and_subthemes() -> None:
    """The regional module names every theme and sub-theme code and nothing else."""
    from marketplace import demo_frac_regional

    assert set(demo_frac_regional.REGIONAL) == {i["code"] for i in data.THEMES + data.SUBTHEMES}
    assert all(set(langs) == {"ta", "bn", "mr"} for langs in demo_frac_regional.REGIONAL.values())


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
    """5-8 keywords in en and hi (4-6 in ta, bn, mr, tested above); levels are "1".."4" or
    "1".."5", each described."""
    assert set(sub["keywords"]) == {"en", "hi", "ta", "bn", "mr"}
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
                 "demo_frac_domain", "demo_frac_regional", "demo_frac_regional_behavioural",
                 "demo_frac_regional_functional", "demo_frac_regional_domain"):
        path = Path(__file__).parents[2] / "marketplace" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module in ("__future__", "typing", "marketplace"), node.module
            elif isinstance(node, ast.Import):
                assert all(alias.name == "uuid" for alias in node.names)
