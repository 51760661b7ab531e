"""The one stored timestamp format: fixed width and UTC, so text order is time order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from storage.timestamps import format_timestamp, utcnow

STORED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_now_is_in_the_stored_format() -> None:
    assert STORED.match(utcnow())


def test_an_aware_datetime_is_stored_in_utc() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    assert format_timestamp(datetime(2026, 1, 1, 5, 30, tzinfo=india)) == (
        "2026-01-01T00:00:00.000000Z")


def test_text_order_is_time_order_even_on_a_whole_second() -> None:
    # %f always writes six digits: a whole second must not come out shorter and sort wrongly.
    whole = datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)
    stamps = [format_timestamp(whole - timedelta(microseconds=1)), format_timestamp(whole),
              format_timestamp(whole + timedelta(microseconds=1))]
    assert all(STORED.match(s) for s in stamps)
    assert sorted(stamps) == stamps
