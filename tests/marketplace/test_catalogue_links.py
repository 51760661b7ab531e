"""One IRI per catalogue item, whichever layer names it: the public page search gives as its
``url`` is the activity IRI that launches, attendance, plans and demands use."""

from __future__ import annotations

from catalogue_schemas.links import catalogue_item_url, is_program_id
from lti.links import course_activity_id
from marketplace.plan_progress import item_activity_id

HUB = "https://hub.example.gov.in"


def test_courses_and_programs_have_their_own_pages() -> None:
    assert catalogue_item_url(HUB, "crs_1") == f"{HUB}/catalogue/courses/crs_1"
    assert catalogue_item_url(HUB, "prg_1") == f"{HUB}/catalogue/programs/prg_1"
    assert is_program_id("prg_9") and not is_program_id("crs_prg_9")


def test_every_layer_names_an_item_alike() -> None:
    for item in ("crs_1", "prg_2"):
        assert course_activity_id(HUB, item) == item_activity_id(HUB, item) == (
            catalogue_item_url(HUB, item))


def test_an_id_cannot_escape_its_page() -> None:
    assert catalogue_item_url(HUB, "../x?y#z") == f"{HUB}/catalogue/courses/..%2Fx%3Fy%23z"


def test_an_activity_iri_names_its_catalogue_item_back() -> None:
    from catalogue_schemas.links import catalogue_item_id

    for item in ("crs_1", "prg_2", "../x?y#z", "crs_ü"):
        assert catalogue_item_id(HUB, catalogue_item_url(HUB, item)) == item
    for iri in (f"{HUB}/catalogue/programs/crs_1",  # a course under the programs page
                f"{HUB}/catalogue/courses/prg_1",
                f"{HUB}/catalogue/courses/", f"{HUB}/catalogue/courses/crs_1/part",
                "https://elsewhere.example/catalogue/courses/crs_1", f"{HUB}/activities/1",
                f"{HUB}/catalogue/courses/crs%2f1"):  # not how the hub spells it
        assert catalogue_item_id(HUB, iri) is None, iri
