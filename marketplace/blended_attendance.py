"""Attendance at the sessions of blended batches (issue 11, "Attendance").

A record per (session, seated learner): ``present`` or ``absent``, how it was taken
(``coordinator`` or ``check-in``), when, by which credential, and the id of the ``attended``
statement it wrote (:mod:`marketplace.blended_statements`). Only learners holding an approved
seat in the session's batch (:func:`marketplace.blended_roster.seated_learners`) have records.

- A ``coordinator`` of the batch's organisation records any number of learners at once, all
  or nothing, from the session's start until :data:`CORRECTION_WINDOW` after its end (a week:
  sign-in sheets reach the office late, and corrections after that are a records matter).
- A learner checks in, through its organisation's credential (a department or an LMS, as for
  enrolment requests), with the session's code, only while the session runs
  (``[starts_at, ends_at)`` UTC); :mod:`marketplace.blended_codes` throttles guessing.

Records and statements agree by this order: the new ``attended`` statements are stored first,
then the sheet by compare-and-set on its revision (:meth:`storage.ports.blended.
BlendedRepository.save_attendance`) naming their ids; a lost compare-and-set voids those
statements and tries again from the new sheet. A correction to ``absent`` voids the earlier
statement *after* the sheet is saved, so a lost race never voids a statement a winner kept.
Crash windows, honestly: a crash between the statements and the sheet leaves an ``attended``
statement no record names (the LRS says attended, the sheet says unmarked); a crash between
the sheet and the voiding leaves an absent record whose statement is not voided yet. Both are
visible by comparing the sheet with the LRS; neither loses a record. Statements of learners of
different organisations go to their own LRSs in one write each, so a failure of the second
organisation's write can leave the first's written (and unreferenced, as above).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.errors import Conflict, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal
from marketplace import blended_statements as xs
from marketplace.blended import coordinated_session, get_session, visible_batch
from marketplace.blended_codes import CODE_FIELD, CheckInThrottle, codes_match
from marketplace.blended_roster import seated_learners
from marketplace.csv_cells import csv_cell
from storage.ports import Document, Store
from storage.ports.blended import learner_key
from storage.timestamps import TIMESTAMP_FORMAT, format_timestamp, utcnow

#: How long after a session's end its coordinator may still record or correct attendance.
CORRECTION_WINDOW = timedelta(days=7)
#: Sheet writes retried when another writer changed the sheet in between.
ATTEMPTS = 5

#: Stores statements for an organisation (:class:`hub.context.StatementSink`).
Sink = Callable[[Store, str, list[dict[str, Any]]], list[str]]

REASONS = {
    "not-seated": "the learner holds no approved seat in the session's batch",
    "session-not-open": "check-in is open only while the session runs",
    "session-not-started": "attendance is recorded from the session's start",
    "attendance-closed": "attendance may be recorded until 7 days after the session's end",
    "busy": "the sheet kept changing under this write; try again",
}


class AttendanceRefused(Conflict):
    """A write the session's state forbids (409, with ``reason``)."""

    type = "attendance-refused"
    title = "Attendance refused"

    def __init__(self, reason: str) -> None:
        super().__init__(REASONS[reason], reason=reason)


def _later(instant: str, delta: timedelta) -> str:
    moment = datetime.strptime(instant, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    return format_timestamp(moment + delta)


def _seats(store: Store, batch_id: str) -> dict[tuple[str, str], Document]:
    return {learner_key(e): e for e in seated_learners(store, batch_id)}


def _changes(rows: Sequence[tuple[tuple[str, str], str]], current: dict[Any, Document],
             batch: Document, session: Document, method: str, by: str, public_url: str
             ) -> tuple[list[Document], list[dict[str, Any]], list[tuple[str, str]]]:
    """(records to write, ``attended`` statements to store first, (org, statement id) pairs
    to void after). Marking a learner as they already are changes nothing: the first record
    and its statement stand."""
    records: list[Document] = []
    statements: list[dict[str, Any]] = []
    voids: list[tuple[str, str]] = []
    now = utcnow()
    for (org_id, learner_id), status in rows:
        before = current.get((org_id, learner_id))
        if before is not None and before["status"] == status:
            continue
        statement_id = None
        if status == "present":
            statement = xs.attended(public_url, batch, session, learner_id, method)
            statements.append(statement)
            statement_id = statement["id"]
        elif before is not None and before.get("statement_id"):
            voids.append((org_id, before["statement_id"]))
        records.append({"session_id": session["id"], "batch_id": batch["id"],
                        "learner_org_id": org_id, "learner_id": learner_id, "status": status,
                        "method": method, "at": now, "by": by, "statement_id": statement_id})
    return records, statements, voids


def _by_org(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for org_id, statement_id in pairs:
        grouped.setdefault(org_id, []).append(statement_id)
    return grouped


def _void(store: Store, sink: Sink, public_url: str, pairs: list[tuple[str, str]]) -> None:
    for org_id, ids in _by_org(pairs).items():
        sink(store, org_id, [xs.voiding(public_url, i) for i in ids])


def _apply(store: Store, sink: Sink, public_url: str, batch: Document, session: Document,
           rows: Sequence[tuple[tuple[str, str], str]], method: str, by: str) -> None:
    """Write ``rows`` ((learner, status) pairs) with their statements, in the order the module
    docstring gives."""
    for _ in range(ATTEMPTS):
        revision, records = store.blended.attendance(session["id"])
        current = {learner_key(r): r for r in records}
        changes, statements, voids = _changes(rows, current, batch, session, method, by,
                                              public_url)
        if not changes:
            return
        written = [(r["learner_org_id"], r["statement_id"]) for r in changes
                   if r["statement_id"]]
        for org_id, ids in _by_org(written).items():
            sink(store, org_id, [s for s in statements if s["id"] in ids])
        if store.blended.save_attendance(session["id"], batch["id"], revision, changes):
            _void(store, sink, public_url, voids)
            return
        _void(store, sink, public_url, written)  # the sheet moved on: these are orphans
    raise AttendanceRefused("busy")


def record_attendance(store: Store, sink: Sink, public_url: str, principal: Principal,
                      session_id: str, rows: list[Document], now: str | None = None
                      ) -> Document:
    """``PUT /blended/sessions/<id>/attendance`` by a coordinator of the batch's organisation:
    every row (``org_id``, ``learner_id``, ``status``) or none; the sheet after."""
    batch, session = coordinated_session(store, principal, session_id)
    now = now or utcnow()
    if now < session["starts_at"]:
        raise AttendanceRefused("session-not-started")
    if now > _later(session["ends_at"], CORRECTION_WINDOW):
        raise AttendanceRefused("attendance-closed")
    seats = _seats(store, batch["id"])
    errors: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows):
        learner = (row["org_id"], row["learner_id"])
        if learner in seen:
            errors[f"records.{i}.learner_id"] = ["is listed twice"]
        elif learner not in seats:
            errors[f"records.{i}.learner_id"] = [REASONS["not-seated"]]
        seen.add(learner)
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"{first}: {errors[first][0]}", errors=errors)
    _apply(store, sink, public_url, batch, session,
           [((r["org_id"], r["learner_id"]), r["status"]) for r in rows], "coordinator",
           principal.key)
    return sheet(store, principal, session_id)


def check_in(store: Store, sink: Sink, public_url: str, throttle: CheckInThrottle,
             principal: Principal, session_id: str, learner_id: str, code: str,
             now: str | None = None) -> Document:
    """``POST /blended/sessions/<id>/check-in``: the learner's organisation marks its learner
    present with the session's code, while the session runs; the learner's record."""
    if not principal.is_kind(OrgKind.DEPARTMENT, OrgKind.LMS):
        raise PermissionDenied("only a department or an LMS checks its learners in")
    session = get_session(store, session_id)
    batch = visible_batch(store, session["batch_id"])
    learner = (principal.org_id, learner_id)
    if learner not in _seats(store, batch["id"]):
        raise AttendanceRefused("not-seated")
    now = now or utcnow()
    if not session["starts_at"] <= now < session["ends_at"]:
        raise AttendanceRefused("session-not-open")
    throttle.check(session_id, *learner)
    if not codes_match(code, session.get(CODE_FIELD) or ""):
        throttle.failed(session_id, *learner)
        raise ValidationError.for_field("code", "is not this session's check-in code")
    _apply(store, sink, public_url, batch, session, [(learner, "present")], "check-in",
           principal.key)
    _, records = store.blended.attendance(session_id)
    return next(r for r in records if learner_key(r) == learner)


def rotate_code(store: Store, principal: Principal, session_id: str, code: str) -> Document:
    """A new check-in code for the session (its coordinators); the session."""
    coordinated_session(store, principal, session_id)
    updated = store.blended.update_session(session_id, {CODE_FIELD: code})
    return updated if updated is not None else get_session(store, session_id)


#: Columns of the sheet's rows, in CSV order.
COLUMNS = ("learner_org_id", "learner_id", "enrolment_id", "status", "method", "at", "by")


def sheet(store: Store, principal: Principal, session_id: str) -> Document:
    """Every seated learner of the session's batch with ``present``, ``absent`` or
    ``unmarked``, and the counts (a coordinator of the batch's organisation)."""
    batch, session = coordinated_session(store, principal, session_id)
    _, records = store.blended.attendance(session_id)
    marked = {learner_key(r): r for r in records}
    rows: list[Document] = []
    counts = {"present": 0, "absent": 0, "unmarked": 0}
    for key, enrolment in sorted(_seats(store, batch["id"]).items()):
        record = marked.get(key) or {}
        status = record.get("status", "unmarked")
        counts[status] += 1
        rows.append({"learner_org_id": key[0], "learner_id": key[1],
                     "enrolment_id": enrolment["id"], "status": status,
                     "method": record.get("method"), "at": record.get("at"),
                     "by": record.get("by"), "statement_id": record.get("statement_id")})
    return {"session_id": session_id, "batch_id": batch["id"],
            "starts_at": session["starts_at"], "ends_at": session["ends_at"],
            "counts": counts, "learners": rows}


def sheet_csv(report: Document) -> str:
    """The sheet's rows as CSV (RFC 4180: CRLF line ends, a header row), cells kept as text
    as the roster's are (:func:`marketplace.csv_cells.csv_cell`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in report["learners"]:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()
