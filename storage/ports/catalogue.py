"""Ports of the catalogue: courses (with their vetting audit trail and search) and reviews.

What search offers (facet fields, duration bands, rating buckets, sort orders) is the
catalogue's vocabulary, kept in :mod:`storage.catalogue_index` beside the rules that index it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from storage.ports.document import Document


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
    competency_areas: tuple[str, ...] = ()  # areas of the tags (behavioural, functional, ...)
    competency_themes: tuple[str, ...] = ()  # theme node ids of the tags
    competency_levels: tuple[str, ...] = ()  # proficiency levels of the tags ("1".."5")
    program_items: tuple[str, ...] = ()  # item count bands of programs (PROGRAM_ITEM_BANDS)
    blended: tuple[str, ...] = ()  # "true" / "false": blended programs (courses have neither)
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
    ``competencies`` (list of ``{"id", "level"}``, with ``area`` and ``theme`` once validated
    against a FRAC framework: :mod:`marketplace.frac_tags`). The competency filters match any
    tag of the course each (a level filter and a competency filter may match different tags).

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

    def catalogue_generation(self) -> int:
        """A number that moves (never back) whenever what search serves changes: a course
        enters, leaves or changes in the live catalogue, or its rating changes. One cheap
        read, so in-process views of the catalogue (recommendations) can ask it on every
        request and rebuild only when it moved."""
        ...


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
