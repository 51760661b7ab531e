"""Completion integrity (DESIGN.md "Integrity"): how long a learner spent on the attempt a
completion closes, from the learner's own statements, against the item's duration.

Learning time is the sum of ``result.duration`` (xAPI Data 2.4.5, ISO 8601 durations, Data
4.6) of the learner's statements in the completion's ``context.registration`` (the attempt,
Data 2.4.6); when none of them records a duration, the time from the registration's first
``launched`` or ``initialized`` statement (cmi5 §9.3.1/§9.3.2) to the completion's timestamp.
A completion without a registration is measured on the learner's statements of the same
activity. A completion is flagged when that time is below ``ratio`` times the item's duration
(``HUB_INTEGRITY_MIN_RATIO``). When no statement records any time at all (no duration, no
launch), nothing is measured and nothing is flagged: an LMS that reports only completions
would otherwise have every completion held back; its ``seconds`` stay None for reviewers.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storage.ports import Document, Store
from storage.ports.xapi import StatementQuery

ADL = "http://adlnet.gov/expapi/verbs/"
#: The statements that open an attempt (cmi5 §9.3.1 launched, §9.3.2 initialized).
OPENING_VERBS = frozenset({ADL + "launched", ADL + "initialized"})
#: Statements read per page of a registration.
PAGE = 500

_DURATION = re.compile(
    r"P(?:(?P<W>[0-9.,]+)W)?(?:(?P<Y>[0-9.,]+)Y)?(?:(?P<Mo>[0-9.,]+)M)?(?:(?P<D>[0-9.,]+)D)?"
    r"(?:T(?:(?P<H>[0-9.,]+)H)?(?:(?P<Mi>[0-9.,]+)M)?(?:(?P<S>[0-9.,]+)S)?)?\Z", re.ASCII)
#: Seconds per unit; a year and a month have no fixed length, the common approximation serves
#: a comparison against a course's minutes.
_UNIT = {"W": 604800, "Y": 31536000, "Mo": 2592000, "D": 86400, "H": 3600, "Mi": 60, "S": 1}


def duration_seconds(text: object) -> float | None:
    """Seconds of an ISO 8601 duration (``PT1H2M3.5S``, ``P1W``), or None when malformed."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(text)
    if match is None or text in ("P", "PT") or text.endswith("T"):
        return None
    total = 0.0
    for unit, value in match.groupdict().items():
        if value:
            try:
                total += float(value.replace(",", ".")) * _UNIT[unit]
            except ValueError:
                return None
    return total


def timestamp_of(statement: Document) -> datetime | None:
    """The statement's ``timestamp`` as an aware datetime (the LRS always sets one). One
    without an offset is read as UTC (Data 4.5 says it SHOULD carry one; the LRS accepts it),
    so that it can be compared with the others."""
    value = statement.get("timestamp")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def attempt_keys(statement: Document, learner_key: str, activity_id: str,
                 registration: str | None) -> tuple[str, ...]:
    """The LRS index keys of the learner's statements of this attempt, most selective first
    (the registration's when there is one, see :mod:`xapi.index_keys`)."""
    if registration:
        return ("reg|" + registration, learner_key)
    return (learner_key, "act|" + activity_id)


def learning_seconds(statements: list[Document], completion: Document) -> float | None:
    """Seconds recorded by an attempt's statements (see the module docstring), or None."""
    durations = [d for d in (duration_seconds((s.get("result") or {}).get("duration"))
                             for s in statements if isinstance(s.get("result"), dict))
                 if d is not None]
    if durations:
        return sum(durations)
    opened = [t for t in (timestamp_of(s) for s in statements
                          if (s.get("verb") or {}).get("id") in OPENING_VERBS) if t]
    done = timestamp_of(completion)
    if not opened or done is None:
        return None
    return max(0.0, (done - min(opened)).total_seconds())


def attempt_statements(store: Store, org_id: str, keys: tuple[str, ...]) -> list[Document]:
    """Every statement of the attempt in the organisation's LRS (voided ones never match)."""
    out: list[Document] = []
    cursor: str | None = None
    while True:
        page = store.statements.query(StatementQuery(keys=keys, limit=PAGE, cursor=cursor,
                                                     org_id=org_id, ascending=True))
        out.extend(page.statements)
        cursor = page.cursor
        if cursor is None:
            return out


def is_flagged(seconds: float | None, expected: float | None, ratio: float) -> bool:
    """Too fast for the item: recorded time below ``ratio`` of its duration."""
    if not expected or seconds is None:
        return False
    return seconds < ratio * expected
