"""Bulk import of a provider's catalogue from JSON Lines or CSV.

Every row is validated with :class:`catalogue_schemas.course.CourseContentSchema`, the schema of
``POST /courses``, and its competency tags against the published FRAC frameworks
(:func:`marketplace.frac_tags.validated_content`, as ``POST /courses``). Valid rows are written
with ``courses.add_many`` (one atomic write per batch, each course with its audit events); an
invalid row is reported by line, field and message and never written, not even in part.

CSV columns are the flattened field names: ``title.en``, ``title.hi``, ``description.en``,
``category``, ``mode``, ``level``, ``duration``, ``delivery.type``, ``delivery.url`` (or
``delivery.tool`` and ``delivery.target_link_uri``: the provider's LTI tool and its link),
``price.amount``, ``price.currency``, ``certificate_offered``, ``licence``, ``version``; lists
(``keywords``, ``languages``) are ``;``-separated and ``competencies`` is ``id:level;id:level``
(an id or a reference code: ``COMSUBTHEME-12:2``).
Empty cells are absent fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import marshmallow

from catalogue_schemas.course import CourseContentSchema
from hub.errors import ValidationError
from hub.errors_http import flatten_messages
from marketplace.frac_tags import validated_content
from marketplace.service import delivery_problem, new_course
from storage.json_text import JSONTextError, loads
from storage.ports import Document, Store

BATCH_SIZE = 500
LIST_COLUMNS = frozenset({"keywords", "languages"})
_SCHEMA = CourseContentSchema()


@dataclass(frozen=True)
class Row:
    """One input row: its first line number, and the raw data or why it could not be read."""

    line: int
    data: Document | None
    error: tuple[str, str] | None = None


def parse_jsonl(text: str) -> Iterator[Row]:
    """Rows of a JSON Lines text (blank lines skipped)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = loads(line)  # the limits of every JSON body (storage.json_text)
        except JSONTextError as exc:
            yield Row(number, None, ("_row", f"not valid JSON: {exc}"))
            continue
        if not isinstance(value, dict):
            yield Row(number, None, ("_row", "each line must be a JSON object"))
        else:
            yield Row(number, value)


def _competencies(cell: str) -> list[Any]:
    tags: list[Any] = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        ident, sep, level = part.rpartition(":")
        if not sep:
            tags.append({"id": part})  # the schema reports the missing level
            continue
        # Only a short ASCII number is converted here: str.isdigit() takes "²" and "२", and
        # int() refuses more than 4,300 digits; anything else goes to the schema as text,
        # which reports the row and field.
        short_number = level.isascii() and level.isdigit() and len(level) <= 9
        tags.append({"id": ident, "level": int(level) if short_number else level})
    return tags


def unflatten(record: dict[str, str]) -> Document:
    """A CSV record as the nested document the schema expects."""
    out: Document = {}
    for column, cell in record.items():
        if column is None or cell is None or not str(cell).strip():
            continue
        column, cell = column.strip(), str(cell).strip()
        value: Any = cell
        if column in LIST_COLUMNS:
            value = [v.strip() for v in cell.split(";") if v.strip()]
        elif column == "competencies":
            value = _competencies(cell)
        *parents, leaf = column.split(".")
        target = out
        for part in parents:
            nested = target.get(part)
            if not isinstance(nested, dict):  # "title" and "title.en" both given: last wins
                nested = target[part] = {}
            target = nested
        target[leaf] = value
    return out


def parse_csv(text: str) -> Iterator[Row]:
    """Rows of a CSV text with a header line; line numbers count physical lines."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2  # the first record starts after the header (quoted cells may span lines)
    for record in reader:
        if None in record:
            yield Row(start, None, ("_row", "more cells than header columns"))
        else:
            yield Row(start, unflatten(record))
        start = reader.line_num + 1


def rows_from_upload(filename: str, stream: IO[bytes]) -> Iterator[Row]:
    """Rows of an uploaded ``.jsonl``/``.ndjson``/``.csv`` file (UTF-8, BOM allowed)."""
    name = filename.lower()
    if name.endswith((".jsonl", ".ndjson")):
        parse = parse_jsonl
    elif name.endswith(".csv"):
        parse = parse_csv
    else:
        raise ValidationError.for_field("file", "must be a .jsonl or .csv file")
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError.for_field("file", "must be UTF-8 text") from None
    return parse(text)


def validate_row(row: Row) -> tuple[Document | None, list[Document]]:
    """(course content, []) for a valid row, else (None, the row's errors)."""
    if row.error is not None:
        return None, [{"line": row.line, "field": row.error[0], "message": row.error[1]}]
    try:
        return _SCHEMA.load(row.data or {}), []
    except marshmallow.ValidationError as exc:
        return None, [{"line": row.line, "field": field, "message": message}
                      for field, messages in flatten_messages(exc.messages).items()
                      for message in messages]


def import_catalogue(store: Store, provider_id: str, rows: Iterable[Row | Document],
                     progress: Callable[[int], Any] | None = None, *, submit: bool = False,
                     actor: str = "import") -> Document:
    """Validate and store a provider's courses; returns the report
    ``{"rows", "imported", "rejected", "state", "errors": [{"line", "field", "message"}],
    "ids"}``. ``rows`` may be :class:`Row` objects or plain dicts (numbered from 1);
    ``progress(n)`` is called after each row (a tqdm bar's ``update``)."""
    report: Document = {"rows": 0, "imported": 0, "rejected": 0,
                        "state": "submitted" if submit else "draft", "errors": [], "ids": []}
    courses: list[Document] = []
    events: list[Document] = []

    def flush() -> None:
        if courses:
            store.courses.add_many(courses, events)
            report["imported"] += len(courses)
            report["ids"].extend(c["id"] for c in courses)
            courses.clear()
            events.clear()

    for number, raw in enumerate(rows, start=1):
        row = raw if isinstance(raw, Row) else Row(number, raw)
        report["rows"] += 1
        content, errors = validate_row(row)
        problem = None if content is None else delivery_problem(store, provider_id, content)
        if problem:
            content, errors = None, [{"line": row.line, "field": "delivery.tool",
                                      "message": problem}]
        if content is not None:
            try:  # competency tags against the published FRAC frameworks (frac_tags)
                content = validated_content(store, content)
            except ValidationError as exc:
                content, errors = None, [
                    {"line": row.line, "field": field, "message": message}
                    for field, messages in (exc.errors or {}).items() for message in messages]
        if content is None:
            report["rejected"] += 1
            report["errors"].extend(errors)
        else:
            course, course_events = new_course(provider_id, content, actor, provider_id,
                                               submit=submit)
            courses.append(course)
            events.extend(course_events)
            if len(courses) >= BATCH_SIZE:
                flush()
        if progress is not None:
            progress(1)
    flush()
    return report
