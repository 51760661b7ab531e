"""Contract of the curated-program facets of ``CourseRepository.search`` (``program_items``,
``blended``), run over every adapter: a program is a catalogue item whose content has a
``program`` part; courses have neither facet value."""

from __future__ import annotations

from typing import Any

import pytest

from storage.catalogue_index import program_facets
from storage.ports.catalogue import CourseQuery
from tests.storage.factories import course_doc


def program(program_id: str, items: int, blended: bool) -> dict[str, Any]:
    """A published program of ``items`` external resources."""
    doc = course_doc(program_id, "org_dept", category="program",
                     mode="instructor-led" if blended else "self-paced")
    part = {"items": [{"kind": "resource", "url": f"https://r.example.org/{n}",
                       "title": {"en": "r"}, "required": True} for n in range(items)],
            "blended": blended}
    doc["revision"] = doc["live"] = {**doc["live"], "program": part}
    return doc


@pytest.fixture
def catalogue(store: Any) -> Any:
    store.courses.add_many([course_doc("crs_one", "org_a"), program("prg_small", 3, False),
                            program("prg_mid", 10, True), program("prg_big", 21, True)], [])
    return store


def search(store: Any, **kwargs: Any) -> Any:
    return store.courses.search(CourseQuery(limit=50, **kwargs))


def test_program_facets_count_programs_only(catalogue: Any) -> None:
    results = search(catalogue)
    assert results.total == 4
    assert results.facets["program_items"] == [("1-5", 1), ("6-10", 1), ("gt20", 1)]
    assert dict(results.facets["blended"]) == {"true": 2, "false": 1}


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"program_items": ("1-5",)}, {"prg_small"}),
    ({"program_items": ("6-10", "gt20")}, {"prg_mid", "prg_big"}),
    ({"program_items": ("11-20",)}, set()),
    ({"blended": ("true",)}, {"prg_mid", "prg_big"}),
    ({"blended": ("false",), "categories": ("program",)}, {"prg_small"}),
])
def test_program_filters(catalogue: Any, kwargs: dict[str, Any], expected: set[str]) -> None:
    results = search(catalogue, **kwargs)
    assert {item["id"] for item in results.items} == expected
    assert results.total == len(expected)


def test_program_facets_are_disjunctive(catalogue: Any) -> None:
    results = search(catalogue, blended=("true",))
    # blended counts ignore the blended filter; the item bands apply it
    assert dict(results.facets["blended"]) == {"true": 2, "false": 1}
    assert results.facets["program_items"] == [("6-10", 1), ("gt20", 1)]


def test_a_retired_program_leaves_the_facets(catalogue: Any) -> None:
    gone = catalogue.courses.get("prg_big")
    catalogue.courses.replace({**gone, "state": "retired", "live": None}, gone["row_version"])
    assert search(catalogue).facets["program_items"] == [("1-5", 1), ("6-10", 1)]


def test_program_facet_values() -> None:
    assert program_facets({"title": {"en": "a course"}}) == ([], [])
    assert program_facets({"program": {"items": [{}] * 5}}) == (["1-5"], ["false"])
    assert program_facets({"program": {"items": [{}] * 20, "blended": True}}) == (
        ["11-20"], ["true"])
