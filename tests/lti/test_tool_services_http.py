"""The tool side's LTI Advantage clients against the development platform over real HTTP: AGS
score pass-back of LRS completions (client credentials with a client assertion signed by the
hub's keys, find-or-create line item, score), the NRPS roster API, and a Deep Linking response
the platform verifies against the hub's key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
import urllib3
from joserfc import jwt
from joserfc.jwk import KeySet

from lti.devpeers.platform import DevPlatform
from lti.score_sender import ScorePolicy, access_tokens, send_scores
from lti.tool_services import remember_launch
from tests.conftest import Tenants
from tests.lti.devpeer_fixtures import dev_platform  # noqa: F401 (a fixture)
from tests.lti.services_support import add_registration, completion, tool_launch
from tests.storage.factories import course_doc

VERSION = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
NOW_POLICY = ScorePolicy(backoff_base=0.0)  # retries are due at once


@pytest.fixture
def app(store_url: str, tmp_path: Path) -> Iterator[Any]:
    """The hub allowed to reach peers on 127.0.0.1, without a sender thread (tests send)."""
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_PUBLIC_URL": "http://hub.test",
                      "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1",
                      "HUB_LTI_SCORE_WORKER": "off"})
    yield app
    app.extensions["hub.store"].close()


@pytest.fixture
def lms(app: Any, tenants: Tenants, dev_platform: DevPlatform) -> dict[str, Any]:  # noqa: F811
    """The dev platform registered with the hub (and the hub's key with it), an LRS writer and
    an lti-manager of its organisation, and a scored published course."""
    from lti.keys import hub_keys

    store = app.extensions["hub.store"]
    with app.app_context():
        dev_platform.settings.tool_public_jwk = hub_keys().jwks()["keys"][0]
    writer = tenants.make("District LMS", "lms", ("lrs-writer",))
    manager = tenants.make("District LMS", "lms", ("lti-manager",))
    registration = add_registration(store, writer["org"]["id"], issuer=dev_platform.issuer,
                                    client_id=dev_platform.settings.client_id,
                                    token_url=dev_platform.token_url)
    provider = tenants.make("Institute of Public Finance")["org"]["id"]
    store.courses.add(course_doc("course-1", provider, title={"en": "Budgeting assessment"},
                                 category="assessment"))
    return {"store": store, "platform": dev_platform, "writer": writer, "manager": manager,
            "registration": registration}


def launch(lms: dict[str, Any], **kw: Any) -> Any:
    platform = lms["platform"]
    kw.setdefault("ags", platform.ags_claim("ctx-1", None))
    return tool_launch(lms["registration"], sub=platform.settings.user["sub"],
                       nrps=platform.nrps_claim("ctx-1"), **kw)


def complete(client: Any, lms: dict[str, Any], **kw: Any) -> dict[str, Any]:
    stmt = completion("lrn_1", **kw)
    resp = client.post("/xapi/statements", data=orjson.dumps([stmt]),
                       headers={**lms["writer"]["headers"], **VERSION})
    assert resp.status_code == 200, resp.get_json()
    return stmt


def send(app: Any, policy: ScorePolicy | None = None) -> dict[str, int]:
    with app.app_context():
        tokens = access_tokens(app)
        return send_scores(app.extensions["hub.store"], tokens.http, tokens, policy)


def test_a_completion_goes_back_to_the_lms_once(app: Any, client: Any,
                                                lms: dict[str, Any]) -> None:
    platform, store = lms["platform"], lms["store"]
    remember_launch(store, launch(lms))
    complete(client, lms, verb="passed", score={"raw": 8, "max": 10})
    assert send(app) == {"sent": 1, "retry": 0, "dead": 0}
    # the line item was found-or-created for the resource link and the course
    (item,) = platform.lineitems["ctx-1"].values()
    assert (item["resourceId"], item["resourceLinkId"], item["label"],
            item["scoreMaximum"]) == ("course-1", "rl-1", "Budgeting assessment", 100)
    (scores,) = platform.scores.values()
    assert [(s["userId"], s["scoreGiven"], s["scoreMaximum"], s["activityProgress"],
             s["gradingProgress"]) for s in scores] == [
        ("dev-learner-1", 8.0, 10.0, "Completed", "FullyGraded")]
    assert send(app) == {"sent": 0, "retry": 0, "dead": 0}  # sent once
    # the client assertion was the hub's: iss = sub = client id, aud = the token URL
    (token,) = platform.received.all("token")
    assert token["assertion"]["iss"] == token["assertion"]["sub"] == "dev-tool-client"
    assert token["assertion"]["aud"] == platform.token_url
    # a second completion reuses the line item (remembered) and the token (cached)
    complete(client, lms, verb="completed")
    assert send(app)["sent"] == 1
    assert len(platform.lineitems["ctx-1"]) == 1 and len(platform.received.all("token")) == 1
    assert [s["scoreGiven"] for s in next(iter(platform.scores.values()))] == [8.0, 100.0]
    assert all(e["status"] == "sent" for e in store.lti_grades.entries())


def test_the_launchs_own_line_item_is_used(app: Any, client: Any, lms: dict[str, Any]) -> None:
    platform = lms["platform"]
    lineitem = platform.ensure_lineitem("ctx-1", "rl-1", "from the LMS")
    remember_launch(lms["store"], launch(lms, ags=platform.ags_claim("ctx-1", lineitem)))
    complete(client, lms, verb="failed", score={"scaled": 0.3})
    assert send(app)["sent"] == 1
    assert platform.received.all("lineitem_created") == []
    (score,) = platform.scores[lineitem.rsplit("/", 1)[1]]
    assert score["scoreGiven"] == 30.0


def test_a_refused_token_is_retried_until_the_registration_is_fixed(
        app: Any, client: Any, lms: dict[str, Any]) -> None:
    platform = lms["platform"]
    remember_launch(lms["store"], launch(lms))
    complete(client, lms)
    platform.settings.client_id = "another-client"  # the LMS no longer knows the hub's id
    assert send(app, NOW_POLICY) == {"sent": 0, "retry": 1, "dead": 0}
    (entry,) = lms["store"].lti_grades.entries()
    assert (entry["status"], entry["attempts"]) == ("pending", 1)
    assert "401" in entry["last_error"]
    platform.settings.client_id = "dev-tool-client"
    assert send(app, NOW_POLICY)["sent"] == 1


def test_a_score_the_lms_refuses_for_good_becomes_a_dead_letter(
        app: Any, client: Any, lms: dict[str, Any]) -> None:
    platform = lms["platform"]
    gone = f"{platform.base_url}/ags/ctx-1/lineitems/deleted"
    remember_launch(lms["store"], launch(lms, ags=platform.ags_claim("ctx-1", gone)))
    complete(client, lms)
    assert send(app, NOW_POLICY) == {"sent": 0, "retry": 0, "dead": 1}
    (entry,) = lms["store"].lti_grades.entries()
    assert entry["status"] == "dead" and "404" in entry["last_error"]


def test_the_roster_api_reads_every_page(app: Any, client: Any, lms: dict[str, Any],
                                         tenants: Tenants) -> None:
    platform, registration = lms["platform"], lms["registration"]
    platform.settings.members_page_size = 1
    remember_launch(lms["store"], launch(lms))
    url = f"/lti/platforms/{registration['id']}/contexts/ctx-1/members"
    resp = client.get(url, headers=lms["manager"]["headers"])
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert [m["user_id"] for m in body["members"]] == ["dev-learner-1", "dev-teacher-1"]
    assert body["context"]["title"] == "Development course"
    assert len(platform.received.all("memberships")) == 2  # followed Link: rel="next"
    other = tenants.make("Other LMS", "lms", ("lti-manager",))
    assert client.get(url, headers=other["headers"]).status_code == 404
    writer_only = lms["writer"]["headers"]
    assert client.get(url, headers=writer_only).status_code == 403
    missing = f"/lti/platforms/{registration['id']}/contexts/ctx-9/members"
    assert client.get(missing, headers=lms["manager"]["headers"]).status_code == 404
    admin = tenants.make("Hub operators", "platform-admin", ("admin",))
    assert client.get(url, headers=admin["headers"]).status_code == 200


def test_a_deep_linking_response_is_signed_by_the_hub_and_accepted_by_the_lms(
        app: Any, client: Any, lms: dict[str, Any]) -> None:
    from lti.deep_linking import start

    platform = lms["platform"]
    request = tool_launch(lms["registration"], message_type="LtiDeepLinkingRequest",
                          deployment_id=platform.settings.deployment_id, course_id=None,
                          resource_link_id=None, dl_settings={
                              "deep_link_return_url": f"{platform.base_url}/deep-link/return",
                              "accept_types": ["ltiResourceLink"], "data": "dl-data-1"})
    platform.hints.put("dl:dl-data-1", {})  # as if the platform had sent this request
    with app.test_request_context("/lti/launch", method="POST"):
        html = start(request).get_data(as_text=True)
    state = unescape(re.search(r'name="state" value="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    resp = client.post("/lti/deep-linking/pick", data={"state": state, "course_id": "course-1"})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    action = unescape(re.search(r'action="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    token = unescape(re.search(r'name="JWT" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert action == f"{platform.base_url}/deep-link/return"
    with app.app_context():
        from lti.keys import hub_keys

        keys = KeySet.import_key_set(hub_keys().jwks())
    claims = jwt.decode(token, keys).claims
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["url"] == "http://hub.test/lti/courses/course-1"
    assert item["lineItem"]["resourceId"] == "course-1"
    # the browser's auto-post, done here over real HTTP: the platform verifies the signature
    answer = urllib3.request("POST", action, body=urlencode({"JWT": token}),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 200, answer.data[:300]
    (received,) = platform.received.all("deep_link")
    assert received["items"] == [item]


def test_the_sender_thread_sends_a_completion_without_being_asked(
        app: Any, client: Any, lms: dict[str, Any]) -> None:
    import dataclasses
    import time

    from lti.score_sender import stop_sender

    config = app.extensions["hub.config"]
    app.extensions["hub.config"] = dataclasses.replace(config, lti_score_worker=True)
    remember_launch(lms["store"], launch(lms))
    try:
        complete(client, lms, verb="passed")  # wakes the thread from inside the ingest write
        deadline = time.monotonic() + 20
        while not lms["platform"].scores and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop_sender(app)
    assert [len(s) for s in lms["platform"].scores.values()] == [1]
    assert [e["status"] for e in lms["store"].lti_grades.entries()] == ["sent"]
