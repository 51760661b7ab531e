"""SQLite repositories of capacity-building plans (:mod:`storage.ports.plans`).

``department_learners`` keys a learner record by ``(org_id, learner_id)``, the document whole as
JSON; the designation and position filters of ``page`` use expression indexes on the JSON
(``json_extract``), so documents written before those filters need no new column. ``plans``
keeps each plan whole as JSON with the columns that listings and compare-and-set use.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storage.errors import ConcurrentUpdate
from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

# 2: the expression indexes of the learner record's filters (issue 13).
SCHEMA_VERSION = 2

_DESIGNATION = "json_extract(doc, '$.designation')"
_POSITION = "json_extract(doc, '$.position')"

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS department_learners (
        org_id TEXT NOT NULL, learner_id TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (org_id, learner_id))""",
    """CREATE TABLE IF NOT EXISTS plans (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, state TEXT NOT NULL,
        created_at TEXT NOT NULL, row_version INTEGER NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS plans_org ON plans (org_id, created_at, id)",
    f"CREATE INDEX IF NOT EXISTS department_learners_designation ON department_learners "
    f"(org_id, {_DESIGNATION}, learner_id)",
    f"CREATE INDEX IF NOT EXISTS department_learners_position ON department_learners "
    f"(org_id, {_POSITION}, learner_id)",
)


class SqliteDepartmentLearnerRepository:
    """A department's learner directory in ``department_learners``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def put(self, learner: Document) -> bool:
        """Insert or replace in one write; True when new."""
        return self.put_many([learner]) == 1

    def put_many(self, learners: Iterable[Document]) -> int:
        """One transaction; how many keys were new."""
        new = 0
        with self.store.transaction() as conn:
            for learner in learners:
                key = (learner["org_id"], learner["learner_id"])
                existed = conn.execute("SELECT 1 FROM department_learners WHERE org_id = ? AND "
                                       "learner_id = ?", key).fetchone() is not None
                conn.execute("INSERT OR REPLACE INTO department_learners VALUES (?, ?, ?)",
                             (*key, dumps(learner)))
                new += not existed
        return new

    def get(self, org_id: str, learner_id: str) -> Document | None:
        """One learner, or None."""
        rows = self.store.query("SELECT doc FROM department_learners WHERE org_id = ? AND "
                                "learner_id = ?", (org_id, learner_id))
        return loads(rows[0][0]) if rows else None

    def list(self, org_id: str) -> builtins.list[Document]:
        """By learner id."""
        rows = self.store.query("SELECT doc FROM department_learners WHERE org_id = ? "
                                "ORDER BY learner_id", (org_id,))
        return [loads(r[0]) for r in rows]

    def delete(self, org_id: str, learner_id: str) -> bool:
        """Remove one learner."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM department_learners WHERE org_id = ? AND "
                                "learner_id = ?", (org_id, learner_id)).rowcount == 1

    def page(self, org_id: str, limit: int, after: str | None = None, *,
             designation: str | None = None, position: str | None = None,
             ) -> builtins.list[Document]:
        """Keyset page by learner id; the filters match the expression indexes."""
        sql, params = "SELECT doc FROM department_learners WHERE org_id = ?", [org_id]
        if designation is not None:
            sql, params = f"{sql} AND {_DESIGNATION} = ?", [*params, designation]
        if position is not None:
            sql, params = f"{sql} AND {_POSITION} = ?", [*params, position]
        if after is not None:
            sql, params = sql + " AND learner_id > ?", [*params, after]
        rows = self.store.query(sql + " ORDER BY learner_id LIMIT ?", (*params, limit))
        return [loads(r[0]) for r in rows]


class SqlitePlanRepository:
    """Plans in ``plans``."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, plan: Document) -> None:
        """Insert with ``row_version`` 1 (``DuplicateKey`` when the id exists)."""
        doc = {**plan, "row_version": 1}
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO plans VALUES (?, ?, ?, ?, 1, ?)",
                         (doc["id"], doc["org_id"], doc["state"], doc["created_at"], dumps(doc)))

    def get(self, plan_id: str) -> Document | None:
        """One plan, or None."""
        rows = self.store.query("SELECT doc FROM plans WHERE id = ?", (plan_id,))
        return loads(rows[0][0]) if rows else None

    def list(self, org_id: str, state: str | None = None) -> builtins.list[Document]:
        """Oldest first."""
        sql, params = "SELECT doc FROM plans WHERE org_id = ?", [org_id]
        if state is not None:
            sql, params = sql + " AND state = ?", [*params, state]
        rows = self.store.query(sql + " ORDER BY created_at, id", tuple(params))
        return [loads(r[0]) for r in rows]

    def replace(self, plan: Document, expected_row_version: int) -> Document:
        """One conditional UPDATE: it matches only the expected ``row_version``."""
        doc = {**plan, "row_version": expected_row_version + 1}
        with self.store.transaction() as conn:
            row = conn.execute("SELECT org_id FROM plans WHERE id = ?", (doc["id"],)).fetchone()
            if row is not None:
                doc["org_id"] = row[0]  # the owner never changes
            changed = conn.execute(
                "UPDATE plans SET state = ?, row_version = ?, doc = ? "
                "WHERE id = ? AND row_version = ?",
                (doc["state"], doc["row_version"], dumps(doc), doc["id"],
                 expected_row_version)).rowcount
        if changed != 1:
            raise ConcurrentUpdate(f"plan {doc['id']} changed (or is absent)")
        return doc


def attach(store: SqliteStore) -> None:
    """``store.department_learners`` and ``store.plans``."""
    store.department_learners = SqliteDepartmentLearnerRepository(store)
    store.plans = SqlitePlanRepository(store)
