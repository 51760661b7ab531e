"""The in-process index recommendations read (issue 13 "Speed"): competency -> the published
courses and programs tagged with it, built from the live catalogue once and rebuilt only when
the catalogue changed.

Why in process: a learner's gap names a handful of competencies, and a 50,000-item catalogue
tags each competency of a 200-competency framework on a few hundred items. Reading those
candidates from the store on every request (or scanning the catalogue) would cost far more
than the 50 ms a recommendation may take; a dictionary lookup per gap costs microseconds.

Why it stays right: every call asks ``store.courses.catalogue_generation()`` (one indexed
read; the number moves on every publication, retirement, new live version and rating change).
When it moved, the call reads the live catalogue's *content key*: the last ``search_seq``
handed out and how many items search serves (one count query). Every change of content moves
the key: a publication or new live version takes a new ``search_seq``, a retirement alone
lowers the count. A changed key rebuilds the index at once. An unchanged key means only
ratings moved: the index is kept, and rebuilt for its ratings at most every
:data:`RATING_REFRESH_SECONDS` (a rating is a small part of the score; a 50,000-item rebuild
takes seconds, and reviews arrive all the time).

The generation and the key are read *before* the catalogue is, so a write that lands during a
build moves them again and the next call rebuilds. While one thread rebuilds, the others keep
answering from the previous index rather than queueing behind it; the first build of a store
is waited for. From :data:`BACKGROUND_FROM` items on, no request waits for a rebuild: it runs
in a background thread and requests answer from the previous index until it is done.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from storage.errors import StoreClosed
from storage.ports import Document, Store
from storage.ports.catalogue import CourseQuery

log = logging.getLogger(__name__)

#: Catalogue categories recommended: the issue ranks courses and programs (resources and
#: assessments are not something a learner takes to acquire a level).
RECOMMENDED_CATEGORIES = frozenset({"course", "program"})

#: Courses read per page while building.
PAGE = 1000

#: From this many recommendable items on, a rebuild runs in a background thread while
#: requests answer from the previous index (50,000 items take seconds to read); a smaller
#: catalogue is rebuilt by the request that sees the change, so it sees it at once.
BACKGROUND_FROM = 5000

#: How stale ratings may get: a catalogue change that changed only ratings rebuilds the index
#: at most this often.
RATING_REFRESH_SECONDS = 300.0

#: The ``mode`` share of an item's score per learning mode (DESIGN.md learning modes):
#: self-paced can be taken now, instructor-led needs a schedule, classroom travel and dates.
MODE_FACTOR: Mapping[str, float] = MappingProxyType(
    {"self-paced": 1.0, "instructor-led": 0.6, "classroom": 0.3})

#: An unrated item is ranked as if rated this (of 5).
UNRATED = 3.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs of one live catalogue item, read once at build time."""

    item_id: str
    category: str
    title: Mapping[str, str]
    mode: str | None
    languages: tuple[str, ...]  # as published
    primary_languages: frozenset[str]  # lower-cased primary subtags ("hi" of "hi-IN")
    minutes: int | None
    rating: float | None
    rating_count: int
    levels: Mapping[str, int]  # competency id -> the level the item is tagged at
    # The parts of the score that depend on the item alone, unweighted, computed once here
    # so that ranking a few thousand candidates costs a few arithmetic operations each:
    # rating of 5 (unrated: UNRATED), 240 / (240 + minutes) (unknown: 0.5), MODE_FACTOR.
    shares: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class CatalogueIndex:
    """The live catalogue at one generation and content key: every candidate by id, and by
    competency (each list ordered by level, then id)."""

    generation: int
    items: Mapping[str, Candidate]
    by_competency: Mapping[str, tuple[Candidate, ...]]
    #: per competency, the level of each of its candidates (the same order), for bisection
    levels: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: the content key (:func:`content_key`) read before the build, and when it was built
    key: tuple[int, int] = (0, 0)
    built_at: float = 0.0

    def candidates(self, competency: str) -> tuple[Candidate, ...]:
        """The items tagged with ``competency`` (none when no item is)."""
        return self.by_competency.get(competency, ())

    def above(self, competency: str, level: int) -> tuple[Candidate, ...]:
        """The items tagged with ``competency`` at a level above ``level``."""
        found = self.by_competency.get(competency, ())
        return found[bisect.bisect_right(self.levels.get(competency, ()), level):]


def primary(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower-cased (RFC 5646 §2.2.1)."""
    return tag.split("-", 1)[0].strip().lower()


def candidate(course: Document) -> Candidate | None:
    """The candidate of a course document, or None when it is not recommended (not live,
    another category, or tagged with no competency)."""
    live = course.get("live")
    if not isinstance(live, dict) or live.get("category") not in RECOMMENDED_CATEGORIES:
        return None
    levels: dict[str, int] = {}
    for tag in live.get("competencies") or []:
        if not isinstance(tag, dict) or not tag.get("id"):
            continue
        try:
            level = int(tag.get("level") or 0)
        except (TypeError, ValueError):
            continue
        # A course tagged twice with one competency teaches up to the higher level.
        levels[str(tag["id"])] = max(level, levels.get(str(tag["id"]), 0))
    if not levels:
        return None
    rating = course.get("rating") or {}
    languages = tuple(str(t) for t in live.get("languages") or [] if isinstance(t, str))
    raw = live.get("duration_minutes")
    minutes = int(raw) if isinstance(raw, int | float) else None
    average = rating.get("average")
    shares = ((average if average is not None else UNRATED) / 5.0,
              0.5 if minutes is None else 240.0 / (240.0 + max(0, minutes)),
              MODE_FACTOR.get(live.get("mode") or "", 0.0))
    return Candidate(
        item_id=course["id"], category=live["category"], title=live.get("title") or {},
        mode=live.get("mode"), languages=languages,
        primary_languages=frozenset(primary(t) for t in languages), minutes=minutes,
        rating=average, rating_count=int(rating.get("count") or 0),
        levels=MappingProxyType(levels), shares=shares)


def content_key(store: Store) -> tuple[int, int]:
    """``(last search_seq handed out, items search serves)``: moves on every change of the
    live catalogue's content, not on rating changes (see the module docstring)."""
    found = store.courses.search(CourseQuery(limit=0, facets=False))
    return found.snapshot, found.total


def build(store: Store, generation: int, key: tuple[int, int] = (0, 0)) -> CatalogueIndex:
    """Read the whole catalogue (by id, a page at a time) into a new index."""
    items: dict[str, Candidate] = {}
    grouped: dict[str, list[Candidate]] = {}
    after: str | None = None
    while True:
        page = store.courses.list_for_provider(None, None, limit=PAGE, after=after)
        for course in page:
            found = candidate(course)
            if found is None:
                continue
            items[found.item_id] = found
            for competency in found.levels:
                grouped.setdefault(competency, []).append(found)
        if len(page) < PAGE:
            break
        after = page[-1]["id"]
    by_competency = {comp: _by_level(comp, found) for comp, found in grouped.items()}
    levels = {comp: tuple(c.levels[comp] for c in found)
              for comp, found in by_competency.items()}
    return CatalogueIndex(generation, MappingProxyType(items), MappingProxyType(by_competency),
                          MappingProxyType(levels), key, time.monotonic())


def _by_level(competency: str, found: list[Candidate]) -> tuple[Candidate, ...]:
    return tuple(sorted(found, key=lambda c: (c.levels[competency], c.item_id)))


class _Holder:
    """The current index of one store and the lock its rebuild runs under."""

    def __init__(self) -> None:
        self.index: CatalogueIndex | None = None
        self.building = threading.Lock()
        #: a later generation at which the index's content key was found unchanged
        self.confirmed = -1


# Keyed by the store object, as marketplace.frac_catalog's cache: each store has its own
# catalogue, and a dropped store takes its index with it.
_holders: weakref.WeakKeyDictionary[Any, _Holder] = weakref.WeakKeyDictionary()
_holders_lock = threading.Lock()


def _holder(store: Store) -> _Holder:
    with _holders_lock:
        found = _holders.get(store)
        if found is None:
            found = _holders[store] = _Holder()
        return found


def current_index(store: Store) -> CatalogueIndex | None:
    """The index ``store``'s requests answer from now, without checking the catalogue (None
    before the first build)."""
    return _holder(store).index


def catalogue_index(store: Store) -> CatalogueIndex:
    """The index of ``store``'s live catalogue, rebuilt when its content changed (ratings:
    at most every :data:`RATING_REFRESH_SECONDS`)."""
    holder = _holder(store)
    generation = store.courses.catalogue_generation()
    current = holder.index
    if current is not None and generation in (current.generation, holder.confirmed):
        return current
    key = content_key(store)
    if current is not None and key == current.key and (
            time.monotonic() - current.built_at < RATING_REFRESH_SECONDS):
        holder.confirmed = generation  # only ratings moved: keep it, and stop asking
        return current
    # Someone is rebuilding: answer from the previous index rather than wait (it is at most
    # one catalogue change behind, and the next call sees the new one).
    if current is not None and not holder.building.acquire(blocking=False):
        return current
    if current is None:
        holder.building.acquire()
    elif len(current.items) >= BACKGROUND_FROM:
        # A large catalogue takes seconds to read: no request waits for it. The rebuild runs
        # beside the requests, which answer from the previous index until it is done.
        threading.Thread(target=_rebuild, args=(store, holder, generation, key),
                         name="recommendation-index", daemon=True).start()
        return current
    try:
        return _rebuild_locked(store, holder, generation, key)
    finally:
        holder.building.release()


def _rebuild_locked(store: Store, holder: _Holder, generation: int, key: tuple[int, int]
                    ) -> CatalogueIndex:
    """Build the index unless another build already reached ``generation`` (the caller holds
    ``holder.building``)."""
    current = holder.index
    if current is not None and current.generation >= generation:
        return current
    fresh = build(store, generation, key)
    holder.index = fresh
    return fresh


def _rebuild(store: Store, holder: _Holder, generation: int, key: tuple[int, int]) -> None:
    """A background rebuild (the caller acquired ``holder.building`` for it)."""
    try:
        _rebuild_locked(store, holder, generation, key)
    except StoreClosed:  # its app was torn down meanwhile: nothing to serve any more
        pass
    except Exception:  # the previous index keeps serving; the next call tries again
        log.exception("rebuilding the recommendation index failed")
    finally:
        holder.building.release()
