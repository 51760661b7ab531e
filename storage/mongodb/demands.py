"""MongoDB repository of departments' demands
(:class:`storage.ports.demands.DemandRepository`).

One document per demand in ``demands`` (``_id`` = demand id) with its audit events embedded
(``_events``) and the ids of the competencies it asks for (``_competencies``, multikey
indexed), so that every change and its event are one single-document write: the
compare-and-set is an ``update_one`` filtered on ``row_version`` (atomic on a replica set
without transactions), and of two providers accepting one demand only one matches.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.demands import OPEN_STATUS, competency_ids

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

#: Fields of the stored document that are the adapter's, not the demand's.
HIDDEN = {"_id": 0, "_events": 0, "_competencies": 0}


def ensure_indexes(db: Database[Any]) -> None:
    """Indexes matching the three lists."""
    db.demands.create_index([("org_id", 1), ("_id", 1)], name="org")
    db.demands.create_index([("assigned_to", 1), ("_id", 1)], name="assigned")
    db.demands.create_index([("status", 1), ("provider_id", 1), ("_competencies", 1)],
                            name="open")


def _page(query: dict[str, Any], statuses: tuple[str, ...], after: str | None
          ) -> dict[str, Any]:
    if statuses:
        query["status"] = {"$in": list(statuses)}
    if after is not None:
        query["_id"] = {"$gt": after}
    return query


class MongoDemandRepository:
    """Demands with embedded events in one collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.demands = db.demands

    @translate_errors
    def add(self, demand: Document, event: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.demands.insert_one({"_id": demand["id"], **demand, "_events": [event],
                                 "_competencies": competency_ids(demand)})

    @translate_errors
    def get(self, demand_id: str) -> Document | None:
        """One demand, or None."""
        return self.demands.find_one({"_id": demand_id}, HIDDEN)

    @translate_errors
    def replace(self, demand: Document, *, expected_version: int, event: Document
                ) -> Document | None:
        """One ``update_one`` filtered on ``row_version`` (the compare-and-set) that sets the
        demand's fields and pushes the event; the department is read first, as it never
        changes. (Not ``find_one_and_update``: the stored document is known without a second
        read, and mongomock re-applies the filter after the update.)"""
        current = self.demands.find_one({"_id": demand["id"]}, {"org_id": 1, "row_version": 1})
        if current is None or current.get("row_version") != expected_version:
            return None
        doc = {k: v for k, v in demand.items() if k not in ("_id", "id", "org_id")}
        doc["row_version"] = expected_version + 1
        result = self.demands.update_one(
            {"_id": demand["id"], "row_version": expected_version},
            {"$set": {**doc, "_competencies": competency_ids(demand)},
             "$push": {"_events": event}})
        if result.matched_count != 1:
            return None
        return {**doc, "id": demand["id"], "org_id": current["org_id"]}

    def _list(self, query: dict[str, Any], statuses: tuple[str, ...], limit: int,
              after: str | None) -> builtins.list[Document]:
        cursor = self.demands.find(_page(query, statuses, after), HIDDEN)
        return list(cursor.sort("_id", 1).limit(limit))

    @translate_errors
    def list_for_org(self, org_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                     after: str | None = None) -> builtins.list[Document]:
        """A department's demands (index ``org``)."""
        return self._list({"org_id": org_id}, statuses, limit, after)

    @translate_errors
    def list_assigned(self, provider_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                      after: str | None = None) -> builtins.list[Document]:
        """A provider's accepted demands (index ``assigned``)."""
        return self._list({"assigned_to": provider_id}, statuses, limit, after)

    @translate_errors
    def list_open(self, provider_id: str, competencies: builtins.list[str], limit: int = 50,
                  after: str | None = None) -> builtins.list[Document]:
        """Sent to the provider, or broadcast and asking for one of ``competencies``."""
        query: dict[str, Any] = {"status": OPEN_STATUS, "$or": [
            {"provider_id": provider_id},
            {"provider_id": None, "_competencies": {"$in": list(competencies)}}]}
        return self._list(query, (), limit, after)

    @translate_errors
    def events(self, demand_id: str) -> builtins.list[Document]:
        """The embedded history, in push order (oldest first)."""
        found = self.demands.find_one({"_id": demand_id}, {"_events": 1})
        return list(found.get("_events") or []) if found else []


def attach(store: MongoStore) -> None:
    """``store.demands``."""
    store.demands = MongoDemandRepository(store.db)
