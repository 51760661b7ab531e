"""SQLite repositories of the marketplace: organisations, credentials, courses, reviews.

A module of :data:`storage.sqlite.store.REPOSITORY_MODULES`: ``SCHEMA`` (at ``SCHEMA_VERSION``)
creates the tables, ``attach(store)`` sets the repositories on the store (the repositories are
in :mod:`storage.sqlite.organisations`, :mod:`storage.sqlite.courses`,
:mod:`storage.sqlite.reviews`).

Documents are kept whole as JSON text (orjson); the fields that queries filter or sort on are
copied into indexed columns. The search index of courses lives in ``course_search`` (one compact
row per searchable course), ``course_languages``/``course_competencies``/``course_tags``
(multi-valued fields)
and the FTS5 table ``course_fts`` (see :mod:`storage.sqlite.courses`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.catalogue_index import FTS5_TOKENIZE
from storage.sqlite.courses import SqliteCourseRepository
from storage.sqlite.organisations import SqliteCredentialRepository, SqliteOrganisationRepository
from storage.sqlite.reviews import SqliteReviewRepository

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 4

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS organisations (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS organisations_kind ON organisations (kind, name)",
    """CREATE TABLE IF NOT EXISTS credentials (
        key TEXT PRIMARY KEY, org_id TEXT NOT NULL, created_at TEXT, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS credentials_org ON credentials (org_id, created_at, key)",
    """CREATE TABLE IF NOT EXISTS courses (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, provider_id TEXT NOT NULL,
        state TEXT NOT NULL, row_version INTEGER NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS courses_provider ON courses (provider_id, id)",
    "CREATE INDEX IF NOT EXISTS courses_state ON courses (state, id)",
    """CREATE TABLE IF NOT EXISTS course_events (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, course_id TEXT NOT NULL,
        doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS course_events_course ON course_events (course_id, seq)",
    # One compact row per searchable course (live not None). rating_key is the rating average
    # with unrated courses as -1 so that "unrated last" is an index order.
    """CREATE TABLE IF NOT EXISTS course_search (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL, seq INTEGER NOT NULL, provider TEXT,
        category TEXT, mode TEXT, level TEXT, minutes INTEGER NOT NULL, band TEXT,
        rating REAL, rating_key REAL NOT NULL, rating_count INTEGER NOT NULL,
        title_sort TEXT NOT NULL, published_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS course_search_newest ON course_search (published_at DESC, id)",
    "CREATE INDEX IF NOT EXISTS course_search_title ON course_search (title_sort, id)",
    """CREATE INDEX IF NOT EXISTS course_search_rating
        ON course_search (rating_key DESC, rating_count DESC, id)""",
    "CREATE INDEX IF NOT EXISTS course_search_minutes ON course_search (minutes, id)",
    "CREATE INDEX IF NOT EXISTS course_search_id ON course_search (id)",
    "CREATE INDEX IF NOT EXISTS course_search_provider ON course_search (provider)",
    "CREATE INDEX IF NOT EXISTS course_search_mode ON course_search (mode)",
    "CREATE INDEX IF NOT EXISTS course_search_level ON course_search (level)",
    "CREATE INDEX IF NOT EXISTS course_search_category ON course_search (category)",
    """CREATE TABLE IF NOT EXISTS course_languages (
        lang TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (lang, rid)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS course_languages_rid ON course_languages (rid)",
    """CREATE TABLE IF NOT EXISTS course_competencies (
        comp TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (comp, rid)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS course_competencies_rid ON course_competencies (rid)",
    # The other multi-valued facets of competency tags (storage.sqlite.courses.TAG_FACETS):
    # area, theme and level of every tag. Version 4; a store written before indexes its
    # courses' tags here as each course is next written (hub frac migrate-tags writes them).
    """CREATE TABLE IF NOT EXISTS course_tags (
        facet TEXT NOT NULL, value TEXT NOT NULL, rid INTEGER NOT NULL,
        PRIMARY KEY (facet, value, rid)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS course_tags_rid ON course_tags (rid)",
    # rowid = courses.rid. Text is fed already tokenised by storage.catalogue_index.tokenize.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS course_fts USING fts5(
        title, keywords, description, tokenize="{FTS5_TOKENIZE}", prefix='2 3')""",
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    # Which course each search_generation touched, so that every process can patch its
    # in-memory search bitmaps instead of rebuilding them (storage.sqlite.search_bitmaps).
    """CREATE TABLE IF NOT EXISTS search_changes (
        generation INTEGER PRIMARY KEY, rid INTEGER NOT NULL)""",
    "INSERT OR IGNORE INTO counters VALUES ('search_seq', 0), ('search_generation', 0)",
    """CREATE TABLE IF NOT EXISTS reviews (
        course_id TEXT NOT NULL, learner_id TEXT NOT NULL, rating INTEGER NOT NULL,
        updated_at TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (course_id, learner_id))""",
    "CREATE INDEX IF NOT EXISTS reviews_newest ON reviews (course_id, updated_at DESC, learner_id)",
)


def attach(store: SqliteStore) -> None:
    """Give ``store`` the marketplace repositories."""
    store.organisations = SqliteOrganisationRepository(store)
    store.credentials = SqliteCredentialRepository(store)
    store.courses = SqliteCourseRepository(store)
    store.reviews = SqliteReviewRepository(store)
