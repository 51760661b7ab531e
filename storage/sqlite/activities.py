"""``storage.ports.xapi.ActivityRepository`` on SQLite: each organisation's canonical Activity
objects in ``xapi_activities`` (see :mod:`storage.sqlite.xapi_tables`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from storage import json_text
from storage.ports import Document
from storage.sqlite.store import translated
from storage.sqlite.xapi_tables import chunks


class SqliteActivityRepository:
    """``storage.ports.xapi.ActivityRepository`` on SQLite."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def get_many(self, org_id: str, ids: Iterable[str]) -> dict[str, Document]:
        """An organisation's canonical activities by id."""
        out: dict[str, Document] = {}
        for chunk in chunks(list(set(ids))):
            marks = ",".join("?" * len(chunk))
            for aid, body in self._store.query(
                f"SELECT id, body FROM xapi_activities WHERE org_id = ? AND id IN ({marks})",
                [org_id, *chunk]
            ):
                out[aid] = json_text.loads(body, None)
        return out

    def put_many(self, org_id: str, activities: list[Document]) -> None:
        """Insert or replace an organisation's activities."""
        if not activities:
            return
        with translated(), self._store.transaction() as conn:
            conn.executemany(
                "INSERT INTO xapi_activities (org_id, id, body) VALUES (?, ?, ?)"
                " ON CONFLICT (org_id, id) DO UPDATE SET body = excluded.body",
                [(org_id, a["id"], orjson.dumps(a).decode()) for a in activities])
