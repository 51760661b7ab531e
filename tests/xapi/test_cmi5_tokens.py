"""AU session tokens (cmi5 §8.2) on both stores: the fetch URL hands a token out once (over
real HTTP too), and the token reaches its learner's statements, State documents and
preferences in its registration about its AU, and nothing else; after expiry it is refused."""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import Any
from urllib.parse import quote, urlencode

import orjson
import pytest

from tests.conftest import Tenants
from tests.xapi.cmi5_support import (
    COMPLETED,
    PASSED,
    TERMINATED,
    VERSION,
    Launched,
    basic_token,
    fetch,
    launch,
    served,
    statement,
)
from xapi.cmi5_vocabulary import LAUNCH_DATA, LEARNER_PREFERENCES, SESSION_ID


@pytest.fixture
def lms(tenants: Tenants) -> dict[str, Any]:
    """The launching LMS's organisation, with a reader and a writer credential."""
    return tenants.make("State LMS", "lms", ("lrs-reader", "lrs-writer"))


def post(client: Any, launched: Launched, body: Any) -> Any:
    """POST statements with the AU's token."""
    return client.post("/xapi/statements", data=orjson.dumps(body),
                       content_type="application/json", headers=launched.headers())


def q(value: Any) -> str:
    """A query parameter value (JSON for objects)."""
    return quote(value if isinstance(value, str) else orjson.dumps(value).decode(), safe="")


def state_url(au: Launched, state_id: str | None = LAUNCH_DATA, agent: Any = None,
              registration: str | None = None, activity: str | None = None) -> str:
    """The State Resource URL of a launch (or of another agent/registration/activity)."""
    url = (f"/xapi/activities/state?activityId={q(activity or au.activity_id)}"
           f"&agent={q(agent or au.actor)}&registration={registration or au.registration}")
    return url + (f"&stateId={q(state_id)}" if state_id else "")


def test_fetch_hands_the_token_out_once(app: Any, client: Any, lms: dict[str, Any]) -> None:
    au = launch(app, lms["org"]["id"])
    first = client.post(au.fetch_path)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert set(first.get_json()) == {"auth-token"}
    assert first.headers["Cache-Control"] == "no-store"
    again = client.post(au.fetch_path)
    assert again.status_code == 200  # cmi5 §8.2.1: errors too are 200
    assert again.get_json()["error-code"] == "1" and again.get_json()["error-text"]
    unknown = client.post("/xapi/cmi5/fetch/not-a-fetch-id")
    assert unknown.status_code == 200 and unknown.get_json()["error-code"] == "2"
    assert client.get(au.fetch_path).status_code == 405  # cmi5 §8.2.1: POST only


def test_a_whole_session_over_real_http(app: Any, lms: dict[str, Any]) -> None:
    au = launch(app, lms["org"]["id"])
    with served(app) as base:
        def call(method: str, path: str, body: Any = None,
                 headers: dict[str, str] | None = None) -> tuple[int, Any]:
            data = orjson.dumps(body) if body is not None else b""
            req = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json",
                                                  **(headers or {})})
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    return resp.status, json.loads(resp.read() or b"null")
            except urllib.error.HTTPError as err:
                return err.code, json.loads(err.read() or b"null")

        status, body = call("POST", au.fetch_path)
        assert status == 200
        au.token = body["auth-token"]
        status, launch_data = call("GET", state_url(au), headers=au.headers())
        assert status == 200
        prefs = "/xapi/agents/profile?" + urlencode(
            {"agent": au.params["actor"], "profileId": "cmi5LearnerPreferences"})
        assert call("GET", prefs, headers=au.headers())[0] == 200  # before initialized (§11)
        assert launch_data["contextTemplate"]["extensions"][SESSION_ID] == au.session
        assert launch_data["masteryScore"] == 0.8
        for verb, result in (("initialized", None), ("completed", COMPLETED),
                             ("passed", PASSED), ("terminated", TERMINATED)):
            status, body = call("POST", "/xapi/statements", statement(au, verb, result),
                                au.headers())
            assert status == 200, body
        status, body = call("POST", "/xapi/statements", statement(au, "completed", COMPLETED),
                            au.headers())
        assert status == 403 and "§9.3.8" in body["detail"]
        assert call("POST", au.fetch_path)[1]["error-code"] == "1"


def test_token_writes_only_its_learner_registration_and_au(app: Any, client: Any,
                                                           lms: dict[str, Any]) -> None:
    au = fetch(client, launch(app, lms["org"]["id"]))
    other = launch(app, lms["org"]["id"], learner="learner-2")
    assert post(client, au, statement(au, "initialized")).status_code == 200
    as_other = statement(au, "completed", COMPLETED, actor=other.actor)
    other_reg = statement(au, "completed", COMPLETED)
    other_reg["context"]["registration"] = other.registration
    other_au = statement(au, "completed", COMPLETED,
                         object={"objectType": "Activity", "id": other.activity_id + "x"})
    allowed_other_actor = statement(au, "http://adlnet.gov/expapi/verbs/experienced",
                                    cmi5=False, actor=other.actor)
    no_id = statement(au, "http://adlnet.gov/expapi/verbs/experienced", cmi5=False)
    del no_id["id"]  # cmi5 §9.1: the AU assigns every statement's id
    no_time = statement(au, "http://adlnet.gov/expapi/verbs/experienced", cmi5=False)
    del no_time["timestamp"]  # cmi5 §9.7: and its timestamp
    local_time = statement(au, "http://adlnet.gov/expapi/verbs/experienced", cmi5=False,
                           timestamp="2026-12-01T12:00:00+05:30")  # cmi5 §9.7: UTC only
    for bad in (as_other, other_reg, other_au, allowed_other_actor, no_id, no_time,
                local_time):
        resp = post(client, au, [statement(au, "completed", COMPLETED), bad])
        assert resp.status_code == 403, resp.get_data(as_text=True)
    assert post(client, au, statement(au, "completed", COMPLETED)).status_code == 200  # still
    put = client.put(f"/xapi/statements?statementId={as_other['id']}",
                     data=orjson.dumps(as_other), content_type="application/json",
                     headers=au.headers())
    assert put.status_code == 403


def test_token_reads_only_its_learner_in_its_registration(app: Any, client: Any,
                                                         lms: dict[str, Any]) -> None:
    au = fetch(client, launch(app, lms["org"]["id"]))
    other = fetch(client, launch(app, lms["org"]["id"], learner="learner-2"))
    theirs = statement(other, "initialized")
    assert post(client, other, theirs).status_code == 200
    assert post(client, au, statement(au, "initialized")).status_code == 200
    everything = client.get("/xapi/statements", headers=au.headers())
    assert everything.status_code == 200
    found = everything.get_json()["statements"]
    assert {s["actor"]["account"]["name"] for s in found} == {"learner-1"}
    assert {s["context"]["registration"] for s in found} == {au.registration}
    assert len(found) == 2  # launched, initialized
    asked = client.get(f"/xapi/statements?agent={q(other.actor)}", headers=au.headers())
    assert asked.get_json()["statements"] == []
    single = client.get(f"/xapi/statements?statementId={theirs['id']}", headers=au.headers())
    assert single.status_code == 404
    # ... while the LMS's reader sees both learners.
    reader = client.get("/xapi/statements", headers={**lms["headers"], **VERSION})
    names = {s["actor"]["account"]["name"] for s in reader.get_json()["statements"]}
    assert names == {"learner-1", "learner-2"}


def test_token_state_and_preferences_scope(app: Any, client: Any, lms: dict[str, Any]) -> None:
    au = fetch(client, launch(app, lms["org"]["id"]))
    other = launch(app, lms["org"]["id"], learner="learner-2")
    h = au.headers()
    assert client.get(state_url(au), headers=h).status_code == 200
    assert client.put(state_url(au), data=b"{}", content_type="application/json",
                      headers=h).status_code == 403  # cmi5 §10.2.1: read-only
    assert client.delete(state_url(au), headers=h).status_code == 403
    assert client.delete(state_url(au, state_id=None), headers=h).status_code == 403
    bookmark = state_url(au, state_id="bookmark")
    assert client.put(bookmark, data=b'{"page": 3}', content_type="application/json",
                      headers=h).status_code == 204
    assert client.get(bookmark, headers=h).get_json() == {"page": 3}
    assert client.get(state_url(au, state_id=None), headers=h).status_code == 200
    for url in (state_url(au, agent=other.actor), state_url(au, registration=other.registration),
                state_url(au, activity=other.activity_id + "x"),
                state_url(other)):
        assert client.get(url, headers=h).status_code == 403, url
    prefs = f"/xapi/agents/profile?agent={q(au.actor)}&profileId={LEARNER_PREFERENCES}"
    got = client.get(prefs, headers=h)
    assert got.status_code == 200 and "languagePreference" in got.get_json()
    assert client.put(prefs, data=b'{"audioPreference": "off"}',
                      content_type="application/json",
                      headers={**h, "If-Match": "*"}).status_code == 403  # cmi5 §11
    theirs = f"/xapi/agents/profile?agent={q(other.actor)}&profileId={LEARNER_PREFERENCES}"
    assert client.get(theirs, headers=h).status_code == 403


def test_token_reaches_nothing_else(app: Any, client: Any, lms: dict[str, Any]) -> None:
    au = fetch(client, launch(app, lms["org"]["id"]))
    h = au.headers()
    for path in (f"/xapi/activities/profile?activityId={q(au.activity_id)}",
                 f"/xapi/activities?activityId={q(au.activity_id)}",
                 f"/xapi/agents?agent={q(au.actor)}", "/xapi/forwarding"):
        assert client.get(path, headers=h).status_code == 403, path
    assert client.get("/courses", headers=h).status_code == 403  # not an LRS path at all
    assert client.get("/xapi/about", headers=h).status_code == 200  # About needs no credential


def test_expired_and_forged_tokens_are_refused_with_401(app: Any, client: Any,
                                                        lms: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    au = fetch(client, launch(app, lms["org"]["id"], token_ttl=60))
    assert post(client, au, statement(au, "initialized")).status_code == 200
    import xapi.cmi5_sessions

    monkeypatch.setattr(xapi.cmi5_sessions, "utcnow", lambda: "2999-01-01T00:00:00.000000Z")
    assert post(client, au, statement(au, "terminated", TERMINATED)).status_code == 401
    assert client.get(state_url(au), headers=au.headers()).status_code == 401
    monkeypatch.undo()
    key = base64.b64decode(au.token).decode().split(":")[0]
    forged = Launched(**{**au.__dict__, "token": basic_token(key, "guess")})
    assert post(client, forged, statement(au, "terminated", TERMINATED)).status_code == 401
    late = launch(app, lms["org"]["id"], token_ttl=0)  # expired before it was fetched
    assert client.post(late.fetch_path).get_json()["error-code"] == "1"


def test_other_organisations_tokens_see_nothing_here(app: Any, client: Any,
                                                      tenants: Tenants,
                                                      lms: dict[str, Any]) -> None:
    other_org = tenants.make("Academy", "institution", ("lrs-reader",))
    mine = fetch(client, launch(app, lms["org"]["id"]))
    theirs = fetch(client, launch(app, other_org["org"]["id"]))
    assert post(client, mine, statement(mine, "initialized")).status_code == 200
    found = client.get("/xapi/statements", headers=theirs.headers()).get_json()["statements"]
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in found] == ["launched"]  # its own
    assert client.get(state_url(mine), headers=theirs.headers()).status_code == 403
