"""The vetting workflow through HTTP: every edge, revisions of a published course, audit,
409 naming the allowed actions, ETag/If-Match (412) and the review queue."""

from __future__ import annotations

from typing import Any

from tests.marketplace.conftest import Cast, course_body


def test_whole_workflow_with_changes_requested_and_audit(cast: Cast, client: Any) -> None:
    course = cast.create()
    cid = course["id"]
    assert course["state"] == "draft" and course["live"] is None
    assert course["allowed_actions"] == ["edit", "submit"]
    assert course["revision"]["duration_minutes"] == 150

    assert cast.act(cid, "submit", cast.a)["state"] == "submitted"
    assert cast.act(cid, "start_review", cast.reviewer)["state"] == "in_review"
    changed = cast.act(cid, "request_changes", cast.reviewer, comment="Add Hindi subtitles")
    assert changed["state"] == "changes_requested"

    edited = cast.edit(cid, version="1.1")
    assert edited.status_code == 200 and edited.json["state"] == "changes_requested"
    assert edited.json["revision"]["version"] == "1.1"

    assert cast.act(cid, "submit", cast.a)["state"] == "submitted"
    cast.act(cid, "start_review", cast.reviewer)
    published = cast.act(cid, "publish", cast.reviewer)
    assert published["state"] == "published"
    assert published["live"]["version"] == "1.1" and published["live_version"] == 1
    assert published["published_at"]

    retired = cast.act(cid, "retire", cast.a)
    assert retired["state"] == "retired" and retired["live"] is None
    assert client.get(f"/catalogue/courses/{cid}").status_code == 404

    audit = client.get(f"/courses/{cid}/audit", headers=cast.a["headers"])
    assert audit.status_code == 200
    trail = [(e["action"], e["from"], e["to"]) for e in audit.json["items"]]
    assert trail == [
        ("create", None, "draft"), ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("request_changes", "in_review", "changes_requested"),
        ("edit", "changes_requested", "changes_requested"),
        ("submit", "changes_requested", "submitted"),
        ("start_review", "submitted", "in_review"), ("publish", "in_review", "published"),
        ("retire", "published", "retired"),
    ]
    events = audit.json["items"]
    assert events[3]["comment"] == "Add Hindi subtitles"
    assert events[3]["actor"] == cast.reviewer["key"]
    assert events[3]["org_id"] == cast.reviewer["org"]["id"]
    assert events[0]["actor"] == cast.a["key"] and all(e["at"].endswith("Z") for e in events)


def test_withdraw_returns_a_submitted_course_to_draft(cast: Cast) -> None:
    cid = cast.create()["id"]
    cast.act(cid, "submit", cast.a)
    assert cast.act(cid, "withdraw", cast.a)["state"] == "draft"


def test_revision_of_a_published_course_keeps_live_until_published(
        cast: Cast, client: Any) -> None:
    course = cast.publish()
    cid = course["id"]
    res = client.put(f"/courses/{cid}",
                     json=course_body(title={"en": "Public Finance, revised", "hi": "संशोधित"},
                                      version="2.0"),
                     headers={**cast.a["headers"], "If-Match": res_etag(client, cast, cid)})
    assert res.status_code == 200
    revision = res.json
    assert revision["state"] == "draft" and revision["revision_number"] == 2
    assert revision["live"]["version"] == "1.0" and revision["revision"]["version"] == "2.0"

    # The public catalogue keeps serving the live version throughout the review.
    def public_title() -> str:
        return client.get(f"/catalogue/courses/{cid}").json["title"]["en"]  # type: ignore

    assert public_title() == "Public Financial Management"
    cast.act(cid, "submit", cast.a)
    cast.act(cid, "start_review", cast.reviewer)
    assert public_title() == "Public Financial Management"
    found = client.get("/catalogue/search", query_string={"q": "revised"}).json
    assert found["total"] == 0

    done = cast.act(cid, "publish", cast.reviewer)
    assert done["state"] == "published" and done["live_version"] == 2
    assert public_title() == "Public Finance, revised"
    assert client.get("/catalogue/search", query_string={"q": "revised"}).json["total"] == 1
    actions = [e["action"] for e in client.get(f"/courses/{cid}/audit",
                                               headers=cast.a["headers"]).json["items"]]
    assert actions[-4:] == ["revise", "submit", "start_review", "publish"]


def res_etag(client: Any, cast: Cast, cid: str) -> str:
    """The current ETag of a course as its owner sees it."""
    res = client.get(f"/courses/{cid}", headers=cast.a["headers"])
    assert res.status_code == 200
    return res.headers["ETag"]  # type: ignore[no-any-return]


def test_illegal_transitions_are_409_naming_the_allowed_actions(cast: Cast) -> None:
    cid = cast.create()["id"]
    problem = cast.act(cid, "publish", cast.reviewer, status=409)
    assert problem["allowed_actions"] == ["submit"] and problem["state"] == "draft"
    assert "submit" in problem["detail"]
    cast.act(cid, "submit", cast.a)
    problem = cast.act(cid, "retire", cast.a, status=409)
    assert problem["allowed_actions"] == ["start_review", "withdraw"]
    cast.act(cid, "start_review", cast.reviewer)
    problem = cast.act(cid, "submit", cast.a, status=409)
    assert problem["allowed_actions"] == ["publish", "request_changes"]


def test_editing_under_review_is_409(cast: Cast, client: Any) -> None:
    cid = cast.create()["id"]
    cast.act(cid, "submit", cast.a)
    res = cast.edit(cid)
    assert res.status_code == 409
    assert res.json["allowed_actions"] == ["start_review", "withdraw"]


def test_only_reviewers_move_past_submitted(cast: Cast) -> None:
    cid = cast.create()["id"]
    cast.act(cid, "submit", cast.a)
    assert cast.act(cid, "start_review", cast.a, status=403)["status"] == 403
    assert cast.act(cid, "start_review", cast.admin)["state"] == "in_review"
    cast.act(cid, "publish", cast.a, status=403)
    # A reviewer may not take the provider's own actions on its behalf.
    cid2 = cast.create()["id"]
    cast.act(cid2, "submit", cast.reviewer, status=403)


def test_request_changes_needs_a_reason(cast: Cast) -> None:
    cid = cast.create()["id"]
    cast.act(cid, "submit", cast.a)
    cast.act(cid, "start_review", cast.reviewer)
    problem = cast.act(cid, "request_changes", cast.reviewer, comment="  ", status=400)
    assert "comment" in problem["errors"]


def test_unknown_action_is_400_naming_the_field(cast: Cast, client: Any) -> None:
    cid = cast.create()["id"]
    res = client.post(f"/courses/{cid}/transitions", json={"action": "approve"},
                      headers=cast.a["headers"])
    assert res.status_code == 400 and "action" in res.json["errors"]


def test_if_match_stale_etag_is_412_and_fresh_succeeds(cast: Cast, client: Any) -> None:
    created = client.post("/courses", json=course_body(), headers=cast.a["headers"])
    cid, first = created.json["id"], created.headers["ETag"]
    assert first == '"1"'
    ok = client.put(f"/courses/{cid}", json=course_body(version="1.1"),
                    headers={**cast.a["headers"], "If-Match": first})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    stale = client.put(f"/courses/{cid}", json=course_body(version="1.2"),
                       headers={**cast.a["headers"], "If-Match": first})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert stale.json["current_etag"] == '"2"'
    res = client.post(f"/courses/{cid}/transitions", json={"action": "submit"},
                      headers={**cast.a["headers"], "If-Match": first})
    assert res.status_code == 412
    assert client.get(f"/courses/{cid}", headers=cast.a["headers"]).json["revision"][
        "version"] == "1.1"


def test_lost_compare_and_set_is_412(cast: Cast, client: Any, app: Any) -> None:
    """The service read version 1 (so If-Match "1" held) but another write landed before its
    compare-and-set: the version the client named is gone, a failed precondition."""
    cid = cast.create()["id"]
    store = app.extensions["hub.store"]
    stored = store.courses.get(cid)
    store.courses.replace(stored, stored["row_version"])  # someone else wrote meanwhile
    from marketplace import service

    original_get = store.courses.get
    store.courses.get = lambda _id: stored  # the service read the old version
    try:
        res = client.put(f"/courses/{cid}", json=course_body(),
                         headers={**cast.a["headers"], "If-Match": '"1"'})
    finally:
        store.courses.get = original_get
    assert res.status_code == 412 and res.mimetype == "application/problem+json"
    assert service.etag(store.courses.get(cid)) == '"2"'


def test_lists_and_review_queue(cast: Cast, client: Any) -> None:
    a1 = cast.create()["id"]
    a2 = cast.create()["id"]
    b1 = cast.create(cast.b)["id"]
    cast.act(a2, "submit", cast.a)
    cast.act(b1, "submit", cast.b)

    mine = client.get("/courses", headers=cast.a["headers"]).json
    assert {c["id"] for c in mine["items"]} == {a1, a2}
    drafts = client.get("/courses?state=draft", headers=cast.a["headers"]).json
    assert [c["id"] for c in drafts["items"]] == [a1]
    both = client.get("/courses?state=draft&state=submitted", headers=cast.a["headers"]).json
    assert len(both["items"]) == 2
    everyone = client.get("/courses", headers=cast.reviewer["headers"]).json
    assert {c["id"] for c in everyone["items"]} == {a1, a2, b1}
    page = client.get("/courses?limit=1", headers=cast.reviewer["headers"]).json
    assert len(page["items"]) == 1 and page["next"]
    rest = client.get("/courses", query_string={"after": page["next"]},
                      headers=cast.reviewer["headers"]).json
    assert len(rest["items"]) == 2

    queue = client.get("/review-queue", headers=cast.reviewer["headers"])
    assert queue.status_code == 200
    assert {c["id"] for c in queue.json["items"]} == {a2, b1}
    assert all("start_review" in c["allowed_actions"] for c in queue.json["items"])
    assert client.get("/review-queue", headers=cast.a["headers"]).status_code == 403
    assert client.get("/courses?state=nope", headers=cast.a["headers"]).status_code == 400


def test_writes_need_a_credential(client: Any, cast: Cast) -> None:
    assert client.post("/courses", json=course_body()).status_code == 401
    res = client.get("/courses")
    assert res.status_code == 401 and res.mimetype == "application/problem+json"
    assert client.post("/courses", json=course_body(),
                       headers=cast.lms["headers"]).status_code == 403


def test_publishing_a_revision_is_one_atomic_replace(cast: Cast, client: Any,
                                                      app: Any) -> None:
    cid = cast.publish()["id"]
    assert cast.edit(cid, version="2.0").status_code == 200
    cast.act(cid, "submit", cast.a)
    cast.act(cid, "start_review", cast.reviewer)
    store = app.extensions["hub.store"]
    calls: list[dict[str, Any]] = []
    original = store.courses.replace

    def spy(course: dict[str, Any], expected: int, event: Any = None) -> Any:
        calls.append({"live": course["live"]["version"], "event": event["action"]})
        return original(course, expected, event)

    store.courses.replace = spy
    try:
        cast.act(cid, "publish", cast.reviewer)
    finally:
        store.courses.replace = original
    assert calls == [{"live": "2.0", "event": "publish"}]


def test_reviewer_may_retire_but_not_edit(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    assert client.get("/catalogue/search").json["total"] == 1
    res = cast.edit(cid, cast.reviewer)
    assert res.status_code == 403
    assert cast.act(cid, "retire", cast.reviewer)["state"] == "retired"
    assert client.get("/catalogue/search").json["total"] == 0
    problem = cast.act(cid, "publish", cast.reviewer, status=409)
    assert problem["allowed_actions"] == []
