"""Bad course input is 400 problem+json naming each offending field (never 422)."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue_schemas.fields import duration_minutes
from tests.marketplace.conftest import Cast, course_body

CASES = [
    ({"title": {"en": "ok", "xx-INVALID": "bad"}}, "title.xx-INVALID"),
    ({"title": {}}, "title"),
    ({"title": {"en": "  "}}, "title.en"),
    ({"description": {"english": "x"}}, "description.english"),
    ({"duration": "2 hours"}, "duration"),
    ({"duration": "P1Y"}, "duration"),
    ({"duration": "PT0M"}, "duration"),
    ({"category": "webinar"}, "category"),
    ({"mode": "online"}, "mode"),
    ({"level": "expert"}, "level"),
    ({"languages": ["en", "klingon-x"]}, "languages.1"),
    ({"delivery": {"type": "lti"}}, "delivery.tool"),
    ({"delivery": {"type": "lti", "tool": "tool_1"}}, "delivery.target_link_uri"),
    ({"delivery": {"type": "lti", "tool_url": "https://x.org/lti"}}, "delivery.tool_url"),
    ({"delivery": {"type": "lti", "tool": "tool_1", "target_link_uri": "https://x.org/l",
                   "url": "https://x.org"}}, "delivery.url"),
    ({"delivery": {"type": "lti", "tool": "tool_1", "target_link_uri": "https://x.org/l",
                   "custom": {"bad name": "x"}}}, "delivery.custom"),
    ({"delivery": {"type": "external", "url": "https://x.org", "tool": "tool_1"}},
     "delivery.tool"),
    ({"delivery": {"type": "xapi", "package": "/etc/passwd"}}, "delivery.package"),
    ({"delivery": {"type": "xapi", "package": "a/../b"}}, "delivery.package"),
    ({"delivery": {"type": "external", "url": "ftp://x.org/c"}}, "delivery.url"),
    ({"delivery": {"type": "external", "url": "https://x.org", "package": "p.zip"}},
     "delivery.package"),
    ({"delivery": {"type": "scorm"}}, "delivery.type"),
    ({"price": {"amount": "-1", "currency": "INR"}}, "price.amount"),
    ({"price": {"amount": "10", "currency": "rupees"}}, "price.currency"),
    ({"competencies": [{"id": "C1", "level": 6}]}, "competencies.0.level"),
    ({"competencies": [{"id": "C1"}]}, "competencies.0.level"),
    ({"certificate_offered": "maybe"}, "certificate_offered"),
    ({"provider_id": "org_someone_else"}, "provider_id"),
]


@pytest.mark.parametrize(("change", "field"), CASES, ids=[f for _, f in CASES])
def test_invalid_course_is_400_naming_the_field(cast: Cast, client: Any, change: Any,
                                                field: str) -> None:
    res = client.post("/courses", json=course_body(**change), headers=cast.a["headers"])
    assert res.status_code == 400
    assert res.mimetype == "application/problem+json"
    assert field in res.json["errors"], res.json
    assert res.json["status"] == 400 and res.json["type"].endswith("/validation")


def test_missing_required_fields_are_all_named(cast: Cast, client: Any) -> None:
    res = client.post("/courses", json={}, headers=cast.a["headers"])
    assert res.status_code == 400
    assert {"title", "category", "mode", "level", "duration", "delivery"} <= set(
        res.json["errors"])


def test_valid_tags_and_defaults(cast: Cast) -> None:
    course = cast.create(title={"en-IN": "x", "hi-Latn": "y", "zh-Hant-TW": "z"},
                         languages=[])
    assert course["revision"]["languages"] == ["en-IN", "hi-Latn", "zh-Hant-TW"]
    minimal = {k: v for k, v in course_body().items()
               if k in ("title", "category", "mode", "level", "duration", "delivery")}
    res = cast.client.post("/courses", json=minimal, headers=cast.a["headers"])
    assert res.status_code == 201
    rev = res.json["revision"]
    assert rev["price"] == {"amount": "0", "currency": "INR"}
    assert rev["certificate_offered"] is False and rev["competencies"] == []


@pytest.mark.parametrize(("text", "minutes"), [("PT45M", 45), ("PT1H30M", 90), ("P2W", 20160),
                                               ("P1DT2H", 1560), ("PT30S", 1)])
def test_iso_durations_become_minutes(text: str, minutes: int) -> None:
    assert duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "P", "PT", "1H", "P1M", "P1W2D", "PT1.5H30M", "pt1h"])
def test_non_iso_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        duration_minutes(text)


def test_non_json_body_is_400(cast: Cast, client: Any) -> None:
    res = client.post("/courses", data="{not json", content_type="application/json",
                      headers=cast.a["headers"])
    assert res.status_code == 400
