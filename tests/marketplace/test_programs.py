"""Curated programs over HTTP on both store adapters: who writes them, what their content must
be, the courses' vetting workflow and audit trail, search, the public page with the items' live
versions, and items retired while a program uses them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.marketplace.conftest import Cast, course_body


def program_body(*items: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A valid ``POST /programs`` body listing ``items``."""
    body: dict[str, Any] = {
        "title": {"en": "District Finance Induction", "hi": "ज़िला वित्त प्रवेश कार्यक्रम"},
        "description": {"en": "The finance courses a new district officer takes first."},
        "keywords": ["induction", "finance"],
        "level": "beginner",
        "competencies": [],
        "program": {"items": list(items), "blended": False},
    }
    body.update(copy.deepcopy(overrides))
    return body


def course_item(course_id: str, required: bool = True) -> dict[str, Any]:
    return {"kind": "course", "course": course_id, "required": required}


RESOURCE = {"kind": "resource", "url": "https://finance.example.gov.in/manual",
            "title": {"en": "Treasury manual"}, "duration": "PT30M", "required": False}


class Curation:
    """The marketplace cast plus two departments' curators."""

    def __init__(self, cast: Cast, tenants: Any) -> None:
        self.cast = cast
        self.client = cast.client
        self.curator = tenants.make("Ministry of Finance", "department", ("curator",))
        self.other = tenants.make("Ministry of Health", "department", ("curator",))
        self.academy = tenants.make("Civil Services Academy", "institution", ("curator",))

    def create(self, body: dict[str, Any], who: dict[str, Any] | None = None,
               status: int = 201) -> Any:
        res = self.client.post("/programs", json=body, headers=(who or self.curator)["headers"])
        assert res.status_code == status, res.json
        return res.json

    def etag(self, program_id: str, who: dict[str, Any]) -> dict[str, str]:
        res = self.client.get(f"/programs/{program_id}", headers=who["headers"])
        return {"If-Match": res.headers["ETag"]} if res.status_code == 200 else {}

    def act(self, program_id: str, action: str, who: dict[str, Any] | None = None,
            status: int = 200) -> Any:
        who = who or self.curator
        res = self.client.post(f"/programs/{program_id}/transitions", json={"action": action},
                               headers={**who["headers"], **self.etag(program_id, who)})
        assert res.status_code == status, res.json
        return res.json

    def publish(self, body: dict[str, Any]) -> Any:
        program = self.create(body)
        self.act(program["id"], "submit")
        self.act(program["id"], "start_review", self.cast.reviewer)
        return self.act(program["id"], "publish", self.cast.reviewer)


@pytest.fixture
def curation(cast: Cast, tenants: Any) -> Curation:
    return Curation(cast, tenants)


def test_a_curator_writes_a_program_whose_duration_comes_from_its_items(
        curation: Curation) -> None:
    first = curation.cast.publish(duration="PT2H30M")
    second = curation.cast.publish(duration="PT1H")
    program = curation.create(program_body(course_item(first["id"]),
                                           course_item(second["id"], required=False), RESOURCE))
    revision = program["revision"]
    assert program["id"].startswith("prg_") and program["state"] == "draft"
    assert (revision["category"], revision["mode"]) == ("program", "self-paced")
    assert (revision["duration"], revision["duration_minutes"]) == ("PT4H", 240)
    assert revision["languages"] == ["en", "hi"]
    assert [i.get("course") for i in revision["program"]["items"]] == [
        first["id"], second["id"], None]
    assert program["allowed_actions"] == ["edit", "submit"]
    assert program["item_report"] == []
    blended = curation.create(program_body(course_item(first["id"]),
                                           program={"items": [course_item(first["id"])],
                                                    "blended": True}), curation.academy)
    assert blended["revision"]["mode"] == "instructor-led"


def test_only_curators_of_institutions_and_departments_write_programs(
        curation: Curation, tenants: Any) -> None:
    course = curation.cast.publish()
    body = program_body(course_item(course["id"]))
    for who in (curation.cast.a, curation.cast.reviewer,
                tenants.make("State LMS", "lms", ("curator",)),
                tenants.make("Ministry of Finance", "department", ("lrs-writer",))):
        assert curation.create(body, who, 403)["status"] == 403
    assert curation.client.post("/programs", json=body).status_code == 401


@pytest.mark.parametrize(("item", "field"), [
    ({"kind": "course"}, "program.items.0.course"),
    ({"kind": "course", "course": "x", "url": "https://a.example.org"}, "program.items.0.course"),
    ({"kind": "resource", "url": "http://plain.example.org/x", "title": {"en": "x"}},
     "program.items.0.url"),
    ({"kind": "resource", "url": "https://a.example.org/x"}, "program.items.0.title"),
    ({"kind": "lecture", "url": "https://a.example.org/x", "title": {"en": "x"}},
     "program.items.0.kind"),
    ([RESOURCE, RESOURCE], "program.items.1.url"),
])
def test_malformed_items_are_400_naming_the_field(curation: Curation, item: Any,
                                                  field: str) -> None:
    items = item if isinstance(item, list) else [item]
    res = curation.create(program_body(*items), status=400)
    assert field in res["errors"], res


def test_items_must_be_published_catalogue_items(curation: Curation) -> None:
    draft = curation.cast.create()
    published = curation.cast.publish()
    res = curation.create(program_body(course_item(published["id"]), course_item(draft["id"]),
                                       course_item("crs_nothing")), status=400)
    assert set(res["errors"]) == {"program.items.1.course", "program.items.2.course"}
    # A draft of another organisation reads exactly as an id that does not exist.
    assert res["errors"]["program.items.1.course"][0].replace(draft["id"], "X") == \
        res["errors"]["program.items.2.course"][0].replace("crs_nothing", "X")
    assert curation.client.get("/programs", headers=curation.curator["headers"]).json[
        "items"] == []  # nothing was written


def test_target_competencies_are_validated_against_the_framework(
        curation: Curation, tag_framework: Any) -> None:
    course = curation.cast.publish()
    res = curation.create(program_body(course_item(course["id"]),
                                       competencies=[{"id": "COMSUBTHEME-2", "level": 4}]),
                          status=400)
    assert list(res["errors"]) == ["competencies.0.level"]
    ok = curation.create(program_body(course_item(course["id"]),
                                      competencies=[{"id": "COMSUBTHEME-2", "level": 3}]))
    assert ok["revision"]["competencies"][0]["code"] == "COMSUBTHEME-2"


def test_the_course_workflow_audit_and_search_serve_programs(curation: Curation) -> None:
    course = curation.cast.publish()
    program = curation.create(program_body(course_item(course["id"])))
    pid = program["id"]
    # Reviewers see it in the review queue; another department or the provider cannot see it.
    curation.act(pid, "submit")
    queue = curation.client.get("/review-queue", headers=curation.cast.reviewer["headers"])
    assert pid in [c["id"] for c in queue.json["items"]]
    for stranger in (curation.other, curation.cast.a):
        assert curation.client.get(f"/programs/{pid}",
                                   headers=stranger["headers"]).status_code == 404
    curation.act(pid, "start_review", curation.cast.reviewer)
    curation.act(pid, "publish", curation.curator, status=403)  # reviewers publish
    res = curation.client.post(f"/programs/{pid}/transitions",
                               json={"action": "request_changes", "comment": "add a resource"},
                               headers={**curation.cast.reviewer["headers"],
                                        **curation.etag(pid, curation.cast.reviewer)})
    assert res.status_code == 200 and res.json["state"] == "changes_requested"
    edit = curation.client.put(f"/programs/{pid}",
                               json=program_body(course_item(course["id"]), RESOURCE),
                               headers={**curation.curator["headers"],
                                        **curation.etag(pid, curation.curator)})
    assert edit.status_code == 200, edit.json
    curation.act(pid, "submit")
    curation.act(pid, "start_review", curation.cast.reviewer)
    published = curation.act(pid, "publish", curation.cast.reviewer)
    assert published["live"]["duration"] == "PT3H"  # 2h30 course + 30 min resource
    audit = curation.client.get(f"/programs/{pid}/audit", headers=curation.curator["headers"])
    assert [e["action"] for e in audit.json["items"]] == [
        "create", "submit", "start_review", "request_changes", "edit", "submit",
        "start_review", "publish"]
    found = curation.client.get("/catalogue/search?category=program").json
    assert [i["id"] for i in found["items"]] == [pid]
    assert found["items"][0]["url"] == f"http://hub.test/catalogue/programs/{pid}"
    assert {"value": "program", "count": 1} in found["facets"]["category"]
    # A course's PUT does not overwrite a program with course content.
    res = curation.client.put(f"/courses/{pid}", json=course_body(),
                              headers={**curation.curator["headers"], "If-Match": "*"})
    assert res.status_code == 409 and f"PUT /programs/{pid}" in res.json["detail"]


def test_the_public_page_lists_items_with_their_live_versions(curation: Curation) -> None:
    course = curation.cast.publish(title={"en": "Budgets v1"})
    program = curation.publish(program_body(course_item(course["id"]), RESOURCE))
    pid = program["id"]
    # The provider publishes a new revision of the course: the page shows it at once.
    res = curation.cast.edit(course["id"], title={"en": "Budgets v2"})
    assert res.status_code == 200, res.json
    curation.cast.act(course["id"], "submit", curation.cast.a)
    curation.cast.act(course["id"], "start_review", curation.cast.reviewer)
    curation.cast.act(course["id"], "publish", curation.cast.reviewer)
    page = curation.client.get(f"/catalogue/programs/{pid}")
    assert page.status_code == 200, page.json
    assert page.json["category"] == "program" and page.json["blended"] is False
    assert page.json["items"] == [
        {"position": 0, "kind": "course", "required": True, "course": course["id"],
         "url": None, "title": {"en": "Budgets v2"}, "duration": "PT2H30M",
         "live_version": 2, "status": "published"},
        {"position": 1, "kind": "resource", "required": False, "course": None,
         "url": RESOURCE["url"], "title": RESOURCE["title"], "duration": "PT30M",
         "live_version": None, "status": "external"}]
    # Drafts and courses are not program pages.
    draft = curation.create(program_body(course_item(course["id"])))
    for other in (draft["id"], course["id"], "prg_nothing"):
        assert curation.client.get(f"/catalogue/programs/{other}").status_code == 404


def test_a_retired_item_is_reported_not_dropped(curation: Curation) -> None:
    kept = curation.cast.publish()
    retiring = curation.cast.publish()
    program = curation.publish(program_body(course_item(kept["id"]),
                                            course_item(retiring["id"])))
    pid = program["id"]
    curation.cast.act(retiring["id"], "retire", curation.cast.a)
    shown = curation.client.get(f"/programs/{pid}", headers=curation.curator["headers"]).json
    assert shown["item_report"] == [{"position": 1, "course": retiring["id"],
                                     "problem": "retired", "in": ["revision", "live"]}]
    assert [i.get("course") for i in shown["live"]["program"]["items"]] == [
        kept["id"], retiring["id"]]  # still listed
    report = curation.client.get("/programs/item-report", headers=curation.curator["headers"])
    assert report.json["items"] == [{"id": pid, "title": program["live"]["title"],
                                     "state": "published", "item_report": shown["item_report"]}]
    assert curation.client.get("/programs/item-report",
                               headers=curation.other["headers"]).json["items"] == []
    page = curation.client.get(f"/catalogue/programs/{pid}").json
    assert [i["status"] for i in page["items"]] == ["published", "retired"]
    # An edit may keep the retired item (it stays reported), but it cannot be submitted so.
    edit = curation.client.put(f"/programs/{pid}",
                               json=program_body(course_item(kept["id"]),
                                                 course_item(retiring["id"])),
                               headers={**curation.curator["headers"],
                                        **curation.etag(pid, curation.curator)})
    assert edit.status_code == 200 and edit.json["state"] == "draft", edit.json
    refused = curation.act(pid, "submit", status=400)
    assert list(refused["errors"]) == ["program.items.1.course"]
    assert "retired" in refused["errors"]["program.items.1.course"][0]
    assert curation.client.get(f"/catalogue/programs/{pid}").status_code == 200  # live serves


def test_search_facets_and_filters_of_programs(curation: Curation) -> None:
    course = curation.cast.publish()
    small = curation.publish(program_body(course_item(course["id"])))
    resources = [{**RESOURCE, "url": f"{RESOURCE['url']}/{n}"} for n in range(5)]
    big = curation.publish(program_body(program={
        "items": [course_item(course["id"]), *resources], "blended": True}))

    def search(query: str) -> Any:
        res = curation.client.get(f"/catalogue/search?{query}")
        assert res.status_code == 200, res.json
        return res.json

    everything = search("")
    assert everything["total"] == 3  # the course and both programs
    assert everything["facets"]["program_items"] == [{"value": "1-5", "count": 1},
                                                     {"value": "6-10", "count": 1}]
    assert {(f["value"], f["count"]) for f in everything["facets"]["blended"]} == {
        ("true", 1), ("false", 1)}
    assert [i["id"] for i in search("blended=true")["items"]] == [big["id"]]
    assert [i["id"] for i in search("program_items=1-5")["items"]] == [small["id"]]
    assert {i["id"] for i in search("category=program")["items"]} == {small["id"], big["id"]}
    assert [i["id"] for i in search("category=program&mode=instructor-led")["items"]] == [
        big["id"]]
    assert curation.client.get("/catalogue/search?blended=maybe").status_code == 400
    assert curation.client.get("/catalogue/search?program_items=7").status_code == 400
