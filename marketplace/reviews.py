"""Learner ratings and reviews of published courses.

An LMS, institution or department posts on behalf of a learner it knows by an opaque id (its
LTI ``sub`` or xAPI account name). One review per learner and course: a second post replaces
the first. The store keeps the course's average and count in step in the same write.
"""

from __future__ import annotations

from hub.errors import NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from hub.tokens import TokenCodec
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Organisations that speak for learners, and the roles that may post for them.
REVIEWING_ORG_KINDS = (OrgKind.LMS, OrgKind.INSTITUTION, OrgKind.DEPARTMENT, OrgKind.PLATFORM_ADMIN)
REVIEW_ROLES = (Role.LRS_WRITER, Role.CURATOR)


def published_course(store: Store, course_id: str) -> Document:
    """The course if it has a live (published) version, else 404."""
    course = store.courses.get(course_id)
    if course is None or course.get("live") is None:
        raise NotFound(f"no published course {course_id!r}")
    return course  # type: ignore[no-any-return]


def post_review(store: Store, principal: Principal, course_id: str,
                body: Document) -> tuple[Document, bool]:
    """Rate a published course for a learner; (review with the course rating, created?)."""
    if not (principal.is_kind(*REVIEWING_ORG_KINDS) and principal.has(*REVIEW_ROLES)):
        raise PermissionDenied("reviews are posted by an lms, institution or department "
                               "credential with the lrs-writer or curator role")
    published_course(store, course_id)
    now = utcnow()
    # The learner id is scoped by the posting organisation: two LMSes may both have a "42".
    review = {
        "course_id": course_id,
        "learner_id": f"{principal.org_id}:{body['learner_id']}",
        "org_id": principal.org_id,
        "rating": body["rating"],
        "text": (body.get("text") or "").strip() or None,
        "created_at": now,
        "updated_at": now,
    }
    created, average, count = store.reviews.upsert(review)
    review["learner_id"] = body["learner_id"]
    review["course_rating"] = {"average": average, "count": count}
    return review, created


def list_reviews(store: Store, course_id: str, limit: int, cursor: str | None,
                 codec: TokenCodec) -> Document:
    """A page of a published course's reviews, newest first.

    The store's cursor names the last review's learner (its keyset), which the public must not
    read: the cursor handed out is sealed (signed and encrypted, :meth:`TokenCodec.seal`)."""
    published_course(store, course_id)
    after = codec.unseal(cursor) if cursor else None
    if after is not None and not isinstance(after, str):
        raise ValidationError.for_field("cursor", "is not a token this hub issued")
    rows = store.reviews.list_for_course(course_id, limit + 1, after)
    page = rows[:limit]
    return {"items": page,
            "next": codec.seal(page[-1]["cursor"]) if len(rows) > limit else None}
