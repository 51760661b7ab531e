"""Catalogue search on SQLite: FTS5 for text, indexed columns for filters, keyset pages, facets.

Semantics are those of :class:`storage.ports.CourseQuery`/:class:`storage.ports.CourseResults`;
tokenisation and facet rules come from :mod:`storage.catalogue_index` (shared with MongoDB).

- Text: every query token must match a word prefix in title, keywords or description (any
  language): the FTS5 query ``"tok1"* AND "tok2"*``. Tokens only hold letters, digits and marks,
  so quoting them makes FTS5 syntax in user input inert.
- Relevance with text: ``bm25`` with column weights title 10 > keywords 4 > description 1, rounded
  to 6 decimals so that the key survives a JSON round trip unchanged.
- Pages: keyset (``after`` = the previous page's last key) within a snapshot (``seq <=
  snapshot``), so publications between pages neither duplicate nor skip rows.
- Facets: disjunctive. Fields without a filter of their own share one match set (all filters);
  each filtered field gets the match set without its own filter. All queries of one search run in
  one read transaction, so they see the same data.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from storage.catalogue_index import (
    facet_filters_except,
    has_own_filter,
    parse_text_query,
)
from storage.ports import (
    DURATION_BANDS,
    FACET_FIELDS,
    RATING_BUCKETS,
    SORT_ORDERS,
    CourseQuery,
    CourseResults,
)
from storage.sqlite.marketplace import loads

if TYPE_CHECKING:
    import sqlite3

    from storage.sqlite.store import SqliteStore

#: bm25 column weights, in course_fts column order (title, keywords, description).
BM25 = "bm25(course_fts, 10.0, 4.0, 1.0)"

#: Single-valued facet fields -> their course_search column.
_COLUMNS = {"provider": "provider", "category": "category", "mode": "mode", "level": "level",
            "duration": "band"}
#: Multi-valued facet fields -> (side table, value column).
_SIDE_TABLES = {"language": ("course_languages", "lang"),
                "competency": ("course_competencies", "comp")}


def fts_expression(tokens: list[str]) -> str:
    """The FTS5 MATCH expression: every token as a quoted prefix."""
    return " AND ".join(f'"{token}"*' for token in tokens)


def _in(column: str, values: tuple[Any, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})"


def where_clause(query: CourseQuery, snapshot: int, params: list[Any]) -> str:
    """The SQL condition (over ``course_search s``) of every filter of ``query`` and the
    snapshot, text excluded (the caller joins or restricts to the FTS matches)."""
    parts = ["s.seq <= ?"]
    params.append(snapshot)
    if query.providers:
        parts.append(_in("s.provider", query.providers, params))
    if query.categories:
        parts.append(_in("s.category", query.categories, params))
    if query.modes:
        parts.append(_in("s.mode", query.modes, params))
    if query.levels:
        parts.append(_in("s.level", query.levels, params))
    if query.duration_bands:
        parts.append(_in("s.band", query.duration_bands, params))
    if query.min_minutes is not None:
        parts.append("s.minutes >= ?")
        params.append(int(query.min_minutes))
    if query.max_minutes is not None:
        parts.append("s.minutes <= ?")
        params.append(int(query.max_minutes))
    if query.min_rating is not None:
        parts.append("s.rating >= ?")
        params.append(float(query.min_rating))
    if query.languages:
        langs = tuple(sorted({lang.lower() for lang in query.languages}))
        parts.append("s.rid IN (SELECT rid FROM course_languages WHERE "
                     + _in("lang", langs, params) + ")")
    if query.competencies:
        parts.append("s.rid IN (SELECT rid FROM course_competencies WHERE "
                     + _in("comp", query.competencies, params) + ")")
    return " AND ".join(parts)


# -- sort orders -----------------------------------------------------------------------------

#: sort -> key columns of ``course_search s`` with their direction (True = descending). The
#: course id ascending always comes last as the tie-breaker.
_SORT_KEYS: dict[str, list[tuple[str, bool]]] = {
    "newest": [("s.published_at", True), ("s.id", False)],
    "title": [("s.title_sort", False), ("s.id", False)],
    "rating": [("s.rating_key", True), ("s.rating_count", True), ("s.id", False)],
    "duration": [("s.minutes", False), ("s.id", False)],
}


def sort_keys(sort: str, has_text: bool) -> list[tuple[str, bool]]:
    """Key columns of a sort order (relevance is bm25 with text, newest without)."""
    if sort == "relevance":
        return [("score", False), ("id", False)] if has_text else _SORT_KEYS["newest"]
    if sort not in _SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORT_ORDERS)}")
    return _SORT_KEYS[sort]


def order_by(keys: list[tuple[str, bool]]) -> str:
    """The ORDER BY list of key columns."""
    return ", ".join(f"{column}{' DESC' if desc else ''}" for column, desc in keys)


def after_condition(keys: list[tuple[str, bool]], after: tuple[Any, ...],
                    params: list[Any]) -> str:
    """Rows strictly after the keyset ``after`` in the order of ``keys``:
    ``(a > ?) OR (a = ? AND b > ?) OR ...`` with ``<`` for descending columns."""
    if len(after) != len(keys):
        raise ValueError(f"after must hold {len(keys)} values for this sort")
    ors = []
    for i, (column, desc) in enumerate(keys):
        ands = [f"{prev} = ?" for prev, _ in keys[:i]] + [f"{column} {'<' if desc else '>'} ?"]
        params.extend(after[: i + 1])
        ors.append("(" + " AND ".join(ands) + ")")
    return "(" + " OR ".join(ors) + ")"


def _facet_counts(conn: sqlite3.Connection, field: str, cond: str, params: list[Any]
                  ) -> list[tuple[str, int]]:
    """Counts of one facet field over the ``course_search s`` rows matching ``cond``."""
    if field == "rating":
        sums = ", ".join(f"sum(s.rating >= {low})" for low in RATING_BUCKETS.values())
        row = conn.execute(f"SELECT {sums} FROM course_search s WHERE {cond}", params).fetchone()
        return [(bucket, int(n)) for bucket, n in zip(RATING_BUCKETS, row, strict=True) if n]
    if field in _SIDE_TABLES:
        table, column = _SIDE_TABLES[field]
        rows = conn.execute(
            f"SELECT t.{column}, count(*) FROM {table} t JOIN course_search s ON s.rid = t.rid "
            f"WHERE {cond} GROUP BY t.{column}", params).fetchall()
    else:
        column = _COLUMNS[field]
        rows = conn.execute(f"SELECT s.{column}, count(*) FROM course_search s WHERE {cond} "
                            f"GROUP BY s.{column}", params).fetchall()
    return _ordered(field, Counter({value: n for value, n in rows if value is not None}))


def _ordered(field: str, counts: Counter[str]) -> list[tuple[str, int]]:
    """Facet values by count descending, then value (duration bands in band order)."""
    if field == "duration":
        return [(band, counts[band]) for band in DURATION_BANDS if counts[band]]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def search(store: SqliteStore, query: CourseQuery) -> CourseResults:
    """Run one catalogue search (see the module docstring)."""
    tokens = parse_text_query(query.text)
    match = fts_expression(tokens) if tokens else None
    keys = sort_keys(query.sort, match is not None)
    with store.reading() as conn:
        if query.snapshot is not None:
            snapshot = int(query.snapshot)
        else:
            snapshot = int(conn.execute(
                "SELECT value FROM counters WHERE name = 'search_seq'").fetchone()[0])

        def condition(q: CourseQuery, params: list[Any]) -> str:
            """Filters of ``q`` plus the text match, over ``course_search s``."""
            if match is None:
                return where_clause(q, snapshot, params)
            params.append(match)
            return ("s.rid IN (SELECT rowid FROM course_fts WHERE course_fts MATCH ?) AND "
                    + where_clause(q, snapshot, params))

        params: list[Any] = []
        total = int(conn.execute(f"SELECT count(*) FROM course_search s WHERE "
                                 f"{condition(query, params)}", params).fetchone()[0])

        params = []
        if keys[0][0] == "score":  # relevance with text: bm25 needs the FTS table in FROM
            params.append(match)
            cond = where_clause(query, snapshot, params)
            sql = (f"SELECT * FROM (SELECT s.rid AS rid, round({BM25}, 6) AS score, s.id AS id "
                   "FROM course_fts JOIN course_search s ON s.rid = course_fts.rowid "
                   f"WHERE course_fts MATCH ? AND {cond}) WHERE 1")
        else:
            columns = ", ".join(column for column, _ in keys)
            sql = f"SELECT s.rid, {columns} FROM course_search s WHERE {condition(query, params)}"
        if query.after is not None:
            sql += " AND " + after_condition(keys, tuple(query.after), params)
        sql += f" ORDER BY {order_by(keys)} LIMIT ?"
        params.append(max(0, int(query.limit)))
        page = conn.execute(sql, params).fetchall()
        docs: dict[int, str] = {}
        if page:
            rids = [row[0] for row in page]
            docs = dict(conn.execute(
                f"SELECT rid, doc FROM courses WHERE rid IN ({', '.join('?' * len(rids))})",
                rids).fetchall())
        items = [loads(docs[row[0]]) for row in page]
        page_keys = [tuple(row[1:]) for row in page]

        facets: dict[str, list[tuple[str, int]]] = {}
        if query.facets:
            for field in FACET_FIELDS:
                q = facet_filters_except(query, field) if has_own_filter(query, field) else query
                facet_params: list[Any] = []
                facets[field] = _facet_counts(conn, field, condition(q, facet_params),
                                              facet_params)
    return CourseResults(total=total, items=items, keys=page_keys, facets=facets,
                         snapshot=snapshot)
