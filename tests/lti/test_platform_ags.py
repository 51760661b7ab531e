"""AGS 2.0 and NRPS 2.0 of the hub as a platform: what enrol() offers a launched tool, and
what the tool then does with a token from the real token endpoint: line items, scores (which
become xAPI statements in the launching organisation's LRS), results and the roster; each
scope-checked against the token, the tool and the context."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue_schemas.lti_platform_services import LINEITEM_MEDIA, SCORE_MEDIA
from lti.platform_services import (
    AGS_CLAIM,
    NRPS_CLAIM,
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_MEMBERSHIPS,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SERVICE_SCOPES,
    enrol,
)
from tests.conftest import Tenants
from tests.lti.platform_services_support import (
    HUB,
    ToolKeys,
    assertion,
    launch,
    register_tool,
    token_form,
)

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
VERB = "http://adlnet.gov/expapi/verbs/"


class World:
    """The hub with an LMS organisation (whose learners are launched), a provider's tool
    holding every service scope, and helpers to enrol learners and call the services."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.store = app.extensions["hub.store"]
        self.client = app.test_client()
        tenants = Tenants(app)
        self.lms = tenants.make("State LMS", "lms", ("lrs-reader",))
        provider = tenants.make("Quiz Provider", "provider", ("lti-manager",))
        self.keys = ToolKeys()
        self.tool = register_tool(self.store, provider["org"]["id"], self.keys)

    def enrol(self, learner: str, tool: dict[str, Any] | None = None, **kw: Any
              ) -> dict[str, Any]:
        """Launch ``learner`` (the claims the id_token would carry)."""
        with self.app.app_context():
            return enrol(self.store, launch(tool or self.tool, self.lms["org"]["id"], learner,
                                            **kw), HUB)

    def token(self, *scopes: str, tool: dict[str, Any] | None = None,
              keys: ToolKeys | None = None) -> dict[str, str]:
        """Authorization headers with a token of the real endpoint."""
        tool = tool or self.tool
        got = self.client.post("/lti/platform/token", data=token_form(
            assertion(keys or self.keys, tool["client_id"]), " ".join(scopes)))
        assert got.status_code == 200, got.get_json()
        return {"Authorization": f"Bearer {got.get_json()['access_token']}"}

    def statements(self) -> list[dict[str, Any]]:
        """The LMS organisation's statements, as its lrs-reader reads them."""
        got = self.client.get("/xapi/statements", headers={
            **self.lms["headers"], "X-Experience-API-Version": "1.0.3"})
        assert got.status_code == 200, got.get_json()
        return got.get_json()["statements"]  # type: ignore[no-any-return]


@pytest.fixture
def world(store_url: str, tmp_path: Path) -> Iterator[World]:
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_PUBLIC_URL": HUB, "HUB_FORWARDING_WORKER": "off"})
    yield World(app)
    app.extensions["hub.store"].close()


def path(url: str) -> str:
    """The path of one of the hub's URLs (the test client talks to the app directly)."""
    assert url.startswith(HUB)
    return url[len(HUB):]


def test_enrol_offers_the_services_the_tool_holds(world: World) -> None:
    claims = world.enrol("learner-1", name="Asha", email="asha@example.org")
    ags = claims[AGS_CLAIM]
    assert ags["scope"] == [SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY,
                            SCOPE_SCORE]
    assert ags["lineitems"] == f"{HUB}/lti/platform/contexts/ctx_1/lineitems"
    assert ags["lineitem"].startswith(ags["lineitems"] + "/li_")
    assert claims[NRPS_CLAIM] == {
        "context_memberships_url": f"{HUB}/lti/platform/contexts/ctx_1/memberships",
        "service_versions": ["2.0"]}
    assert world.enrol("learner-2")[AGS_CLAIM]["lineitem"] == ags["lineitem"]  # one default
    member = world.store.lti_contexts.get_member(world.tool["id"], "ctx_1", "learner-1")
    assert (member["name"], member["email"]) == ("Asha", "asha@example.org")
    assert "name" not in world.store.lti_contexts.get_member(world.tool["id"], "ctx_1",
                                                             "learner-2")


def test_racing_first_launches_make_one_default_line_item(world: World) -> None:
    claims: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda n=n: claims.append(world.enrol(f"learner-{n}")))
               for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({c[AGS_CLAIM]["lineitem"] for c in claims}) == 1 and len(claims) == 6
    items = world.store.lti_contexts.line_items(world.tool["id"], "ctx_1")
    assert [i["id"] for i in items] == [claims[0][AGS_CLAIM]["lineitem"].rsplit("/", 1)[1]]
    assert len(world.store.lti_contexts.members(world.tool["id"], "ctx_1")) == 6


def test_a_tool_without_service_scopes_is_offered_none(world: World) -> None:
    bare = register_tool(world.store, world.tool["org_id"], ToolKeys(), scopes=())
    assert world.enrol("learner-1", tool=bare) == {}
    only_nrps = register_tool(world.store, world.tool["org_id"], ToolKeys(),
                              scopes=(SCOPE_MEMBERSHIPS,))
    assert set(world.enrol("learner-1", tool=only_nrps)) == {NRPS_CLAIM}


def test_line_items_create_list_filter_get_put_delete(world: World) -> None:
    default = world.enrol("learner-1")[AGS_CLAIM]
    auth = world.token(SCOPE_LINEITEM)
    made = world.client.post(path(default["lineitems"]), headers={
        **auth, "Content-Type": LINEITEM_MEDIA}, json={
        "scoreMaximum": 10, "label": "Quiz 1", "tag": "quiz", "resourceId": "quiz-1",
        "startDateTime": "2026-06-01T10:00:00+05:30", "unknownExtension": 1})
    assert made.status_code == 201, made.get_json()
    assert made.mimetype == LINEITEM_MEDIA
    item = made.get_json()
    assert item["id"] == made.headers["Location"] and item["label"] == "Quiz 1"
    assert item["startDateTime"] == "2026-06-01T10:00:00+05:30"
    listed = world.client.get(path(default["lineitems"]), headers=auth)
    assert listed.mimetype == "application/vnd.ims.lis.v2.lineitemcontainer+json"
    assert {i["id"] for i in listed.get_json()} == {item["id"], default["lineitem"]}
    tagged = world.client.get(path(default["lineitems"]) + "?tag=quiz", headers=auth)
    assert [i["id"] for i in tagged.get_json()] == [item["id"]]
    paged = world.client.get(path(default["lineitems"]) + "?limit=1", headers=auth)
    assert len(paged.get_json()) == 1 and 'rel="next"' in paged.headers["Link"]
    nxt = paged.headers["Link"].split(">")[0].lstrip("<")
    rest = world.client.get(path(nxt), headers=auth).get_json()
    assert len(rest) == 1 and rest[0]["id"] != paged.get_json()[0]["id"]
    put = world.client.put(path(item["id"]), headers=auth,
                           json={"scoreMaximum": 20, "label": "Quiz one"})
    assert put.status_code == 200 and put.get_json()["scoreMaximum"] == 20
    assert "tag" not in put.get_json()  # PUT replaces: fields left out are cleared
    assert world.client.get(path(item["id"]), headers=auth).get_json()["label"] == "Quiz one"
    assert world.client.delete(path(item["id"]), headers=auth).status_code == 204
    assert world.client.get(path(item["id"]), headers=auth).status_code == 404


def test_a_score_becomes_a_result_and_xapi_statements_in_the_lms_lrs(world: World) -> None:
    world.enrol("learner-1")
    ags = world.enrol("learner-1")[AGS_CLAIM]  # a second launch: still one member
    auth = world.token(SCOPE_SCORE, SCOPE_RESULT_READONLY)
    scored = world.client.post(path(ags["lineitem"]) + "/scores", headers={
        **auth, "Content-Type": SCORE_MEDIA}, data=(
        '{"userId": "learner-1", "scoreGiven": 8, "scoreMaximum": 10, "comment": "well done",'
        ' "timestamp": "2026-06-01T10:00:00.123+00:00", "activityProgress": "Completed",'
        ' "gradingProgress": "FullyGraded"}'))
    assert scored.status_code == 204, scored.get_json()
    results = world.client.get(path(ags["lineitem"]) + "/results", headers=auth)
    assert results.mimetype == "application/vnd.ims.lis.v2.resultcontainer+json"
    assert [(r["userId"], r["resultScore"], r["resultMaximum"], r["comment"])
            for r in results.get_json()] == [("learner-1", 80.0, 100, "well done")]
    by_verb = {s["verb"]["id"][len(VERB):]: s for s in world.statements()}
    assert set(by_verb) >= {"scored", "completed", "passed"}
    passed = by_verb["passed"]
    assert passed["actor"]["account"] == {"homePage": HUB, "name": "learner-1"}
    assert passed["object"]["id"] == f"{HUB}/catalogue/courses/course_1"
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 0.8
    assert by_verb["scored"]["result"]["score"]["raw"] == 8


def test_older_scores_are_refused_and_record_nothing(world: World) -> None:
    ags = world.enrol("learner-1")[AGS_CLAIM]
    auth = world.token(SCOPE_SCORE)

    def score(at: str, given: float) -> Any:
        return world.client.post(path(ags["lineitem"]) + "/scores", headers=auth, json={
            "userId": "learner-1", "scoreGiven": given, "scoreMaximum": 10, "timestamp": at,
            "activityProgress": "Submitted", "gradingProgress": "FullyGraded"})

    assert score("2026-06-01T10:00:00Z", 3).status_code == 204
    before = len(world.statements())
    late = score("2026-06-01T09:59:59Z", 9)
    assert late.status_code == 409 and late.mimetype == "application/problem+json"
    assert len(world.statements()) == before
    assert score("2026-06-01T10:00:01Z", 2).status_code == 204
    verbs = [s["verb"]["id"][len(VERB):] for s in world.statements()]
    assert verbs.count("failed") == 2 and "completed" not in verbs


@pytest.mark.parametrize(("body", "field"), [
    ({"scoreGiven": 1, "scoreMaximum": 2, "timestamp": "2026-06-01T10:00:00Z",
      "activityProgress": "Completed", "gradingProgress": "FullyGraded"}, "userId"),
    ({"userId": "learner-1", "scoreGiven": 1, "timestamp": "2026-06-01T10:00:00Z",
      "activityProgress": "Completed", "gradingProgress": "FullyGraded"}, "scoreMaximum"),
    ({"userId": "learner-1", "timestamp": "2026-06-01T10:00:00",
      "activityProgress": "Completed", "gradingProgress": "FullyGraded"}, "timestamp"),
    ({"userId": "learner-1", "timestamp": "2026-06-01T10:00:00Z",
      "activityProgress": "Done", "gradingProgress": "FullyGraded"}, "activityProgress"),
    ({"userId": "stranger", "timestamp": "2026-06-01T10:00:00Z",
      "activityProgress": "Completed", "gradingProgress": "FullyGraded"}, "userId"),
])
def test_bad_scores_are_400_naming_the_field(world: World, body: dict[str, Any],
                                             field: str) -> None:
    ags = world.enrol("learner-1")[AGS_CLAIM]
    got = world.client.post(path(ags["lineitem"]) + "/scores", headers=world.token(SCOPE_SCORE),
                            json=body)
    assert got.status_code == 400 and field in got.get_json()["errors"], got.get_json()
    assert world.statements() == []


def test_every_service_checks_token_scope_tool_and_context(world: World) -> None:
    ags = world.enrol("learner-1")[AGS_CLAIM]
    other_keys = ToolKeys()
    other = register_tool(world.store, world.tool["org_id"], other_keys)
    score = {"userId": "learner-1", "timestamp": "2026-06-01T10:00:00Z",
             "activityProgress": "Completed", "gradingProgress": "FullyGraded"}
    items = path(ags["lineitems"])
    # No token, a credential instead of a token, an unknown token: 401 with a Bearer challenge.
    for headers in ({}, world.lms["headers"], {"Authorization": "Bearer not-a-token"}):
        got = world.client.get(items, headers=headers)
        assert got.status_code == 401 and got.get_json()["error"] == "invalid_token"
        assert got.headers["WWW-Authenticate"].startswith("Bearer")
    # A token without the scope the operation needs: 403 insufficient_scope.
    readonly = world.token(SCOPE_LINEITEM_READONLY)
    assert world.client.get(items, headers=readonly).status_code == 200
    for method, url, body in (("post", items, {"scoreMaximum": 1, "label": "x"}),
                              ("post", path(ags["lineitem"]) + "/scores", score),
                              ("get", path(ags["lineitem"]) + "/results", None),
                              ("delete", path(ags["lineitem"]), None),
                              ("get", "/lti/platform/contexts/ctx_1/memberships", None)):
        got = getattr(world.client, method)(url, headers=readonly, json=body)
        assert got.status_code == 403, (method, url, got.get_json())
        assert got.get_json()["error"] == "insufficient_scope"
    # Another tool's token: the context and its line items do not exist for it (404).
    theirs = world.token(*SERVICE_SCOPES, tool=other, keys=other_keys)
    for url in (items, path(ags["lineitem"]), "/lti/platform/contexts/ctx_1/memberships"):
        assert world.client.get(url, headers=theirs).status_code == 404
    assert world.client.post(path(ags["lineitem"]) + "/scores", headers=theirs,
                             json=score).status_code == 404
    # A removed tool's tokens stop working at once.
    world.store.lti_tools.delete(other["id"])
    assert world.client.get(items, headers=theirs).status_code == 401
    # An expired token is refused.
    auth = world.token(SCOPE_LINEITEM)
    digest = hashlib.sha256(auth["Authorization"][7:].encode()).hexdigest()
    assert world.store.lti_contexts.purge_tokens("9999-01-01T00:00:00.000000Z") >= 1
    assert world.store.lti_contexts.get_token(digest) is None
    assert world.client.get(items, headers=auth).status_code == 401
    assert world.statements() == []


def test_memberships_page_with_link_next_and_filter_by_role(world: World) -> None:
    for n in range(5):
        world.enrol(f"learner-{n}", name=f"L{n}" if n % 2 else None)
    claims = world.enrol("teacher", roles=(INSTRUCTOR,), email="t@example.org")
    url = path(claims[NRPS_CLAIM]["context_memberships_url"])
    auth = world.token(SCOPE_MEMBERSHIPS)
    got = world.client.get(url + "?limit=4", headers=auth)
    assert got.mimetype == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    page = got.get_json()
    assert page["context"] == {"id": "ctx_1", "title": "course_1"}
    seen = [m["user_id"] for m in page["members"]]
    assert len(seen) == 4
    nxt = got.headers["Link"].split(">")[0].lstrip("<")
    last = world.client.get(path(nxt), headers=auth)
    assert "Link" not in last.headers
    seen += [m["user_id"] for m in last.get_json()["members"]]
    assert sorted(seen) == sorted([f"learner-{n}" for n in range(5)] + ["teacher"])
    members = {m["user_id"]: m for m in page["members"] + last.get_json()["members"]}
    assert members["learner-1"]["name"] == "L1" and "name" not in members["learner-0"]
    assert "email" not in members["learner-1"]
    teachers = world.client.get(url + "?role=Instructor", headers=auth).get_json()["members"]
    assert [(m["user_id"], m["email"], m["roles"]) for m in teachers] == [
        ("teacher", "t@example.org", [INSTRUCTOR])]
