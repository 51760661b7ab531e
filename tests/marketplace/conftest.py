"""Fixtures of the marketplace API tests: the cast of organisations and a valid course body."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.frac_support import tag_framework  # noqa: F401  (tests that tag courses)
from tests.marketplace.frac_api_support import frac  # noqa: F401  (the FRAC API cast)
from tests.marketplace.package_support import make_app  # noqa: F401  (package tests' hubs)


def course_body(**overrides: Any) -> dict[str, Any]:
    """A valid ``POST /courses`` body; keyword arguments replace top-level fields."""
    body: dict[str, Any] = {
        "title": {"en": "Public Financial Management", "hi": "सार्वजनिक वित्तीय प्रबंधन"},
        "description": {"en": "Budgets, treasury and audit for district officers.",
                        "hi": "ज़िला अधिकारियों के लिए बजट, कोष और लेखा परीक्षा।"},
        "keywords": ["finance", "budget"],
        "category": "course",
        "mode": "self-paced",
        "level": "beginner",
        "duration": "PT2H30M",
        "delivery": {"type": "external", "url": "https://tool.example.org/courses/pfm"},
        "licence": "CC-BY-4.0",
        "price": {"amount": "0", "currency": "INR"},
        "certificate_offered": True,
        # Tags are validated against a published FRAC framework: tests that tag courses use
        # the ``tag_framework`` fixture (tests.frac_support) and pass competencies explicitly.
        "competencies": [],
        "version": "1.0",
    }
    body.update(copy.deepcopy(overrides))
    return body


class Cast:
    """Two providers, a reviewer board, an admin and an LMS, each with a credential."""

    def __init__(self, tenants: Any, client: Any) -> None:
        self.client = client
        self.a = tenants.make("Provider A")
        self.b = tenants.make("Provider B")
        self.reviewer = tenants.make("Review Board", "platform-admin", ("reviewer",))
        self.admin = tenants.make("Hub Admin", "platform-admin", ("admin",))
        self.lms = tenants.make("State LMS", "lms", ("lrs-writer",))

    def create(self, who: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        """Create a draft course as ``who`` (provider A by default); returns the course."""
        res = self.client.post("/courses", json=course_body(**overrides),
                               headers=(who or self.a)["headers"])
        assert res.status_code == 201, res.json
        return res.json  # type: ignore[no-any-return]

    def etag(self, course_id: str, who: dict[str, Any]) -> dict[str, str]:
        """``{"If-Match": <ETag>}`` of the course as ``who`` reads it now, or ``{}`` when
        ``who`` cannot see it (the write then answers 404 before any precondition)."""
        res = self.client.get(f"/courses/{course_id}", headers=who["headers"])
        return {"If-Match": res.headers["ETag"]} if res.status_code == 200 else {}

    def act(self, course_id: str, action: str, who: dict[str, Any],
            comment: str | None = None, status: int = 200) -> dict[str, Any]:
        """Take a workflow action from the current ETag (If-Match) and check the status."""
        res = self.client.post(f"/courses/{course_id}/transitions",
                               json={"action": action, "comment": comment},
                               headers={**who["headers"], **self.etag(course_id, who)})
        assert res.status_code == status, res.json
        return res.json  # type: ignore[no-any-return]

    def edit(self, course_id: str, who: dict[str, Any] | None = None,
             **overrides: Any) -> Any:
        """``PUT /courses/<id>`` with a valid body from the current ETag; the response."""
        who = who or self.a
        return self.client.put(f"/courses/{course_id}", json=course_body(**overrides),
                               headers={**who["headers"], **self.etag(course_id, who)})

    def publish(self, who: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        """Create and take a course all the way to published."""
        course = self.create(who, **overrides)
        self.act(course["id"], "submit", who or self.a)
        self.act(course["id"], "start_review", self.reviewer)
        return self.act(course["id"], "publish", self.reviewer)


@pytest.fixture
def cast(tenants: Any, client: Any) -> Cast:
    """The cast of organisations on the test app."""
    return Cast(tenants, client)
