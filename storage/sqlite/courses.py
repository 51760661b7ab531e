"""SQLite :class:`storage.ports.catalogue.CourseRepository`: whole course documents plus their
search index.

Every write runs in one :meth:`SqliteStore.transaction`: the course row, its search index rows
(``course_search``, ``course_languages``, ``course_competencies``, ``course_tags``,
``course_fts``) and its audit event commit together or not at all. Search itself is in
:mod:`storage.sqlite.search`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storage.catalogue_index import index_fields
from storage.errors import ConcurrentUpdate
from storage.ports import Document
from storage.ports.catalogue import CourseQuery, CourseResults
from storage.sqlite.json_columns import dumps, loads
from storage.sqlite.search import search
from storage.sqlite.search_bitmaps import TAG_FACETS, BitmapCache

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore


def bump(conn: sqlite3.Connection, counter: str, by: int = 1) -> int:
    """Add ``by`` to a counter; returns the new value (the last of the ``by`` allocated)."""
    row = conn.execute("UPDATE counters SET value = value + ? WHERE name = ? RETURNING value",
                       (by, counter)).fetchone()
    return int(row[0])


#: Generations of search_changes kept (older ones are pruned; a process further behind rebuilds).
CHANGE_LOG_KEPT = 20_000


def touched(conn: sqlite3.Connection, rid: int) -> None:
    """Record that course ``rid``'s search entry changed: a new ``search_generation`` (which
    tells every process its in-memory bitmaps are stale) logged in ``search_changes``."""
    generation = bump(conn, "search_generation")
    conn.execute("INSERT INTO search_changes VALUES (?, ?)", (generation, rid))
    if generation % 1000 == 0:
        conn.execute("DELETE FROM search_changes WHERE generation <= ?",
                     (generation - CHANGE_LOG_KEPT,))


def unindex(conn: sqlite3.Connection, rid: int) -> None:
    """Remove a course from every search table."""
    for table in ("course_search", "course_languages", "course_competencies", "course_tags"):
        conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))
    conn.execute("DELETE FROM course_fts WHERE rowid = ?", (rid,))


def index(conn: sqlite3.Connection, rid: int, course: Document) -> None:
    """Add a searchable course (``live`` set, ``search_seq`` assigned) to the search tables."""
    fields = index_fields(course)
    average = fields["rating_average"]
    conn.execute(
        "INSERT INTO course_search VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (rid, course["id"], course["search_seq"], fields["provider_id"], fields["category"],
         fields["mode"], fields["level"], int(fields["minutes"] or 0), fields["duration_band"],
         average, -1.0 if average is None else float(average), fields["rating_count"],
         fields["title_sort"], fields["published_at"]),
    )
    conn.executemany("INSERT INTO course_languages VALUES (?, ?)",
                     [(lang, rid) for lang in fields["languages"]])
    conn.executemany("INSERT INTO course_competencies VALUES (?, ?)",
                     [(comp, rid) for comp in fields["competencies"]])
    conn.executemany("INSERT INTO course_tags VALUES (?, ?, ?)",
                     [(facet, value, rid) for facet, name in TAG_FACETS.items()
                      for value in fields[name]])
    # Pre-tokenised so that FTS5 sees exactly storage.catalogue_index's words (each once: the
    # relevance weights look at which field a word is in, not how often).
    conn.execute(
        "INSERT INTO course_fts (rowid, title, keywords, description) VALUES (?, ?, ?, ?)",
        (rid, *(" ".join(sorted(fields[name])) for name in (
            "title_terms", "keyword_terms", "description_terms"))),
    )


class SqliteCourseRepository:
    """Courses as whole aggregates with audit events and a search index."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self._search_cache = BitmapCache()

    # -- writes -----------------------------------------------------------------------------

    def _insert(self, conn: sqlite3.Connection, course: Document) -> None:
        doc = dict(course)
        doc.setdefault("rating", {"average": None, "count": 0})
        doc["search_seq"] = bump(conn, "search_seq") if doc.get("live") is not None else None
        rid = conn.execute(
            "INSERT INTO courses (id, provider_id, state, row_version, doc) VALUES (?,?,?,?,?)",
            (doc["id"], doc["provider_id"], doc["state"], int(doc["row_version"]), dumps(doc)),
        ).lastrowid
        if doc["live"] is not None:
            assert rid is not None
            index(conn, rid, doc)
            touched(conn, rid)

    @staticmethod
    def _event(conn: sqlite3.Connection, event: Document | None) -> None:
        if event is not None:
            conn.execute("INSERT INTO course_events (id, course_id, doc) VALUES (?, ?, ?)",
                         (event["id"], event["course_id"], dumps(event)))

    def add(self, course: Document, event: Document | None = None) -> None:
        """Insert a new course (``DuplicateKey`` on id clash) and its first audit event."""
        with self.store.transaction() as conn:
            self._insert(conn, course)
            self._event(conn, event)

    def add_many(self, courses: list[Document], events: list[Document]) -> None:
        """Insert many courses with their events in one atomic write (bulk import)."""
        with self.store.transaction() as conn:
            for course in courses:
                self._insert(conn, course)
            for event in events:
                self._event(conn, event)

    def replace(self, course: Document, expected_version: int,
                event: Document | None = None) -> Document:
        """Compare-and-set on ``row_version``; re-indexes and writes the event atomically."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT rid, row_version, doc FROM courses WHERE id = ?",
                               (course["id"],)).fetchone()
            if row is None or row[1] != expected_version:
                found = None if row is None else row[1]
                raise ConcurrentUpdate(f"course {course['id']}: row_version is {found}, "
                                       f"expected {expected_version}")
            rid, stored = row[0], loads(row[2])
            doc = dict(course)
            doc["row_version"] = expected_version + 1
            # The rating belongs to the reviews (set_rating), not to the writer's stale copy.
            doc["rating"] = stored.get("rating") or {"average": None, "count": 0}
            live = doc.get("live")
            if live is None:
                doc["search_seq"] = None
            elif live != stored.get("live") or stored.get("search_seq") is None:
                doc["search_seq"] = bump(conn, "search_seq")
            else:
                doc["search_seq"] = stored["search_seq"]
            conn.execute("UPDATE courses SET provider_id = ?, state = ?, row_version = ?, "
                         "doc = ? WHERE rid = ?",
                         (doc["provider_id"], doc["state"], doc["row_version"], dumps(doc), rid))
            if live != stored.get("live") or doc.get("published_at") != stored.get(
                    "published_at") or doc["search_seq"] != stored.get("search_seq"):
                unindex(conn, rid)
                if live is not None:
                    index(conn, rid, doc)
                touched(conn, rid)
            self._event(conn, event)
        return doc

    def set_rating(self, course_id: str, average: float | None, count: int) -> None:
        """Update the denormalised rating and its search columns, not ``row_version``."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT rid, doc FROM courses WHERE id = ?",
                               (course_id,)).fetchone()
            if row is None:
                return
            doc = loads(row[1])
            doc["rating"] = {"average": average, "count": int(count)}
            conn.execute("UPDATE courses SET doc = ? WHERE rid = ?", (dumps(doc), row[0]))
            conn.execute(
                "UPDATE course_search SET rating = ?, rating_key = ?, rating_count = ? "
                "WHERE rid = ?",
                (average, -1.0 if average is None else float(average), int(count), row[0]),
            )
            touched(conn, row[0])

    # -- reads ------------------------------------------------------------------------------

    def get(self, course_id: str) -> Document | None:
        """The whole course document."""
        rows = self.store.query("SELECT doc FROM courses WHERE id = ?", (course_id,))
        return loads(rows[0][0]) if rows else None

    def list_for_provider(self, provider_id: str | None, states: Iterable[str] | None = None,
                          limit: int = 50, after: str | None = None) -> list[Document]:
        """Courses of a provider (all when None), by id ascending after ``after``."""
        where: list[str] = []
        params: list[Any] = []
        if provider_id is not None:
            where.append("provider_id = ?")
            params.append(provider_id)
        if states is not None:
            wanted = list(states)
            where.append(f"state IN ({', '.join('?' * len(wanted))})" if wanted else "0")
            params += wanted
        if after is not None:
            where.append("id > ?")
            params.append(after)
        sql = "SELECT doc FROM courses"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id LIMIT ?"
        params.append(int(limit))
        return [loads(row[0]) for row in self.store.query(sql, params)]

    def audit_trail(self, course_id: str) -> list[Document]:
        """Every audit event of a course, oldest first."""
        rows = self.store.query(
            "SELECT doc FROM course_events WHERE course_id = ? ORDER BY seq", (course_id,))
        return [loads(row[0]) for row in rows]

    def count(self, state: str | None = None) -> int:
        """How many courses (in one state when given)."""
        if state is None:
            return int(self.store.query("SELECT count(*) FROM courses")[0][0])
        return int(self.store.query("SELECT count(*) FROM courses WHERE state = ?",
                                    (state,))[0][0])

    def catalogue_generation(self) -> int:
        """The ``search_generation`` counter: :func:`touched` moves it on every change of a
        course's search entry (publication, retirement, new live version, rating)."""
        rows = self.store.query("SELECT value FROM counters WHERE name = 'search_generation'")
        return int(rows[0][0]) if rows else 0

    def search(self, query: CourseQuery) -> CourseResults:
        """Catalogue search (see :func:`storage.sqlite.search.search`)."""
        # Inside a write, the index may hold uncommitted rows: never cache what it shows.
        cache = BitmapCache() if self.store.in_transaction else self._search_cache
        return search(self.store, cache, query)
