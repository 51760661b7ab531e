"""Sequence numbers on MongoDB: named counters in the ``counters`` collection."""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database


def reserve(db: Database[Any], name: str, n: int) -> int:
    """Reserve ``n`` consecutive values of counter ``name`` with one atomic ``$inc`` (upserted:
    a counter starts at 0); returns the first of them."""
    counter = db.counters.find_one_and_update(
        {"_id": name}, {"$inc": {"value": n}}, upsert=True,
        return_document=ReturnDocument.AFTER)
    assert counter is not None  # an upsert returning the document after it never finds none
    return int(counter["value"]) - n + 1


def raise_to(db: Database[Any], name: str, value: int) -> None:
    """Raise counter ``name`` to at least ``value`` (one atomic ``$max``, upserted), so that
    :func:`reserve` hands out only numbers above it."""
    db.counters.update_one({"_id": name}, {"$max": {"value": value}}, upsert=True)
