"""``/courses/{id}/competency-suggestions`` over HTTP, on every store adapter: suggestions
from the course's text in every language, reviewers' decisions, accepted ones becoming tags,
rights and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace import demo_frac_data
from tests.marketplace.frac_suggestion_support import publish_demo_framework

GEM = "COMSUBTHEME-18"
GEM_ID = demo_frac_data.node_id(GEM)
RAJBHASHA = "COMSUBTHEME-6"  # defines levels 1-4 only


GEM_COURSE = {
    "title": {"en": "Buying on the Government e-Marketplace",
              "hi": "गवर्नमेंट ई-मार्केटप्लेस (जेम) पर खरीद"},
    "description": {"en": "Registering as a buyer on GeM, direct purchase, L1 purchase, bidding "
                          "and reverse auction.",
                    "hi": "जेम पर क्रेता पंजीकरण, सीधी खरीद, एल1 खरीद, बोली और रिवर्स नीलामी।"},
    "keywords": ["GeM"],
    "competencies": [],
}


@pytest.fixture
def framework(app: Any) -> None:
    publish_demo_framework(app)


def suggest(cast: Any, course_id: str, who: dict[str, Any], **query: Any) -> Any:
    return cast.client.get(f"/courses/{course_id}/competency-suggestions",
                           query_string=query, headers=who["headers"])


def decide(cast: Any, course_id: str, competency: str, who: dict[str, Any],
           **body: Any) -> Any:
    return cast.client.post(f"/courses/{course_id}/competency-suggestions/{competency}",
                            json=body, headers=who["headers"])


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json["items"]]


def test_suggests_from_every_language_with_scores(cast: Any, framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    res = suggest(cast, course["id"], cast.a, limit=3)
    assert res.status_code == 200, res.json
    top = res.json["items"][0]
    assert top["code"] == GEM and top["competency"] == GEM_ID
    assert top["name"] == "Government e-Marketplace (GeM) procurement"
    assert set(top["languages"]) == {"en", "hi"}
    assert 0 < top["score"] <= 1 and top["levels"] == [1, 2, 3, 4, 5]
    assert len(res.json["items"]) == 3
    scores = [item["score"] for item in res.json["items"]]
    assert scores == sorted(scores, reverse=True)
    hindi = suggest(cast, course["id"], cast.a, lang="hi")
    assert hindi.json["items"][0]["name"] == demo_frac_data.entry(GEM)["name"]["hi"]


def test_a_hindi_only_course_matches_in_hindi(cast: Any, framework: None) -> None:
    course = cast.create(title={"hi": GEM_COURSE["title"]["hi"]},
                         description={"hi": GEM_COURSE["description"]["hi"]},
                         keywords=[], competencies=[])
    top = suggest(cast, course["id"], cast.reviewer).json["items"][0]
    assert (top["code"], top["languages"]) == (GEM, ["hi"])


def test_tags_already_on_the_course_are_not_suggested(cast: Any, framework: None) -> None:
    course = cast.create(**{**GEM_COURSE, "competencies": [{"id": GEM, "level": 2}]})
    assert GEM not in codes(suggest(cast, course["id"], cast.a, limit=20))


def test_reject_hides_the_suggestion_and_is_stored(cast: Any, app: Any,
                                                   framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    res = decide(cast, course["id"], GEM, cast.reviewer, decision="reject")
    assert res.status_code == 200, res.json
    assert (res.json["decision"], res.json["competency"], res.json["level"]) == (
        "reject", GEM_ID, None)
    assert res.json["score"] > 0
    assert GEM not in codes(suggest(cast, course["id"], cast.a, limit=20))
    stored = app.extensions["hub.store"].frac_suggestions.get(course["id"], GEM_ID)
    assert stored["by"] == cast.reviewer["key"] and stored["decision"] == "reject"
    unchanged = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert unchanged["revision"]["competencies"] == []


def test_accept_tags_the_working_revision_with_an_audit_event(cast: Any,
                                                              framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    res = decide(cast, course["id"], GEM_ID, cast.reviewer, decision="accept", level=3)
    assert res.status_code == 200, res.json
    assert (res.json["decision"], res.json["level"], res.json["revision_number"]) == (
        "accept", 3, 1)
    got = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert [(t["id"], t["level"], t["code"]) for t in got["revision"]["competencies"]] == [
        (GEM_ID, 3, "COMSUBTHEME-18")]  # stored validated (marketplace.frac_tags)
    assert got["state"] == "draft"
    audit = cast.client.get(f"/courses/{course['id']}/audit", headers=cast.a["headers"]).json
    assert audit["items"][-1]["action"] == "tag"
    assert GEM in audit["items"][-1]["comment"]
    assert GEM not in codes(suggest(cast, course["id"], cast.a, limit=20))


def test_accept_on_a_published_course_starts_a_new_revision(cast: Any,
                                                            framework: None) -> None:
    course = cast.publish(**GEM_COURSE)
    res = decide(cast, course["id"], GEM, cast.reviewer, decision="accept", level=2)
    assert res.status_code == 200, res.json
    got = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert (got["state"], got["revision_number"], res.json["revision_number"]) == (
        "draft", 2, 2)
    assert got["live"]["competencies"] == []  # the published version keeps serving
    assert [(t["id"], t["level"], t["code"]) for t in got["revision"]["competencies"]] == [
        (GEM_ID, 2, "COMSUBTHEME-18")]  # stored validated (marketplace.frac_tags)


def test_accept_needs_a_level_the_competency_defines(cast: Any, framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    missing = decide(cast, course["id"], GEM, cast.reviewer, decision="accept")
    assert missing.status_code == 400 and "level" in str(missing.json)
    undefined = decide(cast, course["id"], RAJBHASHA, cast.reviewer, decision="accept", level=5)
    assert undefined.status_code == 400 and "level" in str(undefined.json)
    bad = decide(cast, course["id"], GEM, cast.reviewer, decision="maybe")
    assert bad.status_code == 400 and "decision" in str(bad.json)
    got = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert got["revision"]["competencies"] == [] and got["row_version"] == 1
    assert cast.client.get(f"/courses/{course['id']}/audit",
                           headers=cast.a["headers"]).json["items"][-1]["action"] == "create"


def test_unknown_competency_and_non_competency_nodes_are_404(cast: Any,
                                                             framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    for competency in ("COMSUBTHEME-999", "COMTHEME-5", "nope"):
        res = decide(cast, course["id"], competency, cast.reviewer, decision="reject")
        assert res.status_code == 404, (competency, res.json)


def test_who_may_read_and_decide(cast: Any, tenants: Any, framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    curator = tenants.make("Provider A", "provider", ("curator",))
    writer = tenants.make("Provider A", "provider", ("lrs-writer",))
    assert suggest(cast, course["id"], cast.a).status_code == 200
    assert suggest(cast, course["id"], curator).status_code == 200
    assert suggest(cast, course["id"], cast.admin).status_code == 200
    assert suggest(cast, course["id"], writer).status_code == 403
    assert decide(cast, course["id"], GEM, cast.a, decision="reject").status_code == 403
    assert decide(cast, course["id"], GEM, curator, decision="reject").status_code == 200
    assert decide(cast, course["id"], GEM, cast.admin, decision="reject").status_code == 200
    anonymous = cast.client.get(f"/courses/{course['id']}/competency-suggestions")
    assert anonymous.status_code == 401


def test_another_organisations_course_is_404(cast: Any, tenants: Any,
                                             framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    b_curator = tenants.make("Provider B", "provider", ("curator",))
    assert suggest(cast, course["id"], cast.b).status_code == 404
    assert suggest(cast, course["id"], b_curator).status_code == 404
    assert decide(cast, course["id"], GEM, b_curator, decision="reject").status_code == 404
    assert suggest(cast, "crs_missing", cast.reviewer).status_code == 404


def test_no_published_framework_means_no_suggestions(cast: Any) -> None:
    course = cast.create(**GEM_COURSE)
    res = suggest(cast, course["id"], cast.a)
    assert res.status_code == 200 and res.json["items"] == []
    assert decide(cast, course["id"], GEM, cast.reviewer, decision="reject").status_code == 404


def test_limit_is_checked(cast: Any, framework: None) -> None:
    course = cast.create(**GEM_COURSE)
    for limit in ("0", "21", "x"):
        assert suggest(cast, course["id"], cast.a, limit=limit).status_code == 400
