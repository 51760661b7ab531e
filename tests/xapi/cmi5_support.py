"""Helpers of the cmi5 runtime tests: a course structure in the shape package upload stores, a
launch through :func:`lti.cmi5_launch.prepare_au_launch`, the AU's side (fetch, statements
built from the launch URL and LaunchData as an AU builds them), and the hub over real HTTP."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from tests.serving import served_app
from xapi.cmi5_vocabulary import CATEGORY, MOVEON_CATEGORY, SESSION_ID, VERBS

PUBLIC = "http://hub.test"
VERSION = {"X-Experience-API-Version": "1.0.3"}
AU_QUIZ = {"id": "https://provider.example/course-1/au/quiz", "url": "quiz/index.html",
           "launch_method": "AnyWindow", "move_on": "CompletedAndPassed", "mastery_score": 0.8,
           "launch_parameters": "level=2", "entitlement_key": "ent-1",
           "title": {"en": "Quiz", "hi": "प्रश्नोत्तरी"}}
AU_READ = {"id": "https://provider.example/course-1/au/reading",
           "url": "https://cdn.provider.example/reading.html?x=1", "launch_method": "OwnWindow",
           "move_on": "Completed", "mastery_score": None, "launch_parameters": None,
           "entitlement_key": None, "title": {"en": "Reading"}}
STRUCTURE = {"id": "https://provider.example/course-1", "aus": [AU_QUIZ, AU_READ],
             "blocks": [], "children": []}


@dataclass
class Launched:
    """One launch as the AU sees it: its query parameters, and its token once fetched."""

    url: str
    registration: str
    session: str
    activity_id: str
    params: dict[str, str]
    token: str = ""

    @property
    def actor(self) -> dict[str, Any]:
        """The ``actor`` launch parameter (cmi5 §8.1.3)."""
        return dict(orjson.loads(self.params["actor"]))

    @property
    def fetch_path(self) -> str:
        """The fetch URL's path on the hub."""
        return urlsplit(self.params["fetch"]).path

    def headers(self) -> dict[str, str]:
        """The AU's LRS headers: ``Authorization: Basic <auth-token>`` (cmi5 §8.2.1)."""
        return {"Authorization": "Basic " + self.token, **VERSION}


def launch(app: Any, org_id: str, learner: str = "learner-1", au: dict[str, Any] = AU_QUIZ,
           **kw: Any) -> Launched:
    """Launch ``au`` of :data:`STRUCTURE` for ``learner`` (the hub's function, in the app)."""
    from lti.cmi5_launch import prepare_au_launch

    store = app.extensions["hub.store"]
    kw.setdefault("return_url", "https://lms.example/return")
    with app.app_context():
        done = prepare_au_launch(store, org_id, learner, "crs_1", STRUCTURE, au,
                                 public_url=PUBLIC, content_base=PUBLIC + "/content/crs_1/1",
                                 **kw)
    params = {k: v[0] for k, v in parse_qs(urlsplit(done["url"]).query).items()}
    return Launched(done["url"], done["registration"], done["session"], done["activity_id"],
                    params)


def fetch(client: Any, launched: Launched, preferences: bool = True) -> Launched:
    """POST the fetch URL once and keep the token; then, as a conformant AU does before its
    ``initialized`` (cmi5 §11), read the learner's preferences (``preferences=False``: not)."""
    resp = client.post(launched.fetch_path)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    launched.token = resp.get_json()["auth-token"]
    if preferences:
        read = client.get("/xapi/agents/profile", headers=launched.headers(), query_string={
            "agent": launched.params["actor"], "profileId": "cmi5LearnerPreferences"})
        assert read.status_code == 200, read.get_data(as_text=True)
    return launched


MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"


def statement(launched: Launched, verb: str, result: dict[str, Any] | None = None,
              cmi5: bool = True, **over: Any) -> dict[str, Any]:
    """A statement of the AU in its session, cmi5 defined unless ``cmi5`` is False (then a
    "cmi5 allowed" one); ``over`` replaces top-level properties."""
    context: dict[str, Any] = {
        "registration": launched.registration,
        "contextActivities": {"grouping": [{"id": AU_QUIZ["id"]}]},
        "extensions": {SESSION_ID: launched.session},
    }
    if cmi5 and verb in ("passed", "failed") and result and "score" in result:
        # cmi5 §9.6.3.2: a scored judgement carries the LaunchData's masteryScore.
        context["extensions"][MASTERY_EXTENSION] = AU_QUIZ["mastery_score"]
    if cmi5:
        category = [{"id": CATEGORY}]
        if result and ("success" in result or "completion" in result):
            category.append({"id": MOVEON_CATEGORY})
        context["contextActivities"]["category"] = category
    stmt: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": launched.actor,
        "verb": {"id": VERBS.get(verb, verb), "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": launched.activity_id},
        "context": context,
        "timestamp": datetime.now(UTC).isoformat(),  # cmi5 §9.7: the AU sets it
    }
    if result is not None:
        stmt["result"] = result
    stmt.update(over)
    return stmt


PASSED = {"success": True, "score": {"scaled": 0.9}, "duration": "PT5M"}
FAILED = {"success": False, "score": {"scaled": 0.4}, "duration": "PT5M"}
COMPLETED = {"completion": True, "duration": "PT4M"}
TERMINATED = {"duration": "PT6M"}


def basic_token(key: str, secret: str) -> str:
    """An auth-token made by hand (for tokens the hub never issued)."""
    return base64.b64encode(f"{key}:{secret}".encode()).decode()


#: The hub over real HTTP on a free loopback port (the one helper every test uses).
served = served_app
