"""Courses on MongoDB: one document per course aggregate, its audit trail embedded.

Why embedded: a vetting transition and its audit event must be one atomic write
(:class:`storage.ports.catalogue.CourseRepository`). A single-document update is atomic on
every MongoDB deployment, so pushing the event into ``audit`` in the same
``find_one_and_update`` as the state change needs no multi-document transaction. A course has
a handful of transitions per revision, far below the 16 MB document limit.

Stored shape: the port's course document plus

- ``_id``: the course id (primary key, so duplicates fail at the server);
- ``audit``: the events, oldest first (stripped from every read except :meth:`audit_trail`);
- ``_idx``: the search index entry (:func:`storage.catalogue_index.index_fields`, sets as sorted
  lists) plus ``seq`` (the ``search_seq`` while the course is searchable, else None) and the
  derived sort keys of :mod:`storage.mongodb.search`.

``rating`` and ``_idx.rating_*`` belong to :meth:`MongoCourseRepository.set_rating` (reviews):
``replace`` never writes them, so a vetting write cannot overwrite a rating recomputed
concurrently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pymongo
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from storage.catalogue_index import index_fields
from storage.errors import ConcurrentUpdate, DuplicateKey
from storage.mongodb import counters, search
from storage.mongodb.errors import translate_errors, translated
from storage.ports import Document
from storage.ports.catalogue import CourseQuery, CourseResults

#: Fields a read never returns (``_id`` duplicates ``id``).
HIDDEN = {"_id": 0, "_idx": 0, "audit": 0}

#: As HIDDEN but keeping ``_id``: a find-and-modify's reply must identify its document
#: (mongomock returns None for an ``_id``-less projection after the update).
WITH_ID = {"_idx": 0, "audit": 0}

#: Index fields owned by the rating, not by the course content.
RATING_INDEX_FIELDS = ("rating_average", "rating_count", "rating_sort", "rating_buckets")

#: Stored fields ``replace`` leaves alone: the keys, and the rating (owned by ``set_rating``).
OWNED_ELSEWHERE = frozenset(("_id", "rating", "search_seq", "row_version"))

#: The ``counters`` document that hands out ``search_seq`` values.
SEARCH_SEQ_COUNTER = "search_seq"

#: The ``counters`` document that :meth:`MongoCourseRepository.catalogue_generation` reads.
GENERATION_COUNTER = "catalogue_generation"


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes of the vetting queries; the search indexes are :func:`search.ensure_indexes`."""
    db.courses.create_index([("provider_id", 1), ("_id", 1)], name="provider_id")
    db.courses.create_index([("state", 1), ("_id", 1)], name="state_id")
    search.ensure_indexes(db)


def next_search_seqs(db: Database[Any], n: int) -> list[int]:
    """Reserve ``n`` consecutive ``search_seq`` values (one atomic ``$inc``, upserted)."""
    if n <= 0:
        return []
    first = counters.reserve(db, SEARCH_SEQ_COUNTER, n)
    return list(range(first, first + n))


def current_search_seq(db: Database[Any]) -> int:
    """The last ``search_seq`` handed out (0 when none was)."""
    counter = db.counters.find_one({"_id": SEARCH_SEQ_COUNTER})
    return int(counter["value"]) if counter else 0


def rating_index(average: float | None, count: int) -> dict[str, Any]:
    """The ``_idx`` fields of a rating: its value, sort key (unrated sorts last) and the
    cumulative buckets of :data:`storage.catalogue_index.RATING_BUCKETS` it falls in."""
    return {
        "rating_average": average,
        "rating_count": int(count or 0),
        "rating_sort": search.rating_sort_key(average),
        "rating_buckets": search.rating_buckets(average),
    }


def content_index(course: Document, seq: int | None) -> dict[str, Any]:
    """The content part of ``_idx`` (everything but the rating) for a course's ``live``."""
    if course.get("live") is None:
        return {"seq": None}
    fields = index_fields(course)
    entry: dict[str, Any] = {}
    for name, value in fields.items():
        if name in RATING_INDEX_FIELDS:
            continue
        entry[name] = sorted(value) if isinstance(value, set) else value
    entry["seq"] = seq
    entry["minutes_sort"] = search.minutes_sort_key(fields.get("minutes"))
    return entry


def _needs_new_seq(old: Document, new: Document) -> bool:
    """``search_seq`` is handed out whenever ``live`` becomes a new non-None value."""
    return new.get("live") is not None and (
        old.get("live") != new.get("live") or old.get("search_seq") is None
    )


def _stored(course: Document, seq: int | None, audit: list[Document]) -> Document:
    rating = course.get("rating") or {"average": None, "count": 0}
    doc = {"_id": course["id"], **course, "rating": rating, "search_seq": seq, "audit": audit}
    doc["_idx"] = {
        **content_index(course, seq),
        **rating_index(rating.get("average"), rating.get("count") or 0),
    }
    return doc


class MongoCourseRepository:
    """:class:`storage.ports.catalogue.CourseRepository` on the ``courses`` collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.coll = db.courses

    @translate_errors
    def add(self, course: Document, event: Document | None = None) -> None:
        """Insert a new course and its first audit event in one document write."""
        seq = next_search_seqs(self.db, 1)[0] if course.get("live") is not None else None
        self.coll.insert_one(_stored(course, seq, [event] if event else []))
        if seq is not None:
            self._moved()

    @translate_errors
    def add_many(self, courses: list[Document], events: list[Document]) -> None:
        """Insert many courses with their events; a duplicate id writes none of them.

        Not atomic on a real server: an all-or-nothing multi-document insert needs a
        transaction, which this adapter does not use (so that it runs the same on a standalone
        server, a replica set and a sharded cluster). Instead the ids are checked first, then
        ``insert_many(ordered=True)`` stops at the first failure (another writer inserting one
        of the ids in between) and the documents it did insert are deleted again. What
        remains non-atomic: a concurrent reader may see part of a batch for a moment, and a
        crash or lost connection between the insert and the clean-up leaves that part.
        """
        ids = [c["id"] for c in courses]
        if len(set(ids)) != len(ids):
            raise DuplicateKey("the batch repeats a course id")
        existing = self.coll.find_one({"_id": {"$in": ids}}, {"_id": 1})
        if existing is not None:
            raise DuplicateKey(f"course {existing['_id']!r} exists")
        if not courses:
            return
        audits: dict[str, list[Document]] = {}
        for event in events:
            audits.setdefault(event["course_id"], []).append(event)
        seqs = iter(next_search_seqs(self.db, sum(c.get("live") is not None for c in courses)))
        docs = [_stored(c, next(seqs) if c.get("live") is not None else None,
                        audits.get(c["id"], [])) for c in courses]
        try:
            self.coll.insert_many(docs, ordered=True)
        except BulkWriteError as exc:
            written = ids[: int((exc.details or {}).get("nInserted", 0))]
            with translated():
                if written:
                    self.coll.delete_many({"_id": {"$in": written}})
            raise
        if any(c.get("live") is not None for c in courses):
            self._moved()

    def _moved(self) -> None:
        """Move the catalogue generation, after the write it announces: a reader that sees
        the new number sees the write (one that reads in between only rebuilds twice)."""
        counters.reserve(self.db, GENERATION_COUNTER, 1)

    @translate_errors
    def catalogue_generation(self) -> int:
        """The counter every write that changes what search serves moves."""
        counter = self.db.counters.find_one({"_id": GENERATION_COUNTER})
        return int(counter["value"]) if counter else 0

    @translate_errors
    def get(self, course_id: str) -> Document | None:
        """The course (without its audit trail), or None."""
        return self.coll.find_one({"_id": course_id}, HIDDEN)

    @translate_errors
    def replace(
        self, course: Document, expected_version: int, event: Document | None = None
    ) -> Document:
        """Compare-and-set on ``row_version``; the search index and the audit event are
        written in the same single-document update."""
        current = self.coll.find_one({"_id": course["id"]}, {"audit": 0, "_idx": 0})
        if current is None or current.get("row_version") != expected_version:
            raise ConcurrentUpdate(f"course {course['id']!r} is not at row_version "
                                   f"{expected_version}")
        if _needs_new_seq(current, course):
            seq: int | None = next_search_seqs(self.db, 1)[0]
        else:
            seq = current.get("search_seq") if course.get("live") is not None else None
        sets = {k: v for k, v in course.items() if k not in OWNED_ELSEWHERE}
        sets.update(row_version=expected_version + 1, search_seq=seq)
        # A course leaving search keeps stale content fields in ``_idx``; ``seq`` None is
        # what excludes it from every search.
        sets.update({f"_idx.{name}": value for name, value in content_index(course, seq).items()})
        update: dict[str, Any] = {"$set": sets}
        # A whole-aggregate replace drops the fields the new document no longer has.
        gone = {k: "" for k in current if k not in course and k not in OWNED_ELSEWHERE}
        if gone:
            update["$unset"] = gone
        if event is not None:
            update["$push"] = {"audit": event}
        stored = self.coll.find_one_and_update(
            {"_id": course["id"], "row_version": expected_version}, update,
            projection=WITH_ID, return_document=ReturnDocument.AFTER,
        )
        if stored is None:
            raise ConcurrentUpdate(f"course {course['id']!r} changed concurrently")
        if course.get("live") != current.get("live") or seq != current.get("search_seq"):
            self._moved()
        del stored["_id"]
        return stored

    @translate_errors
    def list_for_provider(
        self, provider_id: str | None, states: Iterable[str] | None = None, limit: int = 50,
        after: str | None = None,
    ) -> list[Document]:
        """Courses of a provider (all when None), by id ascending after ``after``."""
        query: dict[str, Any] = {}
        if provider_id is not None:
            query["provider_id"] = provider_id
        if states is not None:
            query["state"] = {"$in": list(states)}
        if after is not None:
            query["_id"] = {"$gt": after}
        cursor = self.coll.find(query, HIDDEN).sort("_id", pymongo.ASCENDING).limit(int(limit))
        return list(cursor)

    @translate_errors
    def audit_trail(self, course_id: str) -> list[Document]:
        """Every audit event of a course, oldest first (the order they were pushed)."""
        doc = self.coll.find_one({"_id": course_id}, {"_id": 0, "audit": 1})
        return list(doc.get("audit") or []) if doc else []

    @translate_errors
    def search(self, query: CourseQuery) -> CourseResults:
        """Catalogue search (see :mod:`storage.mongodb.search`)."""
        snapshot = query.snapshot if query.snapshot is not None else current_search_seq(self.db)
        return search.run(self.coll, query, snapshot)

    @translate_errors
    def set_rating(self, course_id: str, average: float | None, count: int) -> None:
        """Update the denormalised rating and its index fields; ``row_version`` is untouched."""
        sets = {f"_idx.{k}": v for k, v in rating_index(average, count).items()}
        sets["rating"] = {"average": average, "count": int(count)}
        if self.coll.update_one({"_id": course_id}, {"$set": sets}).matched_count:
            self._moved()

    @translate_errors
    def count(self, state: str | None = None) -> int:
        """How many courses (in one state when given)."""
        return self.coll.count_documents({} if state is None else {"state": state})
