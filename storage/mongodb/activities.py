"""``storage.ports.xapi.ActivityRepository`` on MongoDB: each organisation's canonical Activity
objects in ``xapi_activities``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
import pymongo
from pymongo.database import Database

from storage import json_text
from storage.mongodb.errors import translate_errors
from storage.ports import Document


def activity_key(org_id: str, activity_id: str) -> str:
    """The ``_id`` of organisation ``org_id``'s definition of an activity."""
    return orjson.dumps([org_id, activity_id]).decode()


class MongoActivityRepository:
    """``storage.ports.xapi.ActivityRepository`` on ``xapi_activities`` (``_id`` =
    :func:`activity_key`, the definition as JSON text for the same reason as statements:
    extension keys)."""

    def __init__(self, db: Database[Any]) -> None:
        self.coll = db.xapi_activities

    @translate_errors
    def get_many(self, org_id: str, ids: Iterable[str]) -> dict[str, Document]:
        """An organisation's canonical activities by id."""
        wanted = [activity_key(org_id, i) for i in set(ids)]
        if not wanted:
            return {}
        return {d["aid"]: json_text.loads(d["body"], None)
                for d in self.coll.find({"_id": {"$in": wanted}})}

    @translate_errors
    def put_many(self, org_id: str, activities: list[Document]) -> None:
        """Insert or replace an organisation's activities, one unordered bulk write."""
        if not activities:
            return
        self.coll.bulk_write(
            [pymongo.ReplaceOne({"_id": activity_key(org_id, a["id"])},
                                {"_id": activity_key(org_id, a["id"]), "org_id": org_id,
                                 "aid": a["id"], "body": orjson.dumps(a).decode()},
                                upsert=True) for a in activities],
            ordered=False)
