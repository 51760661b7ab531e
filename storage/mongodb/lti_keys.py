"""MongoDB repositories of the hub's LTI signing keys and of once-only values
(:mod:`storage.ports.lti_keys`).

Keys live in ``lti_keys`` (``_id`` = kid, a unique index on ``generation``). Once-only values
live in ``lti_once`` (``_id`` = ``"<len(scope)>:<scope>:<value>"``, unambiguous); consuming one
is a single ``update_one`` that matches only an expired record, with ``upsert``: when the value
is new it is inserted, when it is expired it is taken over, and when it is live the upsert
collides with the existing ``_id`` (duplicate key), which is the answer "already used". A TTL
index on ``forget_at`` (an hour after expiry) lets the server forget expired values by itself
when nobody purges; :meth:`MongoOnceRepository.purge` does it at once.
"""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.timestamps import TIMESTAMP_FORMAT, utcnow

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
#: How long after its expiry the server's TTL monitor deletes a once-only value (``purge``
#: counts what it deletes, so the monitor must not race it for values just expired).
TTL_GRACE = timedelta(hours=1)


def ensure_indexes(db: Database[Any]) -> None:
    """A unique generation per key; TTL expiry of once-only values."""
    db.lti_keys.create_index([("generation", DESCENDING)], name="generation", unique=True)
    db.lti_once.create_index("forget_at", name="ttl", expireAfterSeconds=0)
    db.lti_once.create_index("expires_at", name="expires_at")


class MongoSigningKeyRepository:
    """The hub's signing keys in ``lti_keys``."""

    def __init__(self, db: Database[Any]) -> None:
        self.keys = db.lti_keys

    @translate_errors
    def add(self, key: Document) -> None:
        """Insert (``DuplicateKey`` when the kid or the generation exists)."""
        self.keys.insert_one({"_id": key["kid"], **key})

    @translate_errors
    def list(self) -> builtins.list[Document]:
        """Every key, newest generation first."""
        return list(self.keys.find({}, NO_ID).sort("generation", DESCENDING))

    @translate_errors
    def retire(self, kid: str, retired_at: str, not_after: str) -> bool:
        """One conditional ``update_one``: only a key not yet retired."""
        result = self.keys.update_one({"_id": kid, "retired_at": None},
                                      {"$set": {"retired_at": retired_at,
                                                "not_after": not_after}})
        return result.matched_count == 1

    @translate_errors
    def purge(self, now: str) -> int:
        """Delete retired keys past ``not_after``."""
        result = self.keys.delete_many({"not_after": {"$ne": None, "$lte": now}})
        return int(result.deleted_count)


class MongoOnceRepository:
    """Once-only values in ``lti_once``."""

    def __init__(self, db: Database[Any]) -> None:
        self.values = db.lti_once

    @translate_errors
    def consume(self, scope: str, value: str, expires_at: str) -> bool:
        """Upsert matching only an expired record; a duplicate ``_id`` means "live, used"."""
        forget_at = datetime.strptime(expires_at, TIMESTAMP_FORMAT) + TTL_GRACE
        record = {"expires_at": expires_at, "forget_at": forget_at}
        try:
            self.values.update_one(
                {"_id": f"{len(scope)}:{scope}:{value}", "expires_at": {"$lte": utcnow()}},
                {"$set": record}, upsert=True)
        except DuplicateKeyError:
            return False
        return True

    @translate_errors
    def purge(self, now: str) -> int:
        """Delete expired values (index ``expires_at``)."""
        return int(self.values.delete_many({"expires_at": {"$lte": now}}).deleted_count)


def attach(store: MongoStore) -> None:
    """``store.lti_keys`` and ``store.once``."""
    store.lti_keys = MongoSigningKeyRepository(store.db)
    store.once = MongoOnceRepository(store.db)
