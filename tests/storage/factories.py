"""Small factories of valid storage documents (the shapes ``storage.ports`` describes).

The marketplace schemas produce the same shape; these build it directly so that the storage
contract suite depends on nothing but the port.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.timestamps import format_timestamp

_clock = itertools.count()
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def timestamp(step: int | None = None) -> str:
    """A distinct, increasing ISO 8601 UTC timestamp (microseconds, ``Z``)."""
    n = next(_clock) if step is None else step
    return format_timestamp(_EPOCH + timedelta(seconds=n))


def org_doc(org_id: str, name: str | None = None, kind: str = "provider") -> dict[str, Any]:
    """An organisation document."""
    return {"id": org_id, "name": name or f"Org {org_id}", "kind": kind, "country": "IN",
            "contact": f"{org_id}@example.org", "created_at": timestamp()}


def credential_doc(key: str, org_id: str, roles: tuple[str, ...] = ("publisher",)
                   ) -> dict[str, Any]:
    """A credential document (the secret is represented only by a hash)."""
    return {"key": key, "secret_hash": "pbkdf2_sha256$1$salt$" + key, "org_id": org_id,
            "roles": list(roles), "created_at": timestamp(), "revoked": False, "label": None}


def content(
    title: dict[str, str] | None = None,
    description: dict[str, str] | None = None,
    keywords: list[str] | None = None,
    category: str = "course",
    mode: str = "self-paced",
    level: str = "beginner",
    languages: list[str] | None = None,
    minutes: int = 90,
    competencies: list[str | dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Course content (``live`` / ``revision``) as the marketplace schemas produce it."""
    return {
        "title": title or {"en": "Untitled course"},
        "description": description or {"en": "A course."},
        "keywords": keywords or [],
        "category": category,
        "mode": mode,
        "level": level,
        "languages": languages or ["en"],
        "duration": f"PT{minutes // 60}H{minutes % 60}M",
        "duration_minutes": minutes,
        # a bare id is a tag at level 2; a dict is a whole (stored, denormalised) tag
        "competencies": [c if isinstance(c, dict) else {"id": c, "level": 2}
                         for c in competencies or []],
        "delivery": {"type": "external", "url": "https://learn.example.org/x"},
        "licence": {"licence": "CC-BY-4.0", "price": None},
        "certificate": True,
        "version": "1.0",
    }


def course_doc(
    course_id: str,
    provider_id: str,
    *,
    state: str = "published",
    rating: tuple[float | None, int] = (None, 0),
    published_at: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A course; published (searchable, ``live`` set) unless ``state`` says otherwise."""
    body = content(**fields)
    published = state == "published"
    now = timestamp()
    return {
        "id": course_id,
        "provider_id": provider_id,
        "state": state,
        "row_version": 1,
        "revision": body,
        "revision_number": 1,
        "live": body if published else None,
        "live_version": 1 if published else None,
        "created_at": now,
        "updated_at": now,
        "published_at": (published_at or now) if published else None,
        "rating": {"average": rating[0], "count": rating[1]},
        "search_seq": None,
    }


def event_doc(event_id: str, course_id: str, to: str, frm: str | None = None,
              actor: str = "key_1") -> dict[str, Any]:
    """An audit event of a course transition."""
    return {"id": event_id, "course_id": course_id, "at": timestamp(), "actor": actor,
            "org_id": "org_p", "from": frm, "to": to, "action": f"{frm}->{to}",
            "comment": None}


def review_doc(course_id: str, learner_id: str, rating: int, text: str | None = None
               ) -> dict[str, Any]:
    """A learner's review of a course."""
    now = timestamp()
    return {"course_id": course_id, "learner_id": learner_id, "org_id": "org_lms",
            "rating": rating, "text": text, "created_at": now, "updated_at": now}
