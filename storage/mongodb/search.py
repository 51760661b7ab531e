"""Catalogue search on MongoDB: filters, prefix text match, relevance, facets, keyset pages.

The index entry of a course is its ``_idx`` sub-document (built from
:func:`storage.catalogue_index.index_fields`, see :mod:`storage.mongodb.courses`).

Text: MongoDB's ``$text`` has no stemmer or tokenizer for Indian languages, so the hub uses the
same tokenizer as SQLite (:func:`storage.catalogue_index.tokenize`) and stores the words in a
multikey-indexed ``_idx.terms`` array. Each query token is matched as a word prefix with an
anchored, escaped regular expression (``^token``), which MongoDB answers from the index as a
range scan. Every token must match (:class:`storage.ports.catalogue.CourseQuery`).

Relevance is deterministic: per token, 4 when it prefixes a title word, else 2 for a keyword,
else 1 (description); the score is the sum, ties broken by course id.

Facets: one ``$facet`` stage computes the total and, per field, counts under every filter
except the field's own (:func:`storage.catalogue_index.facet_filters_except`).

Snapshot: the default snapshot is the ``counters`` value, read before the queries. Unlike
SQLite's read transaction, the items query and the facet query are two reads, and a course whose
``search_seq`` was handed out just before the snapshot may be written just after; such a course
can show up from the next page on. Keyset pages never repeat or skip a course that was visible
throughout.
"""

from __future__ import annotations

import re
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database

from storage.catalogue_index import (
    FACET_FIELDS,
    RATING_BUCKETS,
    RELEVANCE_WEIGHTS,
    SORT_ORDERS,
    VALUE_FILTERS,
    facet_filters_except,
    facet_order,
    parse_text_query,
)
from storage.ports.catalogue import CourseQuery, CourseResults

#: ``_idx`` path of each facet field's values.
FACET_PATHS: dict[str, str] = {
    "provider": "_idx.provider_id",
    "language": "_idx.languages",
    "category": "_idx.category",
    "mode": "_idx.mode",
    "level": "_idx.level",
    "duration": "_idx.duration_band",
    "rating": "_idx.rating_buckets",
    "competency": "_idx.competencies",
    "competency_area": "_idx.competency_areas",
    "competency_theme": "_idx.competency_themes",
    "competency_level": "_idx.competency_levels",
    "program_items": "_idx.program_items",
    "blended": "_idx.blended",
}

#: Score of a token by the field it prefixes a word of (best field wins).
TITLE_WEIGHT, KEYWORD_WEIGHT, OTHER_WEIGHT = (
    RELEVANCE_WEIGHTS["title"], RELEVANCE_WEIGHTS["keywords"], RELEVANCE_WEIGHTS["description"])

#: Sort order -> ``(path, direction)`` keys, each ending with the course id for a total order.
SORT_KEYS: dict[str, tuple[tuple[str, int], ...]] = {
    "relevance": (("_score", -1), ("_id", 1)),
    "newest": (("_idx.published_at", -1), ("_id", 1)),
    "title": (("_idx.title_sort", 1), ("_id", 1)),
    "rating": (("_idx.rating_sort", -1), ("_idx.rating_count", -1), ("_id", 1)),
    "duration": (("_idx.minutes_sort", 1), ("_id", 1)),
}

#: Rating sort key of an unrated course: below every real average (1..5), so it sorts last.
UNRATED = -1.0


def rating_sort_key(average: float | None) -> float:
    """Sort key of a rating average; never null, so keyset comparisons stay simple."""
    return UNRATED if average is None else float(average)


def minutes_sort_key(minutes: int | None) -> int:
    """Sort and filter key of a duration: a course without one counts as 0 minutes, as in the
    SQLite adapter's ``minutes`` column."""
    return int(minutes or 0)


def rating_buckets(average: float | None) -> list[str]:
    """The cumulative rating buckets an average falls in (``4.2`` -> ``["4+", "3+", ...]``)."""
    if average is None:
        return []
    return [bucket for bucket, low in RATING_BUCKETS.items() if average >= low]


def ensure_indexes(db: Database[Any]) -> None:
    """The indexes search uses: the multikey text index, one per filter, one per sort order."""
    courses = db.courses
    courses.create_index([("_idx.terms", 1), ("_idx.seq", 1)], name="idx_terms")
    for field, path in FACET_PATHS.items():
        courses.create_index([(path, 1), ("_idx.seq", 1)], name=f"idx_{field}")
    courses.create_index([("_idx.rating_average", 1)], name="idx_rating_average")
    for order, keys in SORT_KEYS.items():
        if order != "relevance":
            courses.create_index(list(keys), name=f"sort_{order}")


def _prefix(token: str) -> str:
    return "^" + re.escape(token)


def filter_conditions(query: CourseQuery) -> list[dict[str, Any]]:
    """The field filters of ``query`` (no text, no snapshot), to be AND-ed."""
    conditions: list[dict[str, Any]] = []
    for facet_field, attr in VALUE_FILTERS.items():
        values = getattr(query, attr)
        if facet_field == "language":  # BCP 47 tags match case-insensitively
            values = tuple(tag.lower() for tag in values)
        if values:
            conditions.append({FACET_PATHS[facet_field]: {"$in": list(values)}})
    if query.duration_bands:
        conditions.append({"_idx.duration_band": {"$in": list(query.duration_bands)}})
    if query.min_minutes is not None:
        conditions.append({"_idx.minutes_sort": {"$gte": int(query.min_minutes)}})
    if query.max_minutes is not None:
        conditions.append({"_idx.minutes_sort": {"$lte": int(query.max_minutes)}})
    if query.min_rating is not None:
        conditions.append({"_idx.rating_average": {"$gte": float(query.min_rating)}})
    return conditions


def base_conditions(tokens: list[str], snapshot: int) -> list[dict[str, Any]]:
    """What every part of a search shares: searchable within the snapshot, and the text."""
    conditions: list[dict[str, Any]] = [{"_idx.seq": {"$lte": snapshot}}]
    conditions.extend({"_idx.terms": {"$regex": _prefix(tok)}} for tok in tokens)
    return conditions


def _and(conditions: list[dict[str, Any]]) -> dict[str, Any]:
    if not conditions:
        return {}
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _prefixes_a_word(path: str, token: str) -> dict[str, Any]:
    matching = {"$filter": {"input": {"$ifNull": [path, []]}, "as": "w",
                            "cond": {"$regexMatch": {"input": "$$w", "regex": _prefix(token)}}}}
    return {"$gt": [{"$size": matching}, 0]}


def score_expression(tokens: list[str]) -> dict[str, Any]:
    """The relevance of a course for ``tokens`` (see the module docstring)."""
    parts = [
        {"$cond": [_prefixes_a_word("$_idx.title_terms", tok), TITLE_WEIGHT,
                   {"$cond": [_prefixes_a_word("$_idx.keyword_terms", tok), KEYWORD_WEIGHT,
                              OTHER_WEIGHT]}]}
        for tok in tokens
    ]
    return {"$add": parts}


def keyset_condition(keys: tuple[tuple[str, int], ...], after: tuple[Any, ...]) -> dict[str, Any]:
    """Documents strictly after ``after`` in the order ``keys``:
    ``k1 > a1 OR (k1 = a1 AND k2 > a2) OR ...`` with ``>`` meaning "later" per direction."""
    if len(after) != len(keys):
        raise ValueError(f"cursor has {len(after)} keys, the sort order {len(keys)}")
    alternatives = []
    for i, (path, direction) in enumerate(keys):
        branch: dict[str, Any] = {p: v for (p, _), v in zip(keys[:i], after[:i], strict=True)}
        branch[path] = {"$gt" if direction > 0 else "$lt": after[i]}
        alternatives.append(branch)
    return {"$or": alternatives}


def _key_of(doc: dict[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _items(coll: Collection[Any], query: CourseQuery, tokens: list[str],
           conditions: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    order = query.sort
    if order not in SORT_ORDERS:
        raise ValueError(f"unknown sort {order!r}; use one of {', '.join(SORT_ORDERS)}")
    if order == "relevance" and not tokens:
        # relevance without text is newest first (storage.catalogue_index.SORT_ORDERS)
        order = "newest"
    keys = SORT_KEYS[order]
    pipeline: list[dict[str, Any]] = [{"$match": _and(conditions)}]
    if order == "relevance":
        pipeline.append({"$addFields": {"_score": score_expression(tokens)}})
    if query.after is not None:
        pipeline.append({"$match": keyset_condition(keys, tuple(query.after))})
    pipeline += [
        {"$sort": dict(keys)},
        {"$limit": int(query.limit)},
        {"$project": {"audit": 0}},
    ]
    docs = list(coll.aggregate(pipeline)) if query.limit > 0 else []
    page_keys = [tuple(_key_of(doc, path) for path, _ in keys) for doc in docs]
    for doc in docs:
        for hidden in ("_id", "_idx", "_score"):
            doc.pop(hidden, None)
    return docs, page_keys


def _facet_pipeline(query: CourseQuery, field: str) -> list[dict[str, Any]]:
    path = FACET_PATHS[field]
    return [
        {"$match": _and(filter_conditions(facet_filters_except(query, field)))},
        {"$unwind": "$" + path},  # arrays count once per value; null/missing drop out
        {"$group": {"_id": "$" + path, "count": {"$sum": 1}}},
    ]


def _facets_and_total(coll: Collection[Any], query: CourseQuery, tokens: list[str],
                      snapshot: int) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    stages: dict[str, list[dict[str, Any]]] = {
        "_total": [{"$match": _and(filter_conditions(query))}, {"$count": "n"}],
    }
    for field in FACET_FIELDS:
        stages[field] = _facet_pipeline(query, field)
    pipeline = [{"$match": _and(base_conditions(tokens, snapshot))}, {"$facet": stages}]
    result: dict[str, Any] = next(iter(coll.aggregate(pipeline)), {})
    total_rows = result.get("_total") or []
    total = int(total_rows[0]["n"]) if total_rows else 0
    facets = {
        field: facet_order(field, {str(row["_id"]): int(row["count"])
                                   for row in result.get(field) or [] if row["_id"] is not None})
        for field in FACET_FIELDS
    }
    return total, facets


def run(coll: Collection[Any], query: CourseQuery, snapshot: int) -> CourseResults:
    """Answer ``query`` over the courses published up to ``snapshot``."""
    tokens = parse_text_query(query.text)
    conditions = base_conditions(tokens, snapshot) + filter_conditions(query)
    items, keys = _items(coll, query, tokens, conditions)
    if query.facets:
        total, facets = _facets_and_total(coll, query, tokens, snapshot)
    else:
        total, facets = coll.count_documents(_and(conditions)), {}
    return CourseResults(total=total, items=items, keys=keys, facets=facets, snapshot=snapshot)
