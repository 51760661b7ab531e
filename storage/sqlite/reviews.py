"""Learner reviews on SQLite (table ``reviews`` of :mod:`storage.sqlite.marketplace`), with the
course's denormalised rating kept in step in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore


class SqliteReviewRepository:
    """:class:`storage.ports.catalogue.ReviewRepository`; keeps the course's rating in step."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def upsert(self, review: Document) -> tuple[bool, float | None, int]:
        """Insert or replace a learner's review and update the course's rating, atomically."""
        course_id, learner_id = review["course_id"], review["learner_id"]
        with self.store.transaction() as conn:
            old = conn.execute("SELECT doc FROM reviews WHERE course_id = ? AND learner_id = ?",
                               (course_id, learner_id)).fetchone()
            doc = dict(review)
            doc.pop("cursor", None)
            if old is not None:  # an update keeps the first rating's creation time
                doc["created_at"] = loads(old[0]).get("created_at", doc.get("created_at"))
            conn.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?)",
                         (course_id, learner_id, int(review["rating"]), review["updated_at"],
                          dumps(doc)))
            average, count = conn.execute(
                "SELECT avg(rating), count(*) FROM reviews WHERE course_id = ?", (course_id,)
            ).fetchone()
            self.store.courses.set_rating(course_id, average, int(count))
        return old is None, average, int(count)

    def list_for_course(self, course_id: str, limit: int = 50, after: str | None = None
                        ) -> list[Document]:
        """Newest first; ``review["cursor"]`` of the last item continues the list."""
        sql = "SELECT doc FROM reviews WHERE course_id = ?"
        params: list[Any] = [course_id]
        if after:
            updated_at, _, learner_id = after.partition("|")
            sql += " AND (updated_at < ? OR (updated_at = ? AND learner_id > ?))"
            params += [updated_at, updated_at, learner_id]
        sql += " ORDER BY updated_at DESC, learner_id LIMIT ?"
        params.append(int(limit))
        out = []
        for (text,) in self.store.query(sql, params):
            doc = loads(text)
            doc["cursor"] = f"{doc['updated_at']}|{doc['learner_id']}"
            out.append(doc)
        return out
