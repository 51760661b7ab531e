"""SQLite repositories of the marketplace: organisations, credentials, courses, reviews.

Documents are kept whole as JSON text (orjson); the fields that queries filter or sort on are
copied into indexed columns. The search index of courses lives in ``course_search`` (one compact
row per searchable course), ``course_languages``/``course_competencies`` (multi-valued fields)
and the FTS5 table ``course_fts`` (see :mod:`storage.sqlite.courses`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from storage.catalogue_index import FTS5_TOKENIZE
from storage.errors import LastAdminCredential
from storage.ports import Document
from storage.ports.accounts import is_active_admin

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 3

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


def dumps(doc: Any) -> str:
    """JSON text of a document."""
    return orjson.dumps(doc).decode()


def loads(text: str | bytes) -> Any:
    """A document from its JSON text."""
    return orjson.loads(text)


class SqliteOrganisationRepository:
    """:class:`storage.ports.accounts.OrganisationRepository` over the ``organisations`` table."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, org: Document) -> None:
        """Insert (``DuplicateKey`` when the id or the name exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO organisations VALUES (?, ?, ?, ?)",
                         (org["id"], org["name"], org["kind"], dumps(org)))

    def _one(self, column: str, value: str) -> Document | None:
        rows = self.store.query(f"SELECT doc FROM organisations WHERE {column} = ?", (value,))
        return loads(rows[0][0]) if rows else None

    def get(self, org_id: str) -> Document | None:
        """The organisation with that id."""
        return self._one("id", org_id)

    def get_by_name(self, name: str) -> Document | None:
        """The organisation with that exact name."""
        return self._one("name", name)

    def list(self, kind: str | None = None) -> list[Document]:
        """All organisations (of one kind when given), ordered by name."""
        if kind is None:
            rows = self.store.query("SELECT doc FROM organisations ORDER BY name")
        else:
            rows = self.store.query(
                "SELECT doc FROM organisations WHERE kind = ? ORDER BY name", (kind,))
        return [loads(row[0]) for row in rows]

    def count(self) -> int:
        """How many organisations exist."""
        return int(self.store.query("SELECT count(*) FROM organisations")[0][0])


class SqliteCredentialRepository:
    """:class:`storage.ports.accounts.CredentialRepository` over the ``credentials`` table."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, credential: Document) -> None:
        """Insert (``DuplicateKey`` when the key exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO credentials VALUES (?, ?, ?, ?)",
                         (credential["key"], credential["org_id"],
                          credential.get("created_at"), dumps(credential)))

    def get(self, key: str) -> Document | None:
        """The credential with that key id."""
        rows = self.store.query("SELECT doc FROM credentials WHERE key = ?", (key,))
        return loads(rows[0][0]) if rows else None

    def list_for_org(self, org_id: str) -> list[Document]:
        """The organisation's credentials, oldest first."""
        rows = self.store.query(
            "SELECT doc FROM credentials WHERE org_id = ? ORDER BY created_at, key", (org_id,))
        return [loads(row[0]) for row in rows]

    def revoke(self, key: str, keep_last_admin: bool = False) -> bool:
        """Mark revoked; False when there is no such key. ``keep_last_admin``: the count of the
        other active admins is read inside the same write transaction (``BEGIN IMMEDIATE``
        holds the write lock), so no other revocation can slip in between."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM credentials WHERE key = ?", (key,)).fetchone()
            if row is None:
                return False
            doc = loads(row[0])
            if keep_last_admin and is_active_admin(doc) and not conn.execute(
                    "SELECT 1 FROM credentials, json_each(credentials.doc, '$.roles') AS role "
                    "WHERE role.value = 'admin' AND credentials.key != ? "
                    "AND NOT coalesce(json_extract(credentials.doc, '$.revoked'), 0) LIMIT 1",
                    (key,)).fetchone():
                raise LastAdminCredential(f"credential {key} is the last active admin")
            doc["revoked"] = True
            conn.execute("UPDATE credentials SET doc = ? WHERE key = ?", (dumps(doc), key))
            return True


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


def attach(store: SqliteStore) -> None:
    """Give ``store`` the marketplace repositories."""
    from storage.sqlite.courses import SqliteCourseRepository

    store.organisations = SqliteOrganisationRepository(store)  # type: ignore[attr-defined]
    store.credentials = SqliteCredentialRepository(store)  # type: ignore[attr-defined]
    store.courses = SqliteCourseRepository(store)  # type: ignore[attr-defined]
    store.reviews = SqliteReviewRepository(store)  # type: ignore[attr-defined]
