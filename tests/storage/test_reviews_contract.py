"""Contract of ReviewRepository (and the course rating it keeps), run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.ports.catalogue import CourseQuery, ReviewRepository
from tests.storage.factories import course_doc, review_doc, timestamp


@pytest.fixture
def course(store: Any) -> str:
    """A published, unrated course."""
    store.courses.add(course_doc("crs_1", "org_p", title={"en": "Rated course"}))
    return "crs_1"


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.reviews, ReviewRepository)


def test_upsert_creates_then_updates_one_review_per_learner(store: Any, course: str) -> None:
    assert store.reviews.upsert(review_doc(course, "learner_a", 5)) == (True, 5.0, 1)
    created, average, count = store.reviews.upsert(review_doc(course, "learner_b", 4, "Good"))
    assert (created, average, count) == (True, 4.5, 2)
    created, average, count = store.reviews.upsert(review_doc(course, "learner_a", 2))
    assert (created, average, count) == (False, 3.0, 2)
    reviews = store.reviews.list_for_course(course)
    assert sorted((r["learner_id"], r["rating"]) for r in reviews) == [
        ("learner_a", 2), ("learner_b", 4)]


def test_upsert_updates_the_course_rating_without_a_new_row_version(store: Any,
                                                                    course: str) -> None:
    store.reviews.upsert(review_doc(course, "learner_a", 3))
    store.reviews.upsert(review_doc(course, "learner_b", 4))
    stored = store.courses.get(course)
    assert stored["rating"]["count"] == 2
    assert stored["rating"]["average"] == pytest.approx(3.5)
    assert stored["row_version"] == 1


def test_ratings_show_in_search(store: Any, course: str) -> None:
    store.courses.add(course_doc("crs_2", "org_p", title={"en": "Other course"}))
    store.reviews.upsert(review_doc("crs_2", "learner_a", 3))
    store.reviews.upsert(review_doc(course, "learner_a", 5))
    results = store.courses.search(CourseQuery(sort="rating"))
    assert [c["id"] for c in results.items] == ["crs_1", "crs_2"]
    assert results.items[0]["rating"] == {"average": 5.0, "count": 1}
    assert dict(results.facets["rating"]) == {"4+": 1, "3+": 2, "2+": 2, "1+": 2}
    assert [c["id"] for c in store.courses.search(CourseQuery(min_rating=4)).items] == ["crs_1"]


def test_list_is_newest_first_with_a_cursor(store: Any, course: str) -> None:
    for i in range(5):
        store.reviews.upsert(review_doc(course, f"learner_{i}", 1 + i % 5, f"text {i}"))
    store.reviews.upsert({**review_doc(course, "learner_0", 4), "updated_at": timestamp()})
    first = store.reviews.list_for_course(course, limit=2)
    assert [r["learner_id"] for r in first] == ["learner_0", "learner_4"]
    second = store.reviews.list_for_course(course, limit=2, after=first[-1]["cursor"])
    third = store.reviews.list_for_course(course, limit=2, after=second[-1]["cursor"])
    assert [r["learner_id"] for r in second + third] == ["learner_3", "learner_2", "learner_1"]
    assert store.reviews.list_for_course(course, after=third[-1]["cursor"]) == []
    assert store.reviews.list_for_course("crs_none") == []


def test_equal_times_are_ordered_by_learner(store: Any, course: str) -> None:
    same = timestamp()
    for learner in ("learner_c", "learner_a", "learner_b"):
        store.reviews.upsert({**review_doc(course, learner, 4), "updated_at": same})
    first = store.reviews.list_for_course(course, limit=2)
    rest = store.reviews.list_for_course(course, limit=2, after=first[-1]["cursor"])
    assert [r["learner_id"] for r in first + rest] == ["learner_a", "learner_b", "learner_c"]


def test_reviews_are_per_course(store: Any, course: str) -> None:
    store.courses.add(course_doc("crs_2", "org_p"))
    store.reviews.upsert(review_doc(course, "learner_a", 5))
    assert store.reviews.upsert(review_doc("crs_2", "learner_a", 1)) == (True, 1.0, 1)
    assert store.courses.get(course)["rating"] == {"average": 5.0, "count": 1}
    assert [r["course_id"] for r in store.reviews.list_for_course("crs_2")] == ["crs_2"]
