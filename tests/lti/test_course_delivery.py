"""``lti`` delivery names a tool registration of the course's own provider (API, import), and
courses stored with the old bare ``tool_url`` are migrated to a registration or reported."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from lti.delivery_migration import migrate_tool_urls
from marketplace import importer
from marketplace.service import new_course
from tests.marketplace.conftest import course_body

TOOL = {"name": "Quiz tool", "initiate_login_url": "https://quiz.example.org/login",
        "redirect_uris": ["https://quiz.example.org/launch"],
        "key_set_url": "https://quiz.example.org/jwks"}


@pytest.fixture
def people(tenants: Any) -> dict[str, Any]:
    return {"a": tenants.make("Provider A", roles=("publisher", "lti-manager")),
            "b": tenants.make("Provider B", roles=("publisher", "lti-manager"))}


def register(client: Any, who: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    res = client.post("/lti/tools", json={**TOOL, **overrides}, headers=who["headers"])
    assert res.status_code == 201, res.json
    return res.json  # type: ignore[no-any-return]


def lti(tool_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": "lti", "tool": tool_id,
            "target_link_uri": "https://quiz.example.org/activities/7", **extra}


def test_a_course_names_its_own_providers_tool(client: Any, people: dict[str, Any]) -> None:
    mine = register(client, people["a"])
    theirs = register(client, people["b"])
    res = client.post("/courses", headers=people["a"]["headers"], json=course_body(
        delivery=lti(mine["id"], custom={"chapter": "3"})))
    assert res.status_code == 201, res.json
    assert res.json["revision"]["delivery"] == lti(mine["id"], custom={"chapter": "3"})
    for tool_id in (theirs["id"], "tool_missing"):
        refused = client.post("/courses", headers=people["a"]["headers"],
                              json=course_body(delivery=lti(tool_id)))
        assert refused.status_code == 400
        assert list(refused.json["errors"]) == ["delivery.tool"]
    course = res.json
    edited = client.put(f"/courses/{course['id']}", json=course_body(
        delivery=lti(theirs["id"])), headers={**people["a"]["headers"], "If-Match": '"1"'})
    assert edited.status_code == 400 and list(edited.json["errors"]) == ["delivery.tool"]
    again = client.get(f"/courses/{course['id']}", headers=people["a"]["headers"]).json
    assert again["row_version"] == 1 and again["revision"]["delivery"]["tool"] == mine["id"]


def test_import_reports_a_foreign_tool_by_line(app: Any, client: Any,
                                               people: dict[str, Any]) -> None:
    mine = register(client, people["a"])
    theirs = register(client, people["b"])
    rows = [course_body(delivery=lti(mine["id"])), course_body(delivery=lti(theirs["id"]))]
    report = importer.import_catalogue(app.extensions["hub.store"], people["a"]["org"]["id"],
                                       rows)
    assert (report["imported"], report["rejected"]) == (1, 1)
    assert report["errors"] == [{"line": 2, "field": "delivery.tool", "message":
                                 f"no LTI tool {theirs['id']!r} registered by this provider"}]


def _stored_with_tool_url(store: Any, provider_id: str, url: str, live: bool) -> str:
    content = course_body(delivery={"type": "external", "url": url})
    content = {**content, "delivery": {"type": "lti", "tool_url": url}}  # the old shape
    course, events = new_course(provider_id, content, "old", provider_id)
    if live:
        course.update(state="published", live=course["revision"], live_version=1)
    store.courses.add(course, events[0])
    return str(course["id"])


def test_migration_moves_matching_courses_and_reports_the_rest(
        app: Any, client: Any, people: dict[str, Any]) -> None:
    store = app.extensions["hub.store"]
    a, b = people["a"]["org"]["id"], people["b"]["org"]["id"]
    other_host = register(client, people["a"], name="Other", initiate_login_url=(
        "https://other.example.org/login"), redirect_uris=["https://other.example.org/l"])
    oldest = register(client, people["a"])
    exact = register(client, people["a"], name="Exact", redirect_uris=[
        "https://quiz.example.org/launch", "https://quiz.example.org/run"])
    register(client, people["b"])  # provider B's tool on the same host: never A's
    by_host = _stored_with_tool_url(store, a, "https://QUIZ.example.org/x", live=True)
    by_url = _stored_with_tool_url(store, a, "https://quiz.example.org/run", live=False)
    other = _stored_with_tool_url(store, a, "https://other.example.org/l", live=False)
    lost = _stored_with_tool_url(store, a, "https://gone.example.org/lti", live=True)
    foreign = _stored_with_tool_url(store, b, "https://elsewhere.example.org/l", live=False)

    dry = migrate_tool_urls(store, dry_run=True)
    assert (dry["migrated"], dry["unmatched"]) == (3, 2)
    assert store.courses.get(by_host)["revision"]["delivery"] == {
        "type": "lti", "tool_url": "https://QUIZ.example.org/x"}

    report = migrate_tool_urls(store)
    assert (report["migrated"], report["unmatched"], report["changed"]) == (3, 2, 0)
    lines = {line["course_id"]: line for line in report["courses"]}
    assert lines[lost]["status"] == lines[foreign]["status"] == "unmatched"
    assert lines[lost]["tool_url"] == "https://gone.example.org/lti"
    moved = store.courses.get(by_host)
    for name in ("revision", "live"):  # the oldest of the host's tools
        assert moved[name]["delivery"] == {"type": "lti", "tool": oldest["id"],
                                           "target_link_uri": "https://QUIZ.example.org/x"}
    # the one that lists the URL itself, though younger
    assert store.courses.get(by_url)["revision"]["delivery"]["tool"] == exact["id"]
    assert store.courses.get(other)["revision"]["delivery"]["tool"] == other_host["id"]
    assert store.courses.get(lost)["live"]["delivery"] == {
        "type": "lti", "tool_url": "https://gone.example.org/lti"}  # kept, not dropped
    trail = store.courses.audit_trail(by_host)
    assert trail[-1]["action"] == "migrate_lti_delivery"
    assert moved["row_version"] == 2
    again = migrate_tool_urls(store)
    assert (again["migrated"], again["unmatched"]) == (0, 2)
    shown = client.get(f"/courses/{by_host}", headers=people["a"]["headers"]).json
    assert shown["live"]["delivery"]["tool"] == oldest["id"]
    assert "quiz.example.org" not in orjson.dumps(
        client.get(f"/catalogue/courses/{by_host}").json).decode()


def test_migrate_deliveries_command(app: Any, runner: Any, people: dict[str, Any],
                                    client: Any) -> None:
    store = app.extensions["hub.store"]
    register(client, people["a"])
    moved = _stored_with_tool_url(store, people["a"]["org"]["id"],
                                  "https://quiz.example.org/x", live=False)
    dry = runner.invoke(args=["lti", "migrate-deliveries", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert orjson.loads(dry.output)["migrated"] == 1
    assert "tool_url" in store.courses.get(moved)["revision"]["delivery"]
    lost = _stored_with_tool_url(store, people["a"]["org"]["id"], "https://gone.example.org/l",
                                 live=False)
    done = runner.invoke(args=["lti", "migrate-deliveries"])
    assert done.exit_code == 1  # one course is left for its provider to register a tool for
    report = orjson.loads(done.output)
    assert (report["migrated"], report["unmatched"]) == (1, 1)
    assert store.courses.get(moved)["revision"]["delivery"]["tool"]
    assert "tool_url" in store.courses.get(lost)["revision"]["delivery"]
