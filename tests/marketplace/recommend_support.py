"""Data for the recommendation, talent search and coverage API tests, written straight through
the store's ports: learner records, passbook evidence, published tagged courses (the API
tests of those writes live with their own branches' routes)."""

from __future__ import annotations

from typing import Any

from tests.role_support import competency, node_id, publish_role_framework, tag
from tests.storage.factories import course_doc

AT = "2026-06-01T12:00:00.000000Z"


def store_of(app: Any) -> Any:
    """The app's store with the roles framework (tests.role_support) published."""
    store = app.extensions["hub.store"]
    publish_role_framework(store)
    return store


def put_learner(store: Any, org_id: str, learner_id: str, position: str | None = "POS-1",
                languages: list[str] | None = None, name: str | None = None,
                designation: str = "Under Secretary") -> None:
    """A learner record (position by code: POS-1, POS-2 of tests.role_support)."""
    store.department_learners.put({
        "org_id": org_id, "learner_id": learner_id, "name": name or f"Officer {learner_id}",
        "designation": designation, "home_page": "http://hub.test",
        "position": node_id(position) if position else None, "languages": languages or [],
        "source": "api", "created_at": AT, "updated_at": AT})


def give(store: Any, org_id: str, learner_id: str, number: int, level: int,
         source: str = "item:crs_old", kind: str = "completion", withheld: bool = False) -> None:
    """Passbook evidence of COMSUBTHEME-number at ``level``."""
    store.passbook.record([], [{
        "org_id": org_id, "learner_id": learner_id, "competency": competency(number),
        "level": level, "kind": kind, "source": source,
        "item_id": source.removeprefix("item:") if source.startswith("item:") else None,
        "statement_id": f"st-{learner_id}-{number}-{source}", "at": AT, "withheld": withheld}])


def publish(store: Any, course_id: str, tags: dict[int, int], **fields: Any) -> None:
    """A published course tagged ``{competency number: level}``."""
    store.courses.add(course_doc(course_id, "org_provider",
                                 competencies=[tag(n, lv) for n, lv in tags.items()], **fields))
