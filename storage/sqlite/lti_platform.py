"""SQLite repository of the platform side's LTI Advantage services
(:class:`storage.ports.lti_platform.PlatformContextRepository`).

Each document is kept whole as JSON beside the columns its queries use; every primary key is
the key a tool's request names (tool, context, user / line item), so each AGS or NRPS request is
one index range scan. Results are upserted with a ``WHERE`` on the timestamp: the compare-and-set
that keeps the latest score (AGS §3.4.4) in one statement.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from storage.ports import Document
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore

SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS lti_contexts (
        tool_id TEXT NOT NULL, context_id TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (tool_id, context_id))""",
    """CREATE TABLE IF NOT EXISTS lti_members (
        tool_id TEXT NOT NULL, context_id TEXT NOT NULL, user_id TEXT NOT NULL,
        roles TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (tool_id, context_id, user_id))""",
    """CREATE TABLE IF NOT EXISTS lti_line_items (
        id TEXT PRIMARY KEY, tool_id TEXT NOT NULL, context_id TEXT NOT NULL,
        resource_link_id TEXT, resource_id TEXT, tag TEXT, doc TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS lti_line_items_context
        ON lti_line_items (tool_id, context_id, id)""",
    """CREATE TABLE IF NOT EXISTS lti_results (
        line_item_id TEXT NOT NULL, user_id TEXT NOT NULL, timestamp TEXT NOT NULL,
        doc TEXT NOT NULL, PRIMARY KEY (line_item_id, user_id))""",
    """CREATE TABLE IF NOT EXISTS lti_tokens (
        token_hash TEXT PRIMARY KEY, expires_at TEXT NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS lti_tokens_expiry ON lti_tokens (expires_at)",
)

_ITEM_FILTERS = ("resource_link_id", "resource_id", "tag")


class SqlitePlatformContextRepository:
    """Contexts, members, line items, results and tokens in the ``lti_*`` tables."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def _docs(self, sql: str, params: tuple[Any, ...]) -> builtins.list[Document]:
        return [loads(row[0]) for row in self.store.query(sql, params)]

    # -- contexts and members ------------------------------------------------------------

    def ensure_context(self, context: Document) -> Document:
        """``INSERT OR IGNORE`` then read, in one transaction."""
        with self.store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO lti_contexts VALUES (?, ?, ?)",
                         (context["tool_id"], context["context_id"], dumps(context)))
            row = conn.execute(
                "SELECT doc FROM lti_contexts WHERE tool_id = ? AND context_id = ?",
                (context["tool_id"], context["context_id"])).fetchone()
        return loads(row[0])  # type: ignore[no-any-return]

    def get_context(self, tool_id: str, context_id: str) -> Document | None:
        """One context, or None."""
        docs = self._docs("SELECT doc FROM lti_contexts WHERE tool_id = ? AND context_id = ?",
                          (tool_id, context_id))
        return docs[0] if docs else None

    def put_member(self, member: Document) -> None:
        """``INSERT OR REPLACE`` on the primary key."""
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO lti_members VALUES (?, ?, ?, ?, ?)",
                         (member["tool_id"], member["context_id"], member["user_id"],
                          dumps(list(member.get("roles") or [])), dumps(member)))

    def get_member(self, tool_id: str, context_id: str, user_id: str) -> Document | None:
        """One member, or None."""
        docs = self._docs("SELECT doc FROM lti_members WHERE tool_id = ? AND context_id = ? "
                          "AND user_id = ?", (tool_id, context_id, user_id))
        return docs[0] if docs else None

    def members(self, tool_id: str, context_id: str, *, role: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of the primary key's range; the role filter looks inside the roles array."""
        sql = "SELECT doc FROM lti_members WHERE tool_id = ? AND context_id = ? AND user_id > ?"
        params: tuple[Any, ...] = (tool_id, context_id, after or "")
        if role is not None:
            sql += " AND EXISTS (SELECT 1 FROM json_each(lti_members.roles) WHERE value = ?)"
            params += (role,)
        return self._docs(sql + " ORDER BY user_id LIMIT ?", (*params, limit))

    # -- line items and results ----------------------------------------------------------

    def add_line_item(self, item: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO lti_line_items VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (item["id"], item["tool_id"], item["context_id"],
                          *(item.get(name) for name in _ITEM_FILTERS), dumps(item)))

    def get_line_item(self, tool_id: str, context_id: str, item_id: str) -> Document | None:
        """One line item of the tool's context, or None."""
        docs = self._docs("SELECT doc FROM lti_line_items WHERE id = ? AND tool_id = ? "
                          "AND context_id = ?", (item_id, tool_id, context_id))
        return docs[0] if docs else None

    def line_items(self, tool_id: str, context_id: str, *, resource_link_id: str | None = None,
                   resource_id: str | None = None, tag: str | None = None,
                   after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of index ``lti_line_items_context``, filtered by the given columns."""
        sql = "SELECT doc FROM lti_line_items WHERE tool_id = ? AND context_id = ? AND id > ?"
        params: tuple[Any, ...] = (tool_id, context_id, after or "")
        for name, value in zip(_ITEM_FILTERS, (resource_link_id, resource_id, tag),
                               strict=True):
            if value is not None:
                sql += f" AND {name} = ?"
                params += (value,)
        return self._docs(sql + " ORDER BY id LIMIT ?", (*params, limit))

    def update_line_item(self, tool_id: str, context_id: str, item_id: str,
                         changes: Document) -> Document | None:
        """Read-modify-write inside one write transaction."""
        fixed = ("id", "tool_id", "context_id", "org_id", "course_id", "created_at")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM lti_line_items WHERE id = ? AND tool_id = ? "
                               "AND context_id = ?", (item_id, tool_id, context_id)).fetchone()
            if row is None:
                return None
            doc: Document = loads(row[0])
            doc.update({k: v for k, v in changes.items() if k not in fixed})
            conn.execute("UPDATE lti_line_items SET resource_link_id = ?, resource_id = ?, "
                         "tag = ?, doc = ? WHERE id = ?",
                         (*(doc.get(name) for name in _ITEM_FILTERS), dumps(doc), item_id))
        return doc

    def delete_line_item(self, tool_id: str, context_id: str, item_id: str) -> bool:
        """The item and its results in one transaction."""
        with self.store.transaction() as conn:
            deleted = conn.execute("DELETE FROM lti_line_items WHERE id = ? AND tool_id = ? "
                                   "AND context_id = ?", (item_id, tool_id, context_id)).rowcount
            if deleted:
                conn.execute("DELETE FROM lti_results WHERE line_item_id = ?", (item_id,))
        return bool(deleted)

    def put_result(self, result: Document) -> bool:
        """One upsert whose update only runs for a later timestamp."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO lti_results VALUES (?, ?, ?, ?) "
                "ON CONFLICT (line_item_id, user_id) DO UPDATE SET timestamp = excluded.timestamp,"
                " doc = excluded.doc WHERE excluded.timestamp > lti_results.timestamp",
                (result["line_item_id"], result["user_id"], result["timestamp"], dumps(result)))
            return cur.rowcount == 1

    def results(self, line_item_id: str, *, user_id: str | None = None,
                after: str | None = None, limit: int = 100) -> builtins.list[Document]:
        """A page of the primary key's range."""
        sql = "SELECT doc FROM lti_results WHERE line_item_id = ? AND user_id > ?"
        params: tuple[Any, ...] = (line_item_id, after or "")
        if user_id is not None:
            sql += " AND user_id = ?"
            params += (user_id,)
        return self._docs(sql + " ORDER BY user_id LIMIT ?", (*params, limit))

    # -- access tokens -------------------------------------------------------------------

    def add_token(self, token: Document) -> None:
        """Insert (``DuplicateKey`` when the hash exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO lti_tokens VALUES (?, ?, ?)",
                         (token["token_hash"], token["expires_at"], dumps(token)))

    def get_token(self, token_hash: str) -> Document | None:
        """One token by its hash, or None."""
        docs = self._docs("SELECT doc FROM lti_tokens WHERE token_hash = ?", (token_hash,))
        return docs[0] if docs else None

    def purge_tokens(self, now: str) -> int:
        """One range delete on ``lti_tokens_expiry``."""
        with self.store.transaction() as conn:
            return int(conn.execute("DELETE FROM lti_tokens WHERE expires_at < ?",
                                    (now,)).rowcount)


def attach(store: SqliteStore) -> None:
    """``store.lti_contexts``."""
    store.lti_contexts = SqlitePlatformContextRepository(store)
