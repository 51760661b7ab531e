"""``storage.ports.xapi.DocumentRepository`` on SQLite: State, Activity Profile and Agent Profile
documents in ``xapi_documents`` (see :mod:`storage.sqlite.xapi_tables`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from storage.errors import ConcurrentUpdate
from storage.ports import Document
from storage.ports.xapi import DocumentKey
from storage.sqlite.store import translated

#: Keys per query of :meth:`SqliteDocumentRepository.get_many` (6 parameters each, under
#: SQLite's oldest limit of 999 parameters).
_CHUNK = 150


class SqliteDocumentRepository:
    """``storage.ports.xapi.DocumentRepository`` on SQLite."""

    def __init__(self, store: Any) -> None:
        self._store = store

    @staticmethod
    def _where(key: DocumentKey) -> tuple[str, tuple[str, ...]]:
        return ("org_id = ? AND kind = ? AND activity_id = ? AND agent = ? AND registration = ? "
                "AND doc_id = ?",
                (key.org_id, key.kind, key.activity_id, key.agent, key.registration, key.doc_id))

    def get(self, key: DocumentKey) -> Document | None:
        """One document or None."""
        where, params = self._where(key)
        rows = self._store.query(
            f"SELECT content, content_type, etag, updated FROM xapi_documents WHERE {where}",
            params,
        )
        if not rows:
            return None
        row = rows[0]
        return {"content": bytes(row[0]), "content_type": row[1], "etag": row[2],
                "updated": row[3]}

    def get_many(self, keys: list[DocumentKey]) -> dict[DocumentKey, Document]:
        """Row values ``IN (VALUES ...)`` on the primary key, :data:`_CHUNK` keys a query."""
        found: dict[DocumentKey, Document] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start:start + _CHUNK]
            params = [part for key in chunk for part in (
                key.org_id, key.kind, key.activity_id, key.agent, key.registration, key.doc_id)]
            rows = self._store.query(
                "SELECT org_id, kind, activity_id, agent, registration, doc_id, content, "
                "content_type, etag, updated FROM xapi_documents WHERE (org_id, kind, "
                "activity_id, agent, registration, doc_id) IN (VALUES "
                + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk)) + ")", params)
            for row in rows:
                key = DocumentKey(row[1], row[5], row[2], row[3], row[4], org_id=row[0])
                found[key] = {"content": bytes(row[6]), "content_type": row[7],
                              "etag": row[8], "updated": row[9]}
        return found

    def save(self, key: DocumentKey, doc: Document, expected_etag: str | None) -> None:
        """Compare-and-set on the etag."""
        where, params = self._where(key)
        values = (doc["content"], doc["content_type"], doc["etag"], doc["updated"])
        with translated(), self._store.transaction() as conn:
            if expected_etag is None:
                try:
                    conn.execute(
                        "INSERT INTO xapi_documents (org_id, kind, activity_id, agent,"
                        " registration, doc_id, content, content_type, etag, updated)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params + values)
                except sqlite3.IntegrityError as exc:
                    raise ConcurrentUpdate(f"document {key.doc_id} exists") from exc
                return
            cur = conn.execute(
                "UPDATE xapi_documents SET content = ?, content_type = ?, etag = ?, updated = ?"
                f" WHERE {where} AND etag = ?", values + params + (expected_etag,))
            if cur.rowcount != 1:
                raise ConcurrentUpdate(f"document {key.doc_id} changed")

    def delete(self, key: DocumentKey) -> bool:
        """Delete one document."""
        where, params = self._where(key)
        with translated(), self._store.transaction() as conn:
            return conn.execute(f"DELETE FROM xapi_documents WHERE {where}", params).rowcount > 0

    @staticmethod
    def _scope(org_id: str, kind: str, activity_id: str, agent: str, registration: str | None,
               ) -> tuple[str, list[str]]:
        sql = "org_id = ? AND kind = ? AND activity_id = ? AND agent = ?"
        params = [org_id, kind, activity_id, agent]
        if registration is not None:
            sql += " AND registration = ?"
            params.append(registration)
        return sql, params

    def list_ids(self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
                 registration: str | None = None, since: str | None = None) -> list[str]:
        """Ids in an organisation's scope, optionally updated after ``since``."""
        sql, params = self._scope(org_id, kind, activity_id, agent, registration)
        if since:
            sql += " AND updated > ?"
            params.append(since)
        rows = self._store.query(
            f"SELECT DISTINCT doc_id FROM xapi_documents WHERE {sql} ORDER BY doc_id", params)
        return [r[0] for r in rows]

    def delete_many(self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
                    registration: str | None = None) -> int:
        """Delete an organisation's scope."""
        sql, params = self._scope(org_id, kind, activity_id, agent, registration)
        with translated(), self._store.transaction() as conn:
            return int(conn.execute(f"DELETE FROM xapi_documents WHERE {sql}", params).rowcount)
