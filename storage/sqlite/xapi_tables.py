"""The SQLite tables of the LRS and how their rows are keyed: statements, documents, activities.

Statements keep their JSON as text with the columns the LRS needs (seq, id, stored, voided). The
filters of Communication 2.1.3 go through one side table of index keys (``storage.ports.
StatementRecord.keys``) stored as 64-bit hashes in a ``WITHOUT ROWID`` table whose primary key
``(epoch, key, seq)`` is the composite "(filter, stored)" index, partitioned by time: ``seq`` is
the insertion order (``stored`` is taken inside the write transaction, so ``seq`` order is
``stored`` order and keyset cursors on ``seq`` are stable) and ``epoch = seq >> EPOCH_BITS``.

Why epochs: a statement adds about five index entries at random places (its registration, its
actor, its activity, its parent activity, its id). In one ``(key, seq)`` tree of a million
statements each of those dirties a page of its own, and every dirtied page is written to the
WAL at commit and copied back at the checkpoint: ingest fell from 6,400 to 4,300 statements/s
between 100k and 500k statements. Under ``(epoch, key, seq)`` the random inserts land only in
the current epoch's small subtree, whose pages stay hot and are shared by many statements of a
commit: 10-15k statements/s, flat as the store grows (``benchmarks.xapi``). A filtered page is
still one ordered range scan per epoch; the epochs of a query run newest first (oldest first
when ``ascending``) as ``UNION ALL`` members that SQLite evaluates lazily, so a dense key (a
verb) costs one epoch and a sparse one (a learner) one index probe per epoch (~60 at a million
statements).

Statement ids are found through ``xapi_statement_ids`` (a 64-bit hash of the id and the seq)
rather than a UNIQUE index on the 36-character text: a smaller tree, so fewer pages dirtied. A
hash collision is harmless: every lookup compares the id itself. Ids are unique per
organisation (each organisation's LRS is its own store): the hash stays on the id alone, and
every lookup compares the organisation along with the id, so tenancy costs ingest nothing.
Documents and activity definitions carry the organisation first in their primary keys.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import Any

SCHEMA_VERSION = 3

#: ``epoch = seq >> EPOCH_BITS``: 16,384 statements an epoch. Baked into stored rows; changing
#: it needs a migration (see :mod:`storage.sqlite.xapi_upgrade`).
EPOCH_BITS = 14

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS xapi_statements (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    stored TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0,
    voids TEXT,
    org_id TEXT,
    body TEXT NOT NULL
)""",
    """CREATE INDEX IF NOT EXISTS xapi_statements_stored ON xapi_statements (stored)""",
    """CREATE TABLE IF NOT EXISTS xapi_statement_ids (
    hash INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (hash, seq)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS xapi_statement_index (
    epoch INTEGER NOT NULL,
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (epoch, key, seq)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS xapi_documents (
    org_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    registration TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    content BLOB NOT NULL,
    content_type TEXT NOT NULL,
    etag TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (org_id, kind, activity_id, agent, registration, doc_id)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS xapi_activities (
    org_id TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
)""",
)

_MAX_VARS = 500  # stay well under SQLite's bound-parameter limit


@functools.lru_cache(maxsize=200_000)
def key_hash(key: str) -> int:
    """The signed 64-bit integer stored for an index key (collisions: ~2^-64 per pair)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                          signed=True)


def stored_hashes(keys: Iterable[str]) -> list[int]:
    """The key hashes written for a statement. A related key ``kind*|value`` is implied by
    ``kind|value`` (see :mod:`xapi.index_keys`: the related set is a superset), so it is not
    written when the direct key is: two fewer random index inserts per typical statement."""
    unique = set(keys)
    return list({key_hash(k) for k in unique
                 if "*|" not in k or k.replace("*|", "|", 1) not in unique})


def alternatives(key: str) -> list[int]:
    """The stored key hashes that satisfy a query key (see :func:`stored_hashes`)."""
    if "*|" in key:
        return [key_hash(key), key_hash(key.replace("*|", "|", 1))]
    return [key_hash(key)]


def id_hash(statement_id: str) -> int:
    """The signed 64-bit hash under which ``xapi_statement_ids`` finds a statement id."""
    return int.from_bytes(hashlib.blake2b(statement_id.encode(), digest_size=8).digest(),
                          "big", signed=True)


def chunks(items: list[Any]) -> Iterable[list[Any]]:
    """``items`` in lists of at most :data:`_MAX_VARS` (one bound parameter each)."""
    for i in range(0, len(items), _MAX_VARS):
        yield items[i:i + _MAX_VARS]
