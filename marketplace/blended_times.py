"""Instants of blended programs: a session's local date and times in its time zone, the UTC
interval they name, and the overlap of two learners' timetables.

A session is given as a calendar date, a start and an end wall-clock time and an IANA time zone
(``Asia/Kolkata``): what a venue's notice says. The hub stores the UTC instants too, so that two
sessions in different zones compare correctly (09:30 in Kolkata is 04:00 UTC, the same moment
as 05:00 in Paris in winter) and the store orders them as text (:mod:`storage.timestamps`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.errors import ValidationError
from storage.ports import Document
from storage.timestamps import format_timestamp


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone ``name``; 400 naming ``field`` when there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # ../x, NUL, a directory
        raise ValidationError.for_field(field, f"{name!r} is not an IANA time zone") from exc


def session_interval(day: date, start: time, end: time, tz_name: str) -> tuple[str, str]:
    """The UTC ``(starts_at, ends_at)`` of a session held on ``day`` from ``start`` to ``end``
    local time in ``tz_name``; 400 when it does not end after it starts (a session that runs
    past midnight is two sessions)."""
    tz = zone(tz_name)
    starts = datetime.combine(day, start.replace(tzinfo=None), tzinfo=tz)
    ends = datetime.combine(day, end.replace(tzinfo=None), tzinfo=tz)
    if ends <= starts:
        raise ValidationError.for_field("end_time", "must be after start_time")
    return instant(starts, "date"), instant(ends, "date")


def instant(moment: datetime, field: str) -> str:
    """An aware datetime in the stored UTC format; 400 naming ``field`` when it has no offset
    (a naive time would silently mean the server's zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError.for_field(field, "needs a UTC offset or Z")
    # Stored instants order as text only with four-digit years; a programme is not run in
    # antiquity (and year 1 east of UTC would overflow the conversion).
    if not 1970 <= moment.year <= 9998:
        raise ValidationError.for_field(field, "must fall between the years 1970 and 9998")
    return format_timestamp(moment)


def overlapping(ours: Iterable[Document], theirs: Iterable[Document]) -> Document | None:
    """A session of ``theirs`` that overlaps one of ``ours`` in time (half-open intervals: a
    session ending at 11:00 does not clash with one starting at 11:00), or None."""
    mine = [(s["starts_at"], s["ends_at"]) for s in ours]
    for other in theirs:
        if any(start < other["ends_at"] and other["starts_at"] < end for start, end in mine):
            return other
    return None
