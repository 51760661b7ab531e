"""The hub as the cmi5 LMS at launch (cmi5 §8.1, §9.3.1, §10, §11), on both stores: the launch
URL's parameters, the LaunchData document, the learner's preferences, the ``launched``
statement, registrations reused per learner and course; and the xAPI package launch."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import orjson
import pytest

from hub.errors import ValidationError
from tests.conftest import Tenants
from tests.xapi.cmi5_support import (
    AU_QUIZ,
    AU_READ,
    PUBLIC,
    STRUCTURE,
    VERSION,
    launch,
)
from xapi.cmi5_vocabulary import (
    CATEGORY,
    LAUNCH_MODE,
    LAUNCH_PARAMETERS,
    LAUNCH_URL,
    LEARNER_PREFERENCES,
    MASTERY_SCORE,
    MOVE_ON,
    SESSION_ID,
    VERBS,
)


@pytest.fixture
def lms(tenants: Tenants) -> dict[str, Any]:
    """The launching LMS's organisation, with a reader and a writer credential."""
    return tenants.make("State LMS", "lms", ("lrs-reader", "lrs-writer"))


def q(value: Any) -> str:
    """A query parameter value (JSON for objects)."""
    return quote(value if isinstance(value, str) else orjson.dumps(value).decode(), safe="")


def get(client: Any, lms: dict[str, Any], path: str) -> Any:
    """GET an xAPI path as the LMS's reader; asserts 200."""
    resp = client.get(path, headers={**lms["headers"], **VERSION})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def test_launch_url_launch_data_preferences_and_launched(app: Any, client: Any,
                                                          lms: dict[str, Any]) -> None:
    au = launch(app, lms["org"]["id"])
    assert au.url.startswith(PUBLIC + "/content/crs_1/1/quiz/index.html?")
    assert set(au.params) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert au.params["endpoint"] == PUBLIC + "/xapi/"
    assert au.params["fetch"].startswith(PUBLIC + "/xapi/cmi5/fetch/")
    assert au.actor == {"objectType": "Agent",
                        "account": {"homePage": PUBLIC, "name": "learner-1"}}
    assert au.params["registration"] == au.registration
    # cmi5 §8.1.5: generated, not the publisher's AU id.
    assert au.activity_id == au.params["activityId"] != AU_QUIZ["id"]
    data = get(client, lms, f"/xapi/activities/state?activityId={q(au.activity_id)}"
                            f"&agent={q(au.actor)}&registration={au.registration}"
                            "&stateId=LMS.LaunchData")
    assert data == {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": AU_QUIZ["id"],
                                                "objectType": "Activity"}]},
            "extensions": {SESSION_ID: au.session}},
        "launchMode": "Normal", "moveOn": "CompletedAndPassed", "masteryScore": 0.8,
        "launchParameters": "level=2", "entitlementKey": {"courseStructure": "ent-1"},
        "returnURL": "https://lms.example/return"}
    prefs = get(client, lms, f"/xapi/agents/profile?agent={q(au.actor)}"
                             f"&profileId={LEARNER_PREFERENCES}")
    assert set(prefs) == {"languagePreference", "audioPreference"}
    [launched] = get(client, lms, f"/xapi/statements?registration={au.registration}"
                                  )["statements"]
    assert launched["verb"]["id"] == VERBS["launched"]
    assert launched["actor"] == au.actor and launched["object"]["id"] == au.activity_id
    assert launched["object"]["definition"]["name"] == AU_QUIZ["title"]
    context = launched["context"]
    assert context["registration"] == au.registration
    assert context["contextActivities"]["category"][0]["id"] == CATEGORY
    assert context["contextActivities"]["grouping"][0]["id"] == AU_QUIZ["id"]
    assert context["extensions"] == {
        SESSION_ID: au.session, LAUNCH_MODE: "Normal", MOVE_ON: "CompletedAndPassed",
        MASTERY_SCORE: 0.8, LAUNCH_PARAMETERS: "level=2",
        LAUNCH_URL: PUBLIC + "/content/crs_1/1/quiz/index.html"}


def test_registration_reused_per_learner_and_course_sessions_new(app: Any, client: Any,
                                                                 lms: dict[str, Any]) -> None:
    first = launch(app, lms["org"]["id"])
    second = launch(app, lms["org"]["id"], au=AU_READ)
    other = launch(app, lms["org"]["id"], learner="learner-2")
    assert first.registration == second.registration != other.registration
    assert first.session != second.session
    assert first.activity_id != second.activity_id
    again = launch(app, lms["org"]["id"])
    assert again.activity_id == first.activity_id  # cmi5 §8.1.5: the same on every launch
    given = launch(app, lms["org"]["id"], registration="6F1B7E4C-2C0A-4B5E-9C1E-6B1B2E3A4C5D")
    assert given.registration == "6f1b7e4c-2c0a-4b5e-9c1e-6b1b2e3a4c5d"


def test_external_au_url_keeps_its_query_and_no_mastery(app: Any, client: Any,
                                                        lms: dict[str, Any]) -> None:
    au = launch(app, lms["org"]["id"], au=AU_READ, launch_mode="Review")
    parts = urlsplit(au.url)
    assert parts.netloc == "cdn.provider.example" and parse_qs(parts.query)["x"] == ["1"]
    data = get(client, lms, f"/xapi/activities/state?activityId={q(au.activity_id)}"
                            f"&agent={q(au.actor)}&registration={au.registration}"
                            "&stateId=LMS.LaunchData")
    assert data["launchMode"] == "Review" and "masteryScore" not in data
    assert "launchParameters" not in data and "entitlementKey" not in data


def test_learner_preferences_are_not_overwritten(app: Any, client: Any,
                                                 lms: dict[str, Any]) -> None:
    au = launch(app, lms["org"]["id"])
    path = f"/xapi/agents/profile?agent={q(au.actor)}&profileId={LEARNER_PREFERENCES}"
    chosen = {"languagePreference": "hi-IN,en-IN", "audioPreference": "off"}
    resp = client.put(path, data=orjson.dumps(chosen), content_type="application/json",
                      headers={**lms["headers"], **VERSION, "If-Match": "*"})
    assert resp.status_code == 204
    launch(app, lms["org"]["id"])
    assert get(client, lms, path) == chosen


def test_bad_launches_are_refused(app: Any, lms: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="launch_mode"):
        launch(app, lms["org"]["id"], launch_mode="Preview")
    with pytest.raises(ValidationError, match="au"):
        launch(app, lms["org"]["id"], au={**AU_QUIZ, "id": "urn:not-in-the-course"})
    from lti.cmi5_launch import prepare_au_launch

    with app.app_context(), pytest.raises(ValidationError, match="content base"):
        prepare_au_launch(app.extensions["hub.store"], lms["org"]["id"], "l", "crs_1",
                          STRUCTURE, AU_QUIZ, public_url=PUBLIC)


def test_xapi_package_launch_hands_the_scoped_token_directly(app: Any, client: Any,
                                                             lms: dict[str, Any]) -> None:
    from lti.cmi5_launch import prepare_xapi_package_launch

    with app.app_context():
        done = prepare_xapi_package_launch(
            app.extensions["hub.store"], lms["org"]["id"], "learner-1", "crs_2",
            "index.html", "https://provider.example/tincan/course-2",
            public_url=PUBLIC, content_base=PUBLIC + "/content/crs_2/1")
    params = {k: v[0] for k, v in parse_qs(urlsplit(done["url"]).query).items()}
    assert set(params) == {"endpoint", "auth", "actor", "registration", "activity_id"}
    assert params["auth"].startswith("Basic ")
    actor = orjson.loads(params["actor"])
    headers = {"Authorization": params["auth"], **VERSION}
    stmt = {"actor": actor, "verb": {"id": VERBS["completed"]},
            "object": {"id": "https://provider.example/tincan/course-2/page-3"},
            "context": {"registration": params["registration"]}}
    resp = client.post("/xapi/statements", data=orjson.dumps(stmt),
                       content_type="application/json", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    other = {**stmt, "actor": {"objectType": "Agent",
                               "account": {"homePage": PUBLIC, "name": "learner-2"}}}
    assert client.post("/xapi/statements", data=orjson.dumps(other),
                       content_type="application/json", headers=headers).status_code == 403
    mine = client.get("/xapi/statements", headers=headers).get_json()["statements"]
    assert len(mine) == 1
