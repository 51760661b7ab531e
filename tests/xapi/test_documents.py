"""State, Activity Profile and Agent Profile (Communication 2.2-2.7) with ETag concurrency
(Communication 3.1)."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import orjson
import pytest

from tests.xapi.conftest import LRS, agent, q

ACT = "http://example.org/course/1"
JSON = "application/json"
REG = "6f0e8a4c-8a3c-4b1e-9b1e-2d5b8f3c1a77"
STATE = f"/xapi/activities/state?activityId={q(ACT)}&agent={q(agent('asha'))}"
APROF = f"/xapi/activities/profile?activityId={q(ACT)}"
GPROF = f"/xapi/agents/profile?agent={q(agent('asha'))}"


def send(lrs: LRS, method: str, path: str, body: Any = None,
         ctype: str = "application/json", **headers: str) -> Any:
    data = body if isinstance(body, bytes) or body is None else orjson.dumps(body)
    return lrs.open(method, path, data=data, content_type=ctype if data is not None else None,
                    headers={k.replace("_", "-"): v for k, v in headers.items()})


def test_state_put_get_etag_last_modified(lrs: LRS) -> None:
    path = STATE + "&stateId=bookmark"
    assert send(lrs, "PUT", path, {"page": 3}).status_code == 204
    got = lrs.get(path)
    assert got.status_code == 200
    assert got.get_json() == {"page": 3}
    expected = hashlib.sha1(orjson.dumps({"page": 3})).hexdigest()
    assert got.headers["ETag"] == f'"{expected}"'
    assert got.headers["Last-Modified"].endswith("GMT")
    # State PUT overwrites without preconditions
    assert send(lrs, "PUT", path, b"raw bytes", ctype="application/octet-stream"
                ).status_code == 204
    got = lrs.get(path)
    assert got.get_data() == b"raw bytes" and got.mimetype == "application/octet-stream"


def test_state_post_merges_json_one_level(lrs: LRS) -> None:
    path = STATE + "&stateId=progress"
    assert send(lrs, "POST", path, {"a": 1, "nested": {"x": 1}}).status_code == 204
    assert send(lrs, "POST", path, {"b": 2, "nested": {"y": 2}}).status_code == 204
    assert lrs.get(path).get_json() == {"a": 1, "b": 2, "nested": {"y": 2}}
    assert send(lrs, "POST", path, b"text", ctype="text/plain").status_code == 400
    assert send(lrs, "POST", path, b"[1,2]").status_code == 400
    assert lrs.get(path).get_json() == {"a": 1, "b": 2, "nested": {"y": 2}}


def test_state_ids_since_registration_and_multi_delete(lrs: LRS) -> None:
    send(lrs, "PUT", STATE + "&stateId=one", {"n": 1})
    send(lrs, "PUT", STATE + f"&stateId=two&registration={REG}", {"n": 2})
    ids = lrs.get(STATE).get_json()
    assert sorted(ids) == ["one", "two"]
    assert lrs.get(STATE + f"&registration={REG}").get_json() == ["two"]
    assert lrs.get(STATE + "&since=2999-01-01T00:00:00Z").get_json() == []
    assert lrs.get(STATE + "&stateId=two").status_code == 404  # other registration
    assert send(lrs, "DELETE", STATE + f"&registration={REG}").status_code == 204
    assert lrs.get(STATE).get_json() == ["one"]
    assert send(lrs, "DELETE", STATE).status_code == 204
    assert lrs.get(STATE).get_json() == []


@pytest.mark.parametrize("path", [
    "/xapi/activities/state?agent=" + q(agent("a")) + "&stateId=s",
    "/xapi/activities/state?activityId=" + q(ACT) + "&stateId=s",
    "/xapi/activities/state?activityId=" + q(ACT) + "&agent=notjson&stateId=s",
    "/xapi/activities/state?activityId=" + q(ACT) + "&agent=" + q(agent("a"))
    + "&stateId=s&registration=nope",
    "/xapi/activities/state?activityId=" + q(ACT) + "&agent=" + q(agent("a"))
    + "&since=nope",
    "/xapi/activities/profile?profileId=p",
    "/xapi/agents/profile?profileId=p",
    "/xapi/agents/profile?agent=" + q({"name": "no ifi"}) + "&profileId=p",
])
def test_bad_document_parameters_are_400(lrs: LRS, path: str) -> None:
    assert lrs.get(path).status_code == 400
    assert send(lrs, "PUT", path, {"a": 1}, If_None_Match="*").status_code == 400


@pytest.mark.parametrize("base", [APROF, GPROF])
def test_profile_concurrency(lrs: LRS, base: str) -> None:
    path = base + "&profileId=prefs"
    # Communication 3.1: a profile PUT carries a precondition
    assert send(lrs, "PUT", path, {"v": 1}).status_code == 400
    assert send(lrs, "PUT", path, {"v": 1}, If_None_Match="*").status_code == 204
    assert send(lrs, "PUT", path, {"v": 2}, If_None_Match="*").status_code == 412
    etag = lrs.get(path).headers["ETag"]
    resp = send(lrs, "PUT", path, {"v": 2})
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    assert send(lrs, "PUT", path, {"v": 2}, If_Match='"0000"').status_code == 412
    assert lrs.get(path).get_json() == {"v": 1}
    assert send(lrs, "PUT", path, {"v": 2}, If_Match=etag).status_code == 204
    assert lrs.get(path).get_json() == {"v": 2}
    assert lrs.get(base).get_json() == ["prefs"]
    assert send(lrs, "DELETE", path, If_Match=etag).status_code == 412
    assert send(lrs, "DELETE", path).status_code == 204
    assert lrs.get(path).status_code == 404


def test_concurrent_merges_lose_nothing(lrs: LRS, app: Any) -> None:
    """Two clients merging into one document at once: both keys survive (CAS retry)."""
    path = STATE + "&stateId=race"
    send(lrs, "PUT", path, {"start": 0})
    errors: list[int] = []

    def merge(i: int) -> None:
        client = app.test_client()
        resp = client.post(path, data=orjson.dumps({f"k{i}": i}), content_type="application/json",
                           headers=lrs.headers)
        if resp.status_code != 204:
            errors.append(resp.status_code)

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(lrs.get(path).get_json()) == {"start", *(f"k{i}" for i in range(6))}


def test_activities_returns_merged_definition(lrs: LRS) -> None:
    from tests.xapi.conftest import statement

    one = statement(activity=ACT)
    one["object"]["definition"] = {"name": {"en-US": "Course"}}
    two = statement(activity=ACT)
    two["object"]["definition"] = {"name": {"hi-IN": "पाठ्यक्रम"},
                                   "description": {"en-US": "About"}}
    lrs.post([one])
    lrs.post([two])
    got = lrs.get(f"/xapi/activities?activityId={q(ACT)}").get_json()
    assert got["id"] == ACT
    assert got["definition"]["name"] == {"en-US": "Course", "hi-IN": "पाठ्यक्रम"}
    assert got["definition"]["description"] == {"en-US": "About"}
    unknown = lrs.get(f"/xapi/activities?activityId={q('http://example.org/none')}")
    assert unknown.get_json() == {"objectType": "Activity", "id": "http://example.org/none"}
    assert lrs.get("/xapi/activities").status_code == 400


def test_state_put_needs_a_precondition_to_overwrite_under_xapi_2(lrs: LRS) -> None:
    """xAPI 2.0 puts State under the concurrency rules of the profiles (409 on overwriting
    without If-Match/If-None-Match); 1.0.3 lets a State PUT overwrite."""
    path = f"/xapi/activities/state?activityId={q(ACT)}&agent={q(agent('asha'))}&stateId=v2"
    v2 = {"X-Experience-API-Version": "2.0.0"}
    put = lrs.open("PUT", path, headers=v2, data=b'{"a": 1}', content_type=JSON)
    assert put.status_code == 204  # a new document needs no precondition
    again = lrs.open("PUT", path, headers=v2, data=b'{"a": 2}', content_type=JSON)
    assert again.status_code == 409
    assert again.get_json()["detail"]
    assert lrs.get(path).get_json() == {"a": 1}
    etag = lrs.get(path).headers["ETag"]
    matched = lrs.open("PUT", path, headers={**v2, "If-Match": etag}, data=b'{"a": 3}',
                       content_type=JSON)
    assert matched.status_code == 204
    old = lrs.open("PUT", path, data=b'{"a": 4}', content_type=JSON)  # 1.0.3
    assert old.status_code == 204
    assert lrs.get(path).get_json() == {"a": 4}


def test_a_batch_repeating_a_known_definition_merges_in_batch_order(lrs: LRS) -> None:
    """Occurrences that add nothing to a known definition are skipped, unless a later one in
    the same batch is new: then the whole batch is merged in order (newer wins per language)."""
    from tests.xapi.conftest import statement

    def with_name(name: dict[str, str]) -> dict[str, Any]:
        stmt = statement(activity=ACT)
        stmt["object"]["definition"] = {"name": name}
        return stmt

    lrs.post([with_name({"en-US": "Course"})])
    lrs.post([with_name({"en-US": "Course"}), with_name({"hi-IN": "पाठ्यक्रम"}),
              with_name({"en-US": "Course v2"}), with_name({"en-US": "Course v2"})])
    got = lrs.get(f"/xapi/activities?activityId={q(ACT)}").get_json()
    assert got["definition"]["name"] == {"en-US": "Course v2", "hi-IN": "पाठ्यक्रम"}
    lrs.post([with_name({"hi-IN": "पाठ्यक्रम"})])  # adds nothing: stored as it was
    got = lrs.get(f"/xapi/activities?activityId={q(ACT)}").get_json()
    assert got["definition"]["name"] == {"en-US": "Course v2", "hi-IN": "पाठ्यक्रम"}


def test_agents_returns_a_person(lrs: LRS) -> None:
    got = lrs.get(f"/xapi/agents?agent={q(agent('asha'))}").get_json()
    assert got == {"objectType": "Person", "name": ["asha"],
                   "mbox": ["mailto:asha@example.org"]}
    assert lrs.get("/xapi/agents?agent=" + q({"mbox": "bad"})).status_code == 400


def test_agent_profile_and_agents_take_an_agent_not_a_group(lrs: LRS) -> None:
    group = {"objectType": "Group", "mbox": "mailto:team@example.org"}
    assert lrs.get(f"/xapi/agents/profile?agent={q(group)}").status_code == 400
    assert lrs.get(f"/xapi/agents?agent={q(group)}").status_code == 400
    assert lrs.get(f"/xapi/activities/state?activityId={q(ACT)}&agent={q(group)}"
                   ).status_code == 200
