"""Public catalogue search: query building, signed cursors, item and facet shaping.

The response is ``{"total", "items", "facets", "next"}``. ``next`` is an opaque cursor:
base64url of the JSON ``{"k": keyset, "s": snapshot, "f": query fingerprint}`` followed by an
HMAC-SHA256 tag under the app secret, so a client can neither forge a keyset nor reuse a cursor
with another query (400). The snapshot pins the page sequence to what was published when the
first page was served, so pages stay stable while courses are published.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson

from hub.errors import ValidationError
from storage.ports import FACET_FIELDS, CourseQuery, CourseResults

Document = dict[str, Any]

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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fingerprint(args: Document) -> str:
    """A short digest of everything that defines the result sequence (not limit, cursor, facets),
    with multi-valued filters order-independent."""
    canon = {k: (sorted(v) if isinstance(v, list) else v)
             for k, v in sorted(args.items()) if k not in ("limit", "cursor", "facets")}
    return _b64(hashlib.sha256(orjson.dumps(canon)).digest()[:12])


class SharedKey:
    """A signing key every process of one hub shares, kept in the blob store (created on first
    use) for when ``HUB_SECRET_KEY`` is unset: ``make run`` serves with several gunicorn
    workers, and a cursor issued by one must be accepted by the others."""

    BLOB = "hub/keys/catalogue-cursor.key"

    def __init__(self, blobs: Any) -> None:
        self.blobs = blobs
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self, refresh: bool = False) -> bytes:
        """The key; ``refresh`` re-reads it (two workers may have raced to create it)."""
        with self._lock:
            if self._key is None or refresh:
                if not self.blobs.exists(self.BLOB):
                    self.blobs.put(self.BLOB, secrets.token_bytes(32))
                self._key = self.blobs.get(self.BLOB)
            return self._key


class CursorCodec:
    """Signs and checks search cursors with an HMAC key (fixed, or a :class:`SharedKey`)."""

    def __init__(self, key: bytes | Callable[..., bytes]) -> None:
        self._key = key

    def _tag(self, body: str, refresh: bool = False) -> str:
        key = self._key if isinstance(self._key, bytes) else self._key(refresh)
        return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:16])

    def _valid(self, body: str, tag: str) -> bool:
        if hmac.compare_digest(tag, self._tag(body)):
            return True
        # A shared key may have been replaced by a racing worker at first use: re-read once.
        return not isinstance(self._key, bytes) and hmac.compare_digest(
            tag, self._tag(body, refresh=True))

    def encode(self, keys: tuple[Any, ...] | list[Any], snapshot: int, fp: str) -> str:
        """The opaque cursor for a keyset."""
        body = _b64(orjson.dumps({"k": list(keys), "s": snapshot, "f": fp}))
        return f"{body}.{self._tag(body)}"

    def decode(self, cursor: str, fp: str) -> tuple[tuple[Any, ...], int]:
        """(keyset, snapshot) of a cursor made by :meth:`encode` for the same query; 400
        naming ``cursor`` when it was tampered with or belongs to another query."""
        body, _, tag = cursor.partition(".")
        if not tag or not self._valid(body, tag):
            raise ValidationError.for_field("cursor", "not a cursor this hub issued")
        try:
            data = orjson.loads(_unb64(body))
        except (binascii.Error, ValueError, orjson.JSONDecodeError):
            raise ValidationError.for_field("cursor", "malformed cursor") from None
        if data.get("f") != fp:
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


def search_catalogue(store: Any, args: Document, codec: CursorCodec,
                     names: Callable[[str], str], base_url: str) -> Document:
    """Run one catalogue search for validated arguments."""
    query, fp = build_query(args, codec)
    results = store.courses.search(query)
    return shape_results(results, query, fp, codec, names, base_url)
