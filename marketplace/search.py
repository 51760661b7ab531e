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
from typing import Any

import orjson

from hub.errors import ValidationError
from hub.tokens import KeySource, TokenCodec, b64
from storage.catalogue_index import FACET_FIELDS
from storage.ports import Document, Store
from storage.ports.catalogue import CourseQuery, CourseResults

#: SearchArgs name -> CourseQuery field, for the multi-valued filters.
_MULTI = {
    "provider": "providers", "language": "languages", "category": "categories",
    "mode": "modes", "level": "levels", "competency": "competencies",
    "duration": "duration_bands",
}

#: Public fields of a course's live version, in the order items show them.
PUBLIC_FIELDS = ("title", "description", "keywords", "category", "mode", "level", "duration",
                 "duration_minutes", "languages", "licence", "price", "certificate_offered",
                 "competencies", "version")


def fingerprint(args: Document) -> str:
    """A short digest of everything that defines the result sequence (not limit, cursor, facets),
    with multi-valued filters order-independent."""
    canon = {k: (sorted(v) if isinstance(v, list) else v)
             for k, v in sorted(args.items()) if k not in ("limit", "cursor", "facets")}
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


def public_course(course: Document, provider_name: str, base_url: str) -> Document:
    """The public view of a course: its *live* version, provider, rating and URL."""
    live = course["live"] or {}
    item: Document = {"id": course["id"],
                      "provider": {"id": course["provider_id"], "name": provider_name}}
    for name in PUBLIC_FIELDS:
        item[name] = live.get(name)
    item["delivery"] = {"type": (live.get("delivery") or {}).get("type")}
    item["published_at"] = course.get("published_at")
    item["rating"] = course.get("rating") or {"average": None, "count": 0}
    item["url"] = f"{base_url}/catalogue/courses/{course['id']}"
    return item


def build_query(args: Document, codec: CursorCodec) -> tuple[CourseQuery, str]:
    """The storage query for validated :class:`catalogue_schemas.search.SearchArgs`."""
    if (args.get("min_minutes") is not None and args.get("max_minutes") is not None
            and args["min_minutes"] > args["max_minutes"]):
        raise ValidationError.for_field("max_minutes", "must not be below min_minutes")
    fp = fingerprint(args)
    after: tuple[Any, ...] | None = None
    snapshot: int | None = None
    if args.get("cursor"):
        after, snapshot = codec.decode(args["cursor"], fp)
    text = (args.get("q") or "").strip() or None
    query = CourseQuery(
        text=text,
        **{target: tuple(dict.fromkeys(args.get(name) or ())) for name, target in _MULTI.items()},
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
                  names: Callable[[str], str], base_url: str) -> Document:
    """``{"total", "items", "facets", "next"}`` from a storage page."""
    limit = query.limit - 1
    page = results.items[:limit]
    items = [public_course(c, names(c["provider_id"]), base_url) for c in page]
    facets: dict[str, list[Document]] = {}
    for name in FACET_FIELDS:
        buckets = results.facets.get(name)
        if buckets is None:
            continue
        if name == "provider":
            facets[name] = [{"value": v, "count": n, "label": names(v)} for v, n in buckets]
        else:
            facets[name] = [{"value": v, "count": n} for v, n in buckets]
    more = len(results.items) > limit
    nxt = codec.encode(results.keys[limit - 1], results.snapshot, fp) if more else None
    return {"total": results.total, "items": items, "facets": facets, "next": nxt}


def search_catalogue(store: Store, args: Document, codec: CursorCodec,
                     names: Callable[[str], str], base_url: str) -> Document:
    """Run one catalogue search for validated arguments."""
    query, fp = build_query(args, codec)
    results = store.courses.search(query)
    return shape_results(results, query, fp, codec, names, base_url)
