"""Fixtures of the LRS tests: an LRS client with writer/reader credentials on every store."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import orjson
import pytest

from tests.conftest import Tenants

VERSION = {"X-Experience-API-Version": "1.0.3"}
VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}


def agent(name: str) -> dict[str, Any]:
    """An Agent identified by mbox."""
    return {"objectType": "Agent", "mbox": f"mailto:{name}@example.org", "name": name}


def statement(actor: str = "asha", verb: str = "attempted",
              activity: str = "http://example.org/course/1", **extra: Any) -> dict[str, Any]:
    """A valid statement with a fresh id."""
    stmt: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent(actor),
        "verb": {"id": VERBS.get(verb, verb), "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": activity,
                   "definition": {"name": {"en-US": "Course"}}},
    }
    stmt.update(extra)
    return stmt


def q(value: Any) -> str:
    """A query parameter value: JSON for objects, URL-quoted."""
    return quote(value if isinstance(value, str) else orjson.dumps(value).decode(), safe="")


class LRS:
    """A test client speaking xAPI with one credential's headers."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = {**headers, **VERSION}

    def _h(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(extra or {})}

    def post(self, body: Any, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        """POST /xapi/statements with a JSON body (or raw ``data=``)."""
        if "data" in kw:
            return self.client.post("/xapi/statements", headers=self._h(headers), **kw)
        return self.client.post("/xapi/statements", data=orjson.dumps(body),
                                content_type="application/json", headers=self._h(headers))

    def put(self, stmt: Any, statement_id: str, headers: dict[str, str] | None = None) -> Any:
        """PUT /xapi/statements?statementId=..."""
        return self.client.put(f"/xapi/statements?statementId={statement_id}",
                               data=orjson.dumps(stmt), content_type="application/json",
                               headers=self._h(headers))

    def get(self, path: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        """GET any xAPI path."""
        return self.client.get(path, headers=self._h(headers), **kw)

    def query(self, params: str = "", headers: dict[str, str] | None = None) -> Any:
        """GET /xapi/statements?params; asserts 200, returns the parsed result."""
        resp = self.get("/xapi/statements" + ("?" + params if params else ""), headers)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()

    def ids(self, params: str = "") -> list[str]:
        """Ids of the first page of a query."""
        return [s["id"] for s in self.query(params)["statements"]]

    def open(self, method: str, path: str, headers: dict[str, str] | None = None,
             **kw: Any) -> Any:
        """Any request with this credential."""
        return self.client.open(path, method=method, headers=self._h(headers), **kw)


@pytest.fixture
def lrs(client: Any, tenants: Tenants) -> LRS:
    """A platform-admin organisation's credential with lrs-writer and lrs-reader."""
    made = tenants.make("Platform", kind="platform-admin", roles=("lrs-writer", "lrs-reader"))
    return LRS(client, made["headers"])


@pytest.fixture
def make_lrs(client: Any, tenants: Tenants) -> Any:
    """Factory: an LRS client for (organisation name, kind, roles)."""

    def make(name: str, kind: str = "lms", roles: tuple[str, ...] = ("lrs-writer",
                                                                      "lrs-reader")) -> LRS:
        return LRS(client, tenants.make(name, kind=kind, roles=roles)["headers"])

    return make
