"""In-place upgrades of the SQLite xAPI schema (see :mod:`storage.sqlite.xapi_tables`).

They run inside the migration transaction (``storage.sqlite.store.SqliteStore._migrate``);
``SCHEMA`` runs afterwards and creates whatever is new.
"""

from __future__ import annotations

import sqlite3

from storage.sqlite.xapi_tables import EPOCH_BITS, SCHEMA, alternatives, id_hash


def upgrade_from(conn: sqlite3.Connection, version: int) -> None:
    """Each step from ``version`` to the current schema, in order."""
    if version < 2:
        _to_2(conn)
    if version < 3:
        _to_3(conn)


def _to_2(conn: sqlite3.Connection) -> None:
    """1 -> 2: the ``(key, seq)`` index becomes ``(epoch, key, seq)``; the UNIQUE text index on
    ``id`` gives way to ``xapi_statement_ids`` (the table is rebuilt without it)."""
    conn.create_function("xapi_id_hash", 1, id_hash, deterministic=True)
    for statement in SCHEMA[2:4]:  # xapi_statement_ids, xapi_statement_index
        conn.execute(statement)
    conn.execute("INSERT INTO xapi_statement_index (epoch, key, seq) "
                 f"SELECT seq >> {EPOCH_BITS}, key, seq FROM xapi_statement_keys")
    conn.execute("DROP TABLE xapi_statement_keys")
    conn.execute("ALTER TABLE xapi_statements RENAME TO xapi_statements_v1")
    conn.execute("DROP INDEX IF EXISTS xapi_statements_stored")
    conn.execute(SCHEMA[0])
    conn.execute("INSERT INTO xapi_statements SELECT * FROM xapi_statements_v1")
    conn.execute("DROP TABLE xapi_statements_v1")
    conn.execute("INSERT INTO xapi_statement_ids (hash, seq) "
                 "SELECT xapi_id_hash(id), seq FROM xapi_statements")


def _to_3(conn: sqlite3.Connection) -> None:
    """2 -> 3: documents and activity definitions get an organisation (each organisation's
    LRS is its own store). Nothing recorded who wrote them, so each goes to the organisation
    of the earliest statement that names its activity (State, Activity Profile, definitions)
    or its agent (Agent Profile), anywhere in the statement; with none, to no organisation
    (``""``: kept, but no credential reaches it). Statements need no change: ids stay hashed
    alone and every lookup compares the organisation."""
    newest = conn.execute("SELECT MAX(seq) FROM xapi_statements").fetchone()[0] or 0
    epochs = range((newest >> EPOCH_BITS) + 1)

    def owner(key: str) -> str:
        """The organisation of the earliest statement carrying ``key`` (related form)."""
        hashes = alternatives(key)
        marks = ",".join("?" * len(hashes))
        for epoch in epochs:  # oldest first: the first hit is the earliest statement
            row = conn.execute(
                "SELECT s.org_id FROM xapi_statement_index k JOIN xapi_statements s "
                f"ON s.seq = k.seq WHERE k.epoch = ? AND k.key IN ({marks}) "
                "ORDER BY k.seq LIMIT 1", [epoch, *hashes]).fetchone()
            if row is not None:
                return str(row[0] or "")
        return ""

    owners: dict[str, str] = {}

    def owner_of(kind: str, activity_id: str, agent: str) -> str:
        key = "agent*|" + agent if kind == "agent-profile" else "act*|" + activity_id
        if key not in owners:
            owners[key] = owner(key)
        return owners[key]

    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if not {"xapi_documents", "xapi_activities"} <= tables:
        return  # a store that never had them: SCHEMA creates them
    conn.create_function("xapi_owner", 3, owner_of, deterministic=True)
    conn.execute("ALTER TABLE xapi_documents RENAME TO xapi_documents_v2")
    conn.execute("ALTER TABLE xapi_activities RENAME TO xapi_activities_v2")
    conn.execute(SCHEMA[4])
    conn.execute(SCHEMA[5])
    conn.execute("INSERT INTO xapi_documents (org_id, kind, activity_id, agent, registration, "
                 "doc_id, content, content_type, etag, updated) "
                 "SELECT xapi_owner(kind, activity_id, agent), kind, activity_id, agent, "
                 "registration, doc_id, content, content_type, etag, updated "
                 "FROM xapi_documents_v2")
    conn.execute("INSERT INTO xapi_activities (org_id, id, body) "
                 "SELECT xapi_owner('activity', id, ''), id, body FROM xapi_activities_v2")
    conn.execute("DROP TABLE xapi_documents_v2")
    conn.execute("DROP TABLE xapi_activities_v2")
