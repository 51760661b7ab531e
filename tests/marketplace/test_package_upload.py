"""Uploading cmi5 and xAPI packages: the stored course structure, the catalogue's rules (who,
If-Match, which states), the package shown to reviewers, and ``hub package upload``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marketplace.packages import find_au, structure_of
from tests.marketplace.package_support import (
    AU_EXTERNAL,
    AU_INTRO,
    AU_QUIZ,
    BLOCK,
    CMI5_FILES,
    COURSE_IRI,
    cmi5_zip,
    xapi_zip,
)

ZIP = {"Content-Type": "application/zip"}


def upload(cast: Any, course_id: str, data: bytes, who: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> Any:
    """PUT the zip with the ETag ``who`` reads now."""
    who = who or cast.a
    return cast.client.put(f"/courses/{course_id}/package", data=data,
                           headers={**who["headers"], **cast.etag(course_id, who), **ZIP,
                                    **(headers or {})})


def test_cmi5_package_becomes_the_revisions_delivery_with_its_structure(cast: Any) -> None:
    course = cast.create()
    res = upload(cast, course["id"], cmi5_zip())
    assert res.status_code == 200, res.json
    revision = res.json["revision"]
    package = revision["package"]
    assert revision["delivery"] == {"type": "cmi5", "package": package["key"]}
    assert package["key"] == (f"packages/{course['provider_id']}/{course['id']}/"
                              f"{package['sha256']}")
    assert package["type"] == "cmi5"
    assert package["files"] == len(CMI5_FILES)  # cmi5.xml in, __MACOSX out
    assert package["uploaded_by"] == cast.a["key"]
    structure = package["structure"]
    assert structure["id"] == COURSE_IRI
    assert structure["title"] == {"en": "Public Financial Management",
                                  "hi": "सार्वजनिक वित्तीय प्रबंधन"}
    assert structure["children"] == [AU_INTRO, BLOCK, AU_EXTERNAL]
    assert structure["blocks"] == [{
        "id": BLOCK, "title": {"en": "Budgets"},
        "description": {"en": "Making and reading a budget."}, "children": [AU_QUIZ]}]
    assert [au["id"] for au in structure["aus"]] == [AU_INTRO, AU_QUIZ, AU_EXTERNAL]
    assert find_au(structure, AU_QUIZ) == {
        "id": AU_QUIZ, "title": {"en": "Budget quiz"}, "description": {"en": "Ten questions."},
        "url": "budget/quiz.html", "external": False, "launch_method": "OwnWindow",
        "move_on": "Passed", "mastery_score": 0.8,
        "activity_type": "http://adlnet.gov/expapi/activities/assessment",
        "launch_parameters": '{"level": 2}', "entitlement_key": "pfm-quiz"}
    intro, external = find_au(structure, AU_INTRO), find_au(structure, AU_EXTERNAL)
    assert intro is not None and external is not None
    assert (intro["url"], intro["move_on"], intro["mastery_score"]) == (
        "intro/index.html?lang=en", "Completed", None)
    # cmi5 §13.1.4 defaults where the AU says nothing.
    assert (external["external"], external["move_on"], external["launch_method"]) == (
        True, "NotApplicable", "AnyWindow")
    assert find_au(structure, "https://provider.example/aus/none") is None


def test_the_stored_course_holds_the_structure_for_the_player(cast: Any, app: Any) -> None:
    course = cast.create()
    assert upload(cast, course["id"], cmi5_zip()).status_code == 200
    stored = app.extensions["hub.store"].courses.get(course["id"])
    assert structure_of(stored) == structure_of(stored["revision"])
    assert structure_of(stored)["id"] == COURSE_IRI  # type: ignore[index]
    assert structure_of(stored["live"]) is None  # not published yet


def test_xapi_package_lists_its_launchable_activities(cast: Any) -> None:
    course = cast.create()
    res = upload(cast, course["id"], xapi_zip())
    assert res.status_code == 200, res.json
    package = res.json["revision"]["package"]
    assert res.json["revision"]["delivery"]["type"] == "xapi"
    assert package["structure"]["blocks"] == []
    assert package["structure"]["aus"] == [{
        "id": "https://provider.example/xapi/ethics",
        "title": {"en-US": "Ethics in Governance"},
        "description": {"en-US": "Cases and choices."}, "url": "index.html",
        "external": False, "launch_method": "AnyWindow", "move_on": "Completed",
        "mastery_score": None, "activity_type": "http://adlnet.gov/expapi/activities/course",
        "launch_parameters": None, "entitlement_key": None}]


def test_reviewers_see_the_package_and_its_files(cast: Any) -> None:
    course = cast.create()
    upload(cast, course["id"], cmi5_zip())
    shown = cast.client.get(f"/courses/{course['id']}", headers=cast.reviewer["headers"]).json
    assert shown["revision"]["package"]["structure"]["id"] == COURSE_IRI
    res = cast.client.get(f"/courses/{course['id']}/package", headers=cast.reviewer["headers"])
    assert res.status_code == 200
    files = {f["path"]: f for f in res.json["file_list"]}
    assert set(files) == {"cmi5.xml", *CMI5_FILES} - {"__MACOSX/._index.html"}
    assert files["intro/app.js"]["content_type"] == "text/javascript"
    assert files["media/clip.mp4"]["size"] == len(CMI5_FILES["media/clip.mp4"])
    assert res.json["structure"]["children"][1] == BLOCK
    other = cast.client.get(f"/courses/{course['id']}/package", headers=cast.b["headers"])
    assert other.status_code == 404
    none = cast.create()
    assert cast.client.get(f"/courses/{none['id']}/package",
                           headers=cast.a["headers"]).status_code == 404


def test_upload_follows_the_catalogues_rules(cast: Any) -> None:
    course = cast.create()
    url = f"/courses/{course['id']}/package"
    no_etag = cast.client.put(url, data=cmi5_zip(), headers={**cast.a["headers"], **ZIP})
    assert no_etag.status_code == 428
    stale = cast.client.put(url, data=cmi5_zip(),
                            headers={**cast.a["headers"], **ZIP, "If-Match": '"99"'})
    assert stale.status_code == 412
    not_zip = upload(cast, course["id"], cmi5_zip(), headers={"Content-Type": "text/plain"})
    assert not_zip.status_code == 415
    assert upload(cast, course["id"], cmi5_zip(), who=cast.b).status_code == 404
    assert upload(cast, course["id"], cmi5_zip(), who=cast.reviewer).status_code == 403
    anonymous = cast.client.put(url, data=cmi5_zip(), headers=ZIP)
    assert anonymous.status_code == 401
    cast.act(course["id"], "submit", cast.a)
    assert upload(cast, course["id"], cmi5_zip()).status_code == 409  # under review


def test_a_published_course_gets_a_new_draft_and_live_keeps_its_package(cast: Any) -> None:
    course = cast.create()
    first = upload(cast, course["id"], cmi5_zip()).json["revision"]["package"]
    cast.act(course["id"], "submit", cast.a)
    cast.act(course["id"], "start_review", cast.reviewer)
    published = cast.act(course["id"], "publish", cast.reviewer)
    assert published["live"]["package"]["sha256"] == first["sha256"]
    res = upload(cast, course["id"], xapi_zip())
    assert res.status_code == 200
    assert res.json["state"] == "draft"
    assert res.json["revision_number"] == published["revision_number"] + 1
    assert res.json["revision"]["package"]["type"] == "xapi"
    assert res.json["live"]["package"]["sha256"] == first["sha256"]


def test_editing_keeps_the_package_while_the_delivery_names_it(cast: Any) -> None:
    course = cast.create()
    revision = upload(cast, course["id"], cmi5_zip()).json["revision"]
    # A revision read with GET is sent back with PUT: the package (dump only) is ignored.
    body = {k: v for k, v in revision.items() if k != "duration_minutes"}
    body["title"] = {"en": "PFM, second edition"}
    kept = cast.client.put(f"/courses/{course['id']}", json=body,
                           headers={**cast.a["headers"], **cast.etag(course["id"], cast.a)})
    assert kept.status_code == 200, kept.json
    assert kept.json["revision"]["package"]["sha256"] == revision["package"]["sha256"]
    moved = cast.edit(course["id"], delivery={"type": "external",
                                              "url": "https://tool.example.org/pfm"})
    assert moved.status_code == 200
    assert "package" not in moved.json["revision"]


def test_hub_package_upload_uses_the_same_service(cast: Any, runner: Any, tmp_path: Path
                                                  ) -> None:
    course = cast.create()
    path = tmp_path / "pfm.zip"
    path.write_bytes(cmi5_zip())
    result = runner.invoke(args=["package", "upload", course["id"], str(path)])
    assert result.exit_code == 0, result.output
    shown = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert shown["revision"]["package"]["structure"]["id"] == COURSE_IRI
    assert shown["revision"]["package"]["uploaded_by"] == "cli:Provider A"
    assert '"sha256"' in result.stdout
    assert "100%" in result.stderr  # the progress bar ran to its end
    audit = cast.client.get(f"/courses/{course['id']}/audit", headers=cast.a["headers"]).json
    assert audit["items"][-1]["actor"] == "cli:Provider A"


def test_hub_package_upload_refuses_a_bad_package_and_an_unknown_course(
        cast: Any, runner: Any, tmp_path: Path) -> None:
    course = cast.create()
    path = tmp_path / "bad.zip"
    path.write_bytes(b"not a zip at all")
    result = runner.invoke(args=["package", "upload", course["id"], str(path)])
    assert result.exit_code == 2
    assert "not a zip file" in result.stderr
    missing = runner.invoke(args=["package", "upload", "crs_nope", str(path)])
    assert missing.exit_code == 1
    assert "no course" in missing.stderr


def test_language_keys_stay_bcp47_tags(cast: Any) -> None:
    from tests.marketplace.package_support import TINCAN_XML, build_zip

    odd = TINCAN_XML.replace('<name lang="en-US">Ethics', '<name lang="en.$US">Ethics')
    data = build_zip({"tincan.xml": odd, "index.html": b"<p>Ethics"})
    res = upload(cast, cast.create()["id"], data)
    assert res.status_code == 200, res.json
    assert res.json["revision"]["package"]["structure"]["title"] == {"und": "Ethics in Governance"}
