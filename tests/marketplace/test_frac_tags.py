"""Competency tags validated against the published FRAC framework (tests.frac_support): on every
write, import row and revision; kept and reported when a later version retires their node;
shown with names and codes on the public course, its JSON-LD and the search facets."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest

from hub.errors import ValidationError
from marketplace import frac_tags
from tests.frac_support import FRAMEWORK_ID, node_id, publish_test_framework
from tests.marketplace.conftest import Cast, course_body


def _tags(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"id": ident, "level": level} for ident, level in pairs]


def _post(cast: Cast, *pairs: tuple[str, int]) -> Any:
    return cast.client.post("/courses", json=course_body(competencies=_tags(*pairs)),
                            headers=cast.a["headers"])


def test_a_tag_by_code_or_id_is_stored_denormalised(cast: Cast, tag_framework: Any) -> None:
    res = _post(cast, ("COMSUBTHEME-5", 4), (node_id("COMSUBTHEME-2"), 3))
    assert res.status_code == 201, res.json
    assert res.json["revision"]["competencies"] == [
        {"id": node_id("COMSUBTHEME-5"), "level": 4, "framework": FRAMEWORK_ID, "version": 1,
         "code": "COMSUBTHEME-5", "area": "functional", "theme": node_id("COMTHEME-3")},
        {"id": node_id("COMSUBTHEME-2"), "level": 3, "framework": FRAMEWORK_ID, "version": 1,
         "code": "COMSUBTHEME-2", "area": "behavioural", "theme": node_id("COMTHEME-1")}]
    assert res.json["tag_report"] == []
    # The tags GET shows can be sent back with PUT as they are (stored fields are ignored).
    course = cast.client.get(f"/courses/{res.json['id']}", headers=cast.a["headers"])
    body = course_body(competencies=course.json["revision"]["competencies"])
    again = cast.client.put(f"/courses/{res.json['id']}", json=body,
                            headers={**cast.a["headers"], "If-Match": course.headers["ETag"]})
    assert again.status_code == 200, again.json
    assert again.json["revision"]["competencies"] == res.json["revision"]["competencies"]


@pytest.mark.parametrize(("pairs", "field", "words"), [
    ((("COMSUBTHEME-99", 1),), "competencies.0.id", "no competency"),
    ((("COMSUBTHEME-1", 1), ("nope", 1)), "competencies.1.id", "no competency"),
    ((("COMSUBTHEME-2", 4),), "competencies.0.level", "defines levels 1, 2, 3, not 4"),
    ((("COMTHEME-1", 1),), "competencies.0.id", "is a theme, not a competency"),
    ((("ROLE-1", 1),), "competencies.0.id", "is a role, not a competency"),
    ((("COMSUBTHEME-1", 1), (node_id("COMSUBTHEME-1"), 2)), "competencies.1.id",
     "already tagged"),
])
def test_a_bad_tag_is_400_naming_it_and_nothing_is_stored(
        cast: Cast, tag_framework: Any, pairs: tuple[tuple[str, int], ...], field: str,
        words: str) -> None:
    res = _post(cast, *pairs)
    assert res.status_code == 400
    assert list(res.json["errors"]) == [field] and words in res.json["errors"][field][0]
    assert field in res.json["detail"]
    assert tag_framework.courses.count() == 0


def test_several_bad_tags_are_each_named(cast: Cast, tag_framework: Any) -> None:
    res = _post(cast, ("COMSUBTHEME-4", 5), ("COMSUBTHEME-1", 5), ("X", 1))
    assert res.status_code == 400
    assert set(res.json["errors"]) == {"competencies.0.level", "competencies.2.id"}


def test_without_a_published_framework_tags_are_refused(cast: Cast) -> None:
    res = _post(cast, ("COMSUBTHEME-1", 1))
    assert res.status_code == 400
    assert "no FRAC framework is published" in res.json["errors"]["competencies"][0]
    assert cast.create()["revision"]["competencies"] == []  # no tags need no framework


def test_edits_and_revisions_are_validated(cast: Cast, tag_framework: Any) -> None:
    course = cast.publish(competencies=_tags(("COMSUBTHEME-1", 2)))
    res = cast.edit(course["id"], competencies=_tags(("COMSUBTHEME-6", 4)))
    assert res.status_code == 400 and "competencies.0.level" in res.json["errors"]
    res = cast.edit(course["id"], competencies=_tags(("COMSUBTHEME-6", 3)))
    assert res.status_code == 200 and res.json["state"] == "draft"  # a new revision
    assert res.json["revision"]["competencies"][0]["code"] == "COMSUBTHEME-6"
    assert res.json["live"]["competencies"][0]["code"] == "COMSUBTHEME-1"


def test_import_rows_are_validated(cast: Cast, tag_framework: Any) -> None:
    rows = [course_body(version="good", competencies=_tags(("COMSUBTHEME-3", 1))),
            course_body(version="bad", competencies=_tags(("COMSUBTHEME-3", 1),
                                                          ("COMSUBTHEME-4", 4)))]
    data = b"".join(orjson.dumps(r) + b"\n" for r in rows)
    res = cast.client.post("/courses/import", headers=cast.a["headers"],
                           data={"file": (io.BytesIO(data), "c.jsonl")},
                           content_type="multipart/form-data")
    assert (res.json["imported"], res.json["rejected"]) == (1, 1)
    assert [(e["line"], e["field"]) for e in res.json["errors"]] == [
        (2, "competencies.1.level")]
    stored = tag_framework.courses.get(res.json["ids"][0])
    assert stored["revision"]["competencies"][0]["code"] == "COMSUBTHEME-3"


def test_validate_tags_for_other_parts(tag_framework: Any) -> None:
    stored = frac_tags.validate_tags(tag_framework, _tags(("COMSUBTHEME-7", 5)), field="suggestion")
    assert stored[0]["id"] == node_id("COMSUBTHEME-7") and stored[0]["version"] == 1
    with pytest.raises(ValidationError) as caught:
        frac_tags.validate_tags(tag_framework, _tags(("COMSUBTHEME-8", 5)), field="suggestion")
    assert list(caught.value.errors or {}) == ["suggestion.0.level"]


def test_a_tag_retired_by_a_later_version_is_kept_and_reported(cast: Cast, tag_framework: Any,
                                                               client: Any) -> None:
    course = cast.publish(competencies=_tags(("COMSUBTHEME-3", 2), ("COMSUBTHEME-1", 1)))
    publish_test_framework(tag_framework, 2, without=["COMSUBTHEME-3"])
    shown = client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert shown["tag_report"] == [{"id": node_id("COMSUBTHEME-3"), "code": "COMSUBTHEME-3",
                                    "level": 2, "problem": "retired in version 2",
                                    "in": ["revision", "live"]}]
    # Still on the public course (named from version 1) and in search.
    public = client.get(f"/catalogue/courses/{course['id']}").json
    assert [(t["code"], t["name"]) for t in public["competencies"]] == [
        ("COMSUBTHEME-3", "Competency 3"), ("COMSUBTHEME-1", "Competency 1")]
    found = client.get("/catalogue/search", query_string={"competency": "COMSUBTHEME-1"}).json
    assert found["total"] == 1
    facet = {f["value"] for f in client.get("/catalogue/search").json["facets"]["competency"]}
    assert node_id("COMSUBTHEME-3") in facet
    # Editing another field keeps the retired tag; tagging it anew is refused.
    res = cast.edit(course["id"], version="2.0", competencies=_tags(
        ("COMSUBTHEME-3", 2), ("COMSUBTHEME-1", 1)))
    assert res.status_code == 200, res.json
    kept = res.json["revision"]["competencies"]
    assert [(t["code"], t["version"]) for t in kept] == [("COMSUBTHEME-3", 1),
                                                         ("COMSUBTHEME-1", 2)]
    res = _post(cast, ("COMSUBTHEME-3", 2))
    assert res.status_code == 400 and "retired in version 2" in \
        res.json["errors"]["competencies.0.id"][0]


def test_public_course_and_jsonld_show_names_codes_and_alignments(cast: Cast, tag_framework: Any,
                                                                  client: Any) -> None:
    cid = cast.publish(competencies=_tags(("COMSUBTHEME-5", 4)))["id"]
    public = client.get(f"/catalogue/courses/{cid}", query_string={"lang": "hi"}).json
    assert public["competencies"] == [{
        "id": node_id("COMSUBTHEME-5"), "code": "COMSUBTHEME-5", "name": "दक्षता 5",
        "level": 4, "level_name": "Expert", "level_description": "स्तर 4",
        "area": "functional", "area_name": "functional दक्षताएँ",
        "theme": node_id("COMTHEME-3"), "theme_code": "COMTHEME-3", "theme_name": "विषय 3",
        "framework": FRAMEWORK_ID, "version": 1}]
    english = client.get(f"/catalogue/courses/{cid}").json["competencies"][0]
    assert english["name"] == "Competency 5" and english["theme_name"] == "Theme 3"
    by_header = client.get(f"/catalogue/courses/{cid}", headers={"Accept-Language": "hi"})
    assert by_header.json["competencies"][0]["name"] == "दक्षता 5"
    doc = orjson.loads(client.get(f"/catalogue/courses/{cid}.jsonld").data)
    assert doc["educationalAlignment"] == [{
        "@type": "AlignmentObject", "alignmentType": "teaches",
        "educationalFramework": "Test competency framework", "targetName": "Competency 5",
        "targetUrl": f"http://hub.test/ims/case/v1p1/CFItems/{node_id('COMSUBTHEME-5')}",
        "targetDescription": "Level 4 (Expert) — Competency 5 at level 4"}]
    assert doc["teaches"][0]["termCode"] == "COMSUBTHEME-5"
    hindi = orjson.loads(client.get(f"/catalogue/courses/{cid}.jsonld?lang=hi").data)
    assert hindi["educationalAlignment"][0]["educationalFramework"] == "परीक्षण दक्षता ढांचा"


def test_search_filters_and_facets_with_names_in_the_request_language(
        cast: Cast, tag_framework: Any, client: Any) -> None:
    one = cast.publish(competencies=_tags(("COMSUBTHEME-1", 1), ("COMSUBTHEME-5", 3)))["id"]
    two = cast.publish(competencies=_tags(("COMSUBTHEME-3", 3)))["id"]
    cast.publish()

    def search(**params: Any) -> Any:
        res = client.get("/catalogue/search", query_string=params)
        assert res.status_code == 200, res.json
        return res.json

    body = search(lang="hi")
    areas = {f["value"]: f for f in body["facets"]["competency_area"]}
    assert areas["behavioural"] == {"value": "behavioural", "count": 2,
                                    "label": "behavioural दक्षताएँ", "code": "COMAREA-1"}
    assert areas["functional"]["count"] == 1
    themes = {f["code"]: (f["label"], f["count"]) for f in body["facets"]["competency_theme"]}
    assert themes == {"COMTHEME-1": ("विषय 1", 1), "COMTHEME-2": ("विषय 2", 1),
                      "COMTHEME-3": ("विषय 3", 1)}
    levels = {f["value"]: (f["label"], f["count"]) for f in body["facets"]["competency_level"]}
    assert levels == {"1": ("Basic", 1), "3": ("Advanced", 2)}
    competencies = {f["code"]: f["label"] for f in body["facets"]["competency"]}
    assert competencies["COMSUBTHEME-5"] == "दक्षता 5"
    item = next(i for i in body["items"] if i["id"] == one)
    assert {t["name"] for t in item["competencies"]} == {"दक्षता 1", "दक्षता 5"}

    def ids(**params: Any) -> set[str]:
        return {i["id"] for i in search(**params)["items"]}

    assert ids(competency_area="behavioural") == {one, two}
    assert ids(competency_theme="COMTHEME-2") == {two}
    assert ids(competency_theme=node_id("COMTHEME-3")) == {one}
    assert ids(competency_level=3) == {one, two}
    assert ids(competency_level=1, competency_area="behavioural") == {one}
    narrowed = search(competency_level=1)
    assert {f["value"] for f in narrowed["facets"]["competency_level"]} == {"1", "3"}
    assert client.get("/catalogue/search?competency_level=6").status_code == 400
    assert client.get("/catalogue/search?competency_area=cosmic").status_code == 400
    # The language is not part of the query: a cursor carries over to another language.
    first = search(limit=1, lang="en")
    assert search(limit=1, lang="hi", cursor=first["next"])["items"]


def test_migrate_tags_resolves_codes_keeps_and_reports_unknown_ones(
        cast: Cast, tag_framework: Any, runner: Any, client: Any) -> None:
    course = cast.publish()
    legacy = _tags(("COMSUBTHEME-5", 4), ("COMP-001", 2), (node_id("COMSUBTHEME-2"), 5))
    stored = tag_framework.courses.get(course["id"])
    for part in ("revision", "live"):
        stored[part]["competencies"] = legacy
    tag_framework.courses.replace(stored, stored["row_version"])
    untouched = cast.publish()

    result = runner.invoke(args=["frac", "migrate-tags"])
    assert result.exit_code == 1, result.output  # unknown tags remain
    report = orjson.loads(result.stdout)
    assert (report["courses_seen"], report["migrated"], report["tags_resolved"],
            report["tags_unknown"]) == (2, 1, 2, 2)
    line = report["courses"][0]
    assert (line["course_id"], line["resolved"], line["unknown"]) == (course["id"], 2, 2)
    assert {t["id"]: t["problem"] for t in line["unknown_tags"]} == {
        "COMP-001": "unknown", node_id("COMSUBTHEME-2"): "level 5 not defined by COMSUBTHEME-2"}
    migrated = tag_framework.courses.get(course["id"])
    tags = migrated["live"]["competencies"]
    assert tags[0]["code"] == "COMSUBTHEME-5" and tags[0]["framework"] == FRAMEWORK_ID
    assert tags[1:] == legacy[1:]  # kept, not dropped
    trail = tag_framework.courses.audit_trail(course["id"])
    assert trail[-1]["action"] == "migrate_competency_tags"
    assert tag_framework.courses.get(untouched["id"])["row_version"] == untouched["row_version"]
    shown = client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert {t["id"]: t["problem"] for t in shown["tag_report"]} == {
        "COMP-001": "unknown", node_id("COMSUBTHEME-2"): "unknown"}
    assert client.get("/catalogue/search",
                      query_string={"competency_area": "functional"}).json["total"] == 1
    # Idempotent: a second run resolves nothing and writes nothing.
    version = migrated["row_version"]
    again = orjson.loads(runner.invoke(args=["frac", "migrate-tags"]).stdout)
    assert (again["migrated"], again["tags_resolved"], again["unchanged"]) == (0, 0, 1)
    assert tag_framework.courses.get(course["id"])["row_version"] == version


def test_migrate_tags_needs_a_published_framework(runner: Any) -> None:
    result = runner.invoke(args=["frac", "migrate-tags"])
    assert result.exit_code == 2 and "no FRAC framework" in result.stderr
