"""Helpers of the player tests: a published cmi5 course (uploaded and reviewed through the API),
launches through ``POST /player/launches``, the AU's side of a session, and the hub's
``satisfied`` statements read back from the store."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from storage.ports.xapi import StatementQuery
from tests.marketplace.conftest import Cast
from tests.marketplace.package_support import cmi5_zip
from tests.xapi.cmi5_support import VERSION
from xapi.cmi5_vocabulary import CATEGORY, MOVEON_CATEGORY, SESSION_ID, VERBS


def published_cmi5(cast: Cast, package: bytes | None = None) -> str:
    """Provider A's course with ``package`` (default: package_support's cmi5 course),
    published; its id."""
    course = cast.create()
    res = cast.client.put(f"/courses/{course['id']}/package", data=package or cmi5_zip(),
                          headers={
        **cast.a["headers"], **cast.etag(course["id"], cast.a), "Content-Type": "application/zip"})
    assert res.status_code == 200, res.json
    cast.act(course["id"], "submit", cast.a)
    cast.act(course["id"], "start_review", cast.reviewer)
    cast.act(course["id"], "publish", cast.reviewer)
    return str(course["id"])


class Au:
    """One launched AU session as the AU sees it."""

    def __init__(self, client: Any, launch: dict[str, Any]) -> None:
        self.client, self.launch = client, launch
        self.params = {k: v[0] for k, v in parse_qs(urlsplit(launch["url"]).query).items()}
        res = client.post(urlsplit(self.params["fetch"]).path)
        assert res.status_code == 200 and "auth-token" in res.get_json(), res.get_json()
        self.headers = {"Authorization": "Basic " + res.get_json()["auth-token"], **VERSION}
        # cmi5 §11: a conformant AU reads its learner's preferences before "initialized".
        prefs = client.get("/xapi/agents/profile", headers=self.headers, query_string={
            "agent": self.params["actor"], "profileId": "cmi5LearnerPreferences"})
        assert prefs.status_code == 200, prefs.get_json()

    def send(self, verb: str, result: dict[str, Any] | None = None, cmi5: bool = True) -> Any:
        """POST one statement of the session, cmi5 defined (or, ``cmi5=False``, "cmi5
        allowed": no cmi5 category, any verb); the response."""
        category = [{"id": CATEGORY}] if cmi5 else []
        if result and ("success" in result or "completion" in result):
            category.append({"id": MOVEON_CATEGORY})
        stmt: dict[str, Any] = {
            "id": str(uuid.uuid4()), "actor": orjson.loads(self.params["actor"]),
            "timestamp": datetime.now(UTC).isoformat(),  # cmi5 §9.7: the AU sets it
            "verb": {"id": VERBS.get(verb, f"http://adlnet.gov/expapi/verbs/{verb}")},
            "object": {"objectType": "Activity", "id": self.params["activityId"]},
            "context": {"registration": self.params["registration"],
                        "contextActivities": {"category": category,
                                              "grouping": [{"id": self.launch["au_id"]}]},
                        "extensions": {SESSION_ID: self.launch["session_id"]}}}
        if result is not None:
            stmt["result"] = result
        if verb in ("passed", "failed") and result and "score" in result:
            # cmi5 §9.6.3.2: a scored judgement carries the AU's masteryScore (the test
            # package's quiz: 0.8).
            stmt["context"]["extensions"][
                "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] = 0.8
        return self.client.post("/xapi/statements", data=orjson.dumps(stmt),
                                content_type="application/json", headers=self.headers)


def launch(client: Any, who: dict[str, Any], course_id: str, learner: str = "learner-1",
           status: int = 201, **body: Any) -> dict[str, Any]:
    """POST /player/launches; the JSON answer."""
    res = client.post("/player/launches", json={"course_id": course_id, "learner_id": learner,
                                                 **body}, headers=who["headers"])
    assert res.status_code == status, res.get_json()
    return res.get_json()  # type: ignore[no-any-return]


def lms_statements(app: Any, org_id: str, registration: str,
                   verb: str | None) -> list[dict[str, Any]]:
    """The registration's stored statements, oldest first, with ``verb`` (None: all; the
    hub's own among them)."""
    store = app.extensions["hub.store"]
    page = store.statements.query(StatementQuery(keys=("reg|" + registration,),
                                                 ascending=True, limit=500, org_id=org_id))
    return [s for s in page.statements if verb is None or s["verb"]["id"] == VERBS[verb]]


def player_ids(tenants: Any, client: Any, lms: dict[str, Any]) -> dict[str, str]:
    """A published cmi5 course launched once for ``lms``: the path ids of the /player API."""
    done = launch(client, lms, published_cmi5(Cast(tenants, client)))
    return {"registration": done["registration"], "session_id": done["session_id"]}
