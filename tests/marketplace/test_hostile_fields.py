"""Catalogue fields at their edges: ASCII digits only, no trailing newline, BCP 47 hyphens,
and a fraction on the smallest duration component accepted (ISO 8601-1:2019 §5.5.2.4)."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue_schemas.fields import duration_minutes, is_language_tag
from tests.marketplace.conftest import Cast, course_body


@pytest.mark.parametrize(("text", "minutes"), [
    ("PT1.5H", 90), ("PT0.5M", 1), ("P1.5D", 2160), ("PT1H30M", 90), ("P2W", 20160),
    ("PT0,5H", 30), ("PT90.5S", 2),
])
def test_durations_accepted(text: str, minutes: int) -> None:
    assert duration_minutes(text) == minutes


@pytest.mark.parametrize("text", ["PT१H", "P२W", "PT1H\n", "PT1.5H30M", "P1.5DT1H", "P",
                                  "PT", "P1W2D", "PT" + "9" * 5000 + "H", " PT1H"])
def test_durations_refused(text: str) -> None:
    with pytest.raises(ValueError):
        duration_minutes(text)


@pytest.mark.parametrize(("tag", "valid"), [("en_US", False), ("en-US", True), ("hi", True),
                                            ("hi\n", False), ("hi-IN", True)])
def test_language_tags(tag: str, valid: bool) -> None:
    assert is_language_tag(tag) is valid


@pytest.mark.parametrize(("overrides", "field"), [
    ({"duration": "PT१H"}, "duration"), ({"duration": "PT1H\n"}, "duration"),
    ({"languages": ["en_US"]}, "languages"), ({"title": {"en_US": "x"}}, "title"),
    ({"price": {"amount": "१२", "currency": "INR"}}, "price"),
    ({"price": {"amount": "12\n", "currency": "INR"}}, "price"),
])
def test_course_api_refuses(cast: Cast, client: Any, overrides: dict[str, Any],
                            field: str) -> None:
    res = client.post("/courses", json=course_body(**overrides), headers=cast.a["headers"])
    assert res.status_code == 400, res.json
    assert any(name.startswith(field) for name in res.json["errors"]), res.json


def test_course_api_accepts_a_fractional_hour(cast: Cast, client: Any) -> None:
    res = client.post("/courses", json=course_body(duration="PT1.5H"), headers=cast.a["headers"])
    assert res.status_code == 201, res.json
    assert res.json["revision"]["duration_minutes"] == 90
