"""Contract of ``CourseRepository.search``, run over every adapter.

Text in English, Hindi and Tamil, prefix matching, every filter, disjunctive facet counts, every
sort order, keyset pages that stay stable while courses are published between them, retired
courses and rating updates.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from storage.catalogue_index import FACET_FIELDS, SORT_ORDERS
from storage.ports.catalogue import CourseQuery
from tests.storage.factories import course_doc


def ids(results: Any) -> list[str]:
    """Course ids of a search page."""
    return [item["id"] for item in results.items]


def tag(competency: str, level: int, area: str, theme: str) -> dict[str, Any]:
    """A competency tag as stored once validated (marketplace.frac_tags): denormalised."""
    return {"id": competency, "level": level, "framework": "fw", "version": 1,
            "code": "COMSUBTHEME-" + competency, "area": area, "theme": theme}


def at(day: int) -> str:
    """A publication time on day ``day`` of 2026-03."""
    return f"2026-03-{day:02d}T10:00:00.000000Z"


CATALOGUE = [
    course_doc("crs_admin", "org_a", title={"en": "Public Administration", "hi": "लोक प्रशासन"},
               description={"en": "Foundations for new officers", "hi": "नए अधिकारियों के लिए"},
               keywords=["governance"], languages=["en", "hi"], category="course",
               mode="self-paced", level="beginner", minutes=45,
               competencies=[tag("C1", 1, "behavioural", "T1")],
               rating=(4.5, 10), published_at=at(1)),
    course_doc("crs_fin", "org_b", title={"en": "Public Finance Essentials"},
               description={"en": "Budgets and audit for administration staff"},
               keywords=["budget"], languages=["en"], category="program", mode="classroom",
               level="advanced", minutes=300, competencies=[tag("C2", 3, "functional", "T2")],
               rating=(3.2, 4),
               published_at=at(2)),
    course_doc("crs_ethics", "org_a", title={"en": "ethics in Governance", "hi": "शासन में नैतिकता"},
               description={"en": "Integrity and conduct rules"}, keywords=["administration"],
               languages=["hi"], category="course", mode="instructor-led", level="intermediate",
               minutes=1200, competencies=[tag("C1", 2, "behavioural", "T1"),
                                           tag("C3", 2, "behavioural", "T3")],
               published_at=at(3)),
    course_doc("crs_tamil", "org_c", title={"ta": "பொது நிர்வாகம்", "en": "Tamil Public Management"},
               description={"ta": "தமிழ்நாடு அரசு ஊழியர்களுக்கு"}, languages=["ta", "en"],
               category="learning-resource", mode="self-paced", level="beginner", minutes=3000,
               rating=(2.0, 1), published_at=at(4)),
    course_doc("crs_draft", "org_a", state="draft", title={"en": "Administration secrets"}),
]
PUBLISHED = ["crs_admin", "crs_fin", "crs_ethics", "crs_tamil"]


@pytest.fixture
def catalogue(store: Any) -> Any:
    """The store holding :data:`CATALOGUE` plus a retired course."""
    store.courses.add_many(CATALOGUE, [])
    store.courses.add(course_doc("crs_gone", "org_a", title={"en": "Administration archive"},
                                 published_at=at(5)))
    gone = store.courses.get("crs_gone")
    store.courses.replace({**gone, "state": "retired", "live": None}, gone["row_version"])
    return store


def search(store: Any, **kwargs: Any) -> Any:
    """Run a search."""
    return store.courses.search(CourseQuery(**kwargs))


def facet(results: Any, field: str) -> dict[str, int]:
    """One facet as a dict."""
    return dict(results.facets[field])


# -- text ------------------------------------------------------------------------------------

def test_text_in_english_ranks_title_over_keywords_over_description(catalogue: Any) -> None:
    results = search(catalogue, text="administration")
    assert ids(results) == ["crs_admin", "crs_ethics", "crs_fin"]
    assert results.total == 3


def test_every_token_matches_as_a_word_prefix(catalogue: Any) -> None:
    assert set(ids(search(catalogue, text="admin"))) == {"crs_admin", "crs_ethics", "crs_fin"}
    assert ids(search(catalogue, text="adm budg")) == ["crs_fin"]
    assert ids(search(catalogue, text="public fin")) == ["crs_fin"]
    assert ids(search(catalogue, text="ministration")) == []  # prefix, not infix
    assert ids(search(catalogue, text="administrations")) == []


def test_text_in_hindi_whole_words_and_prefixes(catalogue: Any) -> None:
    assert ids(search(catalogue, text="प्रशासन")) == ["crs_admin"]
    assert ids(search(catalogue, text="लोक प्रशा")) == ["crs_admin"]
    assert ids(search(catalogue, text="नैतिकता")) == ["crs_ethics"]
    assert ids(search(catalogue, text="शासन")) == ["crs_ethics"]  # not inside प्रशासन


def test_text_in_tamil(catalogue: Any) -> None:
    assert ids(search(catalogue, text="நிர்வாகம்")) == ["crs_tamil"]
    assert ids(search(catalogue, text="தமிழ்")) == ["crs_tamil"]


def test_text_ignores_case_and_latin_diacritics(catalogue: Any) -> None:
    assert ids(search(catalogue, text="ÉTHICS")) == ["crs_ethics"]
    assert ids(search(catalogue, text="Ｆｉｎａｎｃｅ")) == ["crs_fin"]  # noqa: RUF001


@pytest.mark.parametrize("text", ['admin" OR "x', "NEAR(admin fin)", "admin*", "^admin",
                                  "{title}: admin", "admin AND", "(admin"])
def test_search_syntax_in_user_text_is_inert(catalogue: Any, text: str) -> None:
    results = search(catalogue, text=text)
    assert set(ids(results)) <= {"crs_admin", "crs_ethics", "crs_fin"}


def test_text_without_a_word_searches_everything(catalogue: Any) -> None:
    assert search(catalogue, text=" -- () * ").total == 4
    assert search(catalogue, text="").total == 4


def test_drafts_and_retired_courses_are_not_searchable(catalogue: Any) -> None:
    results = search(catalogue, limit=50)
    assert sorted(ids(results)) == sorted(PUBLISHED)
    assert search(catalogue, text="secrets").total == 0
    assert search(catalogue, text="archive").total == 0
    assert sum(facet(results, "provider").values()) == 4


# -- filters ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"providers": ("org_a",)}, {"crs_admin", "crs_ethics"}),
    ({"providers": ("org_b", "org_c")}, {"crs_fin", "crs_tamil"}),
    ({"languages": ("hi",)}, {"crs_admin", "crs_ethics"}),
    ({"languages": ("HI", "ta")}, {"crs_admin", "crs_ethics", "crs_tamil"}),
    ({"categories": ("program", "learning-resource")}, {"crs_fin", "crs_tamil"}),
    ({"modes": ("self-paced",)}, {"crs_admin", "crs_tamil"}),
    ({"levels": ("advanced", "intermediate")}, {"crs_fin", "crs_ethics"}),
    ({"competencies": ("C1",)}, {"crs_admin", "crs_ethics"}),
    ({"competencies": ("C2", "C3")}, {"crs_fin", "crs_ethics"}),
    ({"competency_areas": ("functional",)}, {"crs_fin"}),
    ({"competency_areas": ("behavioural", "functional")}, {"crs_admin", "crs_fin", "crs_ethics"}),
    ({"competency_themes": ("T3",)}, {"crs_ethics"}),
    ({"competency_themes": ("T1", "T2")}, {"crs_admin", "crs_fin", "crs_ethics"}),
    ({"competency_levels": ("2",)}, {"crs_ethics"}),
    ({"competency_levels": ("1", "3")}, {"crs_admin", "crs_fin"}),
    ({"competencies": ("C1",), "competency_levels": ("2",)}, {"crs_ethics"}),
    ({"competency_levels": ("5",)}, set()),
    ({"duration_bands": ("lt1h", "gt40h")}, {"crs_admin", "crs_tamil"}),
    ({"duration_bands": ("4-10h",)}, {"crs_fin"}),
    ({"min_minutes": 300}, {"crs_fin", "crs_ethics", "crs_tamil"}),
    ({"max_minutes": 300}, {"crs_admin", "crs_fin"}),
    ({"min_minutes": 60, "max_minutes": 1200}, {"crs_fin", "crs_ethics"}),
    ({"min_rating": 3.0}, {"crs_admin", "crs_fin"}),
    ({"min_rating": 4.5}, {"crs_admin"}),
    ({"providers": ("org_a",), "modes": ("self-paced",)}, {"crs_admin"}),
    ({"text": "public", "languages": ("en",), "levels": ("beginner",)},
     {"crs_admin", "crs_tamil"}),
    ({"providers": ("org_none",)}, set()),
])
def test_filters(catalogue: Any, kwargs: dict[str, Any], expected: set[str]) -> None:
    results = search(catalogue, limit=50, **kwargs)
    assert set(ids(results)) == expected
    assert results.total == len(expected)


# -- facets ----------------------------------------------------------------------------------

def test_facets_over_everything(catalogue: Any) -> None:
    results = search(catalogue)
    assert list(results.facets) == list(FACET_FIELDS)
    assert results.facets["provider"] == [("org_a", 2), ("org_b", 1), ("org_c", 1)]
    assert facet(results, "language") == {"en": 3, "hi": 2, "ta": 1}
    assert facet(results, "category") == {"course": 2, "program": 1, "learning-resource": 1}
    assert facet(results, "mode") == {"self-paced": 2, "classroom": 1, "instructor-led": 1}
    assert facet(results, "level") == {"beginner": 2, "advanced": 1, "intermediate": 1}
    # Duration bands and rating buckets come in their declared order.
    assert results.facets["duration"] == [("lt1h", 1), ("4-10h", 1), ("10-40h", 1),
                                          ("gt40h", 1)]
    assert results.facets["rating"] == [("4+", 1), ("3+", 2), ("2+", 3), ("1+", 3)]
    assert facet(results, "competency") == {"C1": 2, "C2": 1, "C3": 1}
    assert results.facets["competency_area"] == [("behavioural", 2), ("functional", 1)]
    assert facet(results, "competency_theme") == {"T1": 2, "T2": 1, "T3": 1}
    assert facet(results, "competency_level") == {"1": 1, "2": 1, "3": 1}


def test_facet_counts_are_disjunctive(catalogue: Any) -> None:
    results = search(catalogue, modes=("self-paced",), providers=("org_a",))
    assert ids(results) == ["crs_admin"]
    # mode counts ignore the mode filter but keep the provider filter
    assert facet(results, "mode") == {"self-paced": 1, "instructor-led": 1}
    # provider counts ignore the provider filter but keep the mode filter
    assert facet(results, "provider") == {"org_a": 1, "org_c": 1}
    # other fields apply both filters
    assert facet(results, "language") == {"en": 1, "hi": 1}
    assert facet(results, "competency") == {"C1": 1}


def test_competency_facets_are_disjunctive(catalogue: Any) -> None:
    results = search(catalogue, competency_areas=("behavioural",), competency_levels=("2",))
    assert ids(results) == ["crs_ethics"]
    # each competency facet ignores its own filter and keeps the others
    assert facet(results, "competency_area") == {"behavioural": 1}
    assert facet(results, "competency_level") == {"1": 1, "2": 1}
    assert facet(results, "competency") == {"C1": 1, "C3": 1}
    assert facet(results, "competency_theme") == {"T1": 1, "T3": 1}
    by_theme = search(catalogue, competency_themes=("T2",))
    assert facet(by_theme, "competency_theme") == {"T1": 2, "T2": 1, "T3": 1}
    assert facet(by_theme, "competency_area") == {"functional": 1}


def test_retagging_a_course_moves_it_between_competency_facets(catalogue: Any) -> None:
    assert facet(search(catalogue), "competency_area") == {"behavioural": 2, "functional": 1}
    fin = catalogue.courses.get("crs_fin")
    live = {**fin["live"], "competencies": [tag("C4", 4, "domain", "T4"), {"id": "OLD-1",
                                                                          "level": 5}]}
    catalogue.courses.replace({**fin, "live": live, "revision": live}, fin["row_version"])
    results = search(catalogue)
    assert facet(results, "competency_area") == {"behavioural": 2, "domain": 1}
    assert facet(results, "competency_theme") == {"T1": 2, "T3": 1, "T4": 1}
    assert facet(results, "competency_level") == {"1": 1, "2": 1, "4": 1, "5": 1}
    # a tag stored before validation existed (id and level only) still counts by id and level
    assert facet(results, "competency") == {"C1": 2, "C3": 1, "C4": 1, "OLD-1": 1}
    assert ids(search(catalogue, competency_themes=("T4",))) == ["crs_fin"]
    assert search(catalogue, competency_areas=("functional",)).total == 0


def test_duration_and_rating_facets_ignore_their_own_filters(catalogue: Any) -> None:
    results = search(catalogue, min_minutes=100, min_rating=3.0)
    assert ids(results) == ["crs_fin"]
    assert facet(results, "duration") == {"lt1h": 1, "4-10h": 1}  # rated >= 3 only
    assert facet(results, "rating") == {"3+": 1, "2+": 2, "1+": 2}  # >= 100 minutes only
    assert facet(results, "level") == {"advanced": 1}
    by_band = search(catalogue, duration_bands=("10-40h",))
    assert facet(by_band, "duration") == {"lt1h": 1, "4-10h": 1, "10-40h": 1, "gt40h": 1}


def test_facets_follow_the_text(catalogue: Any) -> None:
    results = search(catalogue, text="public", languages=("hi",))
    assert ids(results) == ["crs_admin"]
    assert facet(results, "language") == {"en": 3, "hi": 1, "ta": 1}
    assert facet(results, "provider") == {"org_a": 1}


def test_facets_can_be_skipped(catalogue: Any) -> None:
    results = search(catalogue, facets=False)
    assert results.facets == {} and results.total == 4


def test_rating_updates_show_in_filters_facets_and_sort(catalogue: Any) -> None:
    catalogue.courses.set_rating("crs_ethics", 4.8, 3)
    assert ids(search(catalogue, min_rating=4.6)) == ["crs_ethics"]
    assert facet(search(catalogue), "rating") == {"4+": 2, "3+": 3, "2+": 4, "1+": 4}
    assert ids(search(catalogue, sort="rating"))[0] == "crs_ethics"
    catalogue.courses.set_rating("crs_ethics", None, 0)
    assert facet(search(catalogue), "rating") == {"4+": 1, "3+": 2, "2+": 3, "1+": 3}
    assert ids(search(catalogue, sort="rating"))[-1] == "crs_ethics"


# -- sorting ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("sort", "expected"), [
    ("relevance", ["crs_tamil", "crs_ethics", "crs_fin", "crs_admin"]),  # no text: newest
    ("newest", ["crs_tamil", "crs_ethics", "crs_fin", "crs_admin"]),
    ("title", ["crs_ethics", "crs_admin", "crs_fin", "crs_tamil"]),  # case-folded
    ("rating", ["crs_admin", "crs_fin", "crs_tamil", "crs_ethics"]),  # unrated last
    ("duration", ["crs_admin", "crs_fin", "crs_ethics", "crs_tamil"]),
])
def test_sort_orders(catalogue: Any, sort: str, expected: list[str]) -> None:
    assert ids(search(catalogue, sort=sort)) == expected


def test_ties_are_broken_by_course_id(store: Any) -> None:
    same = {"published_at": at(9), "minutes": 90, "rating": (4.0, 2),
            "title": {"en": "Same title"}}
    store.courses.add_many([course_doc(cid, "org_a", **same)
                            for cid in ("crs_c", "crs_a", "crs_b")], [])
    for sort in SORT_ORDERS:
        assert ids(search(store, sort=sort)) == ["crs_a", "crs_b", "crs_c"], sort
        assert ids(search(store, sort=sort, text="same")) == ["crs_a", "crs_b", "crs_c"], sort


def test_rating_sort_breaks_equal_averages_by_count(store: Any) -> None:
    store.courses.add_many([
        course_doc("crs_few", "org_a", rating=(4.0, 2)),
        course_doc("crs_many", "org_a", rating=(4.0, 20)),
        course_doc("crs_top", "org_a", rating=(4.9, 1)),
        course_doc("crs_none", "org_a"),
    ], [])
    assert ids(search(store, sort="rating")) == ["crs_top", "crs_many", "crs_few", "crs_none"]


def test_unknown_sort_is_refused(catalogue: Any) -> None:
    with pytest.raises(ValueError):
        search(catalogue, sort="popularity")


# -- pages -----------------------------------------------------------------------------------

def _walk(store: Any, query: dict[str, Any], limit: int, between: Any = None) -> list[str]:
    """Every page of a search, keys passed through JSON like a cursor; ``between(n)`` runs
    before page ``n`` (n >= 1)."""
    first = store.courses.search(CourseQuery(limit=limit, **query))
    seen, keys, snapshot, page = ids(first), first.keys, first.snapshot, 1
    assert len(first.keys) == len(first.items)
    total = first.total
    while keys and len(seen) < total + 5:
        if between:
            between(page)
        after = tuple(json.loads(json.dumps(keys[-1])))
        results = store.courses.search(CourseQuery(limit=limit, after=after, snapshot=snapshot,
                                                   **query))
        assert results.total == total and results.snapshot == snapshot
        seen += ids(results)
        keys = results.keys
        page += 1
    return seen


def _many(store: Any, n: int = 23) -> None:
    courses = [course_doc(f"crs_{i:03d}", f"org_{i % 3}",
                          title={"en": f"Governance module {i % 7}"},
                          description={"en": "Public service delivery" if i % 2 else "Audit"},
                          keywords=["governance"] if i % 3 == 0 else [],
                          minutes=30 + 40 * (i % 5), rating=((i % 4) + 1.5, i % 6) if i % 5
                          else (None, 0), published_at=at(1 + i % 9)) for i in range(n)]
    store.courses.add_many(courses, [])


@pytest.mark.parametrize("sort", SORT_ORDERS)
@pytest.mark.parametrize("text", [None, "governance public"])
def test_pages_cover_every_match_once(store: Any, sort: str, text: str | None) -> None:
    _many(store)
    everything = ids(search(store, sort=sort, text=text, limit=100))
    assert len(everything) == search(store, text=text).total > 5
    assert _walk(store, {"sort": sort, "text": text}, limit=4) == everything


@pytest.mark.parametrize("sort", SORT_ORDERS)
@pytest.mark.parametrize("text", [None, "governance"])
def test_pages_are_stable_while_courses_are_published(store: Any, sort: str,
                                                      text: str | None) -> None:
    _many(store)
    everything = ids(search(store, sort=sort, text=text, limit=100))

    calls: list[int] = []

    def publish(page: int) -> None:
        calls.append(page)
        # New matching courses that would sort first, in the middle and last.
        store.courses.add_many([
            course_doc(f"crs_new{page}{k}", "org_0", title={"en": f"Governance {k} new"},
                       keywords=["governance"], minutes=m, rating=(r, 99),
                       published_at=at(28) if k == "a" else at(1))
            for k, m, r in (("a", 1, 5.0), ("m", 110, 3.0), ("z", 5000, 1.0))
        ], [])

    assert _walk(store, {"sort": sort, "text": text}, limit=5, between=publish) == everything
    assert len(calls) >= 4  # publications happened between the pages
    assert search(store, text=text).total == len(everything) + 3 * len(calls)


def test_snapshot_excludes_later_publications(catalogue: Any) -> None:
    first = search(catalogue)
    catalogue.courses.add(course_doc("crs_later", "org_a", published_at=at(20)))
    assert "crs_later" not in ids(search(catalogue, snapshot=first.snapshot))
    assert search(catalogue, snapshot=first.snapshot).total == 4
    assert facet(search(catalogue, snapshot=first.snapshot), "provider")["org_a"] == 2
    latest = search(catalogue)
    assert latest.snapshot > first.snapshot
    assert ids(latest)[0] == "crs_later"


def test_limit_and_empty_results(catalogue: Any) -> None:
    results = search(catalogue, limit=2)
    assert len(results.items) == 2 and results.total == 4
    nothing = search(catalogue, text="zzzz")
    assert nothing.total == 0 and nothing.items == [] and nothing.keys == []
    assert all(counts == [] for counts in nothing.facets.values())


def test_language_tags_are_matched_and_counted_case_insensitively(store: Any) -> None:
    store.courses.add_many([course_doc("crs_1", "org_a", languages=["EN", "hi-IN"]),
                            course_doc("crs_2", "org_a", languages=["en"])], [])
    results = search(store, languages=("hi-in",))
    assert ids(results) == ["crs_1"]
    assert facet(results, "language") == {"en": 2, "hi-in": 1}
    assert search(store, languages=("hi",)).total == 0  # the full tag, not a prefix


def test_a_keyset_of_the_wrong_shape_is_refused(catalogue: Any) -> None:
    with pytest.raises(ValueError):
        search(catalogue, sort="rating", after=("crs_admin",))
