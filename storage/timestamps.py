"""The one timestamp format the hub stores and compares: ISO 8601 in UTC, microseconds, ``Z``.

Every stored instant (``created_at``, xAPI ``stored``, forwarding leases and back-offs, query
bounds) is a string of this one fixed width, so instants order correctly as text: the adapters
sort and range-scan them in SQLite columns and MongoDB fields without parsing them, and a bound
normalised by :func:`format_timestamp` compares against them exactly.

A leaf at the lowest layer: the storage adapters use it, so it imports nothing of the hub.
"""

from __future__ import annotations

from datetime import UTC, datetime

#: ``2026-01-31T09:30:00.000000Z``: fixed width (``%f`` is always six digits), so text order
#: is time order.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_timestamp(moment: datetime) -> str:
    """An aware datetime in the stored format, converted to UTC first."""
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def utcnow() -> str:
    """Now, in the stored format."""
    return datetime.now(UTC).strftime(TIMESTAMP_FORMAT)
