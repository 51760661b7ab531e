"""Learner reviews on MongoDB, with the course's denormalised rating kept in step."""

from __future__ import annotations

from typing import Any

import pymongo
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.mongodb.courses import MongoCourseRepository
from storage.mongodb.errors import translate_errors
from storage.ports import Document

#: Separates the two keys of a review cursor; ``updated_at`` (ISO 8601) never contains it.
CURSOR_SEPARATOR = "|"


def ensure_indexes(db: Database[Any]) -> None:
    """One review per learner and course; the listing order of a course's reviews."""
    db.reviews.create_index([("course_id", 1), ("learner_id", 1)], unique=True,
                            name="course_learner_unique")
    db.reviews.create_index([("course_id", 1), ("updated_at", -1), ("learner_id", 1)],
                            name="course_newest")


def _cursor(review: Document) -> str:
    return f"{review['updated_at']}{CURSOR_SEPARATOR}{review['learner_id']}"


class MongoReviewRepository:
    """:class:`storage.ports.catalogue.ReviewRepository` on the ``reviews`` collection."""

    def __init__(self, db: Database[Any], courses: MongoCourseRepository) -> None:
        self.coll = db.reviews
        self.courses = courses

    @translate_errors
    def upsert(self, review: Document) -> tuple[bool, float | None, int]:
        """Insert or replace a learner's review (``created_at`` of the first one is kept),
        then recompute the course's average and count from every review of the course."""
        key = {"course_id": review["course_id"], "learner_id": review["learner_id"]}
        update = {
            "$set": {k: v for k, v in review.items() if k not in ("created_at", "cursor")},
            "$setOnInsert": {"created_at": review.get("created_at")},
        }
        try:
            created = self.coll.update_one(key, update, upsert=True).upserted_id is not None
        except DuplicateKeyError:
            # Two first reviews of the same learner raced; the unique index let one insert,
            # so this one is now an update (the retry MongoDB documents for upserts).
            created = self.coll.update_one(key, update, upsert=True).upserted_id is not None
        average, count = self._aggregate(review["course_id"])
        self.courses.set_rating(review["course_id"], average, count)
        return created, average, count

    def _aggregate(self, course_id: str) -> tuple[float | None, int]:
        rows = list(self.coll.aggregate([
            {"$match": {"course_id": course_id}},
            {"$group": {"_id": None, "average": {"$avg": "$rating"}, "count": {"$sum": 1}}},
        ]))
        if not rows:
            return None, 0
        return float(rows[0]["average"]), int(rows[0]["count"])

    @translate_errors
    def list_for_course(
        self, course_id: str, limit: int = 50, after: str | None = None
    ) -> list[Document]:
        """Newest first (``updated_at`` desc, then ``learner_id`` asc), after a cursor."""
        query: dict[str, Any] = {"course_id": course_id}
        if after:
            updated_at, _, learner_id = after.partition(CURSOR_SEPARATOR)
            query["$or"] = [
                {"updated_at": {"$lt": updated_at}},
                {"updated_at": updated_at, "learner_id": {"$gt": learner_id}},
            ]
        cursor = self.coll.find(query, {"_id": 0}).sort(
            [("updated_at", pymongo.DESCENDING), ("learner_id", pymongo.ASCENDING)]
        ).limit(int(limit))
        reviews = list(cursor)
        for review in reviews:
            review["cursor"] = _cursor(review)
        return reviews
