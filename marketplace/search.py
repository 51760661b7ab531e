"""Public catalogue search: query building, signed cursors, item and facet shaping.

The response is ``{"total", "items", "facets", "next"}``. ``next`` is an opaque cursor:
the JSON ``{"k": keyset, "s": snapshot, "f": query fingerprint}`` signed as every hub token is
(:mod:`hub.tokens`), so a client can neither forge a keyset nor reuse a cursor
with another query (400). The snapshot pins the page sequence to what was published when the
first page was served, so pages stay stable while courses are published.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import orjson

from catalogue_schemas.links import catalogue_item_url
from hub.errors import ValidationError
from hub.tokens import KeySource, TokenCodec, b64
from marketplace import frac_tags
from marketplace.frac_catalog import PublishedFrameworks, published
from storage.catalogue_index import FACET_FIELDS
from storage.ports import Document, Store
from storage.ports.catalogue import CourseQuery, CourseResults

#: SearchArgs name -> CourseQuery field, for the multi-valued filters.
_MULTI = {
    "provider": "providers", "language": "languages", "category": "categories",
    "mode": "modes", "level": "levels", "competency": "competencies",
    "competency_area": "competency_areas", "competency_theme": "competency_themes",
    "competency_level": "competency_levels", "duration": "duration_bands",
    "program_items": "program_items", "blended": "blended",
}

#: Filters whose values may be FRAC reference codes (resolved to node ids, as indexed).
_BY_CODE = ("competency", "competency_theme")

#: Public fields of a course's live version, in the order items show them.
PUBLIC_FIELDS = ("title", "description", "keywords", "category", "mode", "level", "duration",
                 "duration_minutes", "languages", "licence", "price", "certificate_offered",
                 "competencies", "version")


def fingerprint(args: Document) -> str:
    """A short digest of everything that defines the result sequence (not limit, cursor, facets),
    with multi-valued filters order-independent."""
    canon = {k: (sorted(v) if isinstance(v, list) else v)
             for k, v in sorted(args.items()) if k not in ("limit", "cursor", "facets", "lang")}
    return b64(hashlib.sha256(orjson.dumps(canon)).digest()[:12])


class CursorCodec:
    """Search cursors as :class:`hub.tokens.TokenCodec` tokens (the hub's one signing
    mechanism) under the hub's key (fixed, or a :class:`hub.tokens.SharedKey`)."""

    def __init__(self, key: KeySource) -> None:
        self._tokens = TokenCodec(key, "catalogue.cursor", "cursor")

    def encode(self, keys: tuple[Any, ...] | list[Any], snapshot: int, fp: str) -> str:
        """The opaque cursor for a keyset."""
        return self._tokens.dumps({"k": list(keys), "s": snapshot, "f": fp})

    def decode(self, cursor: str, fp: str) -> tuple[tuple[Any, ...], int]:
        """(keyset, snapshot) of a cursor made by :meth:`encode` for the same query; 400
        naming ``cursor`` when it was tampered with or belongs to another query."""
        data = self._tokens.loads(cursor)
        if not isinstance(data, dict) or data.get("f") != fp:
            raise ValidationError.for_field(
                "cursor", "this cursor belongs to a different query; start again without it")
        return tuple(data["k"]), int(data["s"])


class ProviderNames:
    """Organisation id -> name, cached per process for ``ttl`` seconds: search shows a name on
    every item and facet, and a store round trip each would blow the 25 ms budget."""

    def __init__(self, load: Callable[[str], Document | None], ttl: float = 300.0) -> None:
        self._load = load
        self._ttl = ttl
        self._names: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, org_id: str) -> str:
        """The name (the id itself when the organisation is gone)."""
        hit = self._names.get(org_id)
        now = time.monotonic()
        if hit is not None and hit[1] > now:
            return hit[0]
        org = self._load(org_id)
        name = org["name"] if org else org_id
        with self._lock:
            self._names[org_id] = (name, now + self._ttl)
        return name


def public_course(course: Document, provider_name: str, base_url: str,
                  tags: Callable[[list[Document]], list[Document]] | None = None) -> Document:
    """The public view of a course: its *live* version, provider, rating and URL; ``tags``
    shows its competency tags (:func:`marketplace.frac_tags.public_tag`, names in the
    request's language)."""
    live = course["live"] or {}
    item: Document = {"id": course["id"],
                      "provider": {"id": course["provider_id"], "name": provider_name}}
    for name in PUBLIC_FIELDS:
        item[name] = live.get(name)
    if tags is not None:
        item["competencies"] = tags(live.get("competencies") or [])
    item["delivery"] = {"type": (live.get("delivery") or {}).get("type")}
    item["published_at"] = course.get("published_at")
    item["rating"] = course.get("rating") or {"average": None, "count": 0}
    # A curated program (marketplace.programs) has its own page, listing its items.
    item["url"] = catalogue_item_url(base_url, course["id"])
    return item


def build_query(args: Document, codec: CursorCodec,
                frameworks: PublishedFrameworks | None = None) -> tuple[CourseQuery, str]:
    """The storage query for validated :class:`catalogue_schemas.search.SearchArgs`
    (``frameworks`` resolves reference codes in the competency filters)."""
    if (args.get("min_minutes") is not None and args.get("max_minutes") is not None
            and args["min_minutes"] > args["max_minutes"]):
        raise ValidationError.for_field("max_minutes", "must not be below min_minutes")
    fp = fingerprint(args)
    after: tuple[Any, ...] | None = None
    snapshot: int | None = None
    if args.get("cursor"):
        after, snapshot = codec.decode(args["cursor"], fp)
    text = (args.get("q") or "").strip() or None
    filters = {target: tuple(dict.fromkeys(str(v) for v in args.get(name) or ()))
               for name, target in _MULTI.items()}
    if frameworks is not None:
        for name in _BY_CODE:
            filters[_MULTI[name]] = frac_tags.filter_ids(frameworks, filters[_MULTI[name]])
    query = CourseQuery(
        text=text,
        **filters,
        min_minutes=args.get("min_minutes"),
        max_minutes=args.get("max_minutes"),
        min_rating=args.get("min_rating"),
        sort=args.get("sort") or "relevance",
        # one more than the page: tells whether a next page exists without a second query
        limit=(args.get("limit") or 20) + 1,
        after=after,
        snapshot=snapshot,
        facets=args.get("facets", True),
    )
    return query, fp


def shape_results(results: CourseResults, query: CourseQuery, fp: str, codec: CursorCodec,
                  names: Callable[[str], str], base_url: str,
                  frameworks: PublishedFrameworks | None = None,
                  lang: str | None = None) -> Document:
    """``{"total", "items", "facets", "next"}`` from a storage page; competency names (items
    and facets) in ``lang`` from ``frameworks``."""
    limit = query.limit - 1
    page = results.items[:limit]
    tags = None if frameworks is None else partial(frac_tags.show_tags, frameworks, lang)
    items = [public_course(c, names(c["provider_id"]), base_url, tags) for c in page]
    facets: dict[str, list[Document]] = {}
    for name in FACET_FIELDS:
        buckets = results.facets.get(name)
        if buckets is None:
            continue
        if name == "provider":
            facets[name] = [{"value": v, "count": n, "label": names(v)} for v, n in buckets]
        elif name in frac_tags.FACETS and frameworks is not None:
            facets[name] = [{"value": v, "count": n,
                             **frac_tags.facet_label(frameworks, name, v, lang)}
                            for v, n in buckets]
        else:
            facets[name] = [{"value": v, "count": n} for v, n in buckets]
    more = len(results.items) > limit
    nxt = codec.encode(results.keys[limit - 1], results.snapshot, fp) if more else None
    return {"total": results.total, "items": items, "facets": facets, "next": nxt}


def search_catalogue(store: Store, args: Document, codec: CursorCodec,
                     names: Callable[[str], str], base_url: str,
                     lang: str | None = None) -> Document:
    """Run one catalogue search for validated arguments; competency names in ``lang``."""
    frameworks = published(store)
    query, fp = build_query(args, codec, frameworks)
    results = store.courses.search(query)
    return shape_results(results, query, fp, codec, names, base_url, frameworks, lang)
