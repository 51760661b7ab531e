"""Course writes are conditional: ``If-Match`` is required (428 without it), a stale ETag is 412,
and of racers sending the same ETag exactly one wins while every other gets 412 (never 409),
through the test client on a real SQLite file and on the MongoDB adapter."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from tests.marketplace.conftest import Cast, course_body
from tests.racing import race

RACERS = 6


def _put(client: Any, cid: str, headers: dict[str, str], version: str) -> Any:
    return client.put(f"/courses/{cid}", json=course_body(version=version), headers=headers)


def _transition(client: Any, cid: str, headers: dict[str, str], action: str) -> Any:
    return client.post(f"/courses/{cid}/transitions", json={"action": action}, headers=headers)


def test_writes_without_if_match_are_428_and_change_nothing(cast: Cast, client: Any,
                                                            app: Any) -> None:
    cid = cast.create()["id"]
    store = app.extensions["hub.store"]
    before, trail = store.courses.get(cid), store.courses.audit_trail(cid)
    for resp in (_put(client, cid, cast.a["headers"], "9.9"),
                 _transition(client, cid, cast.a["headers"], "submit")):
        assert resp.status_code == 428, resp.get_data(as_text=True)
        assert resp.mimetype == "application/problem+json"
        assert resp.json["type"].endswith("/precondition-required")
        assert "If-Match" in resp.json["detail"]
    assert store.courses.get(cid) == before and store.courses.audit_trail(cid) == trail
    # Another provider still learns nothing: 404 comes before the precondition.
    assert _put(client, cid, cast.b["headers"], "1.1").status_code == 404


def test_openapi_says_if_match_is_required(client: Any) -> None:
    paths = client.get("/openapi.json").json["paths"]
    for path, method in (("/courses/{course_id}", "put"),
                         ("/courses/{course_id}/transitions", "post")):
        params = paths[path][method]["parameters"]
        if_match = next(p for p in params if p["name"] == "If-Match")
        assert if_match["required"] is True and if_match["in"] == "header"


@pytest.fixture
def reads_together(app: Any) -> Any:
    """Hold every racer after its first read of the course until all have read it, so that
    each one's If-Match still matches and they meet at the store's compare-and-set."""
    store = app.extensions["hub.store"]
    original = store.courses.get
    state: dict[str, Any] = {"barrier": None}
    local = threading.local()

    def get(course_id: str) -> Any:
        course = original(course_id)
        barrier = state["barrier"]
        if barrier is not None and not getattr(local, "waited", False):
            local.waited = True
            barrier.wait(timeout=10)
        return course

    @contextlib.contextmanager
    def armed() -> Iterator[None]:
        state["barrier"] = threading.Barrier(RACERS)
        yield
        state["barrier"] = None

    store.courses.get = get
    yield armed
    store.courses.get = original


def _outcome(responses: list[Any]) -> list[int]:
    assert not [r for r in responses if isinstance(r, Exception)], responses
    return sorted(r.status_code for r in responses)


def test_racing_edits_one_wins_and_every_loser_gets_412(cast: Cast, app: Any,
                                                        reads_together: Any) -> None:
    cid = cast.create()["id"]
    headers = {**cast.a["headers"], "If-Match": '"1"'}
    with reads_together():
        responses = race(*(partial(_put, app.test_client(), cid, headers, f"1.{i}")
                           for i in range(RACERS)))
    assert _outcome(responses) == [200] + [412] * (RACERS - 1)
    winner = next(r for r in responses if r.status_code == 200)
    course = app.extensions["hub.store"].courses.get(cid)
    assert course["row_version"] == 2
    assert course["revision"]["version"] == winner.json["revision"]["version"]
    for loser in (r for r in responses if r.status_code == 412):
        assert loser.mimetype == "application/problem+json"
        assert loser.json["current_etag"] == '"2"'
    assert len(app.extensions["hub.store"].courses.audit_trail(cid)) == 2  # create + 1 edit


def test_racing_transitions_one_wins_and_every_loser_gets_412(cast: Cast, app: Any,
                                                              reads_together: Any) -> None:
    cid = cast.create()["id"]
    cast.act(cid, "submit", cast.a)
    etag = app.test_client().get(f"/courses/{cid}", headers=cast.a["headers"]).headers["ETag"]
    # Reviewers starting the review and the provider withdrawing, all from the same ETag.
    calls = [partial(_transition, app.test_client(), cid,
                     {**(cast.reviewer if i % 2 else cast.a)["headers"], "If-Match": etag},
                     "start_review" if i % 2 else "withdraw")
             for i in range(RACERS)]
    with reads_together():
        responses = race(*calls)
    assert _outcome(responses) == [200] + [412] * (RACERS - 1)
    events = app.extensions["hub.store"].courses.audit_trail(cid)
    assert [e["action"] for e in events][:2] == ["create", "submit"] and len(events) == 3


def test_unsynchronised_racers_also_get_only_412(cast: Cast, app: Any) -> None:
    """Without holding anyone back: whichever path a loser takes (stale at its read, or lost
    at the compare-and-set), the answer is 412."""
    for round_ in range(5):
        cid = cast.create()["id"]
        headers = {**cast.a["headers"], "If-Match": '"1"'}
        responses = race(*(partial(_put, app.test_client(), cid, headers, f"{round_}.{i}")
                           for i in range(RACERS)))
        assert _outcome(responses) == [200] + [412] * (RACERS - 1)
