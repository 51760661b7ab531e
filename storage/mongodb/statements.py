"""``storage.ports.xapi.StatementRepository`` on MongoDB.

Statements (``xapi_statements``): ``_id`` is ``<organisation>|<statement id>`` (ids are unique per
organisation: each organisation's LRS is its own store; ``sid`` holds the statement id alone, for
a platform administrator's reads across organisations), so a sharded deployment shards on
``{_id: "hashed"}`` and a by-id read goes to one shard. The statement itself is kept as JSON text
(``body``): xAPI extension keys are IRIs full of dots, which MongoDB field names should not carry,
and the ``exact`` format must give back what was received. Beside it: ``stored``, ``seq``
(insertion order, from the ``counters`` collection), ``fp`` (content fingerprint), ``voided``,
``voids``, ``org_id`` and ``k``, the index keys of the LRS (``storage.ports.xapi.StatementRecord``).

Every filter of Communication 2.1.3 is a key with its own prefix (``verb|``, ``agent|``,
``agent*|`` for related agents, ``act|``, ``act*|`` for related activities, ``reg|``), so the one
compound multikey index ``(k, stored desc, seq desc)`` serves as the "(verb, stored desc)",
agent, activity, registration and related-array indexes at once: a filtered page is one index
range scan in order. Pages are ordered by ``stored`` then ``seq`` (insertion) and the cursor is
the last ``(stored, seq)``, a keyset that stays valid while statements are added.

:mod:`storage.mongodb.xapi_upgrade` brings collections written before ``_id`` held the
organisation to this layout.

Atomicity without multi-document transactions: a batch is checked for conflicting ids first and
written with one ordered ``insert_many``; when a concurrent writer slips the same id in between,
the statements this batch did write are deleted again and the batch is retried once (so the
re-check sees that id). A process crash in the middle of ``insert_many`` can still leave part of
a batch on a real server; that is the one gap a replica-set transaction would close.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import orjson
import pymongo
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from storage import json_text
from storage.errors import DuplicateKey
from storage.mongodb import counters
from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.xapi import StatementPage, StatementQuery, StatementRecord
from storage.timestamps import utcnow as _now

#: The counter document that hands out statement sequence numbers.
SEQ_COUNTER = "xapi_statement_seq"
#: Fields read back for a statement (never the bulky key array).
_STATEMENT_FIELDS = {"sid": 1, "body": 1, "voided": 1, "voids": 1, "org_id": 1, "stored": 1,
                     "seq": 1}


def ensure_indexes(db: Database[Any]) -> None:
    """The statement indexes (created at start-up, idempotent)."""
    statements = db.xapi_statements
    statements.create_index([("k", 1), ("stored", -1), ("seq", -1)], name="key_stored")
    statements.create_index([("stored", -1), ("seq", -1)], name="stored")
    statements.create_index([("org_id", 1), ("stored", -1), ("seq", -1)], name="org_stored")
    statements.create_index([("sid", 1), ("seq", 1)], name="sid_seq")


def statement_key(org_id: str | None, statement_id: str) -> str:
    """The ``_id`` of organisation ``org_id``'s statement ``statement_id`` (a statement id is
    a UUID, so the last ``|`` separates them)."""
    return f"{org_id or ''}|{statement_id}"


def _encode_cursor(stored: str, seq: int) -> str:
    return f"{seq}:{stored}"


def _decode_cursor(cursor: str) -> tuple[str, int]:
    seq, _, stored = cursor.partition(":")
    return stored, int(seq)


class MongoStatementRepository:
    """``storage.ports.xapi.StatementRepository`` on the ``xapi_statements`` collection."""

    def __init__(self, db: Database[Any]) -> None:
        self.db = db
        self.coll = db.xapi_statements

    @translate_errors
    def insert(self, records: list[StatementRecord]) -> tuple[str, list[str]]:
        """Store a batch all-or-nothing (see the module docstring for how)."""
        try:
            return self._insert(records)
        except _LostRace:
            pass
        try:
            return self._insert(records)  # the re-check now sees the concurrent writer's ids
        except _LostRace as exc:
            raise DuplicateKey("a concurrent writer keeps storing ids of this batch") from exc

    def _insert(self, records: list[StatementRecord]) -> tuple[str, list[str]]:
        stored = _now()
        if not records:
            return stored, []
        keys = list({statement_key(r.org_id, r.id) for r in records})
        existing = {d["_id"]: d["fp"] for d in self.coll.find({"_id": {"$in": keys}}, {"fp": 1})}
        fresh: list[StatementRecord] = []
        seen: set[str] = set()
        for record in records:
            key = statement_key(record.org_id, record.id)
            known = existing.get(key)
            if known is not None:
                if known != record.fingerprint:
                    raise DuplicateKey(f"statement {record.id} exists with other content")
                continue
            if key not in seen:
                seen.add(key)
                fresh.append(record)
        if not fresh:
            return stored, []
        first = counters.reserve(self.db, SEQ_COUNTER, len(fresh))
        stored = _now()  # after the sequence numbers: stored order follows seq order
        batch = uuid.uuid4().hex
        docs = []
        for offset, record in enumerate(fresh):
            record.statement["stored"] = stored
            docs.append({
                "_id": statement_key(record.org_id, record.id), "sid": record.id,
                "seq": first + offset, "stored": stored,
                "fp": record.fingerprint, "voided": False, "voids": record.voids,
                "org_id": record.org_id, "k": sorted(set(record.keys)), "batch": batch,
                "body": orjson.dumps(record.statement).decode(),
            })
        try:
            self.coll.insert_many(docs, ordered=True)
        except (BulkWriteError, DuplicateKeyError) as exc:
            # Someone stored one of these ids since the check: undo our part, then retry.
            self.coll.delete_many({"batch": batch})
            raise _LostRace from exc
        # Data 2.3.2, in the voiding statement's own organisation only.
        voided = [statement_key(r.org_id, r.voids) for r in fresh if r.voids]
        if voided:
            self.coll.update_many({"_id": {"$in": voided}}, {"$set": {"voided": True}})
        return stored, [r.id for r in fresh]

    @translate_errors
    def get(self, statement_id: str, org_id: str | None = None) -> Document | None:
        """One statement with its voided flag and organisation (see the port for ``org_id``)."""
        return self.get_many([statement_id], org_id).get(statement_id)

    @translate_errors
    def get_many(self, ids: Iterable[str], org_id: str | None = None) -> dict[str, Document]:
        """Several statements by id (absent ones left out): organisation ``org_id``'s, or with
        None each id's earliest stored one (``sid_seq`` index)."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        if org_id is not None:
            found = self.coll.find({"_id": {"$in": [statement_key(org_id, i) for i in wanted]}},
                                   _STATEMENT_FIELDS)
        else:
            found = self.coll.find({"sid": {"$in": wanted}}, _STATEMENT_FIELDS).sort("seq", 1)
        out: dict[str, Document] = {}
        for d in found:
            out.setdefault(d["sid"], {
                "statement": json_text.loads(d["body"], None), "voided": bool(d.get("voided")),
                "voids": d.get("voids"), "org_id": d.get("org_id")})
        return out

    @translate_errors
    def query(self, query: StatementQuery) -> StatementPage:
        """One page, newest first unless ``ascending``."""
        conditions: list[dict[str, Any]] = [{"voided": False}]
        if query.keys:
            keys = list(dict.fromkeys(query.keys))
            conditions.append({"k": keys[0]} if len(keys) == 1 else {"k": {"$all": keys}})
        stored_range: dict[str, str] = {}
        if query.since:
            stored_range["$gt"] = query.since
        if query.until:
            stored_range["$lte"] = query.until
        if stored_range:
            conditions.append({"stored": stored_range})
        if query.org_id is not None:
            conditions.append({"org_id": query.org_id})
        if query.cursor:
            stored, seq = _decode_cursor(query.cursor)
            after = "$gt" if query.ascending else "$lt"
            conditions.append({"$or": [{"stored": {after: stored}},
                                       {"stored": stored, "seq": {after: seq}}]})
        direction = pymongo.ASCENDING if query.ascending else pymongo.DESCENDING
        cursor = (self.coll.find({"$and": conditions}, _STATEMENT_FIELDS)
                  .sort([("stored", direction), ("seq", direction)])
                  .limit(query.limit + 1))
        docs = list(cursor)
        more = len(docs) > query.limit
        docs = docs[:query.limit]
        next_cursor = _encode_cursor(docs[-1]["stored"], docs[-1]["seq"]) if more else None
        return StatementPage([d["body"] for d in docs], next_cursor,
                             [d.get("org_id") for d in docs])

    @translate_errors
    def scan(self, cursor: str | None, limit: int) -> StatementPage:
        """Every statement in (stored, seq) order, on the ``stored`` index (see the port)."""
        find: dict[str, Any] = {}
        if cursor:
            stored, seq = _decode_cursor(cursor)
            find = {"$or": [{"stored": {"$gt": stored}}, {"stored": stored, "seq": {"$gt": seq}}]}
        docs = list(self.coll.find(find, _STATEMENT_FIELDS)
                    .sort([("stored", 1), ("seq", 1)]).limit(limit))
        last = _encode_cursor(docs[-1]["stored"], docs[-1]["seq"]) if len(docs) == limit else None
        return StatementPage([d["body"] for d in docs], last, [d.get("org_id") for d in docs])

    @translate_errors
    def count(self) -> int:
        """How many statements are stored (voided ones included)."""
        return int(self.coll.count_documents({}))


class _LostRace(Exception):
    """A concurrent writer stored an id of the batch between the check and the insert."""
