"""Contract of ``CourseRepository.catalogue_generation`` over every adapter: the cheap change
signal that in-process views of the live catalogue (recommendations) poll on each request."""

from __future__ import annotations

from typing import Any

from tests.storage.factories import course_doc


def test_it_moves_on_every_change_of_the_live_catalogue(store: Any) -> None:
    courses = store.courses
    start = courses.catalogue_generation()
    assert isinstance(start, int)
    courses.add(course_doc("crs_d", "org_p", state="draft"))
    assert courses.catalogue_generation() == start  # a draft is not served

    courses.add(course_doc("crs_1", "org_p"))
    published = courses.catalogue_generation()
    assert published > start

    courses.add_many([course_doc("crs_2", "org_p"), course_doc("crs_3", "org_p")], [])
    bulk = courses.catalogue_generation()
    assert bulk > published

    courses.set_rating("crs_1", 4.5, 2)
    rated = courses.catalogue_generation()
    assert rated > bulk

    current = courses.get("crs_2")
    courses.replace({**current, "state": "retired", "live": None}, current["row_version"])
    retired = courses.catalogue_generation()
    assert retired > rated

    current = courses.get("crs_3")
    new_live = {**current["live"], "title": {"en": "A new live version"}}
    courses.replace({**current, "live": new_live}, current["row_version"])
    assert courses.catalogue_generation() > retired


def test_a_write_that_leaves_the_live_catalogue_alone_does_not_move_it(store: Any) -> None:
    courses = store.courses
    courses.add(course_doc("crs_1", "org_p"))
    before = courses.catalogue_generation()
    current = courses.get("crs_1")
    # A new working revision of a published course: search keeps serving the live one.
    courses.replace({**current, "state": "in_review",
                     "revision": {**current["live"], "title": {"en": "Draft title"}}},
                    current["row_version"])
    assert courses.catalogue_generation() == before
    assert courses.get("crs_1") is not None
