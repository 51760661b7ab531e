"""Tenancy: a provider's credential never reads drafts of, or changes, another provider's
courses. Every write endpoint is tried across tenants in every state; the answer is 404 (no
existence leak), and the course is unchanged afterwards."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest

from catalogue_schemas.workflow import ACTIONS
from tests.marketplace.conftest import Cast, course_body


def _course_in(cast: Cast, state: str) -> str:
    cid = cast.create()["id"]
    steps = {"draft": [], "submitted": ["submit"], "in_review": ["submit", "start_review"],
             "changes_requested": ["submit", "start_review", "request_changes"],
             "published": ["submit", "start_review", "publish"]}[state]
    for action in steps:
        who = cast.a if action == "submit" else cast.reviewer
        cast.act(cid, action, who, comment="reason")
    return cid


def _attempts(cid: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, request kwargs) of every authenticated endpoint on one course."""
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"/courses/{cid}", {}),
        ("GET", f"/courses/{cid}/audit", {}),
        ("PUT", f"/courses/{cid}", {"json": course_body(version="evil")}),
        ("PUT", f"/courses/{cid}", {"json": course_body(), "headers": {"If-Match": '"1"'}}),
    ]
    calls += [("POST", f"/courses/{cid}/transitions", {"json": {"action": a, "comment": "x"}})
              for a in ACTIONS]
    return calls


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "changes_requested",
                                   "published"])
def test_other_provider_gets_404_on_every_endpoint(cast: Cast, client: Any, app: Any,
                                                  state: str) -> None:
    cid = _course_in(cast, state)
    store = app.extensions["hub.store"]
    before = store.courses.get(cid)
    trail_before = store.courses.audit_trail(cid)
    for method, path, kwargs in _attempts(cid):
        headers = {**cast.b["headers"], **kwargs.pop("headers", {})}
        res = client.open(path, method=method, headers=headers, **kwargs)
        assert res.status_code == 404, (method, path, res.status_code, res.json)
        assert res.mimetype == "application/problem+json"
    after = store.courses.get(cid)
    assert after["row_version"] == before["row_version"] and after["state"] == state
    assert after["revision"] == before["revision"] and after["live"] == before["live"]
    assert store.courses.audit_trail(cid) == trail_before
    # The answer for another tenant's course is the same as for a course that does not exist.
    missing = client.get("/courses/crs_doesnotexist", headers=cast.b["headers"])
    theirs = client.get(f"/courses/{cid}", headers=cast.b["headers"])
    assert missing.status_code == theirs.status_code == 404
    assert missing.json["title"] == theirs.json["title"]


def test_other_provider_does_not_list_or_filter_into_foreign_courses(
        cast: Cast, client: Any) -> None:
    cid = _course_in(cast, "draft")
    theirs = client.get("/courses", headers=cast.b["headers"]).json
    assert theirs["items"] == []
    sneaky = client.get("/courses", query_string={"provider": cast.a["org"]["id"]},
                        headers=cast.b["headers"]).json
    assert sneaky["items"] == []
    assert client.get("/review-queue", headers=cast.b["headers"]).status_code == 403
    assert [c["id"] for c in client.get("/courses", headers=cast.a["headers"]).json["items"]] \
        == [cid]


def test_import_always_lands_in_the_callers_own_organisation(cast: Cast, client: Any,
                                                            app: Any) -> None:
    data = orjson.dumps(course_body(provider_id=cast.a["org"]["id"])) + b"\n"
    res = client.post("/courses/import", headers=cast.b["headers"],
                      data={"file": (io.BytesIO(data), "c.jsonl")},
                      content_type="multipart/form-data")
    assert res.status_code == 200
    # provider_id is not a content field: the row is rejected, nothing is written for A
    assert res.json["rejected"] == 1 and res.json["errors"][0]["field"] == "provider_id"
    assert app.extensions["hub.store"].courses.list_for_provider(cast.a["org"]["id"]) == []


def test_published_course_is_public_but_its_private_side_is_not(cast: Cast,
                                                                client: Any) -> None:
    cid = cast.publish()["id"]
    assert client.get(f"/catalogue/courses/{cid}").status_code == 200
    assert client.get(f"/courses/{cid}", headers=cast.b["headers"]).status_code == 404
    assert client.get(f"/courses/{cid}/audit", headers=cast.b["headers"]).status_code == 404


def test_providers_cannot_post_reviews(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    for who in (cast.a, cast.b):
        res = client.post(f"/catalogue/courses/{cid}/reviews",
                          json={"learner_id": "l1", "rating": 5}, headers=who["headers"])
        assert res.status_code == 403
