"""The player API on both stores: launch, the AU's statements, ``satisfied`` for AU, block and
course exactly once (cmi5 §9.3.9), waive (§9.3.8), abandon by route, on relaunch and by the
sweeper (§9.3.7), and other organisations answered 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from lti import cmi5_satisfaction as sat
from lti import player
from lti.cmi5_satisfaction import block_activity_id
from lti.links import course_activity_id
from tests.conftest import Tenants
from tests.lti.player_support import Au, launch, lms_statements, published_cmi5
from tests.marketplace.conftest import Cast
from tests.marketplace.package_support import (
    AU_EXTERNAL,
    AU_INTRO,
    AU_QUIZ,
    BLOCK,
    COURSE_IRI,
    NS,
    build_zip,
    text,
    xapi_zip,
)
from xapi.cmi5_vocabulary import BLOCK_TYPE, COURSE_TYPE, SESSION_ID

PASSED = {"success": True, "score": {"scaled": 0.9}, "duration": "PT5M"}
COMPLETED = {"completion": True, "duration": "PT4M"}


@pytest.fixture
def cast(tenants: Tenants, client: Any) -> Cast:
    """Providers, a reviewer, and the State LMS (lrs-writer)."""
    return Cast(tenants, client)


@pytest.fixture
def course_id(cast: Cast) -> str:
    return published_cmi5(cast)


def test_a_whole_registration_is_satisfied_once(app: Any, client: Any, cast: Cast,
                                                course_id: str) -> None:
    org = cast.lms["org"]["id"]
    first = launch(client, cast.lms, course_id, launch_mode="Normal")
    assert first["au_id"] == AU_INTRO and first["course_id"] == course_id
    assert first["launch_method"] == "AnyWindow"
    assert "/content/" + course_id in first["url"] and "fetch=" in first["url"]
    reg = first["registration"]
    intro = Au(client, first)
    for verb, result in (("initialized", None), ("completed", COMPLETED),
                         ("terminated", {"duration": "PT5M"})):
        assert intro.send(verb, result).status_code == 200
    state = client.get(f"/player/registrations/{reg}", headers=cast.lms["headers"]).get_json()
    assert state["satisfied"] is False and state["learner_id"] == "learner-1"
    # The external AU's moveOn is NotApplicable: satisfied from the registration on (§9.6.1.1).
    assert [(a["au_id"], a["satisfied"]) for a in state["aus"]] == [
        (AU_INTRO, True), (AU_QUIZ, False), (AU_EXTERNAL, True)]
    assert state["blocks"] == [{"id": BLOCK, "satisfied": False}]

    second = launch(client, cast.lms, course_id)  # the first AU not satisfied yet
    assert second["au_id"] == AU_QUIZ and second["registration"] == reg
    assert second["launch_method"] == "OwnWindow"
    quiz = Au(client, second)
    for verb, result in (("initialized", None), ("passed", PASSED),
                         ("terminated", {"duration": "PT5M"})):
        assert quiz.send(verb, result).status_code == 200
    state = client.get(f"/player/registrations/{reg}", headers=cast.lms["headers"]).get_json()
    assert state["satisfied"] is True and all(a["satisfied"] for a in state["aus"])
    assert state["blocks"] == [{"id": BLOCK, "satisfied": True}]

    launch(client, cast.lms, course_id, au_id=AU_INTRO)  # nothing more is satisfied twice
    satisfied = lms_statements(app, org, reg, "satisfied")
    objects = [s["object"]["id"] for s in satisfied]
    public = app.extensions["hub.config"].public_url
    course_iri = course_activity_id(public, course_id)
    # §9.3.9: satisfied for the block and the course only, in that order.
    assert objects == [block_activity_id(public, course_id, BLOCK), course_iri]
    by_object = {s["object"]["id"]: s for s in satisfied}
    course = by_object[course_iri]
    assert course["object"]["definition"]["type"] == COURSE_TYPE
    assert course["result"]["score"]["scaled"] == 0.9  # the best passed score
    assert course["context"]["registration"] == reg
    assert course["context"]["extensions"][SESSION_ID] == second["session_id"]
    block = by_object[block_activity_id(public, course_id, BLOCK)]
    assert block["object"]["definition"]["type"] == BLOCK_TYPE
    assert block["context"]["extensions"][SESSION_ID] == second["session_id"]


def test_launch_refusals(client: Any, cast: Cast, tenants: Tenants, course_id: str) -> None:
    res = client.post("/player/launches", json={"course_id": course_id, "learner_id": "l1",
                                                "au_id": "https://nowhere.example/au"},
                      headers=cast.lms["headers"])
    assert res.status_code == 400 and list(res.get_json()["errors"]) == ["au_id"]
    store = client.application.extensions["hub.store"]
    fresh = store.cmi5.registration(cast.lms["org"]["id"], "l1", course_id, "new-one")
    assert fresh == "new-one"  # the refused launch stored no registration
    launch(client, cast.lms, "crs_missing", status=404)
    draft = cast.create()
    launch(client, cast.lms, draft["id"], status=404)  # unpublished
    launch(client, cast.lms, course_id, status=400, launch_mode="Sideways")
    launch(client, cast.lms, course_id, status=400, return_url="javascript:alert(1)")
    provider = tenants.make("Provider A", roles=("lrs-writer",))
    launch(client, provider, course_id, status=403)  # not an lms or department


def test_another_organisation_gets_404(client: Any, cast: Cast, tenants: Tenants,
                                       course_id: str) -> None:
    done = launch(client, cast.lms, course_id)
    other = tenants.make("District LMS", "lms", ("lrs-writer", "curator"))
    reg = done["registration"]
    assert client.get(f"/player/registrations/{reg}",
                      headers=other["headers"]).status_code == 404
    assert client.post(f"/player/registrations/{reg}/waive", headers=other["headers"], json={
        "au_id": AU_QUIZ, "reason": "Administrative"}).status_code == 404
    assert client.post(f"/player/sessions/{done['session_id']}/abandon",
                       headers=other["headers"]).status_code == 404
    # the same learner id in another organisation is another learner, another registration
    assert launch(client, other, course_id)["registration"] != reg


def test_waive_then_409(app: Any, client: Any, cast: Cast, tenants: Tenants,
                        course_id: str) -> None:
    done = launch(client, cast.lms, course_id)
    reg = done["registration"]
    curator = tenants.make("State LMS", "lms", ("curator",))
    url = f"/player/registrations/{reg}/waive"
    bad = client.post(url, json={"au_id": AU_QUIZ, "reason": "Bored"},
                      headers=curator["headers"])
    assert bad.status_code == 400 and list(bad.get_json()["errors"]) == ["reason"]
    res = client.post(url, json={"au_id": AU_QUIZ, "reason": "Tested Out"},
                      headers=curator["headers"])
    assert res.status_code == 200, res.get_json()
    quiz = next(a for a in res.get_json()["aus"] if a["au_id"] == AU_QUIZ)
    assert quiz["waived"] is quiz["satisfied"] is True
    assert res.get_json()["blocks"] == [{"id": BLOCK, "satisfied": True}]
    (waived,) = lms_statements(app, cast.lms["org"]["id"], reg, "waived")
    assert waived["result"]["success"] is waived["result"]["completion"] is True
    assert waived["result"]["extensions"][player.REASON_EXTENSION] == "Tested Out"
    again = client.post(url, json={"au_id": AU_QUIZ, "reason": "Administrative"},
                        headers=curator["headers"])
    assert again.status_code == 409
    unknown = client.post(url, json={"au_id": "https://x.example/au", "reason": "Tested Out"},
                          headers=curator["headers"])
    assert unknown.status_code == 400 and list(unknown.get_json()["errors"]) == ["au_id"]


def test_abandon_by_route_on_relaunch_and_by_sweeper(app: Any, client: Any, cast: Cast,
                                                     course_id: str) -> None:
    org = cast.lms["org"]["id"]
    first = launch(client, cast.lms, course_id, au_id=AU_INTRO)
    au = Au(client, first)
    assert au.send("initialized").status_code == 200
    res = client.post(f"/player/sessions/{first['session_id']}/abandon",
                      headers=cast.lms["headers"])
    assert res.status_code == 200 and res.get_json()["abandoned"] is True
    again = client.post(f"/player/sessions/{first['session_id']}/abandon",
                        headers=cast.lms["headers"])
    assert again.status_code == 409
    reg = first["registration"]
    (abandoned,) = lms_statements(app, org, reg, "abandoned")
    assert abandoned["context"]["extensions"][SESSION_ID] == first["session_id"]
    assert abandoned["result"]["duration"].startswith("PT")
    # The abandoned session's token no longer authenticates (cmi5 §9.3.7, 8.2.1.0-6).
    assert au.send("completed", COMPLETED).status_code == 401
    assert au.send("experienced", cmi5=False).status_code == 401  # "cmi5 allowed" too

    second = launch(client, cast.lms, course_id, au_id=AU_INTRO)  # never terminates
    third = launch(client, cast.lms, course_id, au_id=AU_INTRO)  # abandons the second
    sessions = [s["context"]["extensions"][SESSION_ID]
                for s in lms_statements(app, org, reg, "abandoned")]
    assert sessions == [first["session_id"], second["session_id"]]
    finished = Au(client, launch(client, cast.lms, course_id, au_id=AU_QUIZ))
    for verb in ("initialized", "terminated"):
        assert finished.send(verb, {"duration": "PT1M"} if verb == "terminated"
                             else None).status_code == 200
    # Within the grace the token still authenticates; the rules refuse what follows terminated.
    assert finished.send("experienced", cmi5=False).status_code == 403
    store = app.extensions["hub.store"]
    with app.app_context():
        session = store.cmi5.session_by_id(org, finished.launch["session_id"])
        assert store.cmi5.close_session(session["key"], "2000-01-01T00:00:00.000000Z") is False
        assert session["closed_at"] > session["created_at"]  # closed a grace period ahead
    public = app.extensions["hub.config"].public_url
    assert player.sweep(store, public, abandon_after=3600) == 0  # nothing that old
    # every open session is stale with 0 seconds: the third is abandoned, the terminated one
    # and the NotApplicable-free rest only closed
    assert player.sweep(store, public, abandon_after=0) == 1
    sessions = [s["context"]["extensions"][SESSION_ID]
                for s in lms_statements(app, org, reg, "abandoned")]
    assert sessions == [first["session_id"], second["session_id"], third["session_id"]]
    assert player.sweep(store, public, abandon_after=0) == 0  # once
    assert client.post(f"/player/sessions/{third['session_id']}/abandon",
                       headers=cast.lms["headers"]).status_code == 409


def test_an_xapi_package_launches_with_auth_and_the_sweeper_starts(app: Any, client: Any,
                                                                   cast: Cast) -> None:
    course_id = published_cmi5(cast, xapi_zip())
    done = launch(client, cast.lms, course_id)
    params = {k: v[0] for k, v in parse_qs(urlsplit(done["url"]).query).items()}
    assert done["au_id"] == done["activity_id"] == "https://provider.example/xapi/ethics"
    assert params["auth"].startswith("Basic ") and "fetch" not in params
    assert params["activity_id"] == done["activity_id"]
    assert params["registration"] == done["registration"]
    path = urlsplit(done["url"]).path  # the package's own file, served by the hub
    assert path.startswith(f"/content/{course_id}/") and path.endswith("/index.html")
    assert client.get(path).status_code == 200
    sweeper = app.extensions["lti.abandon_sweeper"]  # started by the first launch
    assert sweeper.running
    sweeper.stop()
    assert not sweeper.running


def test_a_started_registration_keeps_its_structure(app: Any, client: Any, cast: Cast,
                                                    course_id: str) -> None:
    done = launch(client, cast.lms, course_id)
    store = app.extensions["hub.store"]
    course = store.courses.get(course_id)
    live = course["live"]
    live["package"]["structure"]["aus"] = live["package"]["structure"]["aus"][:1]  # a revision
    store.courses.replace(course, expected_version=course["row_version"])
    state = client.get(f"/player/registrations/{done['registration']}",
                       headers=cast.lms["headers"]).get_json()
    assert [a["au_id"] for a in state["aus"]] == [AU_INTRO, AU_QUIZ, AU_EXTERNAL]
    fresh = launch(client, cast.lms, course_id, learner="learner-2")  # a new registration
    state = client.get(f"/player/registrations/{fresh['registration']}",
                       headers=cast.lms["headers"]).get_json()
    assert [a["au_id"] for a in state["aus"]] == [AU_INTRO]


def test_a_terminated_sessions_token_stops_after_the_grace(
        client: Any, cast: Cast, course_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # cmi5 §9.3.8: after "terminated" and a period the LMS sets, statements of any kind for the
    # session are rejected; here the period is none.
    monkeypatch.setattr(sat, "TERMINATED_GRACE", timedelta(0))
    au = Au(client, launch(client, cast.lms, course_id, au_id=AU_INTRO))
    assert au.send("initialized").status_code == 200
    assert au.send("terminated", {"duration": "PT1M"}).status_code == 200
    assert au.send("experienced", cmi5=False).status_code == 401


def test_not_applicable_aus_satisfy_the_course_at_registration(
        app: Any, client: Any, cast: Cast) -> None:
    # cmi5 §9.6.1.1: moveOn is evaluated at the time of registration: a course whose AUs are
    # all NotApplicable is satisfied before its first AU is even launched.
    only_open = f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="{NS}">
  <course id="{COURSE_IRI}">{text("title", ("en", "Open"))}{text("description", ("en", "-"))}
  </course>
  <au id="{AU_INTRO}">{text("title", ("en", "Intro"))}{text("description", ("en", "-"))}
    <url>intro/index.html</url></au>
</courseStructure>"""
    package = build_zip({"cmi5.xml": only_open, "intro/index.html": b"<p>hi"})
    course_id = published_cmi5(cast, package)
    first = launch(client, cast.lms, course_id)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1]
             for s in lms_statements(app, cast.lms["org"]["id"], first["registration"], None)]
    assert verbs == ["satisfied", "launched"]
