"""Gaps, level fit and ranking of recommendations (pure parts of issue 13 "Recommendations")
over a hand-built catalogue index."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from marketplace.learner_roles import Requirement
from marketplace.recommend_index import Candidate, CatalogueIndex, candidate
from marketplace.recommend_rank import Gap, fit, gaps, rank


def item(item_id: str, levels: dict[str, int], *, languages: tuple[str, ...] = ("en",),
         rating: float | None = 4.0, minutes: int | None = 60, mode: str = "self-paced",
         category: str = "course") -> Candidate:
    """A candidate as the index builds it from a course document."""
    found = candidate({"id": item_id, "rating": {"average": rating, "count": 3}, "live": {
        "category": category, "title": {"en": item_id}, "mode": mode,
        "languages": list(languages), "duration_minutes": minutes,
        "competencies": [{"id": comp, "level": level} for comp, level in levels.items()]}})
    assert found is not None
    return found


def index(*items: Candidate) -> CatalogueIndex:
    grouped: dict[str, list[Candidate]] = {}
    for found in items:
        for comp in found.levels:
            grouped.setdefault(comp, []).append(found)
    by_comp = {c: tuple(sorted(v, key=lambda i, c=c: (i.levels[c], i.item_id)))
               for c, v in grouped.items()}
    return CatalogueIndex(1, MappingProxyType({i.item_id: i for i in items}),
                          MappingProxyType(by_comp), MappingProxyType(
                              {c: tuple(i.levels[c] for i in v) for c, v in by_comp.items()}))


def test_gap_is_required_minus_held_largest_first() -> None:
    required = {"a": Requirement(3, ("r1",)), "b": Requirement(2, ("r1",)),
                "c": Requirement(4, ("r2",)), "d": Requirement(1, ("r2",))}
    found = gaps(required, {"a": 1, "b": 2, "d": 5})
    assert found == [Gap("c", 4, 0, ("r2",)), Gap("a", 3, 1, ("r1",))]


@pytest.mark.parametrize(("level", "expected"), [
    (1, 0.0),  # at the held level: nothing new
    (0, 0.0),
    (2, 0.3),  # narrows half of the gap 1 -> 3
    (3, 1.0),  # the smallest level that closes it: best
    (4, 0.85),
    (5, 0.7),
])
def test_level_fit(level: int, expected: float) -> None:
    assert fit(level, Gap("a", 3, 1, ())) == pytest.approx(expected)


def test_smallest_sufficient_level_ranks_first_and_useless_levels_are_left_out() -> None:
    gap = [Gap("a", 3, 1, ())]
    found = rank(index(item("too-low", {"a": 1}), item("narrow", {"a": 2}),
                       item("exact", {"a": 3}), item("over", {"a": 5})), gap, ["en"], 10)
    assert [r.item.item_id for r in found] == ["exact", "over", "narrow"]
    assert [h.closes for h in found[2].helps] == [False]
    assert found[0].parts["gap"] == 10.0


def test_an_item_closing_two_gaps_beats_one_closing_one() -> None:
    gap = [Gap("a", 2, 0, ()), Gap("b", 2, 0, ())]
    found = rank(index(item("one", {"a": 2}, rating=5.0), item("two", {"a": 2, "b": 2},
                                                                   rating=1.0)),
                 gap, [], 10)
    assert [r.item.item_id for r in found] == ["two", "one"]
    assert {h.gap.competency for h in found[0].helps} == {"a", "b"}


def test_language_rating_duration_and_mode_order_equal_fits() -> None:
    gap = [Gap("a", 2, 0, ())]
    items = index(item("english", {"a": 2}, languages=("en",)),
                  item("hindi", {"a": 2}, languages=("hi-IN",)),
                  item("hindi-long", {"a": 2}, languages=("hi",), minutes=900),
                  item("hindi-classroom", {"a": 2}, languages=("hi",), mode="classroom"),
                  item("hindi-unrated", {"a": 2}, languages=("hi",), rating=None))
    found = rank(items, gap, ["hi"], 10)
    assert [r.item.item_id for r in found] == [
        "hindi", "hindi-unrated", "hindi-classroom", "hindi-long", "english"]
    assert found[0].parts["language"] == 3.0 and found[-1].parts["language"] == 0.0
    # the learner's languages decide: an English reader gets the English item first
    assert rank(items, gap, ["en-GB"], 1)[0].item.item_id == "english"


def test_limit_exclusion_and_ties_by_id() -> None:
    gap = [Gap("a", 2, 0, ())]
    items = index(*(item(f"i{n}", {"a": 2}) for n in range(5)))
    assert [r.item.item_id for r in rank(items, gap, [], 3)] == ["i0", "i1", "i2"]
    assert [r.item.item_id for r in rank(items, gap, [], 3, exclude=["i0"])] == [
        "i1", "i2", "i3"]
    assert rank(items, gap, [], 0) == []
    assert rank(items, [], [], 5) == []


def course(live: Any, **extra: Any) -> dict[str, Any]:
    return {"id": "crs_1", "live": live, "rating": {"average": 4.2, "count": 7}, **extra}


def test_candidate_reads_live_tags_and_leaves_out_what_is_not_recommended() -> None:
    live = {"category": "course", "title": {"en": "T"}, "mode": "self-paced",
            "languages": ["en", "hi-IN"], "duration_minutes": 30,
            "competencies": [{"id": "a", "level": 2}, {"id": "a", "level": 4},
                             {"id": "b", "level": "x"}, "junk"]}
    found = candidate(course(live))
    assert found is not None and dict(found.levels) == {"a": 4}
    assert found.shares == (4.2 / 5, 240 / 270, 1.0)
    assert found.primary_languages == {"en", "hi"} and found.rating == 4.2
    assert candidate(course(None)) is None
    assert candidate(course({**live, "category": "assessment"})) is None
    assert candidate(course({**live, "competencies": []})) is None
    assert candidate(course({**live, "category": "program"})) is not None


@pytest.mark.parametrize(("average", "shown"), [(11 / 3, "rated 3.7 of 5 by 3"),
                                                (4.0, "rated 4 of 5 by 3")])
def test_why_names_the_rating_to_one_decimal(average: float, shown: str) -> None:
    from marketplace.recommend import _why

    why = _why(None, item("c1", {"x": 2}, rating=average), (), {}, None, [], "en")
    assert shown in why["text"]
