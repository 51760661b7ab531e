"""The storage ports: one small interface per job.

Domain code (``marketplace/``, ``xapi/``, ``lti/``) talks only to these. Each adapter
(``storage.sqlite``, ``storage.mongodb``) implements every repository; the contract suite in
``tests/storage/`` is the definition of "implements".

Documents cross the port as plain ``dict`` objects holding JSON-compatible values (str, int, float,
bool, None, list, dict). Timestamps are ISO 8601 strings in UTC with microseconds and a ``Z``
(``2026-11-25T07:33:14.123456Z``) so that they sort as text on every backend.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, runtime_checkable

from storage import json_text

Document = dict[str, Any]

# --------------------------------------------------------------------------------------------
# Organisations and credentials
# --------------------------------------------------------------------------------------------


@runtime_checkable
class OrganisationRepository(Protocol):
    """Organisations: ``{"id", "name", "kind", "country", "contact", "created_at"}``.

    ``id`` and ``name`` are each unique (``DuplicateKey`` on a clash).
    """

    def add(self, org: Document) -> None: ...
    def get(self, org_id: str) -> Document | None: ...
    def get_by_name(self, name: str) -> Document | None: ...
    def list(self, kind: str | None = None) -> list[Document]:
        """All organisations (of one kind when given), ordered by name."""
        ...

    def count(self) -> int: ...


def is_active_admin(credential: Document) -> bool:
    """Whether a credential document holds the ``admin`` role and is not revoked."""
    return not credential.get("revoked") and "admin" in credential.get("roles", ())


@runtime_checkable
class CredentialRepository(Protocol):
    """Credentials: ``{"key", "secret_hash", "org_id", "roles": [...], "created_at",
    "revoked": bool, "label"}``. ``key`` is unique. The secret itself is never stored."""

    def add(self, credential: Document) -> None: ...
    def get(self, key: str) -> Document | None: ...
    def list_for_org(self, org_id: str) -> list[Document]: ...
    def revoke(self, key: str, keep_last_admin: bool = False) -> bool:
        """Mark revoked; False when there is no such key. With ``keep_last_admin``, raise
        ``LastAdminCredential`` instead when ``key`` is the platform's last active credential
        with the ``admin`` role; the check and the write are one atomic step, so two admins
        revoking each other at once cannot leave none."""
        ...


# --------------------------------------------------------------------------------------------
# Courses (catalogue items) with their vetting audit trail, search and reviews
# --------------------------------------------------------------------------------------------

#: Facet fields of catalogue search, in response order.
FACET_FIELDS: tuple[str, ...] = (
    "provider",
    "language",
    "category",
    "mode",
    "level",
    "duration",
    "rating",
    "competency",
)

#: Duration bands (facet ``duration``): id -> [min minutes, max minutes) ; max None = open.
DURATION_BANDS: dict[str, tuple[int, int | None]] = {
    "lt1h": (0, 60),
    "1-4h": (60, 240),
    "4-10h": (240, 600),
    "10-40h": (600, 2400),
    "gt40h": (2400, None),
}

#: Rating buckets (facet ``rating``), cumulative like every marketplace: "4+" counts every course
#: whose average is >= 4. Unrated courses fall in none.
RATING_BUCKETS: dict[str, float] = {"4+": 4.0, "3+": 3.0, "2+": 2.0, "1+": 1.0}

#: Sort orders of catalogue search. Each sorts by its key, then by course id ascending.
#: relevance: best text match first (newest first when there is no text);
#: newest: published_at desc; title: English (else first) title asc, case-folded;
#: rating: average desc (unrated last), then count desc; duration: minutes asc.
SORT_ORDERS: tuple[str, ...] = ("relevance", "newest", "title", "rating", "duration")


@dataclass(frozen=True)
class CourseQuery:
    """One catalogue search over *published* courses (their live version only).

    Filters within one field are OR-ed, across fields AND-ed. Facet counts are disjunctive: the
    counts of field F apply every filter except F's own, so a UI can offer the other values of F.
    ``text`` matches every language of title, description and keywords; every token must match,
    each as a prefix (``admin`` matches ``administration``).
    """

    text: str | None = None
    providers: tuple[str, ...] = ()  # organisation ids
    languages: tuple[str, ...] = ()  # BCP 47 tags, matched case-insensitively on the full tag
    categories: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()  # competency ids in the course's tags
    duration_bands: tuple[str, ...] = ()  # keys of DURATION_BANDS
    min_minutes: int | None = None
    max_minutes: int | None = None
    min_rating: float | None = None
    sort: str = "relevance"
    limit: int = 20
    #: keyset of the last item of the previous page (as returned in ``CourseResults.keys``)
    after: tuple[Any, ...] | None = None
    #: only courses with ``search_seq <= snapshot``; set from the first page so that pages
    #: stay stable while other courses are published.
    snapshot: int | None = None
    facets: bool = True


@dataclass
class CourseResults:
    """A page of search results."""

    total: int  # matches of the whole query (all pages), within the snapshot
    items: list[Document]  # course documents (whole stored course; the service shapes them)
    keys: list[tuple[Any, ...]]  # keyset of each item, JSON-serialisable values only
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    snapshot: int = 0  # the snapshot used (the current max search_seq when none was given)


@runtime_checkable
class CourseRepository(Protocol):
    """Courses as whole aggregates.

    A course document::

        {"id", "provider_id", "state", "row_version": int,
         "revision": {...content...}, "revision_number": int,
         "live": {...content...} | None, "live_version": int | None,
         "created_at", "updated_at", "published_at": str | None,
         "rating": {"average": float | None, "count": int},
         "search_seq": int | None}

    ``live`` is what search and the public catalogue serve; it is not None exactly when the
    course is searchable (state published, or a revision of a published course in progress).
    A retired course has ``live`` None. Content fields used by search (in ``live``):
    ``title`` and ``description`` (language maps), ``keywords`` (list of str), ``category``,
    ``mode``, ``level``, ``languages`` (list), ``duration_minutes`` (int),
    ``competencies`` (list of ``{"id", "level"}``).

    ``search_seq`` is assigned by the repository from a monotonically increasing counter every
    time ``live`` changes to non-None (so a page snapshot excludes later publications).

    Audit events (``{"id", "course_id", "at", "actor", "org_id", "from", "to", "action",
    "comment"}``) are written in the same atomic write as the course change.
    """

    def add(self, course: Document, event: Document | None = None) -> None:
        """Insert a new course (``DuplicateKey`` on id clash) and its first audit event."""
        ...

    def add_many(self, courses: list[Document], events: list[Document]) -> None:
        """Insert many courses with their events in one atomic write (bulk import)."""
        ...

    def get(self, course_id: str) -> Document | None: ...

    def replace(
        self, course: Document, expected_version: int, event: Document | None = None
    ) -> Document:
        """Compare-and-set: store ``course`` if the stored ``row_version`` equals
        ``expected_version``, with ``row_version`` incremented, else ``ConcurrentUpdate``.
        Maintains the search index from ``course["live"]`` atomically. Returns the stored doc."""
        ...

    def list_for_provider(
        self, provider_id: str | None, states: Iterable[str] | None = None, limit: int = 50,
        after: str | None = None,
    ) -> list[Document]:
        """Courses of a provider (all providers when None), by id ascending after ``after``."""
        ...

    def audit_trail(self, course_id: str) -> list[Document]:
        """Every audit event of a course, oldest first."""
        ...

    def search(self, query: CourseQuery) -> CourseResults: ...

    def set_rating(self, course_id: str, average: float | None, count: int) -> None:
        """Update the denormalised rating (and its search index) without touching row_version."""
        ...

    def count(self, state: str | None = None) -> int: ...


@runtime_checkable
class ReviewRepository(Protocol):
    """Learner ratings and reviews: ``{"course_id", "learner_id", "org_id", "rating": 1..5,
    "text", "created_at", "updated_at"}``, unique per (course_id, learner_id)."""

    def upsert(self, review: Document) -> tuple[bool, float | None, int]:
        """Insert or replace a learner's review; returns (created, new average, new count).
        Also updates the course's denormalised rating (as ``CourseRepository.set_rating``)."""
        ...

    def list_for_course(
        self, course_id: str, limit: int = 50, after: str | None = None
    ) -> list[Document]:
        """Newest first (by updated_at then learner_id); ``after`` is an opaque cursor
        returned as ``review["cursor"]`` of the previous page's last item."""
        ...


# --------------------------------------------------------------------------------------------
# Blobs (content packages, xAPI attachments)
# --------------------------------------------------------------------------------------------


@runtime_checkable
class BlobStore(Protocol):
    """Immutable-by-convention blobs under string keys (``a/b/c``; no leading slash, no ``..``)."""

    def put(
        self, key: str, data: bytes | BinaryIO, content_type: str = "application/octet-stream"
    ) -> int:
        """Store; returns the size in bytes. Streams large files (S3 multipart over 8 MB)."""
        ...

    def get(self, key: str) -> bytes:
        """The whole blob, ``BlobNotFound`` if absent."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """Stream the blob in chunks, ``BlobNotFound`` if absent."""
        ...

    def exists(self, key: str) -> bool: ...
    def content_type(self, key: str) -> str:
        """The content type given at ``put``, ``BlobNotFound`` if absent."""
        ...

    def delete(self, key: str) -> bool: ...
    def url(self, key: str, expires: int = 3600) -> str | None:
        """A time-limited direct download URL (presigned GET on S3); None for directory stores."""
        ...

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the store cannot be reached."""
        ...


# --------------------------------------------------------------------------------------------
# The store: one object per backend giving every repository
# --------------------------------------------------------------------------------------------


class Store(Protocol):
    """A backend's set of repositories. Each adapter's ``open_store(url)`` returns one.

    Repositories of later capabilities (xAPI statements and documents, LTI registrations, FRAC)
    are added here as attributes by the issue that needs them.
    """

    organisations: OrganisationRepository
    credentials: CredentialRepository
    courses: CourseRepository
    reviews: ReviewRepository

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the backend cannot be reached."""
        ...

    def close(self) -> None: ...


# --------------------------------------------------------------------------------------------
# xAPI: statements, documents (State, Activity Profile, Agent Profile), activities
# --------------------------------------------------------------------------------------------

# Every store gives them as ``store.statements`` (StatementRepository), ``store.xapi_documents``
# (DocumentRepository) and ``store.activities`` (ActivityRepository).
#
# Each organisation's LRS is its own store (as Learning Locker's stores are): statement ids are
# unique per organisation, voiding and StatementRef keys reach only the same organisation's
# statements, and documents and activity definitions are keyed by organisation. Only reads with
# ``org_id=None`` (a platform administrator's) cross organisations.

#: Kinds of xAPI document (Communication 2.3 State, 2.6 Activity Profile, 2.7 Agent Profile).
XAPI_DOCUMENT_KINDS: tuple[str, ...] = ("state", "activity-profile", "agent-profile")


@dataclass
class StatementRecord:
    """One statement to store, with the index keys the LRS computed from it (``xapi/``).

    ``keys`` are opaque strings; a query matches a statement when every key of the query is among
    the statement's keys. The LRS builds them (``"verb|<iri>"``, ``"agent|<ifi>"``,
    ``"agent*|<ifi>"`` for related agents, ``"act|<iri>"``, ``"act*|<iri>"``, ``"reg|<uuid>"``) so
    adapters never look inside a statement. A related key ``kind*|v`` is always accompanied by
    its direct form ``kind|v`` when that applies (related sets are supersets), so an adapter may
    store only ``kind|v`` and match a query for ``kind*|v`` against either (the SQLite adapter
    does, to write fewer index entries). ``fingerprint`` identifies the statement's content:
    a re-insert of the same id with the same fingerprint is a no-op, with another one a conflict.
    """

    id: str
    statement: Document  # the statement as stored; the repository fills in ``stored``
    fingerprint: str
    keys: tuple[str, ...]
    voids: str | None = None  # id of the statement this voiding statement voids
    ref: str | None = None  # id targeted by a StatementRef object (the LRS already merged the
    # target's keys into ``keys``; informational for adapters)
    org_id: str | None = None  # organisation of the credential that stored it


@dataclass(frozen=True)
class StatementQuery:
    """A page of ``GET /xapi/statements`` (xAPI 1.0.3 Communication 2.1.3). Voided statements
    never match. ``since``/``until`` compare with ``stored`` (``stored > since``,
    ``stored <= until``). ``cursor`` is the opaque ``StatementPage.cursor`` of the previous page
    of the same query."""

    keys: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    ascending: bool = False
    limit: int = 100
    cursor: str | None = None
    org_id: str | None = None  # only statements stored by this organisation


@dataclass
class StatementPage:
    """Statements of one page, ordered by ``stored`` (then insertion); ``cursor`` continues the
    same query after the last one, None when the query is exhausted.

    ``bodies`` are the statements as the adapter keeps them (JSON text, exactly the stored
    statement), so that a page served unchanged (``format=exact``) is never parsed and
    re-serialised; ``statements`` parses them on first use."""

    bodies: list[str]
    cursor: str | None = None
    orgs: list[str | None] = field(default_factory=list)  # each body's organisation

    @functools.cached_property
    def statements(self) -> list[Document]:
        """The statements as objects."""
        return [json_text.loads(body, None) for body in self.bodies]


@runtime_checkable
class StatementRepository(Protocol):
    """xAPI statements, immutable once stored."""

    def insert(self, records: list[StatementRecord]) -> tuple[str, list[str]]:
        """Store a batch atomically; returns ``(stored, ids newly stored)``.

        One transaction: a record whose id exists in its organisation (``record.org_id``) with
        the same fingerprint is skipped, with a different one raises ``DuplicateKey`` and nothing
        of the batch is stored; the same id in another organisation is another statement. The
        repository sets ``statement["stored"]`` (one timestamp for the batch, taken inside the
        write so that stored order is commit order where the backend allows) and marks the
        ``voids`` target of the record's own organisation voided (Data 2.3.2). Keys are stored
        as given (the LRS merged in a StatementRef target's keys, Communication 2.1.3 "Filter
        Conditions for StatementRefs")."""
        ...

    def get(self, statement_id: str, org_id: str | None = None) -> Document | None:
        """``{"statement": {...}, "voided": bool, "voids": str | None, "org_id": str | None}``
        or None: the statement of organisation ``org_id`` under that id; with ``org_id`` None
        (reading across organisations) the earliest stored one under that id."""
        ...

    def get_many(self, ids: Iterable[str], org_id: str | None = None) -> dict[str, Document]:
        """As ``get`` for several ids; absent ids are left out."""
        ...

    def query(self, query: StatementQuery) -> StatementPage: ...

    def scan(self, cursor: str | None, limit: int) -> StatementPage:
        """Every statement of every organisation, voided ones included, oldest first, a page
        at a time (``cursor`` None for the first): for maintenance, never for requests."""
        ...

    def count(self) -> int: ...


@dataclass(frozen=True)
class DocumentKey:
    """Where an xAPI document lives. Fields that do not apply to the kind are ``""``; ``agent`` is
    the LRS's canonical string of the Agent's IFI, ``registration`` ``""`` when none;
    ``org_id`` the organisation whose LRS holds it (required: no document is global)."""

    kind: str  # one of XAPI_DOCUMENT_KINDS
    doc_id: str  # stateId or profileId
    activity_id: str = ""
    agent: str = ""
    registration: str = ""
    org_id: str = field(kw_only=True)


@runtime_checkable
class DocumentRepository(Protocol):
    """xAPI documents: ``{"content": bytes, "content_type": str, "etag": str, "updated": str}``.

    Writes are compare-and-set on the etag so that If-Match / If-None-Match (Communication
    3.1) and JSON merges hold under concurrency."""

    def get(self, key: DocumentKey) -> Document | None: ...

    def save(self, key: DocumentKey, doc: Document, expected_etag: str | None) -> None:
        """Store ``doc`` if the stored etag equals ``expected_etag`` (None: must not exist),
        else raise ``ConcurrentUpdate``."""
        ...

    def delete(self, key: DocumentKey) -> bool:
        """Delete one document; False when absent."""
        ...

    def list_ids(
        self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
        registration: str | None = None, since: str | None = None,
    ) -> list[str]:
        """Ids of organisation ``org_id``'s documents in a scope updated after ``since``;
        ``registration`` None matches every registration (State), ``""`` only documents
        without one."""
        ...

    def delete_many(
        self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
        registration: str | None = None,
    ) -> int:
        """Delete every document of a scope of organisation ``org_id`` (State multi-delete);
        returns how many."""
        ...


@runtime_checkable
class ActivityRepository(Protocol):
    """Canonical Activity objects (``{"id", "objectType": "Activity", "definition": {...}}``),
    as merged by the LRS from the statements each organisation accepted (Communication 2.5):
    one per (organisation, activity id)."""

    def get_many(self, org_id: str, ids: Iterable[str]) -> dict[str, Document]: ...

    def put_many(self, org_id: str, activities: list[Document]) -> None:
        """Insert or replace organisation ``org_id``'s whole activity objects (keyed by
        ``id``)."""
        ...


# --------------------------------------------------------------------------------------------
# xAPI statement forwarding: downstream LRS registrations and their durable outbox
# --------------------------------------------------------------------------------------------


@runtime_checkable
class ForwardingRepository(Protocol):
    """``store.forwarding``: where an organisation's statements are forwarded (``xapi/forwarding``).

    A forwarder: ``{"id", "org_id", "url", "username", "password", "verbs": [...],
    "activity_prefixes": [...], "active": bool, "label", "created_at", "created_by", "sent": int,
    "failed": int, "attempts": int (consecutive failures), "last_error", "last_error_at",
    "last_sent_at", "next_attempt_at", "lease_owner", "lease_until"}``.

    Outbox entries: ``{"forwarder_id", "statement_id", "statement": {...}, "enqueued_at"}``; the
    repository assigns ``seq`` (ascending in enqueue order per forwarder). A dead letter is an
    entry the downstream refused for good: kept with its ``error``, never pending again.
    """

    def add(self, forwarder: Document) -> None: ...
    def get(self, forwarder_id: str) -> Document | None: ...
    def list(self, org_id: str | None = None) -> list[Document]:
        """Forwarders of one organisation (all when None), oldest first."""
        ...

    def active_for_org(self, org_id: str) -> list[Document]:
        """The active forwarders of an organisation (read on every ingested batch: indexed)."""
        ...

    def update(self, forwarder_id: str, changes: Document,
               inc: dict[str, int] | None = None) -> bool:
        """Set ``changes`` and add ``inc`` to counters in one write; False when absent."""
        ...

    def enqueue(self, entries: list[Document]) -> None:
        """Append outbox entries. On SQLite it joins the caller's open transaction (the one
        that stores the statements), so both commit or neither."""
        ...

    def pending(self, forwarder_id: str, limit: int) -> list[Document]:
        """The oldest ``limit`` live (not dead) entries of a forwarder, each with its ``seq``."""
        ...

    def remove(self, forwarder_id: str, seqs: list[int]) -> int:
        """Delete delivered entries; returns how many were deleted."""
        ...

    def bury(self, forwarder_id: str, seq: int, error: str) -> None:
        """Make an entry a dead letter with the downstream's error."""
        ...

    def counts(self, forwarder_id: str) -> tuple[int, int]:
        """(pending entries, dead letters) of a forwarder."""
        ...

    def due(self, now: str) -> list[str]:
        """Ids of active forwarders with pending entries whose ``next_attempt_at`` is unset or
        not after ``now``."""
        ...

    def lease(self, forwarder_id: str, owner: str, now: str, until: str) -> bool:
        """Compare-and-set: take the forwarder for ``owner`` until ``until`` when nobody holds
        it or the holder's lease ended before ``now``. True when taken."""
        ...

    def release(self, forwarder_id: str, owner: str) -> None:
        """Give the lease back (only when ``owner`` still holds it)."""
        ...

    def revive(self, forwarder_id: str) -> int:
        """Make every dead letter pending again (after the downstream was fixed); returns
        how many."""
        ...

    def delete(self, forwarder_id: str) -> bool:
        """Remove a forwarder and its whole outbox; False when absent."""
        ...
