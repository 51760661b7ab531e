"""Bulk import of learner records from an HR export (issue 13, "Learners"): a CSV with a
header, used by ``hub learners import FILE --org ORG`` and ``POST /learners/import``.

Columns (RFC 4180 CSV, UTF-8, a BOM allowed): ``learner_id`` and ``name`` (required),
``designation``, ``position`` (a published FRAC position by node id or reference code),
``languages`` (BCP 47 tags separated by ``;``), ``home_page`` (the learner's xAPI account
homePage; default the hub's public URL). Empty cells are absent fields. Each row is checked
as ``PUT /learners/{learner_id}`` checks its body (:class:`LearnerRecordInSchema`, then
:func:`marketplace.learners.build_record`): a good row creates or replaces its record, a bad
row is reported (row number, field, message) and never written. A file that is not a CSV of
these columns (wrong encoding, no header, an unknown column) is refused whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import marshmallow

from catalogue_schemas.learners import LearnerRecordInSchema
from hub.errors import ValidationError
from hub.errors_http import flatten_messages
from marketplace.learners import build_record
from storage.ports import Document, Store

REQUIRED_COLUMNS = ("learner_id", "name")
COLUMNS = (*REQUIRED_COLUMNS, "designation", "position", "languages", "home_page")
BATCH_SIZE = 500
#: A report lists this many errors at most (a whole bad file must not make a huge answer).
MAX_ERRORS = 1000
_SCHEMA = LearnerRecordInSchema()


@dataclass(frozen=True)
class Row:
    """One data row: its number (1 = first after the header), the physical line it starts
    on, and its cells or why it could not be read."""

    number: int
    line: int
    cells: dict[str, str] | None
    error: tuple[str, str] | None = None


def decode(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (a BOM allowed); 400 naming ``file`` otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError.for_field("file", f"must be UTF-8 text (byte {exc.start} is "
                                                "not)") from None


def _header(reader: Any) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationError.for_field("header", f"not readable as CSV: {exc}") from None
    names = [h.strip() for h in header or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ValidationError.for_field("header", "the first line must name the columns; "
                                                  f"missing: {', '.join(missing)}")
    unknown = [c for c in names if c not in COLUMNS]
    if unknown:
        raise ValidationError.for_field("header", f"unknown columns: {', '.join(unknown)[:200]}"
                                                  f" (known: {', '.join(COLUMNS)})")
    if len(set(names)) != len(names):
        raise ValidationError.for_field("header", "names a column twice")
    return names


def parse(text: str) -> list[Row]:
    """The rows of a CSV text; ``ValidationError`` for a file without a usable header. A row
    the CSV reader cannot read (a cell over the reader's size limit, a broken quote) ends the
    file with an error on that row: what follows it cannot be told apart reliably."""
    reader = csv.reader(io.StringIO(text, newline=""))
    names = _header(reader)
    rows: list[Row] = []
    line = reader.line_num + 1
    while True:
        number = len(rows) + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            rows.append(Row(number, line, None, ("_row", f"not readable as CSV: {exc}")))
            break
        if cells is None:
            break
        if not any(c.strip() for c in cells):  # a blank line is no row
            line = reader.line_num + 1
            continue
        if len(cells) > len(names):
            rows.append(Row(number, line, None, ("_row", "more cells than header columns")))
        else:
            rows.append(Row(number, line, dict(zip(names, cells, strict=False))))
        line = reader.line_num + 1
    return rows


def _fields(cells: dict[str, str]) -> Document:
    """The schema's input of a row: empty cells absent, ``languages`` split on ``;``."""
    out: Document = {}
    for column, cell in cells.items():
        if column == "learner_id" or not cell.strip():
            continue
        out[column] = ([t.strip() for t in cell.split(";") if t.strip()]
                       if column == "languages" else cell.strip())
    return out


def _problems(row: Row, field: str, messages: Iterable[str]) -> list[Document]:
    return [{"row": row.number, "line": row.line, "field": field, "message": m}
            for m in messages]


def check_row(store: Store, org_id: str, row: Row, existing: Document | None,
              public_url: str) -> tuple[Document | None, list[Document]]:
    """(the record, []) for a good row, else (None, its problems)."""
    if row.error is not None or row.cells is None:
        field, message = row.error or ("_row", "unreadable")
        return None, _problems(row, field, [message])
    try:
        fields = _SCHEMA.load(_fields(row.cells))
        record = build_record(store, org_id, row.cells.get("learner_id", "").strip(), fields,
                              existing, "import", public_url)
    except marshmallow.ValidationError as exc:
        return None, [p for field, messages in flatten_messages(exc.messages).items()
                      for p in _problems(row, field, messages)]
    except ValidationError as exc:
        return None, [p for field, messages in (exc.errors or {"_row": [exc.detail]}).items()
                      for p in _problems(row, field, messages)]
    return record, []


def import_learners(store: Store, org_id: str, rows: list[Row], public_url: str,
                    progress: Callable[[int], Any] | None = None, *,
                    dry_run: bool = False) -> Document:
    """Check every row and (unless ``dry_run``) write the good ones to ``org_id``'s
    directory in batches of :data:`BATCH_SIZE`; the report ``{"rows", "imported", "created",
    "updated", "rejected", "dry_run", "errors": [{"row", "line", "field", "message"}],
    "errors_truncated"}``. ``progress(n)`` is called after each row (a tqdm bar's
    ``update``)."""
    report: Document = {"rows": len(rows), "imported": 0, "created": 0, "updated": 0,
                        "rejected": 0, "dry_run": dry_run, "errors": [],
                        "errors_truncated": False}
    seen: dict[str, int] = {}
    batch: list[Document] = []

    def flush() -> None:
        if batch and not dry_run:
            store.department_learners.put_many(batch)
            report["imported"] += len(batch)
        batch.clear()

    for row in rows:
        learner_id = (row.cells or {}).get("learner_id", "").strip()
        existing = store.department_learners.get(org_id, learner_id) if learner_id else None
        record, errors = check_row(store, org_id, row, existing, public_url)
        if record is not None and learner_id in seen:
            record, errors = None, _problems(row, "learner_id", [
                f"already given in row {seen[learner_id]}"])
        if record is None:
            report["rejected"] += 1
            room = MAX_ERRORS - len(report["errors"])
            report["errors_truncated"] |= len(errors) > room
            report["errors"].extend(errors[:max(room, 0)])
        else:
            seen[learner_id] = row.number
            report["updated" if existing else "created"] += 1
            batch.append(record)
            if len(batch) >= BATCH_SIZE:
                flush()
        if progress is not None:
            progress(1)
    flush()
    return report


def rows_of(data: bytes) -> list[Row]:
    """The rows of an uploaded CSV file's bytes (:func:`decode` then :func:`parse`)."""
    return parse(decode(data))
