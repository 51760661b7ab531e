"""Organisations and credentials on SQLite (tables ``organisations`` and ``credentials`` of
:mod:`storage.sqlite.marketplace`)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from storage.errors import LastAdminCredential
from storage.ports import Document
from storage.ports.accounts import is_active_admin
from storage.sqlite.json_columns import dumps, loads

if TYPE_CHECKING:
    from storage.sqlite.store import SqliteStore


class SqliteOrganisationRepository:
    """:class:`storage.ports.accounts.OrganisationRepository` over the ``organisations`` table."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, org: Document) -> None:
        """Insert (``DuplicateKey`` when the id or the name exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO organisations VALUES (?, ?, ?, ?)",
                         (org["id"], org["name"], org["kind"], dumps(org)))

    def _one(self, column: str, value: str) -> Document | None:
        rows = self.store.query(f"SELECT doc FROM organisations WHERE {column} = ?", (value,))
        return loads(rows[0][0]) if rows else None

    def get(self, org_id: str) -> Document | None:
        """The organisation with that id."""
        return self._one("id", org_id)

    def get_by_name(self, name: str) -> Document | None:
        """The organisation with that exact name."""
        return self._one("name", name)

    def list(self, kind: str | None = None) -> builtins.list[Document]:
        """All organisations (of one kind when given), ordered by name."""
        if kind is None:
            rows = self.store.query("SELECT doc FROM organisations ORDER BY name")
        else:
            rows = self.store.query(
                "SELECT doc FROM organisations WHERE kind = ? ORDER BY name", (kind,))
        return [loads(row[0]) for row in rows]

    def count(self) -> int:
        """How many organisations exist."""
        return int(self.store.query("SELECT count(*) FROM organisations")[0][0])


class SqliteCredentialRepository:
    """:class:`storage.ports.accounts.CredentialRepository` over the ``credentials`` table."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def add(self, credential: Document) -> None:
        """Insert (``DuplicateKey`` when the key exists)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO credentials VALUES (?, ?, ?, ?)",
                         (credential["key"], credential["org_id"],
                          credential.get("created_at"), dumps(credential)))

    def get(self, key: str) -> Document | None:
        """The credential with that key id."""
        rows = self.store.query("SELECT doc FROM credentials WHERE key = ?", (key,))
        return loads(rows[0][0]) if rows else None

    def list_for_org(self, org_id: str) -> list[Document]:
        """The organisation's credentials, oldest first."""
        rows = self.store.query(
            "SELECT doc FROM credentials WHERE org_id = ? ORDER BY created_at, key", (org_id,))
        return [loads(row[0]) for row in rows]

    def revoke(self, key: str, keep_last_admin: bool = False) -> bool:
        """Mark revoked; False when there is no such key. ``keep_last_admin``: the count of the
        other active admins is read inside the same write transaction (``BEGIN IMMEDIATE``
        holds the write lock), so no other revocation can slip in between."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT doc FROM credentials WHERE key = ?", (key,)).fetchone()
            if row is None:
                return False
            doc = loads(row[0])
            if keep_last_admin and is_active_admin(doc) and not conn.execute(
                    "SELECT 1 FROM credentials, json_each(credentials.doc, '$.roles') AS role "
                    "WHERE role.value = 'admin' AND credentials.key != ? "
                    "AND NOT coalesce(json_extract(credentials.doc, '$.revoked'), 0) LIMIT 1",
                    (key,)).fetchone():
                raise LastAdminCredential(f"credential {key} is the last active admin")
            doc["revoked"] = True
            conn.execute("UPDATE credentials SET doc = ? WHERE key = ?", (dumps(doc), key))
            return True
